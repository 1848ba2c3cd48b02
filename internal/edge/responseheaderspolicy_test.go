package edge

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// The rules these tests replay are the developer guide's "Understand
// response headers policies" and "Use managed response headers
// policies": a behaviour's policy removes, then adds, headers in every
// response to its requests, from the cache or from the origin, and
// Override (OriginOverride) decides between the origin's value and the
// policy's.

const testRHPID = "5a0c7e3d-2b1f-4e6a-9c8d-7f6e5d4c3b2a"

// withRHP gives the default behaviour a response headers policy.
func withRHP(c cloudfront.ResponseHeadersPolicyConfig) func(*cloudfront.DistributionConfig) {
	return func(d *cloudfront.DistributionConfig) {
		d.DefaultCacheBehavior.ResponseHeadersPolicyID = testRHPID
		d.DefaultCacheBehavior.ResponseHeadersPolicy = &c
	}
}

func managedRHP(t testing.TB, id string) cloudfront.ResponseHeadersPolicyConfig {
	t.Helper()
	p, ok := cloudfront.ManagedResponseHeadersPolicy(id)
	if !ok {
		t.Fatalf("no managed response headers policy %s", id)
	}
	return p.Config
}

// missThenHit asks for path twice and checks that the first was a miss
// and the second a hit.
func missThenHit(t *testing.T, e *testEdge, path string, hdr ...string) (miss, hit response) {
	t.Helper()
	miss = e.get(t, "d1.cloudfront.test", path, hdr...)
	e.settle(t)
	hit = e.get(t, "d1.cloudfront.test", path, hdr...)
	if got := miss.Header.Get("X-Cache"); got != "Miss from cloudfront" {
		t.Fatalf("first request: X-Cache %q, want a miss", got)
	}
	if got := hit.Header.Get("X-Cache"); got != "Hit from cloudfront" {
		t.Fatalf("second request: X-Cache %q, want a hit", got)
	}
	return miss, hit
}

// headerValues is h's values of k, nil when absent.
func headerValues(h http.Header, k string) []string { return h[http.CanonicalHeaderKey(k)] }

func checkHeader(t *testing.T, what string, h http.Header, k string, want string, present bool) {
	t.Helper()
	got, ok := h[http.CanonicalHeaderKey(k)]
	switch {
	case ok != present:
		t.Errorf("%s: %s present %v (%q), want present %v", what, k, ok, got, present)
	case ok && (len(got) != 1 || got[0] != want):
		t.Errorf("%s: %s = %q, want %q", what, k, got, want)
	}
}

// TestResponseHeadersPolicySecurityHeaders: each security header gets
// the policy's value unless the origin sent one and Override is false;
// from the cache as from the origin.
func TestResponseHeadersPolicySecurityHeaders(t *testing.T) {
	headers := []struct {
		name, value string // the policy's value
		set         func(s *cloudfront.SecurityHeadersConfig, override bool)
	}{
		{"X-XSS-Protection", "1; mode=block", func(s *cloudfront.SecurityHeadersConfig, o bool) {
			s.XSSProtection = &cloudfront.XSSProtection{Override: o, Protection: true, ModeBlock: true}
		}},
		{"X-Frame-Options", "DENY", func(s *cloudfront.SecurityHeadersConfig, o bool) {
			s.FrameOptions = &cloudfront.FrameOptions{Override: o, FrameOption: cloudfront.FrameOptionDeny}
		}},
		{"Referrer-Policy", "no-referrer", func(s *cloudfront.SecurityHeadersConfig, o bool) {
			s.ReferrerPolicy = &cloudfront.ReferrerPolicy{Override: o, Policy: "no-referrer"}
		}},
		{"Content-Security-Policy", "default-src 'self'", func(s *cloudfront.SecurityHeadersConfig, o bool) {
			s.ContentSecurityPolicy = &cloudfront.ContentSecurityPolicy{Override: o, Policy: "default-src 'self'"}
		}},
		{"X-Content-Type-Options", "nosniff", func(s *cloudfront.SecurityHeadersConfig, o bool) {
			s.ContentTypeOptions = &cloudfront.ContentTypeOptions{Override: o}
		}},
		{"Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload", func(s *cloudfront.SecurityHeadersConfig, o bool) {
			s.StrictTransportSecurity = &cloudfront.StrictTransportSecurity{Override: o, MaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true}
		}},
	}
	for _, hd := range headers {
		for _, tt := range []struct {
			override, originHas bool
		}{{false, false}, {false, true}, {true, false}, {true, true}} {
			name := hd.name
			if tt.override {
				name += "/override"
			}
			if tt.originHas {
				name += "/origin sends it"
			}
			t.Run(name, func(t *testing.T) {
				var originHdr []string
				if tt.originHas {
					originHdr = []string{hd.name, "origin-value"}
				}
				o := newOrigin(t, text("ok", originHdr...))
				var sec cloudfront.SecurityHeadersConfig
				hd.set(&sec, tt.override)
				e := newEdge(t, Options{}, distribution(o.Server, withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "sec", SecurityHeaders: &sec})))
				want := hd.value
				if tt.originHas && !tt.override {
					want = "origin-value"
				}
				miss, hit := missThenHit(t, e, "/obj")
				checkHeader(t, "miss", miss.Header, hd.name, want, true)
				checkHeader(t, "hit", hit.Header, hd.name, want, true)
			})
		}
	}
}

// TestSecurityHeaderValues: the values the settings make.
func TestSecurityHeaderValues(t *testing.T) {
	for _, tt := range []struct {
		x    cloudfront.XSSProtection
		want string
	}{
		{cloudfront.XSSProtection{}, "0"},
		{cloudfront.XSSProtection{Protection: true}, "1"},
		{cloudfront.XSSProtection{Protection: true, ModeBlock: true}, "1; mode=block"},
		{cloudfront.XSSProtection{Protection: true, ReportURI: "https://r.example.com/x"}, "1; report=https://r.example.com/x"},
	} {
		if got := xssProtectionValue(&tt.x); got != tt.want {
			t.Errorf("X-XSS-Protection of %+v = %q, want %q", tt.x, got, tt.want)
		}
	}
	for _, tt := range []struct {
		h    cloudfront.StrictTransportSecurity
		want string
	}{
		{cloudfront.StrictTransportSecurity{MaxAgeSec: 0}, "max-age=0"},
		{cloudfront.StrictTransportSecurity{MaxAgeSec: 31536000}, "max-age=31536000"},
		{cloudfront.StrictTransportSecurity{MaxAgeSec: 600, IncludeSubdomains: true}, "max-age=600; includeSubDomains"},
		{cloudfront.StrictTransportSecurity{MaxAgeSec: 600, Preload: true}, "max-age=600; preload"},
		{cloudfront.StrictTransportSecurity{MaxAgeSec: 600, IncludeSubdomains: true, Preload: true}, "max-age=600; includeSubDomains; preload"},
	} {
		if got := hstsValue(&tt.h); got != tt.want {
			t.Errorf("Strict-Transport-Security of %+v = %q, want %q", tt.h, got, tt.want)
		}
	}
}

// TestResponseHeadersPolicyCustomHeaders: custom headers with Override,
// an empty value among them, names in any case.
func TestResponseHeadersPolicyCustomHeaders(t *testing.T) {
	o := newOrigin(t, text("ok", "X-Kept", "origin", "X-Replaced", "origin", "Cache-Control", "max-age=60"))
	e := newEdge(t, Options{}, distribution(o.Server, withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "custom",
		CustomHeaders: []cloudfront.ResponseCustomHeader{
			{Header: "X-Kept", Value: "policy", Override: false},
			{Header: "x-replaced", Value: "policy", Override: true},
			{Header: "X-Added", Value: "policy", Override: false},
			{Header: "X-Added-Override", Value: "policy", Override: true},
			{Header: "X-Empty", Value: "", Override: false},
			// Browser caching only: the edge still caches for 60 s.
			{Header: "Cache-Control", Value: "no-store", Override: true},
		}})))
	miss, hit := missThenHit(t, e, "/obj")
	for _, r := range []struct {
		what string
		resp response
	}{{"miss", miss}, {"hit", hit}} {
		checkHeader(t, r.what, r.resp.Header, "X-Kept", "origin", true)
		checkHeader(t, r.what, r.resp.Header, "X-Replaced", "policy", true)
		checkHeader(t, r.what, r.resp.Header, "X-Added", "policy", true)
		checkHeader(t, r.what, r.resp.Header, "X-Added-Override", "policy", true)
		checkHeader(t, r.what, r.resp.Header, "X-Empty", "", true)
		checkHeader(t, r.what, r.resp.Header, "Cache-Control", "no-store", true)
	}
	if n := o.hits.Load(); n != 1 {
		t.Errorf("origin asked %d times, want 1: the policy's Cache-Control is the viewer's only", n)
	}
}

// TestResponseHeadersPolicyRemoveThenAdd: removed headers go first, then
// the policy's are added, so a header both removed and added is the
// policy's whatever its Override; a removed Server becomes CloudFront's;
// the headers CloudFront keeps are never removed nor added.
func TestResponseHeadersPolicyRemoveThenAdd(t *testing.T) {
	o := newOrigin(t, text("ok", "X-Powered-By", "PHP/8", "X-Foo", "origin", "X-Bar", "origin",
		"Server", "nginx", "X-Frame-Options", "ALLOWALL", "Server-Timing", "db;dur=5"))
	e := newEdge(t, Options{}, distribution(o.Server, withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "rm",
		RemoveHeaders: []string{"X-Powered-By", "x-foo", "X-BAR", "Server", "X-Frame-Options", "Via", "X-Cache", "X-Amz-Cf-Id"},
		SecurityHeaders: &cloudfront.SecurityHeadersConfig{
			FrameOptions: &cloudfront.FrameOptions{FrameOption: cloudfront.FrameOptionSameOrigin},
		},
		CustomHeaders: []cloudfront.ResponseCustomHeader{
			{Header: "X-Foo", Value: "policy"},
			{Header: "Via", Value: "policy", Override: true}, // CloudFront's: ignored
		}})))
	miss, hit := missThenHit(t, e, "/obj")
	for _, r := range []struct {
		what string
		resp response
	}{{"miss", miss}, {"hit", hit}} {
		h := r.resp.Header
		checkHeader(t, r.what, h, "X-Powered-By", "", false)
		checkHeader(t, r.what, h, "X-Bar", "", false)
		checkHeader(t, r.what, h, "X-Foo", "policy", true)
		checkHeader(t, r.what, h, "X-Frame-Options", "SAMEORIGIN", true)
		checkHeader(t, r.what, h, "Server", "CloudFront", true)
		checkHeader(t, r.what, h, "Server-Timing", "db;dur=5", true)
		if v := h.Get("Via"); !strings.HasSuffix(v, "(CloudFront)") {
			t.Errorf("%s: Via %q, want the edge's", r.what, v)
		}
		if h.Get("X-Cache") == "" || h.Get("X-Amz-Cf-Id") == "" {
			t.Errorf("%s: X-Cache %q, X-Amz-Cf-Id %q: the edge's headers were removed", r.what, h.Get("X-Cache"), h.Get("X-Amz-Cf-Id"))
		}
		if h.Get("Date") == "" {
			t.Errorf("%s: no Date", r.what)
		}
	}
}

// corsStep is one request to a CORS policy's behaviour and the CORS
// headers it should get ("" for absent).
type corsStep struct {
	name, method string
	hdr          []string
	acao, acac   string
	aceh         string
	acam, acah   string
	acma         string
}

func runCORSSteps(t *testing.T, e *testEdge, steps []corsStep) {
	t.Helper()
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			method := st.method
			if method == "" {
				method = http.MethodGet
			}
			// Twice: from the origin (or uncached), then from the cache.
			for i := range 2 {
				resp := e.do(t, e.http, method, "d1.cloudfront.test", "/obj", st.hdr...)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d, want 200", resp.StatusCode)
				}
				what := []string{"first", "second"}[i] + " (" + resp.Header.Get("X-Cache") + ")"
				for _, h := range []struct{ k, v string }{
					{hACAO, st.acao}, {hACAC, st.acac}, {hACEH, st.aceh},
					{hACAM, st.acam}, {hACAH, st.acah}, {hACMA, st.acma},
				} {
					checkHeader(t, what, resp.Header, h.k, h.v, h.v != "")
				}
				e.settle(t)
			}
		})
	}
}

var allowOptions = withMethods([]string{"GET", "HEAD", "OPTIONS"}, nil)

// TestResponseHeadersPolicyCORS: CORS headers go to requests whose Origin
// the policy allows (exactly, by a wildcard pattern, or "*"), the
// preflight ones to OPTIONS requests with Access-Control-Request-Method;
// requests without a matching Origin get none.
func TestResponseHeadersPolicyCORS(t *testing.T) {
	maxAge := 600
	o := newOrigin(t, text("ok"))
	e := newEdge(t, Options{}, distribution(o.Server, allowOptions, withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "cors",
		CORS: &cloudfront.CORSConfig{
			AllowOrigins:     []string{"https://app.example.com", "https://*.example.org", "http://localhost:8080"},
			AllowHeaders:     []string{"X-Custom", "Content-Type"},
			AllowMethods:     []string{"GET", "POST"},
			AllowCredentials: true,
			ExposeHeaders:    []string{"X-A", "X-B"},
			MaxAgeSec:        &maxAge,
		}})))
	preflight := func(origin string) []string {
		return []string{"Origin", origin, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-custom"}
	}
	runCORSSteps(t, e, []corsStep{
		{name: "no Origin"},
		{name: "exact origin", hdr: []string{"Origin", "https://app.example.com"},
			acao: "https://app.example.com", acac: "true", aceh: "X-A,X-B"},
		{name: "exact origin, other case", hdr: []string{"Origin", "https://APP.example.com"},
			acao: "https://APP.example.com", acac: "true", aceh: "X-A,X-B"},
		{name: "origin with port", hdr: []string{"Origin", "http://localhost:8080"},
			acao: "http://localhost:8080", acac: "true", aceh: "X-A,X-B"},
		{name: "other port", hdr: []string{"Origin", "http://localhost:8081"}},
		{name: "other origin", hdr: []string{"Origin", "https://evil.example.com"}},
		{name: "other scheme", hdr: []string{"Origin", "http://app.example.com"}},
		{name: "suffix is not a match", hdr: []string{"Origin", "https://app.example.com.evil.net"}},
		{name: "wildcard subdomain", hdr: []string{"Origin", "https://a.example.org"},
			acao: "https://a.example.org", acac: "true", aceh: "X-A,X-B"},
		{name: "wildcard, deeper", hdr: []string{"Origin", "https://a.b.example.org"},
			acao: "https://a.b.example.org", acac: "true", aceh: "X-A,X-B"},
		{name: "wildcard, bare domain", hdr: []string{"Origin", "https://example.org"}},
		{name: "wildcard, other scheme", hdr: []string{"Origin", "http://a.example.org"}},
		{name: "wildcard, port", hdr: []string{"Origin", "https://a.example.org:8443"}},
		{name: "wildcard, lookalike", hdr: []string{"Origin", "https://aexample.org"}},
		{name: "null origin", hdr: []string{"Origin", "null"}},
		{name: "preflight", method: http.MethodOptions, hdr: preflight("https://app.example.com"),
			acao: "https://app.example.com", acac: "true", aceh: "X-A,X-B",
			acam: "GET,POST", acah: "X-Custom,Content-Type", acma: "600"},
		{name: "preflight, wildcard origin", method: http.MethodOptions, hdr: preflight("https://x.example.org"),
			acao: "https://x.example.org", acac: "true", aceh: "X-A,X-B",
			acam: "GET,POST", acah: "X-Custom,Content-Type", acma: "600"},
		{name: "preflight, other origin", method: http.MethodOptions, hdr: preflight("https://evil.example.com")},
		{name: "OPTIONS without Access-Control-Request-Method", method: http.MethodOptions,
			hdr:  []string{"Origin", "https://app.example.com"},
			acao: "https://app.example.com", acac: "true", aceh: "X-A,X-B"},
		{name: "HEAD", method: http.MethodHead, hdr: []string{"Origin", "https://app.example.com"},
			acao: "https://app.example.com", acac: "true", aceh: "X-A,X-B"},
	})
}

// TestResponseHeadersPolicyCORSAnyOrigin: "*" answers "*" without
// credentials; ALL is every method; "*" lists stay "*"; a preflight
// answered from the cache (OPTIONS cached) gets them as one from the
// origin does.
func TestResponseHeadersPolicyCORSAnyOrigin(t *testing.T) {
	o := newOrigin(t, text("ok"))
	e := newEdge(t, Options{}, distribution(o.Server,
		withMethods([]string{"GET", "HEAD", "OPTIONS"}, []string{"GET", "HEAD", "OPTIONS"}),
		withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "any",
			CORS: &cloudfront.CORSConfig{
				AllowOrigins:  []string{"*"},
				AllowHeaders:  []string{"*"},
				AllowMethods:  []string{"ALL"},
				ExposeHeaders: []string{"*"},
			}})))
	runCORSSteps(t, e, []corsStep{
		{name: "no Origin"},
		{name: "any origin", hdr: []string{"Origin", "https://anyone.example"}, acao: "*", aceh: "*"},
		{name: "preflight", method: http.MethodOptions,
			hdr:  []string{"Origin", "https://anyone.example", "Access-Control-Request-Method", "DELETE"},
			acao: "*", aceh: "*", acam: "GET,DELETE,HEAD,OPTIONS,PATCH,POST,PUT", acah: "*"},
	})
	if got := e.do(t, e.http, http.MethodOptions, "d1.cloudfront.test", "/obj", "Origin", "https://x.example").Header.Get("X-Cache"); got != "Hit from cloudfront" {
		t.Errorf("cached OPTIONS: X-Cache %q, want a hit", got)
	}
}

// TestResponseHeadersPolicyCORSOriginOverride: the origin's CORS headers
// stay unless OriginOverride; a request the policy does not allow keeps
// them either way.
func TestResponseHeadersPolicyCORSOriginOverride(t *testing.T) {
	for _, override := range []bool{false, true} {
		t.Run(map[bool]string{false: "origin's", true: "override"}[override], func(t *testing.T) {
			o := newOrigin(t, text("ok", hACAO, "https://origin.example", hACEH, "X-Origin"))
			e := newEdge(t, Options{}, distribution(o.Server, allowOptions, withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "cors",
				CORS: &cloudfront.CORSConfig{
					AllowOrigins:   []string{"https://app.example.com"},
					AllowHeaders:   []string{"X-Custom"},
					AllowMethods:   []string{"GET"},
					ExposeHeaders:  []string{"X-Policy"},
					OriginOverride: override,
				}})))
			acao, aceh := "https://origin.example", "X-Origin"
			if override {
				acao, aceh = "https://app.example.com", "X-Policy"
			}
			runCORSSteps(t, e, []corsStep{
				{name: "allowed", hdr: []string{"Origin", "https://app.example.com"}, acao: acao, aceh: aceh},
				{name: "preflight", method: http.MethodOptions,
					hdr:  []string{"Origin", "https://app.example.com", "Access-Control-Request-Method", "GET"},
					acao: acao, aceh: aceh, acam: "GET", acah: "X-Custom"},
				{name: "not allowed", hdr: []string{"Origin", "https://other.example"},
					acao: "https://origin.example", aceh: "X-Origin"},
				{name: "no Origin", acao: "https://origin.example", aceh: "X-Origin"},
			})
		})
	}
}

// TestResponseHeadersPolicyPreflightNeedsOPTIONS: CloudFront decorates the
// origin's answer to a preflight and does not answer one itself: a
// behaviour that does not allow OPTIONS refuses it with the edge's own
// 403, which gets no CORS headers.
func TestResponseHeadersPolicyPreflightNeedsOPTIONS(t *testing.T) {
	o := newOrigin(t, text("ok"))
	e := newEdge(t, Options{}, distribution(o.Server, withRHP(managedRHP(t, "5cc3b908-e619-4b99-88e5-2cf7f45965bd"))))
	resp := e.do(t, e.http, http.MethodOptions, "d1.cloudfront.test", "/obj",
		"Origin", "https://app.example.com", "Access-Control-Request-Method", "GET")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
	for _, k := range []string{hACAO, hACAM} {
		checkHeader(t, "refused preflight", resp.Header, k, "", false)
	}
	if n := o.hits.Load(); n != 0 {
		t.Errorf("origin asked %d times, want 0", n)
	}
}

var serverTimingMiss = regexp.MustCompile(`^cdn-upstream-layer;desc="EDGE",cdn-upstream-dns;dur=\d+,cdn-upstream-connect;dur=\d+,cdn-upstream-fbl;dur=\d+,cdn-cache-miss,cdn-pop;desc="LOC1",cdn-rid;desc="([A-Za-z0-9_=-]{56})",cdn-downstream-fbl;dur=\d+,db;dur=53$`)
var serverTimingHit = regexp.MustCompile(`^cdn-cache-hit,cdn-pop;desc="LOC1",cdn-rid;desc="([A-Za-z0-9_=-]{56})",cdn-hit-layer;desc="EDGE",cdn-downstream-fbl;dur=\d+$`)

// TestResponseHeadersPolicyServerTiming: at 100 % every response gets
// the edge's metrics (with the origin's after them on a miss, without on
// a hit); at 0 % only a request with Pragma: server-timing does, and the
// others keep the origin's header as it is.
func TestResponseHeadersPolicyServerTiming(t *testing.T) {
	rate := func(r float64) *float64 { return &r }
	for _, tt := range []struct {
		name    string
		rate    *float64
		pragma  bool
		sampled bool
	}{
		{"100%", rate(100), false, true},
		{"0%", rate(0), false, false},
		{"0% with Pragma", rate(0), true, true},
		{"no rate", nil, false, false},
		{"no rate with Pragma", nil, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, text("ok", "Server-Timing", "db;dur=53"))
			e := newEdge(t, Options{Location: "LOC1"}, distribution(o.Server, withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "st",
				ServerTiming: &cloudfront.ServerTimingConfig{Enabled: true, SamplingRate: tt.rate}})))
			var hdr []string
			if tt.pragma {
				hdr = []string{"Pragma", "no-cache, server-timing"}
			}
			miss, hit := missThenHit(t, e, "/obj", hdr...)
			if !tt.sampled {
				checkHeader(t, "miss", miss.Header, "Server-Timing", "db;dur=53", true)
				checkHeader(t, "hit", hit.Header, "Server-Timing", "db;dur=53", true)
				return
			}
			for _, c := range []struct {
				what string
				resp response
				re   *regexp.Regexp
			}{{"miss", miss, serverTimingMiss}, {"hit", hit, serverTimingHit}} {
				v := headerValues(c.resp.Header, "Server-Timing")
				if len(v) != 1 {
					t.Fatalf("%s: Server-Timing %q, want one header", c.what, v)
				}
				m := c.re.FindStringSubmatch(v[0])
				if m == nil {
					t.Fatalf("%s: Server-Timing %q, want %s", c.what, v[0], c.re)
				}
				if id := c.resp.Header.Get("X-Amz-Cf-Id"); m[1] != id {
					t.Errorf("%s: cdn-rid %q, want the X-Amz-Cf-Id %q", c.what, m[1], id)
				}
			}
		})
	}
}

// TestResponseHeadersPolicyServerTimingRefreshAndUncached: a copy
// revalidated with a 304 is cdn-cache-refresh, with the revalidation's
// timings; an uncached request is a miss with its own.
func TestResponseHeadersPolicyServerTimingRefreshAndUncached(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Cache-Control", "max-age=10")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("ok"))
	})
	rate := 100.0
	e := newEdge(t, Options{}, distribution(o.Server,
		withMethods([]string{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}, nil),
		withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "st",
			ServerTiming: &cloudfront.ServerTimingConfig{Enabled: true, SamplingRate: &rate}})))
	upstream := `^cdn-upstream-layer;desc="EDGE",cdn-upstream-dns;dur=\d+,cdn-upstream-connect;dur=\d+,cdn-upstream-fbl;dur=\d+,`
	tail := `,cdn-pop;desc="openfront",cdn-rid;desc="[A-Za-z0-9_=-]{56}",cdn-downstream-fbl;dur=\d+$`
	e.get(t, "d1.cloudfront.test", "/obj")
	e.settle(t)
	e.clock.Advance(20 * time.Second)
	for _, tt := range []struct {
		name, method, xcache string
		re                   *regexp.Regexp
	}{
		{"refresh", http.MethodGet, "RefreshHit from cloudfront", regexp.MustCompile(upstream + "cdn-cache-refresh" + tail)},
		{"uncached", http.MethodPost, "Miss from cloudfront", regexp.MustCompile(upstream + "cdn-cache-miss" + tail)},
	} {
		resp := e.do(t, e.http, tt.method, "d1.cloudfront.test", "/obj")
		if got := resp.Header.Get("X-Cache"); got != tt.xcache {
			t.Errorf("%s: X-Cache %q, want %q", tt.name, got, tt.xcache)
		}
		if v := resp.Header.Get("Server-Timing"); !tt.re.MatchString(v) {
			t.Errorf("%s: Server-Timing %q, want %s", tt.name, v, tt.re)
		}
		e.settle(t)
	}
}

// TestServerTimingSampling: a rate between 0 and 100 samples about that
// share of responses.
func TestServerTimingSampling(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, rate := range []float64{0, 0.5, 25, 50, 99.5, 100} {
		p := compileServerTiming(&cloudfront.ServerTimingConfig{Enabled: true, SamplingRate: &rate})
		n := 0
		const runs = 20000
		for range runs {
			if p.sampled(r) {
				n++
			}
		}
		got := float64(n) / runs * 100
		if d := got - rate; d > 2 || d < -2 {
			t.Errorf("rate %v: %.2f %% sampled", rate, got)
		}
	}
	if compileServerTiming(&cloudfront.ServerTimingConfig{Enabled: false}) != nil {
		t.Error("a disabled Server-Timing compiled")
	}
}

// TestResponseHeadersPolicyChangeAppliesToCachedObjects: the policy is
// applied as responses are written, never stored: an object cached under
// one policy is served under the next one, and under none, without
// asking the origin again.
func TestResponseHeadersPolicyChangeAppliesToCachedObjects(t *testing.T) {
	o := newOrigin(t, text("ok", "X-Origin", "o", "Cache-Control", "max-age=3600"))
	policy := func(v string) cloudfront.ResponseHeadersPolicyConfig {
		return cloudfront.ResponseHeadersPolicyConfig{Name: "p",
			CustomHeaders: []cloudfront.ResponseCustomHeader{{Header: "X-Policy", Value: v, Override: true}},
			RemoveHeaders: map[string][]string{"A": nil, "B": {"X-Origin"}}[v],
		}
	}
	e := newEdge(t, Options{}, distribution(o.Server, withRHP(policy("A"))))
	miss, hit := missThenHit(t, e, "/obj")
	for _, r := range []response{miss, hit} {
		checkHeader(t, "policy A", r.Header, "X-Policy", "A", true)
		checkHeader(t, "policy A", r.Header, "X-Origin", "o", true)
	}
	steps := []struct {
		edit              func(*cloudfront.DistributionConfig)
		policy, xOrigin   string
		hasPolicy, hasOrg bool
	}{
		{withRHP(policy("B")), "B", "", true, false},
		{func(*cloudfront.DistributionConfig) {}, "", "o", false, true},
		{withRHP(policy("A")), "A", "o", true, true},
	}
	for i, st := range steps {
		if err := e.Apply(testSnapshot(int64(i+2), distribution(o.Server, st.edit)), nil); err != nil {
			t.Fatal(err)
		}
		r := e.get(t, "d1.cloudfront.test", "/obj")
		if got := r.Header.Get("X-Cache"); got != "Hit from cloudfront" {
			t.Fatalf("revision %d: X-Cache %q, want a hit", i+2, got)
		}
		checkHeader(t, "after the change", r.Header, "X-Policy", st.policy, st.hasPolicy)
		checkHeader(t, "after the change", r.Header, "X-Origin", st.xOrigin, st.hasOrg)
	}
	if n := o.hits.Load(); n != 1 {
		t.Errorf("origin asked %d times, want 1", n)
	}
}

// TestManagedSimpleCORS: Access-Control-Allow-Origin: * to CORS requests
// only, nothing more to a preflight, and the origin's own header wins.
func TestManagedSimpleCORS(t *testing.T) {
	policy := withRHP(managedRHP(t, "60669652-455b-4ae9-85a4-c4c02393f86c"))
	o := newOrigin(t, text("ok"))
	e := newEdge(t, Options{}, distribution(o.Server, allowOptions, policy))
	runCORSSteps(t, e, []corsStep{
		{name: "no Origin"},
		{name: "CORS", hdr: []string{"Origin", "https://a.example"}, acao: "*"},
		{name: "preflight", method: http.MethodOptions,
			hdr: []string{"Origin", "https://a.example", "Access-Control-Request-Method", "PUT"}, acao: "*"},
	})
	o2 := newOrigin(t, text("ok", hACAO, "https://mine.example"))
	e2 := newEdge(t, Options{}, distribution(o2.Server, policy))
	runCORSSteps(t, e2, []corsStep{
		{name: "origin's header", hdr: []string{"Origin", "https://a.example"}, acao: "https://mine.example"},
	})
}

// TestManagedSecurityHeadersPolicy: its five headers, of which only
// X-Content-Type-Options replaces the origin's.
func TestManagedSecurityHeadersPolicy(t *testing.T) {
	policy := withRHP(managedRHP(t, "67f7725c-6f97-4210-82d7-5512b31e9d03"))
	want := map[string]string{
		"Referrer-Policy":           "strict-origin-when-cross-origin",
		"Strict-Transport-Security": "max-age=31536000",
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "SAMEORIGIN",
		"X-Xss-Protection":          "1; mode=block",
	}
	o := newOrigin(t, text("ok"))
	e := newEdge(t, Options{}, distribution(o.Server, policy))
	miss, hit := missThenHit(t, e, "/obj")
	for k, v := range want {
		checkHeader(t, "miss", miss.Header, k, v, true)
		checkHeader(t, "hit", hit.Header, k, v, true)
	}
	o2 := newOrigin(t, text("ok", "X-Frame-Options", "DENY", "X-Content-Type-Options", "other",
		"Strict-Transport-Security", "max-age=60"))
	e2 := newEdge(t, Options{}, distribution(o2.Server, policy))
	miss, hit = missThenHit(t, e2, "/obj")
	for _, r := range []response{miss, hit} {
		checkHeader(t, "origin's", r.Header, "X-Frame-Options", "DENY", true)
		checkHeader(t, "origin's", r.Header, "Strict-Transport-Security", "max-age=60", true)
		checkHeader(t, "overridden", r.Header, "X-Content-Type-Options", "nosniff", true)
		checkHeader(t, "added", r.Header, "Referrer-Policy", "strict-origin-when-cross-origin", true)
	}
}

// TestResponseHeadersPolicyResponses: the policy's headers reach HEAD
// responses, 304s, the origin's errors, uncached answers and a custom
// error page; not the responses the edge generates (its 502, the
// redirect to HTTPS, its 403 for a method not allowed).
func TestResponseHeadersPolicyResponses(t *testing.T) {
	policy := cloudfront.ResponseHeadersPolicyConfig{Name: "p",
		CustomHeaders: []cloudfront.ResponseCustomHeader{{Header: "X-Policy", Value: "yes"}}}
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.Error(w, "no", http.StatusNotFound)
		case "/page-error":
			http.Error(w, "no", http.StatusServiceUnavailable)
		case "/error.html":
			w.Write([]byte("sorry"))
		default:
			w.Header().Set("ETag", `"v1"`)
			w.Write([]byte("ok"))
		}
	})
	d := distribution(o.Server, withRHP(policy), func(c *cloudfront.DistributionConfig) {
		c.CustomErrorResponses = []cloudfront.CustomErrorResponse{{ErrorCode: 503, ResponsePagePath: "/error.html", ResponseCode: "200"}}
		c.DefaultCacheBehavior.AllowedMethods = []string{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
		redirect := cacheBehavior("o")
		redirect.PathPattern = "/secure/*"
		redirect.ViewerProtocolPolicy = cloudfront.ViewerRedirectToHTTPS
		redirect.ResponseHeadersPolicyID, redirect.ResponseHeadersPolicy = testRHPID, &policy
		c.CacheBehaviors = []cloudfront.CacheBehavior{redirect}
	})
	e := newEdge(t, Options{}, d)
	for _, tt := range []struct {
		name, method, path string
		hdr                []string
		status             int
		policy             bool
	}{
		{"HEAD miss", http.MethodHead, "/head", nil, 200, true},
		{"HEAD hit", http.MethodHead, "/head", nil, 200, true},
		{"GET", http.MethodGet, "/obj", nil, 200, true},
		{"304", http.MethodGet, "/obj", []string{"If-None-Match", `"v1"`}, 304, true},
		{"origin's 404", http.MethodGet, "/missing", nil, 404, true},
		{"origin's 404 from the cache", http.MethodGet, "/missing", nil, 404, true},
		{"uncached POST", http.MethodPost, "/obj", nil, 200, true},
		{"custom error page", http.MethodGet, "/page-error", nil, 200, true},
		{"method not allowed", http.MethodPut, "/secure/x", nil, 403, false},
	} {
		resp := e.do(t, e.http, tt.method, "d1.cloudfront.test", tt.path, tt.hdr...)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		checkHeader(t, tt.name, resp.Header, "X-Policy", "yes", tt.policy)
		e.settle(t)
	}
	req, _ := http.NewRequest(http.MethodGet, e.http.URL+"/secure/x", nil)
	req.Host = "d1.cloudfront.test"
	c := *e.http.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	redirect, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	redirect.Body.Close()
	if redirect.StatusCode != http.StatusMovedPermanently {
		t.Errorf("redirect to HTTPS: status %d, want 301", redirect.StatusCode)
	}
	checkHeader(t, "redirect to HTTPS", redirect.Header, "X-Policy", "", false)
	o.Close() // the origin is gone: the edge's own 502
	resp := e.get(t, "d1.cloudfront.test", "/gone")
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("unreachable origin: status %d, want 502", resp.StatusCode)
	}
	checkHeader(t, "the edge's 502", resp.Header, "X-Policy", "", false)
}

// TestResponseHeadersPolicyNone: a behaviour without a policy (or with
// one that changes nothing) answers as before: the origin's headers and
// the edge's, no CORS headers for a CORS request, the origin's
// Server-Timing.
func TestResponseHeadersPolicyNone(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*cloudfront.DistributionConfig)
	}{
		{"no policy", func(*cloudfront.DistributionConfig) {}},
		{"empty policy", withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "empty", CustomHeaders: []cloudfront.ResponseCustomHeader{}, RemoveHeaders: []string{}})},
		{"disabled Server-Timing", withRHP(cloudfront.ResponseHeadersPolicyConfig{Name: "off", ServerTiming: &cloudfront.ServerTimingConfig{Enabled: false}})},
		{"policy on another behaviour", func(c *cloudfront.DistributionConfig) {
			other := cacheBehavior("o")
			other.PathPattern = "/other/*"
			other.ResponseHeadersPolicyID = testRHPID
			other.ResponseHeadersPolicy = &cloudfront.ResponseHeadersPolicyConfig{Name: "other",
				CustomHeaders: []cloudfront.ResponseCustomHeader{{Header: "X-Policy", Value: "yes"}},
				CORS:          managedSimpleCORS()}
			c.CacheBehaviors = []cloudfront.CacheBehavior{other}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, text("ok", "X-Origin", "o", "Server-Timing", "db;dur=1", "Content-Type", "text/plain"))
			d := distribution(o.Server, tt.edit)
			e := newEdge(t, Options{}, d)
			form, err := buildForm(&d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if b := form.behaviors[len(form.behaviors)-1]; !b.isDefault || b.rhp != nil {
				t.Fatalf("the default behaviour compiled a policy: %+v", b.rhp)
			}
			miss, hit := missThenHit(t, e, "/obj", "Origin", "https://a.example")
			want := []string{"Content-Length", "Content-Type", "Date", "Server-Timing", "Via", "X-Amz-Cf-Id", "X-Cache", "X-Origin"}
			for _, r := range []struct {
				what string
				resp response
				want []string
			}{{"miss", miss, want}, {"hit", hit, append([]string{"Age"}, want...)}} {
				var got []string
				for k := range r.resp.Header {
					got = append(got, k)
				}
				if !sameSet(got, r.want) {
					t.Errorf("%s: headers %q, want %q", r.what, got, r.want)
				}
				checkHeader(t, r.what, r.resp.Header, "Server-Timing", "db;dur=1", true)
			}
		})
	}
}

func managedSimpleCORS() *cloudfront.CORSConfig {
	return &cloudfront.CORSConfig{AllowOrigins: []string{"*"}, AllowHeaders: []string{}, AllowMethods: []string{}}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		if m[x]--; m[x] < 0 {
			return false
		}
	}
	return true
}

// TestOriginMatches: AccessControlAllowOrigins' entries against Origin
// headers.
func TestOriginMatches(t *testing.T) {
	for _, tt := range []struct {
		pattern, origin string
		want            bool
	}{
		{"https://www.example.com", "https://www.example.com", true},
		{"https://www.example.com", "https://WWW.Example.com", true},
		{"https://www.example.com", "https://www.example.com:443", false},
		{"https://www.example.com", "http://www.example.com", false},
		{"https://*.example.com", "https://a.example.com", true},
		{"https://*.example.com", "https://a-b.c.example.com", true},
		{"https://*.example.com", "https://example.com", false},
		{"https://*.example.com", "https://.example.com", false},
		{"https://*.example.com", "https://a..example.com", false},
		{"https://*.example.com", "https://evil.com/.example.com", false},
		{"https://*.example.com", "https://u@a.example.com", false},
		{"https://*.example.com:8443", "https://a.example.com:8443", true},
		{"https://*.example.com:8443", "https://a.example.com", false},
		{"www.example.com", "https://www.example.com", true},
		{"www.example.com", "http://www.example.com", true},
		{"www.example.com", "www.example.com", false},
		{"*.example.com", "https://a.example.com", true},
		{"https://www.example.com", "null", false},
	} {
		if got := originMatches(strings.ToLower(tt.pattern), tt.origin); got != tt.want {
			t.Errorf("originMatches(%q, %q) = %v, want %v", tt.pattern, tt.origin, got, tt.want)
		}
	}
}

// warmPolicyHit returns an edge whose default behaviour has the policy,
// with /obj cached, and a request for it from origin (if not "").
func warmPolicyHit(tb testing.TB, size int, origin string, c *cloudfront.ResponseHeadersPolicyConfig) (*Server, *http.Request) {
	tb.Helper()
	o := httptest.NewServer(text(strings.Repeat("x", size), "Content-Type", "application/octet-stream", "ETag", `"e"`))
	tb.Cleanup(o.Close)
	s, err := New(Options{HostID: "0123456789abcdef0123456789abcdef"})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	d := distribution(o)
	if c != nil {
		d = distribution(o, withRHP(*c))
	}
	if err := s.Apply(testSnapshot(1, d), nil); err != nil {
		tb.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/obj", nil)
	r.Host = "d1.cloudfront.test"
	r.Header.Set("Accept-Encoding", "gzip")
	r.Header.Set("User-Agent", "bench")
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	if w := warmUp(tb, s, r); w.n != size {
		tb.Fatalf("warm-up: %d bytes", w.n)
	}
	return s, r
}

// benchPolicy is the managed CORS-and-SecurityHeadersPolicy with a
// custom header and a header to remove: most of what a hit may do.
func benchPolicy(tb testing.TB, serverTiming bool) *cloudfront.ResponseHeadersPolicyConfig {
	c := managedRHP(tb, "e61eb60c-9c35-4d20-a928-2b84e02af89c")
	c.CustomHeaders = []cloudfront.ResponseCustomHeader{{Header: "X-Site", Value: "a", Override: true}}
	c.RemoveHeaders = []string{"Etag"}
	if serverTiming {
		rate := 100.0
		c.ServerTiming = &cloudfront.ServerTimingConfig{Enabled: true, SamplingRate: &rate}
	}
	return &c
}

// TestResponseHeadersPolicyHitAllocs: a policy's headers cost a hit no
// allocation (their values are made when the behaviour is compiled, the
// CORS origin is the request's own); a Server-Timing value costs one.
func TestResponseHeadersPolicyHitAllocs(t *testing.T) {
	for _, tt := range []struct {
		name   string
		policy *cloudfront.ResponseHeadersPolicyConfig
		max    float64
	}{
		{"no policy", nil, 1},
		{"CORS and security headers", benchPolicy(t, false), 1},
		{"and Server-Timing", benchPolicy(t, true), 2},
		{"and Server-Timing not sampled", func() *cloudfront.ResponseHeadersPolicyConfig {
			c := benchPolicy(t, true)
			*c.ServerTiming.SamplingRate = 0
			return c
		}(), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, r := warmPolicyHit(t, 1024, "https://app.example.com", tt.policy)
			w := &discardWriter{h: http.Header{}}
			s.ServeHTTP(w, r)
			if tt.policy != nil && (w.h.Get(hACAO) != "*" || w.h.Get("X-Frame-Options") != "SAMEORIGIN" || w.h.Get("ETag") != "") {
				t.Fatalf("the policy was not applied: %v", w.h)
			}
			if allocs := hitAllocs(s, r, w); allocs > tt.max {
				t.Fatalf("a hit allocates %.1f times, want at most %v", allocs, tt.max)
			}
		})
	}
}

func benchmarkPolicyHit(b *testing.B, c *cloudfront.ResponseHeadersPolicyConfig, fresh bool) {
	s, r := warmPolicyHit(b, 1<<10, "https://app.example.com", c)
	b.ReportAllocs()
	b.SetBytes(1 << 10)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}, fresh: fresh}
		for pb.Next() {
			w.reset()
			s.ServeHTTP(w, r)
		}
	})
}

// BenchmarkHit1KBNoPolicy is BenchmarkHit1KB with a CORS request, for
// comparison with the two below.
func BenchmarkHit1KBNoPolicy(b *testing.B) { benchmarkPolicyHit(b, nil, false) }

// BenchmarkHit1KBResponseHeadersPolicy: CORS-and-SecurityHeadersPolicy, a
// custom header and a header removed.
func BenchmarkHit1KBResponseHeadersPolicy(b *testing.B) {
	benchmarkPolicyHit(b, benchPolicy(b, false), false)
}

// BenchmarkHit1KBResponseHeadersPolicyServerTiming: and Server-Timing on
// every response.
func BenchmarkHit1KBResponseHeadersPolicyServerTiming(b *testing.B) {
	benchmarkPolicyHit(b, benchPolicy(b, true), false)
}

// BenchmarkHit1KBResponseHeadersPolicyFreshHeader: as under net/http,
// whose header map is new for every response.
func BenchmarkHit1KBResponseHeadersPolicyFreshHeader(b *testing.B) {
	benchmarkPolicyHit(b, benchPolicy(b, false), true)
}
