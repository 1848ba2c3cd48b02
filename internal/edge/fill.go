package edge

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"sync"
)

// A fill is a body (a whole object or one part of a large one) that one
// origin response is writing while any number of viewers read along: a
// viewer that joins late starts from byte 0 of what is there. Written
// bytes never change and the buffer never moves under a reader (a grown
// buffer is a new array; readers keep the old one for the bytes they
// saw), so readers copy out of it without holding the lock.
type fill struct {
	mu   sync.Mutex
	wake chan struct{} // closed and replaced at each append and at the end
	buf  []byte        // buf[:len] is published
	done bool
	err  error // the body broke: readers abort, nothing is stored
	// limit is the most bytes the fill takes (a part's length, or the
	// part size for a body of unknown length).
	limit int64
	// readers and cancel let a fill nobody reads any more stop, when
	// what it fetches will not be stored (drop).
	readers int
	read    bool // a reader attached once
	// waiting counts readers blocked for bytes not yet published: the
	// pump lets them run before it reads on (pump).
	waiting int
	drop    bool
	cancel  context.CancelCauseFunc
	// tag is the version of the object a part belongs to (parts.go).
	tag string
	// mem is the pool the buffer's bytes are counted in (membudget.go);
	// reserved is what f holds of it, from its allocation to its end.
	mem      *memPool
	reserved int64
}

// errTruncated ends a fill whose origin body ended early or broke.
var errTruncated = errors.New("edge: origin body truncated")

// newFill is a fill of at most limit bytes, counted in the server's fill
// pool once its buffer is allocated (by pump, when the origin answered).
func (s *Server) newFill(limit int64) *fill {
	return &fill{wake: make(chan struct{}), limit: limit, mem: s.cache.fillMem}
}

// reserve makes f hold n bytes of the fill pool, waiting for what it
// lacks: a part fetch reserves before it asks the origin, so that a spent
// budget delays requests rather than leaving responses unread; a body of
// unknown length reserves as its buffer grows.
func (f *fill) reserve(n int64) {
	f.mu.Lock()
	more := n - f.reserved
	f.mu.Unlock()
	if f.mem == nil || more <= 0 {
		return
	}
	f.mem.acquire(more)
	f.mu.Lock()
	f.reserved += more
	f.mu.Unlock()
}

// pump reads r into f until f holds want bytes (want < 0: until EOF or
// the limit). For want < 0 it reports whether r has more than the limit
// (r must then be a *bufio.Reader, to look ahead). err is what broke the
// body; pump does not finish f.
func (f *fill) pump(r io.Reader, want int64) (more bool, err error) {
	target := want
	if target < 0 {
		target = f.limit
	}
	if want > 0 {
		f.reserve(want)
	}
	f.mu.Lock()
	if cap(f.buf) == 0 && want > 0 {
		// Allocated when the fetch starts, not when it is planned.
		f.buf = make([]byte, 0, want)
	}
	buf := f.buf
	f.mu.Unlock()
	for int64(len(buf)) < target {
		if len(buf) == cap(buf) {
			// Unknown length: grow, never past target. Readers keep the old
			// array for what they already took.
			size := min(max(int64(cap(buf))*2, 32<<10), target)
			f.reserve(size)
			nb := make([]byte, len(buf), size)
			copy(nb, buf)
			buf = nb
			f.mu.Lock()
			f.buf = buf
			f.mu.Unlock()
		}
		n, rerr := r.Read(buf[len(buf):min(int64(cap(buf)), target)])
		if n > 0 {
			buf = buf[:len(buf)+n]
			f.mu.Lock()
			f.buf = buf
			close(f.wake)
			f.wake = make(chan struct{})
			stop := f.drop && f.read && f.readers == 0 && f.cancel != nil
			woke := f.waiting > 0
			f.mu.Unlock()
			if stop {
				f.cancel(errNobodyReads)
				return false, errNobodyReads
			}
			if woke {
				// Readers were waiting for these bytes: let them send them
				// before reading on. Otherwise, when the origin's bytes come
				// faster than one read drains them, this goroutine keeps the
				// processor until the runtime preempts it (10 ms), and a
				// viewer's 10-byte range waits for most of its part: on one
				// CPU shared with a fast origin, a cold bytes=0-9 of a 4 MiB
				// part took 18-25 ms at the median, 6-14 ms with the yield.
				runtime.Gosched()
			}
		}
		if rerr != nil {
			if !errors.Is(rerr, io.EOF) {
				return false, rerr
			}
			if want >= 0 && int64(len(buf)) < want {
				return false, io.ErrUnexpectedEOF
			}
			return false, nil
		}
	}
	if want >= 0 {
		return false, nil
	}
	br, ok := r.(*bufio.Reader)
	if !ok {
		return false, nil
	}
	if _, err := br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// errNobodyReads stops a fetch whose body nobody wants.
var errNobodyReads = errors.New("edge: nobody reads the fetch")

func (f *fill) published() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf
}

// finish ends f; err != nil makes every reader abort. Its bytes leave
// the fill pool: stored, they are the memory tier's; broken, garbage.
func (f *fill) finish(err error) {
	f.mu.Lock()
	f.done, f.err = true, err
	close(f.wake)
	f.wake = make(chan struct{})
	n := f.reserved
	f.reserved = 0
	f.mu.Unlock()
	if n > 0 {
		f.mem.release(n)
	}
}

// wait blocks until f ended.
func (f *fill) wait(ctx context.Context) error {
	for {
		buf, done, err := f.next(ctx, int64(len(f.published())))
		_ = buf
		if done || err != nil {
			return err
		}
	}
}

// result is the complete body, or the error that broke it.
func (f *fill) result() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf, f.err
}

// next returns the bytes published so far once there are more than off
// of them or f ended. done with err == nil means buf is the whole body.
func (f *fill) next(ctx context.Context, off int64) (buf []byte, done bool, err error) {
	for {
		f.mu.Lock()
		buf, done, err, wake := f.buf, f.done, f.err, f.wake
		waits := int64(len(buf)) <= off && !done
		if waits {
			f.waiting++
		}
		f.mu.Unlock()
		if !waits {
			return buf, done, err
		}
		select {
		case <-wake:
		case <-ctx.Done():
		}
		f.mu.Lock()
		f.waiting--
		f.mu.Unlock()
		if err := ctx.Err(); err != nil {
			return buf, false, context.Cause(ctx)
		}
	}
}

// attach counts a reader; the returned func ends its reading.
func (f *fill) attach() func() {
	f.mu.Lock()
	f.readers++
	f.read = true
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		f.readers--
		stop := f.drop && f.readers == 0 && !f.done && f.cancel != nil
		f.mu.Unlock()
		if stop {
			f.cancel(errNobodyReads)
		}
	}
}

// copyTo writes bytes [off, off+n) of f to w as they arrive (n < 0: to
// the end), flushing whenever it would wait, so the viewer gets each
// chunk as soon as the origin sent it. It returns the bytes written and
// the error that stops it: the body's (truncation) or the viewer's.
func (f *fill) copyTo(ctx context.Context, w io.Writer, off, n int64) (int64, error) {
	defer f.attach()()
	var written int64
	end := int64(-1)
	if n >= 0 {
		end = off + n
	}
	for end < 0 || off < end {
		buf, done, err := f.next(ctx, off)
		stop := int64(len(buf))
		if end >= 0 {
			stop = min(stop, end)
		}
		if stop > off {
			m, werr := w.Write(buf[off:stop])
			written += int64(m)
			off += int64(m)
			if werr != nil {
				return written, werr
			}
		}
		if err != nil && (end < 0 || off < end || end == f.limit) {
			// A range whose bytes all came is whole even if the body broke
			// after them; the viewer's answer is cut only when it lacks some.
			return written, err
		}
		if done {
			if end >= 0 && off < end {
				return written, errTruncated
			}
			return written, nil
		}
		if end < 0 || off < end {
			if int64(len(f.published())) <= off {
				flush(w)
			}
		}
	}
	if end == f.limit {
		// The viewer read to the end: it ends once the fill did, which is
		// after the body was stored, so that its next request finds it.
		if _, _, err := f.next(ctx, end); err != nil {
			return written, err
		}
	}
	return written, nil
}

// flush sends what w holds to the viewer.
func flush(w io.Writer) {
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
}
