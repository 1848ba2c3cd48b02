package signedurl_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/signedurl"
)

// clock is the one clock of the edge and its checker; it moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// TestEdgeEndToEnd runs a real edge, wired as the binary wires it, in
// front of a real origin, for a distribution whose default behaviour
// trusts "self".
func TestEdgeEndToEnd(t *testing.T) {
	const owner = "111111111111"
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))

	var mu sync.Mutex
	var originQueries []string
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		originQueries = append(originQueries, r.URL.RawQuery)
		mu.Unlock()
		io.WriteString(w, "private "+r.URL.Path)
	}))
	t.Cleanup(origin.Close)
	ou, _ := url.Parse(origin.URL)
	port, _ := strconv.Atoi(ou.Port())

	start := time.Date(2012, 10, 2, 21, 0, 0, 0, time.UTC)
	clk := &clock{t: start}
	checker := signedurl.NewChecker(signedurl.Options{Now: clk.Now})
	e, err := edge.New(edge.Options{SignedURLs: checker, Now: clk.Now, HostID: "0123456789abcdef0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	applier := signedurl.WrapApplier(e, checker)
	behavior := cloudfront.CacheBehavior{
		TargetOriginID:       "o",
		QueryString:          true,
		ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
		Cookies:              cloudfront.CookiePreference{Forward: cloudfront.ForwardNone},
		TrustedSigners:       cloudfront.TrustedSigners{Enabled: true, Items: []string{cloudfront.SelfSigner}},
	}
	d := cloudfront.Distribution{
		ID: "EDFDVBD6EXAMPLE", AccountID: owner, DomainName: "d1.cloudfront.test", Status: cloudfront.StatusDeployed,
		Config: cloudfront.DistributionConfig{
			Origins: []cloudfront.Origin{{ID: "o", DomainName: ou.Hostname(),
				Custom: &cloudfront.CustomOriginConfig{HTTPPort: port, HTTPSPort: port, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
			DefaultCacheBehavior: behavior,
			Enabled:              true,
		},
	}
	snap := &feed.Snapshot{Revision: 1, Distributions: []*cloudfront.Distribution{&d},
		KeyPairs: []feed.KeyPair{{ID: "APKAE2E", AccountID: owner, PublicKeyPEM: pub, Active: true}}}
	if err := applier.Apply(snap, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)

	expires := start.Add(time.Hour)
	signed, err := signedurl.SignCanned("http://d1.cloudfront.test/private/a.txt?size=1", expires, "APKAE2E", priv)
	if err != nil {
		t.Fatal(err)
	}
	policy := func(ip string) string {
		p := signedurl.Policy{Resource: "http://d1.cloudfront.test/private/*", DateLessThan: expires}
		p.SourceIP = netip.MustParsePrefix(ip)
		s, err := signedurl.SignCustom("http://d1.cloudfront.test/private/b.txt", string(p.JSON()), "APKAE2E", priv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	get := func(t *testing.T, rawURL string) (*http.Response, string) {
		t.Helper()
		u, _ := url.Parse(rawURL)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+u.RequestURI(), nil)
		req.Host = u.Host
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	tests := []struct {
		name   string
		url    string
		at     time.Time
		status int
		body   string
		origin string // the query the origin saw; "-" when it saw nothing
	}{
		{"signed", signed, start, 200, "private /private/a.txt", "size=1"},
		{"unsigned", "http://d1.cloudfront.test/private/a.txt?size=1", start, 403, string(signedurl.MissingKey.Body()), "-"},
		{"custom from the viewer's IP", policy("127.0.0.1/32"), start, 200, "private /private/b.txt", ""},
		{"custom from elsewhere", policy("192.0.2.0/24"), start, 403, string(signedurl.AccessDenied.Body()), "-"},
		{"expired, though cached", signed, expires.Add(time.Second), 403, string(signedurl.AccessDenied.Body()), "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			originQueries = nil
			mu.Unlock()
			clk.Set(tt.at)
			resp, body := get(t, tt.url)
			if resp.StatusCode != tt.status || body != tt.body {
				t.Fatalf("got %d %q, want %d %q", resp.StatusCode, body, tt.status, tt.body)
			}
			if tt.status == 403 {
				if ct, xc := resp.Header.Get("Content-Type"), resp.Header.Get("X-Cache"); ct != "text/xml" || xc != "Error from cloudfront" {
					t.Errorf("Content-Type %q, X-Cache %q", ct, xc)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case tt.origin == "-" && len(originQueries) != 0:
				t.Errorf("the origin was asked: %q", originQueries)
			case tt.origin != "-" && (len(originQueries) != 1 || originQueries[0] != tt.origin):
				t.Errorf("the origin saw %q, want [%q]", originQueries, tt.origin)
			}
		})
	}
}
