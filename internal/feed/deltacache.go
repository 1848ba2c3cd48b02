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
type deltaCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[int64]*deltaEntry
}

type deltaEntry struct {
	done chan struct{}
	body []byte // nil: nothing changed after since
	err  error
}

// rawJSON is a response body already encoded.
type rawJSON []byte

// get returns the encoded delta after since as of generation gen,
// reading it with read at most once per generation and since.
func (c *deltaCache) get(ctx context.Context, gen uint64, since int64, read func(context.Context) (*Delta, error)) ([]byte, error) {
	c.mu.Lock()
	if gen > c.gen || c.entries == nil {
		c.gen, c.entries = gen, map[int64]*deltaEntry{}
	}
	// A waiter of an older generation may take the current one's entry
	// too: it is only fresher.
	e, ok := c.entries[since]
	if !ok {
		e = &deltaEntry{done: make(chan struct{})}
		if len(c.entries) < deltaCacheEntries {
			c.entries[since] = e
		}
		c.mu.Unlock()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deltaReadTimeout)
		d, err := read(rctx)
		cancel()
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
