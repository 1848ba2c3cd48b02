package signedurl

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

func trusting(items ...string) *cloudfront.CacheBehavior {
	return &cloudfront.CacheBehavior{TrustedSigners: cloudfront.TrustedSigners{Enabled: len(items) > 0, Items: items}}
}

func TestChecker(t *testing.T) {
	must := mustT(t)
	c := NewChecker(Options{Now: func() time.Time { return arrival }})
	c.Update(testPairs(t))
	canned := must(SignCanned(base, expires, "APKAOWNER", key(t, 0)))
	partner := must(SignCanned(base, expires, "APKAPARTNER", key(t, 1)))
	https := must(SignCanned(strings.Replace(base, "http:", "https:", 1), expires, "APKAOWNER", key(t, 0)))
	mine := &cloudfront.Distribution{AccountID: owner}
	theirs := &cloudfront.Distribution{AccountID: stranger}
	tests := []struct {
		name   string
		url    string
		d      *cloudfront.Distribution
		b      *cloudfront.CacheBehavior
		remote string
		tls    bool
		want   Code
	}{
		{name: "self is the owner", url: canned, d: mine, b: trusting("self")},
		{name: "self is another owner", url: canned, d: theirs, b: trusting("self"), want: InvalidKey},
		{name: "owner by number", url: canned, d: theirs, b: trusting(owner)},
		{name: "partner among signers", url: partner, d: mine, b: trusting("self", "222222222222")},
		{name: "partner not among signers", url: partner, d: mine, b: trusting("self"), want: InvalidKey},
		{name: "self with no owner known", url: canned, d: &cloudfront.Distribution{}, b: trusting("self"), want: InvalidKey},
		{name: "behaviour without signers passes", url: base, d: mine, b: trusting()},
		{name: "unsigned", url: base, d: mine, b: trusting("self"), want: MissingKey},
		{name: "https URL over http", url: https, d: mine, b: trusting("self"), want: AccessDenied},
		{name: "https URL over TLS", url: https, d: mine, b: trusting("self"), tls: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.url, nil)
			r.RemoteAddr = "192.0.2.10:5000"
			if !tt.tls {
				r.TLS = nil
			} else if r.TLS == nil {
				r.TLS = &tls.ConnectionState{}
			}
			status, body, ok := c.Check(r, r.URL.EscapedPath(), tt.d, tt.b)
			if tt.want == "" {
				if !ok {
					t.Fatalf("refused: %d %s", status, body)
				}
				return
			}
			if ok || status != http.StatusForbidden || string(body) != string(tt.want.Body()) {
				t.Fatalf("got %v %d %s, want %s", ok, status, body, tt.want)
			}
		})
	}
}

func TestRequestFrom(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://CDN.example.com:8080/a%2Fb?x=1&Expires=2", nil)
	r.RemoteAddr = "[::ffff:192.0.2.1]:443"
	q := RequestFrom(r, "/served", arrival)
	want := Request{Scheme: "http", Host: "CDN.example.com:8080", Path: "/served", RawQuery: "x=1&Expires=2", Peer: netip.MustParseAddr("192.0.2.1"), Time: arrival}
	if q != want {
		t.Errorf("got %+v\nwant %+v", q, want)
	}
}

// recordingApplier stands in for the edge in the wrapper's unit test only.
type recordingApplier struct{ snaps []*feed.Snapshot }

func (a *recordingApplier) Apply(s *feed.Snapshot, _ []cloudfront.Invalidation) error {
	a.snaps = append(a.snaps, s)
	return nil
}

func TestWrapApplierUpdatesKeys(t *testing.T) {
	c := NewChecker(Options{Now: func() time.Time { return arrival }})
	next := &recordingApplier{}
	a := WrapApplier(next, c)
	canned := mustT(t)(SignCanned(base, expires, "APKAOWNER", key(t, 0)))
	// check returns the refusal's body, "" when the request passes.
	check := func() string {
		r := httptest.NewRequest(http.MethodGet, canned, nil)
		r.RemoteAddr = "192.0.2.10:5000"
		_, body, _ := c.Check(r, r.URL.EscapedPath(), &cloudfront.Distribution{AccountID: owner}, trusting("self"))
		return string(body)
	}
	invalidKey := string(InvalidKey.Body())
	if got := check(); got != invalidKey {
		t.Fatalf("before any snapshot: %q", got)
	}
	pairs := testPairs(t)
	if err := a.Apply(&feed.Snapshot{Revision: 1, KeyPairs: pairs}, nil); err != nil {
		t.Fatal(err)
	}
	if got := check(); got != "" {
		t.Fatalf("after the snapshot: %q", got)
	}
	pairs[0].Active = false
	if err := a.Apply(&feed.Snapshot{Revision: 2, KeyPairs: pairs}, nil); err != nil {
		t.Fatal(err)
	}
	if got := check(); got != invalidKey {
		t.Fatalf("after deactivation: %q", got)
	}
	if len(next.snaps) != 2 || next.snaps[1].Revision != 2 {
		t.Errorf("the edge got %d snapshots", len(next.snaps))
	}
}

// TestCheckerMatchesTheServedPath: the signed resource is compared with the
// path the edge serves, not with the viewer's spelling of it, so that a
// policy for /public/* does not open /public/../private/x (which the edge
// serves as /private/x), and a signature for /private/x still works when
// the viewer spells it /private/./x.
func TestCheckerMatchesTheServedPath(t *testing.T) {
	must := mustT(t)
	c := NewChecker(Options{Now: func() time.Time { return arrival }})
	c.Update(testPairs(t))
	host := "http://d111111abcdef8.cloudfront.net"
	public := must(SignCustom(host+"/public/../private/x", string(customPolicy(host+"/public/*").JSON()), "APKAOWNER", key(t, 0)))
	private := must(SignCanned(host+"/private/x", expires, "APKAOWNER", key(t, 0)))
	tests := []struct {
		name, url, served string
		want              Code
	}{
		{"wildcard policy for another folder", public, "/private/x", AccessDenied},
		{"canned signature, other spelling of the same path", strings.Replace(private, "/private/x", "/private/./x", 1), "/private/x", ""},
		{"canned signature, other path", private, "/private/y", AccessDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.url, nil)
			r.RemoteAddr = "192.0.2.10:5000"
			r.TLS = nil
			status, body, ok := c.Check(r, tt.served, &cloudfront.Distribution{AccountID: owner}, trusting("self"))
			if tt.want == "" {
				if !ok {
					t.Fatalf("refused: %d %s", status, body)
				}
				return
			}
			if ok || string(body) != string(tt.want.Body()) {
				t.Fatalf("got %v %d %s, want %s", ok, status, body, tt.want)
			}
		})
	}
}
