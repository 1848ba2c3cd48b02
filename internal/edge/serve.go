package edge

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/urlpath"
)

// request is what ServeHTTP worked out about one viewer request.
type request struct {
	d    *dist
	b    *behavior
	path string // canonical (urlpath): matched, signed, keyed and fetched
	// query and cookies are the forwarded query and cookies; under an
	// origin request policy, the cache key's only (originReq adds the
	// policy's).
	query   string
	cookies string
	// viewerQuery is the viewer's query, signed-URL parameters removed,
	// when the behaviour has an origin request policy, which may forward
	// more of it than the key has (originrequestpolicy.go).
	viewerQuery string
	gzip        bool
	// uncached: the request goes to the origin for this viewer alone,
	// with its method and body (serveUncached).
	uncached bool
	br       bool // Compress chose Brotli (compress.go)
	pr       *perRequest
	now      time.Time
	// errorPage marks the edge's own request for a custom error page, so
	// that the page's own error is not answered with a page again.
	errorPage bool
	// rhp is the response headers policy the viewer's answer gets: its
	// behaviour's, nil for none and for the edge's own errors and pages'
	// fetches. upstream is the origin fetch's timing, for Server-Timing.
	rhp      *respPolicy
	upstream *upstreamTiming
}

// ServeHTTP serves one viewer request. r.TLS != nil means the viewer used
// HTTPS.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pr := newPerRequest()
	d := s.ready(s.snap.Load().lookup(r.Host))
	// Only a distribution with Logging enabled has its requests logged
	// (the access-log writer drops the others): the rest skip building
	// the record and the wrapper, 7,000 instructions of a 1 KiB hit.
	if s.opts.AccessLog != nil && d != nil && d.logging {
		start := s.now()
		lw := &logWriter{ResponseWriter: w, now: s.now, impliedLen: -1}
		defer s.logAborted(lw, r, d, pr, start)
		res, d := s.serve(lw, r, pr, d)
		s.logRequest(lw, r, d, res, pr, start)
		lw.logged = true
		return
	}
	s.serve(w, r, pr, d)
}

// serve answers r for d, the distribution r.Host names (nil: none).
func (s *Server) serve(w http.ResponseWriter, r *http.Request, pr *perRequest, d *dist) (result, *dist) {
	if d == nil || !d.enabled {
		s.metrics.unknownHost.Inc()
		s.writeErrorPage(w, r, http.StatusForbidden, pr)
		return resultError, nil
	}
	if r.TLS != nil && (d.http3 || r.TLS.Version < d.minTLS) {
		if r.TLS.Version < d.minTLS {
			// The connection was made for another name's weaker policy.
			s.stats(d).count(resultError, s.writeErrorPage(w, r, http.StatusMisdirectedRequest, pr))
			return resultError, d
		}
		s.advertiseHTTP3(w)
	}
	c := s.stats(d)
	if d.geo != nil && !s.geoAllowed(d.geo, r) {
		// CloudFront answers 403 and logs it as ClientGeoBlocked.
		noteDetail(w, "ClientGeoBlocked")
		if !s.serveEdgeError(w, r, d, http.StatusForbidden, pr) {
			c.count(resultError, s.writeErrorPage(w, r, http.StatusForbidden, pr))
		}
		return resultError, d
	}
	m := methodBit(r.Method)
	if m == 0 {
		// No behaviour allows a method CloudFront does not know.
		s.refuseMethod(w, r, d, pr)
		return resultError, d
	}
	// The one path this request means, decided before anything reads it.
	path, rawQuery, err := urlpath.Split(requestTarget(r))
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, urlpath.ErrTooLong) {
			status = http.StatusRequestURITooLong
		}
		if !s.serveEdgeError(w, r, d, status, pr) {
			c.count(resultError, s.writeErrorPage(w, r, status, pr))
		}
		return resultError, d
	}
	if path == "/" && d.rootObject != "" {
		path = d.rootObject
	}
	b := d.selectBehavior(path)
	if b.methods&m == 0 {
		s.refuseMethod(w, r, d, pr)
		return resultError, d
	}
	cacheable := b.caches(m)
	if hasBody(r) && (cacheable || m&(mGET|mHEAD) != 0) {
		// A GET with a body is refused (spec §3.1); so is any cached
		// method, whose body would change the answer but not the key.
		if !s.serveEdgeError(w, r, d, http.StatusForbidden, pr) {
			c.count(resultError, s.writeErrorPage(w, r, http.StatusForbidden, pr))
		}
		return resultError, d
	}
	if r.TLS == nil {
		if b.httpsOnly {
			if !s.serveEdgeError(w, r, d, http.StatusForbidden, pr) {
				c.count(resultError, s.writeErrorPage(w, r, http.StatusForbidden, pr))
			}
			return resultError, d
		}
		if b.redirectHTTPS {
			c.count(resultRedirect, s.writeRedirect(w, r, pr))
			return resultRedirect, d
		}
	}
	if b.signed {
		if s.opts.SignedURLs != nil {
			if status, body, ok := s.opts.SignedURLs.Check(r, path, d.src, b.src); !ok {
				if !s.serveEdgeError(w, r, d, status, pr) {
					c.count(resultError, s.writeGenerated(w, r, status, "text/xml", body, pr))
				}
				return resultError, d
			}
		}
		rawQuery = stripSignedParams(rawQuery)
	}
	if b.viewerRequest != nil {
		r2, p2, q2, b2, res, done := s.viewerRequest(w, r, pr, d, b, path, rawQuery)
		if done {
			if res == resultFunction {
				c.count(res, 0)
			}
			return res, d
		}
		r, path, rawQuery, b = r2, p2, q2, b2
	}
	if b.viewerResponse != nil {
		w = &responseFunctionWriter{ResponseWriter: w, s: s, r: r, d: d, pr: pr, f: b.viewerResponse,
			ev: functionEvent(r, d, pr, cloudfront.FunctionEventViewerResponse, path, rawQuery)}
	}
	q := request{d: d, b: b, path: path, pr: pr, now: s.now(), rhp: b.rhp}
	if b.orp != nil {
		q.viewerQuery = rawQuery
	}
	if b.queryString {
		q.query = rawQuery
		if b.queryFilter != nil {
			q.query = filterQuery(rawQuery, b.queryFilter, b.queryExcept)
		}
	}
	q.cookies = forwardedCookies(b.cookies, b.whitelist, r.Header["Cookie"])
	switch {
	case b.policy:
		q.gzip, q.br = b.policyEncoding(r.Header["Accept-Encoding"])
	case b.compress:
		enc := viewerEncoding(r.Header["Accept-Encoding"], b.brotli)
		q.gzip, q.br = enc == encGzip, enc == encBrotli
	default:
		q.gzip = acceptsGzip(r.Header["Accept-Encoding"])
	}
	if !cacheable {
		mq := new(request)
		*mq = q
		mq.uncached = true
		return s.serveUncached(w, r, mq), d
	}

	kp := keyPool.Get().(*[]byte)
	keyQuery := q.query
	if b.queryKeys != nil {
		keyQuery = keyedQuery(q.query, b.queryKeys)
	}
	key := appendKey((*kp)[:0], d.id, q.path, keyQuery, q.cookies, q.encoding())
	if b.extraKey || m&(mGET|mHEAD) == 0 {
		key = appendExtraKey(key, b, r, m, s.opts.Countries)
	}
	e, ok := s.cache.get(key)
	if ok && e.fresh(q.now) && e.parts == nil {
		*kp = key
		keyPool.Put(kp)
		res := resultHit
		if e.isError {
			res = resultError
			if d.errorResponses != nil {
				mq := new(request)
				*mq = q
				if s.serveCustomError(w, r, mq, e.status) {
					return res, d
				}
			}
		}
		c.count(res, s.serveEntry(w, r, &q, e, nil, res, q.now))
		return res, d
	}
	k := string(key)
	*kp = key
	keyPool.Put(kp)
	// Only a miss moves the request to the heap.
	mq := new(request)
	*mq = q
	return s.serveMiss(w, r, mq, k), d
}

// encoding is the cache key's encoding byte.
func (q *request) encoding() byte {
	switch {
	case q.br:
		return encBrotli
	case q.gzip:
		return encGzip
	}
	return encIdentity
}

// requestTarget is the request target as the viewer sent it, in origin
// form ("/path?query"). An absolute-form target ("http://host/path") is
// cut after its authority rather than rebuilt from r.URL, which would
// escape what the viewer sent (a '#' would become %23).
func requestTarget(r *http.Request) string {
	uri := r.RequestURI
	if uri != "" && uri[0] == '/' {
		return uri
	}
	if _, rest, ok := strings.Cut(uri, "://"); ok {
		i := strings.IndexAny(rest, "/?#")
		switch {
		case i < 0:
			return "/"
		case rest[i] == '/':
			return rest[i:]
		default:
			return "/" + rest[i:]
		}
	}
	return r.URL.RequestURI()
}

// splitRequestURI returns the path and query exactly as the viewer sent
// them, for the access log; everything else uses the canonical path.
func splitRequestURI(r *http.Request) (string, string) {
	path, query, _ := strings.Cut(requestTarget(r), "?")
	if path == "" {
		path = "/"
	}
	return path, query
}
