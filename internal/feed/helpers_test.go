package feed

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/sqlite"
)

const (
	testSecret = "s3cret"
	// sharedEdge is the one edge the shared secret acts as.
	sharedEdge  = "edge-raw"
	testAccount = "123456789012"
	testTimeout = 15 * time.Second
	// waitLimit bounds every wait for an event; tests never sleep to pass.
	waitLimit = 20 * time.Second
)

// clock is the injected time of the server.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// testFeed is a control plane: a SQLite store and a feed Server on a real
// listener on 127.0.0.1 that can be stopped and started on the same port.
type testFeed struct {
	t     testing.TB
	store store.Store
	clock *clock
	srv   *Server
	hs    *httptest.Server
	addr  string
	// configure, if set, adjusts each Server start makes.
	configure func(*Server)
}

func newTestFeed(t testing.TB) *testFeed {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "openfront.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return newTestFeedOn(t, st, nil)
}

// newTestFeedOn is a control plane on st (with the test account added
// unless it is there), its Server adjusted by configure.
func newTestFeedOn(t testing.TB, st store.Store, configure func(*Server)) *testFeed {
	t.Helper()
	f := &testFeed{t: t, store: st, clock: &clock{now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}, configure: configure}
	if err := st.Update(context.Background(), func(tx store.Tx) error {
		if _, err := tx.Account(testAccount); err == nil {
			return nil
		}
		return tx.InsertAccount(store.Account{ID: testAccount, Name: "test", Created: f.clock.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	f.start()
	t.Cleanup(f.stop)
	return f
}

// start serves a fresh Server (a restarted control plane) on the feed's
// address, the same one each time.
func (f *testFeed) start() {
	f.t.Helper()
	f.srv = &Server{Store: f.store, Secret: testSecret, Timeout: testTimeout, Now: f.clock.Now,
		SecretEdge: Identity{EdgeID: sharedEdge, PriceClass: cloudfront.PriceClass100}}
	if f.configure != nil {
		f.configure(f.srv)
	}
	addr := f.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		f.t.Fatal(err)
	}
	f.addr = ln.Addr().String()
	f.hs = httptest.NewUnstartedServer(f.srv.Handler())
	f.hs.Listener.Close()
	f.hs.Listener = ln
	f.hs.Start()
}

func (f *testFeed) stop() {
	if f.hs != nil {
		// The listener first: an edge that reconnects between closing
		// its connection and Close would hold Close for its long poll
		// (an hour in some tests).
		f.hs.Listener.Close()
		f.hs.CloseClientConnections()
		f.hs.Close()
		f.hs = nil
	}
}

func (f *testFeed) url() string { return "http://" + f.addr }

// write runs fn with a new revision in one transaction, then notifies.
func (f *testFeed) write(fn func(tx store.Tx, rev int64) error) int64 {
	f.t.Helper()
	var rev int64
	err := f.store.Update(context.Background(), func(tx store.Tx) error {
		var err error
		if rev, err = tx.NextRevision(); err != nil {
			return err
		}
		return fn(tx, rev)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.srv.Notify()
	return rev
}

func (f *testFeed) putDistribution(id, priceClass string) int64 {
	return f.write(func(tx store.Tx, rev int64) error {
		d := cloudfront.Distribution{
			ID: id, AccountID: testAccount, DomainName: "d" + id + ".example.net",
			LastModifiedTime: f.clock.Now(), ETag: "E" + id, Revision: rev,
			Config: cloudfront.DistributionConfig{
				CallerReference: id, PriceClass: priceClass, Enabled: true,
				Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com",
					Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
				DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
					Cookies: cloudfront.CookiePreference{Forward: cloudfront.ForwardNone}},
			},
		}
		_, err := tx.Distribution(id)
		if errors.Is(err, store.ErrNotFound) {
			return tx.InsertDistribution(d)
		}
		return tx.UpdateDistribution(d)
	})
}

func (f *testFeed) distribution(id string) cloudfront.Distribution {
	f.t.Helper()
	var d cloudfront.Distribution
	if err := f.store.View(context.Background(), func(tx store.Tx) error {
		var err error
		d, err = tx.Distribution(id)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *testFeed) edges() []store.Edge {
	f.t.Helper()
	var es []store.Edge
	if err := f.store.View(context.Background(), func(tx store.Tx) error {
		var err error
		es, err = tx.Edges()
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return es
}

func (f *testFeed) status(id string) string {
	return DistributionStatus(f.distribution(id), f.edges(), f.clock.Now(), testTimeout)
}

// recorder is a stand-in edge: it records what the feed client applies.
type recorder struct {
	mu            sync.Mutex
	snap          *Snapshot
	applies       int
	invalidations []cloudfront.Invalidation
}

func (r *recorder) Apply(s *Snapshot, invs []cloudfront.Invalidation) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.snap = s
	r.applies++
	r.invalidations = append(r.invalidations, invs...)
	return nil
}

func (r *recorder) snapshot() *Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snap
}

// records is ds as a snapshot holds them.
func records(ds ...cloudfront.Distribution) []*cloudfront.Distribution { return Records(ds) }

func (r *recorder) has(id string) bool {
	s := r.snapshot()
	return s != nil && slices.ContainsFunc(s.Distributions, func(d *cloudfront.Distribution) bool { return d.ID == id })
}

func (r *recorder) invalidated(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.invalidations, func(i cloudfront.Invalidation) bool { return i.ID == id })
}

// testEdge is a running feed Client.
type testEdge struct {
	c      *Client
	rec    *recorder
	cancel context.CancelFunc
	done   chan error
}

// newClient is an edge with an edge key of its own (made here, or kept
// from an earlier call for the same id): the key's id is the edge's.
func (f *testFeed) newClient(id, priceClass, stateDir string) *Client {
	f.t.Helper()
	k := f.edgeKey(id, priceClass)
	return &Client{
		BaseURL: f.url(), Auth: k.ID + ":" + k.Secret,
		EdgeID: id, Name: "edge " + id, PriceClass: priceClass, StateDir: stateDir,
		HeartbeatEvery: 20 * time.Millisecond,
	}
}

// edgeKey stores an edge key for edge id in priceClass ("" leaves the
// key unbound, as keys made before binding are), replacing one of that id.
func (f *testFeed) edgeKey(id, priceClass string) store.EdgeKey {
	f.t.Helper()
	k := store.EdgeKey{ID: id, Secret: "secret-" + id, Created: f.clock.Now()}
	if priceClass != "" {
		pc, err := NormalizeEdgePriceClass(priceClass)
		if err != nil {
			f.t.Fatal(err)
		}
		k.PriceClass = pc
	}
	if err := f.store.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.DeleteEdgeKey(id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return tx.InsertEdgeKey(k)
	}); err != nil {
		f.t.Fatal(err)
	}
	return k
}

func startEdge(t testing.TB, c *Client) *testEdge {
	t.Helper()
	rec := &recorder{}
	c.Applier = rec
	ctx, cancel := context.WithCancel(context.Background())
	e := &testEdge{c: c, rec: rec, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- c.Run(ctx) }()
	t.Cleanup(e.stop)
	return e
}

// stop cancels the client and waits for Run to return.
func (e *testEdge) stop() {
	e.cancel()
	if e.done != nil {
		<-e.done
		e.done = nil
	}
}

// eventually waits, within waitLimit, for cond to hold.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func edgeByID(es []store.Edge, id string) (store.Edge, bool) {
	i := slices.IndexFunc(es, func(e store.Edge) bool { return e.ID == id })
	if i < 0 {
		return store.Edge{}, false
	}
	return es[i], true
}

// get sends an authenticated feed request and returns the response.
func (f *testFeed) do(t testing.TB, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// values is a snapshot's records as a delta carries them.
func values(ps []*cloudfront.Distribution) []cloudfront.Distribution {
	out := make([]cloudfront.Distribution, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}
