package edge

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMemoryBudgetSplit: for budgets from the process's floor up, the
// Go memory limit and the binary's pages stay within the budget + 10 %
// (or at the floor), and the memory tier, the fills, the disk queue, the
// collector's headroom and the rest of the heap fit in the Go limit.
func TestMemoryBudgetSplit(t *testing.T) {
	for _, tt := range []struct {
		budget, other int64
	}{
		{64 << 20, 6 << 20},
		{128 << 20, 8 << 20},
		{256 << 20, 8 << 20},
		{256 << 20, 60 << 20}, // thousands of distributions
		{4 << 30, 40 << 20},
		{16 << 20, 6 << 20}, // under the floor
	} {
		limit := MemoryLimit(tt.budget)
		tier := memoryTierSize(tt.budget, limit, tt.other)
		t.Logf("budget %d MiB, rest %d MiB: Go limit %d MiB, memory tier %d MiB", tt.budget>>20, tt.other>>20, limit>>20, tier>>20)
		if limit > goShare(tt.budget) && limit != minMemoryLimit {
			t.Errorf("budget %d: Go limit %d + the binary's %d exceed the budget + 10 %%", tt.budget, limit, memoryText)
		}
		if tier < tt.budget/8 || tier > tt.budget {
			t.Errorf("budget %d: memory tier %d outside [budget/8, budget]", tt.budget, tier)
		}
		if used := tier + fillBudget(tt.budget) + queueBudget(tt.budget) + headroom(limit) + tt.other; used > limit && tier > tt.budget/8 {
			t.Errorf("budget %d, rest %d: the shares add up to %d, over the Go limit %d", tt.budget, tt.other, used, limit)
		}
	}
	if a, b := memoryTierSize(256<<20, MemoryLimit(256<<20), 8<<20), memoryTierSize(256<<20, MemoryLimit(256<<20), 60<<20); b >= a {
		t.Errorf("a larger rest of the heap left the memory tier at %d (was %d)", b, a)
	}
}

// TestMemPool: takers fit in the pool or wait for a release; one larger
// than the pool goes alone; none waits forever.
func TestMemPool(t *testing.T) {
	p := newMemPool(10)
	p.acquire(6)
	if !p.room(4) || p.room(5) {
		t.Fatalf("6 of 10 held: room(4) %v, room(5) %v", p.room(4), p.room(5))
	}
	got := make(chan struct{})
	go func() { p.acquire(5); close(got) }()
	select {
	case <-got:
		t.Fatal("5 more bytes were granted with 6 of 10 held")
	default:
	}
	p.release(6)
	<-got
	if h := p.held(); h != 5 {
		t.Fatalf("held %d, want 5", h)
	}
	p.release(5)
	p.acquire(25) // larger than the pool: alone
	if p.room(1) {
		t.Fatal("room beside a taker larger than the pool")
	}
	p.release(25)
	if p.held() != 0 || !p.room(10) {
		t.Fatalf("held %d after every release", p.held())
	}
	// A holder that never ends (a slow origin) stalls the others for
	// fillWait at most: then they take their bytes beyond the share.
	p.acquire(10)
	p.acquire(4)
	if h := p.held(); h != 14 {
		t.Fatalf("held %d, want 14 (10 + 4 taken after the wait)", h)
	}
}

// memoryWatch samples the Go memory the process holds (mapped and not
// returned to the system: what Go's memory limit bounds) every
// millisecond, and keeps the peak.
type memoryWatch struct {
	stop chan struct{}
	done chan struct{}
	peak atomic.Uint64
}

func goMemory() uint64 {
	s := []rtmetrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	rtmetrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// watchMemory sets Go's memory limit as the binary does for budget
// (restored at the test's end), returns what the process holds at rest
// and starts sampling.
func watchMemory(t *testing.T, budget int64) (*memoryWatch, uint64) {
	t.Helper()
	prev := debug.SetMemoryLimit(MemoryLimit(budget))
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	runtime.GC()
	debug.FreeOSMemory()
	rest := goMemory()
	w := &memoryWatch{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			if m := goMemory(); m > w.peak.Load() {
				w.peak.Store(m)
			}
			select {
			case <-w.stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return w, rest
}

func (w *memoryWatch) end() uint64 {
	close(w.stop)
	<-w.done
	return w.peak.Load()
}

// checkMemory fails when the process's Go memory peaked over the Go share
// of budget + 10 % (the binary's pages take the rest in a real process).
func checkMemory(t *testing.T, what string, budget int64, peak, rest uint64) {
	t.Helper()
	t.Logf("%s: peak Go memory %d MiB (%d MiB at rest before), budget %d MiB, Go share %d MiB, Go limit %d MiB",
		what, peak>>20, rest>>20, budget>>20, goShare(budget)>>20, MemoryLimit(budget)>>20)
	if int64(peak) > goShare(budget) {
		t.Errorf("%s: the process held %d MiB, over the budget %d MiB + 10 %% less the binary's %d MiB",
			what, peak>>20, budget>>20, memoryText>>20)
	}
}

// TestMemoryWorkingSet: 16 viewers churn through a working set three
// times the memory budget (1 MiB objects, zipf 0.8, a disk tier under
// memory, as bench/large.sh's working set) and the process stays within
// the budget + 10 %.
func TestMemoryWorkingSet(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("hundreds of MiB of churn")
	}
	const budget, object, viewers, perViewer = 128 << 20, 1 << 20, 16, 400
	objects := 3 * budget / object
	var originBytes atomic.Int64
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("ETag", strconv.Quote(r.URL.Path))
		w.Header().Set("Content-Length", strconv.Itoa(object))
		p := &pattern{size: object, seed: byte(len(r.URL.Path))}
		n, _ := httpCopy(w, p)
		originBytes.Add(n)
	})
	e := newEdge(t, Options{CacheSize: budget, DiskCacheDir: t.TempDir(), DiskCacheSize: 2 * 3 * budget}, distribution(o.Server))
	w, rest := watchMemory(t, budget)
	zipf := rand.NewZipf(rand.New(rand.NewPCG(1, 2)), 1.8, 1, uint64(objects-1)) // s must be > 1: 1.8 is as skewed as the web's 0.8 over this few objects
	var mu sync.Mutex
	var wg sync.WaitGroup
	var bad atomic.Int32
	for range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perViewer {
				mu.Lock()
				i := zipf.Uint64()
				mu.Unlock()
				cw := &countingWriter{h: http.Header{}}
				req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/ws/%d", i), nil)
				req.Host = "d1.cloudfront.test"
				e.ServeHTTP(cw, req)
				if cw.status != 200 || cw.n != object {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	peak := w.end()
	if bad.Load() != 0 {
		t.Fatalf("%d responses were not the whole object", bad.Load())
	}
	served := int64(viewers * perViewer * object)
	t.Logf("byte hit ratio %.3f (%d MiB from the origin for %d MiB served), memory tier %d MiB of %d",
		1-float64(originBytes.Load())/float64(served), originBytes.Load()>>20, served>>20, e.cache.c.WeightedSize()>>20, e.cache.c.GetMaximum()>>20)
	checkMemory(t, "working set", budget, peak, rest)
}

// httpCopy writes p to w in 32 KiB writes.
func httpCopy(w http.ResponseWriter, p *pattern) (int64, error) {
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, err := p.Read(buf)
		if k > 0 {
			m, werr := w.Write(buf[:k])
			n += int64(m)
			if werr != nil {
				return n, werr
			}
		}
		if err != nil {
			return n, nil
		}
	}
}

// TestFillReserves: a fill holds of the fills' share what its buffer
// takes (a body of unknown length as it grows, not a whole part), and
// gives it back when it ends, whole or broken.
func TestFillReserves(t *testing.T) {
	const part = 4 << 20
	for _, tc := range []struct {
		name       string
		body       int
		want       int64 // pump's want: -1 for an unknown length
		heldAtMost int64
	}{
		{"small, unknown length", 1000, -1, 32 << 10},
		{"200 KiB, unknown length", 200 << 10, -1, 256 << 10},
		{"known length", 300 << 10, 300 << 10, 300 << 10},
		{"broken", 1000, 2000, 2000},
	} {
		pool := newMemPool(16 << 20)
		f := &fill{wake: make(chan struct{}), limit: part, mem: pool}
		_, err := f.pump(bufio.NewReader(bytes.NewReader(make([]byte, tc.body))), tc.want)
		if held := pool.held(); held > tc.heldAtMost || held < int64(min(tc.body, int(tc.heldAtMost))) {
			t.Errorf("%s: the fill holds %d bytes of the pool, want %d at most and its body at least", tc.name, held, tc.heldAtMost)
		}
		f.finish(err)
		if held := pool.held(); held != 0 {
			t.Errorf("%s: %d bytes held after the fill ended", tc.name, held)
		}
	}
}
