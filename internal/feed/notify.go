package feed

import (
	"context"
	"sync"
	"time"
)

// revisionCheckEvery is how often waiting long polls look at the store's
// revision, so that writes committed by another control-plane node (which
// cannot call this node's Notify) still wake them.
const revisionCheckEvery = time.Second

// listeningCheckEvery replaces revisionCheckEvery while the store wakes
// this node itself (RevisionWatcher): the poll is then only a safety net.
const listeningCheckEvery = 10 * time.Second

// RevisionWatcher is a store that tells of revisions committed by any
// node (PostgreSQL's LISTEN/NOTIFY); see postgres.Store.WatchRevisions.
type RevisionWatcher interface {
	WatchRevisions(ctx context.Context, wake func(), connected func(bool)) error
}

// DefaultNotifyEvery is the quiet after which a change wakes the long
// polls at once, and the shortest time between two wake-ups: a change at
// least this long after the one before and after the last wake-up, with
// no edge still applying a delta, goes out at once, so a single change
// deploys in milliseconds.
const DefaultNotifyEvery = 50 * time.Millisecond

// DefaultNotifyBusyEvery bounds how long a change waits while the feed
// is busy: while changes keep coming (each within NotifyEvery of the one
// before), or while edges are still applying the last wake-up's delta.
// Changes are then held and delivered together busyFactor rounds after
// the last wake-up (a round: from a delta sent until every edge sent one
// polls again), at most this long after it.
//
// Each wake-up costs every edge a response, a merge, a journal fsync and
// a compile, whatever the delta's size. With 50 edges beside the control
// plane on 2 cores, a 50 ms throttle woke them for every create (the
// control plane, starved, made creates 150 ms apart) and the edges took
// 1.5 of the 2 cores (bench/README.md, "Fleet"); a fixed 250 ms still
// let them take 1.4. Pacing by rounds keeps a fleet that applies fast
// woken often (edges on their own machines, rounds of milliseconds), and
// one that shares the control plane's CPU busy at most a busyFactor-th
// of the time. Half a second, not more: a change that comes during or
// just after a burst waits up to this long before its round starts, and
// with 1,000 edges a round takes a few hundred ms, so with a 1 s bound the
// first create after a burst took 1.3 s to Deployed (bench/fleet, sim).
const DefaultNotifyBusyEvery = 500 * time.Millisecond

// busyFactor: while busy, wake-ups come at least this many rounds apart.
const busyFactor = 4

// notifier wakes waiting long polls. A broadcast closes the current
// channel; waiters subscribe before they read the store's revision, so a
// write committed between the read and the wait is not missed.
type notifier struct {
	mu       sync.Mutex
	ch       chan struct{}
	waiters  int
	watching bool
	low      int64 // lowest revision a waiter has seen since the last broadcast
	// gen counts broadcasts: a delta read in generation g is current for
	// every waiter that subscribed in g (the delta cache's key).
	gen uint64
	// last is when throttled last broadcast, changed when it was last
	// called; held, the broadcast scheduled, if any.
	last, changed time.Time
	held          *time.Timer
	// due is when held fires at the latest; quiet is throttled's;
	// heldGen tells held's timer from an earlier one.
	due     time.Time
	quiet   time.Duration
	heldGen uint64
	// out holds the edges sent a delta that have not polled again since,
	// and when: while one is out (for at most outFor), edges are still
	// applying. A round is the time from the first delta sent while none
	// was out (at began) until none is; round is the longest lately
	// (halved at each shorter one).
	out   map[string]time.Time
	began time.Time
	round time.Duration
	// wakeups counts broadcasts (metrics); nil counts nothing.
	wakeups func()
}

// throttled wakes the waiters for a change: at once when the feed is
// idle (see delay; a scheduled wake-up is then made now), else once when
// delay says, however many changes come meanwhile.
func (n *notifier) throttled(quiet, busy time.Duration) {
	n.mu.Lock()
	now := time.Now()
	wait := n.delay(now, quiet, busy)
	n.changed, n.quiet = now, quiet
	if wait == 0 && (n.held == nil || n.held.Stop()) {
		n.held = nil
		n.last = now
		n.mu.Unlock()
		n.broadcast()
		return
	}
	if n.held != nil {
		if wait == 0 {
			n.due = now // its timer is firing, maybe only to look again
		}
		n.mu.Unlock()
		return // its next check sees this change
	}
	n.due = now.Add(wait)
	n.heldGen++
	gen := n.heldGen // the timer's own: n.held is set under n.mu, after it may fire
	n.held = time.AfterFunc(n.nextCheck(now), func() { n.fireHeld(gen) })
	n.mu.Unlock()
}

// settled reports whether a held wake-up need wait no longer: the changes
// it gathers stopped coming (none for busyFactor quiets) and no edge is
// still applying. The pace gathers changes while they keep coming; once
// they stop, waiting it out only delays the last of them: the first
// create after a burst of 1,000 waited the whole pace, then a round
// (0.88 s to Deployed with 1,000 simulated edges). busyFactor quiets, not
// one, so that changes that come just over quiet apart do not wake the
// edges at the end of every round, past the pace.
func (n *notifier) settled(now time.Time) bool {
	return len(n.out) == 0 && !now.Before(n.stopped())
}

// stopped is when the changes count as stopped if none comes before.
func (n *notifier) stopped() time.Time { return n.changed.Add(busyFactor * n.quiet) }

// nextCheck is how long after now the held wake-up looks again: when it
// is due, or when it could have settled if sooner (while an edge is
// applying, polled looks when the last is back).
func (n *notifier) nextCheck(now time.Time) time.Duration {
	next := n.due.Sub(now)
	if len(n.out) == 0 {
		next = min(next, n.stopped().Sub(now))
	}
	return max(next, 0)
}

// fireHeld is the held wake-up's timer: it broadcasts when due or
// settled, and otherwise looks again later.
func (n *notifier) fireHeld(gen uint64) {
	n.mu.Lock()
	if n.held == nil || n.heldGen != gen {
		n.mu.Unlock()
		return
	}
	now := time.Now()
	if now.Before(n.due) && !n.settled(now) {
		n.held.Reset(n.nextCheck(now))
		n.mu.Unlock()
		return
	}
	n.held = nil
	n.last = now
	n.mu.Unlock()
	n.broadcast()
}

// delay is how long after now a change should wake the waiters. The
// feed is idle when the change comes at least quiet after the one
// before and no edge is still applying a delta: it goes out at once, or
// quiet after the last wake-up. Otherwise it is busy: busyFactor rounds
// after the last wake-up (the round still running counts for as long as
// it has run), at least quiet, at most busy.
func (n *notifier) delay(now time.Time, quiet, busy time.Duration) time.Duration {
	since := now.Sub(n.last)
	back := len(n.out) == 0
	if now.Sub(n.changed) >= quiet && back {
		return max(quiet-since, 0)
	}
	round := n.round
	if !back {
		round = max(round, now.Sub(n.began))
	}
	every := min(max(busyFactor*round, quiet), max(busy, quiet))
	return max(every-since, 0)
}

// outFor is how long an edge that was sent a delta and has not polled
// again counts as applying it: one that takes longer (or died) holds
// the others' wake-ups no further.
const outFor = 2 * time.Second

// sent records that edge id was sent a delta.
func (n *notifier) sent(id string) {
	n.mu.Lock()
	now := time.Now()
	if len(n.out) == 0 {
		if n.out == nil {
			n.out = map[string]time.Time{}
		}
		n.began = now
	}
	n.out[id] = now
	n.mu.Unlock()
}

// polled records that edge id polls: it applied what it was sent.
func (n *notifier) polled(id string) {
	n.mu.Lock()
	if _, ok := n.out[id]; ok {
		delete(n.out, id)
		if len(n.out) == 0 {
			n.round = max(time.Since(n.began), n.round/2)
			if n.held != nil {
				n.held.Reset(0) // the held wake-up may have settled
			}
		}
	}
	n.mu.Unlock()
}

// subscribe returns the channel that the next broadcast closes and the
// generation it ends.
func (n *notifier) subscribe(watch func(*notifier)) (<-chan struct{}, uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	n.waiters++
	if !n.watching && watch != nil {
		n.watching = true
		n.low = -1
		go watch(n)
	}
	return n.ch, n.gen
}

// observe records that a waiter saw revision rev in the store.
func (n *notifier) observe(rev int64) {
	n.mu.Lock()
	if n.low < 0 || rev < n.low {
		n.low = rev
	}
	n.mu.Unlock()
}

func (n *notifier) unsubscribe() {
	n.mu.Lock()
	n.waiters--
	n.mu.Unlock()
}

func (n *notifier) broadcast() {
	n.mu.Lock()
	n.gen++
	now := time.Now()
	for id, t := range n.out {
		if now.Sub(t) > outFor {
			delete(n.out, id)
		}
	}
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
	count := n.wakeups
	n.mu.Unlock()
	if count != nil {
		count()
	}
}

// watchRevision runs while there are waiters: every revisionCheckEvery it
// reads the store's revision and broadcasts when it is above what some
// waiter has seen. One goroutine per server, not one query per waiter.
func (s *Server) watchRevision(n *notifier) {
	every := func() time.Duration {
		switch {
		case s.RevisionCheckEvery > 0:
			return s.RevisionCheckEvery
		case s.listening.Load():
			return listeningCheckEvery
		}
		return revisionCheckEvery
	}
	t := time.NewTimer(every())
	defer t.Stop()
	for range t.C {
		t.Reset(every())
		n.mu.Lock()
		if n.waiters == 0 {
			n.watching = false
			n.mu.Unlock()
			return
		}
		low := n.low
		n.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), revisionCheckEvery)
		rev, err := s.revision(ctx)
		cancel()
		if err != nil {
			s.logger().Warn("feed: reading revision", "err", err)
			continue
		}
		if low >= 0 && rev > low {
			n.mu.Lock()
			n.low = rev
			n.mu.Unlock()
			n.broadcast()
		}
	}
}
