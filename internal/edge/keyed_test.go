package edge

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

func secs(n int64) *int64 { return &n }

// TestTTLDefaultMax: the TTL table with DefaultTTL and MaxTTL (spec §4.1,
// "Later"; CloudFront's developer guide, "Managing how long content stays
// in the cache (expiration)"): the origin's TTL raised to MinTTL and
// capped at MaxTTL, DefaultTTL when the origin sends none.
func TestTTLDefaultMax(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	exp := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name          string
		hdr           []string
		min, def, max int64
		want          time.Duration
	}{
		{"no headers: DefaultTTL", nil, 0, 600, 3600, 600 * time.Second},
		{"no headers: DefaultTTL raised to MinTTL", nil, 900, 900, 3600, 900 * time.Second},
		{"max-age below MaxTTL", []string{"Cache-Control", "max-age=60"}, 0, 600, 3600, time.Minute},
		{"max-age above MaxTTL", []string{"Cache-Control", "max-age=86400"}, 0, 600, 3600, time.Hour},
		{"s-maxage above MaxTTL", []string{"Cache-Control", "max-age=1, s-maxage=7200"}, 0, 600, 3600, time.Hour},
		{"max-age below MinTTL", []string{"Cache-Control", "max-age=10"}, 120, 600, 3600, 2 * time.Minute},
		{"Expires above MaxTTL", []string{"Expires", exp(48 * time.Hour)}, 0, 600, 3600, time.Hour},
		{"Expires in range", []string{"Expires", exp(20 * time.Minute)}, 0, 600, 3600, 20 * time.Minute},
		{"no-store: MinTTL", []string{"Cache-Control", "no-store"}, 30, 600, 3600, 30 * time.Second},
		{"no-cache, MinTTL 0", []string{"Cache-Control", "no-cache"}, 0, 600, 3600, 0},
		{"MaxTTL 0 caps everything", []string{"Cache-Control", "max-age=600"}, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				h.Add(tt.hdr[i], tt.hdr[i+1])
			}
			cb := cacheBehavior("o")
			cb.MinTTL, cb.DefaultTTL, cb.MaxTTL = tt.min, secs(tt.def), secs(tt.max)
			d := cloudfront.Distribution{ID: "E1", Config: cloudfront.DistributionConfig{
				Origins:              []cloudfront.Origin{{ID: "o", DomainName: "o.example", Custom: &cloudfront.CustomOriginConfig{}}},
				DefaultCacheBehavior: cb, Enabled: true,
			}}
			cd, err := buildForm(&d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := cd.behaviors[0].ttl(h, now); got != tt.want {
				t.Fatalf("ttl = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestTTLDefaultMaxEndToEnd: with the injected clock, an object is a hit
// until its DefaultTTL (no caching headers) or MaxTTL (a longer max-age)
// ends, and goes to the origin after.
func TestTTLDefaultMaxEndToEnd(t *testing.T) {
	tests := []struct {
		name string
		cc   string
		ttl  time.Duration
	}{
		{"DefaultTTL", "", 90 * time.Second},
		{"MaxTTL", "max-age=86400", 300 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := text("x")
			if tt.cc != "" {
				h = text("x", "Cache-Control", tt.cc)
			}
			o := newOrigin(t, h)
			e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
				c.DefaultCacheBehavior.DefaultTTL = secs(90)
				c.DefaultCacheBehavior.MaxTTL = secs(300)
			}))
			e.get(t, "d1.cloudfront.test", "/t")
			e.clock.Advance(tt.ttl - time.Second)
			if x := e.get(t, "d1.cloudfront.test", "/t").Header.Get("X-Cache"); x != "Hit from cloudfront" {
				t.Fatalf("just before the TTL: X-Cache = %q", x)
			}
			e.clock.Advance(2 * time.Second)
			if x := e.get(t, "d1.cloudfront.test", "/t").Header.Get("X-Cache"); x == "Hit from cloudfront" {
				t.Fatalf("just after the TTL: X-Cache = %q", x)
			}
			if n := o.hits.Load(); n != 2 {
				t.Errorf("origin hits = %d, want 2", n)
			}
		})
	}
}

// headerEcho answers with the headers the origin got, one "Name: value"
// line each for the names asked, and its Host.
func headerEcho(names ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		fmt.Fprintf(&b, "Host: %s\n", r.Host)
		for _, n := range names {
			fmt.Fprintf(&b, "%s: %s\n", n, strings.Join(r.Header[http.CanonicalHeaderKey(n)], ","))
		}
		w.Write([]byte(b.String()))
	}
}

func withHeaders(h ...string) func(*cloudfront.DistributionConfig) {
	return func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.Headers = h
		c.Aliases = []string{"a.example.com", "b.example.com"}
	}
}

// TestForwardedHeaders: whitelisted headers reach the origin, even those
// the edge otherwise removes or replaces, and are in the cache key, so
// viewers sending other values get other objects (API reference, Headers:
// "CloudFront forwards the Product header to the origin and caches the
// response from the origin once for each header value"). Headers not
// listed keep the 2012 rule.
func TestForwardedHeaders(t *testing.T) {
	names := []string{"X-Product", "Accept-Language", "User-Agent", "X-Forwarded-Host", "Referer"}
	o := newOrigin(t, headerEcho(names...))
	e := newEdge(t, Options{}, distribution(o.Server, withHeaders("x-product", "Accept-Language", "User-Agent")))
	origin := hostOf(o.Server)
	tests := []struct {
		name string
		host string
		hdr  []string
		want string // the origin's answer
		hit  bool
	}{
		{"first", "d1.cloudfront.test", []string{"X-Product", "Acme", "Accept-Language", "fr", "User-Agent", "ua1", "X-Forwarded-Host", "evil", "Referer", "r"},
			"Host: " + origin + "\nX-Product: Acme\nAccept-Language: fr\nUser-Agent: ua1\nX-Forwarded-Host: \nReferer: \n", false},
		{"same values", "a.example.com", []string{"X-Product", "Acme", "Accept-Language", "fr", "User-Agent", "ua1", "Referer", "other"},
			"Host: " + origin + "\nX-Product: Acme\nAccept-Language: fr\nUser-Agent: ua1\nX-Forwarded-Host: \nReferer: \n", true},
		{"other product", "d1.cloudfront.test", []string{"X-Product", "Apex", "Accept-Language", "fr", "User-Agent", "ua1"},
			"Host: " + origin + "\nX-Product: Apex\nAccept-Language: fr\nUser-Agent: ua1\nX-Forwarded-Host: \nReferer: \n", false},
		{"other language", "d1.cloudfront.test", []string{"X-Product", "Acme", "Accept-Language", "de", "User-Agent", "ua1"},
			"Host: " + origin + "\nX-Product: Acme\nAccept-Language: de\nUser-Agent: ua1\nX-Forwarded-Host: \nReferer: \n", false},
		{"header absent", "d1.cloudfront.test", []string{"Accept-Language", "fr", "User-Agent", "ua1"},
			"Host: " + origin + "\nX-Product: \nAccept-Language: fr\nUser-Agent: ua1\nX-Forwarded-Host: \nReferer: \n", false},
		{"header empty", "d1.cloudfront.test", []string{"X-Product", "", "Accept-Language", "fr", "User-Agent", "ua1"},
			"Host: " + origin + "\nX-Product: \nAccept-Language: fr\nUser-Agent: ua1\nX-Forwarded-Host: \nReferer: \n", false},
		{"two values", "d1.cloudfront.test", []string{"X-Product", "Acme", "X-Product", "Apex", "Accept-Language", "fr", "User-Agent", "ua1"},
			"Host: " + origin + "\nX-Product: Acme,Apex\nAccept-Language: fr\nUser-Agent: ua1\nX-Forwarded-Host: \nReferer: \n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, tt.host, "/h", tt.hdr...)
			if r.body != tt.want {
				t.Errorf("origin answered\n%s\nwant\n%s", r.body, tt.want)
			}
			hit := r.Header.Get("X-Cache") == "Hit from cloudfront"
			if hit != tt.hit {
				t.Errorf("X-Cache = %q, want hit %v", r.Header.Get("X-Cache"), tt.hit)
			}
		})
	}
}

// TestForwardHost: with Host whitelisted, a custom origin gets the
// viewer's Host, and each of the distribution's names is its own object.
func TestForwardHost(t *testing.T) {
	o := newOrigin(t, headerEcho())
	e := newEdge(t, Options{}, distribution(o.Server, withHeaders("Host")))
	for i, host := range []string{"a.example.com", "b.example.com", "a.example.com"} {
		r := e.get(t, host, "/h")
		if r.body != "Host: "+host+"\n" {
			t.Errorf("%s: origin answered %q", host, r.body)
		}
		if hit := r.Header.Get("X-Cache") == "Hit from cloudfront"; hit != (i == 2) {
			t.Errorf("%s (%d): X-Cache = %q", host, i, r.Header.Get("X-Cache"))
		}
	}
}

// TestForwardAllHeaders: Headers "*" forwards every viewer header, the
// Host included, and caches nothing (API reference, Headers: "If you
// configure CloudFront to forward all headers to your origin, CloudFront
// doesn't cache the objects associated with this cache behavior").
// Hop-by-hop headers and the edge's own stay the edge's.
func TestForwardAllHeaders(t *testing.T) {
	names := []string{"Accept-Language", "X-Forwarded-Host", "User-Agent", "Authorization", "Via", "X-Amz-Cf-Id", "Cookie"}
	o := newOrigin(t, headerEcho(names...))
	e := newEdge(t, Options{}, distribution(o.Server, withHeaders("*")))
	for range 2 {
		r := e.get(t, "a.example.com", "/all", "Accept-Language", "fr", "X-Forwarded-Host", "x.example", "User-Agent", "ua",
			"Authorization", "Basic x", "Via", "1.1 someone", "Cookie", "a=1")
		lines := strings.Split(r.body, "\n")
		want := []string{"Host: a.example.com", "Accept-Language: fr", "X-Forwarded-Host: x.example", "User-Agent: ua", "Authorization: Basic x"}
		for i, w := range want {
			if lines[i] != w {
				t.Errorf("origin got %q, want %q", lines[i], w)
			}
		}
		if !strings.HasSuffix(lines[5], "(CloudFront)") || len(lines[6]) != len("X-Amz-Cf-Id: ")+56 || lines[7] != "Cookie: " {
			t.Errorf("edge-owned headers from the viewer reached the origin: %q", lines[5:8])
		}
		if x := r.Header.Get("X-Cache"); x != "Miss from cloudfront" {
			t.Errorf("X-Cache = %q", x)
		}
	}
	if n := o.hits.Load(); n != 2 {
		t.Errorf("origin hits = %d, want 2 (nothing cached)", n)
	}
}

// TestQueryStringCacheKeys: the whole query string reaches the origin and
// only the listed parameters are in the key (API reference,
// QueryStringCacheKeys; developer guide, "Forward all, cache based on
// allowlist").
func TestQueryStringCacheKeys(t *testing.T) {
	o := newOrigin(t, echo)
	e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.QueryString = true
		c.DefaultCacheBehavior.QueryStringCacheKeys = []string{"v", "size"}
	}))
	tests := []struct {
		query string
		want  string // the answer: the query the origin got for this key
		hit   bool
	}{
		{"v=1&utm=a", "GET v=1&utm=a ", false},
		{"v=1&utm=b", "GET v=1&utm=a ", true},
		{"utm=c&v=1", "GET v=1&utm=a ", true},
		{"v=2&utm=a", "GET v=2&utm=a ", false},
		{"size=L&v=1", "GET size=L&v=1 ", false},
		{"v=1&size=L", "GET v=1&size=L ", false},
		// Names are case-sensitive: V is not v, so none of these three
		// has a keyed parameter and they share one object.
		{"V=1", "GET V=1 ", false},
		{"other=1", "GET V=1 ", true},
		{"", "GET V=1 ", true},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := e.get(t, "d1.cloudfront.test", "/q?"+tt.query)
			if r.body != tt.want {
				t.Errorf("answer %q, want %q", r.body, tt.want)
			}
			if hit := r.Header.Get("X-Cache") == "Hit from cloudfront"; hit != tt.hit {
				t.Errorf("X-Cache = %q, want hit %v", r.Header.Get("X-Cache"), tt.hit)
			}
		})
	}
}

func FuzzKeyedQuery(f *testing.F) {
	for _, s := range []string{"v=1&utm=a", "a&&b", "=&=", "v", "v=&v=2", "%76=1"} {
		f.Add(s)
	}
	keys := []string{"v", "size"}
	f.Fuzz(func(t *testing.T, q string) {
		k := keyedQuery(q, keys)
		if len(k) > len(q) {
			t.Fatalf("keyed %q longer than %q", k, q)
		}
		if k == "" {
			return
		}
		for part := range strings.SplitSeq(k, "&") {
			name, _, _ := strings.Cut(part, "=")
			if !contains(keys, name) {
				t.Fatalf("keyed %q of %q has %q", k, q, name)
			}
		}
	})
}
