package edge

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/diskcache"
)

const (
	// promoteHits is how many disk hits bring an object back to memory:
	// one hit says little about an object the memory tier just evicted;
	// a second says it is in use again.
	promoteHits = 2
	// diskFailures in a row switch the disk tier off for diskPause, so a
	// full or failing disk costs a log line, not every request's latency.
	diskFailures = 3
	diskPause    = 30 * time.Second
)

// diskTier is the disk tier under the memory tier: evicted entries are
// written by one goroutine, disk hits serve from the file (sendfile) and
// a second hit promotes an object that fits back into memory.
type diskTier struct {
	c   *diskcache.Cache
	log *slog.Logger
	now func() time.Time
	// memLimit is the heaviest entry the memory tier keeps; heavier ones
	// go straight to disk, so one large object does not push out many
	// small hot ones.
	memLimit int64

	mu      sync.Mutex
	pending map[string]*entry // queued for writing, still served
	closed  bool
	queue   chan string
	queued  atomic.Int64 // body bytes in pending
	// maxQueued bounds the memory that writes waiting for the disk hold:
	// evicted, they are no longer the memory tier's, so they have their
	// own share of the budget (membudget.go).
	maxQueued int64
	done      chan struct{}

	epoch *atomic.Int64 // the server's purge epoch
	swept atomic.Bool   // orphans ran

	failures atomic.Int32
	offUntil atomic.Int64 // unix nanoseconds

	hits, promotions, dropped prometheus.Counter
	errors                    *prometheus.CounterVec
}

// newDiskTier opens dir. A failure leaves the edge memory-only, with a
// log line and a metric: a bad disk must not stop an edge from serving.
func newDiskTier(o Options, log *slog.Logger, now func() time.Time, epoch *atomic.Int64) *diskTier {
	d := &diskTier{
		log: log, now: now, epoch: epoch,
		memLimit:  o.CacheSize / 8,
		pending:   map[string]*entry{},
		queue:     make(chan string, 4096),
		maxQueued: queueBudget(o.CacheSize),
		done:      make(chan struct{}),
		hits: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "disk_hits_total",
			Help: "Cache lookups answered by the disk tier.",
		}),
		promotions: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "disk_promotions_total",
			Help: "Objects brought back from the disk tier to memory.",
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "disk_writes_dropped_total",
			Help: "Objects evicted from memory but not written to disk (queue full or disk tier off).",
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "disk_errors_total",
			Help: "Errors of the disk tier by operation (open, read, write, purge); the edge serves from memory meanwhile.",
		}, []string{"op"}),
	}
	c, err := diskcache.Open(o.DiskCacheDir, o.DiskCacheSize, log)
	if err != nil {
		d.errors.WithLabelValues("open").Inc()
		log.Error("disk cache: cannot open; the edge caches in memory only", "dir", o.DiskCacheDir, "err", err)
		return d
	}
	d.c = c
	go d.writer()
	return d
}

func (d *diskTier) register(reg prometheus.Registerer) error {
	cs := []prometheus.Collector{d.hits, d.promotions, d.dropped, d.errors}
	if d.c != nil {
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Namespace: "openfront", Subsystem: "edge", Name: "disk_cache_bytes",
				Help: "Bytes the disk tier's files take (allocated blocks).",
			}, func() float64 { u, _ := d.c.Stats(); return float64(u) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Namespace: "openfront", Subsystem: "edge", Name: "disk_cache_objects",
				Help: "Objects in the disk tier.",
			}, func() float64 { _, n := d.c.Stats(); return float64(n) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Namespace: "openfront", Subsystem: "edge", Name: "disk_cache_budget_bytes",
				Help: "Byte budget of the disk tier.",
			}, func() float64 { return float64(d.c.Budget()) }))
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// off reports whether the tier is unusable: not opened, or paused after
// errors.
func (d *diskTier) off() bool {
	return d.c == nil || d.now().UnixNano() < d.offUntil.Load()
}

func (d *diskTier) fail(op string, err error) {
	d.errors.WithLabelValues(op).Inc()
	if d.failures.Add(1) >= diskFailures {
		d.failures.Store(0)
		d.offUntil.Store(d.now().Add(diskPause).UnixNano())
		d.log.Error("disk cache: repeated errors; memory only for a while", "op", op, "err", err, "pause", diskPause)
		return
	}
	d.log.Warn("disk cache: "+op+" failed; served from memory", "err", err)
}

// get finds key on disk (nil: not there). The first use of a file since
// start-up checks its body's checksum; a hit that makes promoteHits reads
// an object that fits into memory (promote: the caller caches it there),
// the others serve from the file.
func (d *diskTier) get(key []byte) (e *entry, promote bool) {
	k := unsafe.String(unsafe.SliceData(key), len(key))
	d.mu.Lock()
	e = d.pending[k]
	d.mu.Unlock()
	if e != nil {
		return e, false
	}
	if d.off() {
		return nil, false
	}
	o, ok, err := d.c.Get(k)
	if err != nil {
		d.fail("read", err)
	}
	if !ok {
		return nil, false
	}
	e, err = decodeMeta(o.Meta)
	if err != nil {
		o.File.Close()
		d.c.Remove(o.Key, o.ID)
		return nil, false
	}
	// Purges before this one were applied to the file. One before is
	// counted too: a purge moves the epoch before it deletes files.
	e.epoch = d.epoch.Load() - 1
	if o.Hits >= promoteHits && d.fits(e, o.Size) {
		body := make([]byte, o.Size)
		err := d.c.Verify(o, body)
		o.File.Close()
		if err != nil {
			d.errors.WithLabelValues("read").Inc()
			return nil, false
		}
		e.body = body
		seal(e)
		e.diskID = o.ID
		d.hits.Inc()
		d.promotions.Inc()
		return e, true
	}
	if !o.Verified {
		if err := d.c.Verify(o, nil); err != nil {
			o.File.Close()
			d.errors.WithLabelValues("read").Inc()
			return nil, false
		}
	}
	e.file = &fileBody{f: o.File, off: o.Off, size: o.Size}
	seal(e)
	e.diskID = o.ID
	d.hits.Inc()
	return e, false
}

// fits reports whether an entry with a body of size bytes may live in
// memory.
func (d *diskTier) fits(e *entry, size int64) bool {
	return int64(e.weight)+size <= d.memLimit
}

// intoMemory returns a memory copy of a disk-backed entry that fits the
// memory tier, or nil.
func (d *diskTier) intoMemory(e *entry) *entry {
	if e.file == nil || !d.fits(e, e.size()) {
		return nil
	}
	body := make([]byte, e.size())
	if _, err := e.file.f.ReadAt(body, e.file.off); err != nil {
		d.errors.WithLabelValues("read").Inc()
		return nil
	}
	m := *e
	m.file, m.body = nil, body
	weigh(&m)
	return &m
}

// worthKeeping: a fresh entry, or one the origin can revalidate.
func worthKeeping(e *entry, now time.Time) bool {
	return e.fresh(now) || (!e.isError && (e.etag != "" || e.lastMod != ""))
}

// offer queues e for writing unless its file is already there, it is not
// worth keeping, or the queue is full (then it is dropped: a disk slower
// than the evictions must not grow memory).
func (d *diskTier) offer(key string, e *entry) {
	if d.off() {
		return
	}
	if e.diskID != 0 && d.c.Has(key, e.diskID) {
		return
	}
	if !worthKeeping(e, d.now()) {
		return
	}
	size := e.size()
	d.mu.Lock()
	defer d.mu.Unlock()
	// An object over the bound still goes when nothing else waits.
	if q := d.queued.Load(); d.closed || (q > 0 && q+size > d.maxQueued) {
		d.dropped.Inc()
		return
	}
	if _, ok := d.pending[key]; !ok {
		select {
		case d.queue <- key:
		default:
			d.dropped.Inc()
			return
		}
	} else {
		d.queued.Add(-d.pending[key].size())
	}
	d.pending[key] = e
	d.queued.Add(size)
}

// writer writes queued entries, one at a time.
func (d *diskTier) writer() {
	defer close(d.done)
	for key := range d.queue {
		d.mu.Lock()
		e := d.pending[key]
		d.mu.Unlock()
		if e != nil {
			d.write(key, e)
		}
		d.mu.Lock()
		if d.pending[key] == e {
			delete(d.pending, key)
			if e != nil {
				d.queued.Add(-e.size())
			}
		}
		d.mu.Unlock()
	}
}

func (d *diskTier) write(key string, e *entry) {
	if d.off() {
		d.dropped.Inc()
		return
	}
	meta, err := encodeMeta(e)
	if err != nil {
		return
	}
	size := e.size()
	_, err = d.c.Put(key, e.epoch, meta, size, func(w io.Writer) error {
		_, err := e.writeBody(w, 0, size)
		return err
	})
	switch {
	case err == nil:
		d.failures.Store(0)
	case errors.Is(err, diskcache.ErrPurged), errors.Is(err, diskcache.ErrTooBig):
	default:
		d.fail("write", err)
	}
}

func (d *diskTier) delete(key string) {
	d.mu.Lock()
	if e, ok := d.pending[key]; ok {
		delete(d.pending, key)
		d.queued.Add(-e.size())
	}
	d.mu.Unlock()
	if d.c != nil {
		d.c.Delete(key)
	}
}

// purge drops pending writes and deletes files under prefixes. epoch is
// the purge's, so that a write of an entry cached before it is refused.
func (d *diskTier) purge(epoch int64, prefixes []string) {
	d.mu.Lock()
	for k, e := range d.pending {
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				delete(d.pending, k)
				d.queued.Add(-e.size())
				break
			}
		}
	}
	d.mu.Unlock()
	if d.c == nil {
		return
	}
	if err := d.c.Purge(epoch, prefixes); err != nil {
		// The index forgot the objects, so this process never serves them;
		// a file left behind would be found again after a restart.
		d.errors.WithLabelValues("purge").Inc()
		d.log.Error("disk cache: purge could not delete every file", "err", err)
	}
}

// close finishes the queued writes, then writes what memory holds (not
// already on disk), so that a restart starts warm.
func (d *diskTier) close(mem *otter.Cache[string, *entry]) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	close(d.queue)
	d.mu.Unlock()
	if d.c == nil {
		return
	}
	<-d.done
	now := d.now()
	for k, e := range mem.All() {
		if d.off() {
			break
		}
		if (e.diskID != 0 && d.c.Has(k, e.diskID)) || !worthKeeping(e, now) {
			continue
		}
		d.write(k, e)
	}
	if err := d.c.Close(); err != nil {
		// The next start rebuilds from the files instead.
		d.errors.WithLabelValues("write").Inc()
		d.log.Warn("disk cache: index not written", "err", err)
	}
}

// flush waits until the queued writes are done (tests).
func (d *diskTier) flush() {
	for {
		d.mu.Lock()
		n := len(d.pending)
		d.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// diskOrphans are the prefixes of distributions that have objects on disk
// but are not enabled in c: deleted or disabled while the edge was down.
// Only the first snapshot after start-up needs it; later ones see the
// change happen (Apply).
func (d *diskTier) orphans(c *compiled) []string {
	if d == nil || d.c == nil || !d.swept.CompareAndSwap(false, true) {
		return nil
	}
	seen := map[string]bool{}
	d.c.Keys(func(k string) {
		id, _, ok := strings.Cut(k, "\x00")
		if !ok || seen[id] {
			return
		}
		seen[id] = true
	})
	var out []string
	for id := range seen {
		if dd := c.byID.get(id); dd == nil || !dd.enabled {
			out = append(out, id+"\x00")
		}
	}
	return out
}

// diskMeta is what a disk file keeps of an entry besides its body.
type diskMeta struct {
	Status     int         `json:"s"`
	Header     http.Header `json:"h"`
	Stored     int64       `json:"t"`
	Expires    int64       `json:"x"`
	ETag       string      `json:"e,omitempty"`
	LastMod    string      `json:"m,omitempty"`
	IsError    bool        `json:"err,omitempty"`
	Private    bool        `json:"p,omitempty"`
	Compressed bool        `json:"z,omitempty"`
	// A large object's description (parts.go): its size and part size.
	PartsSize int64 `json:"ps,omitempty"`
	PartSize  int64 `json:"pp,omitempty"`
}

func encodeMeta(e *entry) ([]byte, error) {
	m := diskMeta{Status: e.status, Header: e.header, Stored: e.stored.UnixNano(),
		Expires: e.expires.UnixNano(), ETag: e.etag, LastMod: e.lastMod, IsError: e.isError,
		Private: e.private, Compressed: e.compressed}
	if e.parts != nil {
		m.PartsSize, m.PartSize = e.parts.size, e.parts.partSize
	}
	return json.Marshal(m)
}

var errBadMeta = errors.New("edge: bad disk cache metadata")

func decodeMeta(b []byte) (*entry, error) {
	var m diskMeta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m.Status < 100 || m.Status > 999 {
		return nil, errBadMeta
	}
	if m.Header == nil {
		m.Header = http.Header{}
	}
	e := &entry{status: m.Status, header: m.Header, stored: time.Unix(0, m.Stored),
		expires: time.Unix(0, m.Expires), etag: m.ETag, lastMod: m.LastMod, isError: m.IsError,
		private: m.Private, compressed: m.Compressed}
	if m.PartSize > 0 {
		if m.PartsSize <= 0 {
			return nil, errBadMeta
		}
		e.parts = &objectParts{size: m.PartsSize, partSize: m.PartSize}
	}
	return e, nil
}
