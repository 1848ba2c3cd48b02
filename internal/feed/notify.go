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

// DefaultNotifyEvery bounds how often Notify wakes the long polls. The
// first write after a quiet spell wakes them at once; the writes of a
// burst within this time after it are delivered together at its end.
// Each wake-up costs every edge a response, a merge and a new poll: with
// 50 edges and writes at hundreds per second, waking per write cost the
// control plane 50 HTTP exchanges per create and the edges all their CPU,
// while Deployed gains nothing from deltas closer than this.
const DefaultNotifyEvery = 50 * time.Millisecond

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
	// last is when throttled last broadcast; held, that a broadcast is
	// already scheduled.
	last time.Time
	held bool
}

// throttled broadcasts now if the last throttled broadcast is at least
// every ago, else once at that time (however many calls come meanwhile).
func (n *notifier) throttled(every time.Duration) {
	n.mu.Lock()
	if n.held {
		n.mu.Unlock()
		return
	}
	wait := every - time.Since(n.last)
	if wait <= 0 {
		n.last = time.Now()
		n.mu.Unlock()
		n.broadcast()
		return
	}
	n.held = true
	n.mu.Unlock()
	time.AfterFunc(wait, func() {
		n.mu.Lock()
		n.held = false
		n.last = time.Now()
		n.mu.Unlock()
		n.broadcast()
	})
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
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
	n.mu.Unlock()
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
