package leanhttp

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// reqCtx is a request's context. net/http starts a goroutine per request
// that reads the connection, to cancel the context when the viewer goes
// away; a cache hit never looks, so here the watch starts when something
// first asks for Done, Err or AfterFunc (a miss waiting on its origin).
// Once the handler has returned the context is cancelled, as net/http's.
type reqCtx struct {
	context.Context // the connection's: values, no cancellation
	c               *conn

	mu     sync.Mutex
	inner  context.Context
	cancel context.CancelFunc
	ended  bool
}

// watchesStarted counts connection watches, for tests that a hit starts
// none.
var watchesStarted atomic.Int64

func (r *reqCtx) get() context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inner == nil {
		r.inner, r.cancel = context.WithCancel(r.Context)
		switch {
		case r.ended:
			r.cancel()
		case r.c.end == r.c.start:
			// Nothing of a next request is buffered, so a read can tell
			// whether the viewer is still there.
			r.c.watch = r.c.startWatch(r.cancel)
		}
	}
	return r.inner
}

func (r *reqCtx) Done() <-chan struct{} { return r.get().Done() }
func (r *reqCtx) Err() error            { return r.get().Err() }

// AfterFunc lets contexts derived from this one follow it without a
// goroutine each (the context package looks for this method).
func (r *reqCtx) AfterFunc(f func()) func() bool { return context.AfterFunc(r.get(), f) }

func (r *reqCtx) Deadline() (time.Time, bool) { return r.Context.Deadline() }

func (r *reqCtx) end() {
	r.mu.Lock()
	r.ended = true
	if r.cancel != nil {
		r.cancel()
	}
	r.mu.Unlock()
}

// watcher reads one byte of the connection while a handler runs.
type watcher struct {
	done chan struct{}
	b    [1]byte
	n    int
	err  error
}

func (c *conn) startWatch(cancel context.CancelFunc) *watcher {
	watchesStarted.Add(1)
	w := &watcher{done: make(chan struct{})}
	// No deadline while the handler runs: only the viewer's leaving ends
	// the watch (or stop).
	c.rwc.SetReadDeadline(time.Time{})
	go func() {
		defer close(w.done)
		w.n, w.err = c.rwc.Read(w.b[:])
		if w.n == 0 && !isTimeout(w.err) {
			cancel()
		}
	}()
	return w
}

// aLongTimeAgo is a deadline that ends a blocked read at once.
var aLongTimeAgo = time.Unix(1, 0)

// stop ends the watch; false if the viewer closed the connection. A byte
// the watch read is put back in front of the next request.
func (w *watcher) stop(c *conn) bool {
	c.rwc.SetReadDeadline(aLongTimeAgo)
	<-w.done
	if w.n == 1 {
		c.rbuf[0] = w.b[0]
		c.start, c.end = 0, 1
		return true
	}
	return isTimeout(w.err)
}
