package feed

import (
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/pgtest"
)

// TestPollsKeepEdgesLive: an edge that follows a node with the default
// poll wait (a quarter of the timeout) sends its polls often enough that
// its heartbeats are not due, and the node writes last_seen only every
// third of the timeout, yet the store (what another node sees) shows the
// edge live at every moment while it follows, and not live once it has
// stopped for the timeout. On SQLite (the store is the other nodes'
// view) and on PostgreSQL with the edge on one node and the question
// asked of the other. Real time, short timeout: the edge's requests and
// the flushes run on timers. The timeout leaves a loaded machine (the
// race detector, CI) seconds of slack at every step; the cases run side
// by side.
func TestPollsKeepEdgesLive(t *testing.T) {
	const timeout = 9 * time.Second
	real := func(s *Server) { s.Now, s.Timeout = nil, timeout }
	for _, tc := range []struct {
		name  string
		nodes func(t *testing.T) (follow, ask *testFeed)
	}{
		{"sqlite", func(t *testing.T) (*testFeed, *testFeed) {
			f := newTestFeedOn(t, newSQLite(t), real)
			return f, f
		}},
		{"postgres, two nodes", func(t *testing.T) (*testFeed, *testFeed) {
			dsn := pgtest.FreshSchema(t, pgtest.DSN(t))
			return newTestFeedOn(t, openPostgres(t, dsn), real), newTestFeedOn(t, openPostgres(t, dsn), real)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			follow, ask := tc.nodes(t)
			c := follow.newClient("edge-a", "All", "")
			c.HeartbeatEvery = timeout / 3
			e := startEdge(t, c)
			eventually(t, "edge-a registered", func() bool { return len(ask.edges()) == 1 })
			live := func() (bool, store.Edge) {
				// The store alone: what a node the edge does not poll has
				// of it (Overlay adds nothing there).
				got, _ := edgeByID(ask.edges(), "edge-a")
				return Live(got, time.Now(), timeout), got
			}
			heartbeats := counterValue(follow.srv.counters().requests.WithLabelValues("heartbeat"))
			const periods = 4
			for end := time.Now().Add(periods * c.HeartbeatEvery); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
				if ok, got := live(); !ok {
					t.Fatalf("edge-a follows the feed, but the other node sees it last at %s (%s ago): not live",
						got.LastSeen.Format(time.RFC3339Nano), time.Since(got.LastSeen))
				}
			}
			// A heartbeat goes out only when no poll did for a period; the
			// polls come every quarter of the timeout, so hardly ever (a
			// machine slow enough to hold a poll past the period sends one).
			if n := counterValue(follow.srv.counters().requests.WithLabelValues("heartbeat")) - heartbeats; n > periods/2 {
				t.Errorf("%v heartbeats in %d heartbeat periods of polling, want at most %d", n, periods, periods/2)
			}
			e.stop()
			eventually(t, "the stopped edge no longer live", func() bool { ok, _ := live(); return !ok })
		})
	}
}

// TestFlushGathersLastSeen: an edge's request is worth a write of its
// last_seen alone once the stored one is a third of the timeout old, and
// then every edge heard from since whose stored last_seen is half that
// old joins the write, so the fleet's writes gather in few transactions.
func TestFlushGathersLastSeen(t *testing.T) {
	f := newTestFeedOn(t, newSQLite(t), func(s *Server) { s.FlushEvery = time.Hour })
	var es []*rawEdge
	for i := range 4 {
		es = append(es, f.rawEdge(t, fmt.Sprint("edge-", i), "All"))
	}
	f.flush()
	t0 := f.clock.Now()
	w := seenWriteEvery(testTimeout)
	f.clock.Advance(w/2 + time.Second) // half way: not worth a write alone
	t1 := f.clock.Now()
	es[0].ack(0) // heartbeats
	es[1].ack(0)
	f.clock.Advance(w/2 + time.Second)
	t2 := f.clock.Now()
	es[2].ack(0) // worth a write
	pending := func() bool {
		f.srv.live.mu.Lock()
		defer f.srv.live.mu.Unlock()
		return f.srv.live.late
	}
	if !pending() {
		t.Fatal("no write of last_seen scheduled")
	}
	f.flush()
	for i, want := range []time.Time{t1, t1, t2, t0} {
		if got, _ := edgeByID(f.edges(), es[i].id); !got.LastSeen.Equal(want) {
			t.Errorf("%s: stored last_seen %s, want %s", es[i].id, got.LastSeen, want)
		}
	}
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	c.Write(&m)
	return m.GetCounter().GetValue()
}
