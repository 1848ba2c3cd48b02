package edge

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// discardWriter is a ResponseWriter that keeps one header map, so a
// measurement counts the edge's allocations, not the recorder's. With
// fresh set it starts every response with a new, empty map, as net/http
// does, so map growth is measured too.
type discardWriter struct {
	h      http.Header
	status int
	n      int
	fresh  bool
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(s int)   { w.status = s }
func (w *discardWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

func (w *discardWriter) reset() {
	if w.fresh {
		w.h = make(http.Header)
	}
	clear(w.h)
	w.status, w.n = 0, 0
}

// warmUp serves r twice, the first time filling the cache, and fails
// unless the second is a hit; it returns the writer, holding the hit.
func warmUp(tb testing.TB, s *Server, r *http.Request) *discardWriter {
	tb.Helper()
	w := &discardWriter{h: http.Header{}}
	s.ServeHTTP(w, r)
	w.reset()
	s.ServeHTTP(w, r)
	if w.h.Get("X-Cache") != "Hit from cloudfront" {
		tb.Fatalf("warm-up: X-Cache %q", w.h.Get("X-Cache"))
	}
	return w
}

// hitAllocs is how many times one more hit of r allocates, w reused.
func hitAllocs(s *Server, r *http.Request, w *discardWriter) float64 {
	return testing.AllocsPerRun(200, func() {
		w.reset()
		s.ServeHTTP(w, r)
	})
}

// warmHit returns an edge with /obj cached and a request for it.
func warmHit(tb testing.TB, size int) (*Server, *http.Request) {
	tb.Helper()
	o := httptest.NewServer(text(strings.Repeat("x", size), "Content-Type", "application/octet-stream", "ETag", `"e"`))
	tb.Cleanup(o.Close)
	s, err := New(Options{HostID: "0123456789abcdef0123456789abcdef"})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Apply(testSnapshot(1, distribution(o)), nil); err != nil {
		tb.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/obj", nil)
	r.Host = "d1.cloudfront.test"
	r.Header.Set("Accept-Encoding", "gzip")
	r.Header.Set("User-Agent", "bench")
	if w := warmUp(tb, s, r); w.n != size {
		tb.Fatalf("warm-up: %d bytes", w.n)
	}
	return s, r
}

// TestHitAllocs bounds the allocations of a cache hit to one: the
// per-request values (request id, Age). net/http's own header map is not
// counted here; the writer reuses one.
func TestHitAllocs(t *testing.T) {
	s, r := warmHit(t, 1024)
	if allocs := hitAllocs(s, r, &discardWriter{h: http.Header{}}); allocs > 1 {
		t.Fatalf("a cache hit allocates %.1f times, want at most 1", allocs)
	}
}

func benchmarkHit(b *testing.B, size int, fresh bool) {
	s, r := warmHit(b, size)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}, fresh: fresh}
		for pb.Next() {
			w.reset()
			s.ServeHTTP(w, r)
		}
	})
}

func BenchmarkHit1KB(b *testing.B) { benchmarkHit(b, 1<<10, false) }
func BenchmarkHit1MB(b *testing.B) { benchmarkHit(b, 1<<20, false) }

// BenchmarkHit1KBFreshHeader counts what a hit costs under net/http, whose
// header map is new for every response.
func BenchmarkHit1KBFreshHeader(b *testing.B) { benchmarkHit(b, 1<<10, true) }
