package edge

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Response headers policies (API 2020-05-31). A behaviour may name a
// ResponseHeadersPolicyId, which the control plane resolves into
// CacheBehavior.ResponseHeadersPolicy; the edge compiles it with the
// behaviour (respPolicy) and applies it as it writes each response, so
// that nothing of it is kept with a cached object: a policy that changes
// changes the next response of an object cached before, as CloudFront's
// does ("CloudFront modifies the headers in the responses that it serves
// from the cache and the ones that it forwards from the origin";
// developer guide, "Add or remove HTTP headers in CloudFront responses
// with a policy").
//
// What the guide says, and the edge does ("Understand response headers
// policies"):
//
//   - order: "CloudFront removes the headers first and then adds any
//     headers that are specified in other sections of the response
//     headers policy", so a header both removed and added is the
//     policy's. Removing Server makes CloudFront add its own ("the
//     header's value is CloudFront"); removing Date makes it add its own,
//     which net/http does;
//   - Override (OriginOverride for CORS): true, the policy's value
//     replaces the origin's; false, the origin's stays and the policy's
//     is added only when the origin's response lacks the header;
//   - the headers CloudFront keeps ("Headers that you can't remove") are
//     neither removed nor added (cloudfront.ResponseHeaderCloudFrontKeeps):
//     the control plane refuses such a policy, and one stored from before
//     loses just those names here;
//   - the security headers' values: X-XSS-Protection "0", "1",
//     "1; mode=block" or "1; report=<uri>"; X-Frame-Options DENY or
//     SAMEORIGIN; Referrer-Policy and Content-Security-Policy as given;
//     X-Content-Type-Options "nosniff"; Strict-Transport-Security
//     "max-age=N" with "; includeSubDomains" and "; preload";
//   - custom headers as given, an empty value included ("CloudFront can
//     add a response header with no value");
//   - CORS and Server-Timing: corsPolicy and timingPolicy below.
//
// Which responses: every response the behaviour serves from the cache or
// from its origin (Remove headers: "from every response it sends to
// viewers", served "from CloudFront's cache or from the origin"; Custom
// headers: "to every response that it returns to viewers"): hits,
// misses, refreshes, uncached requests, the origin's errors, and the
// distribution's custom error page served for one of them (with the
// policy of the viewer's behaviour, not the page's). HEAD responses and
// 304s get them too (a 304 carries the object's other headers already;
// writeObject).
//
// Not the responses the edge makes itself, before or instead of an
// origin's answer: its 403s (geo restriction, a method the behaviour does
// not allow, an HTTP request to an https-only behaviour, a refused signed
// URL), the redirect to HTTPS, the 400/414/421 of a request it cannot
// route, its 502/504 when the origin cannot be reached, and a custom
// error page that stands for one of these. The guide names only the two
// sources above; whether CloudFront adds a policy's headers to the
// responses it generates is unconfirmed (it documents nothing either
// way), so the edge keeps to what is documented.
//
// Everything that does not depend on the request is computed here, as
// the behaviour is compiled: the values are ready-made []string, so a hit
// of a behaviour with a policy adds map writes and no allocation (but for
// a sampled Server-Timing value). A behaviour without one pays one nil
// check (request.rhp).

// respPolicy is a behaviour's response headers policy, compiled.
type respPolicy struct {
	// remove are RemoveHeaders, canonical, without those CloudFront keeps.
	remove []string
	// removesServer: Server is among them, so CloudFront's own is added
	// when the policy adds none.
	removesServer bool
	// add are the security and custom headers, each name once (a custom
	// header that names a security header replaces it).
	add  []addedHeader
	cors *corsPolicy   // nil: no CorsConfig
	st   *timingPolicy // nil: no Server-Timing
}

// addedHeader is one header a policy adds.
type addedHeader struct {
	key      string   // canonical
	value    []string // shared by every response: never written to
	override bool
}

// set adds the header to h, unless the origin's response has it and the
// policy does not override it.
func (a *addedHeader) set(h http.Header) {
	if !a.override {
		if _, ok := h[a.key]; ok {
			return
		}
	}
	h[a.key] = a.value
}

// compileResponseHeadersPolicy compiles b's response headers policy; nil
// leaves b without one, as does a policy that changes nothing.
func compileResponseHeadersPolicy(c *cloudfront.ResponseHeadersPolicyConfig) *respPolicy {
	if c == nil {
		return nil
	}
	p := &respPolicy{}
	for _, n := range c.RemoveHeaders {
		if n == "" || cloudfront.ResponseHeaderCloudFrontKeeps(n) {
			continue
		}
		k := http.CanonicalHeaderKey(n)
		if !contains(p.remove, k) {
			p.remove = append(p.remove, k)
		}
		p.removesServer = p.removesServer || k == "Server"
	}
	add := func(name, value string, override bool) {
		if name == "" || cloudfront.ResponseHeaderCloudFrontKeeps(name) {
			return
		}
		a := addedHeader{key: http.CanonicalHeaderKey(name), value: []string{value}, override: override}
		for i := range p.add {
			if p.add[i].key == a.key {
				p.add[i] = a
				return
			}
		}
		p.add = append(p.add, a)
	}
	if s := c.SecurityHeaders; s != nil {
		if x := s.XSSProtection; x != nil {
			add("X-XSS-Protection", xssProtectionValue(x), x.Override)
		}
		if f := s.FrameOptions; f != nil {
			add("X-Frame-Options", f.FrameOption, f.Override)
		}
		if r := s.ReferrerPolicy; r != nil {
			add("Referrer-Policy", r.Policy, r.Override)
		}
		if csp := s.ContentSecurityPolicy; csp != nil {
			add("Content-Security-Policy", csp.Policy, csp.Override)
		}
		if t := s.ContentTypeOptions; t != nil {
			add("X-Content-Type-Options", "nosniff", t.Override)
		}
		if t := s.StrictTransportSecurity; t != nil {
			add("Strict-Transport-Security", hstsValue(t), t.Override)
		}
	}
	for _, ch := range c.CustomHeaders {
		add(ch.Header, ch.Value, ch.Override)
	}
	p.cors = compileCORS(c.CORS)
	p.st = compileServerTiming(c.ServerTiming)
	if len(p.remove) == 0 && len(p.add) == 0 && p.cors == nil && p.st == nil {
		return nil
	}
	return p
}

// xssProtectionValue is X-XSS-Protection's value: "0" (filtering off),
// "1", "1; mode=block" or "1; report=<uri>" (the control plane refuses
// both directives together; block would win).
func xssProtectionValue(x *cloudfront.XSSProtection) string {
	switch {
	case !x.Protection:
		return "0"
	case x.ModeBlock:
		return "1; mode=block"
	case x.ReportURI != "":
		return "1; report=" + x.ReportURI
	}
	return "1"
}

// hstsValue is Strict-Transport-Security's value.
func hstsValue(t *cloudfront.StrictTransportSecurity) string {
	v := "max-age=" + strconv.Itoa(t.MaxAgeSec)
	if t.IncludeSubdomains {
		v += "; includeSubDomains"
	}
	if t.Preload {
		v += "; preload"
	}
	return v
}

// serverCloudFront is the Server CloudFront adds in place of a removed one.
var serverCloudFront = []string{"CloudFront"}

// apply changes h, a response's header holding the origin's (or the
// cached object's) headers, as the policy says, for viewer request r
// answered with res. It runs before the edge adds its own headers
// (X-Cache, X-Amz-Cf-Id, Age), which a policy can neither remove nor add.
func (p *respPolicy) apply(s *Server, h http.Header, r *http.Request, q *request, res result) {
	for _, k := range p.remove {
		delete(h, k)
	}
	if p.cors != nil {
		p.cors.apply(h, r)
	}
	for i := range p.add {
		p.add[i].set(h)
	}
	if p.removesServer {
		if _, ok := h["Server"]; !ok {
			h["Server"] = serverCloudFront
		}
	}
	if p.st != nil && p.st.sampled(r) {
		s.addServerTiming(h, q, res)
	}
}

// CORS ("CORS headers"). CloudFront adds a CorsConfig's headers to the
// responses to CORS requests: those with an Origin header that
// AccessControlAllowOrigins allows ("*", the origin itself, or a
// "https://*.example.com" pattern); the others get none of them, and keep
// the origin's. To every such response:
//
//   - Access-Control-Allow-Origin: "*" when the policy allows any origin
//     and not credentials, else the request's origin;
//   - Access-Control-Allow-Credentials: true, when the policy says so;
//   - Access-Control-Expose-Headers, when the policy lists any.
//
// To a preflight request (OPTIONS with Access-Control-Request-Method)
// also Access-Control-Allow-Methods (ALL is every method the setting
// takes: GET, DELETE, HEAD, OPTIONS, PATCH, POST, PUT), -Allow-Headers
// and -Max-Age, each when the policy has one (SimpleCORS lists no
// methods nor headers, so its preflights get Allow-Origin alone).
// OriginOverride decides, header by header, between the origin's and the
// policy's, as Override does for the others.
//
// CloudFront decorates the answer to a preflight; it does not answer one
// itself: the guide speaks only of adding the headers to responses (the
// managed CORS-With-Preflight: "For preflight requests (using the HTTP
// OPTIONS method), CloudFront adds all three of the following headers to
// the response", and uses the origin's when it sent them). So a preflight
// reaches the origin, or the cache, like any OPTIONS request: the
// behaviour must allow OPTIONS (AllowedMethods GET, HEAD, OPTIONS or
// all), else the edge refuses it with its 403, which is the edge's own
// response and gets no CORS headers.
//
// Vary: CloudFront's guide says nothing of adding Vary: Origin, so the
// edge adds none (and keeps only Vary: Accept-Encoding of the origin's;
// respond.go). The edge's own cache is not affected: the headers are
// worked out for each request and never stored. A browser's or a shared
// cache downstream may however reuse an answer made for one Origin (or
// for none) for another; CORS then fails closed (the browser refuses
// the mismatched Access-Control-Allow-Origin), it does not leak. A site
// that needs those caches to tell them apart adds Vary: Origin as a
// custom header.
type corsPolicy struct {
	anyOrigin bool     // AccessControlAllowOrigins has "*"
	origins   []string // the others, lower case: exact, or "*." patterns
	// star: Access-Control-Allow-Origin is "*" (any origin, and no
	// credentials); otherwise the request's origin.
	star     bool
	override bool
	// The other headers, nil when the policy has none of them.
	credentials, expose           []string
	methods, allowHeaders, maxAge []string
}

// The CORS headers, canonical.
const (
	hACAO = "Access-Control-Allow-Origin"
	hACAC = "Access-Control-Allow-Credentials"
	hACEH = "Access-Control-Expose-Headers"
	hACAM = "Access-Control-Allow-Methods"
	hACAH = "Access-Control-Allow-Headers"
	hACMA = "Access-Control-Max-Age"
)

var (
	corsStar = []string{"*"}
	corsTrue = []string{"true"}
	// corsAllMethods is ALL: the methods AccessControlAllowMethods takes,
	// in the guide's order ("Valid values are GET, DELETE, HEAD, OPTIONS,
	// PATCH, POST, PUT, and ALL. ALL is a special value that includes all
	// of the listed HTTP methods").
	corsAllMethods = []string{"GET", "DELETE", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
)

func compileCORS(c *cloudfront.CORSConfig) *corsPolicy {
	if c == nil || len(c.AllowOrigins) == 0 {
		return nil
	}
	p := &corsPolicy{override: c.OriginOverride}
	for _, o := range c.AllowOrigins {
		if o == cloudfront.CORSWildcard {
			p.anyOrigin = true
			continue
		}
		p.origins = append(p.origins, strings.ToLower(o))
	}
	p.star = p.anyOrigin && !c.AllowCredentials
	if c.AllowCredentials {
		p.credentials = corsTrue
	}
	p.expose = corsList(c.ExposeHeaders)
	methods := c.AllowMethods
	if contains(methods, cloudfront.CORSAllowMethodAll) {
		methods = corsAllMethods
	}
	p.methods = corsList(methods)
	p.allowHeaders = corsList(c.AllowHeaders)
	if c.MaxAgeSec != nil {
		p.maxAge = []string{strconv.Itoa(*c.MaxAgeSec)}
	}
	return p
}

// corsList is a list header's value: its items joined by commas, as
// CloudFront's own Server-Timing is written (whether its CORS lists have
// a space after the comma is unconfirmed; both are the same list to
// HTTP); "*" stays "*"; nil for none.
func corsList(items []string) []string {
	if len(items) == 0 {
		return nil
	}
	if contains(items, cloudfront.CORSWildcard) {
		return corsStar
	}
	return []string{strings.Join(items, ",")}
}

// apply adds the CORS headers to the answer to r, when r is a CORS
// request the policy allows.
func (p *corsPolicy) apply(h http.Header, r *http.Request) {
	origin := r.Header["Origin"]
	if len(origin) != 1 || !p.allows(origin[0]) {
		return
	}
	acao := origin // the request's own slice: no copy, never written
	if p.star {
		acao = corsStar
	}
	p.set(h, hACAO, acao)
	p.set(h, hACAC, p.credentials)
	p.set(h, hACEH, p.expose)
	if r.Method == http.MethodOptions && len(r.Header["Access-Control-Request-Method"]) > 0 {
		p.set(h, hACAM, p.methods)
		p.set(h, hACAH, p.allowHeaders)
		p.set(h, hACMA, p.maxAge)
	}
}

func (p *corsPolicy) set(h http.Header, k string, v []string) {
	if v == nil {
		return
	}
	if !p.override {
		if _, ok := h[k]; ok {
			return
		}
	}
	h[k] = v
}

// allows reports whether the policy allows a request from origin (the
// Origin header: scheme "://" host [":" port], or "null"). Origins
// compare without case. A pattern "https://*.example.com" allows any
// origin of that scheme and port whose host ends in ".example.com", at
// any depth (the guide allows "*" as the leftmost part of the domain;
// whether it spans one label or more is unconfirmed: more, as CloudFront's
// wildcard aliases do). A listed origin without a scheme ("example.com",
// which the control plane takes) allows that host and port under any
// scheme (unconfirmed).
func (p *corsPolicy) allows(origin string) bool {
	if p.anyOrigin {
		return true
	}
	for _, o := range p.origins {
		if originMatches(o, origin) {
			return true
		}
	}
	return false
}

func originMatches(pattern, origin string) bool {
	if !strings.Contains(pattern, "://") {
		i := strings.Index(origin, "://")
		if i < 0 {
			return false
		}
		origin = origin[i+3:]
	}
	star := strings.Index(pattern, "*.")
	if star < 0 {
		return strings.EqualFold(pattern, origin)
	}
	prefix, suffix := pattern[:star], pattern[star+1:] // suffix begins with '.'
	if len(origin) <= len(prefix)+len(suffix) ||
		!strings.EqualFold(origin[:len(prefix)], prefix) ||
		!strings.EqualFold(origin[len(origin)-len(suffix):], suffix) {
		return false
	}
	// What "*" stands for: one or more labels, no port, path or userinfo.
	mid := origin[len(prefix) : len(origin)-len(suffix)]
	return !strings.ContainsAny(mid, ":/@[]") && mid[0] != '.' && mid[len(mid)-1] != '.' && !strings.Contains(mid, "..")
}

// Server-Timing ("Server-Timing header"). When the policy enables it,
// CloudFront adds the header to the share of responses SamplingRate says
// (a percentage; absent, 0), and to every response to a request with
// "Pragma: server-timing", whatever the rate. Its value is CloudFront's
// metrics: the edge gives those it knows, in the guide's examples' order:
//
//   - cdn-upstream-layer;desc="EDGE": the edge itself asked the origin
//     (it has no regional cache nor Origin Shield above it); with the
//     three below, on a response that involved an origin request;
//   - cdn-upstream-dns;dur=N: milliseconds spent resolving the origin's
//     name; 0 when a cached address or an open connection was used;
//   - cdn-upstream-connect;dur=N: from the end of the lookup to the
//     connection (and TLS) being ready; 0 on a reused connection;
//   - cdn-upstream-fbl;dur=N: from the request written to the origin's
//     first response byte (its last attempt's, after retries);
//   - cdn-cache-hit, cdn-cache-refresh (revalidated with a 304) or
//     cdn-cache-miss;
//   - cdn-pop;desc="<x-edge-location>" (Options.Location, or "openfront");
//   - cdn-rid;desc="<X-Amz-Cf-Id>";
//   - cdn-hit-layer;desc="EDGE" on a hit: the edge's cache served it;
//   - cdn-downstream-fbl;dur=N: from the edge having the request to its
//     response's headers (as the guide's "first byte").
//
// The upstream timings are the fetch's the viewer's answer came from: a
// viewer that joined another's fetch gets that fetch's. On a miss the
// origin's own Server-Timing is kept after the edge's metrics, as one
// header; on a hit the header has the edge's alone ("the value from the
// origin is not included"). A response not sampled keeps the origin's
// header as it is.
type timingPolicy struct {
	always    bool   // SamplingRate 100
	threshold uint64 // sampled when a random uint64 is below it
}

func compileServerTiming(c *cloudfront.ServerTimingConfig) *timingPolicy {
	if c == nil || !c.Enabled {
		return nil
	}
	p := &timingPolicy{}
	rate := 0.0
	if c.SamplingRate != nil {
		rate = *c.SamplingRate
	}
	switch {
	case rate >= 100:
		p.always = true
	case rate > 0:
		p.threshold = uint64(rate / 100 * math.MaxUint64)
	}
	return p
}

// sampled reports whether the response to r gets the header.
func (p *timingPolicy) sampled(r *http.Request) bool {
	if p.always || p.threshold > 0 && rand.Uint64() < p.threshold {
		return true
	}
	for _, v := range r.Header["Pragma"] {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "server-timing") {
				return true
			}
		}
	}
	return false
}

// timingPop is the cdn-pop metric of an edge at location loc, quoted as
// a quoted-string may hold it.
func timingPop(loc string) string {
	if loc == "" {
		loc = "openfront"
	}
	var b strings.Builder
	b.WriteString(`cdn-pop;desc="`)
	for i := 0; i < len(loc); i++ {
		if c := loc[i]; c >= ' ' && c < 0x7f && c != '"' && c != '\\' {
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// timingValue holds one response's Server-Timing value in a single
// allocation of 320 bytes (a size class): the string points into buf,
// which is written once. A hit's value takes about 170 bytes, a miss's
// about 270 before the origin's own metrics; a longer one is copied out.
type timingValue struct {
	v   [1]string
	buf [304]byte
}

// addServerTiming sets h's Server-Timing for q, answered with res.
func (s *Server) addServerTiming(h http.Header, q *request, res result) {
	tv := new(timingValue)
	b := tv.buf[:0]
	cache := "cdn-cache-miss"
	switch {
	case res == resultHit, res == resultError && q.upstream == nil && !q.uncached:
		cache = "cdn-cache-hit"
	case res == resultRefreshHit:
		cache = "cdn-cache-refresh"
	}
	if u := q.upstream; u != nil && cache != "cdn-cache-hit" {
		dns, conn, fbl := u.durations()
		b = append(b, `cdn-upstream-layer;desc="EDGE",cdn-upstream-dns;dur=`...)
		b = strconv.AppendInt(b, dns, 10)
		b = append(b, ",cdn-upstream-connect;dur="...)
		b = strconv.AppendInt(b, conn, 10)
		b = append(b, ",cdn-upstream-fbl;dur="...)
		b = strconv.AppendInt(b, fbl, 10)
		b = append(b, ',')
	}
	b = append(b, cache...)
	b = append(b, ',')
	b = append(b, s.timingPop...)
	b = append(b, `,cdn-rid;desc="`...)
	b = append(b, q.pr.reqID()...)
	b = append(b, '"')
	if cache == "cdn-cache-hit" {
		b = append(b, `,cdn-hit-layer;desc="EDGE"`...)
	}
	b = append(b, ",cdn-downstream-fbl;dur="...)
	b = strconv.AppendInt(b, max(s.now().Sub(q.now).Milliseconds(), 0), 10)
	if cache != "cdn-cache-hit" {
		// The origin's own metrics, after the edge's.
		for _, v := range h["Server-Timing"] {
			if v = strings.TrimSpace(v); v != "" {
				b = append(b, ',')
				b = append(b, v...)
			}
		}
	}
	if len(b) > 0 && &b[0] == &tv.buf[0] {
		tv.v[0] = unsafe.String(&tv.buf[0], len(b))
	} else {
		tv.v[0] = string(b) // longer than the buffer (the origin's metrics)
	}
	h["Server-Timing"] = tv.v[:]
}

// upstreamTiming records the phases of an origin request, for
// Server-Timing. Its hooks may run on the transport's dialling goroutine
// while the fetch reads it, hence the lock.
type upstreamTiming struct {
	mu                   sync.Mutex
	dnsStart, dnsDone    time.Time
	connStart, connReady time.Time
	wrote, firstByte     time.Time
	reused               bool
}

// trace returns ctx with hooks that record u. The real clock measures
// the network, whatever the edge's Options.Now.
func (u *upstreamTiming) trace(ctx context.Context) context.Context {
	mark := func(t *time.Time) {
		now := time.Now()
		u.mu.Lock()
		*t = now
		u.mu.Unlock()
	}
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { mark(&u.dnsStart) },
		DNSDone:  func(httptrace.DNSDoneInfo) { mark(&u.dnsDone) },
		ConnectStart: func(string, string) {
			u.mu.Lock()
			if u.connStart.IsZero() {
				u.connStart = time.Now()
			}
			u.mu.Unlock()
		},
		GotConn: func(info httptrace.GotConnInfo) {
			now := time.Now()
			u.mu.Lock()
			u.connReady, u.reused = now, info.Reused
			u.mu.Unlock()
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { mark(&u.wrote) },
		GotFirstResponseByte: func() { mark(&u.firstByte) },
	})
}

// durations are the lookup's, the connection's and the first byte's
// milliseconds; 0 for a phase that did not happen (a reused connection).
func (u *upstreamTiming) durations() (dns, conn, fbl int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	ms := func(from, to time.Time) int64 {
		if from.IsZero() || to.IsZero() || to.Before(from) {
			return 0
		}
		return to.Sub(from).Milliseconds()
	}
	if !u.reused {
		dns = ms(u.dnsStart, u.dnsDone)
		from := u.dnsDone
		if from.IsZero() {
			from = u.connStart
		}
		conn = ms(from, u.connReady)
	}
	return dns, conn, ms(u.wrote, u.firstByte)
}

// timed returns ctx traced for Server-Timing when q's behaviour has it,
// and the timing it records (nil otherwise).
func timed(ctx context.Context, q *request) (context.Context, *upstreamTiming) {
	if q.rhp == nil || q.rhp.st == nil {
		return ctx, nil
	}
	u := new(upstreamTiming)
	return u.trace(ctx), u
}
