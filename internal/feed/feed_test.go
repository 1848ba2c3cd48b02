package feed

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func TestRegisterGetsFullSnapshot(t *testing.T) {
	f := newTestFeed(t)
	f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	rev := f.putDistribution("E2QWRUHEXAMPLE", cloudfront.PriceClass100)

	a := startEdge(t, f.newClient("edge-a", "100", t.TempDir()))
	b := startEdge(t, f.newClient("edge-b", "PriceClass_All", t.TempDir()))
	for _, e := range []*testEdge{a, b} {
		eventually(t, e.c.EdgeID+" applies the full snapshot", func() bool {
			s := e.rec.snapshot()
			return s != nil && s.Revision == rev && len(s.Distributions) == 2
		})
		eventually(t, e.c.EdgeID+" acknowledges", func() bool {
			got, ok := edgeByID(f.edges(), e.c.EdgeID)
			return ok && got.AckedRevision == rev
		})
		if e.c.Revision() != rev {
			t.Errorf("%s: Revision() = %d, want %d", e.c.EdgeID, e.c.Revision(), rev)
		}
	}
	es := f.edges()
	if e, _ := edgeByID(es, "edge-a"); e.PriceClass != cloudfront.PriceClass100 || e.Name != "edge edge-a" {
		t.Errorf("edge-a registered as %+v", e)
	}
	if e, _ := edgeByID(es, "edge-b"); e.PriceClass != cloudfront.PriceClassAll {
		t.Errorf("edge-b registered as %+v", e)
	}
}

func TestDistributionReachesEdgesAndDeploys(t *testing.T) {
	f := newTestFeed(t)
	a := startEdge(t, f.newClient("edge-a", "100", ""))
	b := startEdge(t, f.newClient("edge-b", "200", ""))
	eventually(t, "both edges registered", func() bool { return len(f.edges()) == 2 })

	rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClass200)
	for _, e := range []*testEdge{a, b} {
		eventually(t, e.c.EdgeID+" applies the distribution", func() bool { return e.rec.has("EDFDVBD6EXAMPLE") })
	}
	eventually(t, "Deployed", func() bool { return f.status("EDFDVBD6EXAMPLE") == cloudfront.StatusDeployed })
	for _, e := range f.edges() {
		if e.AckedRevision < rev {
			t.Errorf("%s acknowledged %d, want >= %d", e.ID, e.AckedRevision, rev)
		}
	}

	// An update goes InProgress until the edges have it again.
	rev2 := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClass200)
	eventually(t, "the update reaches edge-b", func() bool { return b.c.Revision() == rev2 })
	eventually(t, "Deployed again", func() bool { return f.status("EDFDVBD6EXAMPLE") == cloudfront.StatusDeployed })
}

func TestStoppedEdgeKeepsInProgressUntilItTimesOut(t *testing.T) {
	f := newTestFeed(t)
	a := startEdge(t, f.newClient("edge-a", "100", ""))
	b := startEdge(t, f.newClient("edge-b", "All", ""))
	eventually(t, "both edges registered", func() bool { return len(f.edges()) == 2 })
	b.stop()

	// edge-b is in the All-only locations: a PriceClass_100 distribution
	// does not wait for it, a PriceClass_All one does.
	f.putDistribution("ECLASS100EXAMPL", cloudfront.PriceClass100)
	rev := f.putDistribution("ECLASSALLEXAMPL", cloudfront.PriceClassAll)
	eventually(t, "edge-a acknowledges", func() bool { return a.c.Revision() == rev })
	eventually(t, "the 100 distribution is Deployed", func() bool { return f.status("ECLASS100EXAMPL") == cloudfront.StatusDeployed })
	eventually(t, "edge-a's ack is stored", func() bool {
		e, _ := edgeByID(f.edges(), "edge-a")
		return e.AckedRevision == rev
	})
	if got := f.status("ECLASSALLEXAMPL"); got != cloudfront.StatusInProgress {
		t.Fatalf("with edge-b stopped but live, status = %s, want InProgress", got)
	}

	// Past the timeout edge-b is no longer live; edge-a's heartbeats keep
	// it live at the new time.
	f.clock.Advance(testTimeout + time.Second)
	now := f.clock.Now()
	eventually(t, "edge-a heartbeats at the new time", func() bool {
		e, _ := edgeByID(f.edges(), "edge-a")
		return !e.LastSeen.Before(now)
	})
	if got := f.status("ECLASSALLEXAMPL"); got != cloudfront.StatusDeployed {
		t.Errorf("after edge-b timed out, status = %s, want Deployed", got)
	}
	es := f.edges()
	if eb, _ := edgeByID(es, "edge-b"); Live(eb, now, testTimeout) {
		t.Error("edge-b is still live")
	}
	if ea, _ := edgeByID(es, "edge-a"); !Live(ea, now, testTimeout) {
		t.Error("edge-a is not live")
	}
}

func TestStaticStability(t *testing.T) {
	f := newTestFeed(t)
	dir := t.TempDir()
	a := startEdge(t, f.newClient("edge-a", "100", dir))
	rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	eventually(t, "edge-a acknowledges", func() bool {
		e, _ := edgeByID(f.edges(), "edge-a")
		return e.AckedRevision == rev
	})
	a.stop()

	// The control plane goes down; changes keep being written to its store.
	f.stop()
	rev2 := f.putDistribution("E2QWRUHEXAMPLE", cloudfront.PriceClassAll)

	// A restarted edge serves its snapshot from disk before anyone answers.
	a2 := startEdge(t, f.newClient("edge-a", "100", dir))
	eventually(t, "the restarted edge applies its snapshot from disk", func() bool { return a2.rec.has("EDFDVBD6EXAMPLE") })
	if s := a2.rec.snapshot(); s.Revision != rev || a2.c.Revision() != rev {
		t.Errorf("from disk: revision %d (Revision() %d), want %d", s.Revision, a2.c.Revision(), rev)
	}

	// The control plane returns: the edge catches up and acknowledges.
	f.start()
	eventually(t, "the edge catches up", func() bool { return a2.rec.has("E2QWRUHEXAMPLE") })
	eventually(t, "and acknowledges", func() bool {
		e, _ := edgeByID(f.edges(), "edge-a")
		return e.AckedRevision == rev2
	})
	if got := f.status("E2QWRUHEXAMPLE"); got != cloudfront.StatusDeployed {
		t.Errorf("status = %s, want Deployed", got)
	}
}

func TestCorruptSnapshotFileIsIgnored(t *testing.T) {
	f := newTestFeed(t)
	rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, snapshotFileName), []byte(`{"Version":1,"Snap`), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startEdge(t, f.newClient("edge-a", "100", dir))
	eventually(t, "a full snapshot", func() bool { return a.c.Revision() == rev && a.rec.has("EDFDVBD6EXAMPLE") })
	b, err := os.ReadFile(filepath.Join(dir, snapshotFileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, s, err := DecodeSnapshotFile(b); err != nil || s.Revision != rev {
		t.Errorf("the file was not rewritten: %v", err)
	}
}

func TestDeletesPropagate(t *testing.T) {
	f := newTestFeed(t)
	f.putDistribution("EKEEPEXAMPLE", cloudfront.PriceClassAll)
	f.putDistribution("EGONEEXAMPLE", cloudfront.PriceClassAll)
	f.write(func(tx store.Tx, rev int64) error {
		for _, id := range []string{"APKAKEEPKEEPKEEPKEEP", "APKAGONEGONEGONEGONE"} {
			if err := tx.InsertKeyPair(store.KeyPair{ID: id, AccountID: testAccount, PublicKeyPEM: "PEM " + id,
				Active: true, Created: f.clock.Now(), Revision: rev}); err != nil {
				return err
			}
		}
		return nil
	})
	a := startEdge(t, f.newClient("edge-a", "100", t.TempDir()))
	eventually(t, "everything arrives", func() bool {
		s := a.rec.snapshot()
		return s != nil && len(s.Distributions) == 2 && len(s.KeyPairs) == 2
	})
	if kp := a.rec.snapshot().KeyPairs[0]; kp.AccountID != testAccount || kp.PublicKeyPEM == "" || !kp.Active {
		t.Errorf("key pair arrived as %+v", kp)
	}

	rev := f.write(func(tx store.Tx, rev int64) error {
		if err := tx.DeleteDistribution("EGONEEXAMPLE", rev); err != nil {
			return err
		}
		return tx.DeleteKeyPair("APKAGONEGONEGONEGONE", rev)
	})
	eventually(t, "the deletes arrive", func() bool { return a.c.Revision() == rev })
	d, k := ids(a.rec.snapshot())
	if strings.Join(d, ",") != "EKEEPEXAMPLE" || strings.Join(k, ",") != "APKAKEEPKEEPKEEPKEEP" {
		t.Errorf("after deletes: distributions %v, key pairs %v", d, k)
	}
}

func TestInvalidationsReachEdgesAndComplete(t *testing.T) {
	f := newTestFeed(t)
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- f.srv.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-runDone })

	a := startEdge(t, f.newClient("edge-a", "100", ""))
	b := startEdge(t, f.newClient("edge-b", "200", ""))
	f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	eventually(t, "edges have the distribution", func() bool {
		return a.rec.has("EDFDVBD6EXAMPLE") && b.rec.has("EDFDVBD6EXAMPLE")
	})
	b.stop() // stopped but live: the invalidation must wait for it

	f.write(func(tx store.Tx, rev int64) error {
		return tx.InsertInvalidation(cloudfront.Invalidation{ID: "I2J0I21PCUYOIK", DistributionID: "EDFDVBD6EXAMPLE",
			Status: cloudfront.StatusInProgress, CreateTime: f.clock.Now(), Revision: rev,
			Batch: cloudfront.InvalidationBatch{Paths: []string{"/a.jpg"}, CallerReference: "inv-1"}})
	})
	invStatus := func() string {
		var inv cloudfront.Invalidation
		if err := f.store.View(context.Background(), func(tx store.Tx) error {
			var err error
			inv, err = tx.Invalidation("EDFDVBD6EXAMPLE", "I2J0I21PCUYOIK")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return inv.Status
	}
	eventually(t, "edge-a purges", func() bool { return a.rec.invalidated("I2J0I21PCUYOIK") })
	if n, err := f.srv.Complete(context.Background()); err != nil || n != 0 {
		t.Fatalf("Complete with edge-b live and behind = %d, %v; want 0", n, err)
	}
	if got := invStatus(); got != cloudfront.StatusInProgress {
		t.Fatalf("status = %s, want InProgress while edge-b is live", got)
	}

	// edge-b comes back: it gets the invalidation, acks, and Run completes it.
	b2 := startEdge(t, f.newClient("edge-b", "200", ""))
	eventually(t, "edge-b purges", func() bool { return b2.rec.invalidated("I2J0I21PCUYOIK") })
	eventually(t, "Run completes the invalidation", func() bool { return invStatus() == cloudfront.StatusCompleted })
}

func TestLongPollReturnsPromptly(t *testing.T) {
	f := newTestFeed(t)
	f.srv.PollWait = time.Hour // so only a wake-up can answer
	register := func(srvURL string) {
		req, _ := http.NewRequest("POST", srvURL+PathRegister, strings.NewReader(`{"ID":"edge-raw","PriceClass":"100"}`))
		req.Header.Set("Authorization", "Edge shared:"+testSecret)
		if resp := f.do(t, req); resp.StatusCode != 200 {
			t.Fatalf("register: %s", resp.Status)
		}
	}
	register(f.url())
	poll := func(since int64) <-chan *http.Response {
		ch := make(chan *http.Response, 1)
		req, _ := http.NewRequest("GET", f.url()+PathChanges+"?edge=edge-raw&since="+strconv.FormatInt(since, 10), nil)
		req.Header.Set("Authorization", "Edge shared:"+testSecret)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				close(ch)
				return
			}
			ch <- resp
		}()
		return ch
	}
	waitDelta := func(ch <-chan *http.Response) Delta {
		t.Helper()
		select {
		case resp := <-ch:
			if resp == nil {
				t.FailNow()
			}
			defer resp.Body.Close()
			var d Delta
			if err := decodeJSON(resp.Body, &d); err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: %v", resp.Status, err)
			}
			return d
		case <-time.After(waitLimit):
			t.Fatal("the long poll did not return")
		}
		return Delta{}
	}

	t.Run("on Notify", func(t *testing.T) {
		ch := poll(0) // revision 0: nothing yet, so it waits
		waitForWaiters(t, f.srv, 1)
		rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
		d := waitDelta(ch)
		if !d.Full || d.Revision != rev || len(d.Distributions) != 1 {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("on a write by another node", func(t *testing.T) {
		cur := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
		ch := poll(cur)
		waitForWaiters(t, f.srv, 1)
		// Another control-plane node commits; this node's Notify is not called.
		var rev int64
		if err := f.store.Update(context.Background(), func(tx store.Tx) error {
			var err error
			rev, err = tx.NextRevision()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		d := waitDelta(ch)
		if d.Full || d.From != cur || d.Revision != rev {
			t.Errorf("got %+v, want a delta from %d to %d", d, cur, rev)
		}
	})
	t.Run("after PollWait, an empty delta", func(t *testing.T) {
		f.srv.PollWait = time.Millisecond
		cur := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
		d := waitDelta(poll(cur))
		if d.Full || d.From != cur || d.Revision != cur || len(d.Distributions) != 0 {
			t.Errorf("got %+v", d)
		}
	})
}

// waitForWaiters waits until n long polls are waiting on s.
func waitForWaiters(t *testing.T, s *Server, n int) {
	t.Helper()
	eventually(t, "a waiting long poll", func() bool {
		s.notify.mu.Lock()
		defer s.notify.mu.Unlock()
		return s.notify.waiters == n
	})
}

func TestBadRequests(t *testing.T) {
	f := newTestFeed(t)
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"register without id", "POST", PathRegister, `{"PriceClass":"100"}`, 400},
		{"register bad JSON", "POST", PathRegister, `{`, 400},
		{"register too large", "POST", PathRegister, `{"Name":"` + strings.Repeat("x", maxBody) + `"}`, 413},
		{"ack of an unregistered edge", "POST", PathAck, `{"Edge":"edge-raw","Revision":0}`, 404},
		{"heartbeat of an unregistered edge", "POST", PathHeartbeat, `{"Edge":"edge-raw"}`, 404},
		{"poll of an unregistered edge", "GET", PathChanges + "?since=0&edge=edge-raw", "", 404},
		{"poll without since", "GET", PathChanges + "?edge=e", "", 400},
		{"poll with negative since", "GET", PathChanges + "?since=-1&edge=e", "", 400},
		{"poll without edge", "GET", PathChanges + "?since=0", "", 400},
		{"unknown path", "GET", PathPrefix + "nope", "", 404},
		{"wrong method", "GET", PathAck, "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, f.url()+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Edge shared:"+testSecret)
			if resp := f.do(t, req); resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			} else if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	t.Run("ack beyond the current revision", func(t *testing.T) {
		req, _ := http.NewRequest("POST", f.url()+PathRegister, strings.NewReader(`{"ID":"edge-raw","PriceClass":"100"}`))
		req.Header.Set("Authorization", "Edge shared:"+testSecret)
		f.do(t, req)
		req, _ = http.NewRequest("POST", f.url()+PathAck, strings.NewReader(`{"Edge":"edge-raw","Revision":99}`))
		req.Header.Set("Authorization", "Edge shared:"+testSecret)
		if resp := f.do(t, req); resp.StatusCode != 400 {
			t.Errorf("status %d, want 400", resp.StatusCode)
		}
	})
}

func TestForgottenEdgeRegistersAgain(t *testing.T) {
	f := newTestFeed(t)
	a := startEdge(t, f.newClient("edge-a", "100", ""))
	eventually(t, "registered", func() bool { return len(f.edges()) == 1 })
	if err := f.store.Update(context.Background(), func(tx store.Tx) error { return tx.DeleteEdge("edge-a") }); err != nil {
		t.Fatal(err)
	}
	rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	eventually(t, "registered again and acknowledged", func() bool {
		e, ok := edgeByID(f.edges(), "edge-a")
		return ok && e.AckedRevision == rev && a.rec.has("EDFDVBD6EXAMPLE")
	})
}

func TestInProcessTransport(t *testing.T) {
	f := newTestFeed(t)
	rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	c := f.newClient("embedded", "All", "")
	c.BaseURL = "http://in-process"
	c.HTTPClient = &http.Client{Transport: HandlerTransport(f.srv.Handler())}
	e := startEdge(t, c)
	eventually(t, "the embedded edge acknowledges", func() bool {
		es, ok := edgeByID(f.edges(), "embedded")
		return ok && es.AckedRevision == rev && e.rec.has("EDFDVBD6EXAMPLE")
	})
	rev2 := f.putDistribution("E2QWRUHEXAMPLE", cloudfront.PriceClassAll)
	eventually(t, "and follows changes", func() bool { return e.c.Revision() == rev2 })
}

func TestClientConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		c    *Client
	}{
		{"no edge id", &Client{BaseURL: "http://x", PriceClass: "100", Applier: &recorder{}}},
		{"bad price class", &Client{BaseURL: "http://x", EdgeID: "e", PriceClass: "7", Applier: &recorder{}}},
		{"no applier", &Client{BaseURL: "http://x", EdgeID: "e", PriceClass: "100"}},
		{"no base URL", &Client{EdgeID: "e", PriceClass: "100", Applier: &recorder{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Run(context.Background()); err == nil {
				t.Error("Run accepted a bad configuration")
			}
		})
	}
}
