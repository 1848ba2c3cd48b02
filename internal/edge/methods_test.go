package edge

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

var (
	readOnlyOptions = []string{"GET", "HEAD", "OPTIONS"}
	allSeven        = []string{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
)

// echo answers with the method, the query and the body it got, and
// headers naming what else arrived.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("X-Got-Authorization", r.Header.Get("Authorization"))
	w.Header().Set("X-Got-Content-Type", r.Header.Get("Content-Type"))
	io.WriteString(w, r.Method+" "+r.URL.RawQuery+" "+string(body))
}

func withMethods(allowed, cached []string) func(*cloudfront.DistributionConfig) {
	return func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.AllowedMethods = allowed
		c.DefaultCacheBehavior.CachedMethods = cached
	}
}

// TestAllowedMethods: each of CloudFront's three AllowedMethods sets lets
// its methods through and answers the others with the 403 page, never
// reaching the origin (developer guide, "HTTP 403 status code (Invalid
// method)"; API reference, AllowedMethods: "CloudFront forwards
// only GET and HEAD requests", "… GET, HEAD and OPTIONS", "… GET, HEAD,
// OPTIONS, PUT, PATCH, POST, and DELETE").
func TestAllowedMethods(t *testing.T) {
	sets := map[string][]string{"default": nil, "read-only+options": readOnlyOptions, "all": allSeven}
	tests := []struct {
		set    string
		method string
		status int
	}{
		{"default", "OPTIONS", 403},
		{"default", "POST", 403},
		{"read-only+options", "OPTIONS", 200},
		{"read-only+options", "POST", 403},
		{"read-only+options", "DELETE", 403},
		{"all", "OPTIONS", 200},
		{"all", "POST", 200},
		{"all", "PUT", 200},
		{"all", "PATCH", 200},
		{"all", "DELETE", 200},
		{"all", "TRACE", 403},
		{"all", "CONNECT", 403},
	}
	for _, tt := range tests {
		t.Run(tt.set+"/"+tt.method, func(t *testing.T) {
			o := newOrigin(t, echo)
			e := newEdge(t, Options{}, distribution(o.Server, withMethods(sets[tt.set], nil)))
			r := e.do(t, e.http, tt.method, "d1.cloudfront.test", "/m")
			if r.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.StatusCode, tt.status, r.body)
			}
			wantHits := int64(1)
			if tt.status == 403 {
				checkErrorPage(t, r, "This distribution is not configured to allow the HTTP request method")
				wantHits = 0
			} else if !strings.HasPrefix(r.body, tt.method+" ") {
				t.Errorf("origin got %q, want method %s", r.body, tt.method)
			}
			if n := o.hits.Load(); n != wantHits {
				t.Errorf("origin hits = %d, want %d", n, wantHits)
			}
		})
	}
}

// TestMethodBodies: POST, PUT, PATCH and DELETE reach the origin with
// their bodies (fixed length and chunked), Content-Type and Authorization
// (CloudFront forwards Authorization for these methods: developer guide,
// "HTTP request headers and CloudFront behavior"), and are never cached.
func TestMethodBodies(t *testing.T) {
	o := newOrigin(t, echo)
	e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.QueryString = true
	}, withMethods(allSeven, nil)))
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		for _, chunked := range []bool{false, true} {
			name := method + "/length"
			if chunked {
				name = method + "/chunked"
			}
			t.Run(name, func(t *testing.T) {
				before := o.hits.Load()
				for i := range 2 {
					payload := name + strings.Repeat("x", 100*i)
					var body io.Reader = strings.NewReader(payload)
					if chunked {
						body = io.MultiReader(body) // hides the length: sent chunked
					}
					req, _ := http.NewRequest(method, e.http.URL+"/api?x=1", body)
					req.Host = "d1.cloudfront.test"
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer t")
					resp, err := e.http.Client().Do(req)
					if err != nil {
						t.Fatal(err)
					}
					got, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if want := method + " x=1 " + payload; string(got) != want {
						t.Fatalf("origin answered %q, want %q", got, want)
					}
					if resp.Header.Get("X-Got-Content-Type") != "application/json" || resp.Header.Get("X-Got-Authorization") != "Bearer t" {
						t.Errorf("origin got Content-Type %q, Authorization %q", resp.Header.Get("X-Got-Content-Type"), resp.Header.Get("X-Got-Authorization"))
					}
					if x := resp.Header.Get("X-Cache"); x != "Miss from cloudfront" {
						t.Errorf("X-Cache = %q", x)
					}
				}
				if n := o.hits.Load() - before; n != 2 {
					t.Errorf("origin hits = %d, want 2 (never cached)", n)
				}
			})
		}
	}
	t.Run("GET with a body", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.http.URL+"/api", strings.NewReader("b"))
		req.Host = "d1.cloudfront.test"
		resp, err := e.http.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("status = %d, want 403", resp.StatusCode)
		}
	})
}

// TestMethodBodyStreams: the body reaches the origin as the viewer sends
// it, not once the edge has it all: the viewer sends its second part only
// after the origin has read the first.
func TestMethodBodyStreams(t *testing.T) {
	gotFirst := make(chan struct{})
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 5)
		if _, err := io.ReadFull(r.Body, buf); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		close(gotFirst)
		rest, _ := io.ReadAll(r.Body)
		io.WriteString(w, string(buf)+"+"+string(rest))
	})
	e := newEdge(t, Options{}, distribution(o.Server, withMethods(allSeven, nil)))
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("first"))
		select {
		case <-gotFirst:
			pw.Write([]byte("second"))
			pw.Close()
		case <-time.After(5 * time.Second):
			pw.CloseWithError(io.ErrUnexpectedEOF)
		}
	}()
	req, _ := http.NewRequest("POST", e.http.URL+"/upload", pr)
	req.Host = "d1.cloudfront.test"
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if string(got) != "first+second" {
		t.Fatalf("origin answered %q (status %d): the body was not streamed", got, resp.StatusCode)
	}
}

// TestOptionsCaching: OPTIONS is cached only when CachedMethods lists it,
// and then as its own object, not the GET's.
func TestOptionsCaching(t *testing.T) {
	tests := []struct {
		name   string
		cached []string
		hits   int64 // origin requests for two OPTIONS and two GETs
	}{
		{"not cached", nil, 3},
		{"cached", readOnlyOptions, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, echo)
			e := newEdge(t, Options{}, distribution(o.Server, withMethods(readOnlyOptions, tt.cached)))
			for i := range 2 {
				r := e.do(t, e.http, "OPTIONS", "d1.cloudfront.test", "/o")
				if !strings.HasPrefix(r.body, "OPTIONS ") {
					t.Fatalf("OPTIONS got %q", r.body)
				}
				want := "Miss from cloudfront"
				if i == 1 && tt.cached != nil {
					want = "Hit from cloudfront"
				}
				if x := r.Header.Get("X-Cache"); x != want {
					t.Errorf("OPTIONS %d: X-Cache = %q, want %q", i, x, want)
				}
				if g := e.get(t, "d1.cloudfront.test", "/o"); !strings.HasPrefix(g.body, "GET ") {
					t.Fatalf("GET got %q: the OPTIONS answer was served for it", g.body)
				}
			}
			if n := o.hits.Load(); n != tt.hits {
				t.Errorf("origin hits = %d, want %d", n, tt.hits)
			}
		})
	}
}

// TestRedirectToHTTPS: an HTTP viewer of a redirect-to-https behaviour
// gets 301 to the same URL under https:// for GET and HEAD and 307 for
// the other methods, with X-Cache "Redirect from cloudfront" (developer
// guide, "Require HTTPS for communication between viewers and
// CloudFront": 301 "along with the new HTTPS URL"; DELETE, OPTIONS,
// PATCH, POST and PUT get 307 Temporary Redirect, which older guides did
// not redirect at all); HTTPS viewers are served; https-only still
// answers 403.
func TestRedirectToHTTPS(t *testing.T) {
	o := newOrigin(t, echo)
	d := distribution(o.Server, withMethods(allSeven, nil), func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.ViewerProtocolPolicy = cloudfront.ViewerRedirectToHTTPS
		c.Aliases = []string{"www.example.com"}
		strict := cacheBehavior("o")
		strict.PathPattern = "/strict/*"
		strict.ViewerProtocolPolicy = cloudfront.ViewerHTTPSOnly
		c.CacheBehaviors = []cloudfront.CacheBehavior{strict}
	})
	e := newEdge(t, Options{}, d)
	noRedirect := func(req *http.Request, via []*http.Request) error { return http.ErrUseLastResponse }
	tests := []struct {
		name, method, host, target string
		https                      bool
		status                     int
		location                   string
	}{
		{"GET", "GET", "d1.cloudfront.test", "/a/b?x=1&y", false, 301, "https://d1.cloudfront.test/a/b?x=1&y"},
		{"HEAD", "HEAD", "d1.cloudfront.test", "/a", false, 301, "https://d1.cloudfront.test/a"},
		{"alias with port", "GET", "WWW.example.com:8080", "/%7Ea", false, 301, "https://www.example.com/%7Ea"},
		{"POST", "POST", "d1.cloudfront.test", "/form", false, 307, "https://d1.cloudfront.test/form"},
		{"DELETE", "DELETE", "d1.cloudfront.test", "/x", false, 307, "https://d1.cloudfront.test/x"},
		{"HTTPS is served", "GET", "d1.cloudfront.test", "/a", true, 200, ""},
		{"https-only", "GET", "d1.cloudfront.test", "/strict/a", false, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := e.http
			if tt.https {
				srv = e.https
			}
			before := o.hits.Load()
			req, _ := http.NewRequest(tt.method, srv.URL+tt.target, nil)
			req.Host = tt.host
			c := srv.Client()
			c.CheckRedirect = noRedirect
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if tt.location == "" {
				return
			}
			if x := resp.Header.Get("X-Cache"); x != "Redirect from cloudfront" {
				t.Errorf("X-Cache = %q", x)
			}
			if s := resp.Header.Get("Server"); s != "CloudFront" {
				t.Errorf("Server = %q", s)
			}
			if tt.method != "HEAD" && !bytes.Contains(body, []byte(http.StatusText(tt.status))) {
				t.Errorf("body %q does not name the status", body)
			}
			if n := o.hits.Load() - before; n != 0 {
				t.Errorf("origin hits = %d, want 0", n)
			}
		})
	}
}

// TestMethodBodyNotReplayed: a POST whose body the origin read before the
// connection broke is not sent again (the origin may have acted on it,
// and the body is gone): the viewer gets 502 and the origin saw it once.
func TestMethodBodyNotReplayed(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	e := newEdge(t, Options{}, distribution(o.Server, withMethods(allSeven, nil)))
	for _, chunked := range []bool{false, true} {
		before := o.hits.Load()
		var body io.Reader = strings.NewReader("order=1")
		if chunked {
			body = io.MultiReader(body)
		}
		req, _ := http.NewRequest("POST", e.http.URL+"/order", body)
		req.Host = "d1.cloudfront.test"
		resp, err := e.http.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadGateway {
			t.Errorf("chunked %v: status = %d, want 502", chunked, resp.StatusCode)
		}
		if n := o.hits.Load() - before; n != 1 {
			t.Errorf("chunked %v: origin got the POST %d times, want 1", chunked, n)
		}
	}
}
