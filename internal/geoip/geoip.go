// Package geoip answers which country an address is in, from a database
// in MaxMind's format (GeoLite2-Country, GeoIP2-Country or -City, or any
// other MMDB file with the same country record), for the edge's
// geographic restrictions. CloudFront itself uses MaxMind's databases
// (API reference, Restrictions), so the operator can use the same data.
//
// It reads the file with github.com/oschwald/maxminddb-golang/v2, the
// reader MaxMind's own Go libraries build on: pure Go, memory-mapped, and
// fuzzed upstream against corrupt files, which a hand-written decoder of
// the format's search tree and data section would not be.
package geoip

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// DB is an open database. It is safe for concurrent use.
type DB struct {
	r *maxminddb.Reader
}

// Open maps the database at path. It refuses a file that is not in
// MaxMind's format, or whose records carry no country, so that a wrong
// file fails at start rather than serving every viewer as "unknown".
func Open(path string) (*DB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip: %w", err)
	}
	t := r.Metadata.DatabaseType
	if strings.Contains(strings.ToLower(t), "asn") || strings.Contains(strings.ToLower(t), "isp") {
		r.Close()
		return nil, fmt.Errorf("geoip: %s: database type %q has no countries", path, t)
	}
	return &DB{r: r}, nil
}

// Close unmaps the file; Country must not be called afterwards.
func (db *DB) Close() error { return db.r.Close() }

// Type is the database's type from its metadata, e.g. "GeoLite2-Country".
func (db *DB) Type() string { return db.r.Metadata.DatabaseType }

// countryRecord is the part of MaxMind's country and city records read.
type countryRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	// RegisteredCountry is where the network is registered; MaxMind's
	// records omit Country for some networks (satellite, anycast), and
	// then this is the best answer there is.
	RegisteredCountry struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"registered_country"`
}

// Country returns the ISO 3166-1 alpha-2 code of addr's country in upper
// case, or "" when the database does not know it (a private address, a
// network it has no record for, or a record it cannot decode).
func (db *DB) Country(addr netip.Addr) string {
	res := db.r.Lookup(addr.Unmap())
	if !res.Found() {
		return ""
	}
	var rec countryRecord
	if err := res.Decode(&rec); err != nil {
		return ""
	}
	cc := rec.Country.ISOCode
	if cc == "" {
		cc = rec.RegisteredCountry.ISOCode
	}
	if len(cc) != 2 {
		return ""
	}
	return strings.ToUpper(cc)
}
