package edge

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// result is the x-edge-result-type of a response.
type result uint8

const (
	resultHit result = iota
	resultRefreshHit
	resultMiss
	resultError
	resultRedirect
	// resultFunction is an answer a viewer-request function made
	// (FunctionGeneratedResponse).
	resultFunction
)

func (r result) String() string {
	return [...]string{"Hit", "RefreshHit", "Miss", "Error", "Redirect", "FunctionGeneratedResponse"}[r]
}

var xCacheValues = [...][]string{
	{"Hit from cloudfront"},
	{"RefreshHit from cloudfront"},
	{"Miss from cloudfront"},
	{"Error from cloudfront"},
	{"Redirect from cloudfront"},
	{"FunctionGeneratedResponse from cloudfront"},
}

// hopHeaders are not passed from the origin to the viewer; Via, Age and
// X-Amz-Cf-Id are the edge's own.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true,
	"Transfer-Encoding": true, "Upgrade": true, "Via": true, "Age": true,
	"X-Amz-Cf-Id": true, "X-Cache": true, "Content-Length": true,
}

// viewerHeader copies the origin's response headers that viewers get,
// with the edge's Via. Vary keeps only Accept-Encoding, the one variation
// the cache key has.
func (s *Server) viewerHeader(src http.Header, bodyLen int) http.Header {
	h := make(http.Header, len(src)+2)
	var connTokens []string
	for _, v := range src["Connection"] {
		for t := range strings.SplitSeq(v, ",") {
			connTokens = append(connTokens, http.CanonicalHeaderKey(strings.TrimSpace(t)))
		}
	}
	for k, v := range src {
		if hopHeaders[k] || contains(connTokens, k) {
			continue
		}
		if k == "Vary" {
			if varyHasAcceptEncoding(v) {
				h[k] = []string{"Accept-Encoding"}
			}
			continue
		}
		h[k] = v
	}
	h["Via"] = s.via
	if bodyLen >= 0 {
		h["Content-Length"] = []string{strconv.Itoa(bodyLen)}
	}
	return h
}

func varyHasAcceptEncoding(v []string) bool {
	for _, x := range v {
		for t := range strings.SplitSeq(x, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "Accept-Encoding") {
				return true
			}
		}
	}
	return false
}

// withSetCookies returns h with only the Set-Cookie values keep accepts;
// h itself is not changed.
func withSetCookies(h http.Header, keep func(name string) bool) http.Header {
	all, ok := h["Set-Cookie"]
	if !ok {
		return h
	}
	var kept []string
	for _, v := range all {
		if keep != nil && keep(setCookieName(v)) {
			kept = append(kept, v)
		}
	}
	c := h.Clone()
	if len(kept) == 0 {
		delete(c, "Set-Cookie")
	} else {
		c["Set-Cookie"] = kept
	}
	return c
}

// smallBody is below net/http's bufferBeforeChunkingSize (2048): a body
// shorter than it, written whole before the handler returns, reaches the
// viewer with a Content-Length that net/http computes.
const smallBody = 2048

// serveEntry writes a cached or just-fetched object, answering the
// viewer's validators and Range from it. hdr replaces the entry's header
// when not nil.
func (s *Server) serveEntry(w http.ResponseWriter, r *http.Request, q *request, e *entry, hdr http.Header, res result, now time.Time) int {
	pr := q.pr
	h := w.Header()
	status, size := e.status, e.size()
	// A small whole body to an HTTP/1 GET is sent with its Content-Length
	// by net/http itself, which computes it for a body that fits its
	// 2 KiB buffer when the handler returns. Leaving it out of the map
	// keeps the map small: net/http clones, sorts and sanitises every
	// entry, and past 8 entries the map grows into a table (callgrind:
	// 2,400 instructions for the entry, 9,000 for the ninth one; see
	// bench/README.md).
	var skip string
	// A 304, 206 or 416 below sets or deletes Content-Length itself. A
	// body in a file goes through net/http's ReadFrom, which sends the
	// header before the body is whole: it keeps its Content-Length.
	if size < smallBody && e.file == nil && status == http.StatusOK && r.ProtoMajor == 1 && r.Method == http.MethodGet {
		skip = "Content-Length"
	}
	switch {
	case hdr != nil:
		for k, v := range hdr {
			if k != skip {
				h[k] = v
			}
		}
	case e.fields != nil:
		for _, f := range e.fields {
			if f.key != skip {
				h[f.key] = f.values
			}
		}
	default:
		for k, v := range e.header {
			if k != skip {
				h[k] = v
			}
		}
	}
	if q.rhp != nil {
		q.rhp.apply(s, h, r, q, res)
	}
	h["X-Cache"] = xCacheValues[res]
	h["X-Amz-Cf-Id"] = pr.id[:]
	if res == resultHit || res == resultRefreshHit {
		age := int64(now.Sub(e.stored) / time.Second)
		h["Age"] = pr.ageHeader(max(age, 0))
	}
	if size >= corkMin && r.Method == http.MethodGet {
		t := cork(r)
		n, _ := s.writeObject(w, r, status, size, e.etag, e.lastMod, e)
		uncork(t)
		return int(n)
	}
	n, _ := s.writeObject(w, r, status, size, e.etag, e.lastMod, e)
	return int(n)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// errorPage is CloudFront's generated HTML error page (spec §1).
func errorPage(message string) []byte {
	return []byte(`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
<TITLE>ERROR: The request could not be satisfied</TITLE>
</HEAD><BODY>
<H1>ERROR</H1>
<H2>The request could not be satisfied.</H2>
<HR noshade size="1px">
` + message + `
<BR clear="all">
<HR noshade size="1px">
<PRE>
Generated by cloudfront (CloudFront)
</PRE>
`)
}

var (
	pageBadRequest = errorPage("Bad request.")
	pageBadGateway = errorPage("CloudFront wasn't able to connect to the origin.")
	pageTimeout    = errorPage("CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.")
)

// writeGenerated writes a response CloudFront generates itself.
func (s *Server) writeGenerated(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte, pr *perRequest) int {
	if lw := logWriterOf(w); lw != nil {
		lw.generated = true
	}
	h := w.Header()
	h["Server"] = []string{"CloudFront"}
	h["Content-Type"] = []string{contentType}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["X-Cache"] = xCacheValues[resultError]
	h["Via"] = s.via
	h["X-Amz-Cf-Id"] = pr.id[:]
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return 0
	}
	n, _ := w.Write(body)
	return n
}

func (s *Server) writeErrorPage(w http.ResponseWriter, r *http.Request, status int, pr *perRequest) int {
	page := pageBadRequest
	switch status {
	case http.StatusBadGateway:
		page = pageBadGateway
	case http.StatusGatewayTimeout:
		page = pageTimeout
	}
	return s.writeGenerated(w, r, status, "text/html", page, pr)
}
