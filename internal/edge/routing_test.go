package edge

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

func TestRouting(t *testing.T) {
	o := newOrigin(t, text("hello"))
	enabled := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.Aliases = []string{"cdn.example.com"}
	})
	disabled := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.Enabled = false
		c.Aliases = []string{"off.example.com"}
	})
	disabled.ID, disabled.DomainName = "E2DISABLED", "d2.cloudfront.test"
	e := newEdge(t, Options{}, enabled, disabled)

	tests := []struct {
		name, host string
		status     int
	}{
		{"domain name", "d1.cloudfront.test", 200},
		{"CNAME", "cdn.example.com", 200},
		{"mixed case", "CDN.Example.COM", 200},
		{"port ignored", "d1.cloudfront.test:8080", 200},
		{"trailing dot", "cdn.example.com.", 200},
		{"unknown host", "nope.example.com", 403},
		{"empty host", "", 403},
		{"disabled by domain", "d2.cloudfront.test", 403},
		{"disabled by CNAME", "off.example.com", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, tt.host, "/a.txt")
			if r.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", r.StatusCode, tt.status)
			}
			if tt.status == 200 {
				if r.body != "hello" {
					t.Fatalf("body = %q", r.body)
				}
				return
			}
			checkErrorPage(t, r, "Bad request.")
		})
	}
}

func checkErrorPage(t *testing.T, r response, message string) {
	t.Helper()
	want := map[string]string{
		"Server":       "CloudFront",
		"Content-Type": "text/html",
		"X-Cache":      "Error from cloudfront",
		"Via":          "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if id := r.Header.Get("X-Amz-Cf-Id"); len(id) != 56 || !strings.HasSuffix(id, "==") {
		t.Errorf("X-Amz-Cf-Id = %q, want 56 characters ending in ==", id)
	}
	if !strings.Contains(r.body, "<TITLE>ERROR: The request could not be satisfied</TITLE>") ||
		!strings.Contains(r.body, message) {
		t.Errorf("body is not CloudFront's error page with %q:\n%s", message, r.body)
	}
}

// TestMethods: a behaviour with CloudFront's default AllowedMethods (GET
// and HEAD) answers every other method, known or not, with CloudFront's
// 403 page for a method the distribution does not allow, without asking
// the origin. methods_test.go covers the other AllowedMethods.
func TestMethods(t *testing.T) {
	o := newOrigin(t, text("hello"))
	e := newEdge(t, Options{}, distribution(o.Server))
	tests := []struct {
		method string
		status int
	}{
		{http.MethodGet, 200},
		{http.MethodHead, 200},
		{http.MethodPost, 403},
		{http.MethodPut, 403},
		{http.MethodDelete, 403},
		{http.MethodOptions, 403},
		{http.MethodPatch, 403},
		{"TRACE", 403},
		{"PROPFIND", 403},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			// Go's client asks for gzip on GET only; the encoding class is
			// part of the cache key, so ask the same way for both.
			r := e.do(t, e.http, tt.method, "d1.cloudfront.test", "/m", "Accept-Encoding", "gzip")
			if r.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", r.StatusCode, tt.status)
			}
			if tt.status == 403 {
				checkErrorPage(t, r, "This distribution is not configured to allow the HTTP request method")
			}
		})
	}
	if n := o.hits.Load(); n != 1 {
		t.Errorf("origin hits = %d, want 1 (GET and HEAD share the object)", n)
	}
}

func TestBehaviorSelection(t *testing.T) {
	a := newOrigin(t, text("A"))
	b := newOrigin(t, text("B"))
	c := newOrigin(t, text("C"))
	d := distribution(a.Server, func(cfg *cloudfront.DistributionConfig) {
		cfg.Origins = append(cfg.Origins, customOrigin("b", b.Server, cloudfront.OriginHTTPOnly),
			customOrigin("c", c.Server, cloudfront.OriginHTTPOnly))
		images := cacheBehavior("b")
		images.PathPattern = "/images/*.jpg"
		doc := cacheBehavior("c")
		doc.PathPattern = "*.doc?"
		all := cacheBehavior("c")
		all.PathPattern = "images/*"
		cfg.CacheBehaviors = []cloudfront.CacheBehavior{images, doc, all}
	})
	e := newEdge(t, Options{}, d)
	tests := []struct{ path, want string }{
		{"/images/a.jpg", "B"},
		{"/images/sub/dir/a.jpg", "B"}, // '*' spans '/'
		{"/images/a.JPG", "C"},         // case-sensitive; falls to images/*
		{"/images/a.png", "C"},         // order: the first match wins
		{"/x.docx", "C"},
		{"/x.doc", "A"}, // '?' is exactly one character
		{"/other", "A"}, // default behaviour
		{"/images/a.jpg?size=1", "B"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if r := e.get(t, "d1.cloudfront.test", tt.path); r.body != tt.want {
				t.Fatalf("served by %q, want %q", r.body, tt.want)
			}
		})
	}
}

func TestHTTPSOnly(t *testing.T) {
	o := newOrigin(t, text("secret"))
	e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.ViewerProtocolPolicy = cloudfront.ViewerHTTPSOnly
	}))
	r := e.get(t, "d1.cloudfront.test", "/s")
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("HTTP: status = %d, want 403", r.StatusCode)
	}
	checkErrorPage(t, r, "Bad request.")
	if o.hits.Load() != 0 {
		t.Fatal("the origin saw an https-only request made over HTTP")
	}
	r = e.do(t, e.https, http.MethodGet, "d1.cloudfront.test", "/s")
	if r.StatusCode != 200 || r.body != "secret" {
		t.Fatalf("HTTPS: %d %q", r.StatusCode, r.body)
	}
}

func TestMatchViewer(t *testing.T) {
	o := newTLSOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil {
			w.Write([]byte("https"))
		} else {
			w.Write([]byte("http"))
		}
	})
	// One port serves TLS only, so HTTPPort points at a plain server.
	plain := newOrigin(t, text("http"))
	d := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		og := customOrigin("o", o.Server, cloudfront.OriginMatchViewer)
		pp := customOrigin("p", plain.Server, cloudfront.OriginMatchViewer)
		og.Custom.HTTPPort = pp.Custom.HTTPPort
		c.Origins = []cloudfront.Origin{og}
		c.DefaultCacheBehavior.QueryString = true
	})
	e := newEdge(t, Options{}, d)
	if r := e.do(t, e.https, http.MethodGet, "d1.cloudfront.test", "/x?1"); r.body != "https" {
		t.Errorf("HTTPS viewer: origin saw %q", r.body)
	}
	if r := e.get(t, "d1.cloudfront.test", "/x?2"); r.body != "http" {
		t.Errorf("HTTP viewer: origin saw %q", r.body)
	}
	// Both schemes share one cached object.
	if r := e.get(t, "d1.cloudfront.test", "/x?1"); r.body != "https" || r.Header.Get("X-Cache") != "Hit from cloudfront" {
		t.Errorf("HTTP viewer after HTTPS: %q %q", r.body, r.Header.Get("X-Cache"))
	}
}

func TestDefaultRootObject(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.URL.RequestURI())) })
	e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultRootObject = "index.html"
		c.DefaultCacheBehavior.QueryString = true
	}))
	tests := []struct{ path, want string }{
		{"/", "/index.html"},
		{"/?a=b", "/index.html?a=b"},
		{"/install/", "/install/"},
		{"/index.html", "/index.html"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if r := e.get(t, "d1.cloudfront.test", tt.path); r.body != tt.want {
				t.Fatalf("origin got %q, want %q", r.body, tt.want)
			}
		})
	}
	// "/" and "/index.html" are one object.
	if n := o.hits.Load(); n != 3 {
		t.Errorf("origin hits = %d, want 3", n)
	}
}

func TestApplyRevision(t *testing.T) {
	o := newOrigin(t, text("x"))
	e := newEdge(t, Options{}, distribution(o.Server))
	if e.Revision() != 1 {
		t.Fatalf("Revision = %d", e.Revision())
	}
	if err := e.Apply(&feed.Snapshot{Revision: 7}, nil); err != nil {
		t.Fatal(err)
	}
	if e.Revision() != 7 {
		t.Fatalf("Revision = %d, want 7", e.Revision())
	}
	if r := e.get(t, "d1.cloudfront.test", "/"); r.StatusCode != 403 {
		t.Fatalf("deleted distribution: status %d", r.StatusCode)
	}
}

func TestBadDistributionLeftOut(t *testing.T) {
	o := newOrigin(t, text("ok"))
	good := distribution(o.Server)
	bad := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.TargetOriginID = "missing"
	})
	bad.ID, bad.DomainName = "EBAD", "bad.cloudfront.test"
	e := newEdge(t, Options{}, good, bad)
	if r := e.get(t, "d1.cloudfront.test", "/"); r.StatusCode != 200 {
		t.Errorf("good distribution: %d", r.StatusCode)
	}
	if r := e.get(t, "bad.cloudfront.test", "/"); r.StatusCode != 403 {
		t.Errorf("bad distribution: %d, want 403 as an unknown host", r.StatusCode)
	}
}
