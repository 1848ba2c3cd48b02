package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/geoip/geoiptest"
)

// edgeLogsServe starts `openfront serve` with args added, and returns a
// signed API client, the edge's address and the access-log folder.
func edgeLogsServe(t *testing.T, args ...string) (*apiClient, string, string) {
	t.Helper()
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	logs := filepath.Join(data, "logs")
	start(t, `^\(saved in `, append([]string{"serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr,
		"--log-dir", logs, "--log-flush", "100ms"}, args...)...)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	return &apiClient{base: "http://" + apiAddr, id: id, secret: secret}, edgeAddr, logs
}

// edgeLogsCreate creates a distribution through API 2020-05-31 with a
// geographic restriction and logging into bucket "logs", prefix "geo/",
// and returns its id and domain name.
func edgeLogsCreate(t *testing.T, c *apiClient, o *origin, ref, restriction string, countries ...string) (string, string) {
	t.Helper()
	host, port := hostPort(t, o.http.URL)
	var items string
	for _, cc := range countries {
		items += "<Location>" + cc + "</Location>"
	}
	body := fmt.Sprintf(`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>%s</CallerReference>`+
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>%s</DomainName><CustomOriginConfig><HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>`+
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues><MinTTL>0</MinTTL></DefaultCacheBehavior>`+
		`<Comment /><Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>logs.s3.amazonaws.com</Bucket><Prefix>geo/</Prefix></Logging><Enabled>true</Enabled>`+
		`<Restrictions><GeoRestriction><RestrictionType>%s</RestrictionType><Quantity>%d</Quantity><Items>%s</Items></GeoRestriction></Restrictions></DistributionConfig>`,
		ref, host, port, restriction, len(countries), items)
	r := c.must(t, "POST", "/2020-05-31/distribution", body)
	if r.status != 201 {
		t.Fatalf("create %s: %d %s", ref, r.status, r.body)
	}
	return field(idRE, r.body), field(domainRE, r.body)
}

// edgeLogsWait waits until distribution id is Deployed, then asks the
// edge for it and wants status. Waiting for the edge to answer want
// instead is not enough: a domain the edge does not know yet gets a 403
// too, unlogged, as CloudFront answers an unknown Host.
func edgeLogsWait(t *testing.T, c *apiClient, edgeAddr, id, domain string, want int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for field(statusRE, c.must(t, "GET", "/2020-05-31/distribution/"+id, "").body) != "Deployed" {
		if time.Now().After(deadline) {
			t.Fatalf("%s not Deployed within 10 s", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
	res, body := viewer(t, "http", edgeAddr, domain, "GET", "/geo.txt")
	if res.StatusCode != want {
		t.Fatalf("%s, Deployed: %d %q, want %d", domain, res.StatusCode, body, want)
	}
	return body
}

// edgeLogsLines waits for n lines of distribution id's access logs.
func edgeLogsLines(t *testing.T, dir, id string, n int) [][]string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		lines := readLogs(t, dir, id)
		if len(lines) >= n {
			var out [][]string
			for _, l := range lines {
				out = append(out, strings.Split(l, "\t"))
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d log lines of %s, want %d", len(lines), id, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestEdgeLogsGeoRestriction: the real binary with --geoip-db (a database
// the test writes: 127.0.0.1 is in FR) serves a whitelist of FR to the
// loopback viewer and refuses a whitelist of US with CloudFront's 403,
// logged in the standard format (33 fields) as ClientGeoBlocked.
func TestEdgeLogsGeoRestriction(t *testing.T) {
	db := geoiptest.Write(t, map[string]string{"127.0.0.1/32": "FR"})
	c, edgeAddr, logs := edgeLogsServe(t, "--geoip-db", db)
	o := newOrigin(t)
	usID, usDomain := edgeLogsCreate(t, c, o, "geo-us", "whitelist", "US")
	frID, frDomain := edgeLogsCreate(t, c, o, "geo-fr", "whitelist", "FR")
	blID, blDomain := edgeLogsCreate(t, c, o, "geo-bl", "blacklist", "FR", "DE")
	if body := edgeLogsWait(t, c, edgeAddr, frID, frDomain, 200); !strings.Contains(body, "path=/geo.txt") {
		t.Fatalf("FR whitelist: %q", body)
	}
	edgeLogsWait(t, c, edgeAddr, usID, usDomain, 403)
	edgeLogsWait(t, c, edgeAddr, blID, blDomain, 403)
	if n := o.count("/geo.txt"); n != 1 {
		t.Fatalf("the origin was asked %d times, want once (the refused viewers never reach it)", n)
	}
	for _, id := range []string{usID, blID} {
		f := edgeLogsLines(t, filepath.Join(logs, "logs", "geo"), id, 1)[0]
		if len(f) != 33 || f[8] != "403" || f[13] != "Error" || f[28] != "ClientGeoBlocked" || f[4] != "127.0.0.1" {
			t.Errorf("%s: log line %q: want 33 fields, 403, Error, ClientGeoBlocked", id, f)
		}
	}
}

// TestEdgeLogsNoGeoDatabase: without --geoip-db, a restricted
// distribution answers 403 to everyone (never served unrestricted) while
// an unrestricted one is served; --log-format 2012 writes 15 fields.
func TestEdgeLogsNoGeoDatabase(t *testing.T) {
	c, edgeAddr, logs := edgeLogsServe(t, "--log-format", "2012")
	o := newOrigin(t)
	blID, blDomain := edgeLogsCreate(t, c, o, "geo-bl", "blacklist", "ZZ")
	openID, openDomain := edgeLogsCreate(t, c, o, "geo-none", "none")
	edgeLogsWait(t, c, edgeAddr, openID, openDomain, 200)
	edgeLogsWait(t, c, edgeAddr, blID, blDomain, 403)
	if n := o.count("/geo.txt"); n != 1 {
		t.Fatalf("the origin was asked %d times, want once", n)
	}
	f := edgeLogsLines(t, filepath.Join(logs, "logs", "geo"), blID, 1)[0]
	if len(f) != 15 || f[8] != "403" || f[13] != "Error" {
		t.Errorf("log line %q: want the 2012 layout's 15 fields, 403, Error", f)
	}
}
