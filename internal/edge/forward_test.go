package edge

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// TestForwardingAndCacheKey sends two requests per case and checks what
// the origin saw and whether the second was served from cache.
func TestForwardingAndCacheKey(t *testing.T) {
	tests := []struct {
		name       string
		query      bool
		cookies    string
		whitelist  []string
		first      [2]string // path, Cookie
		second     [2]string
		wantQuery  string // query the origin saw on the first request
		wantCookie string // Cookie the origin saw on the first request
		secondHit  bool
	}{
		{name: "query off strips it", first: [2]string{"/a?x=1", ""}, second: [2]string{"/a?x=2", ""},
			wantQuery: "", secondHit: true},
		{name: "query on keys it", query: true, first: [2]string{"/a?x=1", ""}, second: [2]string{"/a?x=2", ""},
			wantQuery: "x=1", secondHit: false},
		{name: "query on, same query hits", query: true, first: [2]string{"/a?x=1&y=2", ""}, second: [2]string{"/a?x=1&y=2", ""},
			wantQuery: "x=1&y=2", secondHit: true},
		{name: "query order matters", query: true, first: [2]string{"/a?a=1&b=2", ""}, second: [2]string{"/a?b=2&a=1", ""},
			wantQuery: "a=1&b=2", secondHit: false},
		{name: "query case matters", query: true, first: [2]string{"/a?a=1", ""}, second: [2]string{"/a?A=1", ""},
			wantQuery: "a=1", secondHit: false},
		{name: "cookies none", cookies: cloudfront.ForwardNone, first: [2]string{"/c", "s=1"}, second: [2]string{"/c", "s=2"},
			wantCookie: "", secondHit: true},
		{name: "cookies whitelist keeps listed", cookies: cloudfront.ForwardWhitelist, whitelist: []string{"s"},
			first: [2]string{"/c", "t=9; s=1"}, second: [2]string{"/c", "s=1; t=8"}, wantCookie: "s=1", secondHit: true},
		{name: "cookies whitelist value splits", cookies: cloudfront.ForwardWhitelist, whitelist: []string{"s"},
			first: [2]string{"/c", "s=1"}, second: [2]string{"/c", "s=2"}, wantCookie: "s=1", secondHit: false},
		{name: "cookies whitelist is case-sensitive", cookies: cloudfront.ForwardWhitelist, whitelist: []string{"s"},
			first: [2]string{"/c", "S=1"}, second: [2]string{"/c", ""}, wantCookie: "", secondHit: true},
		{name: "cookies all sorted", cookies: cloudfront.ForwardAll,
			first: [2]string{"/c", "b=2; a=1"}, second: [2]string{"/c", "a=1; b=2"}, wantCookie: "a=1; b=2", secondHit: true},
		{name: "cookies all value splits", cookies: cloudfront.ForwardAll,
			first: [2]string{"/c", "a=1"}, second: [2]string{"/c", "a=2"}, wantCookie: "a=1", secondHit: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, text("ok"))
			e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
				c.DefaultCacheBehavior.QueryString = tt.query
				if tt.cookies != "" {
					c.DefaultCacheBehavior.Cookies = cloudfront.CookiePreference{Forward: tt.cookies, WhitelistedNames: tt.whitelist}
				}
			}))
			send := func(pc [2]string) response {
				if pc[1] == "" {
					return e.get(t, "d1.cloudfront.test", pc[0])
				}
				return e.get(t, "d1.cloudfront.test", pc[0], "Cookie", pc[1])
			}
			send(tt.first)
			last := o.lastRequest()
			if last.URL.RawQuery != tt.wantQuery {
				t.Errorf("origin query = %q, want %q", last.URL.RawQuery, tt.wantQuery)
			}
			if c := last.Header.Get("Cookie"); c != tt.wantCookie {
				t.Errorf("origin Cookie = %q, want %q", c, tt.wantCookie)
			}
			r := send(tt.second)
			if hit := r.Header.Get("X-Cache") == "Hit from cloudfront"; hit != tt.secondHit {
				t.Errorf("second request X-Cache = %q, want hit=%v", r.Header.Get("X-Cache"), tt.secondHit)
			}
		})
	}
}

func TestSetCookie(t *testing.T) {
	tests := []struct {
		name       string
		forward    string
		whitelist  []string
		viewer     string // Cookie sent on the miss
		cacheCtl   string
		wantMiss   []string // Set-Cookie names the fetching viewer gets
		wantHitSet []string // Set-Cookie names a later hit gets
	}{
		{name: "none removes all", forward: cloudfront.ForwardNone, viewer: "a=1",
			wantMiss: nil, wantHitSet: nil},
		{name: "whitelist caches listed", forward: cloudfront.ForwardWhitelist, whitelist: []string{"a"}, viewer: "a=1",
			wantMiss: []string{"a", "b"}, wantHitSet: []string{"a"}},
		{name: "all caches those sent", forward: cloudfront.ForwardAll, viewer: "b=1",
			wantMiss: []string{"a", "b"}, wantHitSet: []string{"b"}},
		{name: "no-cache=Set-Cookie", forward: cloudfront.ForwardAll, viewer: "b=1", cacheCtl: `no-cache="Set-Cookie"`,
			wantMiss: []string{"a", "b"}, wantHitSet: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := []string{"Set-Cookie", "a=1; Path=/", "Set-Cookie", "b=2"}
			if tt.cacheCtl != "" {
				hdr = append(hdr, "Cache-Control", tt.cacheCtl)
			}
			o := newOrigin(t, text("ok", hdr...))
			e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
				c.DefaultCacheBehavior.Cookies = cloudfront.CookiePreference{Forward: tt.forward, WhitelistedNames: tt.whitelist}
			}))
			miss := e.get(t, "d1.cloudfront.test", "/c", "Cookie", tt.viewer)
			if got := setCookieNames(miss.Header); !slices.Equal(got, tt.wantMiss) {
				t.Errorf("miss Set-Cookie = %v, want %v", got, tt.wantMiss)
			}
			hit := e.get(t, "d1.cloudfront.test", "/c", "Cookie", tt.viewer)
			if hit.Header.Get("X-Cache") != "Hit from cloudfront" {
				t.Fatalf("second request: X-Cache = %q", hit.Header.Get("X-Cache"))
			}
			if got := setCookieNames(hit.Header); !slices.Equal(got, tt.wantHitSet) {
				t.Errorf("hit Set-Cookie = %v, want %v", got, tt.wantHitSet)
			}
		})
	}
}

func setCookieNames(h http.Header) []string {
	var names []string
	for _, v := range h["Set-Cookie"] {
		names = append(names, setCookieName(v))
	}
	slices.Sort(names)
	return names
}

func TestOriginRequestHeaders(t *testing.T) {
	o := newOrigin(t, text("ok"))
	e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.Origins[0].DomainName = "localhost"
	}))
	r := e.get(t, "d1.cloudfront.test", "/h",
		"User-Agent", "Mozilla/5.0",
		"X-Forwarded-For", "203.0.113.9",
		"Accept", "text/html", "Accept-Language", "de", "Accept-Charset", "utf-8",
		"Referer", "http://example.com/", "Authorization", "Basic eDp5",
		"X-Real-IP", "1.2.3.4", "X-Forwarded-Proto", "https", "X-Edge-Thing", "1",
		"Accept-Encoding", "deflate, gzip;q=0.5",
		"Cookie", "a=1", "X-Custom", "kept", "Cache-Control", "no-cache",
		"If-None-Match", `"v1"`, "Range", "bytes=0-1")
	if r.StatusCode != http.StatusPartialContent {
		t.Fatalf("status %d, want 206 from the cached object", r.StatusCode)
	}
	got := o.lastRequest()
	wantHost := "localhost:" + strings.Split(hostOf(o.Server), ":")[1]
	checks := []struct{ header, want string }{
		{"Host", wantHost},
		{"User-Agent", "Amazon CloudFront"},
		{"X-Forwarded-For", "203.0.113.9, 127.0.0.1"},
		{"Via", "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)"},
		{"X-Amz-Cf-Id", r.Header.Get("X-Amz-Cf-Id")},
		{"Accept-Encoding", "gzip"},
		{"X-Custom", "kept"},
		{"Cache-Control", "no-cache"},
		{"Accept", ""}, {"Accept-Language", ""}, {"Accept-Charset", ""},
		{"Referer", ""}, {"Authorization", ""}, {"X-Real-Ip", ""},
		{"X-Forwarded-Proto", ""}, {"X-Edge-Thing", ""}, {"Cookie", ""},
		// Validators and Range are answered from the cached object; the
		// edge asks for the object's first part (parts.go).
		{"If-None-Match", ""}, {"Range", "bytes=0-" + strconv.Itoa(DefaultPartSize-1)},
	}
	for _, c := range checks {
		t.Run(c.header, func(t *testing.T) {
			v := got.Header.Get(c.header)
			if c.header == "Host" {
				v = got.Host
			}
			if v != c.want {
				t.Errorf("%s = %q, want %q", c.header, v, c.want)
			}
		})
	}
	if got.Proto != "HTTP/1.1" {
		t.Errorf("origin protocol %s, want HTTP/1.1", got.Proto)
	}
}

func TestResponseHeaders(t *testing.T) {
	o := newOrigin(t, text("body", "Via", "1.1 squid", "Server", "AmazonS3", "Trailer", "X-T",
		"Upgrade", "h2c", "Vary", "Accept-Encoding, User-Agent", "X-Amz-Meta-Color", "red", "Age", "99"))
	e := newEdge(t, Options{}, distribution(o.Server))
	miss := e.get(t, "d1.cloudfront.test", "/r")
	hit := e.get(t, "d1.cloudfront.test", "/r")
	e.clock.Advance(42e9)
	later := e.get(t, "d1.cloudfront.test", "/r")
	tests := []struct {
		name string
		r    response
		want map[string]string
	}{
		{"miss", miss, map[string]string{
			"X-Cache": "Miss from cloudfront", "Age": "", "Server": "AmazonS3",
			"Via":     "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)",
			"Trailer": "", "Upgrade": "", "Vary": "Accept-Encoding", "X-Amz-Meta-Color": "red",
		}},
		{"hit", hit, map[string]string{"X-Cache": "Hit from cloudfront", "Age": "0", "Server": "AmazonS3"}},
		{"hit later", later, map[string]string{"X-Cache": "Hit from cloudfront", "Age": "42"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.want {
				if got := tt.r.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if tt.r.body != "body" {
				t.Errorf("body %q", tt.r.body)
			}
		})
	}
	if hit.Header.Get("X-Amz-Cf-Id") == miss.Header.Get("X-Amz-Cf-Id") {
		t.Error("two requests share an X-Amz-Cf-Id")
	}
}
