package edge

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// siteOrigin serves pages (path -> body) with 200, the status code of the
// path "/status/<code>..." and 404 for the rest, counting each path.
type siteOrigin struct {
	*testOrigin
	hits map[string]*atomic.Int64
}

func newSiteOrigin(t *testing.T, pages map[string]string, hdr ...string) *siteOrigin {
	s := &siteOrigin{hits: map[string]*atomic.Int64{}}
	for p := range pages {
		s.hits[p] = new(atomic.Int64)
	}
	s.testOrigin = newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if n := s.hits[r.URL.Path]; n != nil {
			n.Add(1)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		if body, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write([]byte(body))
			return
		}
		if code, ok := strings.CutPrefix(r.URL.Path, "/status/"); ok {
			n, _ := strconv.Atoi(code[:3])
			w.WriteHeader(n)
			w.Write([]byte("origin " + code[:3]))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("origin 404"))
	})
	return s
}

func errorResponse(code int, page, responseCode string, ttl *int64) cloudfront.CustomErrorResponse {
	return cloudfront.CustomErrorResponse{ErrorCode: code, ResponsePagePath: page, ResponseCode: responseCode, ErrorCachingMinTTL: ttl}
}

// The single-page-app case: 403 and 404 become /index.html with 200, so
// the app's router sees every path. The page is fetched once and cached;
// the error is cached too, under the viewer's path.
func TestCustomErrorSinglePageApp(t *testing.T) {
	site := newSiteOrigin(t, map[string]string{"/index.html": "<app>"})
	e := newEdge(t, Options{}, distribution(site.Server, func(cfg *cloudfront.DistributionConfig) {
		cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{
			errorResponse(403, "/index.html", "200", nil),
			errorResponse(404, "/index.html", "200", nil),
		}
	}))
	cases := []struct {
		method, path string
		wantBody     string
	}{
		{"GET", "/users/42", "<app>"},
		{"GET", "/users/42", "<app>"}, // from cache: both the error and the page
		{"GET", "/status/403", "<app>"},
		{"HEAD", "/settings", ""},
		{"GET", "/index.html", "<app>"},
	}
	for _, c := range cases {
		r := e.do(t, e.http, c.method, "d1.cloudfront.test", c.path)
		if r.StatusCode != 200 || r.body != c.wantBody {
			t.Fatalf("%s %s: got %d %q, want 200 %q", c.method, c.path, r.StatusCode, r.body, c.wantBody)
		}
		if ct := r.Header.Get("Content-Type"); ct != "text/html" {
			t.Errorf("%s %s: Content-Type %q, want the page's", c.method, c.path, ct)
		}
	}
	if n := site.hits["/index.html"].Load(); n != 1 {
		t.Fatalf("the page was fetched %d times, want once", n)
	}
	// /users/42, /status/403, /settings: each error once.
	if n := site.testOrigin.hits.Load(); n != 4 {
		t.Fatalf("origin asked %d times, want 4", n)
	}
}

// The page comes from the behaviour its path matches, with the status
// the response says or, without ResponseCode, the error's own.
func TestCustomErrorPages(t *testing.T) {
	cases := []struct {
		name       string
		cer        cloudfront.CustomErrorResponse
		path       string
		wantStatus int
		wantBody   string
	}{
		{"page keeps the origin's status", errorResponse(500, "/errors/500.html", "", nil), "/status/500", 500, "sorry, 500"},
		{"page with another status", errorResponse(503, "/errors/503.html", "200", nil), "/status/503", 200, "sorry, 503"},
		{"unlisted status passes through", errorResponse(500, "/errors/500.html", "", nil), "/status/502", 502, "origin 502"},
		// "If ... the custom error page isn't available, CloudFront returns
		// to the viewer the status code that CloudFront received from the
		// origin that contains the custom error pages."
		{"missing page: the page origin's status", errorResponse(500, "/errors/gone.html", "200", nil), "/status/500", 404, "errors 404"},
		{"page of its own path does not loop", errorResponse(404, "/missing.html", "200", nil), "/missing.html", 404, "origin 404"},
		{"TTL alone changes no body", errorResponse(404, "", "", ptr(int64(30))), "/nothing", 404, "origin 404"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := newSiteOrigin(t, nil)
			pages := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if code, ok := strings.CutPrefix(r.URL.Path, "/errors/"); ok && code != "gone.html" {
					w.Write([]byte("sorry, " + strings.TrimSuffix(code, ".html")))
					return
				}
				w.WriteHeader(404)
				w.Write([]byte("errors 404"))
			})
			e := newEdge(t, Options{}, distribution(site.Server, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins = append(cfg.Origins, customOrigin("pages", pages.Server, cloudfront.OriginHTTPOnly))
				b := cacheBehavior("pages")
				b.PathPattern = "/errors/*"
				cfg.CacheBehaviors = []cloudfront.CacheBehavior{b}
				cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{c.cer}
			}))
			for i := range 2 { // the second from cache
				r := e.get(t, "d1.cloudfront.test", c.path)
				if r.StatusCode != c.wantStatus || r.body != c.wantBody {
					t.Fatalf("request %d: got %d %q, want %d %q", i+1, r.StatusCode, r.body, c.wantStatus, c.wantBody)
				}
				if x := r.Header.Get("X-Cache"); x != "Error from cloudfront" {
					t.Fatalf("request %d: X-Cache %q", i+1, x)
				}
			}
		})
	}
}

// Errors the edge makes itself, an unreachable origin's 502, get the
// custom page too, from another origin.
func TestCustomErrorUnreachableOrigin(t *testing.T) {
	pages := newOrigin(t, text("we are down"))
	e := newEdge(t, Options{}, distribution(refusedServer(t), func(cfg *cloudfront.DistributionConfig) {
		cfg.Origins = append(cfg.Origins, customOrigin("pages", pages.Server, cloudfront.OriginHTTPOnly))
		b := cacheBehavior("pages")
		b.PathPattern = "/down.html"
		cfg.CacheBehaviors = []cloudfront.CacheBehavior{b}
		cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{errorResponse(502, "/down.html", "503", nil)}
	}))
	r := e.get(t, "d1.cloudfront.test", "/anything")
	if r.StatusCode != 503 || r.body != "we are down" {
		t.Fatalf("got %d %q, want 503 %q", r.StatusCode, r.body, "we are down")
	}
}

// ErrorCachingMinTTL: the error is cached for the larger of it and the
// origin's max-age; 0 caches nothing; no-store on a 404 caches nothing
// and no-cache alike (developer guide, "Control how long CloudFront
// caches errors"); the origin's time counts up to the behaviour's MaxTTL.
func TestCustomErrorCachingMinTTL(t *testing.T) {
	cases := []struct {
		name      string
		ttl       int64
		header    []string
		after     time.Duration // clock moved before the second request
		wantFetch int64         // origin requests after both
		maxTTL    int64         // the behaviour's MaxTTL; 0: the default
	}{
		{"within the TTL", 30, nil, 29 * time.Second, 1, 0},
		{"past the TTL", 30, nil, 31 * time.Second, 2, 0},
		{"0 caches nothing", 0, nil, 0, 2, 0},
		{"origin max-age above the TTL", 30, []string{"Cache-Control", "max-age=60"}, 59 * time.Second, 1, 0},
		{"origin max-age below the TTL", 30, []string{"Cache-Control", "max-age=5"}, 29 * time.Second, 1, 0},
		{"origin max-age capped by MaxTTL", 30, []string{"Cache-Control", "max-age=600"}, 41 * time.Second, 2, 40},
		{"origin max-age within MaxTTL", 30, []string{"Cache-Control", "max-age=600"}, 41 * time.Second, 1, 0},
		{"no-store on 404 is not cached", 30, []string{"Cache-Control", "no-store"}, 1 * time.Second, 2, 0},
		{"no-cache on 404 is not cached", 30, []string{"Cache-Control", "no-cache"}, 1 * time.Second, 2, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := newSiteOrigin(t, nil, c.header...)
			e := newEdge(t, Options{}, distribution(site.Server, func(cfg *cloudfront.DistributionConfig) {
				cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{errorResponse(404, "", "", ptr(c.ttl))}
				if c.maxTTL > 0 {
					cfg.DefaultCacheBehavior.DefaultTTL, cfg.DefaultCacheBehavior.MaxTTL = ptr(c.maxTTL), ptr(c.maxTTL)
				}
			}))
			e.get(t, "d1.cloudfront.test", "/gone")
			e.clock.Advance(c.after)
			if r := e.get(t, "d1.cloudfront.test", "/gone"); r.StatusCode != 404 {
				t.Fatalf("status %d", r.StatusCode)
			}
			if n := site.testOrigin.hits.Load(); n != c.wantFetch {
				t.Fatalf("origin asked %d times, want %d", n, c.wantFetch)
			}
		})
	}
}

// The SPA page also answers after failover: group and error pages meet.
func TestCustomErrorWithOriginGroup(t *testing.T) {
	primary := statusOrigin(t, 500, "broken")
	backup := newSiteOrigin(t, map[string]string{"/index.html": "<app>"})
	e := newEdge(t, Options{}, groupDistribution(primary.Server, backup.Server, []int{500}, func(cfg *cloudfront.DistributionConfig) {
		cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{errorResponse(404, "/index.html", "200", nil)}
	}))
	r := e.get(t, "d1.cloudfront.test", "/route")
	if r.StatusCode != 200 || r.body != "<app>" {
		t.Fatalf("got %d %q", r.StatusCode, r.body)
	}
}

// FuzzErrorCacheTTL: whatever caching headers an origin sends with an
// error, its cached time is never below ErrorCachingMinTTL, and 416 is
// never cached.
func FuzzErrorCacheTTL(f *testing.F) {
	for _, s := range []string{"max-age=60", "s-maxage=5, max-age=9", "no-store", "private, max-age=99999999999999", `max-age="7"`, ""} {
		f.Add(404, s, "Wed, 21 Oct 2099 07:28:00 GMT", int64(30))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, cc, expires string, minTTL int64) {
		if minTTL < 0 || minTTL > 1<<31 {
			return
		}
		ce := &customError{code: status, minTTL: time.Duration(minTTL) * time.Second, hasMinTTL: true}
		h := http.Header{"Cache-Control": {cc}, "Expires": {expires}}
		ttl, ok := errorCacheTTL(ce, status, h, now, 0)
		if ok && ttl < ce.minTTL {
			t.Fatalf("TTL %v below the minimum %v", ttl, ce.minTTL)
		}
		if ok && (ttl <= 0 || status == http.StatusRequestedRangeNotSatisfiable) {
			t.Fatalf("status %d cached for %v", status, ttl)
		}
	})
}

// A method the behaviour does not cache gets the custom page too; the page
// itself is fetched with GET.
func TestCustomErrorUncachedMethod(t *testing.T) {
	var pageMethod atomic.Value
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oops.html" {
			pageMethod.Store(r.Method)
			w.Write([]byte("oops page"))
			return
		}
		w.WriteHeader(http.StatusBadGateway)
	})
	e := newEdge(t, Options{}, distribution(o.Server, withMethods(allSeven, nil), func(cfg *cloudfront.DistributionConfig) {
		cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{errorResponse(502, "/oops.html", "503", nil)}
	}))
	req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/api/orders", strings.NewReader("{}"))
	req.Host = "d1.cloudfront.test"
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || string(body) != "oops page" {
		t.Fatalf("got %d %q, want 503 %q", resp.StatusCode, body, "oops page")
	}
	if m, _ := pageMethod.Load().(string); m != http.MethodGet {
		t.Fatalf("the page was fetched with %q, want GET", m)
	}
}

// With Compress, the page is compressed and cached per encoding like any
// object of its behaviour, and the viewer decodes it.
func TestCustomErrorPageCompressed(t *testing.T) {
	page := "<html>" + strings.Repeat("<p>single page app</p>", 100) + "</html>"
	site := newSiteOrigin(t, map[string]string{"/index.html": page})
	e := newEdge(t, Options{}, distribution(site.Server, func(cfg *cloudfront.DistributionConfig) {
		cfg.DefaultCacheBehavior.Compress = true
		cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{errorResponse(404, "/index.html", "200", nil)}
	}))
	for _, enc := range []string{"gzip", "identity"} {
		r := e.get(t, "d1.cloudfront.test", "/route/"+enc, "Accept-Encoding", enc)
		if r.StatusCode != 200 || r.Header.Get("Content-Encoding") != map[string]string{"gzip": "gzip"}[enc] {
			t.Fatalf("%s: status %d, Content-Encoding %q", enc, r.StatusCode, r.Header.Get("Content-Encoding"))
		}
		body := r.body
		if enc == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			body = string(b)
		}
		if body != page {
			t.Fatalf("%s: the page did not arrive whole (%d bytes)", enc, len(body))
		}
	}
}
