package edge

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

func ptr[T any](v T) *T { return &v }

// The origin gets OriginPath before the request's path, and the query
// after both.
func TestOriginPath(t *testing.T) {
	cases := []struct {
		name, originPath, request, want string
	}{
		{"prefix", "/v1", "/a/b.txt", "/v1/a/b.txt"},
		{"deeper prefix", "/site/prod", "/", "/site/prod/"},
		{"query kept after the path", "/v1", "/q?x=1", "/v1/q?x=1"},
		{"dot segments cannot climb out", "/v1", "/../../etc/passwd", "/v1/etc/passwd"},
		{"prefix made canonical", "/a/../v2", "/x", "/v2/x"},
		{"no prefix", "", "/x", "/x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := newOrigin(t, text("ok"))
			e := newEdge(t, Options{}, distribution(o.Server, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].OriginPath = c.originPath
				cfg.DefaultCacheBehavior.QueryString = true
			}))
			if r := e.get(t, "d1.cloudfront.test", c.request); r.StatusCode != 200 {
				t.Fatalf("status %d", r.StatusCode)
			}
			if got := o.lastRequest().URL.RequestURI(); got != c.want {
				t.Fatalf("origin got %q, want %q", got, c.want)
			}
		})
	}
}

// CustomHeaders reach the origin and replace a viewer header of the same
// name (developer guide, "Add custom headers to origin requests").
func TestOriginCustomHeaders(t *testing.T) {
	o := newOrigin(t, text("ok"))
	e := newEdge(t, Options{}, distribution(o.Server, func(cfg *cloudfront.DistributionConfig) {
		cfg.Origins[0].CustomHeaders = []cloudfront.CustomHeader{
			{Name: "x-origin-secret", Value: "s3cr3t"},
			{Name: "User-Agent", Value: "my-cdn"},
		}
	}))
	e.get(t, "d1.cloudfront.test", "/x", "X-Origin-Secret", "forged", "X-Other", "kept")
	h := o.lastRequest().Header
	for name, want := range map[string][]string{
		"X-Origin-Secret": {"s3cr3t"},
		"User-Agent":      {"my-cdn"},
		"X-Other":         {"kept"},
	} {
		if got := h.Values(name); len(got) != len(want) || got[0] != want[0] {
			t.Errorf("%s: origin got %q, want %q", name, got, want)
		}
	}
}

// ConnectionAttempts bounds the dials to an origin that refuses them.
func TestOriginConnectionAttempts(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			closed := &httptest.Server{URL: "http://" + ln.Addr().String()}
			ln.Close()
			e := newEdge(t, Options{}, distribution(closed, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].ConnectionAttempts = ptr(n)
			}))
			var dials atomic.Int64
			dial := e.transport.DialContext
			e.transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				dials.Add(1)
				return dial(ctx, network, addr)
			}
			if r := e.get(t, "d1.cloudfront.test", "/x"); r.StatusCode != http.StatusBadGateway {
				t.Fatalf("status %d, want 502", r.StatusCode)
			}
			if got := dials.Load(); got != int64(n) {
				t.Fatalf("%d dials, want %d", got, n)
			}
		})
	}
}

// https-only reaches the origin over TLS whatever the viewer used;
// http-only uses plain HTTP even for an HTTPS viewer.
func TestOriginProtocolPolicy(t *testing.T) {
	cases := []struct {
		policy    string
		viewerTLS bool
		wantTLS   bool
	}{
		{cloudfront.OriginHTTPSOnly, false, true},
		{cloudfront.OriginHTTPSOnly, true, true},
		{cloudfront.OriginMatchViewer, false, false},
		{cloudfront.OriginMatchViewer, true, true},
	}
	for _, c := range cases {
		t.Run(c.policy, func(t *testing.T) {
			// A listener that speaks TLS and plain HTTP would hide a wrong
			// scheme, so each scheme has its own origin and port.
			tlsOrigin := newTLSOrigin(t, text("tls"))
			plain := newOrigin(t, text("plain"))
			d := distribution(plain.Server, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].Custom.OriginProtocolPolicy = c.policy
				cfg.Origins[0].Custom.HTTPSPort = customOrigin("", tlsOrigin.Server, "").Custom.HTTPSPort
			})
			e := newEdge(t, Options{}, d)
			srv := e.http
			if c.viewerTLS {
				srv = e.https
			}
			r := e.do(t, srv, http.MethodGet, "d1.cloudfront.test", "/x")
			want := map[bool]string{true: "tls", false: "plain"}[c.wantTLS]
			if r.StatusCode != 200 || r.body != want {
				t.Fatalf("status %d body %q, want 200 %q", r.StatusCode, r.body, want)
			}
		})
	}
}

// tlsOriginVersions starts an HTTPS origin that speaks only TLS lo..hi.
func tlsOriginVersions(t *testing.T, lo, hi uint16) *testOrigin {
	t.Helper()
	o := &testOrigin{}
	o.Server = httptest.NewUnstartedServer(o.wrap(text("ok")))
	o.Server.TLS = &tls.Config{MinVersion: lo, MaxVersion: hi}
	o.Server.StartTLS()
	t.Cleanup(o.Close)
	return o
}

// OriginSslProtocols bounds the TLS versions towards the origin. Two
// distributions share one origin with different protocols: each gets a
// pool of its own, so a connection made under one's versions never serves
// the other.
func TestOriginSSLProtocols(t *testing.T) {
	cases := []struct {
		name      string
		lo, hi    uint16 // the origin's versions
		protocols []string
		want      int
	}{
		{"default reaches TLS 1.0 origin", tls.VersionTLS10, tls.VersionTLS10, nil, 200},
		{"default reaches TLS 1.3 origin", tls.VersionTLS13, tls.VersionTLS13, nil, 200},
		{"TLSv1.2 refuses TLS 1.1 origin", tls.VersionTLS10, tls.VersionTLS11, []string{"TLSv1.2"}, 502},
		{"TLSv1.1 reaches TLS 1.1 origin", tls.VersionTLS10, tls.VersionTLS11, []string{"TLSv1.1"}, 200},
		{"TLSv1.1 refuses TLS 1.2+ origin", tls.VersionTLS12, tls.VersionTLS13, []string{"TLSv1", "TLSv1.1"}, 502},
		{"TLSv1.2 admits TLS 1.3", tls.VersionTLS13, tls.VersionTLS13, []string{"TLSv1.2"}, 200},
		{"SSLv3 alone cannot be spoken", tls.VersionTLS10, tls.VersionTLS13, []string{"SSLv3"}, 502},
		{"SSLv3 is skipped", tls.VersionTLS10, tls.VersionTLS10, []string{"SSLv3", "TLSv1"}, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := tlsOriginVersions(t, c.lo, c.hi)
			open := distribution(o.Server, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].Custom.OriginProtocolPolicy = cloudfront.OriginHTTPSOnly
			})
			strict := distribution(o.Server, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].Custom.OriginProtocolPolicy = cloudfront.OriginHTTPSOnly
				cfg.Origins[0].Custom.OriginSSLProtocols = c.protocols
				cfg.Origins[0].ConnectionAttempts = ptr(1)
			})
			strict.ID, strict.DomainName = "E2EXAMPLE", "d2.cloudfront.test"
			e := newEdge(t, Options{}, open, strict)
			// The open distribution first, so a pooled connection exists
			// when the strict one asks, when the origin allows it at all.
			e.get(t, "d1.cloudfront.test", "/warm")
			if r := e.get(t, "d2.cloudfront.test", "/x"); r.StatusCode != c.want {
				t.Fatalf("status %d, want %d", r.StatusCode, c.want)
			}
		})
	}
}

// stallListener accepts connections and never answers: a TLS handshake
// with it waits until the edge gives up.
func stallListener(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			held = append(held, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return &httptest.Server{URL: "https://" + ln.Addr().String()}, &conns
}

// ConnectionTimeout bounds the connection (TLS handshake included) and
// ConnectionAttempts how many are tried: the viewer gets 504 after about
// attempts x timeout.
func TestOriginConnectionTimeout(t *testing.T) {
	cases := []struct{ timeout, attempts int }{{1, 1}, {1, 2}}
	for _, c := range cases {
		t.Run("", func(t *testing.T) {
			srv, conns := stallListener(t)
			e := newEdge(t, Options{}, distribution(srv, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].Custom.OriginProtocolPolicy = cloudfront.OriginHTTPSOnly
				cfg.Origins[0].ConnectionTimeout = ptr(c.timeout)
				cfg.Origins[0].ConnectionAttempts = ptr(c.attempts)
			}))
			start := time.Now()
			r := e.get(t, "d1.cloudfront.test", "/x")
			took := time.Since(start)
			want := time.Duration(c.timeout*c.attempts) * time.Second
			if r.StatusCode != http.StatusGatewayTimeout {
				t.Fatalf("status %d, want 504", r.StatusCode)
			}
			if took < want || took > want+time.Second {
				t.Fatalf("took %v, want about %v", took, want)
			}
			if n := conns.Load(); n != int64(c.attempts) {
				t.Fatalf("%d connections, want %d", n, c.attempts)
			}
			t.Logf("timeout %ds x %d attempts: 504 after %v", c.timeout, c.attempts, took.Round(10*time.Millisecond))
		})
	}
}

// OriginReadTimeout bounds the wait for the origin's response.
func TestOriginReadTimeout(t *testing.T) {
	cases := []struct {
		readTimeout int
		delay       time.Duration
		want        int
	}{
		{1, 1500 * time.Millisecond, http.StatusGatewayTimeout},
		{3, 1500 * time.Millisecond, http.StatusOK},
	}
	for _, c := range cases {
		t.Run(http.StatusText(c.want), func(t *testing.T) {
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-time.After(c.delay):
				case <-r.Context().Done():
					return
				}
				w.Write([]byte("late"))
			})
			e := newEdge(t, Options{}, distribution(o.Server, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].Custom.OriginReadTimeout = ptr(c.readTimeout)
				cfg.Origins[0].ConnectionAttempts = ptr(1)
			}))
			if r := e.get(t, "d1.cloudfront.test", "/x"); r.StatusCode != c.want {
				t.Fatalf("status %d, want %d", r.StatusCode, c.want)
			}
		})
	}
}

// OriginKeepaliveTimeout is how long an idle connection is kept: past it
// the next request opens a new one.
func TestOriginKeepaliveTimeout(t *testing.T) {
	cases := []struct {
		keepalive int
		wantConns int64
	}{{1, 2}, {5, 1}}
	for _, c := range cases {
		t.Run("", func(t *testing.T) {
			var conns atomic.Int64
			o := httptest.NewUnstartedServer(text("ok", "Cache-Control", "no-store"))
			o.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			o.Start()
			t.Cleanup(o.Close)
			e := newEdge(t, Options{}, distribution(o, func(cfg *cloudfront.DistributionConfig) {
				cfg.Origins[0].Custom.OriginKeepaliveTimeout = ptr(c.keepalive)
			}))
			e.get(t, "d1.cloudfront.test", "/a")
			time.Sleep(1500 * time.Millisecond)
			e.get(t, "d1.cloudfront.test", "/b")
			if n := conns.Load(); n != c.wantConns {
				t.Fatalf("keepalive %ds: %d connections for two requests 1.5 s apart, want %d", c.keepalive, n, c.wantConns)
			}
		})
	}
}

// Origins with the same settings share a pool; a distribution's change of
// settings drops the pool nobody uses any more.
func TestOriginTransportsShared(t *testing.T) {
	o := newOrigin(t, text("ok"))
	with := func(id, domain string, keepalive int) cloudfront.Distribution {
		d := distribution(o.Server, func(cfg *cloudfront.DistributionConfig) {
			cfg.Origins[0].Custom.OriginKeepaliveTimeout = ptr(keepalive)
		})
		d.ID, d.DomainName = id, domain
		return d
	}
	e := newEdge(t, Options{}, with("E1", "a.test", 7), with("E2", "b.test", 7), distribution(o.Server))
	if n := len(e.transports); n != 0 {
		t.Fatalf("%d extra pools before any request, want none (forms are built at a first request)", n)
	}
	e.get(t, "a.test", "/x")
	e.get(t, "b.test", "/x")
	if n := len(e.transports); n != 1 {
		t.Fatalf("%d extra pools for one non-default setting, want 1", n)
	}
	a, b := e.snap.Load().byID.get("E1").origins[0], e.snap.Load().byID.get("E2").origins[0]
	if a.transport != b.transport || a.transport == e.transport {
		t.Fatal("equal settings do not share one pool apart from the default one")
	}
	if err := e.Apply(testSnapshot(2, with("E1", "a.test", 9)), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(e.transports); n != 0 {
		t.Fatalf("%d extra pools after the change, before a request, want none", n)
	}
	e.get(t, "a.test", "/x")
	if n := len(e.transports); n != 1 {
		t.Fatalf("%d extra pools after the change, want 1", n)
	}
	for k := range e.transports {
		if k.keepalive != 9*time.Second {
			t.Fatalf("the pool left is for %v, want the 9 s one", k.keepalive)
		}
	}
}

// An S3 origin's OriginPath is a key prefix inside the bucket, and its
// custom headers are set before the request is signed.
func TestOriginPathS3(t *testing.T) {
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "x-origin-secret") {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Write([]byte("object at " + r.URL.Path))
	})
	d := s3Distribution("private.s3.amazonaws.com", "origin-access-identity/cloudfront/E74FTE3AEXAMPLE")
	d.Config.Origins[0].OriginPath = "/assets/v2"
	d.Config.Origins[0].CustomHeaders = []cloudfront.CustomHeader{{Name: "X-Origin-Secret", Value: "s"}}
	e := newS3Edge(t, Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}, d)
	r := e.get(t, "d3.cloudfront.test", "/a b.txt")
	if want := "object at /private/assets/v2/a b.txt"; r.StatusCode != 200 || r.body != want {
		t.Fatalf("got %d %q, want 200 %q", r.StatusCode, r.body, want)
	}
}
