package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"

	"github.com/quic-go/quic-go/http3"

	"github.com/openfront/openfront/internal/edge"
)

// serveHTTP3 listens on the UDP address now and serves HTTP/3 to the
// distributions that offer it until the group ends. quic-go is the QUIC
// and HTTP/3 implementation Caddy and most Go servers use; Go's standard
// library has none.
func serveHTTP3(g *group, addr string, srv *edge.Server, base *tls.Config) error {
	conn, err := net.ListenPacket("udp", addr)
	if err != nil {
		return fmt.Errorf("edge-h3: %w", err)
	}
	g.mu.Lock()
	g.addrs["edge-h3"] = conn.LocalAddr()
	g.mu.Unlock()
	h3 := &http3.Server{
		Handler:        srv,
		TLSConfig:      srv.HTTP3Config(base, conn.LocalAddr().(*net.UDPAddr).Port),
		MaxHeaderBytes: 32 << 10, // as the TCP listeners
	}
	// Like the TCP listeners, it counts in g.stopped(): logs are delivered
	// after its last request.
	g.srvWG.Add(1)
	g.go_(func(ctx context.Context) error {
		defer g.srvWG.Done()
		done := make(chan error, 1)
		go func() { done <- h3.Serve(conn) }()
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer cancel()
			h3.Shutdown(sctx)
			h3.Close()
			<-done
			return nil
		case err := <-done:
			return fmt.Errorf("edge-h3: %w", err)
		}
	})
	return nil
}
