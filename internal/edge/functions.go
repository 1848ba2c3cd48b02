package edge

import (
	"encoding/base64"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"net/textproto"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"weak"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edgefunc"
	"github.com/openfront/openfront/internal/urlpath"
)

// CloudFront Functions at the edge. A behaviour runs its viewer-request
// function after the behaviour is chosen and a signed URL checked (so a
// function cannot open what signing closes), before the cache: what it
// returns is the request the edge keys and forwards, or an answer the
// edge sends as it is (FunctionGeneratedResponse). Its viewer-response
// function sees each answer's status and headers just before they are
// sent, hits and misses alike, and may change them; the body is never
// given to it. A function that throws, runs out of time or returns what
// CloudFront would not accept gets CloudFront's 503.

// edgeFunction is a behaviour's compiled function (prog), or the reason
// it could not compile, in which case every request of the behaviour is
// answered 503 rather than served without it.
type edgeFunction struct {
	prog *edgefunc.Program
	err  error
	// store is the ARN of the key value store the function reads, if any.
	store string
}

// programs shares compiled functions by runtime and code across
// snapshots and distributions: a snapshot that keeps a function neither
// compiles it again nor builds its runtimes anew (tens of milliseconds and
// about 1 MB each). The cache holds them weakly: the behaviours that run a
// function keep it, and once none does, it and its idle runtimes go with
// the next collection.
var programs struct {
	sync.Mutex
	m map[string]weak.Pointer[edgeFunction]
}

// pruneAt is the cache size past which entries already collected are
// dropped from the map.
const pruneAt = 1024

// compileFunction compiles a resolved association's LIVE code.
func compileFunction(fc *cloudfront.FunctionCode) *edgeFunction {
	if fc == nil {
		return &edgeFunction{err: errors.New("the function was not resolved")}
	}
	store := ""
	if len(fc.Config.KeyValueStoreARNs) > 0 {
		store = fc.Config.KeyValueStoreARNs[0]
	}
	key := fc.Config.Runtime + "\x00" + store + "\x00" + string(fc.Code)
	programs.Lock()
	defer programs.Unlock()
	if f := programs.m[key].Value(); f != nil {
		return f
	}
	if programs.m == nil {
		programs.m = map[string]weak.Pointer[edgeFunction]{}
	}
	if len(programs.m) >= pruneAt {
		for k, wp := range programs.m {
			if wp.Value() == nil {
				delete(programs.m, k)
			}
		}
	}
	prog, err := edgefunc.Compile(fc.Config.Runtime, fc.Code)
	f := &edgeFunction{prog: prog, err: err, store: store}
	programs.m[key] = weak.Make(f)
	return f
}

// compileFunctions returns a behaviour's viewer-request and
// viewer-response functions (nil for none).
func compileFunctions(cb *cloudfront.CacheBehavior) (req, resp *edgeFunction) {
	for i := range cb.FunctionAssociations {
		fa := &cb.FunctionAssociations[i]
		switch fa.EventType {
		case cloudfront.FunctionEventViewerRequest:
			req = compileFunction(fa.Function)
		case cloudfront.FunctionEventViewerResponse:
			resp = compileFunction(fa.Function)
		}
	}
	return req, resp
}

// run runs f on ev for a distribution of the account; a function that
// did not compile is an execution error.
func (s *Server) runFunction(f *edgeFunction, accountID string, ev *edgefunc.Event) (*edgefunc.Result, error) {
	if f.err != nil {
		return nil, &edgefunc.RunError{Kind: edgefunc.ErrExecution, Message: f.err.Error()}
	}
	return f.prog.Run(ev, edgefunc.Limits{KeyValueStore: s.storeFor(accountID, f.store)})
}

// functionEvent is the event of r for d: its request as the edge will
// serve it (path canonical, query without signing parameters).
func functionEvent(r *http.Request, d *dist, pr *perRequest, eventType, path, rawQuery string) *edgefunc.Event {
	ev := &edgefunc.Event{
		Version: "1.0",
		Context: edgefunc.Context{DistributionDomainName: d.domain, DistributionID: d.id, EventType: eventType, RequestID: pr.reqID()},
		Viewer:  edgefunc.Viewer{IP: viewerIP(r)},
		Request: edgefunc.Request{Method: r.Method, URI: path, Querystring: parseQuery(rawQuery),
			Headers: map[string]edgefunc.Value{}, Cookies: parseCookies(r.Header["Cookie"])},
	}
	for k, vs := range r.Header {
		if k == "Cookie" {
			continue
		}
		ev.Request.Headers[strings.ToLower(k)] = multi(vs)
	}
	if r.Host != "" {
		ev.Request.Headers["host"] = edgefunc.Value{Value: r.Host}
	}
	return ev
}

func viewerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// multi is a header's or parameter's values in the event's form: the
// first as value, all of them as multiValue when there are several.
func multi(vs []string) edgefunc.Value {
	if len(vs) == 0 {
		return edgefunc.Value{}
	}
	v := edgefunc.Value{Value: vs[0]}
	if len(vs) > 1 {
		for _, x := range vs {
			v.MultiValue = append(v.MultiValue, edgefunc.Value{Value: x})
		}
	}
	return v
}

// parseQuery splits a raw query into the event's querystring. Names and
// values are given as the viewer sent them (still percent-encoded), so
// that a query the function leaves alone is forwarded byte for byte.
func parseQuery(raw string) map[string]edgefunc.Value {
	all := map[string][]string{}
	for kv := range strings.SplitSeq(raw, "&") {
		if kv != "" {
			k, v, _ := strings.Cut(kv, "=")
			all[k] = append(all[k], v)
		}
	}
	return grouped(all)
}

// parseCookies is the viewer's Cookie headers in the event's form.
func parseCookies(lines []string) map[string]edgefunc.Value {
	all := map[string][]string{}
	for _, line := range lines {
		for part := range strings.SplitSeq(line, ";") {
			if name, val, _ := strings.Cut(strings.TrimSpace(part), "="); name != "" {
				all[name] = append(all[name], val)
			}
		}
	}
	return grouped(all)
}

// grouped is each name's values in the event's form.
func grouped(all map[string][]string) map[string]edgefunc.Value {
	out := make(map[string]edgefunc.Value, len(all))
	for k, vs := range all {
		out[k] = multi(vs)
	}
	return out
}

// encodeCookies is parseCookies' inverse: one Cookie header.
func encodeCookies(c map[string]edgefunc.Value) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(c)) {
		for _, v := range c[k].Values() {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(k + "=" + v)
		}
	}
	return b.String()
}

// viewerRequest runs the behaviour's viewer-request function. It returns
// the request to go on with, its path and raw query; done means the
// answer was sent (the function's own, or a 503).
func (s *Server) viewerRequest(w http.ResponseWriter, r *http.Request, pr *perRequest, d *dist, b *behavior,
	path, rawQuery string) (_ *http.Request, _, _ string, _ *behavior, res result, done bool) {
	ev := functionEvent(r, d, pr, cloudfront.FunctionEventViewerRequest, path, rawQuery)
	in := ev.Request
	out, err := s.runFunction(b.viewerRequest, d.src.AccountID, ev)
	if err != nil {
		return nil, "", "", nil, s.functionFailed(w, r, d, pr, err), true
	}
	if out.Response != nil {
		s.writeFunctionResponse(w, r, pr, out.Response)
		return nil, "", "", nil, resultFunction, true
	}
	req := out.Request
	if req.URI != path {
		p, q, err := urlpath.Split(req.URI)
		if err != nil || q != "" || p == "" {
			return nil, "", "", nil, s.functionFailed(w, r, d, pr, &edgefunc.RunError{Kind: edgefunc.ErrValidation,
				Message: "the function's uri " + strconv.Quote(req.URI) + " is not a path"}), true
		}
		path = p
	}
	if !reflect.DeepEqual(req.Querystring, in.Querystring) {
		rawQuery = req.EncodeQuery()
	}
	r2 := *r
	r2.Header = make(http.Header, len(req.Headers)+1)
	for name, v := range req.Headers {
		if name == "host" {
			continue // read-only: routing already used it
		}
		r2.Header[textproto.CanonicalMIMEHeaderKey(name)] = v.Values()
	}
	switch {
	case reflect.DeepEqual(req.Cookies, in.Cookies):
		if c, ok := r.Header["Cookie"]; ok {
			r2.Header["Cookie"] = c
		}
	case len(req.Cookies) > 0:
		r2.Header["Cookie"] = []string{encodeCookies(req.Cookies)}
	}
	if out.Origin != nil {
		if b, err = s.withOrigin(d, b, out.Origin); err != nil {
			return nil, "", "", nil, s.functionFailed(w, r, d, pr, err), true
		}
	}
	return &r2, path, rawQuery, b, 0, false
}

// writeFunctionResponse sends the answer a viewer-request function made.
func (s *Server) writeFunctionResponse(w http.ResponseWriter, r *http.Request, pr *perRequest, resp *edgefunc.Response) {
	h := w.Header()
	setResponseHeaders(h, resp)
	var body []byte
	if resp.Body != nil {
		body = []byte(resp.Body.Data)
		if resp.Body.Encoding == "base64" {
			body, _ = base64.StdEncoding.DecodeString(resp.Body.Data)
		}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["Server"] = []string{"CloudFront"}
	h["Via"] = s.via
	h["X-Cache"] = xCacheValues[resultFunction]
	h["X-Amz-Cf-Id"] = pr.id[:]
	w.WriteHeader(resp.StatusCode)
	if r.Method != http.MethodHead && len(body) > 0 {
		w.Write(body)
	}
}

// setResponseHeaders replaces h's headers and Set-Cookies with resp's.
func setResponseHeaders(h http.Header, resp *edgefunc.Response) {
	for name, v := range resp.Headers {
		h[textproto.CanonicalMIMEHeaderKey(name)] = v.Values()
	}
	if len(resp.Cookies) > 0 {
		var sc []string
		for _, name := range slices.Sorted(maps.Keys(resp.Cookies)) {
			c := resp.Cookies[name]
			for _, x := range c.Values() {
				line := name + "=" + x.Value
				if x.Attributes != "" {
					line += "; " + x.Attributes
				}
				sc = append(sc, line)
			}
		}
		h["Set-Cookie"] = sc
	}
}

// functionFailed answers a function's failure as CloudFront does: 503,
// logged as FunctionValidationError or FunctionExecutionError.
func (s *Server) functionFailed(w http.ResponseWriter, r *http.Request, d *dist, pr *perRequest, err error) result {
	detail := "FunctionExecutionError"
	if errors.Is(err, edgefunc.ErrValidation) {
		detail = "FunctionValidationError"
	}
	noteDetail(w, detail)
	s.log.Debug("edge: function failed", "distribution", d.id, "path", r.URL.Path, "err", err)
	s.stats(d).count(resultError, s.writeGenerated(w, r, http.StatusServiceUnavailable, "text/html", pageFunctionFailed, pr))
	return resultError
}

// pageFunctionFailed is the body of CloudFront's 503 for a function that
// failed.
var pageFunctionFailed = []byte(`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
<TITLE>ERROR: The request could not be satisfied</TITLE>
</HEAD><BODY>
<H1>503 ERROR</H1>
<H2>The request could not be satisfied.</H2>
<HR noshade size="1px">
The CloudFront function associated with the CloudFront distribution is invalid or could not run.
<BR clear="all">
<HR noshade size="1px">
<PRE>
Generated by cloudfront (CloudFront)
</PRE>
</BODY></HTML>`)

// responseFunctionWriter runs a behaviour's viewer-response function on
// the answer's status and headers when they are written, whichever part
// of the edge writes them. A failed function replaces the answer with
// the 503, and the body that follows is dropped.
type responseFunctionWriter struct {
	http.ResponseWriter
	s      *Server
	r      *http.Request
	d      *dist
	pr     *perRequest
	f      *edgeFunction
	ev     *edgefunc.Event // the request part, made before the answer
	wrote  bool
	failed bool
}

func (fw *responseFunctionWriter) WriteHeader(status int) {
	if fw.wrote {
		return
	}
	fw.wrote = true
	h := fw.Header()
	resp := &edgefunc.Response{StatusCode: status, StatusDescription: http.StatusText(status),
		Headers: map[string]edgefunc.Value{}, Cookies: map[string]edgefunc.Cookie{}}
	for k, vs := range h {
		if k == "Set-Cookie" {
			for _, line := range vs {
				nv, attrs, _ := strings.Cut(line, ";")
				name, val, _ := strings.Cut(strings.TrimSpace(nv), "=")
				c := resp.Cookies[name]
				x := edgefunc.Cookie{Value: val, Attributes: strings.TrimSpace(attrs)}
				if c.Value == "" && len(c.MultiValue) == 0 {
					c = x
				} else {
					if len(c.MultiValue) == 0 {
						c.MultiValue = []edgefunc.Cookie{{Value: c.Value, Attributes: c.Attributes}}
					}
					c.MultiValue = append(c.MultiValue, x)
				}
				resp.Cookies[name] = c
			}
			continue
		}
		resp.Headers[strings.ToLower(k)] = multi(vs)
	}
	ev := *fw.ev
	ev.Response = resp
	out, err := fw.s.runFunction(fw.f, fw.d.src.AccountID, &ev)
	if err == nil && out.Response == nil {
		err = &edgefunc.RunError{Kind: edgefunc.ErrValidation, Message: "a viewer-response function must return the response"}
	}
	if err != nil {
		fw.failed = true
		for k := range h {
			delete(h, k)
		}
		fw.s.functionFailed(fw.ResponseWriter, fw.r, fw.d, fw.pr, err)
		return
	}
	for k := range h {
		if k != "X-Cache" && k != "X-Amz-Cf-Id" && k != "Via" {
			delete(h, k)
		}
	}
	setResponseHeaders(h, out.Response)
	fw.ResponseWriter.WriteHeader(out.Response.StatusCode)
}

func (fw *responseFunctionWriter) Write(p []byte) (int, error) {
	if !fw.wrote {
		fw.WriteHeader(http.StatusOK)
	}
	if fw.failed {
		return len(p), nil
	}
	return fw.ResponseWriter.Write(p)
}

// ReadFrom keeps the underlying writer's zero-copy path.
func (fw *responseFunctionWriter) ReadFrom(src io.Reader) (int64, error) {
	if !fw.wrote {
		fw.WriteHeader(http.StatusOK)
	}
	if fw.failed {
		return io.Copy(io.Discard, src)
	}
	if rf, ok := fw.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(fw.ResponseWriter, src)
}

func (fw *responseFunctionWriter) Flush() {
	if f, ok := fw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (fw *responseFunctionWriter) Unwrap() http.ResponseWriter { return fw.ResponseWriter }
