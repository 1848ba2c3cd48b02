package edge

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/originaddr"
)

// TestFunctionsChangeTheOrigin: a viewer-request function's origin
// helpers (the developer guide's "Helper methods for origin
// modification") send the request to another origin of the distribution,
// to an origin group made for the request, or to the behaviour's origin
// with other settings; what cannot be done fails as CloudFront's 503.
func TestFunctionsChangeTheOrigin(t *testing.T) {
	named := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			fmt.Fprintf(w, "%s path=%s host=%s x-origin=%s", name, r.URL.Path, r.Host, r.Header.Get("X-Origin"))
		}
	}
	a, b := newOrigin(t, named("a")), newOrigin(t, named("b"))
	failing := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	bu, _ := url.Parse(b.URL)
	fn := func(body string) string {
		return "import cf from 'cloudfront';\nfunction handler(event) {\n" + body + "\nreturn event.request;\n}"
	}
	for _, tt := range []struct {
		name, code string
		status     int
		body       string
	}{
		{"no change", fn(``), 200, "a path=/p"},
		{"another origin by id", fn(`cf.selectRequestOriginById('b');`), 200, "b path=/p"},
		{"an origin the distribution does not have", fn(`cf.selectRequestOriginById('nope');`), 503, ""},
		{"a group that fails over", fn(`cf.createRequestOriginGroup({originIds: ['down', 'b'], failoverCriteria: {statusCodes: [503]}});`), 200, "b path=/p"},
		{"the behaviour's origin with a path, a header and a host", fn(`cf.updateRequestOrigin({originPath: '/v2', customHeaders: {'x-origin': 'fn'}, hostHeader: 'app.example.com'});`),
			200, "a path=/v2/p host=app.example.com x-origin=fn"},
		{"another host and port", fn(fmt.Sprintf(`cf.updateRequestOrigin({domainName: 'localhost', customOriginConfig: {port: %s, protocol: 'http', sslProtocols: ['TLSv1.2']}});`, bu.Port())),
			200, "b path=/p host=localhost:" + bu.Port()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := distribution(a.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerRequest: tt.code}))
			d.Config.Origins = append(d.Config.Origins, customOrigin("b", b.Server, cloudfront.OriginHTTPOnly),
				customOrigin("down", failing.Server, cloudfront.OriginHTTPOnly))
			d.Config.Origins[0].ID = "a"
			d.Config.DefaultCacheBehavior.TargetOriginID = "a"
			e := newEdge(t, Options{}, d)
			r := e.get(t, "d1.cloudfront.test", "/p")
			if r.StatusCode != tt.status || !strings.HasPrefix(r.body, tt.body) {
				t.Fatalf("%d %q; want %d %q", r.StatusCode, r.body, tt.status, tt.body)
			}
		})
	}
}

// TestFunctionsChangeAnS3Origin: an S3 origin's host changed by a
// function stays an S3 endpoint (without the operator's S3 endpoint its
// requests would otherwise go to any host, outside the origin policy),
// and its signing follows the bucket grants as a configured origin's does.
func TestFunctionsChangeAnS3Origin(t *testing.T) {
	o := newOrigin(t, echoRequest)
	d := distribution(o.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerRequest: "import cf from 'cloudfront';\n" +
		"function handler(event) { cf.updateRequestOrigin({domainName: 'internal.example.net'}); return event.request; }"}))
	d.Config.Origins = []cloudfront.Origin{{ID: "o", DomainName: "bucket.s3.amazonaws.com", S3: &cloudfront.S3OriginConfig{}}}
	e := newEdge(t, Options{}, d)
	if r := e.get(t, "d1.cloudfront.test", "/p"); r.StatusCode != 503 || o.hits.Load() != 0 {
		t.Fatalf("%d %q, %d origin requests; want 503 and none", r.StatusCode, r.body, o.hits.Load())
	}
}

// TestFunctionsChangeTheOriginUnderThePolicy: a host a function names is
// dialled under the operator's origin policy, as a configured origin's:
// on an edge that refuses private addresses, a function cannot reach
// loopback (or the cloud metadata service) by naming it.
func TestFunctionsChangeTheOriginUnderThePolicy(t *testing.T) {
	inside := newOrigin(t, text("secret"))
	iu, _ := url.Parse(inside.URL)
	d := distribution(inside.Server, withFunctions(map[string]string{cloudfront.FunctionEventViewerRequest: "import cf from 'cloudfront';\n" +
		"function handler(event) { cf.updateRequestOrigin({domainName: 'localhost', customOriginConfig: {port: " + iu.Port() +
		", protocol: 'http', sslProtocols: ['TLSv1.2']}}); return event.request; }"}))
	d.Config.Origins[0].DomainName = "origin.example.com" // public: the distribution itself is allowed
	e := newEdge(t, Options{Origins: &originaddr.Policy{}}, d)
	if r := e.get(t, "d1.cloudfront.test", "/x"); r.StatusCode != http.StatusBadGateway || inside.hits.Load() != 0 {
		t.Fatalf("status %d %q, hits %d; want 502 and none", r.StatusCode, r.body, inside.hits.Load())
	}
}
