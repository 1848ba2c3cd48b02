package edge

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

type outcome uint8

const (
	outEntry  outcome = iota // serve e
	outStream                // too big to cache: the leader streams resp
	outBroken                // the body broke: send what came, then abort
	outFailed                // origin unreachable, no stale copy: status
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

// serveMiss fetches key through the flight group, so concurrent misses
// share one origin request, and serves the result.
func (s *Server) serveMiss(w http.ResponseWriter, r *http.Request, q *request, key string) result {
	led := false
	ch := s.flights.DoChan(key, func() (any, error) {
		led = true
		return s.fetch(r, q, key), nil
	})
	var f *fetchResult
	select {
	case v := <-ch:
		f = v.Val.(*fetchResult)
	case <-r.Context().Done():
		// The viewer left. If it led a streaming fetch, close the body.
		go func() {
			v := <-ch
			if f := v.Val.(*fetchResult); led && f.kind == outStream {
				f.close()
			}
		}()
		return resultError
	}
	c := s.stats(q.d)
	if f.kind == outEntry && f.perViewer && !led {
		// Another viewer's private answer: ask the origin for this one.
		f = &fetchResult{kind: outStream, attempts: f.attempts}
	}
	switch f.kind {
	case outEntry:
		if f.e.isError && q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.e.status) {
			return resultError
		}
		var hdr http.Header // nil: the entry's own
		if led && f.leader != nil {
			hdr = f.leader
		}
		c.count(f.res, s.serveEntry(w, r, f.e, hdr, f.res, q.pr, s.now()))
		return f.res
	case outFailed:
		if q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.status) {
			return resultError
		}
		c.count(resultError, s.writeErrorPage(w, r, f.status, q.pr))
		return resultError
	case outBroken:
		c.count(resultError, 0)
		s.writeBroken(w, r, f, q.pr)
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
		if f.kind == outFailed {
			if q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.status) {
				return resultError
			}
			c.count(resultError, s.writeErrorPage(w, r, f.status, q.pr))
			return resultError
		}
	}
	defer f.close()
	res := resultMiss
	if f.resp.StatusCode >= 400 {
		res = resultError
		if q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.resp.StatusCode) {
			return res
		}
	}
	c.count(res, s.writeStream(w, r, f, res, q))
	return res
}

// fetch runs once per flight: it looks in the cache again (a flight that
// just ended may have stored the object), then asks the origin,
// revalidating a stale copy, and stores what may be cached. It runs under
// context.WithoutCancel so that the leader's viewer leaving does not fail
// the others.
func (s *Server) fetch(r *http.Request, q *request, key string) *fetchResult {
	kb := []byte(key)
	stale, _ := s.cache.get(kb)
	now := s.now()
	if stale != nil && stale.fresh(now) {
		res := resultHit
		if stale.isError {
			res = resultError
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
	if stale != nil && !stale.isError && q.b.cookies == cookiesNone {
		o.etag, o.lastMod = stale.etag, stale.lastMod
	}
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(r.Context()))
	start := time.Now()
	resp, used, err := s.send(ctx, cancel, o, q.b.origin.connectionAttempts)
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
		f := &fetchResult{kind: outEntry, e: e, res: resultRefreshHit, attempts: used}
		s.keep(key, epoch, e, f, q)
		return f
	}
	idle := newIdleReader(resp.Body, s.readTimeout(o.g), cancel)
	f := &fetchResult{resp: resp, idle: idle, cancel: cancel, attempts: used}
	if resp.ContentLength > s.opts.MaxObjectSize {
		f.kind = outStream
		return f
	}
	body, err := readBody(idle, resp.ContentLength, s.opts.MaxObjectSize)
	if err == errTooBig {
		f.kind, f.prefix = outStream, body
		return f
	}
	f.close()
	if err != nil {
		s.log.Debug("origin body broke", "distribution", q.d.id, "err", err)
		if stale != nil {
			return s.serveStale(key, epoch, stale, now)
		}
		return &fetchResult{kind: outBroken, e: &entry{status: resp.StatusCode, header: s.viewerHeader(resp.Header, int(resp.ContentLength)), body: body}}
	}
	stored := s.store(key, epoch, resp, body, q, now)
	stored.attempts = f.attempts
	return stored
}

// store builds the entry for a complete response and caches it when its
// status may be cached.
func (s *Server) store(key string, epoch int64, resp *http.Response, body []byte, q *request, now time.Time) *fetchResult {
	full := s.viewerHeader(resp.Header, len(body))
	body, compressed := compressFor(q.b, q.encoding(), resp, body, full)
	e := &entry{
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
	e.header, full = s.setCookieHeaders(full, q, cc.noCacheSetCookie)
	res := resultMiss
	if e.isError {
		res = resultError
	}
	var ttl time.Duration
	cacheable := true
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
	seal(e)
	f := &fetchResult{kind: outEntry, e: e, res: res, leader: full}
	if cacheable {
		s.keep(key, epoch, e, f, q)
	}
	return f
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
	}
}

// setCookieHeaders returns the header to cache and the one for the
// fetching viewer (spec §3.3): with "none" neither has Set-Cookie; with
// "whitelist" the cache keeps the listed cookies and with "all" the ones
// the viewer sent, while the fetching viewer gets every Set-Cookie.
func (s *Server) setCookieHeaders(full http.Header, q *request, noCacheCookies bool) (cached, viewer http.Header) {
	if _, ok := full["Set-Cookie"]; !ok {
		return full, full
	}
	switch {
	case q.b.cookies == cookiesNone:
		full = withSetCookies(full, nil)
		return full, full
	case noCacheCookies:
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
	return &fetchResult{kind: outEntry, e: &e, res: res}
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
	o := s.originReq(r, q, true)
	resp, _, err := s.send(ctx, cancel, o, attempts)
	if err != nil {
		cancel(nil)
		return &fetchResult{kind: outFailed, status: originErrorStatus(err)}
	}
	return &fetchResult{kind: outStream, resp: resp, cancel: cancel,
		idle: newIdleReader(resp.Body, s.readTimeout(o.g), cancel)}
}

// writeStream sends an uncached response as it arrives. A body that
// breaks after the headers went out aborts the viewer's connection.
func (s *Server) writeStream(w http.ResponseWriter, r *http.Request, f *fetchResult, res result, q *request) int {
	resp := f.resp
	hdr := s.viewerHeader(resp.Header, -1)
	if q.b.cookies == cookiesNone {
		hdr = withSetCookies(hdr, nil)
	}
	if n := resp.ContentLength; n >= 0 {
		hdr["Content-Length"] = []string{strconv.FormatInt(n, 10)}
	}
	h := w.Header()
	for k, v := range hdr {
		h[k] = v
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
func (s *Server) writeBroken(w http.ResponseWriter, r *http.Request, f *fetchResult, pr *perRequest) {
	h := w.Header()
	for k, v := range f.e.header {
		h[k] = v
	}
	h["X-Cache"] = xCacheValues[resultError]
	h["X-Amz-Cf-Id"] = pr.id[:]
	w.WriteHeader(f.e.status)
	if r.Method != http.MethodHead {
		w.Write(f.e.body)
	}
	panic(http.ErrAbortHandler)
}
