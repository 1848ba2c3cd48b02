package edge

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// withFunctions gives the default behaviour CloudFront Functions, as the
// control plane resolves them (the LIVE code), by event type.
func withFunctions(code map[string]string) func(*cloudfront.DistributionConfig) {
	return func(c *cloudfront.DistributionConfig) {
		b := &c.DefaultCacheBehavior
		for _, ev := range []string{cloudfront.FunctionEventViewerRequest, cloudfront.FunctionEventViewerResponse} {
			if code[ev] == "" {
				continue
			}
			b.FunctionAssociations = append(b.FunctionAssociations, cloudfront.FunctionAssociation{
				FunctionARN: "arn:aws:cloudfront::111122223333:function/" + ev, EventType: ev,
				Function: &cloudfront.FunctionCode{Config: cloudfront.FunctionConfig{Runtime: cloudfront.FunctionRuntimeJS20},
					Code: []byte(code[ev])}})
		}
		// Forward the header, query strings and cookies the functions
		// change, so that the origin sees what they did.
		b.Headers = []string{"X-Tenant"}
		b.QueryString = true
		b.Cookies = cloudfront.CookiePreference{Forward: cloudfront.ForwardAll}
	}
}

// echoRequest answers with what the origin was asked.
func echoRequest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "max-age=60")
	fmt.Fprintf(w, "path=%s query=%s x-tenant=%s cookie=%s", r.URL.Path, r.URL.RawQuery, r.Header.Get("X-Tenant"), r.Header.Get("Cookie"))
}

// TestViewerRequestFunctions: what a viewer-request function returns is
// the request the edge keys and forwards (the docs' examples: a header
// added, a URL rewritten to index.html, a query normalised, a cookie
// set), or the answer the edge sends without asking the origin (a
// redirect); a function that fails is CloudFront's 503.
func TestViewerRequestFunctions(t *testing.T) {
	tests := []struct {
		name, code, path string
		hdr              []string
		status           int
		body, xcache     string
		originHits       int64
	}{
		{"header added", `function handler(event) { var r = event.request; r.headers['x-tenant'] = {value: 'a'}; return r; }`,
			"/a", nil, 200, "path=/a query= x-tenant=a cookie=", "Miss from cloudfront", 1},
		{"index.html appended", `function handler(event) {
			var r = event.request;
			if (r.uri.endsWith('/')) { r.uri += 'index.html'; } else if (!r.uri.includes('.')) { r.uri += '/index.html'; }
			return r; }`,
			"/docs/", nil, 200, "path=/docs/index.html query= x-tenant= cookie=", "Miss from cloudfront", 1},
		{"query normalised", `function handler(event) {
			var r = event.request; delete r.querystring.utm_source; r.querystring.v = {value: '2'}; return r; }`,
			"/q?utm_source=x&a=1", nil, 200, "path=/q query=a=1&v=2 x-tenant= cookie=", "Miss from cloudfront", 1},
		{"query untouched keeps its order", `function handler(event) { return event.request; }`,
			"/o?b=2&a=1", nil, 200, "path=/o query=b=2&a=1 x-tenant= cookie=", "Miss from cloudfront", 1},
		{"cookie set", `function handler(event) { var r = event.request; r.cookies.session = {value: 's1'}; return r; }`,
			"/c", []string{"Cookie", "theme=dark"}, 200, "path=/c query= x-tenant= cookie=session=s1; theme=dark", "Miss from cloudfront", 1},
		{"redirect generated", `function handler(event) {
			return {statusCode: 301, statusDescription: 'Moved Permanently',
				headers: {location: {value: 'https://www.example.com' + event.request.uri}}}; }`,
			"/old", nil, 301, "", "FunctionGeneratedResponse from cloudfront", 0},
		{"body generated", `function handler(event) {
			return {statusCode: 403, headers: {'content-type': {value: 'text/plain'}}, body: {encoding: 'text', data: 'blocked'}}; }`,
			"/b", nil, 403, "blocked", "FunctionGeneratedResponse from cloudfront", 0},
		{"throws", `function handler(event) { throw new Error('boom'); }`,
			"/t", nil, 503, "", "Error from cloudfront", 0},
		{"runs forever", `function handler(event) { while (true) {} }`,
			"/f", nil, 503, "", "Error from cloudfront", 0},
		{"returns nothing", `function handler(event) { }`,
			"/n", nil, 503, "", "Error from cloudfront", 0},
		{"uri not a path", `function handler(event) { var r = event.request; r.uri = 'index.html'; return r; }`,
			"/u", nil, 503, "", "Error from cloudfront", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, echoRequest)
			e := newEdge(t, Options{}, distribution(o.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerRequest: tt.code})))
			r := noRedirects(t, e, tt.path, tt.hdr...)
			if r.StatusCode != tt.status || r.Header.Get("X-Cache") != tt.xcache || o.hits.Load() != tt.originHits {
				t.Fatalf("%d %q (X-Cache %q), %d origin requests; want %d %q, %d", r.StatusCode, r.body,
					r.Header.Get("X-Cache"), o.hits.Load(), tt.status, tt.xcache, tt.originHits)
			}
			if tt.status == 503 {
				if !strings.Contains(r.body, "CloudFront function") {
					t.Fatalf("503 body %q", r.body)
				}
				return
			}
			if tt.body != "" && r.body != tt.body {
				t.Fatalf("body %q, want %q", r.body, tt.body)
			}
			if tt.status == 301 && r.Header.Get("Location") != "https://www.example.com/old" {
				t.Fatalf("Location %q", r.Header.Get("Location"))
			}
		})
	}
}

// noRedirects is e.get without following a redirect.
func noRedirects(t *testing.T, e *testEdge, path string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.http.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "d1.cloudfront.test"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

// TestViewerRequestFunctionKeysTheRewrite: the cache key is the request
// the function returned, so two URLs it rewrites alike are one object.
func TestViewerRequestFunctionKeysTheRewrite(t *testing.T) {
	o := newOrigin(t, echoRequest)
	e := newEdge(t, Options{}, distribution(o.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerRequest: `
		function handler(event) { var r = event.request; r.uri = r.uri.toLowerCase(); return r; }`})))
	first := e.get(t, "d1.cloudfront.test", "/Docs/A")
	e.settle(t)
	second := e.get(t, "d1.cloudfront.test", "/docs/a")
	if first.body != "path=/docs/a query= x-tenant= cookie=" || second.Header.Get("X-Cache") != "Hit from cloudfront" || o.hits.Load() != 1 {
		t.Fatalf("first %q, second %q (%s), %d origin requests", first.body, second.body, second.Header.Get("X-Cache"), o.hits.Load())
	}
}

// TestViewerResponseFunctions: a viewer-response function sees each
// answer's status and headers, from the origin or the cache, and what it
// returns is what the viewer gets; the body is the object's.
func TestViewerResponseFunctions(t *testing.T) {
	o := newOrigin(t, text("hello", "Cache-Control", "max-age=60", "X-Origin", "yes"))
	e := newEdge(t, Options{}, distribution(o.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerResponse: `
		function handler(event) {
			var res = event.response;
			res.headers['strict-transport-security'] = {value: 'max-age=63072000'};
			delete res.headers['x-origin'];
			res.cookies.seen = {value: '1', attributes: 'Path=/'};
			if (event.request.uri === '/gone') { res.statusCode = 410; }
			return res;
		}`})))
	miss, hit := missThenHit(t, e, "/a")
	for _, r := range []response{miss, hit} {
		if r.body != "hello" || r.Header.Get("Strict-Transport-Security") != "max-age=63072000" || r.Header.Get("X-Origin") != "" ||
			r.Header.Get("Set-Cookie") != "seen=1; Path=/" {
			t.Fatalf("%s: %q %v", r.Header.Get("X-Cache"), r.body, r.Header)
		}
	}
	if r := e.get(t, "d1.cloudfront.test", "/gone"); r.StatusCode != 410 || r.body != "hello" {
		t.Fatalf("status change: %d %q", r.StatusCode, r.body)
	}

	broken := newEdge(t, Options{}, distribution(o.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerResponse: `
		function handler(event) { return 42; }`})))
	if r := broken.get(t, "d1.cloudfront.test", "/a"); r.StatusCode != 503 || strings.Contains(r.body, "hello") {
		t.Fatalf("a bad result: %d %q", r.StatusCode, r.body)
	}
}

// TestFunctionsStartClean: one viewer's call cannot leave state for the
// next viewer's: the function's top-level variables start afresh on
// every call, so a counter it keeps is 1 each time.
func TestFunctionsStartClean(t *testing.T) {
	o := newOrigin(t, echoRequest)
	e := newEdge(t, Options{}, distribution(o.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerRequest: `
		var calls = 0;
		function handler(event) {
			calls++;
			var r = event.request;
			r.headers['x-tenant'] = {value: 'calls-' + calls};
			return r;
		}`})))
	for _, path := range []string{"/s?secret=tenant-a", "/other", "/third"} {
		if r := e.get(t, "d1.cloudfront.test", path); r.StatusCode != 200 || !strings.Contains(r.body, "x-tenant=calls-1 ") {
			t.Fatalf("%s: %d %q, want the header calls-1", path, r.StatusCode, r.body)
		}
	}
}
