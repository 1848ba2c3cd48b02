package edge

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/geoip"
	"github.com/openfront/openfront/internal/geoip/geoiptest"
)

// The rules these tests replay are the developer guide's "Control origin
// requests with a policy": what an origin request policy names reaches
// the origin beside the cache policy's parameters, and is not in the
// cache key; CloudFront-* headers are the edge's to add.

const testORPID = "0d1b2c3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"

// orpParams is an origin request policy, none of each unless set.
func orpParams(edit func(*cloudfront.OriginRequestPolicyConfig)) cloudfront.OriginRequestPolicyConfig {
	c := cloudfront.OriginRequestPolicyConfig{
		Name:         "test-orp",
		Headers:      paramSet(cloudfront.ParamsNone),
		Cookies:      paramSet(cloudfront.ParamsNone),
		QueryStrings: paramSet(cloudfront.ParamsNone),
	}
	if edit != nil {
		edit(&c)
	}
	return c
}

// withORP gives the default behaviour an origin request policy (after
// withPolicy, which gives it its cache policy).
func withORP(c cloudfront.OriginRequestPolicyConfig) func(*cloudfront.DistributionConfig) {
	return func(d *cloudfront.DistributionConfig) {
		d.DefaultCacheBehavior.OriginRequestPolicyID = testORPID
		d.DefaultCacheBehavior.OriginRequestPolicy = &c
	}
}

// TestOriginRequestPolicyQueryStrings: the origin gets the viewer's
// parameters that the cache policy keys or the origin request policy
// names, in the viewer's order, and objects are keyed by the cache
// policy's alone: a request differing only in the policy's parameters is
// a hit, with the answer to the first.
func TestOriginRequestPolicyQueryStrings(t *testing.T) {
	tests := []struct {
		name     string
		key, orp cloudfront.ParamSet
		signed   bool
		steps    []policyStep
	}{
		{"key none, orp whitelist", paramSet(cloudfront.ParamsNone), paramSet(cloudfront.ParamsWhitelist, "utm", "ref"), false, []policyStep{
			{path: "/q?v=1&utm=a&ref=x", want: "GET utm=a&ref=x "},
			{path: "/q?v=2&utm=b", want: "GET utm=a&ref=x ", hit: true},
			{path: "/q", want: "GET utm=a&ref=x ", hit: true},
		}},
		{"key whitelist, orp whitelist", paramSet(cloudfront.ParamsWhitelist, "v"), paramSet(cloudfront.ParamsWhitelist, "utm"), false, []policyStep{
			{path: "/q?x=9&v=1&utm=a", want: "GET v=1&utm=a "},
			{path: "/q?utm=b&v=1", want: "GET v=1&utm=a ", hit: true},
			{path: "/q?v=2&utm=a", want: "GET v=2&utm=a "},
			{path: "/q?UTM=a&v=3", want: "GET v=3 "},
		}},
		{"key whitelist, orp allExcept", paramSet(cloudfront.ParamsWhitelist, "v"), paramSet(cloudfront.ParamsAllExcept, "secret"), false, []policyStep{
			{path: "/q?b=2&secret=s&v=1", want: "GET b=2&v=1 "},
			{path: "/q?v=1", want: "GET b=2&v=1 ", hit: true},
			{path: "/q?secret=s", want: "GET  "},
		}},
		{"key whitelist, orp all", paramSet(cloudfront.ParamsWhitelist, "v"), paramSet(cloudfront.ParamsAll), false, []policyStep{
			{path: "/q?b=2&secret=s&v=1", want: "GET b=2&secret=s&v=1 "},
			{path: "/q?v=1&c=3", want: "GET b=2&secret=s&v=1 ", hit: true},
		}},
		{"key allExcept, orp names the excluded", paramSet(cloudfront.ParamsAllExcept, "utm"), paramSet(cloudfront.ParamsWhitelist, "utm"), false, []policyStep{
			{path: "/q?utm=a&v=1", want: "GET utm=a&v=1 "},
			{path: "/q?v=1&utm=b", want: "GET utm=a&v=1 ", hit: true},
			{path: "/q?v=1", want: "GET utm=a&v=1 ", hit: true},
		}},
		{"key all, orp whitelist", paramSet(cloudfront.ParamsAll), paramSet(cloudfront.ParamsWhitelist, "x"), false, []policyStep{
			{path: "/q?a=1&x=2", want: "GET a=1&x=2 "},
			{path: "/q?a=1", want: "GET a=1 "},
		}},
		{"orp none: the cache policy's", paramSet(cloudfront.ParamsWhitelist, "v"), paramSet(cloudfront.ParamsNone), false, []policyStep{
			{path: "/q?v=1&utm=a", want: "GET v=1 "},
		}},
		{"signed URL: its parameters never reach the origin", paramSet(cloudfront.ParamsWhitelist, "v"), paramSet(cloudfront.ParamsAll), true, []policyStep{
			{path: "/q?v=1&Expires=1&Signature=s&Key-Pair-Id=k&utm=a", want: "GET v=1&utm=a "},
			{path: "/q?v=1&Policy=p&Signature=t", want: "GET v=1&utm=a ", hit: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, echo)
			e := newEdge(t, Options{}, distribution(o.Server,
				withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) { p.QueryStrings = tt.key })),
				withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) { c.QueryStrings = tt.orp })),
				func(c *cloudfront.DistributionConfig) {
					if tt.signed {
						c.DefaultCacheBehavior.TrustedSigners = cloudfront.TrustedSigners{Enabled: true, Items: []string{"self"}}
					}
				}))
			runPolicySteps(t, e, "d1.cloudfront.test", tt.steps)
		})
	}
}

// TestOriginRequestPolicyCookies: the origin gets the cookies that the
// cache policy keys or the origin request policy names, sorted by name;
// the key has the cache policy's only.
func TestOriginRequestPolicyCookies(t *testing.T) {
	tests := []struct {
		name     string
		key, orp cloudfront.ParamSet
		steps    []policyStep
	}{
		{"key none, orp whitelist", paramSet(cloudfront.ParamsNone), paramSet(cloudfront.ParamsWhitelist, "sess"), []policyStep{
			{path: "/c", hdr: cookieHdr("a=1; sess=s1"), want: "Cookie: sess=s1"},
			{path: "/c", hdr: cookieHdr("sess=s2"), want: "Cookie: sess=s1", hit: true},
			{path: "/c", want: "Cookie: sess=s1", hit: true},
		}},
		{"key whitelist, orp allExcept", paramSet(cloudfront.ParamsWhitelist, "lang"), paramSet(cloudfront.ParamsAllExcept, "track"), []policyStep{
			{path: "/c", hdr: cookieHdr("track=t; lang=fr; sess=1"), want: "Cookie: lang=fr; sess=1"},
			{path: "/c", hdr: cookieHdr("lang=fr; sess=2"), want: "Cookie: lang=fr; sess=1", hit: true},
			{path: "/c", hdr: cookieHdr("lang=de; track=t"), want: "Cookie: lang=de"},
		}},
		{"key whitelist, orp all", paramSet(cloudfront.ParamsWhitelist, "lang"), paramSet(cloudfront.ParamsAll), []policyStep{
			{path: "/c", hdr: cookieHdr("b=2; lang=fr; a=1"), want: "Cookie: a=1; b=2; lang=fr"},
			{path: "/c", hdr: cookieHdr("lang=fr"), want: "Cookie: a=1; b=2; lang=fr", hit: true},
		}},
		{"orp none: the cache policy's", paramSet(cloudfront.ParamsWhitelist, "lang"), paramSet(cloudfront.ParamsNone), []policyStep{
			{path: "/c", hdr: cookieHdr("lang=fr; a=1"), want: "Cookie: lang=fr"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, cookieEcho)
			e := newEdge(t, Options{}, distribution(o.Server,
				withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) { p.Cookies = tt.key })),
				withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) { c.Cookies = tt.orp }))))
			runPolicySteps(t, e, "d1.cloudfront.test", tt.steps)
		})
	}
}

// TestOriginRequestPolicySetCookie: with cookies the key does not have
// forwarded, the fetching viewer gets the origin's Set-Cookie and the
// cached object keeps none of it.
func TestOriginRequestPolicySetCookie(t *testing.T) {
	o := newOrigin(t, text("ok", "Set-Cookie", "sess=new"))
	e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(nil)),
		withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) {
			c.Cookies = paramSet(cloudfront.ParamsWhitelist, "sess")
		}))))
	miss := e.get(t, "d1.cloudfront.test", "/c", "Cookie", "sess=old")
	if got := setCookieNames(miss.Header); !slices.Equal(got, []string{"sess"}) {
		t.Errorf("miss Set-Cookie = %v, want [sess]", got)
	}
	hit := e.get(t, "d1.cloudfront.test", "/c", "Cookie", "sess=other")
	if hit.Header.Get("X-Cache") != "Hit from cloudfront" {
		t.Fatalf("second request: X-Cache = %q", hit.Header.Get("X-Cache"))
	}
	if got := setCookieNames(hit.Header); len(got) != 0 {
		t.Errorf("hit Set-Cookie = %v, want none", got)
	}
}

// headerStep is one request of TestOriginRequestPolicyHeaders: the
// headers the origin should get ("" for none), and its Host ("viewer" or
// "origin").
type headerStep struct {
	hdr  []string
	want map[string]string
	host string
	hit  bool
}

// TestOriginRequestPolicyHeaders: the origin gets the cache policy's
// keyed headers and the origin request policy's, never the edge's own,
// the viewer's CloudFront-* or Accept-Encoding, and Authorization only
// where nothing is cached; the routing headers only where they cannot
// poison a shared object. A request differing only in the policy's
// headers is a hit.
func TestOriginRequestPolicyHeaders(t *testing.T) {
	names := []string{"X-Product", "X-Custom", "User-Agent", "Referer", "X-Forwarded-Host", "X-Real-Ip",
		"Authorization", "Accept-Encoding", "CloudFront-Forwarded-Proto", "CloudFront-Viewer-Http-Version", "Via"}
	full := []string{"X-Product", "Acme", "X-Custom", "c1", "User-Agent", "ua1", "Referer", "r1",
		"X-Forwarded-Host", "evil.example", "X-Real-IP", "10.0.0.1", "Authorization", "Basic eA==",
		"Accept-Encoding", "gzip, br", "CloudFront-Forwarded-Proto", "https", "Via", "1.1 spoof"}
	other := []string{"X-Product", "Acme", "X-Custom", "c2", "User-Agent", "ua2", "Referer", "r2"}
	via := "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)"
	tests := []struct {
		name     string
		orp      cloudfront.ParamSet
		disabled bool // the cache policy's MaxTTL is 0
		steps    []headerStep
	}{
		{"none: the keyed ones", paramSet(cloudfront.ParamsNone), false, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "User-Agent": "Amazon CloudFront", "Accept-Encoding": "gzip", "Via": via}, "origin", false},
		}},
		{"whitelist", paramSet(cloudfront.ParamsWhitelist, "x-custom", "Referer", "User-Agent", "Accept-Encoding", "Via"), false, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "X-Custom": "c1", "User-Agent": "ua1", "Referer": "r1", "Accept-Encoding": "gzip", "Via": via}, "origin", false},
			{other, map[string]string{"X-Product": "Acme", "X-Custom": "c1", "User-Agent": "ua1", "Referer": "r1", "Accept-Encoding": "gzip", "Via": via}, "origin", true},
		}},
		{"whitelist names a routing header and Host", paramSet(cloudfront.ParamsWhitelist, "X-Forwarded-Host", "Host"), false, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "X-Forwarded-Host": "evil.example", "User-Agent": "Amazon CloudFront", "Accept-Encoding": "gzip", "Via": via}, "viewer", false},
		}},
		{"allViewer", paramSet(cloudfront.ParamsAllViewer), false, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "X-Custom": "c1", "User-Agent": "ua1", "Referer": "r1", "Accept-Encoding": "gzip", "Via": via}, "viewer", false},
			{other, map[string]string{"X-Product": "Acme", "X-Custom": "c1", "User-Agent": "ua1", "Referer": "r1", "Accept-Encoding": "gzip", "Via": via}, "viewer", true},
		}},
		{"allViewer, caching disabled", paramSet(cloudfront.ParamsAllViewer), true, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "X-Custom": "c1", "User-Agent": "ua1", "Referer": "r1", "X-Forwarded-Host": "evil.example",
				"Authorization": "Basic eA==", "Accept-Encoding": "gzip", "Via": via}, "viewer", false},
		}},
		{"allExcept", paramSet(cloudfront.ParamsAllExcept, "x-custom", "Host", "User-Agent"), false, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "Referer": "r1", "User-Agent": "Amazon CloudFront", "Accept-Encoding": "gzip", "Via": via}, "origin", false},
		}},
		{"allExcept, caching disabled, Authorization excepted", paramSet(cloudfront.ParamsAllExcept, "Authorization"), true, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "X-Custom": "c1", "User-Agent": "ua1", "Referer": "r1", "X-Forwarded-Host": "evil.example",
				"Accept-Encoding": "gzip", "Via": via}, "viewer", false},
		}},
		{"allViewerAndWhitelistCloudFront", paramSet(cloudfront.ParamsAllViewerAndWhitelistCloudFront, "CloudFront-Forwarded-Proto", "cloudfront-viewer-http-version"), false, []headerStep{
			{full, map[string]string{"X-Product": "Acme", "X-Custom": "c1", "User-Agent": "ua1", "Referer": "r1", "Accept-Encoding": "gzip", "Via": via,
				"CloudFront-Forwarded-Proto": "http", "CloudFront-Viewer-Http-Version": "1.1"}, "viewer", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, headerEcho(names...))
			p := keyParams(func(p *cloudfront.CacheKeyParams) {
				p.Headers = paramSet(cloudfront.ParamsWhitelist, "X-Product")
				p.EnableAcceptEncodingGzip = true
			})
			if tt.disabled {
				p.DefaultTTL, p.MaxTTL = secs(0), secs(0)
			}
			e := newEdge(t, Options{}, distribution(o.Server, withPolicy(p),
				withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) { c.Headers = tt.orp }))))
			for i, st := range tt.steps {
				r := e.get(t, "d1.cloudfront.test", "/h", st.hdr...)
				if hit := r.Header.Get("X-Cache") == "Hit from cloudfront"; hit != st.hit {
					t.Errorf("step %d: X-Cache = %q, want hit %v", i, r.Header.Get("X-Cache"), st.hit)
				}
				host := hostOf(o.Server)
				if st.host == "viewer" {
					host = "d1.cloudfront.test"
				}
				var want strings.Builder
				fmt.Fprintf(&want, "Host: %s\n", host)
				for _, n := range names {
					fmt.Fprintf(&want, "%s: %s\n", n, st.want[n])
				}
				if r.body != want.String() {
					t.Errorf("step %d: origin got\n%s\nwant\n%s", i, r.body, want.String())
				}
			}
		})
	}
}

// viewerFrom requests url from the loopback address from, with headers
// (name, value pairs), so that the edge sees a TCP peer there.
func viewerFrom(t *testing.T, from, url string, hdr ...string) response {
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
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp, string(b)}
}

// testCountries is a GeoIP database: 127.0.0.1 in FR, 127.0.0.2 in US.
func testCountries(t *testing.T) *geoip.DB {
	t.Helper()
	db, err := geoip.Open(geoiptest.Write(t, map[string]string{"127.0.0.1/32": "FR", "127.0.0.2/32": "US"}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestOriginRequestPolicyCloudFrontHeaders: the CloudFront-* headers an
// origin request policy lists carry what the edge knows of the viewer
// (protocol, address and port, HTTP version, country from the GeoIP
// database); those it cannot compute are left out, and a viewer's own
// CloudFront-* headers, in any spelling, never reach the origin.
func TestOriginRequestPolicyCloudFrontHeaders(t *testing.T) {
	listed := []string{"CloudFront-Forwarded-Proto", "CloudFront-Viewer-Address", "CloudFront-Viewer-Country",
		"CloudFront-Viewer-Http-Version", "CloudFront-Is-Mobile-Viewer", "CloudFront-Viewer-City"}
	spoof := []string{"CloudFront-Viewer-Country", "KP", "CloudFront-Forwarded-Proto", "https",
		"CloudFront-Viewer-Address", "10.9.9.9:1", "Cloudfront_Viewer_Country", "KP", "CloudFront-Is-Mobile-Viewer", "true"}
	o := newOrigin(t, headerEcho(append(listed, "Cloudfront_Viewer_Country")...))
	orp := func(h cloudfront.ParamSet) func(*cloudfront.DistributionConfig) {
		return withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) { c.Headers = h }))
	}
	whitelist := distribution(o.Server, withPolicy(keyParams(nil)), orp(paramSet(cloudfront.ParamsWhitelist, listed...)))
	addr := regexp.MustCompile(`^127\.0\.0\.1:[0-9]+$`)

	check := func(t *testing.T, body string, want map[string]string) {
		t.Helper()
		got := map[string]string{}
		for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
			k, v, _ := strings.Cut(line, ": ")
			got[k] = v
		}
		for _, n := range append(listed, "Cloudfront_Viewer_Country") {
			w := want[n]
			if w == "<address>" {
				if !addr.MatchString(got[n]) {
					t.Errorf("%s = %q, want the viewer's 127.0.0.1:port", n, got[n])
				}
				continue
			}
			if got[n] != w {
				t.Errorf("%s = %q, want %q", n, got[n], w)
			}
		}
	}

	t.Run("HTTP, with a database", func(t *testing.T) {
		e := newEdge(t, Options{Countries: testCountries(t)}, whitelist)
		r := viewerFrom(t, "127.0.0.1", e.http.URL+"/a", spoof...)
		check(t, r.body, map[string]string{"CloudFront-Forwarded-Proto": "http", "CloudFront-Viewer-Address": "<address>",
			"CloudFront-Viewer-Country": "FR", "CloudFront-Viewer-Http-Version": "1.1"})
	})
	t.Run("HTTPS, without a database", func(t *testing.T) {
		e := newEdge(t, Options{}, whitelist)
		r := e.do(t, e.https, http.MethodGet, "d1.cloudfront.test", "/b", spoof...)
		check(t, r.body, map[string]string{"CloudFront-Forwarded-Proto": "https", "CloudFront-Viewer-Address": "<address>",
			"CloudFront-Viewer-Http-Version": "1.1"})
	})
	t.Run("allViewer: the viewer's are dropped, none added", func(t *testing.T) {
		e := newEdge(t, Options{Countries: testCountries(t)}, distribution(o.Server, withPolicy(keyParams(nil)), orp(paramSet(cloudfront.ParamsAllViewer))))
		r := viewerFrom(t, "127.0.0.1", e.http.URL+"/c", spoof...)
		check(t, r.body, nil)
	})
	t.Run("allExcept: the viewer's are dropped", func(t *testing.T) {
		e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(nil)), orp(paramSet(cloudfront.ParamsAllExcept, "X-Custom"))))
		r := e.get(t, "d1.cloudfront.test", "/d", spoof...)
		check(t, r.body, nil)
	})
	t.Run("legacy Headers *: the viewer's are dropped", func(t *testing.T) {
		e := newEdge(t, Options{}, distribution(o.Server, withHeaders("*")))
		r := e.get(t, "d1.cloudfront.test", "/e", spoof...)
		check(t, r.body, nil)
	})
}

// TestKeyedCloudFrontHeaderIsGenerated: a CloudFront-* header in the
// cache key (a cache policy's or ForwardedValues') is keyed and forwarded
// with the edge's value, so that a viewer can neither tell the origin it
// is elsewhere nor fetch, or fill, another country's object.
func TestKeyedCloudFrontHeaderIsGenerated(t *testing.T) {
	configs := map[string]func(*cloudfront.DistributionConfig){
		"cache policy": withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
			p.Headers = paramSet(cloudfront.ParamsWhitelist, "CloudFront-Viewer-Country")
		})),
		"ForwardedValues": func(c *cloudfront.DistributionConfig) {
			c.DefaultCacheBehavior.Headers = []string{"CloudFront-Viewer-Country"}
		},
	}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "country="+strings.Join(r.Header["Cloudfront-Viewer-Country"], ","))
			})
			e := newEdge(t, Options{Countries: testCountries(t)}, distribution(o.Server, cfg))
			steps := []struct {
				from, claim, want string
				hit               bool
			}{
				{"127.0.0.1", "US", "country=FR", false},
				{"127.0.0.2", "FR", "country=US", false},
				{"127.0.0.1", "US", "country=FR", true},
				{"127.0.0.2", "", "country=US", true},
				{"127.0.0.3", "FR", "country=", false}, // unknown address: no country, its own object
			}
			for i, st := range steps {
				var hdr []string
				if st.claim != "" {
					hdr = []string{"CloudFront-Viewer-Country", st.claim}
				}
				r := viewerFrom(t, st.from, e.http.URL+"/geo", hdr...)
				if r.body != st.want {
					t.Errorf("step %d (%s claiming %q): got %q, want %q", i, st.from, st.claim, r.body, st.want)
				}
				if hit := r.Header.Get("X-Cache") == "Hit from cloudfront"; hit != st.hit {
					t.Errorf("step %d: X-Cache = %q, want hit %v", i, r.Header.Get("X-Cache"), st.hit)
				}
			}
		})
	}
}

// TestOriginRequestPolicyCacheKey: objects are keyed by the cache policy
// alone, as CloudFront's design has it: viewers who differ in headers,
// cookies and parameters the origin request policy forwards get one
// object, the answer to the first of them; and the key is the one the
// cache policy makes, which an invalidation of the keyed query removes.
func TestOriginRequestPolicyCacheKey(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "q=%s custom=%s cookie=%s", r.URL.RawQuery, r.Header.Get("X-Custom"), r.Header.Get("Cookie"))
	})
	d := distribution(o.Server,
		withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) { p.QueryStrings = paramSet(cloudfront.ParamsWhitelist, "v") })),
		withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) {
			c.Headers = paramSet(cloudfront.ParamsWhitelist, "X-Custom")
			c.Cookies = paramSet(cloudfront.ParamsAll)
			c.QueryStrings = paramSet(cloudfront.ParamsAll)
		})))
	e := newEdge(t, Options{}, d)
	first := "q=v=1&u=1 custom=a cookie=s=1"
	runPolicySteps(t, e, "d1.cloudfront.test", []policyStep{
		{path: "/k?v=1&u=1", hdr: []string{"X-Custom", "a", "Cookie", "s=1"}, want: first},
		{path: "/k?u=2&v=1", hdr: []string{"X-Custom", "b", "Cookie", "s=2"}, want: first, hit: true},
		{path: "/k?v=1", want: first, hit: true},
	})
	if n := o.hits.Load(); n != 1 {
		t.Fatalf("origin hits = %d, want 1", n)
	}
	inv := []cloudfront.Invalidation{{ID: "I2", DistributionID: d.ID, Batch: cloudfront.InvalidationBatch{Paths: []string{"/k?v=1"}}}}
	if err := e.Apply(testSnapshot(2, d), inv); err != nil {
		t.Fatal(err)
	}
	runPolicySteps(t, e, "d1.cloudfront.test", []policyStep{
		{path: "/k?v=1&u=3", hdr: []string{"X-Custom", "c"}, want: "q=v=1&u=3 custom=c cookie="},
	})
}

// TestOriginRequestPolicyS3: an S3 origin keeps its own Host under
// allViewer, and gets neither the viewer's x-amz-* headers nor the
// parameters that override S3's response headers unless the cache policy
// keys them.
func TestOriginRequestPolicyS3(t *testing.T) {
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "host=%s q=%s amz=%s custom=%s", r.Host, r.URL.RawQuery, r.Header.Get("X-Amz-Security-Token"), r.Header.Get("X-Custom"))
	})
	opts := Options{S3: S3Options{Endpoint: fake.URL}}
	tests := []struct {
		name string
		key  cloudfront.ParamSet
		want string
	}{
		{"orp all", paramSet(cloudfront.ParamsWhitelist, "v"),
			"host=" + hostOf(fake.Server) + " q=v=1&x=2 amz= custom=c"},
		{"the key has response-content-type", paramSet(cloudfront.ParamsWhitelist, "v", "response-content-type"),
			"host=" + hostOf(fake.Server) + " q=v=1&response-content-type=text/html&x=2 amz= custom=c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s3Distribution("media.s3.amazonaws.com", "")
			withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) { p.QueryStrings = tt.key }))(&d.Config)
			withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) {
				c.Headers = paramSet(cloudfront.ParamsAllViewer)
				c.QueryStrings = paramSet(cloudfront.ParamsAll)
			}))(&d.Config)
			e := newS3Edge(t, opts, d)
			r := e.get(t, "d3.cloudfront.test",
				"/obj?v=1&response-content-type=text/html&Response-Content-Disposition=attachment&response%2Dexpires=0&x=2",
				"X-Amz-Security-Token", "token", "X-Custom", "c")
			if r.StatusCode != http.StatusOK || r.body != tt.want {
				t.Fatalf("%d %q, want %q", r.StatusCode, r.body, tt.want)
			}
		})
	}
}

// TestOriginRequestPolicyWithoutCachePolicy: an origin request policy
// goes only with a cache policy; a behaviour with legacy settings ignores
// one.
func TestOriginRequestPolicyWithoutCachePolicy(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "q="+r.URL.RawQuery+" host="+r.Host+" cookie="+r.Header.Get("Cookie"))
	})
	e := newEdge(t, Options{}, distribution(o.Server, withORP(orpParams(func(c *cloudfront.OriginRequestPolicyConfig) {
		c.Headers = paramSet(cloudfront.ParamsAllViewer)
		c.Cookies = paramSet(cloudfront.ParamsAll)
		c.QueryStrings = paramSet(cloudfront.ParamsAll)
	}))))
	r := e.get(t, "d1.cloudfront.test", "/x?a=1", "Cookie", "s=1")
	if want := "q= host=" + hostOf(o.Server) + " cookie="; r.body != want {
		t.Fatalf("origin answered %q, want %q", r.body, want)
	}
}

// TestOriginRequestPolicyHitAllocs: a hit of a behaviour with an origin
// request policy allocates what one without does (TestCachePolicyHitAllocs):
// what the policy adds is worked out on a miss; and a keyed
// CloudFront-Forwarded-Proto costs the key nothing either.
func TestOriginRequestPolicyHitAllocs(t *testing.T) {
	orp := orpParams(func(c *cloudfront.OriginRequestPolicyConfig) {
		c.Headers = paramSet(cloudfront.ParamsAllViewerAndWhitelistCloudFront, "CloudFront-Viewer-Address")
		c.Cookies = paramSet(cloudfront.ParamsAll)
		c.QueryStrings = paramSet(cloudfront.ParamsAll)
	})
	for _, tt := range []struct {
		name  string
		edits []func(*cloudfront.DistributionConfig)
	}{
		{"no origin request policy", nil},
		{"origin request policy", []func(*cloudfront.DistributionConfig){withORP(orp)}},
		{"origin request policy, keyed CloudFront-Forwarded-Proto", []func(*cloudfront.DistributionConfig){withORP(orp), func(c *cloudfront.DistributionConfig) {
			c.DefaultCacheBehavior.CachePolicy.Parameters.Headers = paramSet(cloudfront.ParamsWhitelist, "CloudFront-Forwarded-Proto")
		}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, text("ok"))
			s, err := New(Options{HostID: "0123456789abcdef0123456789abcdef"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			edits := append([]func(*cloudfront.DistributionConfig){withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
				p.QueryStrings = paramSet(cloudfront.ParamsAllExcept, "utm")
				p.Cookies = paramSet(cloudfront.ParamsWhitelist, "s")
				p.EnableAcceptEncodingGzip, p.EnableAcceptEncodingBrotli = true, true
			}))}, tt.edits...)
			if err := s.Apply(testSnapshot(1, distribution(o.Server, edits...)), nil); err != nil {
				t.Fatal(err)
			}
			r, _ := http.NewRequest(http.MethodGet, "/obj?v=1", nil)
			r.RequestURI, r.Host, r.RemoteAddr = "/obj?v=1", "d1.cloudfront.test", "192.0.2.1:1234"
			r.Header.Set("Accept-Encoding", "gzip, deflate, br")
			r.Header.Set("Cookie", "s=1; t=2")
			r.Header.Set("X-Custom", "c")
			if allocs := hitAllocs(s, r, warmUp(t, s, r)); allocs > 2 {
				t.Fatalf("a hit allocates %.1f times, want at most 2 (TestCachePolicyHitAllocs' count)", allocs)
			}
		})
	}
}

// TestGeneratedHeaderValues: the values the edge gives CloudFront headers,
// and the header names it takes for CloudFront's.
func TestGeneratedHeaderValues(t *testing.T) {
	tests := []struct {
		header, remote string
		major, minor   int
		want           string
		ok             bool
	}{
		{"Cloudfront-Viewer-Address", "198.51.100.10:46532", 1, 1, "198.51.100.10:46532", true},
		{"Cloudfront-Viewer-Address", "[2001:db8::1]:443", 2, 0, "2001:db8::1:443", true},
		{"Cloudfront-Viewer-Address", "[::ffff:192.0.2.1]:80", 1, 1, "192.0.2.1:80", true},
		{"Cloudfront-Viewer-Address", "pipe", 1, 1, "", false},
		{"Cloudfront-Viewer-Http-Version", "192.0.2.1:1", 1, 0, "1.0", true},
		{"Cloudfront-Viewer-Http-Version", "192.0.2.1:1", 2, 0, "2.0", true},
		{"Cloudfront-Viewer-Http-Version", "192.0.2.1:1", 3, 0, "3.0", true},
		{"Cloudfront-Forwarded-Proto", "192.0.2.1:1", 1, 1, "http", true},
		{"Cloudfront-Viewer-Country", "192.0.2.1:1", 1, 1, "", false}, // no database
		{"Cloudfront-Is-Mobile-Viewer", "192.0.2.1:1", 1, 1, "", false},
		{"Cloudfront-Viewer-Tls", "192.0.2.1:1", 1, 1, "", false},
	}
	for _, tt := range tests {
		r := &http.Request{RemoteAddr: tt.remote, ProtoMajor: tt.major, ProtoMinor: tt.minor}
		if got, ok := generatedHeader(tt.header, r, nil); got != tt.want || ok != tt.ok {
			t.Errorf("%s for %s HTTP/%d.%d = %q, %v; want %q, %v", tt.header, tt.remote, tt.major, tt.minor, got, ok, tt.want, tt.ok)
		}
	}
	for name, want := range map[string]bool{
		"Cloudfront-Viewer-Country": true, "CLOUDFRONT-X": true, "Cloudfront_viewer_country": true,
		"Cloudfront": false, "Cloudfront-": false, "Cloudfrontx-A": false, "X-Cloudfront-A": false,
	} {
		if got := cloudFrontHeader(name); got != want {
			t.Errorf("cloudFrontHeader(%q) = %v, want %v", name, got, want)
		}
	}
}
