package edge

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/openfront/openfront/internal/cloudfront"
)

// diskOrigin serves "<path> " repeated to the size the query asks
// (?n=BYTES, default 1000), cacheable for an hour, and counts requests
// by path.
type diskOrigin struct {
	*httptest.Server
	mu sync.Mutex
	n  map[string]int
}

func newDiskOrigin(t *testing.T) *diskOrigin {
	o := &diskOrigin{n: map[string]int{}}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.n[r.URL.Path]++
		o.mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("ETag", `"`+r.URL.Path+`"`)
		io.WriteString(w, diskBody(r.URL.Path, r.URL.Query().Get("n")))
	}))
	t.Cleanup(o.Close)
	return o
}

func diskBody(path, n string) string {
	size := 1000
	fmt.Sscan(n, &size)
	return strings.Repeat(path+" ", size)[:size]
}

func (o *diskOrigin) count(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n[path]
}

// diskEdge starts an edge with a disk tier in dir and the origin's
// distribution (which accepts the query: ?n= is part of the key).
func diskEdge(t *testing.T, o *diskOrigin, dir string, memBudget, diskBudget int64, reg prometheus.Registerer) *testEdge {
	t.Helper()
	return newEdge(t, Options{CacheSize: memBudget, DiskCacheDir: dir, DiskCacheSize: diskBudget, Registerer: reg},
		distribution(o.Server, func(c *cloudfront.DistributionConfig) { c.DefaultCacheBehavior.QueryString = true }))
}

const d1 = "d1.cloudfront.test"

func (e *testEdge) expect(t *testing.T, path, xcache string) {
	t.Helper()
	p, q, _ := strings.Cut(path, "?")
	r := e.get(t, d1, path)
	if r.StatusCode != http.StatusOK || r.body != diskBody(p, strings.TrimPrefix(q, "n=")) {
		t.Fatalf("GET %s: %d, %d bytes", path, r.StatusCode, len(r.body))
	}
	if got := r.Header.Get("X-Cache"); xcache != "" && got != xcache {
		t.Fatalf("GET %s: X-Cache %q, want %q", path, got, xcache)
	}
}

// TestDiskRestartWarm: a new edge on the same folder answers from disk
// what the old one cached, without asking the origin, also for objects
// the old one only had in memory (written at Close).
func TestDiskRestartWarm(t *testing.T) {
	o := newDiskOrigin(t)
	dir := t.TempDir()
	e := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	paths := []string{"/a?n=10", "/b?n=100000", "/c?n=0"}
	for _, p := range paths {
		e.expect(t, p, "Miss from cloudfront")
	}
	e.Close()
	e2 := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	o.Close()     // the origin is gone: only the disk can answer
	for range 3 { // from the file, then promoted, then from memory
		for _, p := range paths {
			e2.expect(t, p, "Hit from cloudfront")
		}
	}
	if o.count("/a") != 1 || o.count("/b") != 1 {
		t.Errorf("origin asked again: /a %d, /b %d", o.count("/a"), o.count("/b"))
	}
	// Range and validators are answered from the file too.
	r := e2.get(t, d1, "/b?n=100000", "Range", "bytes=99990-")
	if r.StatusCode != http.StatusPartialContent || r.body != diskBody("/b", "100000")[99990:] {
		t.Errorf("range from disk: %d %q", r.StatusCode, r.body)
	}
	if r := e2.get(t, d1, "/a?n=10", "If-None-Match", `"/a"`); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match from disk: %d", r.StatusCode)
	}
}

// TestDiskEvictedToDisk: objects the memory tier evicts are written to
// disk and served from there; a second disk hit brings an object back to
// memory; objects heavier than the memory tier's per-object limit go to
// disk only.
func TestDiskEvictedToDisk(t *testing.T) {
	o := newDiskOrigin(t)
	reg := prometheus.NewRegistry()
	e := diskEdge(t, o, t.TempDir(), 256<<10, 64<<20, reg)
	const n = 40 // 40 × 20 KB: three times the memory budget
	for i := range n {
		e.expect(t, fmt.Sprintf("/o%d?n=20000", i), "Miss from cloudfront")
	}
	e.expect(t, "/big?n=100000", "Miss from cloudfront") // over 256 KiB / 8
	e.cache.c.CleanUp()
	e.cache.disk.flush()
	for i := range n {
		e.expect(t, fmt.Sprintf("/o%d?n=20000", i), "Hit from cloudfront")
	}
	for i := range n {
		if c := o.count(fmt.Sprintf("/o%d", i)); c != 1 {
			t.Fatalf("/o%d fetched %d times", i, c)
		}
	}
	if counterValue(e.cache.disk.hits) == 0 {
		t.Fatal("no hit came from disk")
	}
	if _, ok := e.cache.c.GetIfPresent(string(appendKey(nil, "EDFDVBD6EXAMPLE", "/big", "n=100000", "", encGzip))); ok {
		t.Error("an object over the memory tier's per-object limit is in memory")
	}
	for range 3 {
		e.expect(t, "/big?n=100000", "Hit from cloudfront")
	}
	if o.count("/big") != 1 {
		t.Errorf("/big fetched %d times", o.count("/big"))
	}
	// Promotion: an object hit twice on disk is back in memory.
	k := string(appendKey(nil, "EDFDVBD6EXAMPLE", "/p", "n=5000", "", encGzip))
	e.expect(t, "/p?n=5000", "Miss from cloudfront")
	en, _ := e.cache.c.GetIfPresent(k)
	e.cache.c.Invalidate(k) // as if evicted: write it to disk
	e.cache.disk.offer(k, en)
	e.cache.disk.flush()
	e.expect(t, "/p?n=5000", "Hit from cloudfront")
	if _, ok := e.cache.c.GetIfPresent(k); ok {
		t.Error("promoted after one disk hit")
	}
	e.expect(t, "/p?n=5000", "Hit from cloudfront")
	if m, ok := e.cache.c.GetIfPresent(k); !ok || m.file != nil {
		t.Error("not promoted to memory after the second disk hit")
	}
	if counterValue(e.cache.disk.promotions) == 0 {
		t.Error("promotions not counted")
	}
}

// TestDiskTornFile: files damaged while the edge was down are dropped and
// the objects fetched again, never served damaged.
func TestDiskTornFile(t *testing.T) {
	o := newDiskOrigin(t)
	dir := t.TempDir()
	e := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	for _, p := range []string{"/trunc?n=50000", "/flip?n=50000", "/ok?n=50000"} {
		e.expect(t, p, "Miss from cloudfront")
	}
	e.Close()
	damage := map[string]func(path string){
		"/trunc": func(p string) { os.Truncate(p, 30000) },
		"/flip": func(p string) {
			b, _ := os.ReadFile(p)
			b[len(b)-1000] ^= 1 // in the body: found at the first read
			os.WriteFile(p, b, 0o600)
		},
	}
	files := diskFiles(t, dir)
	if len(files) != 3 {
		t.Fatalf("%d files on disk, want 3", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for path, fn := range damage {
			if strings.Contains(string(b[:200]), path+"\x00") {
				fn(f)
			}
		}
	}
	e2 := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	e2.expect(t, "/trunc?n=50000", "Miss from cloudfront")
	e2.expect(t, "/flip?n=50000", "Miss from cloudfront")
	e2.expect(t, "/ok?n=50000", "Hit from cloudfront")
	if o.count("/trunc") != 2 || o.count("/flip") != 2 || o.count("/ok") != 1 {
		t.Errorf("origin fetches: trunc %d flip %d ok %d", o.count("/trunc"), o.count("/flip"), o.count("/ok"))
	}
}

func diskFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		// Object files only: not the index, not temporary files.
		if err == nil && !d.IsDir() && len(filepath.Base(filepath.Dir(p))) == 2 {
			out = append(out, p)
		}
		return err
	})
	return out
}

func diskUsage(t *testing.T, dir string) int64 {
	var n int64
	for _, p := range append(diskFiles(t, dir), filepath.Join(dir, "index")) {
		if st, err := os.Stat(p); err == nil {
			n += st.Sys().(*syscall.Stat_t).Blocks * 512
		}
	}
	return n
}

// TestDiskBudgetUnderChurn: five times the disk budget passes through a
// small memory tier; the files never take more than the budget.
func TestDiskBudgetUnderChurn(t *testing.T) {
	const budget = 1 << 20
	o := newDiskOrigin(t)
	dir := t.TempDir()
	e := diskEdge(t, o, dir, 128<<10, budget, nil)
	for i := range 5 * budget / 10000 {
		e.expect(t, fmt.Sprintf("/c%d?n=10000", i), "")
		if i%50 == 0 {
			e.cache.disk.flush()
			if got := diskUsage(t, dir); got > budget {
				t.Fatalf("after %d objects: %d bytes on disk, budget %d", i, got, budget)
			}
		}
	}
	e.Close()
	if got := diskUsage(t, dir); got > budget || got < budget/2 {
		t.Errorf("after Close: %d bytes on disk, budget %d", got, budget)
	}
}

// TestDiskPurge: an invalidation removes the object from both tiers, and
// an edge restarted right after the purge does not serve it from disk; a
// deleted or disabled distribution's objects go too, also when that
// happened while the edge was down.
func TestDiskPurge(t *testing.T) {
	o := newDiskOrigin(t)
	dir := t.TempDir()
	e := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	d := distribution(o.Server, func(c *cloudfront.DistributionConfig) { c.DefaultCacheBehavior.QueryString = true })
	e.expect(t, "/inv?n=100", "Miss from cloudfront")
	e.expect(t, "/keep?n=100", "Miss from cloudfront")
	e.Close() // both on disk now
	e2 := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	e2.expect(t, "/inv?n=100", "Hit from cloudfront") // from disk
	inv := cloudfront.Invalidation{ID: "I1", DistributionID: d.ID, Batch: cloudfront.InvalidationBatch{Paths: []string{"/inv"}}}
	if err := e2.Apply(testSnapshot(2, d), []cloudfront.Invalidation{inv}); err != nil {
		t.Fatal(err)
	}
	// Killed right after the purge: no Close, a new edge on the folder.
	e3 := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	e3.expect(t, "/inv?n=100", "Miss from cloudfront")
	e3.expect(t, "/keep?n=100", "Hit from cloudfront")
	if o.count("/inv") != 2 || o.count("/keep") != 1 {
		t.Errorf("origin fetches: inv %d keep %d", o.count("/inv"), o.count("/keep"))
	}
	// In memory and on disk at once, then invalidated: gone from both.
	e2.expect(t, "/inv?n=100", "Miss from cloudfront")
	e2.Apply(testSnapshot(3, d), []cloudfront.Invalidation{inv})
	e2.expect(t, "/inv?n=100", "Miss from cloudfront")

	// Disabled while the edge was down: the next edge drops its files at
	// its first snapshot, so re-enabling it does not bring them back.
	e3.Close()
	off := d
	off.Config.Enabled = false
	e4 := newEdge(t, Options{CacheSize: 1 << 20, DiskCacheDir: dir, DiskCacheSize: 64 << 20}, off)
	if n := len(diskFiles(t, dir)); n != 0 {
		t.Errorf("%d files of a disabled distribution kept", n)
	}
	e4.Apply(testSnapshot(5, d), nil)
	e4.expect(t, "/keep?n=100", "Miss from cloudfront")
	// Disabled while running: purged from both tiers.
	e4.Close()
	e5 := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	e5.expect(t, "/keep?n=100", "Hit from cloudfront")
	e5.Apply(testSnapshot(6, off), nil)
	if n := len(diskFiles(t, dir)); n != 0 {
		t.Errorf("%d files kept after the distribution was disabled", n)
	}
}

// TestDiskPurgeRacesWrite: an object evicted before a purge but written
// after it is not written.
func TestDiskPurgeRacesWrite(t *testing.T) {
	o := newDiskOrigin(t)
	dir := t.TempDir()
	e := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	d := distribution(o.Server, func(c *cloudfront.DistributionConfig) { c.DefaultCacheBehavior.QueryString = true })
	e.expect(t, "/r?n=100", "Miss from cloudfront")
	k := string(appendKey(nil, d.ID, "/r", "n=100", "", encGzip))
	en, _ := e.cache.c.GetIfPresent(k)
	e.Apply(testSnapshot(2, d), []cloudfront.Invalidation{{ID: "I", DistributionID: d.ID, Batch: cloudfront.InvalidationBatch{Paths: []string{"/r"}}}})
	e.cache.disk.write(k, en) // the writer reaching it after the purge
	if n := len(diskFiles(t, dir)); n != 0 {
		t.Errorf("a purged object was written to disk (%d files)", n)
	}
}

// TestDiskFailureDegrades: a disk tier that cannot write or cannot be
// opened leaves the edge serving from memory, with a metric and a log
// line, never an error to the viewer.
func TestDiskFailureDegrades(t *testing.T) {
	o := newDiskOrigin(t)
	t.Run("write", func(t *testing.T) {
		dir := t.TempDir()
		reg := prometheus.NewRegistry()
		e := diskEdge(t, o, dir, 64<<10, 64<<20, reg)
		// Files are written in tmp first; a file in its place fails every
		// write (ENOTDIR), for root too, as a full or read-only disk would.
		os.RemoveAll(filepath.Join(dir, "tmp"))
		os.WriteFile(filepath.Join(dir, "tmp"), nil, 0o600)
		for i := range 30 {
			e.expect(t, fmt.Sprintf("/w%d?n=5000", i), "Miss from cloudfront")
		}
		e.cache.c.CleanUp()
		e.cache.disk.flush()
		if n := counterValue(e.cache.disk.errors.WithLabelValues("write")); n == 0 {
			t.Error("write errors not counted")
		}
		if !e.cache.disk.off() {
			t.Error("the disk tier is still on after repeated errors")
		}
		e.expect(t, "/after?n=100", "Miss from cloudfront")
		e.expect(t, "/after?n=100", "Hit from cloudfront") // memory still serves
	})
	t.Run("open", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		os.WriteFile(file, nil, 0o600)
		e := diskEdge(t, o, filepath.Join(file, "cache"), 1<<20, 64<<20, prometheus.NewRegistry())
		e.expect(t, "/x?n=10", "Miss from cloudfront")
		e.expect(t, "/x?n=10", "Hit from cloudfront")
		if n := counterValue(e.cache.disk.errors.WithLabelValues("open")); n != 1 {
			t.Errorf("open errors: %v", n)
		}
	})
	t.Run("read", func(t *testing.T) {
		dir := t.TempDir()
		e := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
		e.expect(t, "/y?n=10", "Miss from cloudfront")
		e.Close()
		e2 := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
		for _, f := range diskFiles(t, dir) {
			os.Remove(f) // gone under the index
		}
		e2.expect(t, "/y?n=10", "Miss from cloudfront")
	})
}

// readFromRecorder records what reaches its ReadFrom, as net/http's
// response does before it hands the reader to the TCP connection.
type readFromRecorder struct {
	discardWriter
	src io.Reader
}

func (w *readFromRecorder) ReadFrom(r io.Reader) (int64, error) {
	w.src = r
	return io.Copy(&w.discardWriter, r)
}

// TestDiskHitZeroCopy: a disk hit hands the response writer's ReadFrom an
// *io.LimitedReader over the *os.File, the shape net.TCPConn.ReadFrom
// turns into sendfile(2); through the access-log wrapper too.
func TestDiskHitZeroCopy(t *testing.T) {
	o := newDiskOrigin(t)
	for _, logged := range []bool{false, true} {
		opts := Options{CacheSize: 1 << 20, DiskCacheDir: t.TempDir(), DiskCacheSize: 64 << 20}
		dist := distribution(o.Server)
		if logged {
			opts.AccessLog = func(LogRecord) {}
			dist = distribution(o.Server, withLogging) // the wrapper serves only logging distributions
		}
		e := newEdge(t, opts, dist)
		e.expect(t, "/z", "Miss from cloudfront") // goes to disk at Close
		e.Close()
		opts.DiskCacheDir = e.cache.disk.c.Dir()
		e2 := newEdge(t, opts, dist)
		r := httptest.NewRequest(http.MethodGet, "/z", nil)
		r.Host = d1
		r.Header.Set("Accept-Encoding", "gzip")
		w := &readFromRecorder{discardWriter: discardWriter{h: http.Header{}}}
		e2.ServeHTTP(w, r)
		lr, ok := w.src.(*io.LimitedReader)
		if !ok {
			t.Fatalf("logged=%v: ReadFrom got %T, want *io.LimitedReader", logged, w.src)
		}
		if _, ok := lr.R.(*os.File); !ok || w.n != 1000 {
			t.Fatalf("logged=%v: the reader wraps %T, %d bytes", logged, lr.R, w.n)
		}
	}
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	c.Write(&m)
	return m.GetCounter().GetValue()
}

// TestDiskConcurrentReadersAndPurges: viewers reading disk-only objects
// over real HTTP (sendfile for one, offset reads for the others) while
// the objects are purged and fetched again always get whole, right
// bodies.
func TestDiskConcurrentReadersAndPurges(t *testing.T) {
	o := newDiskOrigin(t)
	e := diskEdge(t, o, t.TempDir(), 256<<10, 64<<20, nil) // 100 KB: disk only
	d := distribution(o.Server, func(c *cloudfront.DistributionConfig) { c.DefaultCacheBehavior.QueryString = true })
	paths := []string{"/r1?n=100000", "/r2?n=100000"}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				p := paths[(g+i)%len(paths)]
				req, _ := http.NewRequest(http.MethodGet, e.http.URL+p, nil)
				req.Host = d1
				req.Header.Set("Accept-Encoding", "gzip")
				res, err := e.http.Client().Do(req)
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(res.Body)
				res.Body.Close()
				path, n, _ := strings.Cut(p, "?n=")
				if err != nil || res.StatusCode != 200 || string(b) != diskBody(path, n) {
					errs <- fmt.Errorf("GET %s: %d, %d bytes, %v", p, res.StatusCode, len(b), err)
					return
				}
			}
		}()
	}
	for i := range 10 {
		e.Apply(testSnapshot(int64(2+i), d), []cloudfront.Invalidation{{ID: fmt.Sprint(i), DistributionID: d.ID,
			Batch: cloudfront.InvalidationBatch{Paths: []string{"/r1"}}}})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
