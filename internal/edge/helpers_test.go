package edge

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// testClock is an injected clock that only moves when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock {
	return &testClock{t: time.Date(2012, 10, 2, 21, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testOrigin is a real HTTP server that counts requests and keeps the last
// one's headers.
type testOrigin struct {
	*httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	last *http.Request
}

func newOrigin(t *testing.T, h http.HandlerFunc) *testOrigin {
	t.Helper()
	o := &testOrigin{}
	o.Server = httptest.NewServer(o.wrap(h))
	t.Cleanup(o.Close)
	return o
}

func newTLSOrigin(t *testing.T, h http.HandlerFunc) *testOrigin {
	t.Helper()
	o := &testOrigin{}
	o.Server = httptest.NewTLSServer(o.wrap(h))
	t.Cleanup(o.Close)
	return o
}

func (o *testOrigin) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		o.hits.Add(1)
		o.mu.Lock()
		o.last = r.Clone(r.Context())
		o.mu.Unlock()
		h(w, r)
	}
}

func (o *testOrigin) lastRequest() *http.Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.last
}

// customOrigin points an origin at a test server.
func customOrigin(id string, srv *httptest.Server, policy string) cloudfront.Origin {
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	c := &cloudfront.CustomOriginConfig{HTTPPort: port, HTTPSPort: port, OriginProtocolPolicy: policy}
	return cloudfront.Origin{ID: id, DomainName: u.Hostname(), Custom: c}
}

func cacheBehavior(originID string) cloudfront.CacheBehavior {
	return cloudfront.CacheBehavior{
		TargetOriginID:       originID,
		ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
		Cookies:              cloudfront.CookiePreference{Forward: cloudfront.ForwardNone},
	}
}

// distribution is an enabled distribution d1.cloudfront.test with one
// custom origin "o" at srv.
func distribution(srv *httptest.Server, edit ...func(*cloudfront.DistributionConfig)) cloudfront.Distribution {
	cfg := cloudfront.DistributionConfig{
		Origins:              []cloudfront.Origin{customOrigin("o", srv, cloudfront.OriginHTTPOnly)},
		DefaultCacheBehavior: cacheBehavior("o"),
		Enabled:              true,
	}
	for _, e := range edit {
		e(&cfg)
	}
	return cloudfront.Distribution{ID: "EDFDVBD6EXAMPLE", DomainName: "d1.cloudfront.test", Status: cloudfront.StatusDeployed, Config: cfg}
}

type testEdge struct {
	*Server
	http  *httptest.Server
	https *httptest.Server
	clock *testClock
}

// settle waits until no origin fetch is under way: objects, parts and
// descriptions are stored after their viewers got the last bytes, so a
// test that wants the next request to hit waits for them.
func (e *testEdge) settle(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		e.flightsMu.Lock()
		flights := len(e.flights)
		e.flightsMu.Unlock()
		e.fillsMu.Lock()
		fills := len(e.fills)
		e.fillsMu.Unlock()
		if flights == 0 && fills == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("origin fetches still under way after 5 s: %d flights, %d fills", flights, fills)
		}
	}
}

// newEdge starts an edge with the distributions behind real HTTP and
// HTTPS listeners. TLS origins of the test are trusted.
func newEdge(t *testing.T, o Options, dists ...cloudfront.Distribution) *testEdge {
	t.Helper()
	return newEdgeSnapshot(t, o, &feed.Snapshot{Revision: 1, Distributions: records(dists...)})
}

// newEdgeSnapshot is newEdge with a whole snapshot (bucket grants, key pairs).
func newEdgeSnapshot(t *testing.T, o Options, snap *feed.Snapshot) *testEdge {
	t.Helper()
	clock := newClock()
	if o.Now == nil {
		o.Now = clock.Now
	}
	if o.HostID == "" {
		o.HostID = "0123456789abcdef0123456789abcdef"
	}
	if o.OriginTLS == nil {
		o.OriginTLS = trustTestCerts()
	}
	o.OriginTimeouts.ConnectTimeout = 2 * time.Second
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(snap, nil); err != nil {
		t.Fatal(err)
	}
	e := &testEdge{Server: s, clock: clock}
	// The listeners keep connections in the context as the edge's do
	// (ConnContext), so large hits are corked here too.
	e.http = httptest.NewUnstartedServer(s)
	e.http.Config.ConnContext = s.ConnContext
	e.http.Start()
	e.https = httptest.NewUnstartedServer(s)
	e.https.Config.ConnContext = s.ConnContext
	e.https.StartTLS()
	t.Cleanup(func() {
		e.http.Close()
		e.https.Close()
		s.Close()
	})
	return e
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body string
}

// get sends a request for host+path to the edge's HTTP listener.
func (e *testEdge) get(t *testing.T, host, path string, hdr ...string) response {
	t.Helper()
	return e.do(t, e.http, http.MethodGet, host, path, hdr...)
}

func (e *testEdge) do(t *testing.T, srv *httptest.Server, method, host, path string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	// Ask for gzip explicitly: Go's client otherwise asks only on GETs
	// without Range, and the encoding class is part of the cache key.
	req.Header.Set("Accept-Encoding", "gzip")
	for i := 0; i+1 < len(hdr); i += 2 {
		if i == 0 || hdr[i] != hdr[i-2] {
			req.Header.Del(hdr[i])
		}
		req.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return response{resp, string(b)}
}

// text answers with a fixed body and headers (name, value pairs).
func text(body string, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Add(hdr[i], hdr[i+1])
		}
		io.WriteString(w, body)
	}
}

// hostOf is the host:port of a test server, as the edge would dial it.
func hostOf(srv *httptest.Server) string {
	u, _ := url.Parse(srv.URL)
	return u.Host
}

func testSnapshot(rev int64, dists ...cloudfront.Distribution) *feed.Snapshot {
	return &feed.Snapshot{Revision: rev, Distributions: records(dists...)}
}

// records is ds as a snapshot holds them.
func records(ds ...cloudfront.Distribution) []*cloudfront.Distribution { return feed.Records(ds) }
