package edge

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type outcome uint8

const (
	outEntry  outcome = iota // serve e
	outStream                // one viewer's answer: the leader streams resp
	outBroken                // a buffered body broke: send what came, then abort
	outFailed                // origin unreachable, no stale copy: status
	outFill                  // e's body is arriving in fill: viewers read along
	outParts                 // e describes a large object kept in parts (parts.go)
	outSplit                 // a body of unknown length, read part by part (parts.go)
)

// fetchResult is what one flight hands every viewer waiting on it.
type fetchResult struct {
	kind   outcome
	e      *entry
	res    result
	leader http.Header // the fetching viewer's headers: every Set-Cookie
	status int
	// perViewer: e answers only the viewer that fetched it (no-store or
	// private): the others waiting on the flight fetch for themselves.
	perViewer bool
	// attempts is how many connection attempts the flight used; they
	// count towards every viewer that waited on it.
	attempts int32
	// upstream is the timing of the origin request that e (or resp) came
	// from, when its behaviour's response headers policy has
	// Server-Timing; nil for a copy from the cache. stale: e is an
	// expired copy served because the origin failed (serveStale).
	upstream *upstreamTiming
	stale    bool

	// outFill: the body as it arrives, its length (-1: unknown), and the
	// entry with the whole body once the fill ended well (final is set
	// before the fill finishes).
	fill  *fill
	size  int64
	final *entry
	// outSplit: the response being cut into parts.
	split *split

	// outStream: the open response, what was read of it, and its cleanup.
	resp   *http.Response
	prefix []byte
	idle   *idleReader
	cancel context.CancelCauseFunc
}

func (f *fetchResult) close() {
	if f.resp != nil {
		f.resp.Body.Close()
		f.idle.stop()
		f.cancel(nil)
	}
}

// flight is one origin fetch for a key that concurrent viewers share. It
// stays joinable while its body arrives, so a viewer that comes late
// reads along from the first byte instead of fetching again.
type flight struct {
	done  chan struct{} // closed once res is set
	res   *fetchResult
	epoch int64
}

// joinFlight returns key's flight, and true when the caller is to lead
// it. A flight from before a purge is not joined.
func (s *Server) joinFlight(key string) (*flight, bool) {
	s.flightsMu.Lock()
	defer s.flightsMu.Unlock()
	epoch := s.epoch.Load()
	if fl := s.flights[key]; fl != nil && fl.epoch == epoch {
		return fl, false
	}
	fl := &flight{done: make(chan struct{}), epoch: epoch}
	s.flights[key] = fl
	return fl, true
}

// endFlight forgets fl once what it fetched is stored or broke.
func (s *Server) endFlight(key string, fl *flight) {
	s.flightsMu.Lock()
	if s.flights[key] == fl {
		delete(s.flights, key)
	}
	s.flightsMu.Unlock()
}

// lead runs fl's fetch. A flight whose body is still arriving ends when
// the body is stored (or broke); the others end here.
func (s *Server) lead(fl *flight, r *http.Request, q *request, key string) {
	res := s.fetch(r, q, key, fl)
	fl.res = res
	close(fl.done)
	if res.kind != outFill && res.kind != outSplit {
		s.endFlight(key, fl)
	}
}

// flightResult joins or leads key's flight and waits for its headers.
// ok is false when the viewer left first.
func (s *Server) flightResult(r *http.Request, q *request, key string) (f *fetchResult, led, ok bool) {
	fl, led := s.joinFlight(key)
	if led {
		go s.lead(fl, r, q, key)
	}
	select {
	case <-fl.done:
		return fl.res, led, true
	case <-r.Context().Done():
		if led {
			// The viewer left: a stream only it would have read is closed.
			go func() {
				<-fl.done
				if fl.res.kind == outStream {
					fl.res.close()
				}
			}()
		}
		return nil, led, false
	}
}

// serveMiss fetches key through its flight, so concurrent misses share
// one origin request, and serves the result as it arrives.
func (s *Server) serveMiss(w http.ResponseWriter, r *http.Request, q *request, key string) result {
	if e, ok := s.cache.get([]byte(key)); ok && e.parts != nil && e.fresh(q.now) {
		// A large object's description is a hit; its parts may not be.
		res := resultHit
		s.stats(q.d).count(res, s.serveParts(w, r, q, key, e, nil, res))
		return res
	}
	f, led, ok := s.flightResult(r, q, key)
	if !ok {
		return resultError
	}
	c := s.stats(q.d)
	if f.perViewer && !led {
		// Another viewer's private answer: ask the origin for this one.
		f = &fetchResult{kind: outStream, attempts: f.attempts}
	}
	q.upstream = f.upstream
	switch f.kind {
	case outEntry:
		if f.e.isError && q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.e.status) {
			return resultError
		}
		var hdr http.Header // nil: the entry's own
		if led && f.leader != nil {
			hdr = f.leader
		}
		c.count(f.res, s.serveEntry(w, r, q, f.e, hdr, f.res, s.now()))
		return f.res
	case outFill, outSplit, outParts:
		if f.e.isError && q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.e.status) {
			return resultError
		}
		hdr := f.e.header
		if led && f.leader != nil {
			hdr = f.leader
		}
		if f.kind == outParts {
			c.count(f.res, s.serveParts(w, r, q, key, f.e, hdr, f.res))
		} else {
			c.count(f.res, s.serveArriving(w, r, q, f, hdr))
		}
		return f.res
	case outFailed:
		if q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.status) {
			return resultError
		}
		c.count(resultError, s.writeErrorPage(w, r, f.status, q.pr))
		return resultError
	case outBroken:
		c.count(resultError, 0)
		s.writeBroken(w, r, f, q)
		return resultError
	}
	if !led {
		// Not cacheable: this viewer fetches for itself, validators and
		// Range included, with what the flight left of its attempts.
		left := q.b.origin.connectionAttempts - int(f.attempts)
		if q.b.failover != nil {
			// A group's budget is per origin, and the flight may have spent
			// the primary's on the way to the secondary: start over.
			left = q.b.origin.connectionAttempts
		}
		f = s.fetchStream(r, q, left)
	}
	return s.serveStreamed(w, r, q, f)
}

// serveArriving answers from a body that is still arriving (a fill, or a
// split response): validators and ranges are answered as soon as the
// bytes they name are there. A body that breaks aborts the response, so
// the viewer sees it truncated.
func (s *Server) serveArriving(w http.ResponseWriter, r *http.Request, q *request, f *fetchResult, hdr http.Header) int {
	h := w.Header()
	for k, v := range hdr {
		h[k] = v
	}
	if q.rhp != nil {
		q.rhp.apply(s, h, r, q, f.res)
	}
	h["X-Cache"] = xCacheValues[f.res]
	h["X-Amz-Cf-Id"] = q.pr.id[:]
	var src body = f.fill
	size := f.size
	if f.kind == outSplit {
		src, size = f.split, -1
	}
	if size < 0 {
		delete(h, "Content-Length")
	}
	n, err := s.writeObject(w, r, f.e.status, size, f.e.etag, f.e.lastMod, src)
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return int(n)
}

// fetch runs once per flight: it looks in the cache again (a flight that
// just ended may have stored the object), then asks the origin,
// revalidating a stale copy, and starts storing what may be cached while
// viewers read it. It runs under context.WithoutCancel so that the
// leader's viewer leaving does not fail the others.
func (s *Server) fetch(r *http.Request, q *request, key string, fl *flight) (out *fetchResult) {
	kb := []byte(key)
	stale, _ := s.cache.get(kb)
	now := s.now()
	if stale != nil && stale.fresh(now) {
		res := resultHit
		if stale.isError {
			res = resultError
		}
		if stale.parts != nil {
			return &fetchResult{kind: outParts, e: stale, res: res}
		}
		return &fetchResult{kind: outEntry, e: stale, res: res}
	}
	// A copy the origin marked no-store or private (kept while MinTTL was
	// above 0) is neither revalidated nor served stale under MinTTL 0: it
	// may be one viewer's.
	if stale != nil && stale.private && q.b.minTTL == 0 {
		stale = nil
	}
	epoch := s.epoch.Load()
	o := s.originReq(r, q, false)
	// Revalidate only when cookies are not forwarded (spec §3.3).
	if stale != nil && !stale.isError && !q.b.forwardsCookies() {
		o.etag, o.lastMod = stale.etag, stale.lastMod
	}
	// Ask for the first part only: a small object comes whole, a large
	// one is kept in parts (parts.go).
	o.ranged, o.rangeTo = true, s.partSize-1
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(r.Context()))
	ctx, ut := timed(ctx, q)
	if ut != nil {
		// What came from the origin carries its timing; a stale copy
		// served instead does not.
		defer func() {
			if out != nil && !out.stale {
				out.upstream = ut
			}
		}()
	}
	start := time.Now()
	limit := q.b.origin.connectionAttempts
	resp, used, err := s.send(ctx, cancel, o, limit)
	if err == nil && resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
		// An empty object has no first byte: ask for it whole.
		resp.Body.Close()
		o.ranged = false
		var more int32
		resp, more, err = s.send(ctx, cancel, o, limit-int(used))
		used += more
	}
	s.stats(q.d).originLatency.Observe(time.Since(start).Seconds())
	if err != nil {
		cancel(nil)
		s.log.Debug("origin fetch failed", "distribution", q.d.id, "origin", o.g.id, "err", err)
		if stale != nil {
			return s.serveStale(key, epoch, stale, now)
		}
		return &fetchResult{kind: outFailed, status: originErrorStatus(err), attempts: used}
	}
	if resp.StatusCode >= 500 && stale != nil {
		resp.Body.Close()
		cancel(nil)
		return s.serveStale(key, epoch, stale, now)
	}
	if resp.StatusCode == http.StatusNotModified && (o.etag != "" || o.lastMod != "") {
		resp.Body.Close()
		cancel(nil)
		e := s.refreshed(stale, resp.Header, q, now)
		kind := outEntry
		if e.parts != nil {
			kind = outParts
		}
		f := &fetchResult{kind: kind, e: e, res: resultRefreshHit, attempts: used}
		s.keep(key, epoch, e, f, q)
		return f
	}
	total, partial, err := wholeOrFirstPart(resp, o.rangeLast())
	if err != nil {
		resp.Body.Close()
		cancel(nil)
		s.log.Debug("origin answered a range it was not asked", "distribution", q.d.id, "err", err)
		return &fetchResult{kind: outFailed, status: http.StatusBadGateway, attempts: used}
	}
	if partial {
		cc := parseCacheControl(resp.Header["Cache-Control"])
		whole := *resp
		whole.StatusCode, whole.ContentLength = http.StatusOK, total
		if (cc.noStore || cc.private) && q.b.minTTL == 0 || total > s.opts.MaxObjectSize ||
			q.b.compress && q.encoding() != encIdentity && compressible(&whole, int(total)) {
			// Not to be kept in parts: one viewer's, too large to cache, or
			// to be compressed whole. Ask for it whole.
			resp.Body.Close()
			o.ranged = false
			var more int32
			resp, more, err = s.send(ctx, cancel, o, limit-int(used))
			used += more
			if err != nil {
				cancel(nil)
				return &fetchResult{kind: outFailed, status: originErrorStatus(err), attempts: used}
			}
			partial = false
		}
	}
	idle := newIdleReader(resp.Body, s.readTimeout(o.g), cancel)
	if partial {
		return s.startParts(r, q, key, epoch, resp, idle, cancel, total, now, used)
	}
	if q.b.compress && q.encoding() != encIdentity && compressible(resp, int(resp.ContentLength)) {
		// A compressed object is made from the whole body: it is read
		// first, then compressed, as before streaming.
		return s.fetchWhole(key, epoch, resp, idle, cancel, stale, q, now, used)
	}
	e, leader, cacheable := s.newEntry(resp, q, now, resp.ContentLength, nil)
	res := resultMiss
	if e.isError {
		res = resultError
	}
	f := &fetchResult{e: e, res: res, leader: leader, attempts: used, size: resp.ContentLength}
	if e.private && q.b.minTTL == 0 {
		// One viewer's answer, streamed to it alone; it replaces no older
		// copy (keep).
		s.cache.delete(key)
		f.kind, f.perViewer = outStream, true
		f.resp, f.idle, f.cancel = resp, idle, cancel
		return f
	}
	cacheable = cacheable && resp.ContentLength <= s.opts.MaxObjectSize
	if resp.ContentLength < 0 || resp.ContentLength > s.partSize {
		return s.startSplit(q, key, fl, epoch, f, resp, idle, cancel, cacheable)
	}
	f.kind = outFill
	f.fill = s.newFill(resp.ContentLength)
	f.fill.drop, f.fill.cancel = !cacheable, cancel
	go func() {
		defer resp.Body.Close()
		defer idle.stop()
		defer cancel(nil)
		// The flight ends before its readers see the end, so that a
		// viewer's next request finds the stored object, not this flight.
		if _, err := f.fill.pump(idle, resp.ContentLength); err != nil {
			s.log.Debug("origin body broke", "distribution", q.d.id, "err", err)
			s.endFlight(key, fl)
			f.fill.finish(errTruncated)
			return
		}
		final := s.complete(e, f.fill)
		f.final = final
		if cacheable {
			s.keep(key, epoch, final, &fetchResult{}, q)
		}
		s.endFlight(key, fl)
		f.fill.finish(nil)
	}()
	return f
}

// complete is the cacheable entry of a template whose body is in fl.
func (s *Server) complete(tmpl *entry, fl *fill) *entry {
	e := *tmpl
	e.body, _ = fl.result()
	e.fields = nil
	seal(&e)
	return &e
}

// fetchWhole reads a body whole before anyone gets it: for compression,
// which needs all of it.
func (s *Server) fetchWhole(key string, epoch int64, resp *http.Response, idle *idleReader, cancel context.CancelCauseFunc, stale *entry, q *request, now time.Time, used int32) *fetchResult {
	body, err := readBody(idle, resp.ContentLength, s.opts.MaxObjectSize)
	resp.Body.Close()
	idle.stop()
	cancel(nil)
	if err != nil {
		s.log.Debug("origin body broke", "distribution", q.d.id, "err", err)
		if stale != nil {
			return s.serveStale(key, epoch, stale, now)
		}
		return &fetchResult{kind: outBroken, e: &entry{status: resp.StatusCode, header: s.viewerHeader(resp.Header, int(resp.ContentLength)), body: body}}
	}
	stored := s.store(key, epoch, resp, body, q, now)
	stored.attempts = used
	return stored
}

// wholeOrFirstPart reads the answer to a request for bytes 0-rangeEnd: a
// 206 that covers the whole object becomes the 200 it stands for; any
// other 206 is the first part of an object of total bytes. A 206 for
// anything else than what was asked is an error.
func wholeOrFirstPart(resp *http.Response, rangeEnd int64) (total int64, partial bool, err error) {
	if resp.StatusCode != http.StatusPartialContent || rangeEnd < 0 {
		return -1, false, nil
	}
	start, end, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
	if !ok || start != 0 || size < 0 || end != min(rangeEnd, size-1) ||
		(resp.ContentLength >= 0 && resp.ContentLength != end+1) {
		return 0, false, errors.New("edge: origin answered with Content-Range " + strconv.Quote(resp.Header.Get("Content-Range")))
	}
	if end == size-1 {
		resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
		resp.ContentLength = size
		resp.Header.Del("Content-Range")
		resp.Header["Content-Length"] = []string{strconv.FormatInt(size, 10)}
		return size, false, nil
	}
	return size, true, nil
}

// parseContentRange reads "bytes first-last/size" (size "*" is -1).
func parseContentRange(v string) (first, last, size int64, ok bool) {
	spec, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, sz, found := strings.Cut(spec, "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(rng, "-")
	if !found || !digits(a) || !digits(b) {
		return 0, 0, 0, false
	}
	var err error
	if first, err = strconv.ParseInt(a, 10, 64); err != nil {
		return 0, 0, 0, false
	}
	if last, err = strconv.ParseInt(b, 10, 64); err != nil || last < first {
		return 0, 0, 0, false
	}
	size = -1
	if sz != "*" {
		if !digits(sz) {
			return 0, 0, 0, false
		}
		if size, err = strconv.ParseInt(sz, 10, 64); err != nil || last >= size {
			return 0, 0, 0, false
		}
	}
	return first, last, size, true
}

// store builds the entry for a complete response and caches it when its
// status may be cached.
func (s *Server) store(key string, epoch int64, resp *http.Response, body []byte, q *request, now time.Time) *fetchResult {
	e, leader, cacheable := s.newEntry(resp, q, now, int64(len(body)), body)
	seal(e)
	res := resultMiss
	if e.isError {
		res = resultError
	}
	f := &fetchResult{kind: outEntry, e: e, res: res, leader: leader}
	if cacheable {
		s.keep(key, epoch, e, f, q)
	}
	return f
}

// newEntry builds the entry for resp, without sealing it: viewer headers,
// validators and expiry. n is the body's length (-1: unknown). body, when
// the whole body is at hand, is what the entry holds, compressed when the
// behaviour asks for it; without it the body is to come (a fill). leader
// is the fetching viewer's header (every Set-Cookie); cacheable says
// whether the status may be cached.
func (s *Server) newEntry(resp *http.Response, q *request, now time.Time, n int64, body []byte) (e *entry, leader http.Header, cacheable bool) {
	full := s.viewerHeader(resp.Header, int(n))
	compressed := false
	if body != nil {
		body, compressed = compressFor(q.b, q.encoding(), resp, body, full)
	} else if q.b.compress && compressible(resp, int(n)) {
		// The identity variant of a compressible object (compressFor).
		full["Vary"] = varyAcceptEncoding
	}
	e = &entry{
		status:     resp.StatusCode,
		body:       body,
		stored:     now,
		compressed: compressed,
		etag:       full.Get("ETag"),
		lastMod:    resp.Header.Get("Last-Modified"),
		isError:    resp.StatusCode >= 400,
	}
	cc := parseCacheControl(resp.Header["Cache-Control"])
	e.private = cc.noStore || cc.private
	e.header, leader = s.setCookieHeaders(full, q, cc.noCacheSetCookie)
	var ttl time.Duration
	cacheable = true
	ce := q.d.customError(resp.StatusCode)
	switch {
	case e.isError && ce != nil && ce.hasMinTTL:
		ttl, cacheable = errorCacheTTL(ce, resp.StatusCode, resp.Header, now, q.b.maxTTL)
	case errorCached(resp.StatusCode):
		ttl = errorTTL
	case cacheableStatus(resp.StatusCode):
		ttl = q.b.ttl(resp.Header, now)
	default:
		cacheable = false
	}
	e.expires = now.Add(ttl)
	return e, leader, cacheable
}

// keep caches e unless it is no-store or private and the behaviour's
// MinTTL is 0: such a response answers only the viewer that fetched it
// and replaces no older copy, which could otherwise be served stale.
// With MinTTL > 0 CloudFront caches it for MinTTL, shared (API reference,
// DefaultCacheBehavior: "If your minimum TTL is greater than 0, CloudFront
// will cache content for at least the duration specified in the cache
// policy's minimum TTL, even if the Cache-Control: no-cache, no-store, or
// private directives are present in the origin headers").
func (s *Server) keep(key string, epoch int64, e *entry, f *fetchResult, q *request) {
	if e.private && q.b.minTTL == 0 {
		f.perViewer = true
		s.cache.delete(key)
		return
	}
	if s.epoch.Load() == epoch {
		s.cache.set(key, e)
		if s.epoch.Load() != epoch {
			// A purge ran between the check and the store.
			s.cache.delete(key)
		}
	}
}

// setCookieHeaders returns the header to cache and the one for the
// fetching viewer (spec §3.3): with "none" neither has Set-Cookie; with
// "whitelist" the cache keeps the listed cookies and with "all" the ones
// the viewer sent, while the fetching viewer gets every Set-Cookie. Under
// an origin request policy that forwards cookies the key does not have,
// the fetching viewer gets every Set-Cookie and the cache keeps those of
// the keyed cookies only.
func (s *Server) setCookieHeaders(full http.Header, q *request, noCacheCookies bool) (cached, viewer http.Header) {
	if _, ok := full["Set-Cookie"]; !ok {
		return full, full
	}
	switch {
	case !q.b.forwardsCookies():
		full = withSetCookies(full, nil)
		return full, full
	case noCacheCookies || q.b.cookies == cookiesNone:
		return withSetCookies(full, nil), full
	case q.b.cookies == cookiesWhitelist:
		return withSetCookies(full, func(n string) bool { return contains(q.b.whitelist, n) }), full
	default:
		sent := cookieNames(q.cookies)
		return withSetCookies(full, func(n string) bool { return contains(sent, n) }), full
	}
}

// serveStale keeps serving an expired copy for the error-caching period
// while the origin fails (spec §4.3).
func (s *Server) serveStale(key string, epoch int64, stale *entry, now time.Time) *fetchResult {
	e := *stale
	e.expires = now.Add(errorTTL)
	if s.epoch.Load() == epoch {
		s.cache.set(key, &e)
	}
	res := resultHit
	if e.isError {
		res = resultError
	}
	return &fetchResult{kind: outEntry, e: &e, res: res, stale: true}
}

// refreshed is a stale entry renewed by a 304: new validators and caching
// headers from the 304, a new TTL, and Age counting from now.
func (s *Server) refreshed(stale *entry, h304 http.Header, q *request, now time.Time) *entry {
	e := *stale
	hdr := stale.header.Clone()
	for _, k := range []string{"Cache-Control", "Expires", "Etag", "Last-Modified", "Date"} {
		if v, ok := h304[k]; ok {
			hdr[k] = v
		}
	}
	if stale.compressed {
		weakenETag(hdr)
	}
	e.header = hdr
	e.etag = hdr.Get("ETag")
	e.lastMod = hdr.Get("Last-Modified")
	cc := parseCacheControl(hdr["Cache-Control"])
	e.private = cc.noStore || cc.private
	e.stored = now
	e.expires = now.Add(q.b.ttl(hdr, now))
	seal(&e)
	return &e
}

var errTooBig = errors.New("edge: object larger than the cache's object limit")

// readBody reads a whole body of at most limit bytes. It returns errTooBig
// with what it read when the body is longer, and an error when the body
// ends before its Content-Length.
func readBody(r io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength >= 0 {
		body := make([]byte, contentLength)
		n, err := io.ReadFull(r, body)
		if err != nil {
			return body[:n], err
		}
		return body, nil
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return buf.Bytes(), err
	}
	if n > limit {
		return buf.Bytes(), errTooBig
	}
	// A cached body lives long: do not keep the buffer's growth slack,
	// which can double the memory of a chunked response.
	body := buf.Bytes()
	if cap(body)-len(body) > len(body)/16 {
		body = bytes.Clone(body)
	}
	return body, nil
}

// originReq is the origin request for q. A cacheable flight asks with
// GET for a HEAD, since the object serves both.
func (s *Server) originReq(r *http.Request, q *request, passThru bool) *originRequest {
	o := &originRequest{
		viewer: r, b: q.b, g: q.b.origin, path: q.path, query: q.query, cookies: q.cookies,
		gzip: q.gzip, br: q.br, reqID: q.pr.reqID(), via: s.via, passThru: passThru,
		method: r.Method,
	}
	if q.b.orp != nil {
		// What the origin request policy adds beyond the key.
		o.query = q.b.originQuery(q.viewerQuery, q.query)
		o.cookies = q.b.originCookies(r.Header["Cookie"], q.cookies)
	}
	if r.Method == http.MethodHead && !q.uncached {
		o.method = http.MethodGet
	}
	if q.uncached {
		o.uncached = true
		if hasBody(r) {
			o.body = &viewerBody{r: r.Body}
		}
	}
	return o
}

// fetchStream fetches for one viewer without caching, with at most
// attempts connection attempts.
func (s *Server) fetchStream(r *http.Request, q *request, attempts int) *fetchResult {
	if attempts <= 0 {
		return &fetchResult{kind: outFailed, status: http.StatusBadGateway}
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	ctx, ut := timed(ctx, q)
	o := s.originReq(r, q, true)
	resp, _, err := s.send(ctx, cancel, o, attempts)
	if err != nil {
		cancel(nil)
		return &fetchResult{kind: outFailed, status: originErrorStatus(err), upstream: ut}
	}
	return &fetchResult{kind: outStream, resp: resp, cancel: cancel, upstream: ut,
		idle: newIdleReader(resp.Body, s.readTimeout(o.g), cancel)}
}

// writeStream sends an uncached response as it arrives. A body that
// breaks after the headers went out aborts the viewer's connection.
func (s *Server) writeStream(w http.ResponseWriter, r *http.Request, f *fetchResult, res result, q *request) int {
	resp := f.resp
	hdr := s.viewerHeader(resp.Header, -1)
	if !q.b.forwardsCookies() {
		hdr = withSetCookies(hdr, nil)
	}
	if n := resp.ContentLength; n >= 0 {
		hdr["Content-Length"] = []string{strconv.FormatInt(n, 10)}
	}
	h := w.Header()
	for k, v := range hdr {
		h[k] = v
	}
	if q.rhp != nil {
		q.rhp.apply(s, h, r, q, res)
	}
	h["X-Cache"] = xCacheValues[res]
	h["X-Amz-Cf-Id"] = q.pr.id[:]
	w.WriteHeader(resp.StatusCode)
	if r.Method == http.MethodHead {
		return 0
	}
	n, err := w.Write(f.prefix)
	if err != nil {
		return n
	}
	m, err := io.Copy(w, f.idle)
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return n + int(m)
}

// writeBroken sends the headers and the part of the body that arrived,
// then aborts, so the viewer sees a truncated response, as it would have
// from a streaming proxy.
func (s *Server) writeBroken(w http.ResponseWriter, r *http.Request, f *fetchResult, q *request) {
	h := w.Header()
	for k, v := range f.e.header {
		h[k] = v
	}
	if q.rhp != nil {
		q.rhp.apply(s, h, r, q, resultError)
	}
	h["X-Cache"] = xCacheValues[resultError]
	h["X-Amz-Cf-Id"] = q.pr.id[:]
	w.WriteHeader(f.e.status)
	if r.Method != http.MethodHead {
		w.Write(f.e.body)
	}
	panic(http.ErrAbortHandler)
}
