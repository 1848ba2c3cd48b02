package geoip

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/openfront/openfront/internal/geoip/geoiptest"
)

func TestCountry(t *testing.T) {
	path := geoiptest.Write(t, map[string]string{
		"192.0.2.0/24":    "FR",
		"198.51.100.0/25": "us",  // lower case in the file: upper case out
		"203.0.113.0/24":  "~DE", // registered country only
		"2001:db8::/32":   "JP",
		"127.0.0.2/32":    "CAN", // not a two-letter code
	})
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Type() != "GeoLite2-Country" {
		t.Errorf("type %q", db.Type())
	}
	for _, tt := range []struct{ addr, want string }{
		{"192.0.2.77", "FR"},
		{"::ffff:192.0.2.77", "FR"}, // IPv4-mapped, as a dual-stack listener reports it
		{"198.51.100.1", "US"},
		{"198.51.100.200", ""}, // outside the /25
		{"203.0.113.9", "DE"},
		{"2001:db8::1", "JP"},
		{"127.0.0.1", ""},
		{"127.0.0.2", ""},
		{"::1", ""},
	} {
		t.Run(tt.addr, func(t *testing.T) {
			if got := db.Country(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Fatalf("Country(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mmdb")
	os.WriteFile(junk, []byte("not a database"), 0o600)
	for _, p := range []string{junk, filepath.Join(dir, "missing.mmdb")} {
		if db, err := Open(p); err == nil {
			db.Close()
			t.Errorf("Open(%s) succeeded", filepath.Base(p))
		}
	}
}
