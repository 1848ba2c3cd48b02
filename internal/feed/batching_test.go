package feed

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/pgtest"
	"github.com/openfront/openfront/internal/store/postgres"
	"github.com/openfront/openfront/internal/store/sqlite"
)

// rawEdge speaks the protocol by hand, so that a test decides when it
// acknowledges what.
type rawEdge struct {
	t    testing.TB
	f    *testFeed
	id   string
	auth string
}

// rawEdge registers edge id (with a key of its own) holding revision 0.
func (f *testFeed) rawEdge(t testing.TB, id, priceClass string) *rawEdge {
	t.Helper()
	k := f.edgeKey(id, priceClass)
	e := &rawEdge{t: t, f: f, id: id, auth: "Edge " + k.ID + ":" + k.Secret}
	if code := e.post(PathRegister, RegisterRequest{ID: id, Name: id, PriceClass: priceClass}); code != 200 {
		t.Fatalf("register %s: %d", id, code)
	}
	return e
}

func (e *rawEdge) post(path string, body any) int {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", e.f.url()+path, strings.NewReader(string(b)))
	req.Header.Set("Authorization", e.auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// ack acknowledges rev (a heartbeat carries it the same way).
func (e *rawEdge) ack(rev int64) {
	e.t.Helper()
	if code := e.post(PathAck, AckRequest{Edge: e.id, Revision: rev}); code != 200 {
		e.t.Fatalf("%s ack %d: %d", e.id, rev, code)
	}
}

// statuses is a distribution's Status as this node reports it (store
// and what its feed holds unwritten) and as another node reports it
// (the store alone).
func (f *testFeed) statuses(id string) (here, elsewhere string) {
	d, es, now := f.distribution(id), f.edges(), f.clock.Now()
	return DistributionStatus(d, f.srv.Overlay(es), now, testTimeout), DistributionStatus(d, es, now, testTimeout)
}

func (f *testFeed) flush() {
	f.t.Helper()
	if err := f.srv.Flush(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// TestDeployedHonestWhateverTheBatching: an edge that has not
// acknowledged a revision keeps the distribution InProgress on every
// node, however long acknowledgements wait in memory; once it has, this
// node reports Deployed at once and the others after the flush.
func TestDeployedHonestWhateverTheBatching(t *testing.T) {
	for _, every := range []time.Duration{time.Nanosecond, DefaultFlushEvery, time.Hour} {
		t.Run(every.String(), func(t *testing.T) {
			f := newTestFeedOn(t, newSQLite(t), func(s *Server) { s.FlushEvery = every })
			a := f.rawEdge(t, "edge-a", "All")
			b := f.rawEdge(t, "edge-b", "All")
			const id = "EHONESTEXAMPLE"
			rev := f.putDistribution(id, cloudfront.PriceClassAll)

			a.ack(rev)
			// An ack beyond the store's revision is refused, never counted.
			if code := b.post(PathAck, AckRequest{Edge: "edge-b", Revision: rev + 1}); code != 400 {
				t.Fatalf("ack of a revision not yet written: %d, want 400", code)
			}
			f.flush() // whatever was pending, stored now
			if here, elsewhere := f.statuses(id); here != cloudfront.StatusInProgress || elsewhere != cloudfront.StatusInProgress {
				t.Fatalf("edge-b has not applied %d: here %s, elsewhere %s; want InProgress on both", rev, here, elsewhere)
			}

			b.ack(rev)
			if every == time.Nanosecond {
				// A flush runs with every ack: a store read that it
				// overtakes shows less than this node saw stored, which
				// Overlay takes for the edge registering again elsewhere
				// and answers from the store (InProgress, the safe side)
				// until the next read.
				eventually(t, "Deployed here", func() bool {
					here, _ := f.statuses(id)
					return here == cloudfront.StatusDeployed
				})
			} else if here, _ := f.statuses(id); here != cloudfront.StatusDeployed {
				t.Errorf("both edges acknowledged: here %s, want Deployed without waiting for a flush", here)
			}
			if every == time.Hour {
				// Nothing flushed yet: another node must not know more.
				if _, elsewhere := f.statuses(id); elsewhere != cloudfront.StatusInProgress {
					t.Errorf("before the flush, elsewhere %s, want InProgress", elsewhere)
				}
				f.flush()
			}
			eventually(t, "Deployed elsewhere", func() bool {
				_, elsewhere := f.statuses(id)
				return elsewhere == cloudfront.StatusDeployed
			})
		})
	}
}

// TestEdgeDiesMidBatch: an edge that acknowledged a revision into a batch
// and then died counts for that revision (it applied it) and for no
// later one, until it times out.
func TestEdgeDiesMidBatch(t *testing.T) {
	f := newTestFeedOn(t, newSQLite(t), func(s *Server) { s.FlushEvery = time.Hour })
	a := f.rawEdge(t, "edge-a", "All")
	b := f.rawEdge(t, "edge-b", "All")
	const id = "EDIESEXAMPLE"
	rev := f.putDistribution(id, cloudfront.PriceClassAll)
	a.ack(rev)
	b.ack(rev) // in the batch; edge-b dies here
	f.flush()
	if _, elsewhere := f.statuses(id); elsewhere != cloudfront.StatusDeployed {
		t.Fatalf("both applied %d: elsewhere %s, want Deployed", rev, elsewhere)
	}

	rev2 := f.putDistribution(id, cloudfront.PriceClassAll)
	a.ack(rev2)
	f.flush()
	if here, elsewhere := f.statuses(id); here != cloudfront.StatusInProgress || elsewhere != cloudfront.StatusInProgress {
		t.Fatalf("edge-b (dead, not yet timed out) lacks %d: here %s, elsewhere %s", rev2, here, elsewhere)
	}
	f.clock.Advance(testTimeout + time.Second)
	a.ack(rev2) // edge-a's heartbeat at the new time
	f.flush()
	if here, elsewhere := f.statuses(id); here != cloudfront.StatusDeployed || elsewhere != cloudfront.StatusDeployed {
		t.Errorf("edge-b timed out: here %s, elsewhere %s, want Deployed", here, elsewhere)
	}
	if e, _ := edgeByID(f.edges(), "edge-b"); e.AckedRevision != rev {
		t.Errorf("edge-b stored as acknowledging %d, want %d (what it applied)", e.AckedRevision, rev)
	}
}

// TestNodeDiesMidBatch: a control-plane node that dies with
// acknowledgements unwritten leaves the distribution InProgress; the
// edges' heartbeats, which repeat the revision applied, tell the next
// node.
func TestNodeDiesMidBatch(t *testing.T) {
	f := newTestFeedOn(t, newSQLite(t), func(s *Server) { s.FlushEvery = time.Hour })
	a := f.rawEdge(t, "edge-a", "All")
	b := f.rawEdge(t, "edge-b", "All")
	const id = "ENODEDIESEXAMP"
	rev := f.putDistribution(id, cloudfront.PriceClassAll)
	a.ack(rev)
	b.ack(rev)
	f.stop() // no Flush: the batch is lost
	f.start()
	if here, elsewhere := f.statuses(id); here != cloudfront.StatusInProgress || elsewhere != cloudfront.StatusInProgress {
		t.Fatalf("acks lost with the node: here %s, elsewhere %s, want InProgress", here, elsewhere)
	}
	a.ack(rev) // heartbeats
	if here, _ := f.statuses(id); here != cloudfront.StatusInProgress {
		t.Fatalf("edge-b not heard again: here %s, want InProgress", here)
	}
	b.ack(rev)
	if here, _ := f.statuses(id); here != cloudfront.StatusDeployed {
		t.Errorf("both heard again: here %s, want Deployed", here)
	}
}

// countingStore counts writes and delta reads of the store it wraps.
type countingStore struct {
	store.Store
	updates    atomic.Int64
	deltaReads atomic.Int64
}

func (c *countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

func (c *countingStore) View(ctx context.Context, fn func(store.Tx) error) error {
	return c.Store.View(ctx, func(tx store.Tx) error { return fn(countingTx{tx, c}) })
}

type countingTx struct {
	store.Tx
	c *countingStore
}

func (t countingTx) DistributionsChangedSince(rev int64) ([]cloudfront.Distribution, []string, error) {
	t.c.deltaReads.Add(1)
	return t.Tx.DistributionsChangedSince(rev)
}

// TestOneReadAndOneWritePerChange: a change costs the store one delta
// read for all the edges waiting on it, and their acknowledgements one
// write, not one of each per edge.
func TestOneReadAndOneWritePerChange(t *testing.T) {
	const edges = 20
	cs := &countingStore{Store: newSQLite(t)}
	f := newTestFeedOn(t, cs, func(s *Server) {
		s.FlushEvery = time.Hour         // flushed by the test alone
		s.RevisionCheckEvery = time.Hour // woken by Notify alone
		s.PollWait = time.Hour
	})
	rev0 := f.putDistribution("EFIRSTEXAMPLE", cloudfront.PriceClassAll)
	var es []*testEdge
	for i := range edges {
		es = append(es, startEdge(t, f.newClient("edge-"+strconv.Itoa(i), "All", "")))
	}
	for _, e := range es {
		eventually(t, e.c.EdgeID+" applies the first snapshot", func() bool { return e.c.Revision() == rev0 })
	}
	waitForWaiters(t, f.srv, edges)
	f.flush()
	reads, writes := cs.deltaReads.Load(), cs.updates.Load()

	rev := f.putDistribution("ESECONDEXAMPLE", cloudfront.PriceClassAll) // one write
	for _, e := range es {
		eventually(t, e.c.EdgeID+" applies the change", func() bool { return e.c.Revision() == rev })
	}
	// Waiters that read in the generation before the write and those
	// woken by it share one read each: at most two.
	if n := cs.deltaReads.Load() - reads; n > 2 {
		t.Errorf("%d edges took %d delta reads, want at most 2", edges, n)
	}
	eventually(t, "every ack heard", func() bool {
		d := f.distribution("ESECONDEXAMPLE")
		return DistributionStatus(d, f.srv.Overlay(f.edges()), f.clock.Now(), testTimeout) == cloudfront.StatusDeployed
	})
	if n := cs.updates.Load() - writes; n != 1 {
		t.Errorf("before the flush, %d writes, want 1 (the change)", n)
	}
	f.flush()
	if n := cs.updates.Load() - writes; n != 2 {
		t.Errorf("after the flush, %d writes, want 2 (the change, the batch)", n)
	}
}

// TestRestartWhileEdgesWait: edges waiting on a control plane that
// restarts resume their long polls on the new one and miss no revision,
// including one written while it was down.
func TestRestartWhileEdgesWait(t *testing.T) {
	f := newTestFeedOn(t, newSQLite(t), func(s *Server) { s.PollWait = time.Hour })
	a := startEdge(t, f.newClient("edge-a", "All", t.TempDir()))
	b := startEdge(t, f.newClient("edge-b", "All", ""))
	rev1 := f.putDistribution("EBEFOREEXAMPLE", cloudfront.PriceClassAll)
	for _, e := range []*testEdge{a, b} {
		eventually(t, e.c.EdgeID+" applies", func() bool { return e.c.Revision() == rev1 })
	}
	waitForWaiters(t, f.srv, 2)
	f.stop()
	f.write(func(tx store.Tx, rev int64) error { return nil }) // a revision while it is down
	f.start()
	rev3 := f.putDistribution("EAFTEREXAMPLE", cloudfront.PriceClassAll)
	for _, e := range []*testEdge{a, b} {
		eventually(t, e.c.EdgeID+" resumes and applies every change", func() bool {
			return e.c.Revision() == rev3 && e.rec.has("EBEFOREEXAMPLE") && e.rec.has("EAFTEREXAMPLE")
		})
	}
	eventually(t, "Deployed as every node sees it", func() bool {
		_, elsewhere := f.statuses("EAFTEREXAMPLE")
		return elsewhere == cloudfront.StatusDeployed
	})
}

// TestTwoNodesOnPostgres: two control-plane nodes share a PostgreSQL
// store, each with half the edges. A write on one node reaches the other
// node's edges through NOTIFY (neither the revision poll nor the long
// poll's timeout can answer here), and Deployed, as either node reports
// it, is never reported before every edge has applied the revision.
func TestTwoNodesOnPostgres(t *testing.T) {
	dsn := pgtest.FreshSchema(t, pgtest.DSN(t))
	node := func() *testFeed {
		f := newTestFeedOn(t, openPostgres(t, dsn), func(s *Server) {
			s.RevisionCheckEvery = time.Hour
			s.PollWait = time.Hour
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { f.srv.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		return f
	}
	n1, n2 := node(), node()
	eventually(t, "node 2 listening", n2.srv.listening.Load)
	var es []*testEdge
	for i, n := range []*testFeed{n1, n1, n2, n2} {
		es = append(es, startEdge(t, n.newClient("edge-"+strconv.Itoa(i), "All", "")))
	}
	eventually(t, "four edges registered", func() bool { return len(n1.edges()) == 4 })
	waitForWaiters(t, n2.srv, 2)

	const id = "ETWONODESEXAMP"
	rev := n1.putDistribution(id, cloudfront.PriceClassAll) // Notify on node 1 only
	for deadline := time.Now().Add(waitLimit); ; time.Sleep(2 * time.Millisecond) {
		here1, elsewhere := n1.statuses(id)
		here2, _ := n2.statuses(id)
		if here1 == cloudfront.StatusDeployed || here2 == cloudfront.StatusDeployed || elsewhere == cloudfront.StatusDeployed {
			// The statuses were read after the acks that made them, and
			// every edge applies before it acknowledges.
			for _, e := range es {
				if r := e.c.Revision(); r < rev {
					t.Fatalf("Deployed (node 1 %s, node 2 %s, store %s) while %s has revision %d < %d",
						here1, here2, elsewhere, e.c.EdgeID, r, rev)
				}
			}
		}
		if here1 == cloudfront.StatusDeployed && here2 == cloudfront.StatusDeployed && elsewhere == cloudfront.StatusDeployed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not Deployed everywhere: node 1 %s, node 2 %s, store %s", here1, here2, elsewhere)
		}
	}
}

// openPostgres opens a store on dsn (a control-plane node's own
// connection), closed when the test ends.
func openPostgres(t testing.TB, dsn string) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newSQLite(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "openfront.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestPollAcknowledges: a poll from revision since acknowledges since
// (what the edge has applied), unless since is beyond the store's
// revision (a replaced store: the edge gets a full delta, and has applied
// nothing of this store's).
func TestPollAcknowledges(t *testing.T) {
	f := newTestFeedOn(t, newSQLite(t), func(s *Server) { s.FlushEvery = time.Hour })
	e := f.rawEdge(t, "edge-a", "All")
	rev := f.putDistribution("EPOLLACKEXAMPLE", cloudfront.PriceClassAll)
	acked := func() int64 {
		got, _ := edgeByID(f.srv.Overlay(f.edges()), "edge-a")
		return got.AckedRevision
	}
	poll := func(since int64) {
		t.Helper()
		req, _ := http.NewRequest("GET", f.url()+PathChanges+"?edge=edge-a&since="+strconv.FormatInt(since, 10), nil)
		req.Header.Set("Authorization", e.auth)
		if resp := f.do(t, req); resp.StatusCode != 200 {
			t.Fatalf("poll since %d: %s", since, resp.Status)
		}
	}
	f.srv.PollWait = time.Millisecond
	poll(rev + 5)
	if got := acked(); got != 0 {
		t.Errorf("after a poll from beyond the store, acknowledged %d, want 0", got)
	}
	poll(rev)
	if got := acked(); got != rev {
		t.Errorf("after a poll from %d, acknowledged %d", rev, got)
	}
	if _, elsewhere := f.statuses("EPOLLACKEXAMPLE"); elsewhere != cloudfront.StatusInProgress {
		t.Errorf("before the flush, elsewhere %s, want InProgress", elsewhere)
	}
	f.flush()
	if _, elsewhere := f.statuses("EPOLLACKEXAMPLE"); elsewhere != cloudfront.StatusDeployed {
		t.Errorf("after the flush, elsewhere %s, want Deployed", elsewhere)
	}
}
