package edge

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
)

// CountryLookup tells which country an address is in: an ISO 3166-1
// alpha-2 code in upper case, or "" when unknown. internal/geoip
// implements it from a MaxMind-format database.
type CountryLookup interface {
	Country(addr netip.Addr) string
}

// geoRule is a distribution's compiled GeoRestriction; nil (the common
// case) is no restriction, so other distributions pay one nil check.
type geoRule struct {
	allow     bool     // whitelist: only these; blacklist: all but these
	countries []string // upper case, sorted
}

func compileGeo(g cloudfront.GeoRestriction) *geoRule {
	var allow bool
	switch g.RestrictionType {
	case cloudfront.GeoWhitelist:
		allow = true
	case cloudfront.GeoBlacklist:
	default:
		return nil
	}
	r := &geoRule{allow: allow}
	for _, c := range g.Locations {
		r.countries = append(r.countries, strings.ToUpper(c))
	}
	slices.Sort(r.countries)
	return r
}

// geoAllowed decides whether the viewer may be served. The viewer is the
// TCP (or QUIC) peer: like CloudFront, X-Forwarded-For is not believed.
//
// Without a database, a restricted distribution serves no one: failing
// open would serve the countries its owner excluded, which may be a legal
// obligation, while failing closed is visible at once (and logged at
// start and on every snapshot). An address the database does not know
// is served, as CloudFront serves viewers whose location it cannot
// determine (developer guide, "Restrict the geographic distribution of
// your content").
func (s *Server) geoAllowed(g *geoRule, r *http.Request) bool {
	if s.opts.Countries == nil {
		return false
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return !g.allow // not an IP peer (a test or a Unix socket): only a blacklist serves it
	}
	cc := s.opts.Countries.Country(ap.Addr().Unmap())
	if cc == "" {
		return true
	}
	_, listed := slices.BinarySearch(g.countries, cc)
	return listed == g.allow
}

// warnGeoWithoutDB logs the restricted distributions just placed
// (fresh) that answer 403 to everyone because no database is loaded: once
// per change of each, not again at every revision.
func (s *Server) warnGeoWithoutDB(fresh []*dist) {
	if s.opts.Countries != nil {
		return
	}
	var ids []string
	for _, d := range fresh {
		if compileGeo(d.src.Config.Restrictions) != nil {
			ids = append(ids, d.id)
		}
	}
	if len(ids) > 0 {
		slices.Sort(ids)
		s.log.Warn("edge: no GeoIP database (--geoip-db): distributions with a geographic restriction answer 403 to every viewer",
			"distributions", ids)
	}
}
