package accesslog

import (
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/cowmap"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
)

// Defaults of Options.
const (
	DefaultFlushEvery       = time.Minute
	DefaultMaxBufferedBytes = 64 << 20
)

// Options configures a Writer.
type Options struct {
	Sink Sink // where files go; required
	// Format is the files' layout: CloudFront's current standard one (the
	// zero value) or the 2012 one.
	Format Format
	// Location is the x-edge-location written for records that carry
	// none; records from the edge normally do.
	Location string
	// FlushEvery is how often buffered lines become files; default 1 min.
	// Each flush writes one file per distribution and hour that has lines.
	FlushEvery time.Duration
	// MaxBufferedBytes bounds the log lines held in memory, including
	// files whose delivery failed and waits for a retry. Lines that would
	// exceed it are dropped and counted. Default 64 MiB.
	//
	// Tenants share it fairly: while it has room anyone may use it, but
	// when it is full, a line of a distribution holding less than its share
	// makes room by dropping the oldest waiting lines of the one holding
	// most above its own. Each account that logs has an equal share, split
	// equally among its distributions. So a tenant whose log buckets refuse
	// every file, however many distributions it has, cannot crowd out the
	// others' lines.
	MaxBufferedBytes int64
	Logger           *slog.Logger          // nil: slog.Default()
	Now              func() time.Time      // time of records with a zero Time; nil: time.Now
	Registerer       prometheus.Registerer // nil: no metrics
}

// Stats counts what a Writer did since New.
type Stats struct {
	Lines         int64 // accepted into the buffer
	Dropped       int64 // lost: buffer full, Writer closed, or undeliverable at Close
	Files         int64 // delivered
	FailedPuts    int64 // deliveries that failed (each is retried at the next flush)
	BufferedBytes int64 // lines in memory now, delivered or not
}

// distLog is where one distribution's logs go. Pointers are kept across
// Updates while the settings stay the same, so a batch in progress
// continues.
type distLog struct {
	id, domain, bucket, prefix, account string
}

// logConfig is what Update derives from a snapshot. Each Update makes a
// new version that shares what did not change (cowmap), so that its work
// follows the change rather than the number of distributions.
type logConfig struct {
	dists *cowmap.Map[*distLog] // by distribution id
	// accounts counts each account's distributions in dists: when the
	// buffer is full, each may keep its share, MaxBufferedBytes / accounts
	// / the account's distributions.
	accounts *cowmap.Map[int]
}

// share is the bytes distribution id may keep when the buffer is full;
// none for one that does not log.
func (c *logConfig) share(id string, buffer int64) int64 {
	d, _ := c.dists.Get(id)
	if d == nil {
		return 0
	}
	n, _ := c.accounts.Get(d.account)
	return buffer / int64(c.accounts.Len()) / int64(n)
}

// refusedLog is why a distribution is left out (its bucket is not its
// account's, or a name is unsafe), remembered to warn once per change.
type refusedLog struct{ bucket, account, prefix string }

type batchKey struct {
	d    *distLog
	hour int64 // Unix hours, UTC
}

type batch struct {
	buf   []byte // lines without the header
	lines int
}

// Writer gathers access-log lines per distribution and hour and delivers
// them as gzip files from a background goroutine. It is safe for
// concurrent use.
type Writer struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger
	conf atomic.Pointer[logConfig]

	// Under updateMu: the refusals, to warn once per change; the last
	// Update's arguments (lastSorted: its dists are in id order) and
	// grants indexed.
	updateMu   sync.Mutex
	refused    map[string]refusedLog
	lastDists  []*cloudfront.Distribution
	lastGrants []buckets.Grant
	lastSorted bool
	grantSet   *buckets.Set
	// byBucket and byAccount are the ids of the distributions that ask
	// for logs, by bucket (lower case) and by account.
	byBucket, byAccount map[string]map[string]bool

	mu        sync.Mutex
	batches   map[batchKey]*batch
	inBatches int64            // bytes in batches
	buffered  int64            // bytes in batches and in undelivered files
	usage     map[string]int64 // buffered, per distribution id
	pending   []*file          // undelivered, retried first, oldest first
	inflight  []*file          // in the flush now
	closed    bool

	flushMu sync.Mutex // one flush at a time

	kick      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once

	lines, dropped, files, failedPuts atomic.Int64
}

// New starts a Writer. Nothing is logged until Update names the
// distributions that have logging enabled.
func New(o Options) (*Writer, error) {
	if o.Sink == nil {
		return nil, errors.New("accesslog: Options.Sink is required")
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = DefaultFlushEvery
	}
	if o.MaxBufferedBytes <= 0 {
		o.MaxBufferedBytes = DefaultMaxBufferedBytes
	}
	w := &Writer{
		opts:    o,
		now:     o.Now,
		log:     o.Logger,
		batches: make(map[batchKey]*batch),
		usage:   make(map[string]int64),
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	if w.now == nil {
		w.now = time.Now
	}
	if w.log == nil {
		w.log = slog.Default()
	}
	if o.Registerer != nil {
		if err := w.register(o.Registerer); err != nil {
			return nil, err
		}
	}
	go w.loop()
	return w, nil
}

// Update replaces the logging settings with those of dists; distributions
// without Logging.Enabled, or not listed, are no longer logged. Neither
// are those whose log bucket grants do not give to their account (configs
// stored before grants existed, or a grant revoked since), nor those whose
// bucket or prefix is not a safe S3 name (configs stored before names were
// checked): their lines are never buffered. Lines already buffered are
// delivered where they were meant to go.
//
// Every revision reaches every edge, mostly one change among thousands of
// distributions. When dists shares the last Update's unchanged records
// (feed.Merge's snapshots do; records are immutable), only the changed
// records are looked at, and those that log into a bucket whose grants to
// their account changed (a revoked grant stops their logs at once).
func (w *Writer) Update(dists []*cloudfront.Distribution, grants []buckets.Grant) {
	w.updateMu.Lock()
	defer w.updateMu.Unlock()
	old := w.conf.Load()
	if old != nil && w.lastSorted {
		if changes, ok := feed.Changes(w.lastDists, dists); ok {
			w.update(old, dists, grants, changes)
			return
		}
	}
	w.grantSet = buckets.NewSet(grants)
	w.lastGrants, w.lastDists, w.lastSorted = slices.Clone(grants), dists, feed.SortedByID(dists)
	w.byBucket, w.byAccount = map[string]map[string]bool{}, map[string]map[string]bool{}
	refused := w.refused
	w.refused = map[string]refusedLog{}
	c := &logConfig{dists: cowmap.New[*distLog](len(dists)), accounts: cowmap.New[int](0)}
	var was *cowmap.Map[*distLog]
	if old != nil {
		was = old.dists
	}
	for _, d := range dists {
		if _, dup := c.dists.Get(d.ID); dup {
			w.forget(c, d.ID) // of one id listed twice, the last counts
		}
		w.index(d, true)
		w.addRefused(c, d, was, refused)
	}
	w.conf.Store(c)
}

// update is Update for dists that differ from the last Update's by
// changes. Called with updateMu held.
func (w *Writer) update(old *logConfig, dists []*cloudfront.Distribution, grants []buckets.Grant, changes []feed.Change) {
	// Distributions whose record is unchanged but whose bucket's grants
	// to their account are not.
	redo := map[string]bool{}
	if !slices.Equal(w.lastGrants, grants) {
		for _, g := range changedGrants(w.lastGrants, grants) {
			ids := w.byBucket[strings.ToLower(g.Bucket)]
			if g.Bucket == buckets.Every {
				ids = w.byAccount[g.AccountID]
			}
			for id := range ids {
				redo[id] = true
			}
		}
		w.grantSet = buckets.NewSet(grants)
		w.lastGrants = slices.Clone(grants)
	}
	w.lastDists = dists
	if len(changes) == 0 && len(redo) == 0 {
		return
	}
	c := &logConfig{dists: old.dists.Edit(), accounts: old.accounts.Edit()}
	for _, ch := range changes {
		if ch.Was != nil {
			w.forget(c, ch.Was.ID)
			w.index(ch.Was, false)
			delete(redo, ch.Was.ID)
		}
		if ch.Now == nil {
			delete(w.refused, ch.Was.ID)
			continue
		}
		w.index(ch.Now, true)
		delete(redo, ch.Now.ID)
		w.add(c, ch.Now, old.dists)
	}
	for id := range redo {
		i, found := slices.BinarySearchFunc(dists, id, func(d *cloudfront.Distribution, id string) int { return strings.Compare(d.ID, id) })
		if found {
			w.forget(c, id)
			w.add(c, dists[i], old.dists)
		}
	}
	w.conf.Store(c)
}

// index records (or forgets) that d asks for logs into its bucket, by
// bucket and by account: the distributions a grant change concerns.
// Called with updateMu held.
func (w *Writer) index(d *cloudfront.Distribution, on bool) {
	lg := d.Config.Logging
	if !lg.Enabled || d.ID == "" || lg.Bucket == "" {
		return
	}
	setIndex(w.byBucket, buckets.Of(lg.Bucket), d.ID, on)
	setIndex(w.byAccount, d.AccountID, d.ID, on)
}

// setIndex adds id to (or removes it from) the set m[k].
func setIndex(m map[string]map[string]bool, k, id string, on bool) {
	ids := m[k]
	switch {
	case on && ids == nil:
		m[k] = map[string]bool{id: true}
	case on:
		ids[id] = true
	default:
		delete(ids, id)
		if len(ids) == 0 {
			delete(m, k)
		}
	}
}

// changedGrants are the account grants only one of was and now has (an
// OAI's grant gives no right to write logs).
func changedGrants(was, now []buckets.Grant) []buckets.Grant {
	in := func(gs []buckets.Grant) map[buckets.Grant]bool {
		m := make(map[buckets.Grant]bool, len(gs))
		for _, g := range gs {
			if g.AccountID != "" {
				m[g] = true
			}
		}
		return m
	}
	a, b := in(was), in(now)
	var out []buckets.Grant
	for g := range a {
		if !b[g] {
			out = append(out, g)
		}
	}
	for g := range b {
		if !a[g] {
			out = append(out, g)
		}
	}
	return out
}

// forget stops logging distribution id in c, unpublished. Called with
// updateMu held.
func (w *Writer) forget(c *logConfig, id string) {
	d, _ := c.dists.Get(id)
	if d == nil {
		return
	}
	c.dists.Delete(id)
	if n, _ := c.accounts.Get(d.account); n > 1 {
		c.accounts.Set(d.account, n-1)
	} else {
		c.accounts.Delete(d.account)
	}
}

// add logs d in c, unpublished, if its settings allow; was is the
// published version, whose distLog d keeps when its settings are the
// same. Called with updateMu held.
func (w *Writer) add(c *logConfig, d *cloudfront.Distribution, was *cowmap.Map[*distLog]) {
	w.addRefused(c, d, was, w.refused)
}

// addRefused is add, warning of a refusal unless prev (the refusals of
// the version before) had the same.
func (w *Writer) addRefused(c *logConfig, d *cloudfront.Distribution, was *cowmap.Map[*distLog], prev map[string]refusedLog) {
	before := prev[d.ID]
	delete(w.refused, d.ID) // decided again here
	lg := d.Config.Logging
	if !lg.Enabled || d.ID == "" || lg.Bucket == "" {
		return
	}
	dl := &distLog{id: d.ID, domain: d.DomainName, bucket: buckets.Of(lg.Bucket), prefix: lg.Prefix, account: d.AccountID}
	if !cloudfront.ValidBucketName(dl.bucket) || !cloudfront.ValidLogPrefix(dl.prefix) {
		// Stored before the control plane checked names: never a path.
		r := refusedLog{bucket: dl.bucket, account: d.AccountID, prefix: dl.prefix}
		if before != r {
			w.log.Warn("access logs not delivered: the log bucket or prefix is not a safe S3 name",
				"distribution", d.ID, "bucket", dl.bucket, "prefix", dl.prefix)
		}
		w.refused[d.ID] = r
		return
	}
	if !w.grantSet.CanWriteLogs(dl.bucket, d.AccountID) {
		r := refusedLog{bucket: dl.bucket, account: d.AccountID}
		if before != r {
			w.log.Warn("access logs not delivered: the bucket is not granted to the distribution's account",
				"distribution", d.ID, "bucket", dl.bucket, "account", d.AccountID)
		}
		w.refused[d.ID] = r
		return
	}
	if was != nil {
		if o, _ := was.Get(d.ID); o != nil && *o == *dl {
			dl = o
		}
	}
	c.dists.Set(d.ID, dl)
	n, _ := c.accounts.Get(d.AccountID)
	c.accounts.Set(d.AccountID, n+1)
}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// Log buffers r's line. It never blocks on delivery: when the buffer is
// full, or the Writer is closed, the line is dropped and counted. Records
// of distributions that do not log are ignored.
func (w *Writer) Log(r edge.LogRecord) {
	conf := w.conf.Load()
	if conf == nil {
		return
	}
	d, _ := conf.dists.Get(r.Distribution)
	if d == nil {
		return
	}
	t := r.Time
	if t.IsZero() {
		t = w.now()
	}
	bp := linePool.Get().(*[]byte)
	line := w.opts.Format.AppendLine((*bp)[:0], &r, t, d.domain, w.opts.Location)
	n := int64(len(line))
	key := batchKey{d: d, hour: unixHour(t)}

	w.mu.Lock()
	if w.closed || (w.buffered+n > w.opts.MaxBufferedBytes && !w.makeRoom(d.id, n, conf)) {
		w.mu.Unlock()
		w.dropped.Add(1)
	} else {
		b := w.batches[key]
		if b == nil {
			b = &batch{buf: make([]byte, 0, 4096)}
			w.batches[key] = b
		}
		b.buf = append(b.buf, line...)
		b.lines++
		w.inBatches += n
		w.buffered += n
		w.usage[d.id] += n
		full := w.inBatches >= w.opts.MaxBufferedBytes/2
		w.mu.Unlock()
		w.lines.Add(1)
		if full {
			// Deliver early rather than drop at the limit.
			select {
			case w.kick <- struct{}{}:
			default:
			}
		}
	}
	*bp = line
	linePool.Put(bp)
}

// unixHour is t's hour since the Unix epoch, rounding down.
func unixHour(t time.Time) int64 {
	s := t.Unix()
	h := s / 3600
	if s < 0 && s%3600 != 0 {
		h--
	}
	return h
}

// Stats reports the counters.
func (w *Writer) Stats() Stats {
	w.mu.Lock()
	buffered := w.buffered
	w.mu.Unlock()
	return Stats{
		Lines:         w.lines.Load(),
		Dropped:       w.dropped.Load(),
		Files:         w.files.Load(),
		FailedPuts:    w.failedPuts.Load(),
		BufferedBytes: buffered,
	}
}

func (w *Writer) register(reg prometheus.Registerer) error {
	counter := func(name, help string, v *atomic.Int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "accesslog", Name: name, Help: help,
		}, func() float64 { return float64(v.Load()) })
	}
	cs := []prometheus.Collector{
		counter("lines_total", "Access-log lines buffered.", &w.lines),
		counter("dropped_lines_total", "Access-log lines lost: buffer full, writer closed, or undeliverable.", &w.dropped),
		counter("files_total", "Access-log files delivered.", &w.files),
		counter("put_failures_total", "Access-log file deliveries that failed and will be retried.", &w.failedPuts),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "openfront", Subsystem: "accesslog", Name: "buffered_bytes",
			Help: "Access-log bytes held in memory, waiting for delivery.",
		}, func() float64 { return float64(w.Stats().BufferedBytes) }),
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// makeRoom frees at least n bytes for distribution id, if id holds less
// than its share of the buffer, by dropping the oldest waiting lines of
// whoever holds the most above its own share (a distribution no longer
// logging has none): failed files first, then files in delivery, then
// unflushed batches. The shares add up to the buffer, so one under its
// share always finds someone above. It reports whether the room is there.
// Called with w.mu held.
func (w *Writer) makeRoom(id string, n int64, conf *logConfig) bool {
	if w.usage[id]+n > conf.share(id, w.opts.MaxBufferedBytes) {
		return false
	}
	for w.buffered+n > w.opts.MaxBufferedBytes {
		victim, most := "", int64(0)
		for v, u := range w.usage {
			if over := u - conf.share(v, w.opts.MaxBufferedBytes); over > most {
				victim, most = v, over
			}
		}
		if victim == "" || !w.evictOldest(victim) {
			return false
		}
	}
	return true
}

// evictOldest drops id's oldest waiting lines; false if it has none that
// can go. Called with w.mu held.
func (w *Writer) evictOldest(id string) bool {
	for i, f := range w.pending {
		if f.dist == id {
			w.pending = append(w.pending[:i], w.pending[i+1:]...)
			w.release(id, f.raw)
			w.dropped.Add(int64(f.lines))
			return true
		}
	}
	for _, f := range w.inflight {
		if f.dist == id && !f.evicted {
			// The flush skips it, or forgets it once its delivery ends.
			f.evicted = true
			w.release(id, f.raw)
			w.dropped.Add(int64(f.lines))
			return true
		}
	}
	var oldest *batchKey
	for k := range w.batches {
		if k.d.id == id && (oldest == nil || k.hour < oldest.hour) {
			oldest = &k
		}
	}
	if oldest == nil {
		return false
	}
	b := w.batches[*oldest]
	delete(w.batches, *oldest)
	raw := int64(len(b.buf))
	w.inBatches -= raw
	w.release(id, raw)
	w.dropped.Add(int64(b.lines))
	return true
}

// release forgets n buffered bytes of distribution id. Called with w.mu
// held.
func (w *Writer) release(id string, n int64) {
	w.buffered -= n
	if u := w.usage[id] - n; u > 0 {
		w.usage[id] = u
	} else {
		delete(w.usage, id)
	}
}
