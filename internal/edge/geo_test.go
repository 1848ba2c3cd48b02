package edge

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/geoip"
	"github.com/openfront/openfront/internal/geoip/geoiptest"
)

// geoViewer requests url from the loopback address from, so that the
// edge sees a real TCP peer there.
func geoViewer(t *testing.T, from, url, xff string) (int, string) {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
	defer c.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Host = "d1.cloudfront.test"
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestGeoRestriction enforces whitelists and blacklists on the viewer's
// TCP address, located with a MaxMind-format database the test writes:
// 127.0.0.1 is in FR, 127.0.0.2 in US, 127.0.0.3 unknown.
func TestGeoRestriction(t *testing.T) {
	db, err := geoip.Open(geoiptest.Write(t, map[string]string{"127.0.0.1/32": "FR", "127.0.0.2/32": "US"}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o := newOrigin(t, text("content"))
	tests := []struct {
		name      string
		geo       cloudfront.GeoRestriction
		from, xff string
		status    int
	}{
		{"none serves FR", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoNone}, "127.0.0.1", "", 200},
		{"empty restriction serves US", cloudfront.GeoRestriction{}, "127.0.0.2", "", 200},
		{"whitelist FR serves FR", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoWhitelist, Locations: []string{"FR"}}, "127.0.0.1", "", 200},
		{"whitelist FR refuses US", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoWhitelist, Locations: []string{"FR"}}, "127.0.0.2", "", 403},
		{"whitelist of several", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoWhitelist, Locations: []string{"DE", "US", "FR"}}, "127.0.0.2", "", 200},
		{"blacklist FR refuses FR", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoBlacklist, Locations: []string{"FR"}}, "127.0.0.1", "", 403},
		{"blacklist FR serves US", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoBlacklist, Locations: []string{"FR"}}, "127.0.0.2", "", 200},
		// CloudFront serves viewers whose location it cannot determine.
		{"whitelist serves an unknown address", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoWhitelist, Locations: []string{"FR"}}, "127.0.0.3", "", 200},
		{"blacklist serves an unknown address", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoBlacklist, Locations: []string{"US"}}, "127.0.0.3", "", 200},
		// The TCP peer decides, not X-Forwarded-For (CloudFront ignores it for this).
		{"X-Forwarded-For does not get a US viewer in", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoWhitelist, Locations: []string{"FR"}}, "127.0.0.2", "127.0.0.1", 403},
		{"X-Forwarded-For does not shut a FR viewer out", cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoBlacklist, Locations: []string{"US"}}, "127.0.0.1", "127.0.0.2", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs logRecords
			e := newEdge(t, Options{Countries: db, AccessLog: logs.add}, distribution(o.Server, withLogging, func(c *cloudfront.DistributionConfig) {
				c.Restrictions = tt.geo
			}))
			status, body := geoViewer(t, tt.from, e.http.URL+"/a.txt", tt.xff)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %q", status, tt.status, body)
			}
			r := logs.last(t)
			if tt.status == 403 {
				// CloudFront's own error page, logged as an error with
				// detailed result type ClientGeoBlocked.
				if body != string(errorPage("Bad request.")) || r.ResultType != "Error" || r.DetailedResultType != "ClientGeoBlocked" || r.Status != 403 {
					t.Fatalf("refusal body %q, record %s/%s %d", body, r.ResultType, r.DetailedResultType, r.Status)
				}
			} else if body != "content" || r.DetailedResultType == "ClientGeoBlocked" {
				t.Fatalf("body %q, record %s", body, r.DetailedResultType)
			}
		})
	}
}

// TestGeoRestrictionWithoutDatabase: with no database, a restricted
// distribution is never served unrestricted: it answers 403 to every
// viewer, whatever the list, and the edge warns; an unrestricted one on
// the same edge is served.
func TestGeoRestrictionWithoutDatabase(t *testing.T) {
	o := newOrigin(t, text("content"))
	var logOut strings.Builder
	restricted := func(typ string) cloudfront.Distribution {
		d := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
			c.Restrictions = cloudfront.GeoRestriction{RestrictionType: typ, Locations: []string{"ZZ"}}
		})
		d.ID, d.DomainName = "E"+strings.ToUpper(typ), typ+".cloudfront.test"
		return d
	}
	open := distribution(o.Server)
	e := newEdge(t, Options{Logger: newTestLogger(&logOut)}, restricted(cloudfront.GeoWhitelist), restricted(cloudfront.GeoBlacklist), open)
	for host, want := range map[string]int{"whitelist.cloudfront.test": 403, "blacklist.cloudfront.test": 403, "d1.cloudfront.test": 200} {
		if r := e.get(t, host, "/a.txt"); r.StatusCode != want {
			t.Errorf("%s: status %d, want %d", host, r.StatusCode, want)
		}
	}
	if l := logOut.String(); !strings.Contains(l, "no GeoIP database") || !strings.Contains(l, "EWHITELIST") || !strings.Contains(l, "EBLACKLIST") {
		t.Errorf("no warning naming the restricted distributions: %q", l)
	}
}

// newTestLogger writes text records to w.
func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}
