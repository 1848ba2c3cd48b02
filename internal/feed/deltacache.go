package feed

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// deltaCacheEntries bounds how many distinct starting revisions one
// generation keeps; edges further apart than that read the store each.
// After a change nearly every edge asks from the revision before it, so
// one entry serves them all; the bound only matters for a fleet whose
// edges are scattered over many revisions (restarts, slow links).
const deltaCacheEntries = 64

// deltaReadTimeout bounds a shared read of the store: it runs for every
// edge waiting on it, so no single edge's request may cancel it.
const deltaReadTimeout = 30 * time.Second

// deltaCache holds, for the current notifier generation, each delta
// already read from the store, encoded once, keyed by the revision it
// starts from. Measured with 50 edges (internal/feed/fleettest), reading
// and encoding the delta once per change instead of once per edge is
// what lets creates keep their pace: the store then sees one read per
// change, not one per edge.
//
// An entry is good for every waiter of the generation it was read in or
// later, since a generation starts after the commit that ended the one
// before (Notify is called after commit; the watcher broadcasts after it
// read a newer revision).
//
// The first read of a generation also fixes what it delivers (head): a
// waiter that already has head waits for the next wake-up instead of
// reading what was written since. Every such write has a wake-up coming
// (Notify follows each commit, the revision watcher covers other
// writers), so nothing is missed; and an edge that applies a delta
// during a burst no longer gets the next one at once, which made every
// edge apply one delta per write whatever Notify's pace (50 edges then
// used the machine's two cores between them).
type deltaCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[int64]*deltaEntry
	head    int64 // the store's revision at gen's first read; -1 before
}

type deltaEntry struct {
	gen  uint64
	done chan struct{}
	body []byte // nil: nothing changed after since
	err  error
}

// rawJSON is a response body already encoded.
type rawJSON []byte

// get returns the encoded delta after since as of generation gen,
// reading it with read at most once per generation and since; nil when
// there is nothing to send before the next wake-up. read returns the
// delta (nil when nothing changed) and the store's revision it saw.
// settled false (the edge's since is beyond the store: it was replaced)
// reads whatever the generation's head.
func (c *deltaCache) get(ctx context.Context, gen uint64, since int64, settled bool,
	read func(context.Context) (*Delta, int64, error)) ([]byte, error) {
	c.mu.Lock()
	if gen > c.gen || c.entries == nil {
		c.gen, c.entries, c.head = gen, map[int64]*deltaEntry{}, -1
	}
	if settled && gen == c.gen && c.head >= 0 && since >= c.head {
		c.mu.Unlock()
		return nil, nil
	}
	// A waiter of an older generation may take the current one's entry
	// too: it is only fresher.
	e, ok := c.entries[since]
	if !ok {
		e = &deltaEntry{gen: c.gen, done: make(chan struct{})}
		if len(c.entries) < deltaCacheEntries {
			c.entries[since] = e
		}
		c.mu.Unlock()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deltaReadTimeout)
		d, rev, err := read(rctx)
		cancel()
		if err == nil {
			c.mu.Lock()
			if c.gen == e.gen && c.head < 0 {
				c.head = rev
			}
			c.mu.Unlock()
		}
		if err == nil && d != nil {
			e.body, err = json.Marshal(d)
		}
		e.err = err
		close(e.done)
		if err != nil {
			c.forget(since, e)
		}
	} else {
		c.mu.Unlock()
	}
	select {
	case <-e.done:
		return e.body, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// forget drops a failed read, so the next waiter tries again.
func (c *deltaCache) forget(since int64, e *deltaEntry) {
	c.mu.Lock()
	if c.entries[since] == e {
		delete(c.entries, since)
	}
	c.mu.Unlock()
}
