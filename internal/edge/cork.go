package edge

import (
	"context"
	"net"
	"net/http"
)

// corkMin is the smallest body that serveEntry sends corked: one
// loopback segment. Below it a response is one or two small writes, and
// the two setsockopt calls would cost more than they save.
const corkMin = 64 << 10

// connKey is the request context key of the viewer's connection.
type connKey struct{}

// ConnContext keeps each viewer connection in its requests' context, so
// that a large response can be corked (cork). Set it as the edge
// listeners' http.Server.ConnContext.
func (s *Server) ConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// cork sets TCP_CORK on r's connection until uncork: net/http sends a
// large body as two writes (its 4 KiB buffer with the header, then the
// rest), and the first one's small segment, sent alone, wakes the viewer
// for 4 KiB. Under wrk on loopback the viewer's receive window then
// stayed small (1.2 MB on average, against 4.9 MB with Varnish;
// bench/README.md, "The 1 MiB hit"), so most of each body went out from
// the viewer's own ACK processing, on its CPU. Corked, the response leaves as full segments, as Varnish's
// one writev does, and the window grows. HTTP/2 multiplexes streams on
// the connection and keeps Go's framing; nil means not corked.
func cork(r *http.Request) *net.TCPConn {
	if r.ProtoMajor != 1 {
		return nil
	}
	c, _ := r.Context().Value(connKey{}).(net.Conn)
	// TLS, and a connection leanhttp handed to net/http, wrap it.
	if nc, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = nc.NetConn()
	}
	t, ok := c.(*net.TCPConn)
	if !ok || !setCork(t, true) {
		return nil
	}
	return t
}

// uncork sends what the cork held. What net/http still buffers goes out
// when the handler returns, uncorked.
func uncork(t *net.TCPConn) {
	if t != nil {
		setCork(t, false)
	}
}
