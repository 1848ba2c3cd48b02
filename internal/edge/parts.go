package edge

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Large objects are kept in parts, in the manner of nginx's slice module
// but without configuration: a miss asks the origin for the first part
// (Range: bytes=0-<part size - 1>). An object that fits comes whole (a
// 206 covering it all is its 200); a larger one answers 206 with its
// total size, and is cached as a small entry describing it (its headers,
// validators and size: objectParts) plus one entry per part, under
// partKey. Parts are fetched when a viewer needs them, one ranged origin
// request each, shared by every viewer that needs the same part (fills),
// and checked to be of the same version as the description (size, ETag,
// Last-Modified); a part of another version drops the object, so that
// the next viewer fetches it anew. An origin that ignores Range answers
// 200 with the whole object: it is cut into parts as it arrives.

// objectParts describes a large object: its size and its part size.
type objectParts struct {
	size, partSize int64
}

// partKey is the cache key of part i of the object under key. It starts
// with key, so a purge of the object's prefix purges its parts; "\x01"
// appears in no key (key.go).
func partKey(key string, i int64) string {
	return key + "\x01" + strconv.FormatInt(i, 10)
}

// span is where part i lies in an object of size bytes.
func (p *objectParts) span(i int64) (start, n int64) {
	start = i * p.partSize
	return start, min(p.partSize, p.size-start)
}

// versionTag names one version of an object, so that a part fetched for
// one version is never read for another.
func versionTag(e *entry, size int64) string {
	return e.etag + "\x00" + e.lastMod + "\x00" + strconv.FormatInt(size, 10)
}

// partBudget is one viewer request's share of origin attempts across the
// parts it reads: failed attempts count, and when they reach the origin's
// ConnectionAttempts no further part is fetched for this request. A part
// fetched at the first attempt costs nothing, so that an object of many
// parts can be read through a healthy origin.
type partBudget struct{ left atomic.Int32 }

func newPartBudget(n int) *partBudget {
	b := &partBudget{}
	b.left.Store(int32(n))
	return b
}

// spend records a fetch that used n attempts.
func (b *partBudget) spend(n int32, ok bool) {
	if ok {
		n--
	}
	b.left.Add(-n)
}

// startParts caches a large object whose first part resp carries (a 206
// for bytes 0-<part size - 1> of total bytes): the description goes into
// the cache now, and part 0 is filled from resp while viewers read it.
func (s *Server) startParts(r *http.Request, q *request, key string, epoch int64, resp *http.Response, idle *idleReader, cancel context.CancelCauseFunc, total int64, now time.Time, used int32) *fetchResult {
	resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
	resp.Header.Del("Content-Range")
	meta, leader, _ := s.newEntry(resp, q, now, total, nil)
	meta.parts = &objectParts{size: total, partSize: s.partSize}
	seal(meta)
	tag := versionTag(meta, total)
	_, n := meta.parts.span(0)
	pk := partKey(key, 0)
	fl := s.newFill(n)
	fl.tag = tag
	s.fillsMu.Lock()
	s.fills[pk] = fl
	s.fillsMu.Unlock()
	f := &fetchResult{kind: outParts, e: meta, res: resultMiss, leader: leader, attempts: used}
	s.keep(key, epoch, meta, f, q)
	go func() {
		defer resp.Body.Close()
		defer idle.stop()
		defer cancel(nil)
		s.finishPart(pk, epoch, meta, fl, idle, n, nil)
	}()
	return f
}

// finishPart fills fl with the n bytes of a part from r, stores the part
// and forgets the fill. When the body breaks, the fill is forgotten and
// broke (when not nil) is called before fl's readers hear of it: a viewer
// that asks again at once must start a new fetch, not join the broken one.
// A whole part is stored before it is forgotten, so that a viewer always
// finds one or the other (partsBody.part).
func (s *Server) finishPart(pk string, epoch int64, meta *entry, fl *fill, r io.Reader, n int64, broke func()) bool {
	if _, err := fl.pump(r, n); err != nil {
		s.log.Debug("origin body broke", "part", pk, "err", err)
		s.forgetFill(pk, fl)
		if broke != nil {
			broke()
		}
		fl.finish(errTruncated)
		return false
	}
	defer s.forgetFill(pk, fl)
	buf, _ := fl.result()
	e := &entry{status: http.StatusOK, body: buf, stored: meta.stored, expires: meta.expires,
		etag: meta.etag, lastMod: meta.lastMod}
	seal(e)
	if s.epoch.Load() == epoch {
		s.cache.set(pk, e)
	}
	fl.finish(nil)
	return true
}

func (s *Server) forgetFill(pk string, fl *fill) {
	s.fillsMu.Lock()
	if s.fills[pk] == fl {
		delete(s.fills, pk)
	}
	s.fillsMu.Unlock()
}

// startSplit serves a 200 larger than a part, or of unknown length: the
// origin ignored the Range (or the object came whole with no length).
// What may be cached is cut into parts as it arrives; the rest is one
// viewer's stream, as a response too large to keep.
func (s *Server) startSplit(q *request, key string, fl *flight, epoch int64, f *fetchResult, resp *http.Response, idle *idleReader, cancel context.CancelCauseFunc, cacheable bool) *fetchResult {
	total := resp.ContentLength
	if !cacheable || total > s.opts.MaxObjectSize {
		f.kind = outStream
		f.resp, f.idle, f.cancel = resp, idle, cancel
		return f
	}
	if total < 0 {
		sp := &split{wake: make(chan struct{}), s: s, key: key}
		f.kind, f.split = outSplit, sp
		sp.endFlight = func() { s.endFlight(key, fl) }
		go func() {
			defer resp.Body.Close()
			defer idle.stop()
			defer cancel(nil)
			sp.run(q, epoch, f.e, bufio.NewReaderSize(idle, 32<<10))
		}()
		return f
	}
	meta := *f.e
	meta.parts = &objectParts{size: total, partSize: s.partSize}
	meta.fields = nil
	seal(&meta)
	tag := versionTag(&meta, total)
	count := (total + s.partSize - 1) / s.partSize
	fills := make([]*fill, count)
	s.fillsMu.Lock()
	for i := range fills {
		_, n := meta.parts.span(int64(i))
		fills[i] = s.newFill(n)
		fills[i].tag = tag
		s.fills[partKey(key, int64(i))] = fills[i]
	}
	s.fillsMu.Unlock()
	s.keep(key, epoch, &meta, f, q)
	f.kind, f.e = outParts, &meta
	go func() {
		defer resp.Body.Close()
		defer idle.stop()
		defer cancel(nil)
		// The rest cannot come from a response that broke: the object is
		// dropped and its other parts forgotten before any reader hears.
		broke := func(i int) func() {
			return func() {
				for j := i + 1; j < len(fills); j++ {
					s.forgetFill(partKey(key, int64(j)), fills[j])
				}
				s.dropObject(key)
			}
		}
		for i, pf := range fills {
			_, n := meta.parts.span(int64(i))
			if !s.finishPart(partKey(key, int64(i)), epoch, &meta, pf, idle, n, broke(i)) {
				for _, rest := range fills[i+1:] {
					rest.finish(errTruncated)
				}
				return
			}
		}
	}()
	return f
}

// dropObject removes a large object and its parts, whose versions
// disagree or whose fetch failed half-way.
func (s *Server) dropObject(key string) {
	s.cache.delete(key)
	s.cache.purge([]string{key + "\x01"})
}

// serveParts answers from a large object's description, reading its
// parts from the cache or fetching those that are missing. hdr replaces
// the description's header when not nil (the fetching viewer's).
func (s *Server) serveParts(w http.ResponseWriter, r *http.Request, q *request, key string, meta *entry, hdr http.Header, res result) int {
	h := w.Header()
	if hdr == nil {
		hdr = meta.header
	}
	for k, v := range hdr {
		h[k] = v
	}
	if q.rhp != nil {
		q.rhp.apply(s, h, r, q, res)
	}
	h["X-Cache"] = xCacheValues[res]
	h["X-Amz-Cf-Id"] = q.pr.id[:]
	if res == resultHit || res == resultRefreshHit {
		age := int64(q.now.Sub(meta.stored) / time.Second)
		h["Age"] = q.pr.ageHeader(max(age, 0))
	}
	src := &partsBody{s: s, r: r, q: q, key: key, meta: meta, tag: versionTag(meta, meta.parts.size),
		budget: newPartBudget(q.b.origin.connectionAttempts)}
	n, err := s.writeObject(w, r, meta.status, meta.parts.size, meta.etag, meta.lastMod, src)
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return int(n)
}

// partsBody reads a large object's bytes part by part.
type partsBody struct {
	s      *Server
	r      *http.Request
	q      *request
	key    string
	meta   *entry
	tag    string
	budget *partBudget
	// fetching counts this request's part fetches under way.
	fetching atomic.Int32
}

var errPartsUnavailable = errors.New("edge: a part of the object could not be fetched")

func (p *partsBody) copyRange(ctx context.Context, w io.Writer, off, n int64) (int64, error) {
	parts := p.meta.parts
	end := parts.size
	if n >= 0 {
		end = min(off+n, parts.size)
	}
	var written int64
	for off < end {
		i := off / parts.partSize
		start, plen := parts.span(i)
		e, fl, err := p.part(i, false)
		if err != nil {
			return written, err
		}
		if start+plen < end && p.fetching.Load() == 0 {
			// Read ahead: the next part is on its way while this one is
			// sent. Only when none of this request's fetches is under way,
			// so that their failed attempts cannot overrun its budget.
			p.part(i+1, true)
		}
		from, cnt := off-start, min(end, start+plen)-off
		var k int64
		if e != nil {
			k, err = e.writeBody(w, from, cnt)
		} else {
			k, err = fl.copyTo(ctx, w, from, cnt)
		}
		written += k
		off += k
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// part returns part i, cached (e) or arriving (fl), starting its fetch
// when nobody has. A read-ahead (ahead) starts none when the fills'
// memory is spent: it would only wait for it.
func (p *partsBody) part(i int64, ahead bool) (*entry, *fill, error) {
	s, parts := p.s, p.meta.parts
	_, plen := parts.span(i)
	pk := partKey(p.key, i)
	if e := p.cached(pk, plen); e != nil {
		return e, nil, nil
	}
	s.fillsMu.Lock()
	if fl := s.fills[pk]; fl != nil && fl.tag == p.tag {
		s.fillsMu.Unlock()
		return nil, fl, nil
	}
	// A fill that ended since the look above stored its part before it
	// was forgotten (finishPart): the cache has it now. Without this look
	// the part was fetched again.
	if e := p.cached(pk, plen); e != nil {
		s.fillsMu.Unlock()
		return e, nil, nil
	}
	if p.budget.left.Load() <= 0 {
		s.fillsMu.Unlock()
		return nil, nil, errPartsUnavailable
	}
	if ahead && !s.cache.fillMem.room(plen) {
		s.fillsMu.Unlock()
		return nil, nil, nil
	}
	fl := s.newFill(plen)
	fl.tag = p.tag
	s.fills[pk] = fl
	s.fillsMu.Unlock()
	p.fetching.Add(1)
	go func() {
		defer p.fetching.Add(-1)
		p.fetchPart(i, pk, fl)
	}()
	return nil, fl, nil
}

// cached is part pk of plen bytes when the cache holds it, of this
// object's version; nil otherwise.
func (p *partsBody) cached(pk string, plen int64) *entry {
	if e, ok := p.s.cache.get([]byte(pk)); ok && e.etag == p.meta.etag && e.lastMod == p.meta.lastMod && e.size() == plen {
		return e
	}
	return nil
}

// errOtherVersion ends a part whose origin answer is of another version
// of the object than its description.
var errOtherVersion = errors.New("edge: the origin's part is of another version of the object")

// fetchPart asks the origin for part i with a ranged request.
func (p *partsBody) fetchPart(i int64, pk string, fl *fill) {
	s, meta := p.s, p.meta
	start, plen := meta.parts.span(i)
	// The part's memory before its request: a spent budget delays the
	// request rather than leaving an origin response unread.
	fl.reserve(plen)
	epoch := s.epoch.Load()
	o := s.originReq(p.r, p.q, false)
	o.ranged, o.rangeFrom, o.rangeTo = true, start, start+plen-1
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(p.r.Context()))
	defer cancel(nil)
	resp, used, err := s.send(ctx, cancel, o, int(p.budget.left.Load()))
	p.budget.spend(used, err == nil)
	if err != nil {
		s.log.Debug("origin part fetch failed", "part", pk, "err", err)
		s.forgetFill(pk, fl)
		fl.finish(errPartsUnavailable)
		return
	}
	defer resp.Body.Close()
	idle := newIdleReader(resp.Body, s.readTimeout(o.g), cancel)
	defer idle.stop()
	var r io.Reader = idle
	same := resp.Header.Get("ETag") == meta.etag && resp.Header.Get("Last-Modified") == meta.lastMod
	switch resp.StatusCode {
	case http.StatusPartialContent:
		a, b, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		same = same && ok && a == start && b == start+plen-1 && size == meta.parts.size
	case http.StatusOK:
		// The origin ignores Range: skip to the part.
		same = same && resp.ContentLength == meta.parts.size
		if same {
			if _, err := io.CopyN(io.Discard, idle, start); err != nil {
				s.forgetFill(pk, fl)
				fl.finish(errTruncated)
				return
			}
		}
	default:
		same = false
	}
	if !same {
		s.log.Debug("origin part of another version", "part", pk, "status", resp.StatusCode)
		// Dropped before the viewers hear of it: one that asks again at
		// once must not find the old version's description.
		s.dropObject(p.key)
		s.forgetFill(pk, fl)
		fl.finish(errOtherVersion)
		return
	}
	s.finishPart(pk, epoch, meta, fl, r, plen, nil)
}

// split is a cacheable response of unknown length (chunked) read part by
// part: viewers read along the part being filled; earlier parts are read
// from the cache once stored. At its end it is stored whole when it fits
// in one part, or as a large object's description.
type split struct {
	s    *Server
	key  string
	mu   sync.Mutex
	wake chan struct{}
	cur  *fill // the part being filled
	n    int64 // parts started
	done bool
	err  error
	// endFlight forgets the flight that reads this response.
	endFlight func()
}

func (sp *split) run(q *request, epoch int64, tmpl *entry, r *bufio.Reader) {
	s := sp.s
	var total int64
	keep := true // false past MaxObjectSize: streamed on, no longer stored
	for i := int64(0); ; i++ {
		fl := s.newFill(s.partSize)
		sp.mu.Lock()
		sp.cur, sp.n = fl, i+1
		close(sp.wake)
		sp.wake = make(chan struct{})
		sp.mu.Unlock()
		more, err := fl.pump(r, -1)
		if err != nil {
			s.log.Debug("origin body broke", "key", sp.key, "err", err)
			fl.finish(errTruncated)
			sp.end(errTruncated)
			return
		}
		buf, _ := fl.result()
		total += int64(len(buf))
		keep = keep && total <= s.opts.MaxObjectSize
		if i == 0 && !more {
			// It fits in one part: an ordinary entry.
			if keep {
				e := *tmpl
				e.body = buf
				e.header = withLength(tmpl.header, total)
				e.fields = nil
				seal(&e)
				s.keep(sp.key, epoch, &e, &fetchResult{}, q)
			}
			fl.finish(nil)
			sp.end(nil)
			return
		}
		if keep {
			pe := &entry{status: http.StatusOK, body: buf, stored: tmpl.stored, expires: tmpl.expires,
				etag: tmpl.etag, lastMod: tmpl.lastMod}
			seal(pe)
			if s.epoch.Load() == epoch {
				s.cache.set(partKey(sp.key, i), pe)
			}
		}
		fl.finish(nil)
		if !more {
			break
		}
	}
	if keep {
		meta := *tmpl
		meta.header = withLength(tmpl.header, total)
		meta.parts = &objectParts{size: total, partSize: s.partSize}
		meta.fields = nil
		seal(&meta)
		s.keep(sp.key, epoch, &meta, &fetchResult{}, q)
	}
	sp.end(nil)
}

// withLength is h with Content-Length n.
func withLength(h http.Header, n int64) http.Header {
	c := h.Clone()
	c["Content-Length"] = []string{strconv.FormatInt(n, 10)}
	return c
}

func (sp *split) end(err error) {
	// The flight ends before readers see the end (fetch's fill does too).
	sp.endFlight()
	sp.mu.Lock()
	sp.done, sp.err = true, err
	close(sp.wake)
	sp.wake = make(chan struct{})
	sp.mu.Unlock()
}

// copyRange sends the whole body (a split has no known length, so no
// range is served from it).
func (sp *split) copyRange(ctx context.Context, w io.Writer, _, _ int64) (int64, error) {
	var written int64
	for i := int64(0); ; i++ {
		sp.mu.Lock()
		for sp.n <= i && !sp.done {
			wake := sp.wake
			sp.mu.Unlock()
			select {
			case <-wake:
			case <-ctx.Done():
				return written, context.Cause(ctx)
			}
			sp.mu.Lock()
		}
		started, cur, err := sp.n, sp.cur, sp.err
		sp.mu.Unlock()
		if i >= started {
			return written, err
		}
		var k int64
		if i == started-1 {
			k, err = cur.copyTo(ctx, w, 0, -1)
		} else if e, ok := sp.s.cache.get([]byte(partKey(sp.key, i))); ok {
			k, err = e.writeBody(w, 0, e.size())
		} else {
			// Evicted before this viewer got to it.
			err = errTruncated
		}
		written += k
		if err != nil {
			return written, err
		}
	}
}
