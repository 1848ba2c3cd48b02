package feed

import (
	"context"
	"sync"
	"time"

	"github.com/openfront/openfront/internal/store"
)

// DefaultFlushEvery is how long acknowledgements and heartbeats wait in
// a node's memory before one transaction writes them all, when
// Server.FlushEvery is zero.
//
// Why batch: with 50 edges every create used to cost 50 acknowledgement
// writes and 50 poll-time heartbeat writes, which serialised behind the
// creates on the store's write lock (creates/s fell from ~700 to ~49 on
// SQLite, internal/feed/fleettest). Acknowledgements and liveness are
// soft state: the edge repeats its applied revision in every heartbeat,
// so a node that dies with a batch unwritten loses nothing an edge will
// not tell the next node within DefaultHeartbeatEvery. 100 ms adds at
// most that to Deployed as other nodes see it; this node sees its own
// edges' acknowledgements at once (Server.Overlay).
const DefaultFlushEvery = 100 * time.Millisecond

// seenWriteEvery is how stale an edge's last_seen may get in the store
// before a request alone (a poll, a heartbeat) is worth a write: a third
// of the edge timeout. An edge sends a request at least every
// DefaultHeartbeatEvery (a third of DefaultTimeout), so the store's
// last_seen of a live edge is at most seenWriteEvery + its heartbeat
// period + seenFlushDelay old (11 s of 15 by default), and another node
// never sees it age out; the margin is for the nodes' clocks. A write
// per request would be a row per edge every few seconds, and a write
// transaction each, on the store the creates need.
func seenWriteEvery(timeout time.Duration) time.Duration {
	return timeout / 3
}

// seenFlushDelay is how long a write of last_seen alone (no
// acknowledgement) waits for other edges' to join it in one transaction.
func seenFlushDelay(timeout time.Duration) time.Duration {
	return timeout / 15
}

// edgeMem is what this node knows of one edge beyond the store.
type edgeMem struct {
	seen         time.Time // last request from the edge
	acked        int64     // highest revision the edge reported applied
	storedSeen   time.Time // last_seen as the store has it
	storedAcked  int64     // acked_revision as the store has it
	flushPending bool
}

// liveness is the node's soft state of edges: which exist (so a poll
// needs no store read to find out) and what they reported since the last
// flush.
type liveness struct {
	mu    sync.Mutex
	edges map[string]*edgeMem
	// soon: a flush is due within FlushEvery (an acknowledgement waits);
	// late: one is due within seenFlushDelay (last_seen alone).
	soon, late bool
	// flushMu orders flushes and registrations: a registration may lower
	// an edge's acknowledged revision (its disk was lost), and a batch
	// read before it must not raise it again after.
	flushMu sync.Mutex
}

func (s *Server) flushEvery() time.Duration {
	if s.FlushEvery <= 0 {
		return DefaultFlushEvery
	}
	return s.FlushEvery
}

// seen records a request from edge id, and rev (when > 0) as applied.
// The edge is read from the store only the first time this node hears
// of it; store.ErrNotFound means it must register.
func (s *Server) seen(ctx context.Context, id string, rev int64) error {
	now := s.now()
	l := &s.live
	l.mu.Lock()
	m := l.edges[id]
	l.mu.Unlock()
	if m == nil {
		var e store.Edge
		err := s.Store.View(ctx, func(tx store.Tx) error {
			var err error
			e, err = tx.Edge(id)
			return err
		})
		if err != nil {
			return err
		}
		l.mu.Lock()
		if m = l.edges[id]; m == nil {
			m = &edgeMem{seen: e.LastSeen, acked: e.AckedRevision, storedSeen: e.LastSeen, storedAcked: e.AckedRevision}
			if l.edges == nil {
				l.edges = map[string]*edgeMem{}
			}
			l.edges[id] = m
		}
		l.mu.Unlock()
	}
	l.mu.Lock()
	if now.After(m.seen) {
		m.seen = now
	}
	raised := rev > m.acked
	if raised {
		m.acked = rev
	}
	ackDirty := m.acked > m.storedAcked
	dirty := ackDirty || m.seen.Sub(m.storedSeen) >= seenWriteEvery(s.timeout())
	if dirty {
		m.flushPending = true
	}
	var delay time.Duration
	switch {
	case ackDirty && !l.soon:
		l.soon, delay = true, s.flushEvery()
	case dirty && !l.soon && !l.late:
		l.late, delay = true, max(s.flushEvery(), seenFlushDelay(s.timeout()))
	}
	l.mu.Unlock()
	if raised {
		s.wakeRun() // an invalidation may be done
	}
	if delay > 0 {
		time.AfterFunc(delay, func() {
			if err := s.Flush(context.Background()); err != nil {
				s.logger().Warn("feed: writing acknowledgements", "err", err)
			}
		})
	}
	return nil
}

// registered replaces what the node knows of an edge by what register
// just wrote; the caller holds flushMu.
func (s *Server) registered(e store.Edge) {
	l := &s.live
	l.mu.Lock()
	if l.edges == nil {
		l.edges = map[string]*edgeMem{}
	}
	l.edges[e.ID] = &edgeMem{seen: e.LastSeen, acked: e.AckedRevision, storedSeen: e.LastSeen, storedAcked: e.AckedRevision}
	l.mu.Unlock()
}

// Flush writes every pending acknowledgement and heartbeat in one
// transaction. It runs by itself FlushEvery after the first pending one;
// call it on shutdown so that other nodes need not wait for heartbeats.
func (s *Server) Flush(ctx context.Context) error {
	l := &s.live
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	type pending struct {
		id          string
		seen        time.Time
		acked       int64
		storedAcked int64
	}
	var batch []pending
	l.mu.Lock()
	l.soon, l.late = false, false
	// Edges whose last_seen is half way to needing a write join this one,
	// so that the fleet's writes of last_seen gather in few transactions
	// rather than one per edge.
	join := seenWriteEvery(s.timeout()) / 2
	for id, m := range l.edges {
		if m.flushPending || m.seen.Sub(m.storedSeen) >= join {
			batch = append(batch, pending{id, m.seen, m.acked, m.storedAcked})
			m.flushPending = false
		}
	}
	l.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	m := s.counters()
	m.flushes.Inc()
	m.flushed.Add(float64(len(batch)))
	var gone, reset []string
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		gone, reset = gone[:0], reset[:0]
		es, err := tx.Edges()
		if err != nil {
			return err
		}
		stored := make(map[string]store.Edge, len(es))
		for _, e := range es {
			stored[e.ID] = e
		}
		for _, p := range batch {
			e, ok := stored[p.id]
			if !ok {
				gone = append(gone, p.id) // deleted meanwhile: it registers again
				continue
			}
			acked := p.acked
			if e.AckedRevision < p.storedAcked {
				// Lowered behind this node's back: the edge registered
				// again elsewhere with less than it had (a lost disk).
				// What it told this node before is no longer true.
				acked = 0
				reset = append(reset, p.id)
			}
			if err := tx.TouchEdge(p.id, acked, p.seen); err != nil {
				return err
			}
		}
		return nil
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		// Left pending for the next flush, which the next request from
		// any of these edges schedules.
		for _, p := range batch {
			if m := l.edges[p.id]; m != nil {
				m.flushPending = true
			}
		}
		return err
	}
	for _, p := range batch {
		if m := l.edges[p.id]; m != nil {
			m.storedSeen, m.storedAcked = maxTime(m.storedSeen, p.seen), max(m.storedAcked, p.acked)
		}
	}
	for _, id := range append(gone, reset...) {
		delete(l.edges, id) // read again from the store on its next request
	}
	if len(gone) > 0 {
		// Their long polls end now with 404, so they register again.
		defer s.notify.broadcast()
	}
	s.wakeRun()
	return nil
}

// Overlay returns es (as read from the store) with what this node has
// heard from the edges and not yet written: a later LastSeen and a
// higher AckedRevision, both only ever reported by the edges themselves,
// so the overlay can make Deployed come sooner, never untrue. Edges this
// node does not know are returned as stored. es is not modified.
func (s *Server) Overlay(es []store.Edge) []store.Edge {
	l := &s.live
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.edges) == 0 {
		return es
	}
	out := make([]store.Edge, len(es))
	for i, e := range es {
		// A stored revision below what this node last saw stored: the edge
		// registered again elsewhere, and the store is the truth.
		if m := l.edges[e.ID]; m != nil && e.AckedRevision >= m.storedAcked {
			e.LastSeen = maxTime(e.LastSeen, m.seen)
			e.AckedRevision = max(e.AckedRevision, m.acked)
		}
		out[i] = e
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
