package edge

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/openfront/openfront/internal/originaddr"
)

// errForbiddenOrigin is returned when Options.Origins refuses an address.
var errForbiddenOrigin = errors.New("edge: origin address refused by the origin address policy")

// errNoTLSVersion is returned for HTTPS to an origin whose
// OriginSslProtocols names SSLv3 alone, which Go's TLS cannot speak.
var errNoTLSVersion = errors.New("edge: the origin's OriginSslProtocols has no TLS version (SSLv3 is not supported)")

// newTransport returns the transport to origins. With a policy, every
// connection is checked on the address actually dialled, so a name that
// resolves (or re-resolves) to a refused address is refused too. Every
// dial goes through the connection-attempt budget of its request.
func newTransport(o Options, policy *originaddr.Policy, k connSettings) *http.Transport {
	d := &net.Dialer{Timeout: k.connect, KeepAlive: 30 * time.Second}
	if policy != nil {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !policy.Allow(ap.Addr()) {
				return errForbiddenOrigin
			}
			return nil
		}
	}
	t := &http.Transport{
		DialContext:           budgetedDial(d.DialContext),
		TLSHandshakeTimeout:   k.connect,
		ResponseHeaderTimeout: k.read,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       k.keepalive,
		// The edge forwards Accept-Encoding itself and caches the bytes the
		// origin sent; it must not decompress them.
		DisableCompression: true,
	}
	if o.OriginTLS != nil {
		t.TLSClientConfig = o.OriginTLS.Clone()
	}
	if k.minTLS != 0 {
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{}
		}
		t.TLSClientConfig.MinVersion, t.TLSClientConfig.MaxVersion = k.minTLS, k.maxTLS
	}
	return t
}

// transportFor is the transport to g: the operator's own S3 endpoint is
// trusted wherever it is; every tenant-named host goes through the policy.
func (s *Server) transportFor(g *origin) *http.Transport {
	if g.transport != nil {
		return g.transport // bound to its settings (bindTransports)
	}
	if g.s3 && s.s3.endpoint != nil {
		return s.s3Transport
	}
	return s.transport
}

// removedRequestHeaders are not passed to the origin (spec §3.4); Cookie,
// User-Agent, Accept-Encoding, Via, X-Forwarded-For and Connection are
// replaced.
var removedRequestHeaders = map[string]bool{
	"Accept": true, "Accept-Charset": true, "Accept-Language": true,
	"Referer": true, "Expect": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Proxy-Authenticate": true, "Te": true,
	"Trailer": true, "Upgrade": true, "X-Real-Ip": true,
	"X-Forwarded-Proto": true, "Authorization": true, "Cookie": true,
	"Connection": true, "Keep-Alive": true, "Host": true,
	"User-Agent": true, "Accept-Encoding": true, "Via": true,
	"X-Forwarded-For": true, "X-Amz-Cf-Id": true, "Transfer-Encoding": true,
	"Content-Length": true,
}

// routingHeaders change how origins and the frameworks on them route the
// request, build absolute URLs or pick the client's address. CloudFront
// forwards such "other-defined" headers unkeyed (developer guide, "HTTP
// request headers and CloudFront behavior"), which lets one viewer make
// the origin produce a variant, even an error cached for 5 minutes, that
// every viewer then gets. The edge drops them unless the behaviour
// forwards them into the cache key; it follows CloudFront in removing
// X-Real-IP and X-Forwarded-Proto and extends that to their kin.
var routingHeaders = map[string]bool{
	// Host and scheme overrides (X-Forwarded-* is matched by prefix).
	"Forwarded": true, "X-Host": true, "X-Http-Host-Override": true,
	"Front-End-Https": true, "X-Url-Scheme": true,
	// Path overrides (X-Original-* is matched by prefix).
	"X-Rewrite-Url": true,
	// Method overrides.
	"X-Http-Method-Override": true, "X-Http-Method": true, "X-Method-Override": true,
	// Client-address overrides: the edge's X-Forwarded-For is the only one.
	"True-Client-Ip": true, "X-Client-Ip": true, "X-Cluster-Client-Ip": true,
	"Client-Ip": true, "X-Originating-Ip": true, "X-Remote-Ip": true,
	"X-Remote-Addr": true, "Cf-Connecting-Ip": true, "Fastly-Client-Ip": true,
	// Framework-internal routing (Next.js middleware and route matching).
	"X-Middleware-Subrequest": true, "X-Now-Route-Matches": true,
}

// routingHeader reports whether the canonical header k is a routing
// header: listed, X-Forwarded-* (the edge sets X-Forwarded-For itself),
// X-Original-* (X-Original-URL, -Host, …), X-Edge-* (CloudFront removes
// them) or CloudFront-* (viewer country, device, protocol: CloudFront's to
// set, and origins vary on them).
func routingHeader(k string) bool {
	return routingHeaders[k] || strings.HasPrefix(k, "X-Forwarded-") ||
		strings.HasPrefix(k, "X-Original-") || strings.HasPrefix(k, "X-Edge-") ||
		strings.HasPrefix(k, "Cloudfront-")
}

// conditionalHeaders are the viewer's validators and range, which the
// edge answers from the cached object instead of forwarding on a cacheable
// fetch.
var conditionalHeaders = []string{
	"If-Modified-Since", "If-None-Match", "If-Match", "If-Range",
	"If-Unmodified-Since", "Range", "Request-Range",
}

// originRequest describes one fetch.
type originRequest struct {
	viewer   *http.Request
	b        *behavior
	g        *origin // b's origin, or its group's secondary after failover
	path     string  // canonical (urlpath), or the default root object
	query    string  // forwarded query, "" if none
	cookies  string  // forwarded Cookie value
	gzip     bool
	br       bool // ask for br only: the key's 'b' variant holds br or identity
	reqID    string
	via      []string
	passThru bool // forward the viewer's validators and Range
	// method is the origin request's method; "" is GET.
	method string
	// body is the viewer's body, for a method that is not cached.
	body *viewerBody
	// uncached: the answer goes to this viewer only, so the origin may
	// have the viewer's Authorization (CloudFront forwards it for
	// DELETE, PATCH, POST, PUT and uncached OPTIONS).
	uncached bool
	// Validators of a stale copy, for revalidation.
	etag, lastMod string
	// ranged: ask for bytes rangeFrom-rangeTo only (a part, parts.go).
	ranged             bool
	rangeFrom, rangeTo int64
}

// rangeLast is the last byte asked for, or -1 for the whole object.
func (o *originRequest) rangeLast() int64 {
	if !o.ranged {
		return -1
	}
	return o.rangeTo
}

// newOriginRequest builds the request to the behaviour's origin.
func (s *Server) newOriginRequest(ctx context.Context, o *originRequest) (*http.Request, error) {
	g := o.g
	https := g.httpsOnly || o.viewer.TLS != nil && (g.matchViewer || g.s3)
	if https && g.noTLS {
		return nil, errNoTLSVersion
	}
	path := o.path
	if g.pathPrefix != "" {
		path = g.pathPrefix + path
	}
	var target string
	if g.s3 {
		target = s.s3.url(g, path, https)
	} else if https {
		target = "https://" + g.httpsHost + path
	} else {
		target = "http://" + g.httpHost + path
	}
	query := o.query
	if g.s3 && o.b.orp != nil {
		query = o.b.s3OriginQuery(query)
	}
	if query != "" {
		target += "?" + query
	}
	method := o.method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, target, nil)
	if err != nil {
		return nil, err
	}
	if o.body != nil {
		req.Body = o.body
		req.ContentLength = o.viewer.ContentLength
		if req.ContentLength == 0 {
			req.ContentLength = -1 // chunked from the viewer: length unknown
		}
	}
	h := req.Header
	for k, v := range o.viewer.Header {
		if cloudFrontHeader(k) {
			continue // the edge's own to give (addGeneratedHeaders), never the viewer's
		}
		if o.b.forwardsHeader(k) && (!g.s3 || !amzHeader(k) || o.b.keysHeader(k)) {
			h[k] = v
		}
	}
	if o.uncached && (o.method != http.MethodGet && o.method != http.MethodHead || o.b.orp != nil && o.b.orp.authorization) {
		if v, ok := o.viewer.Header["Authorization"]; ok {
			h["Authorization"] = v
		}
	}
	if !o.passThru {
		for _, k := range conditionalHeaders {
			delete(h, k)
		}
	}
	if o.b.policy {
		policyRequestHeaders(h, o)
	}
	if o.b.keysGenerated || o.b.orp != nil && o.b.orp.generated != nil {
		s.addGeneratedHeaders(h, o)
	}
	switch {
	case g.s3:
		req.Host = s.s3.host(g, req.URL)
	case g.hostHeader != "":
		req.Host = g.hostHeader
	case o.b.forwardHost || o.b.orp != nil && o.b.orp.host:
		req.Host = o.viewer.Host
	case https:
		req.Host = g.httpsHost
	default:
		req.Host = g.httpHost
	}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = userAgent
	}
	h["Via"] = o.via
	h["X-Amz-Cf-Id"] = []string{o.reqID}
	h["Connection"] = keepAlive
	if _, forwarded := h["Accept-Encoding"]; !forwarded {
		// Compress's br variant asks for br only, so it never holds gzip
		// for a viewer that lacks it.
		if o.br {
			h["Accept-Encoding"] = brOnly
		} else if o.gzip {
			h["Accept-Encoding"] = gzipOnly
		}
	}
	if o.cookies != "" {
		h["Cookie"] = []string{o.cookies}
	}
	xff := clientIP(o.viewer.RemoteAddr)
	if prior := o.viewer.Header["X-Forwarded-For"]; len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + xff
	}
	h["X-Forwarded-For"] = []string{xff}
	if o.ranged {
		h["Range"] = []string{"bytes=" + strconv.FormatInt(o.rangeFrom, 10) + "-" + strconv.FormatInt(o.rangeTo, 10)}
	}
	if o.etag != "" {
		h["If-None-Match"] = []string{o.etag}
	}
	if o.lastMod != "" {
		h["If-Modified-Since"] = []string{o.lastMod}
	}
	if g.auth == authReplaced {
		delete(h, "Authorization") // OAC always: never the viewer's
	}
	g.setCustomHeaders(h)
	if g.s3 && g.signs(o.viewer) && (objectRead(method, path, query) || g.signsWrites && objectWrite(method, path, query, h)) {
		if err := s.s3.sign(ctx, req, g, time.Now()); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// signs reports whether g's request for viewer may be signed, its grant
// permitting (objectRead, objectWrite): g's principal is granted the
// bucket, and, under a no-override origin access control, the viewer
// sent no Authorization of its own. The signature then replaces any
// Authorization the request carries.
func (g *origin) signs(viewer *http.Request) bool {
	if !g.signed {
		return false
	}
	if g.auth == authNoOverride {
		_, own := viewer.Header["Authorization"]
		return !own
	}
	return true
}

// The edge signs S3 requests with the operator's key, which may do
// anything in every bucket, while a tenant's bucket grant lets its OAI
// (or, granted to its account, its origin access controls) read one
// bucket's objects, or read and write them (package buckets).
// So object reads are signed (objectRead), object writes only under a
// write grant (objectWrite); any other request goes out unsigned, and S3
// decides it as for a principal the bucket's policy does not name. And a
// viewer's x-amz-* headers do not reach S3 origins unless the behaviour
// keys them: they are S3's instructions (X-Amz-Copy-Source copies from
// another bucket, X-Amz-Security-Token or SSE-C headers turn a read into
// an error cached for every viewer), and a signature over them would lend
// the operator's key to the viewer.
func amzHeader(k string) bool {
	return len(k) >= 6 && strings.EqualFold(strings.ReplaceAll(k[:6], "_", "-"), "x-amz-")
}

// objectRead reports whether a read of an S3 origin is what a grant lets
// an OAI do, as the bucket policy CloudFront's guide gives (s3:GetObject):
// a GET or HEAD of one object. Not the bucket's own reads: path "/" is
// its listing (what CloudFront sends for a distribution without a
// DefaultRootObject, and S3 refuses an OAI that may only get objects),
// or with a query its policy, ACL, and so on. Nor an object's
// subresources that S3 grants with other permissions (readSubresources).
// A presigned URL's X-Amz-* parameters are the viewer's own S3
// authentication, which S3 refuses beside another one: it goes out as the
// viewer sent it. Other parameters S3 ignores on GetObject (a
// cache-busting ?v=2), so they stay signed.
func objectRead(method, path, query string) bool {
	if method != http.MethodGet && method != http.MethodHead {
		return false
	}
	if len(path) < 2 || path[0] != '/' {
		return false
	}
	for query != "" {
		var p string
		p, query, _ = strings.Cut(query, "&")
		name, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(name)
		if err != nil || amzHeader(name) {
			return false // X-Amz-Signature...: the viewer's own S3 authentication
		}
		for _, sub := range readSubresources {
			if strings.EqualFold(name, sub) {
				return false
			}
		}
	}
	return true
}

// readSubresources are the query parameters that make a GET of an object
// something other than s3:GetObject: its ACL, tags, attributes,
// retention and legal hold, a torrent, an older version
// (s3:GetObjectVersion), a multipart upload's parts; and the listings
// (versions, uploads) should a key reach S3 as a bucket.
var readSubresources = [...]string{
	"acl", "tagging", "attributes", "retention", "legal-hold", "torrent",
	"versionId", "uploadId", "versions", "uploads",
}

// objectWrite reports whether a write to an S3 origin is what a write
// grant lets an OAI do, as the bucket policy CloudFront's guide gives
// for uploads (s3:PutObject and s3:DeleteObject): a PUT, POST or DELETE
// of one object, a multipart upload's steps included. Not the bucket's
// own requests (its policy, ACL, CORS, deletion: path "/"), not other
// subresources (?acl, ?tagging, ?retention, ?restore, ...), and none
// whose x-amz-* headers, forwarded because a behaviour names them, ask
// for more (writeRefused).
func objectWrite(method, path, query string, h http.Header) bool {
	var allowed []string
	switch method {
	case http.MethodPut:
		allowed = putParams[:]
	case http.MethodPost:
		allowed = postParams[:]
	case http.MethodDelete:
		allowed = deleteParams[:]
	default:
		return false
	}
	if len(path) < 2 || path[0] != '/' {
		return false // the bucket itself
	}
	multipart := false
	for query != "" {
		var p string
		p, query, _ = strings.Cut(query, "&")
		if p == "" {
			continue
		}
		name, _, _ := strings.Cut(p, "=")
		if !slices.Contains(allowed, name) {
			return false
		}
		multipart = multipart || name == "uploads" || name == "uploadId"
	}
	if method == http.MethodPost && !multipart {
		return false // POST to an object is a multipart upload's, or not S3's
	}
	for k := range h {
		if !amzHeader(k) {
			continue
		}
		n := strings.ToLower(strings.ReplaceAll(k, "_", "-"))
		for _, refused := range writeRefused {
			if strings.HasPrefix(n, refused) {
				return false
			}
		}
	}
	return true
}

// writeRefused are the x-amz-* headers (names or prefixes, lower case)
// that keep a write unsigned: what S3 grants with permissions other than
// s3:PutObject (ACLs, grants, tags, object lock), a copy's source (it may
// lie in any bucket), and a KMS key named by id or context (an OAI
// cannot use KMS, and the id may be another tenant's key).
var writeRefused = [...]string{
	"x-amz-copy-source", "x-amz-acl", "x-amz-grant-", "x-amz-tagging",
	"x-amz-object-lock-", "x-amz-bypass-governance-retention",
	"x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-context",
}

// The query parameters of a signed write, by method: S3's multipart
// upload steps, and x-id, which the AWS SDKs add naming the operation.
var (
	putParams    = [...]string{"partNumber", "uploadId", "x-id"}
	postParams   = [...]string{"uploads", "uploadId", "x-id"}
	deleteParams = [...]string{"uploadId", "x-id"}
)

var (
	userAgent = []string{"Amazon CloudFront"}
	keepAlive = []string{"Keep-Alive"}
	gzipOnly  = []string{"gzip"}
	brOnly    = []string{"br"}
)

// clientIP is the host part of a RemoteAddr.
func clientIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}

// originErrorStatus maps a failed fetch to the viewer's status: 504 for a
// timeout, 502 for anything else.
func originErrorStatus(err error) int {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errIdleTimeout) || (errors.As(err, &ne) && ne.Timeout()) {
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}
