package edge

import (
	"fmt"
	"net/http"
	"testing"
)

// Headers that change how origins route or build URLs are not in the
// 2012 cache key, so they do not reach the origin; other custom headers
// still do (CloudFront's "other-defined headers"), and so does the edge's
// own X-Forwarded-For.
func TestRoutingHeadersDoNotReachOrigin(t *testing.T) {
	cases := []struct {
		header, value string
		forwarded     bool
	}{
		{"X-Forwarded-Host", "evil.example", false},
		{"X-Forwarded-Server", "evil.example", false},
		{"X-Forwarded-Port", "8443", false},
		{"X-Forwarded-Scheme", "javascript", false},
		{"X-Forwarded-Prefix", "/evil", false},
		{"X-Forwarded-Ssl", "on", false},
		{"X_Forwarded_Host", "evil.example", false}, // read as X-Forwarded-Host by CGI
		{"X-Original-URL", "/admin", false},
		{"X-Original-Host", "evil.example", false},
		{"X-Rewrite-URL", "/admin", false},
		{"X-HTTP-Method-Override", "DELETE", false},
		{"X-HTTP-Method", "DELETE", false},
		{"X-Method-Override", "DELETE", false},
		{"Forwarded", "host=evil.example;proto=http", false},
		{"X-Host", "evil.example", false},
		{"X-HTTP-Host-Override", "evil.example", false},
		{"Front-End-Https", "off", false},
		{"True-Client-IP", "10.0.0.1", false},
		{"X-Client-IP", "10.0.0.1", false},
		{"X-Middleware-Subrequest", "middleware", false},
		{"X_Real_IP", "10.0.0.1", false},
		{"CloudFront-Viewer-Country", "KP", false},
		{"CloudFront-Is-Mobile-Viewer", "true", false},
		{"X-Custom", "kept", true},
		{"X-Forwarded-Hostname-Like", "still X-Forwarded-*", false},
		{"Origin", "https://app.example", true},
		{"Cache-Control", "no-cache", true},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			o := newOrigin(t, text("ok"))
			e := newEdge(t, Options{}, distribution(o.Server))
			e.get(t, "d1.cloudfront.test", "/x", c.header, c.value)
			got, ok := o.lastRequest().Header[http.CanonicalHeaderKey(c.header)]
			if ok != c.forwarded {
				t.Fatalf("origin got %s = %q; forwarded %t, want %t", c.header, got, ok, c.forwarded)
			}
			if xff := o.lastRequest().Header.Get("X-Forwarded-For"); xff != "127.0.0.1" {
				t.Fatalf("X-Forwarded-For %q, want the viewer's address only", xff)
			}
		})
	}
}

// The attack: an origin that builds absolute links from X-Forwarded-Host
// must not be able to hand one viewer's host to every other viewer.
func TestUnkeyedHostHeaderDoesNotPoisonCache(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if fh := r.Header.Get("X-Forwarded-Host"); fh != "" {
			host = fh
		}
		fmt.Fprintf(w, `<script src="//%s/app.js">`, host)
	})
	e := newEdge(t, Options{}, distribution(o.Server))
	attacker := e.get(t, "d1.cloudfront.test", "/", "X-Forwarded-Host", "evil.example")
	victim := e.get(t, "d1.cloudfront.test", "/")
	want := fmt.Sprintf(`<script src="//%s/app.js">`, hostOf(o.Server))
	if attacker.body != want || victim.body != want {
		t.Fatalf("attacker got %q, victim got %q, want %q", attacker.body, victim.body, want)
	}
}
