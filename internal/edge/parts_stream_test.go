package edge

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stallingOrigin serves a generated object of size bytes with ranges,
// as a range-capable origin does, but sends only the first head bytes of
// each answer before it waits for release (or, when cut, drops the
// connection there: a truncated body).
type stallingOrigin struct {
	*rangeOrigin
	release chan struct{}
	cut     atomic.Bool
	once    sync.Once
}

func newStallingOrigin(t *testing.T, size, head int64, cut bool) *stallingOrigin {
	so := &stallingOrigin{release: make(chan struct{})}
	so.cut.Store(cut)
	modTime := time.Date(2012, 10, 1, 0, 0, 0, 0, time.UTC)
	so.rangeOrigin = newRangeOrigin(t, size, func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("ETag", `"big"`)
		w.Header().Set("Content-Type", "text/plain")
		sw := &stallWriter{ResponseWriter: w, left: head, release: so.release, cut: so.cut.Load()}
		http.ServeContent(sw, r, "", modTime, &pattern{size: size})
		return true
	})
	t.Cleanup(so.open)
	return so
}

// open lets every stalled answer go on.
func (so *stallingOrigin) open() { so.once.Do(func() { close(so.release) }) }

// stallWriter passes left bytes of a body, flushed, then waits for
// release before the rest, or fails the connection there when cut.
type stallWriter struct {
	http.ResponseWriter
	left    int64
	release chan struct{}
	cut     bool
}

func (w *stallWriter) Write(p []byte) (int, error) {
	if w.left <= 0 {
		if w.cut {
			panic(http.ErrAbortHandler)
		}
		<-w.release
		return w.ResponseWriter.Write(p)
	}
	n := int(min(int64(len(p)), w.left))
	m, err := w.ResponseWriter.Write(p[:n])
	w.left -= int64(m)
	if err != nil {
		return m, err
	}
	w.ResponseWriter.(http.Flusher).Flush()
	if n == len(p) {
		return m, nil
	}
	k, err := w.Write(p[n:])
	return m + k, err
}

// TestColdRangeReadsAlong: a viewer's range of a cold large object is
// answered as soon as its bytes came from the origin, while the part
// that holds them is still arriving (the origin stalls after each
// answer's first bytes): in the object's first part, which the flight
// fetches, in a later part, across two parts being filled and in
// multipart/byteranges. Once the origin sends the rest, the parts are
// cached and the same ranges are answered, byte-identical, as hits.
func TestColdRangeReadsAlong(t *testing.T) {
	// The last part is 100 bytes: it comes whole.
	const partSize, size, head = 16 << 10, 256<<10 + 100, 4 << 10
	tests := []struct {
		name, rng string
		parts     [][2]int64 // each answered range: from, length
	}{
		{"first part", "bytes=0-9", [][2]int64{{0, 10}}},
		{"later part", "bytes=65536-65545", [][2]int64{{65536, 10}}},
		{"open end in the short last part", "bytes=262150-", [][2]int64{{262150, size - 262150}}},
		{"multipart, first and later part", "bytes=100-109,81920-81929", [][2]int64{{100, 10}, {81920, 10}}},
		{"multipart, one part", "bytes=0-0,2-3", [][2]int64{{0, 1}, {2, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newStallingOrigin(t, size, head, false)
			e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
			done := make(chan response, 1)
			go func() { done <- e.get(t, "d1.cloudfront.test", "/big", "Range", tt.rng) }()
			var r response
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				o.open()
				t.Fatalf("the range waited for its parts to arrive whole (origin requests %q)", o.seen())
			}
			checkRangeAnswer(t, r, tt.rng, tt.parts, size, "text/plain")
			if x := r.Header.Get("X-Cache"); x != "Miss from cloudfront" {
				t.Errorf("cold X-Cache %q", x)
			}
			o.open()
			// The parts the range needed are stored once they arrive; the
			// same range is then a hit with the same bytes.
			deadline := time.Now().Add(10 * time.Second)
			for {
				n := o.hits.Load()
				w := e.get(t, "d1.cloudfront.test", "/big", "Range", tt.rng)
				checkRangeAnswer(t, w, tt.rng, tt.parts, size, "text/plain")
				if o.hits.Load() == n && w.Header.Get("X-Cache") == "Hit from cloudfront" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the range's parts were never cached: origin requests %q", o.seen())
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

// checkRangeAnswer checks a 206 for rng of a pattern object of size
// bytes and type ctype: one range with its Content-Range, or
// multipart/byteranges with each part's.
func checkRangeAnswer(t *testing.T, r response, rng string, parts [][2]int64, size int64, ctype string) {
	t.Helper()
	if r.StatusCode != http.StatusPartialContent {
		t.Fatalf("%s: status %d", rng, r.StatusCode)
	}
	cr := func(p [2]int64) string {
		return fmt.Sprintf("bytes %d-%d/%d", p[0], p[0]+p[1]-1, size)
	}
	if len(parts) == 1 {
		if got := r.Header.Get("Content-Range"); got != cr(parts[0]) || r.body != string(patternBytes(parts[0][0], parts[0][1], 0)) {
			t.Fatalf("%s: Content-Range %q, %d bytes", rng, got, len(r.body))
		}
		return
	}
	ranges, bodies := readParts(t, r, ctype)
	if len(ranges) != len(parts) {
		t.Fatalf("%s: %d parts, want %d", rng, len(ranges), len(parts))
	}
	for i, p := range parts {
		if ranges[i] != cr(p) || bodies[i] != string(patternBytes(p[0], p[1], 0)) {
			t.Fatalf("%s: part %d is %q with %d bytes, want %q", rng, i, ranges[i], len(bodies[i]), cr(p))
		}
	}
}

// TestColdRangeTruncatedPart: when the origin's answer for a part breaks
// after its first bytes, a viewer whose range lies in those bytes gets
// it whole; a viewer whose range goes past them gets a response cut
// short (the client sees an error, not a short 206 that looks whole);
// the part is not cached, and once the origin mends the next viewer gets
// the bytes from a new fetch.
func TestColdRangeTruncatedPart(t *testing.T) {
	const partSize, size, head = 16 << 10, 256 << 10, 4 << 10
	for _, tt := range []struct {
		name     string
		from, to int64 // the range that goes past the break
	}{
		{"first part", 0, 8191},
		{"later part", 65536, 65536 + 8191},
		{"across parts", 100, 20000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := newStallingOrigin(t, size, head, true)
			e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
			// Within the bytes that arrive: whole, even though the part broke.
			in := fmt.Sprintf("bytes=%d-%d", tt.from, tt.from+9)
			checkRangeAnswer(t, e.get(t, "d1.cloudfront.test", "/big", "Range", in), in, [][2]int64{{tt.from, 10}}, size, "text/plain")
			rng := "bytes=" + strconv.FormatInt(tt.from, 10) + "-" + strconv.FormatInt(tt.to, 10)
			resp := e.open(t, "/big", "Range", rng)
			b, err := io.ReadAll(resp.Body)
			if err == nil {
				t.Fatalf("%s: %d %d bytes without error, want a response cut short", rng, resp.StatusCode, len(b))
			}
			if !bytes.Equal(b, patternBytes(tt.from, int64(len(b)), 0)) {
				t.Fatalf("%s: the %d bytes before the cut are not the object's", rng, len(b))
			}
			// Nothing of the broken parts was stored: a mended origin is
			// asked again and the range comes whole. The read-ahead of the
			// next part, which the cut origin also breaks, ends first: a
			// viewer that joined it would rightly be cut short too.
			e.settle(t)
			o.cut.Store(false)
			o.open()
			n := o.hits.Load()
			want := [][2]int64{{tt.from, tt.to + 1 - tt.from}}
			checkRangeAnswer(t, e.get(t, "d1.cloudfront.test", "/big", "Range", rng), rng, want, size, "text/plain")
			if o.hits.Load() == n {
				t.Fatalf("%s: answered without the origin after its part broke", rng)
			}
		})
	}
}

// TestPartBreakForgottenFirst: when a part's origin body breaks, the
// edge forgets the broken fill (and, for an origin that ignored Range,
// the object) before the part's viewers hear of the break, so a viewer
// that asks again at once starts a new fetch instead of joining the
// broken one. The test holds the edge's fill lock while the origin
// breaks: a viewer that hears of the break before the lock is released
// heard it while the broken fill was still listed.
func TestPartBreakForgottenFirst(t *testing.T) {
	const partSize, size, head = 16 << 10, 64 << 10, 4 << 10
	for _, tt := range []struct {
		name string
		// from is where the viewer's range starts; the origin's answer
		// breaks head bytes after it.
		from int64
		// whole: the origin ignores Range and sends the object whole
		// (the edge cuts it into parts as it arrives).
		whole bool
	}{
		{"first part, from the flight's answer", 0, false},
		{"later part, fetched on its own", partSize, false},
		{"later part of an object sent whole", partSize, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var armed atomic.Bool
			armed.Store(true)
			gate := make(chan struct{})
			modTime := time.Date(2012, 10, 1, 0, 0, 0, 0, time.UTC)
			o := newRangeOrigin(t, size, func(w http.ResponseWriter, r *http.Request) bool {
				if !armed.Load() {
					return false
				}
				rng := r.Header.Get("Range")
				h := w.Header()
				h.Set("ETag", `"big"`)
				h.Set("Content-Type", "text/plain")
				h.Set("Last-Modified", modTime.Format(http.TimeFormat))
				var from, n int64
				switch {
				case tt.whole:
					h.Set("Content-Length", strconv.FormatInt(size, 10))
					w.WriteHeader(http.StatusOK)
					n = tt.from + head
				case rng == partRange(tt.from/partSize, partSize, size):
					from, n = tt.from, head
					h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, from+partSize-1, size))
					h.Set("Content-Length", strconv.FormatInt(partSize, 10))
					w.WriteHeader(http.StatusPartialContent)
				default:
					return false
				}
				w.Write(patternBytes(from, n, 0))
				w.(http.Flusher).Flush()
				<-gate
				panic(http.ErrAbortHandler)
			})
			t.Cleanup(func() {
				select {
				case <-gate:
				default:
					close(gate)
				}
			})
			e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
			rng := fmt.Sprintf("bytes=%d-%d", tt.from, tt.from+2*head-1)
			resp := e.open(t, "/big", "Range", rng)
			// The viewer has the bytes before the break and waits for more.
			got := make([]byte, head)
			if _, err := io.ReadFull(resp.Body, got); err != nil {
				t.Fatalf("%s: %v", rng, err)
			}
			if !bytes.Equal(got, patternBytes(tt.from, head, 0)) {
				t.Fatalf("%s: the bytes before the break are not the object's", rng)
			}
			heard := make(chan error, 1)
			go func() {
				_, err := io.ReadAll(resp.Body)
				heard <- err
			}()
			e.fillsMu.Lock()
			close(gate)
			select {
			case <-heard:
				e.fillsMu.Unlock()
				t.Fatalf("%s: the viewer heard of the break while the broken part was still listed", rng)
			case <-time.After(200 * time.Millisecond):
			}
			e.fillsMu.Unlock()
			if err := <-heard; err == nil {
				t.Fatalf("%s: the response was not cut short", rng)
			}
			// At once, with the origin mended: a new fetch, the range whole.
			armed.Store(false)
			n := o.hits.Load()
			checkRangeAnswer(t, e.get(t, "d1.cloudfront.test", "/big", "Range", rng), rng, [][2]int64{{tt.from, 2 * head}}, size, "text/plain")
			if o.hits.Load() == n {
				t.Fatalf("%s: answered without the origin after its part broke", rng)
			}
		})
	}
}
