package edge

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/openfront/openfront/internal/feed"
)

// BenchmarkCacheMemory fills a 32 MiB cache with four times its budget of
// 64 KiB objects and reports the heap the edge holds afterwards, and its
// ratio to the budget ("heap/budget"): the cache's real memory, not just
// its own accounting, must stay within the budget plus a small overhead.
func BenchmarkCacheMemory(b *testing.B) {
	const budget = 32 << 20
	const objSize = 64 << 10
	body := make([]byte, objSize)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write(body)
	}))
	defer origin.Close()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := New(Options{CacheSize: budget})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Apply(&feed.Snapshot{Revision: 1, Distributions: records(distribution(origin))}, nil); err != nil {
			b.Fatal(err)
		}
		for i := range 4 * budget / objSize {
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/o%d", i), nil)
			req.Host = "d1.cloudfront.test"
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
		s.cache.c.CleanUp()
		runtime.GC()
		runtime.ReadMemStats(&after)
		held := float64(after.HeapAlloc) - float64(before.HeapAlloc)
		b.ReportMetric(held/(1<<20), "heap-MiB")
		b.ReportMetric(held/budget, "heap/budget")
		runtime.KeepAlive(s)
		s.Close()
	}
}
