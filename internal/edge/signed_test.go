package edge

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// denyChecker refuses requests whose query contains "deny", and records
// the paths it is asked about.
type denyChecker struct {
	calls int
	paths []string
}

func (c *denyChecker) Check(r *http.Request, path string, d *cloudfront.Distribution, b *cloudfront.CacheBehavior) (int, []byte, bool) {
	c.calls++
	c.paths = append(c.paths, path)
	if strings.Contains(r.URL.RawQuery, "deny") {
		return http.StatusForbidden, []byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>`), false
	}
	return 0, nil, true
}

func TestSignedURLHook(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.URL.RawQuery)) })
	checker := &denyChecker{}
	e := newEdge(t, Options{SignedURLs: checker}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.QueryString = true
		c.DefaultCacheBehavior.TrustedSigners = cloudfront.TrustedSigners{Enabled: true, Items: []string{"self"}}
	}))
	tests := []struct {
		name, path string
		status     int
		body       string
		xcache     string
	}{
		{"signature removed before forwarding", "/p?size=1&Expires=1&Signature=a&Key-Pair-Id=K", 200, "size=1", "Miss from cloudfront"},
		{"and from the cache key", "/p?size=1&Policy=x&Signature=b&Key-Pair-Id=K", 200, "size=1", "Hit from cloudfront"},
		{"refused by the verifier", "/p?deny=1&Signature=b", 403, "AccessDenied", "Error from cloudfront"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, "d1.cloudfront.test", tt.path)
			if r.StatusCode != tt.status || !strings.Contains(r.body, tt.body) || r.Header.Get("X-Cache") != tt.xcache {
				t.Fatalf("%d %q %q", r.StatusCode, r.body, r.Header.Get("X-Cache"))
			}
		})
	}
	if checker.calls != 3 {
		t.Errorf("verifier called %d times, want 3 (every request)", checker.calls)
	}
}
