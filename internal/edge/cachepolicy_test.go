package edge

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// The rules these tests replay are the API reference's
// ParametersInCacheKeyAndForwardedToOrigin: what a cache policy puts in
// the cache key is also what reaches the origin (with no origin request
// policy: originrequestpolicy_test.go), and the policy's TTLs replace the
// behaviour's.

// testPolicyID names the policy; the edge compiles the config the control
// plane resolved (CacheBehavior.CachePolicy), never the id.
const testPolicyID = "658327ea-f89d-4fab-a63d-7e88639e58f6"

// setPolicy gives cb a cache policy in place of its legacy settings.
func setPolicy(cb *cloudfront.CacheBehavior, p cloudfront.CachePolicyConfig) {
	cb.CachePolicyID = testPolicyID
	cb.CachePolicy = &p
	cb.QueryString, cb.Cookies, cb.Headers, cb.QueryStringCacheKeys = false, cloudfront.CookiePreference{}, nil, nil
	cb.MinTTL, cb.DefaultTTL, cb.MaxTTL = 0, nil, nil
}

// withPolicy gives the default behaviour a cache policy.
func withPolicy(p cloudfront.CachePolicyConfig) func(*cloudfront.DistributionConfig) {
	return func(c *cloudfront.DistributionConfig) { setPolicy(&c.DefaultCacheBehavior, p) }
}

func paramSet(behavior string, names ...string) cloudfront.ParamSet {
	return cloudfront.ParamSet{Behavior: behavior, Names: names}
}

// keyParams is a policy's parameters, none of each unless set.
func keyParams(edit func(*cloudfront.CacheKeyParams)) cloudfront.CachePolicyConfig {
	p := cloudfront.CacheKeyParams{
		Headers:      paramSet(cloudfront.ParamsNone),
		Cookies:      paramSet(cloudfront.ParamsNone),
		QueryStrings: paramSet(cloudfront.ParamsNone),
	}
	if edit != nil {
		edit(&p)
	}
	return cloudfront.CachePolicyConfig{Name: "test", Parameters: p}
}

// policyStep is one viewer request and what it should get: the origin's
// answer for its key (so a hit shows what the origin got for the request
// that filled the object), and whether it was a hit.
type policyStep struct {
	path string
	hdr  []string // name, value pairs
	want string
	hit  bool
}

func runPolicySteps(t *testing.T, e *testEdge, host string, steps []policyStep) {
	t.Helper()
	for i, st := range steps {
		r := e.get(t, host, st.path, st.hdr...)
		if r.body != st.want {
			t.Errorf("step %d (%s %q): origin answered %q, want %q", i, st.path, st.hdr, r.body, st.want)
		}
		if hit := r.Header.Get("X-Cache") == "Hit from cloudfront"; hit != st.hit {
			t.Errorf("step %d (%s %q): X-Cache = %q, want hit %v", i, st.path, st.hdr, r.Header.Get("X-Cache"), st.hit)
		}
	}
}

// TestCachePolicyQueryStrings: QueryStringsConfig none forwards and keys
// no query; whitelist only the listed parameters, allExcept all but them,
// all the whole query, in the viewer's order. Names are case-sensitive,
// and a signed URL's parameters are gone before the policy looks.
func TestCachePolicyQueryStrings(t *testing.T) {
	tests := []struct {
		name   string
		qs     cloudfront.ParamSet
		signed bool
		steps  []policyStep
	}{
		{"none", paramSet(cloudfront.ParamsNone), false, []policyStep{
			{path: "/q?a=1", want: "GET  "},
			{path: "/q?a=2", want: "GET  ", hit: true},
			{path: "/q", want: "GET  ", hit: true},
		}},
		{"whitelist", paramSet(cloudfront.ParamsWhitelist, "v", "size"), false, []policyStep{
			{path: "/q?v=1&utm=a", want: "GET v=1 "},
			{path: "/q?utm=b&v=1", want: "GET v=1 ", hit: true},
			{path: "/q?v=2", want: "GET v=2 "},
			{path: "/q?size=L&v=1", want: "GET size=L&v=1 "},
			{path: "/q?v=1&size=L", want: "GET v=1&size=L "},
			{path: "/q?V=1", want: "GET  "},
			{path: "/q?utm=c", want: "GET  ", hit: true},
			{path: "/q", want: "GET  ", hit: true},
		}},
		{"whitelist, empty list", paramSet(cloudfront.ParamsWhitelist), false, []policyStep{
			{path: "/q?v=1", want: "GET  "},
			{path: "/q?v=2", want: "GET  ", hit: true},
		}},
		{"allExcept", paramSet(cloudfront.ParamsAllExcept, "utm"), false, []policyStep{
			{path: "/q?v=1&utm=a", want: "GET v=1 "},
			{path: "/q?utm=b&v=1", want: "GET v=1 ", hit: true},
			{path: "/q?v=1", want: "GET v=1 ", hit: true},
			{path: "/q?v=1&UTM=a", want: "GET v=1&UTM=a "},
			{path: "/q?b=2&v=1", want: "GET b=2&v=1 "},
			{path: "/q?utm=a", want: "GET  "},
			{path: "/q", want: "GET  ", hit: true},
		}},
		{"all", paramSet(cloudfront.ParamsAll), false, []policyStep{
			{path: "/q?v=1&utm=a", want: "GET v=1&utm=a "},
			{path: "/q?v=1&utm=b", want: "GET v=1&utm=b "},
			{path: "/q?v=1&utm=a", want: "GET v=1&utm=a ", hit: true},
			{path: "/q?utm=a&v=1", want: "GET utm=a&v=1 "},
			{path: "/q", want: "GET  "},
		}},
		{"signed URL, allExcept", paramSet(cloudfront.ParamsAllExcept, "utm"), true, []policyStep{
			{path: "/q?v=1&Expires=1&Signature=s&Key-Pair-Id=k&utm=a", want: "GET v=1 "},
			{path: "/q?v=1&Policy=p&Signature=t", want: "GET v=1 ", hit: true},
		}},
		{"signed URL, whitelist naming Signature", paramSet(cloudfront.ParamsWhitelist, "v", "Signature"), true, []policyStep{
			{path: "/q?Signature=s&v=1", want: "GET v=1 "},
			{path: "/q?v=1", want: "GET v=1 ", hit: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, echo)
			e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
				p.QueryStrings = tt.qs
			})), func(c *cloudfront.DistributionConfig) {
				if tt.signed {
					// Without Options.SignedURLs nothing is checked; the
					// parameters are removed all the same.
					c.DefaultCacheBehavior.TrustedSigners = cloudfront.TrustedSigners{Enabled: true, Items: []string{"self"}}
				}
			}))
			runPolicySteps(t, e, "d1.cloudfront.test", tt.steps)
		})
	}
}

// cookieEcho answers with the Cookie header the origin got.
func cookieEcho(w http.ResponseWriter, r *http.Request) {
	io.WriteString(w, "Cookie: "+strings.Join(r.Header["Cookie"], ","))
}

func cookieHdr(v string) []string { return []string{"Cookie", v} }

// TestCachePolicyCookies: CookiesConfig none forwards and keys no cookie;
// whitelist the listed ones, allExcept all but the listed ones, all every
// one; forwarded cookies are sorted by name and names are case-sensitive.
func TestCachePolicyCookies(t *testing.T) {
	tests := []struct {
		name    string
		cookies cloudfront.ParamSet
		steps   []policyStep
	}{
		{"none", paramSet(cloudfront.ParamsNone), []policyStep{
			{path: "/c", hdr: cookieHdr("a=1"), want: "Cookie: "},
			{path: "/c", hdr: cookieHdr("a=2"), want: "Cookie: ", hit: true},
		}},
		{"whitelist", paramSet(cloudfront.ParamsWhitelist, "t", "s"), []policyStep{
			{path: "/c", hdr: cookieHdr("x=1; s=1"), want: "Cookie: s=1"},
			{path: "/c", hdr: cookieHdr("s=1; x=2"), want: "Cookie: s=1", hit: true},
			{path: "/c", hdr: cookieHdr("t=2; s=1"), want: "Cookie: s=1; t=2"},
			{path: "/c", hdr: cookieHdr("s=2"), want: "Cookie: s=2"},
			{path: "/c", hdr: cookieHdr("S=1"), want: "Cookie: "},
			{path: "/c", want: "Cookie: ", hit: true},
		}},
		{"allExcept", paramSet(cloudfront.ParamsAllExcept, "sess"), []policyStep{
			{path: "/c", hdr: cookieHdr("sess=1; a=1"), want: "Cookie: a=1"},
			{path: "/c", hdr: cookieHdr("a=1; sess=2"), want: "Cookie: a=1", hit: true},
			{path: "/c", hdr: cookieHdr("a=1"), want: "Cookie: a=1", hit: true},
			{path: "/c", hdr: cookieHdr("a=2"), want: "Cookie: a=2"},
			{path: "/c", hdr: cookieHdr("b=1; a=1; Sess=3"), want: "Cookie: Sess=3; a=1; b=1"},
			{path: "/c", hdr: cookieHdr("sess=1"), want: "Cookie: "},
			{path: "/c", want: "Cookie: ", hit: true},
		}},
		{"all", paramSet(cloudfront.ParamsAll), []policyStep{
			{path: "/c", hdr: cookieHdr("b=2; a=1"), want: "Cookie: a=1; b=2"},
			{path: "/c", hdr: cookieHdr("a=1; b=2"), want: "Cookie: a=1; b=2", hit: true},
			{path: "/c", hdr: cookieHdr("a=1"), want: "Cookie: a=1"},
			{path: "/c", hdr: cookieHdr("sess=1; a=1"), want: "Cookie: a=1; sess=1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, cookieEcho)
			e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
				p.Cookies = tt.cookies
			}))))
			runPolicySteps(t, e, "d1.cloudfront.test", tt.steps)
		})
	}
}

// TestCachePolicySetCookie: with allExcept the fetching viewer gets every
// Set-Cookie, and the cached object keeps only those of the cookies in
// its key, so an excluded (session) cookie is never served to others.
func TestCachePolicySetCookie(t *testing.T) {
	o := newOrigin(t, text("ok", "Set-Cookie", "a=1", "Set-Cookie", "sess=2", "Set-Cookie", "b=3"))
	e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
		p.Cookies = paramSet(cloudfront.ParamsAllExcept, "sess")
	}))))
	miss := e.get(t, "d1.cloudfront.test", "/c", "Cookie", "a=1; sess=1")
	if got := setCookieNames(miss.Header); !slices.Equal(got, []string{"a", "b", "sess"}) {
		t.Errorf("miss Set-Cookie = %v", got)
	}
	hit := e.get(t, "d1.cloudfront.test", "/c", "Cookie", "a=1; sess=9")
	if hit.Header.Get("X-Cache") != "Hit from cloudfront" {
		t.Fatalf("second request: X-Cache = %q", hit.Header.Get("X-Cache"))
	}
	if got := setCookieNames(hit.Header); !slices.Equal(got, []string{"a"}) {
		t.Errorf("hit Set-Cookie = %v, want [a]", got)
	}
}

// TestCachePolicyHeaders: HeadersConfig none forwards no viewer header,
// not even those a legacy behaviour forwards unkeyed (X-Custom);
// whitelist forwards and keys the listed ones (canonical names), headers
// the edge otherwise removes included, and nothing else.
func TestCachePolicyHeaders(t *testing.T) {
	names := []string{"X-Product", "Accept-Language", "User-Agent", "X-Custom", "Referer"}
	answer := func(product, lang, ua, custom string) func(origin string) string {
		return func(origin string) string {
			return "Host: " + origin + "\nX-Product: " + product + "\nAccept-Language: " + lang +
				"\nUser-Agent: " + ua + "\nX-Custom: " + custom + "\nReferer: \n"
		}
	}
	type step struct {
		hdr  []string
		want func(origin string) string
		hit  bool
	}
	tests := []struct {
		name    string
		headers cloudfront.ParamSet
		steps   []step
	}{
		{"none", paramSet(cloudfront.ParamsNone), []step{
			{[]string{"X-Product", "Acme", "Accept-Language", "fr", "User-Agent", "ua", "X-Custom", "c", "Referer", "r"},
				answer("", "", "Amazon CloudFront", ""), false},
			{[]string{"X-Product", "Apex", "Accept-Language", "de", "X-Custom", "d"},
				answer("", "", "Amazon CloudFront", ""), true},
		}},
		{"whitelist", paramSet(cloudfront.ParamsWhitelist, "x-product", "Accept-Language"), []step{
			{[]string{"X-Product", "Acme", "Accept-Language", "fr", "User-Agent", "ua", "X-Custom", "c", "Referer", "r"},
				answer("Acme", "fr", "Amazon CloudFront", ""), false},
			{[]string{"X-Product", "Acme", "Accept-Language", "fr", "X-Custom", "d"},
				answer("Acme", "fr", "Amazon CloudFront", ""), true},
			{[]string{"X-Product", "Apex", "Accept-Language", "fr"}, answer("Apex", "fr", "Amazon CloudFront", ""), false},
			{[]string{"X-Product", "Acme", "Accept-Language", "de"}, answer("Acme", "de", "Amazon CloudFront", ""), false},
			{[]string{"Accept-Language", "fr"}, answer("", "fr", "Amazon CloudFront", ""), false},
			{[]string{"X-Product", "", "Accept-Language", "fr"}, answer("", "fr", "Amazon CloudFront", ""), false},
		}},
		{"whitelist User-Agent", paramSet(cloudfront.ParamsWhitelist, "User-Agent"), []step{
			{[]string{"User-Agent", "ua1", "X-Custom", "c"}, answer("", "", "ua1", ""), false},
			{[]string{"User-Agent", "ua2"}, answer("", "", "ua2", ""), false},
			{[]string{"User-Agent", "ua1"}, answer("", "", "ua1", ""), true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, headerEcho(names...))
			e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
				p.Headers = tt.headers
			}))))
			origin := hostOf(o.Server)
			for i, st := range tt.steps {
				r := e.get(t, "d1.cloudfront.test", "/h", st.hdr...)
				if want := st.want(origin); r.body != want {
					t.Errorf("step %d: origin answered\n%s\nwant\n%s", i, r.body, want)
				}
				if hit := r.Header.Get("X-Cache") == "Hit from cloudfront"; hit != st.hit {
					t.Errorf("step %d: X-Cache = %q, want hit %v", i, r.Header.Get("X-Cache"), st.hit)
				}
			}
		})
	}
}

// TestCachePolicyHost: Host in a policy's headers sends a custom origin
// the viewer's Host, and each name of the distribution is its own object.
func TestCachePolicyHost(t *testing.T) {
	o := newOrigin(t, headerEcho())
	e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
		p.Headers = paramSet(cloudfront.ParamsWhitelist, "host")
	})), func(c *cloudfront.DistributionConfig) {
		c.Aliases = []string{"a.example.com", "b.example.com"}
	}))
	runPolicySteps(t, e, "a.example.com", []policyStep{{path: "/h", want: "Host: a.example.com\n"}})
	runPolicySteps(t, e, "b.example.com", []policyStep{{path: "/h", want: "Host: b.example.com\n"}})
	runPolicySteps(t, e, "a.example.com", []policyStep{{path: "/h", want: "Host: a.example.com\n", hit: true}})
	// Without Host in the policy the origin gets its own name, and the
	// names share the object.
	o2 := newOrigin(t, headerEcho())
	e2 := newEdge(t, Options{}, distribution(o2.Server, withPolicy(keyParams(nil)), func(c *cloudfront.DistributionConfig) {
		c.Aliases = []string{"a.example.com", "b.example.com"}
	}))
	runPolicySteps(t, e2, "a.example.com", []policyStep{{path: "/h", want: "Host: " + hostOf(o2.Server) + "\n"}})
	runPolicySteps(t, e2, "b.example.com", []policyStep{{path: "/h", want: "Host: " + hostOf(o2.Server) + "\n", hit: true}})
}

// TestCachePolicyTTLs: the policy's MinTTL, DefaultTTL and MaxTTL (and
// CloudFront's defaults for those left out) replace the behaviour's: an
// object is a hit until its TTL ends and goes to the origin after.
func TestCachePolicyTTLs(t *testing.T) {
	tests := []struct {
		name          string
		min           int64
		def, max      *int64 // nil: left out
		cacheControl  string
		ttl           time.Duration
		legacyDefault bool
	}{
		{"MinTTL raises a short max-age", 60, secs(120), secs(300), "max-age=1", 60 * time.Second, false},
		{"MinTTL raises no-cache", 60, secs(120), secs(300), "no-cache", 60 * time.Second, false},
		{"DefaultTTL without caching headers", 0, secs(120), secs(300), "", 120 * time.Second, false},
		{"max-age within the range", 0, secs(120), secs(300), "max-age=200", 200 * time.Second, false},
		{"MaxTTL caps a long max-age", 0, secs(120), secs(300), "max-age=86400", 300 * time.Second, false},
		{"defaults: DefaultTTL one day", 0, nil, nil, "", 24 * time.Hour, false},
		{"defaults: DefaultTTL raised to MinTTL", 2 * 86400, nil, nil, "", 2 * 24 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := text("x")
			if tt.cacheControl != "" {
				h = text("x", "Cache-Control", tt.cacheControl)
			}
			o := newOrigin(t, h)
			p := keyParams(nil)
			p.MinTTL, p.DefaultTTL, p.MaxTTL = tt.min, tt.def, tt.max
			e := newEdge(t, Options{}, distribution(o.Server, withPolicy(p), func(c *cloudfront.DistributionConfig) {
				// The policy's TTLs win over any the behaviour would have.
				c.DefaultCacheBehavior.MinTTL = 0
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

// TestCachePolicyCachingDisabled: a policy with MaxTTL 0 (as the managed
// CachingDisabled: all TTLs 0) caches nothing, errors included: every
// request goes to the origin, with the viewer's validators and Range,
// which the edge then does not answer itself.
func TestCachePolicyCachingDisabled(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.Error(w, "no", http.StatusNotFound)
			return
		}
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "body:"+r.URL.RawQuery+":"+r.Header.Get("Range"))
	})
	p := keyParams(func(p *cloudfront.CacheKeyParams) { p.QueryStrings = paramSet(cloudfront.ParamsAll) })
	p.DefaultTTL, p.MaxTTL = secs(0), secs(0)
	e := newEdge(t, Options{}, distribution(o.Server, withPolicy(p)))
	for i := range 3 {
		r := e.get(t, "d1.cloudfront.test", "/t?v=1")
		if x := r.Header.Get("X-Cache"); x != "Miss from cloudfront" || r.body != "body:v=1:" {
			t.Fatalf("request %d: X-Cache %q, body %q", i, x, r.body)
		}
	}
	for i := range 2 {
		if r := e.get(t, "d1.cloudfront.test", "/missing"); r.StatusCode != http.StatusNotFound || r.Header.Get("X-Cache") == "Hit from cloudfront" {
			t.Fatalf("404 %d: status %d, X-Cache %q", i, r.StatusCode, r.Header.Get("X-Cache"))
		}
	}
	if n := o.hits.Load(); n != 5 {
		t.Fatalf("origin hits = %d, want 5 (nothing cached)", n)
	}
	if r := e.get(t, "d1.cloudfront.test", "/t", "If-None-Match", `"v1"`); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want the origin's 304", r.StatusCode)
	}
	if r := e.get(t, "d1.cloudfront.test", "/t", "Range", "bytes=0-1"); r.body != "body::bytes=0-1" {
		t.Errorf("Range: origin answered %q, want it to get the viewer's Range", r.body)
	}
}

// TestCachePolicyUncachedBody: a method the behaviour does not cache
// takes its body to the origin with the headers that describe it, and
// Authorization as for every behaviour, but no other header the policy
// does not list.
func TestCachePolicyUncachedBody(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Got-Custom", r.Header.Get("X-Custom"))
		echo(w, r)
	})
	e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(nil)), withMethods(allSeven, nil)))
	req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/form?x=1", strings.NewReader("a=1"))
	req.Host = "d1.cloudfront.test"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic x")
	req.Header.Set("X-Custom", "c")
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The policy forwards no query string, for POST too.
	if string(b) != "POST  a=1" {
		t.Errorf("origin answered %q", b)
	}
	if got := resp.Header.Get("X-Got-Content-Type"); got != "application/x-www-form-urlencoded" {
		t.Errorf("origin Content-Type = %q", got)
	}
	if got := resp.Header.Get("X-Got-Authorization"); got != "Basic x" {
		t.Errorf("origin Authorization = %q", got)
	}
	if got := resp.Header.Get("X-Got-Custom"); got != "" {
		t.Errorf("origin X-Custom = %q, want none", got)
	}
}

// TestCachePolicyCompression: EnableAcceptEncodingGzip and
// EnableAcceptEncodingBrotli decide which codings the normalised
// Accept-Encoding keys and asks the origin for, and which Compress may
// serve; with neither, Accept-Encoding is like any other header: neither
// keyed nor forwarded unless the policy lists it, and nothing is
// compressed.
func TestCachePolicyCompression(t *testing.T) {
	tests := []struct {
		name       string
		gzip, br   bool
		compress   bool
		headers    []string
		steps      []compressStep
		originVary bool
	}{
		{name: "gzip only", gzip: true, compress: true, steps: []compressStep{
			{"gzip, deflate, br", "gzip", "Miss from cloudfront", "gzip", 1},
			{"br", "", "Miss from cloudfront", "", 2},
			{"gzip", "gzip", "Hit from cloudfront", "", 2},
			{"", "", "Hit from cloudfront", "", 2},
			{"br;q=1, gzip;q=0.5", "gzip", "Hit from cloudfront", "", 2},
		}},
		{name: "Brotli only", br: true, compress: true, steps: []compressStep{
			{"gzip, deflate, br", "br", "Miss from cloudfront", "br", 1},
			{"gzip", "", "Miss from cloudfront", "", 2},
			{"br", "br", "Hit from cloudfront", "", 2},
			{"", "", "Hit from cloudfront", "", 2},
		}},
		{name: "gzip and Brotli", gzip: true, br: true, compress: true, steps: []compressStep{
			{"gzip, br", "br", "Miss from cloudfront", "br", 1},
			{"gzip", "gzip", "Miss from cloudfront", "gzip", 2},
			{"", "", "Miss from cloudfront", "", 3},
			{"br", "br", "Hit from cloudfront", "", 3},
			{"br;q=0, gzip", "gzip", "Hit from cloudfront", "", 3},
		}},
		{name: "neither, Compress on", compress: true, steps: []compressStep{
			{"gzip, br", "", "Miss from cloudfront", "", 1},
			{"gzip", "", "Hit from cloudfront", "", 1},
			{"", "", "Hit from cloudfront", "", 1},
		}},
		{name: "gzip, Compress off: the key and the origin's request only", gzip: true, steps: []compressStep{
			{"gzip, br", "", "Miss from cloudfront", "gzip", 1},
			{"br", "", "Miss from cloudfront", "", 2},
			{"gzip", "", "Hit from cloudfront", "", 2},
		}},
		{name: "neither, Accept-Encoding listed: as sent", compress: true, headers: []string{"accept-encoding"}, steps: []compressStep{
			{"gzip, br", "", "Miss from cloudfront", "gzip, br", 1},
			{"gzip", "", "Miss from cloudfront", "gzip", 2},
			{"gzip, br", "", "Hit from cloudfront", "", 2},
		}},
		{name: "gzip, Accept-Encoding listed: normalised all the same", gzip: true, compress: true, headers: []string{"Accept-Encoding"}, steps: []compressStep{
			{"gzip, br", "gzip", "Miss from cloudfront", "gzip", 1},
			{"deflate, gzip", "gzip", "Hit from cloudfront", "", 1},
		}},
	}
	page := textBody(20000)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			origin := newOrigin(t, text(page, "Content-Type", "text/html", "Cache-Control", "max-age=300", "Content-Length", strconv.Itoa(len(page))))
			e := newEdge(t, Options{}, distribution(origin.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
				p.EnableAcceptEncodingGzip, p.EnableAcceptEncodingBrotli = tt.gzip, tt.br
				if tt.headers != nil {
					p.Headers = paramSet(cloudfront.ParamsWhitelist, tt.headers...)
				}
			})), func(c *cloudfront.DistributionConfig) { c.DefaultCacheBehavior.Compress = tt.compress }))
			checkCompressSteps(t, e, origin, page, tt.steps)
		})
	}
}

// TestCachePolicyBesideLegacy: a behaviour with legacy settings in a
// distribution whose default behaviour has a cache policy is served as
// before: its whole query, its cookies, the unkeyed headers a legacy
// behaviour forwards, and Accept-Encoding: gzip; the policy's behaviour
// sends only what its policy keys.
func TestCachePolicyBesideLegacy(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "q="+r.URL.RawQuery+" cookie="+r.Header.Get("Cookie")+" custom="+r.Header.Get("X-Custom")+
			" ae="+r.Header.Get("Accept-Encoding"))
	})
	e := newEdge(t, Options{}, distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
		p.QueryStrings = paramSet(cloudfront.ParamsWhitelist, "v")
		p.Cookies = paramSet(cloudfront.ParamsAllExcept, "sess")
	})), func(c *cloudfront.DistributionConfig) {
		legacy := cacheBehavior("o")
		legacy.PathPattern = "/legacy/*"
		legacy.QueryString = true
		legacy.Cookies = cloudfront.CookiePreference{Forward: cloudfront.ForwardWhitelist, WhitelistedNames: []string{"sess"}}
		c.CacheBehaviors = []cloudfront.CacheBehavior{legacy}
	}))
	hdr := []string{"Cookie", "a=1; sess=2", "X-Custom", "c"}
	runPolicySteps(t, e, "d1.cloudfront.test", []policyStep{
		{path: "/legacy/x?v=1&u=2", hdr: hdr, want: "q=v=1&u=2 cookie=sess=2 custom=c ae=gzip"},
		{path: "/legacy/x?v=1&u=2", hdr: []string{"Cookie", "sess=2; b=3"}, want: "q=v=1&u=2 cookie=sess=2 custom=c ae=gzip", hit: true},
		{path: "/legacy/x?v=1", hdr: hdr, want: "q=v=1 cookie=sess=2 custom=c ae=gzip"},
		{path: "/p?v=1&u=2", hdr: hdr, want: "q=v=1 cookie=a=1 custom= ae="},
		{path: "/p?u=3&v=1", hdr: []string{"Cookie", "a=1; sess=3"}, want: "q=v=1 cookie=a=1 custom= ae=", hit: true},
	})
}

// TestCachePolicyInvalidation: a policy behaviour's objects keep the key
// layout, so an invalidation of the path removes every variant of it
// (query, cookies, headers, encoding), and one naming a query removes that
// query's.
func TestCachePolicyInvalidation(t *testing.T) {
	o := newOrigin(t, echo)
	d := distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
		p.QueryStrings = paramSet(cloudfront.ParamsWhitelist, "v")
		p.Cookies = paramSet(cloudfront.ParamsAll)
		p.Headers = paramSet(cloudfront.ParamsWhitelist, "X-Product")
		p.EnableAcceptEncodingGzip = true
	})))
	e := newEdge(t, Options{}, d)
	hdr := []string{"Cookie", "a=1", "X-Product", "Acme"}
	warm := func() {
		t.Helper()
		runPolicySteps(t, e, "d1.cloudfront.test", []policyStep{
			{path: "/inv?v=1&u=1", hdr: hdr, want: "GET v=1 "},
			{path: "/inv?v=2", hdr: hdr, want: "GET v=2 "},
			{path: "/inv?v=1", hdr: hdr, want: "GET v=1 ", hit: true},
		})
	}
	invalidate := func(rev int64, paths ...string) {
		t.Helper()
		var invs []cloudfront.Invalidation
		if paths != nil {
			invs = []cloudfront.Invalidation{{ID: "I" + strconv.FormatInt(rev, 10), DistributionID: d.ID, Batch: cloudfront.InvalidationBatch{Paths: paths}}}
		}
		if err := e.Apply(testSnapshot(rev, d), invs); err != nil {
			t.Fatal(err)
		}
	}
	warm()
	invalidate(2) // a new record, no invalidation: the objects stay
	runPolicySteps(t, e, "d1.cloudfront.test", []policyStep{{path: "/inv?v=1", hdr: hdr, want: "GET v=1 ", hit: true}})
	invalidate(3, "/inv?v=2")
	runPolicySteps(t, e, "d1.cloudfront.test", []policyStep{
		{path: "/inv?v=1", hdr: hdr, want: "GET v=1 ", hit: true},
		{path: "/inv?v=2", hdr: hdr, want: "GET v=2 "},
	})
	invalidate(4, "/inv")
	runPolicySteps(t, e, "d1.cloudfront.test", []policyStep{
		{path: "/inv?v=1", hdr: hdr, want: "GET v=1 "},
		{path: "/inv?v=2", hdr: hdr, want: "GET v=2 "},
	})
}

// TestCachePolicyHitAllocs: a policy behaviour's hit allocates what a
// legacy one's does (TestHitAllocs) and its forwarded cookies: a query
// the filter keeps whole and the encoding class cost nothing.
func TestCachePolicyHitAllocs(t *testing.T) {
	o := newOrigin(t, text("ok"))
	s, err := New(Options{HostID: "0123456789abcdef0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	d := distribution(o.Server, withPolicy(keyParams(func(p *cloudfront.CacheKeyParams) {
		p.QueryStrings = paramSet(cloudfront.ParamsAllExcept, "utm")
		p.Cookies = paramSet(cloudfront.ParamsWhitelist, "s")
		p.EnableAcceptEncodingGzip, p.EnableAcceptEncodingBrotli = true, true
	})))
	if err := s.Apply(testSnapshot(1, d), nil); err != nil {
		t.Fatal(err)
	}
	r, _ := http.NewRequest(http.MethodGet, "/obj?v=1", nil)
	r.RequestURI, r.Host = "/obj?v=1", "d1.cloudfront.test"
	r.Header.Set("Accept-Encoding", "gzip, deflate, br")
	r.Header.Set("Cookie", "s=1")
	if allocs := hitAllocs(s, r, warmUp(t, s, r)); allocs > 2 {
		t.Fatalf("a policy hit allocates %.1f times, want at most 2 (TestHitAllocs' one, and the keyed Cookie value)", allocs)
	}
}

// TestFilterQuery: a policy's whitelist and allExcept on raw queries.
func TestFilterQuery(t *testing.T) {
	tests := []struct {
		query  string
		names  []string
		except bool
		want   string
	}{
		{"", []string{"v"}, false, ""},
		{"v=1&u=2", []string{"v"}, false, "v=1"},
		{"v=1&u=2", []string{"v"}, true, "u=2"},
		{"v=1&u=2", []string{"v", "u"}, false, "v=1&u=2"},
		{"v=1&u=2", []string{"x"}, true, "v=1&u=2"},
		{"v&v=&v=3", []string{"v"}, false, "v&v=&v=3"},
		{"V=1&v=2", []string{"v"}, false, "v=2"},
		{"%76=1&v=2", []string{"v"}, true, "%76=1"},
		{"a&&b", []string{"a"}, true, "b"}, // an empty parameter adds nothing
		{"a=1", nil, false, ""},
	}
	for _, tt := range tests {
		if got := filterQuery(tt.query, tt.names, tt.except); got != tt.want {
			t.Errorf("filterQuery(%q, %q, except %v) = %q, want %q", tt.query, tt.names, tt.except, got, tt.want)
		}
	}
}
