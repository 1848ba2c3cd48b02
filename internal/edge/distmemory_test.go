package edge

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// snapshotJSON is a full delta of n distributions like the one the
// control plane sends for distributions made by bench/fleet (the template
// is one distribution from a real edge's snapshot file), each with its
// own id, domain name and caller reference.
func snapshotJSON(t testing.TB, n int) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/feed-distribution.json")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl cloudfront.Distribution
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatal(err)
	}
	snap := feed.Delta{Revision: int64(n), Full: true}
	for i := range n {
		var d cloudfront.Distribution
		json.Unmarshal(b, &d)
		d.ID = fmt.Sprintf("E%013d", i)
		d.DomainName = fmt.Sprintf("d%013d.cloudfront.test", i)
		d.Config.CallerReference = fmt.Sprintf("ref-%d", i)
		d.Config.Comment = d.Config.CallerReference
		d.ETag = fmt.Sprintf("ETAG%010d", i)
		snap.Distributions = append(snap.Distributions, d)
	}
	out, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// distributionHeap is the heap an edge holds for the full delta in wire:
// the snapshot the feed client keeps (decoded and merged as it does) and
// the edge's tables, both kept alive; no request builds a form.
func distributionHeap(t testing.TB, wire []byte) int64 {
	t.Helper()
	before := settledHeap()
	s, err := New(Options{Registerer: prometheus.NewRegistry(), CacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var d feed.Delta
	if err := json.Unmarshal(wire, &d); err != nil {
		t.Fatal(err)
	}
	snap, err := feed.Merge(nil, &d)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(snap, nil); err != nil {
		t.Fatal(err)
	}
	after := settledHeap()
	runtime.KeepAlive(snap)
	runtime.KeepAlive(s)
	return int64(after) - int64(before)
}

// emptyHeap is distributionHeap of an edge with no distributions, which
// holds no less than nothing: a negative reading is the edge measured
// before it, let go of meanwhile, and would count against the one
// measured.
func emptyHeap(t testing.TB, empty []byte) int64 { return max(distributionHeap(t, empty), 0) }

// settledHeap is the live heap once collections stop freeing more: an
// edge measured just before may still be held, for a moment, by its
// goroutines that Close does not wait for. A CI run read such an edge
// in the empty one's baseline, which came out negative and doubled the
// figure per distribution.
func settledHeap() uint64 {
	var m runtime.MemStats
	prev := uint64(math.MaxUint64)
	for range 20 {
		runtime.GC()
		runtime.ReadMemStats(&m)
		if m.HeapAlloc >= prev {
			break
		}
		prev = m.HeapAlloc
		time.Sleep(5 * time.Millisecond)
	}
	return m.HeapAlloc
}

// BenchmarkDistributionMemory reports the heap an edge holds per
// distribution with 2,000 distributions ("B/dist"), the snapshot and the
// compiled form together, less an edge with none.
func BenchmarkDistributionMemory(b *testing.B) {
	const n = 2000
	wire, empty := snapshotJSON(b, n), snapshotJSON(b, 0)
	distributionHeap(b, empty) // allocations made once per process
	for b.Loop() {
		held := float64(distributionHeap(b, wire) - emptyHeap(b, empty))
		b.ReportMetric(held/n, "B/dist")
		b.ReportMetric(held/(1<<20), "heap-MiB")
	}
}

// TestDistributionMemory bounds the heap an edge holds per distribution.
// With every distribution's metric children made up front it held about
// 6.2 KB each; the bound fails if that, or as much of anything else, comes
// back.
func TestDistributionMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 2,000 distributions")
	}
	const n, bound = 2000, 3500
	wire, empty := snapshotJSON(t, n), snapshotJSON(t, 0)
	// Once for the allocations made once per process (type caches), which
	// would otherwise count against the empty edge; then the least of
	// three, since a test running alongside can only add.
	distributionHeap(t, empty)
	best := 1e18
	for range 3 {
		held := float64(distributionHeap(t, wire)-emptyHeap(t, empty)) / n
		best = min(best, held)
	}
	t.Logf("%.0f B per distribution", best)
	if best > bound {
		t.Errorf("an edge holds %.0f B per distribution, want at most %d", best, bound)
	}
}

// TestMetricsAtFirstRequest: a distribution's series appear with its
// first request, continue across snapshots, and do not come back after
// its deletion from a request still on the snapshot it was deleted from.
func TestMetricsAtFirstRequest(t *testing.T) {
	reg := prometheus.NewRegistry()
	o := newOrigin(t, text("12345"))
	served := distribution(o.Server)
	idle := distribution(o.Server)
	idle.ID, idle.DomainName = "EIDLEEXAMPLE", "d2.cloudfront.test"
	e := newEdge(t, Options{Registerer: reg}, served, idle)
	series := func() (ids []string) {
		for k := range gather(t, reg) {
			for _, id := range []string{served.ID, idle.ID} {
				if strings.Contains(k, `distribution="`+id+`"`) && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	if got := series(); len(got) != 0 {
		t.Fatalf("series before any request: %v", got)
	}
	e.get(t, "d1.cloudfront.test", "/a") // miss
	if got := series(); !slices.Equal(got, []string{served.ID}) {
		t.Fatalf("series after a request to %s: %v", served.ID, got)
	}
	// The next snapshot keeps the children: counts go on.
	if err := e.Apply(testSnapshot(2, served, idle), nil); err != nil {
		t.Fatal(err)
	}
	e.get(t, "d1.cloudfront.test", "/a") // hit
	k := `openfront_edge_requests_total{distribution="` + served.ID + `",result=`
	if m := gather(t, reg); m[k+`"miss"}`] != 1 || m[k+`"hit"}`] != 1 {
		t.Errorf("miss %v, hit %v; want 1 and 1", m[k+`"miss"}`], m[k+`"hit"}`])
	}
	// A request that found idle in the old snapshot counts after Apply
	// has deleted it: its series must not stay.
	old := e.snap.Load().byID.get(idle.ID)
	if err := e.Apply(testSnapshot(3, served), nil); err != nil {
		t.Fatal(err)
	}
	e.stats(old).count(resultMiss, 10)
	if got := series(); !slices.Equal(got, []string{served.ID}) {
		t.Errorf("series after %s's deletion: %v", idle.ID, got)
	}
}
