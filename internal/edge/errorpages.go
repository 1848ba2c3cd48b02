package edge

import (
	"net/http"
	"strconv"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/urlpath"
)

// customError is one of a distribution's CustomErrorResponses.
type customError struct {
	code   int    // ErrorCode
	page   string // ResponsePagePath, canonical; "" for none
	status int    // ResponseCode; 0 keeps the error's own status
	// minTTL is ErrorCachingMinTTL when hasMinTTL; otherwise the edge's
	// usual error caching applies.
	minTTL    time.Duration
	hasMinTTL bool
}

func compileErrorResponses(rs []cloudfront.CustomErrorResponse) ([]customError, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	out := make([]customError, 0, len(rs))
	for _, r := range rs {
		ce := customError{code: r.ErrorCode}
		if r.ResponsePagePath != "" {
			// The page is asked for like a request for that path, so it takes
			// the same canonical form. A path that has none (the control plane
			// checks only its first byte) gets no page rather than taking the
			// whole distribution off the edge.
			if p, err := urlpath.Canonical(r.ResponsePagePath); err == nil {
				ce.page = p
			}
		}
		if r.ResponseCode != "" {
			n, err := strconv.Atoi(r.ResponseCode)
			if err != nil || n < 100 || n > 599 {
				return nil, &compileError{"ResponseCode " + strconv.Quote(r.ResponseCode)}
			}
			ce.status = n
		}
		if r.ErrorCachingMinTTL != nil {
			ce.minTTL, ce.hasMinTTL = time.Duration(*r.ErrorCachingMinTTL)*time.Second, true
		}
		out = append(out, ce)
	}
	return out, nil
}

type compileError struct{ what string }

func (e *compileError) Error() string { return "edge: custom error response: bad " + e.what }

// customError returns the custom error response for status, or nil.
func (d *dist) customError(status int) *customError {
	for i := range d.errorResponses {
		if d.errorResponses[i].code == status {
			return &d.errorResponses[i]
		}
	}
	return nil
}

// errorCacheTTL is how long an error response with ErrorCachingMinTTL is
// cached, as CloudFront's developer guide says ("Control how long
// CloudFront caches errors"): the larger of the origin's max-age,
// s-maxage or Expires and ErrorCachingMinTTL; not at all when the origin
// says no-store, no-cache or private on a 404, 414 or 501 (and 410, which
// the edge caches as a normal object) or when the TTL is 0; never 416.
// The origin's time counts up to the behaviour's maxTTL ("can't be greater
// than the maximum TTL set for the cache behavior").
func errorCacheTTL(ce *customError, status int, h http.Header, now time.Time, maxTTL time.Duration) (time.Duration, bool) {
	if status == http.StatusRequestedRangeNotSatisfiable {
		return 0, false
	}
	cc := parseCacheControl(h["Cache-Control"])
	switch status {
	case 404, 410, 414, 501:
		if cc.noStore || cc.noCache || cc.private {
			return 0, false
		}
	}
	var origin time.Duration
	switch {
	case cc.sMaxAge >= 0:
		origin = time.Duration(cc.sMaxAge) * time.Second
	case cc.maxAge >= 0:
		origin = time.Duration(cc.maxAge) * time.Second
	case len(h["Expires"]) > 0:
		if exp, err := http.ParseTime(h.Get("Expires")); err == nil && exp.After(now) {
			origin = exp.Sub(now)
		}
	}
	if maxTTL > 0 {
		origin = min(origin, maxTTL)
	}
	ttl := max(ce.minTTL, origin)
	return ttl, ttl > 0
}

// serveCustomError answers an error status with the distribution's
// custom error page for it, if it has one, and reports whether it did.
// The page is requested from the distribution itself, through the
// behaviour its path matches, and cached like any object of that path.
//
// When the page cannot be had, the viewer gets what the page's origin
// answered (its error, or 502/504 when it could not be reached), as
// CloudFront does (developer guide, "Generate custom error responses": a
// deleted error page in S3 makes CloudFront return 404). A page too large
// to cache is not used: the original error is served instead.
func (s *Server) serveCustomError(w http.ResponseWriter, r *http.Request, q *request, status int) bool {
	ce := q.d.customError(status)
	if ce == nil || ce.page == "" || q.errorPage {
		return false
	}
	b := q.d.selectBehavior(ce.page)
	if !b.caches(mGET) {
		// The page's behaviour caches nothing (it forwards every header):
		// the page is not used, rather than asked for on every error.
		return false
	}
	pq := &request{d: q.d, b: b, path: ce.page, pr: q.pr, now: q.now, errorPage: true}
	pq.cookies = forwardedCookies(b.cookies, b.whitelist, r.Header["Cookie"])
	// The encoding class as the page's own behaviour decides it (serve).
	switch {
	case b.policy:
		pq.gzip, pq.br = b.policyEncoding(r.Header["Accept-Encoding"])
	case b.compress:
		enc := viewerEncoding(r.Header["Accept-Encoding"], b.brotli)
		pq.gzip, pq.br = enc == encGzip, enc == encBrotli
	default:
		pq.gzip = acceptsGzip(r.Header["Accept-Encoding"])
	}
	// The page is always fetched with GET, whatever the viewer's method,
	// and keyed as a GET of its path would be, keyed headers included.
	pr := new(http.Request)
	*pr = *r
	pr.Method, pr.Body, pr.ContentLength, pr.TransferEncoding = http.MethodGet, http.NoBody, 0, nil
	kb := appendKey(nil, q.d.id, pq.path, "", pq.cookies, pq.encoding())
	if b.extraKey {
		kb = appendExtraKey(kb, b, pr, mGET, s.opts.Countries)
	}
	key := string(kb)
	e, ok := s.cache.get(kb)
	if !ok || !e.fresh(pq.now) {
		f, led, ok := s.flightResult(pr, pq, key)
		if !ok {
			return true // the viewer left
		}
		if f.perViewer && !led {
			f = s.fetch(pr, pq, key, nil)
		}
		switch f.kind {
		case outEntry:
			e = f.e
		case outFill:
			if f.fill.wait(r.Context()) != nil {
				return false
			}
			e = f.final
		case outFailed:
			s.stats(q.d).count(resultError, s.writeErrorPage(w, r, f.status, q.pr))
			return true
		default:
			// A page too large to keep in one entry is not used.
			if led || f.kind == outBroken {
				f.close()
			}
			return false
		}
	}
	if e.isError {
		// The page's own error, unchanged.
		s.stats(q.d).count(resultError, s.serveEntry(w, r, q, e, nil, resultError, q.now))
		return true
	}
	if ce.status != 0 {
		status = ce.status
	}
	s.stats(q.d).count(resultError, s.writePage(w, r, q, e, status))
	return true
}

// writePage sends a cached page as the answer to an error, with status.
// The viewer's validators and Range are not applied: they name the object
// it asked for, not the page.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, q *request, e *entry, status int) int {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	if q.rhp != nil {
		q.rhp.apply(s, h, r, q, resultError)
	}
	h["X-Cache"] = xCacheValues[resultError]
	h["X-Amz-Cf-Id"] = q.pr.id[:]
	w.WriteHeader(status)
	if r.Method == http.MethodHead || e.size() == 0 {
		return 0
	}
	n, _ := e.writeBody(w, 0, e.size())
	return int(n)
}

// edgeErrorHasPage reports whether an error the edge makes itself, before
// any origin is asked, is answered with the distribution's custom error
// page for its status, as one from the origin is. CloudFront's developer
// guide decides each status it makes:
//
//   - 403 (geo restriction, a method the behaviour does not allow, a GET
//     with a body, an HTTP request to an https-only behaviour, a refused
//     signed URL): "Restrict the geographic distribution of your content"
//     says a geo-blocked viewer's 403 can get a custom error message, and
//     "Create a custom error page for specific HTTP status codes" lists
//     403 without regard to who made it; the viewer sees one face of the
//     site for every refusal.
//   - 414 (request target too long): listed there too.
//   - 400 (a path with no canonical form: encoded separators, dot
//     segments, NUL): no page. The same page says "If CloudFront detects
//     that a request might be unsafe, CloudFront returns a 400 (Bad
//     Request) error instead of a custom error page."
//   - 421 (TLS made for another name's policy): not a status CloudFront
//     lists, and the request never belonged to this distribution's
//     connection.
func edgeErrorHasPage(status int) bool {
	return status == http.StatusForbidden || status == http.StatusRequestURITooLong
}

// serveEdgeError answers an error the edge made itself with the
// distribution's custom error page for status, when it has one and the
// status takes one (edgeErrorHasPage), and reports whether it did; the
// caller writes the edge's own error otherwise. The page is fetched as for
// an origin's error: from its own behaviour, with GET, whatever refused
// the viewer's request, so a refusal never reaches the viewer's path's
// origin.
func (s *Server) serveEdgeError(w http.ResponseWriter, r *http.Request, d *dist, status int, pr *perRequest) bool {
	if d.errorResponses == nil || !edgeErrorHasPage(status) {
		return false
	}
	return s.serveCustomError(w, r, &request{d: d, pr: pr, now: s.now()}, status)
}

// refuseMethod answers a method the behaviour does not allow: CloudFront's
// 403, or the distribution's page for it.
func (s *Server) refuseMethod(w http.ResponseWriter, r *http.Request, d *dist, pr *perRequest) {
	noteDetail(w, "InvalidRequestMethod")
	if !s.serveEdgeError(w, r, d, http.StatusForbidden, pr) {
		s.stats(d).count(resultError, s.writeMethodNotAllowed(w, r, pr))
	}
}
