package edge

import (
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"sync"
	"time"
)

// The edge's memory budget (Options.CacheSize, --cache-size) is the whole
// process's: its peak RSS stays within the budget + 10 %. Measured in
// bench/large.sh's working set (1 MiB objects, 256 MiB budget), the 100
// MiB the process held above a cache of the budget's size were the
// binary's own pages (23 MiB, not Go memory), garbage the collector had
// not yet reclaimed (66 MiB: the Go memory limit let the heap grow to it)
// and a few MiB of bodies on their way in or out. So the budget is split:
//
//   - Go's memory limit is the budget + 10 % less the binary's pages and
//     a margin for the limit's overshoot (MemoryLimit), so that the
//     collector keeps garbage within it;
//   - bodies arriving from origins (fills) may take fillShare of it at
//     once, beyond which a fetch waits for another to end (unless none
//     ended for a second: slow origins must not stall the others) and
//     read-ahead is skipped (memPool);
//   - evicted objects waiting for the disk tier's writer take at most
//     queueShare (disk.go);
//   - the memory tier gets what is left once the rest of the live heap
//     (distributions, control plane, connections, bodies still being sent
//     after their eviction: measured after each collection, against its
//     recent peak, so it follows the process as it grows) and the
//     collector's headroom are taken out (govern).
const (
	// memoryText is what the process maps beside Go's memory: the
	// binary's code and data pages (openfront serve: 23 MiB of RSS with
	// an empty cache and under load).
	memoryText = 24 << 20
	// minMemoryLimit keeps a tiny budget from making the collector run
	// without pause: below it, the process's floor exceeds the budget.
	minMemoryLimit = 32 << 20
	fillShare      = 16 // 1/16 of the budget for fills in flight
	queueShare     = 16 // 1/16 for writes waiting for the disk tier
	// headroom is the collector's room: garbage between collections (a
	// sixteenth of the Go limit) and what is allocated while it marks and
	// its metadata (headroomFixed).
	headroomShare = 16
	headroomFixed = 8 << 20
	// fillWait is how long fills may all stall before a fetch takes its
	// bytes beyond their share.
	fillWait = time.Second
	// governEvery is how often the memory tier's share is recomputed.
	governEvery = 250 * time.Millisecond
)

// goShare is the Go runtime's share of the budget + 10 %: the rest is the
// binary's own pages.
func goShare(budget int64) int64 { return budget + budget/10 - memoryText }

// MemoryLimit is the Go memory limit of an edge process whose memory
// budget is budget bytes: its share of the budget + 10 %, less a 16th of
// the budget, as the collector overshoots a soft limit while it marks
// (TestPartsMemory, run with the whole package: 7 MiB over a 112 MiB limit).
func MemoryLimit(budget int64) int64 {
	return max(goShare(budget)-budget/16, minMemoryLimit)
}

// fillBudget is the most bytes fills may hold at once.
func fillBudget(budget int64) int64 { return budget / fillShare }

// queueBudget is the most bytes evicted objects may hold while they wait
// for the disk tier's writer: at least 4 MiB, so that a small budget
// still writes its evictions.
func queueBudget(budget int64) int64 { return max(budget/queueShare, 4<<20) }

// memoryTierSize is the memory tier's byte budget when the rest of the
// live heap is other bytes and Go's memory limit is limit: the limit less
// the collector's headroom, the fills' and the disk queue's shares, and
// other; never under an eighth of the budget (a budget near the process's
// floor still caches something) nor over the budget.
func memoryTierSize(budget, limit, other int64) int64 {
	c := limit - headroom(limit) - fillBudget(budget) - queueBudget(budget) - other
	return min(max(c, budget/8), budget)
}

// headroom is what the collector needs beside the live heap under limit.
func headroom(limit int64) int64 { return limit/headroomShare + headroomFixed }

// memPool counts bytes held against a fixed share of the budget. A taker
// larger than the whole share goes alone.
type memPool struct {
	mu   sync.Mutex
	max  int64
	used int64
	wake chan struct{} // closed and replaced at each release
}

func newMemPool(n int64) *memPool { return &memPool{max: n, wake: make(chan struct{})} }

// acquire takes n bytes, waiting until they fit. Holders release once
// their origin body ended or broke, but slow origins must not stall every
// other fetch of the edge: when no holder ended for fillWait, the bytes
// are taken beyond the share (a fill that grows acquires again while it
// holds bytes: two such could otherwise wait on each other).
func (p *memPool) acquire(n int64) {
	p.mu.Lock()
	for p.used > 0 && p.used+n > p.max {
		wake := p.wake
		p.mu.Unlock()
		t := time.NewTimer(fillWait)
		select {
		case <-wake:
			t.Stop()
		case <-t.C:
			p.mu.Lock()
			p.used += n
			p.mu.Unlock()
			return
		}
		p.mu.Lock()
	}
	p.used += n
	p.mu.Unlock()
}

// room reports whether n bytes would fit now.
func (p *memPool) room(n int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used == 0 || p.used+n <= p.max
}

func (p *memPool) release(n int64) {
	if n == 0 {
		return
	}
	p.mu.Lock()
	p.used -= n
	close(p.wake)
	p.wake = make(chan struct{})
	p.mu.Unlock()
}

func (p *memPool) held() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

// govern resizes the memory tier after every collection (when the live
// heap is known anew) and every governEvery, until stop is closed.
func (c *objectCache) govern(stop <-chan struct{}) {
	gcs := make(chan struct{}, 1)
	afterEachGC(gcs, stop)
	t := time.NewTicker(governEvery)
	defer t.Stop()
	sample := []rtmetrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			// The rest's peak fades by a sixteenth a tick: it takes a few
			// seconds of a quieter heap to give the tier its room back.
			c.restPeak -= c.restPeak / 16
		case <-gcs:
		}
		rtmetrics.Read(sample)
		c.resize(int64(sample[0].Value.Uint64()))
	}
}

// afterEachGC signals ch (without blocking) after each collection until
// stop is closed: a finalizer runs once the collector found its object
// unreachable, and arms the next one.
func afterEachGC(ch chan<- struct{}, stop <-chan struct{}) {
	type sentinel struct{ _ [16]byte } // not tiny-allocated, so collected alone
	var arm func()
	arm = func() {
		runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
			select {
			case <-stop:
				return
			default:
			}
			select {
			case ch <- struct{}{}:
			default:
			}
			arm()
		})
	}
	arm()
}

// resize sets the memory tier's budget from the heap found live at the
// last collection: what is not the tier's, the fills' or the disk queue's
// is the rest of the process.
func (c *objectCache) resize(live int64) {
	limit := MemoryLimit(c.budget)
	if cur := debug.SetMemoryLimit(-1); cur < limit {
		limit = cur // an operator's GOMEMLIMIT
	}
	held := int64(c.c.WeightedSize()) + c.fillMem.held()
	if c.disk != nil {
		held += c.disk.queued.Load()
	}
	// What is live beside the tier swings from one collection to the next
	// (bodies being sent after their eviction, fills, promotions): the
	// tier is sized against its recent peak.
	c.restPeak = max(c.restPeak, live-held)
	size := uint64(memoryTierSize(c.budget, limit, c.restPeak))
	if cur := c.c.GetMaximum(); size > cur+1<<20 || size+1<<20 < cur {
		c.c.SetMaximum(size)
	}
}
