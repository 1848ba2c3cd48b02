package edge

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/urlpath"
)

// defaultOriginKeepalive is CloudFront's default OriginKeepaliveTimeout:
// how long an idle connection to a custom origin is kept for reuse. Far
// below the 60-75 s most servers keep idle connections, so the edge closes
// them before the origin does and seldom writes on a dead one.
const defaultOriginKeepalive = cloudfront.DefaultOriginKeepaliveTimeout * time.Second

// connSettings are what an origin's connections are made with. Origins
// with equal settings share one transport and so one connection pool; an
// origin with other settings gets a pool of its own, so that a connection
// made under one tenant's TLS versions or timeouts never carries a request
// of a tenant that asked for others. Its values are bounded by validation
// (10 connect timeouts x 120 read x 120 keepalive x a few TLS ranges), and
// only the combinations some origin uses exist.
type connSettings struct {
	connect, read, keepalive time.Duration // 0: the operator's default
	minTLS, maxTLS           uint16        // 0: TLS 1.0 to 1.3
}

// customHeader is one of an origin's CustomHeaders, ready to set.
type customHeader struct {
	name  string // canonical
	value []string
}

// compileOriginSettings adds the 2020-05-31 members of o to g: OriginPath,
// CustomHeaders, ConnectionAttempts, the timeouts, https-only and the TLS
// versions.
func compileOriginSettings(g *origin, o *cloudfront.Origin) error {
	if o.OriginPath != "" {
		// Canonical like the request path it prefixes, so the two together
		// cannot climb out of the prefix.
		p, err := urlpath.Canonical(o.OriginPath)
		if err != nil {
			return fmt.Errorf("origin %q: OriginPath: %w", o.ID, err)
		}
		g.pathPrefix = strings.TrimSuffix(p, "/")
	}
	for _, h := range o.CustomHeaders {
		g.headers = append(g.headers, customHeader{http.CanonicalHeaderKey(h.Name), []string{h.Value}})
	}
	if o.ConnectionAttempts != nil {
		g.connectionAttempts = min(max(*o.ConnectionAttempts, 1), DefaultConnectionAttempts)
	}
	if o.ConnectionTimeout != nil {
		g.conn.connect = time.Duration(*o.ConnectionTimeout) * time.Second
	}
	g.conn.keepalive = defaultOriginKeepalive
	g.conn.minTLS, g.conn.maxTLS, _ = tlsRange(nil)
	if o.S3 != nil && o.S3.OriginReadTimeout != nil {
		g.conn.read = time.Duration(*o.S3.OriginReadTimeout) * time.Second
	}
	c := o.Custom
	if c == nil || o.S3 != nil {
		return nil
	}
	g.httpsOnly = c.OriginProtocolPolicy == cloudfront.OriginHTTPSOnly
	if c.OriginReadTimeout != nil {
		g.conn.read = time.Duration(*c.OriginReadTimeout) * time.Second
	}
	if c.OriginKeepaliveTimeout != nil {
		g.conn.keepalive = time.Duration(*c.OriginKeepaliveTimeout) * time.Second
	}
	g.conn.minTLS, g.conn.maxTLS, g.noTLS = tlsRange(c.OriginSSLProtocols)
	return nil
}

// tlsRange turns OriginSslProtocols into the TLS versions the edge may
// negotiate with the origin. nil is CloudFront's default, TLSv1 to
// TLSv1.2. Go's crypto/tls speaks no SSLv3, so SSLv3 is left out and a
// list of SSLv3 alone leaves nothing (none=true: HTTPS to that origin
// fails). Go takes a range, not a set: TLSv1 with TLSv1.2 also allows
// TLSv1.1. TLSv1.2 admits TLS 1.3 too, as CloudFront negotiates TLS 1.3
// with origins that offer it.
func tlsRange(protocols []string) (lo, hi uint16, none bool) {
	if protocols == nil {
		protocols = cloudfront.DefaultOriginSSLProtocols
	}
	for _, p := range protocols {
		var v uint16
		switch p {
		case "TLSv1":
			v = tls.VersionTLS10
		case "TLSv1.1":
			v = tls.VersionTLS11
		case "TLSv1.2":
			v = tls.VersionTLS13
		default: // SSLv3
			continue
		}
		lo2 := v
		if v == tls.VersionTLS13 {
			lo2 = tls.VersionTLS12
		}
		if lo == 0 || lo2 < lo {
			lo = lo2
		}
		hi = max(hi, v)
	}
	return lo, hi, lo == 0
}

// effective fills the operator's defaults into k.
func (k connSettings) effective(o OriginTimeouts) connSettings {
	if k.connect == 0 {
		k.connect = o.ConnectTimeout
	}
	if k.read == 0 {
		k.read = o.ResponseTimeout
	}
	return k
}

// bindTransports gives every origin of f, a form being built, its
// transport and its effective read timeout, creating the transports new
// settings need. The caller holds transportsMu, and publishes f after.
func (s *Server) bindTransports(f *form) {
	for _, g := range f.origins {
		k := g.conn.effective(s.opts.OriginTimeouts)
		g.readTimeout = k.read
		if g.s3 && s.s3.endpoint != nil {
			g.transport = s.s3Transport
			continue
		}
		if k == s.defaultConn {
			g.transport = s.transport
			continue
		}
		t := s.transports[k]
		if t == nil {
			t = newTransport(s.opts, s.opts.Origins, k)
			s.transports[k] = t
		}
		g.transport = t
	}
}

// dropTransports closes the idle connections of the transports that no
// origin of c, the published snapshot, uses any more, and forgets them.
// Requests still running on one finish normally. Only the forms c dropped
// (gone) can have held the last user of one, so c is walked only when one
// of them had settings of its own.
func (s *Server) dropTransports(c *compiled, gone []*dist) {
	s.transportsMu.Lock()
	defer s.transportsMu.Unlock()
	own := false
	for _, d := range gone {
		if d.form == nil {
			continue // never built: it bound nothing
		}
		for _, g := range d.origins {
			own = own || g.transport != nil && g.transport != s.transport && g.transport != s.s3Transport
		}
	}
	if !own {
		return
	}
	used := map[connSettings]bool{}
	for _, d := range c.byID.all() {
		if d.form == nil {
			continue // building it will bind again what it needs
		}
		for _, g := range d.origins {
			if k := g.conn.effective(s.opts.OriginTimeouts); k != s.defaultConn && !(g.s3 && s.s3.endpoint != nil) {
				used[k] = true
			}
		}
	}
	for k, t := range s.transports {
		if !used[k] {
			t.CloseIdleConnections()
			delete(s.transports, k)
		}
	}
}

// closeTransports closes every per-settings transport's idle connections.
func (s *Server) closeTransports() {
	s.transportsMu.Lock()
	defer s.transportsMu.Unlock()
	for _, t := range s.transports {
		t.CloseIdleConnections()
	}
}

// setCustomHeaders adds g's CustomHeaders to h, replacing a viewer header
// of the same name, as CloudFront does (developer guide, "Add custom
// headers to origin requests": if a header is already present, CloudFront
// overwrites its value before forwarding the request to the origin).
func (g *origin) setCustomHeaders(h http.Header) {
	for _, c := range g.headers {
		h[c.name] = c.value
	}
}

// readTimeout is how long the edge waits on g between body reads.
func (s *Server) readTimeout(g *origin) time.Duration {
	if g.readTimeout > 0 {
		return g.readTimeout
	}
	return s.opts.OriginTimeouts.ResponseTimeout
}
