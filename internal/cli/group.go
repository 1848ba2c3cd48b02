package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/openfront/openfront/internal/leanhttp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// shutdownGrace is how long in-flight requests get after SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// group runs servers and loops until the context ends or one fails, then
// shuts them all down gracefully.
type group struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	srvWG  sync.WaitGroup // the HTTP servers, until Shutdown returned
	mu     sync.Mutex
	err    error
	addrs  map[string]net.Addr
}

func newGroup(parent context.Context) *group {
	ctx, cancel := context.WithCancel(parent)
	return &group{ctx: ctx, cancel: cancel, addrs: map[string]net.Addr{}}
}

func (g *group) fail(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
	g.cancel()
}

// go_ runs fn until the group's context ends; an error ends the group.
func (g *group) go_(fn func(ctx context.Context) error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(g.ctx); err != nil && !errors.Is(err, context.Canceled) {
			g.fail(err)
		}
	}()
}

// serve listens on addr now (so a bad address fails at once) and serves h
// until the group ends.
func (g *group) serve(name, addr string, h http.Handler, tlsCfg *tls.Config) error {
	return g.serveWith(name, addr, h, tlsCfg, false)
}

// serveLean is serve for a listener without TLS whose plain GET and HEAD
// requests go through leanhttp (the edge's viewers), the rest through
// net/http.
func (g *group) serveLean(name, addr string, h http.Handler) error {
	return g.serveWith(name, addr, h, nil, true)
}

func (g *group) serveWith(name, addr string, h http.Handler, tlsCfg *tls.Config, lean bool) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	g.mu.Lock()
	g.addrs[name] = ln.Addr()
	g.mu.Unlock()
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	srv := &http.Server{
		Handler: h,
		// Slow clients may not hold a connection with a trickled request:
		// headers within 10 s, the whole request (API bodies are at most
		// 1 MiB) within a minute. Responses have no deadline, so large
		// objects stream to slow viewers.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       120 * time.Second,
		// CloudFront refuses requests over 20 KiB of headers and URL; this
		// leaves room, and Go answers 431 beyond it.
		MaxHeaderBytes: 32 << 10,
	}
	// The edge keeps each connection in its requests' context, to cork
	// large responses (edge.Server.ConnContext).
	if cc, ok := h.(interface {
		ConnContext(context.Context, net.Conn) context.Context
	}); ok {
		srv.ConnContext = cc.ConnContext
	}
	var server interface {
		Serve(net.Listener) error
		Shutdown(context.Context) error
	} = srv
	if lean {
		server = leanhttp.New(srv)
	}
	g.wg.Add(2)
	g.srvWG.Add(1)
	go func() {
		defer g.wg.Done()
		if err := server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			g.fail(fmt.Errorf("%s: %w", name, err))
		}
	}()
	go func() {
		defer g.wg.Done()
		defer g.srvWG.Done()
		<-g.ctx.Done()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		server.Shutdown(ctx)
	}()
	return nil
}

// stopped waits until every HTTP server of the group has shut down, so
// that no request is still being served.
func (g *group) stopped() { g.srvWG.Wait() }

func (g *group) addr(name string) net.Addr {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.addrs[name]
}

// wait blocks until everything in the group has stopped and returns the
// first failure.
func (g *group) wait() error {
	<-g.ctx.Done()
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

func metricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return mux
}
