package edge

import (
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
)

// methodSet is a set of the methods CloudFront knows, one bit each.
type methodSet uint8

const (
	mGET methodSet = 1 << iota
	mHEAD
	mOPTIONS
	mPUT
	mPATCH
	mPOST
	mDELETE
)

// methodBit is the bit of a viewer's method; 0 for a method CloudFront
// does not know (TRACE, CONNECT, PROPFIND…), which no behaviour allows.
func methodBit(m string) methodSet {
	switch m {
	case http.MethodGet:
		return mGET
	case http.MethodHead:
		return mHEAD
	case http.MethodOptions:
		return mOPTIONS
	case http.MethodPut:
		return mPUT
	case http.MethodPatch:
		return mPATCH
	case http.MethodPost:
		return mPOST
	case http.MethodDelete:
		return mDELETE
	}
	return 0
}

// compileMethods is the set of AllowedMethods or CachedMethods; nil is
// CloudFront's default, GET and HEAD, which are always in both (the API
// accepts no smaller set).
func compileMethods(list []string) methodSet {
	s := mGET | mHEAD
	for _, m := range list {
		s |= methodBit(m)
	}
	return s
}

// pageMethodNotAllowed is the message CloudFront's 403 page gives for a
// method the behaviour does not allow.
var pageMethodNotAllowed = errorPage("This distribution is not configured to allow the HTTP request method that was used for this request. The distribution supports only cachable requests.")

// writeMethodNotAllowed answers a method the behaviour does not allow:
// 403 with CloudFront's page, never forwarded.
func (s *Server) writeMethodNotAllowed(w http.ResponseWriter, r *http.Request, pr *perRequest) int {
	noteDetail(w, "InvalidRequestMethod")
	return s.writeGenerated(w, r, http.StatusForbidden, "text/html", pageMethodNotAllowed, pr)
}

// writeRedirect answers an HTTP viewer of a redirect-to-https behaviour:
// 301 for GET and HEAD, 307 for the other methods so that the viewer
// sends its body again (CloudFront's developer guide, "Require HTTPS for
// communication between viewers and CloudFront"). The Location is the
// same request target under https:// on the default port, where
// CloudFront's viewers reach it; the host is one of the distribution's
// names, since it routed here, so the redirect cannot point elsewhere.
func (s *Server) writeRedirect(w http.ResponseWriter, r *http.Request, pr *perRequest) int {
	status, page := http.StatusMovedPermanently, page301
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		status, page = http.StatusTemporaryRedirect, page307
	}
	var buf [256]byte
	host, ok := normalizeHost(buf[:0], r.Host)
	if !ok {
		return s.writeErrorPage(w, r, http.StatusBadRequest, pr)
	}
	h := w.Header()
	h["Location"] = []string{"https://" + string(host) + requestTarget(r)}
	h["Server"] = []string{"CloudFront"}
	h["Content-Type"] = []string{"text/html"}
	h["Content-Length"] = []string{strconv.Itoa(len(page))}
	h["X-Cache"] = xCacheValues[resultRedirect]
	h["Via"] = s.via
	h["X-Amz-Cf-Id"] = pr.id[:]
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return 0
	}
	n, _ := w.Write(page)
	return n
}

func redirectPage(status string) []byte {
	return []byte("<html>\r\n<head><title>" + status + "</title></head>\r\n<body>\r\n<center><h1>" + status +
		"</h1></center>\r\n<hr><center>CloudFront</center>\r\n</body>\r\n</html>\r\n")
}

var (
	page301 = redirectPage("301 Moved Permanently")
	page307 = redirectPage("307 Temporary Redirect")
)

// hasBody reports whether the viewer sent a request body.
func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || len(r.TransferEncoding) > 0
}

// caches reports whether the behaviour caches a request with method m:
// CachedMethods has it (none do under a cache policy with MaxTTL 0) and
// Headers is not "*".
func (b *behavior) caches(m methodSet) bool {
	return b.cached&m != 0 && !b.allHeaders
}

// serveUncached passes one request to the origin and streams the answer
// back, body included both ways, caching nothing: methods the behaviour
// does not cache, and every request of a behaviour that forwards all
// headers or whose cache policy's MaxTTL is 0. Concurrent requests are
// not collapsed, since each may differ.
func (s *Server) serveUncached(w http.ResponseWriter, r *http.Request, q *request) result {
	return s.serveStreamed(w, r, q, s.fetchStream(r, q, q.b.origin.connectionAttempts))
}

// serveStreamed answers a viewer from its own origin fetch (fetchStream):
// the origin's answer streamed through, or, when the fetch failed or the
// origin answered an error, the distribution's custom error page where
// one applies.
func (s *Server) serveStreamed(w http.ResponseWriter, r *http.Request, q *request, f *fetchResult) result {
	c := s.stats(q.d)
	q.upstream = f.upstream
	if f.kind == outFailed {
		if q.d.errorResponses != nil && s.serveCustomError(w, r, q, f.status) {
			return resultError
		}
		c.count(resultError, s.writeErrorPage(w, r, f.status, q.pr))
		return resultError
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

// viewerBody is a viewer's request body on its way to the origin. It
// records whether the transport read from it, since a body that was read
// cannot be sent again: only an attempt that failed before reading it is
// retried. Close is left to the viewer's server, so that an attempt that
// failed does not close the body for the next.
type viewerBody struct {
	r    io.Reader
	read atomic.Bool
}

func (b *viewerBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.r.Read(p)
}

func (b *viewerBody) Close() error { return nil }
