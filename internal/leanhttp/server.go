// Package leanhttp serves the plain HTTP/1.1 requests that make up most
// of a CDN's traffic (GET and HEAD, keep-alive, no body) with a shorter
// path than net/http's, and hands every other connection to net/http.
//
// Why: on a 1 KiB cache hit net/http's server is most of the CPU
// (bench/README.md, "The 1 KiB hit"): each request starts a goroutine to
// watch the connection, makes a cancellable context, clones the handler's
// header map, sorts it and writes it piece by piece. Here the watch
// starts only if the handler waits on the request's context, and the
// header is written in one pass when the handler commits it.
//
// The handler is the same http.Handler, and it sees the same
// *http.Request net/http would make: a request this server is not sure
// to read exactly as net/http does (parseHead) goes, with the bytes
// already read, to the http.Server given, which then owns the
// connection. Its response follows net/http's rules for status,
// Content-Length, chunking, Content-Type sniffing, Date and Connection
// (response.go); server_test.go compares the two on the wire.
//
// Not carried over: trailers, Hijack, 1xx responses other than
// informational headers, and HTTP/2 (this is for listeners without TLS).
package leanhttp

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// readBufSize bounds a request head this server reads itself; a longer
// one (large cookies) goes to net/http, which allows MaxHeaderBytes.
const readBufSize = 4 << 10

// Server serves HTTP/1.1 on a listener for the handler of HTTP, which
// also serves, with its own settings, the connections handed to it.
type Server struct {
	HTTP *http.Server

	handoff  *chanListener
	mu       sync.Mutex
	conns    map[*conn]struct{}
	ln       net.Listener
	shutting atomic.Bool
	served   sync.WaitGroup // connections being served here
}

// New returns a server for hs's handler and settings; hs must not be
// served elsewhere.
func New(hs *http.Server) *Server {
	return &Server{HTTP: hs, conns: map[*conn]struct{}{}}
}

// Serve accepts connections on ln until Shutdown; like http.Server.Serve
// it returns http.ErrServerClosed then.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.shutting.Load() {
		s.mu.Unlock()
		return http.ErrServerClosed
	}
	s.ln = ln
	s.handoff = newChanListener(ln.Addr())
	handoff := s.handoff
	s.mu.Unlock()
	// net/http serves what is handed to it until Shutdown closes handoff;
	// its Serve returns nothing else of interest.
	go s.HTTP.Serve(handoff)

	base := context.Background()
	if s.HTTP.BaseContext != nil {
		base = s.HTTP.BaseContext(ln)
	}
	base = context.WithValue(base, http.ServerContextKey, s.HTTP)
	var delay time.Duration
	for {
		rwc, err := ln.Accept()
		if err != nil {
			if s.shutting.Load() {
				return http.ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// As net/http: back off on EMFILE and the like.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		c := s.newConn(base, rwc)
		if c == nil {
			rwc.Close()
			continue
		}
		go c.serve()
	}
}

func (s *Server) newConn(base context.Context, rwc net.Conn) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutting.Load() {
		return nil
	}
	ctx := context.WithValue(base, http.LocalAddrContextKey, rwc.LocalAddr())
	if s.HTTP.ConnContext != nil {
		ctx = s.HTTP.ConnContext(ctx, rwc)
	}
	c := &conn{s: s, rwc: rwc, ctx: ctx, remote: rwc.RemoteAddr().String()}
	s.conns[c] = struct{}{}
	s.served.Add(1)
	return c
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.served.Done()
}

// Shutdown stops accepting, closes idle connections, lets requests in
// flight finish (their connections then close) until ctx ends, and shuts
// down net/http's share the same way.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutting.Store(true)
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	herr := s.HTTP.Shutdown(ctx)
	done := make(chan struct{})
	go func() { s.served.Wait(); close(done) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.closeIdle()
		select {
		case <-done:
			return herr
		case <-ctx.Done():
			s.mu.Lock()
			for c := range s.conns {
				c.rwc.Close()
			}
			s.mu.Unlock()
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (s *Server) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.idle.Load() {
			c.rwc.Close()
		}
	}
}

// conn is one viewer connection while this server reads it.
type conn struct {
	s      *Server
	rwc    net.Conn
	ctx    context.Context
	remote string
	// idle: waiting for the first byte of a request, so Shutdown may
	// close it.
	idle atomic.Bool
	// kept: a request was served, so the next waits under IdleTimeout
	// for its first byte (the first's head is timed from accept).
	kept bool
	// expired: the head read here timed out, and goes to net/http so.
	expired bool

	rbuf       []byte // rbuf[start:end] is read and not yet served
	start, end int
	bw         *bufio.Writer
	werr       error // the first write error: the connection is done

	// Reused by each response in turn (response.go).
	header http.Header
	hold   []byte
	lines  []byte
	req    http.Request // parseHead's, copied by WithContext

	// watch is the request's connection watch, if the handler asked
	// for one (reqCtx).
	watch *watcher
}

var (
	readBufs  = sync.Pool{New: func() any { return new([readBufSize]byte) }}
	writeBufs = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4<<10) }}
)

func (c *conn) serve() {
	defer c.s.forget(c)
	handedOff := false
	defer func() {
		if err := recover(); err != nil && err != http.ErrAbortHandler {
			const size = 64 << 10
			buf := make([]byte, size)
			buf = buf[:runtime.Stack(buf, false)]
			c.s.logf("http: panic serving %v: %v\n%s", c.remote, err, buf)
		}
		if c.rbuf != nil {
			readBufs.Put((*[readBufSize]byte)(c.rbuf))
		}
		if c.bw != nil {
			if !handedOff {
				// As net/http's closing a connection: what a
				// panicking handler had sent goes out.
				c.bw.Flush()
			}
			c.bw.Reset(nil)
			writeBufs.Put(c.bw)
		}
		if !handedOff {
			c.rwc.Close()
		}
	}()
	c.rbuf = readBufs.Get().(*[readBufSize]byte)[:]
	c.bw = writeBufs.Get().(*bufio.Writer)
	c.bw.Reset(c.rwc)
	c.header = make(http.Header, 16)
	c.hold = make([]byte, 0, holdSize)
	for {
		n, ok := c.readHead()
		if !ok {
			return
		}
		if n < 0 {
			handedOff = c.handOff()
			return
		}
		ok = parseHead(&c.req, c.rbuf[c.start:c.start+n])
		if !ok {
			handedOff = c.handOff()
			return
		}
		c.start += n
		if c.start == c.end {
			c.start, c.end = 0, 0
		}
		if !c.serveRequest(&c.req) {
			return
		}
	}
}

// readHead reads until rbuf[start:] holds a whole request head and
// returns its length; -1 when the request goes to net/http; false when
// the connection is done.
func (c *conn) readHead() (int, bool) {
	hs := c.s.HTTP
	scanned := 0
	// As net/http: a head must come whole within the header timeout
	// (ReadHeaderTimeout, or ReadTimeout), from accept for the first
	// request, else from its first byte, the wait for which IdleTimeout
	// (or ReadTimeout) bounds.
	headerTimeout := hs.ReadHeaderTimeout
	if headerTimeout == 0 {
		headerTimeout = hs.ReadTimeout
	}
	sawByte := c.end > c.start
	if sawByte {
		if n := headEnd(c.rbuf[c.start:c.end], 0); n != 0 {
			return n, true
		}
		scanned = c.end - c.start
		c.setReadDeadline(headerTimeout)
	} else {
		c.idle.Store(true)
		if c.s.shutting.Load() {
			return 0, false
		}
		if !c.kept {
			c.setReadDeadline(headerTimeout)
		} else {
			idle := hs.IdleTimeout
			if idle == 0 {
				idle = hs.ReadTimeout
			}
			c.setReadDeadline(idle)
		}
	}
	for {
		if c.end == len(c.rbuf) {
			if c.start == 0 {
				return -1, true // a head longer than the buffer
			}
			c.end = copy(c.rbuf, c.rbuf[c.start:c.end])
			c.start = 0
		}
		n, err := c.rwc.Read(c.rbuf[c.end:])
		c.end += n
		if n > 0 && !sawByte {
			sawByte = true
			c.idle.Store(false)
			if c.kept {
				c.setReadDeadline(headerTimeout)
			}
		}
		if h := headEnd(c.rbuf[c.start:c.end], scanned-3); h != 0 {
			c.idle.Store(false)
			return h, true
		}
		scanned = c.end - c.start
		if err != nil {
			if c.end > c.start && !errors.Is(err, io.EOF) && !isTimeout(err) {
				return 0, false
			}
			if c.end > c.start {
				// A partial head: net/http answers it (or times
				// out at once) as it would have.
				c.expired = isTimeout(err)
				return -1, true
			}
			return 0, false
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (c *conn) setReadDeadline(d time.Duration) {
	if d > 0 {
		c.rwc.SetReadDeadline(time.Now().Add(d))
	} else {
		c.rwc.SetReadDeadline(time.Time{})
	}
}

// handOff gives the connection, with what was read of it, to net/http.
func (c *conn) handOff() bool {
	if err := c.bw.Flush(); err != nil {
		return false
	}
	if !c.expired {
		c.rwc.SetReadDeadline(time.Time{})
	}
	var pre []byte
	if c.end > c.start {
		pre = append([]byte(nil), c.rbuf[c.start:c.end]...)
	}
	return c.s.handoff.push(&prefixConn{Conn: c.rwc, pre: pre, expired: c.expired})
}

// serveRequest runs the handler for req and finishes its response;
// false when the connection is done.
func (c *conn) serveRequest(req *http.Request) bool {
	hs := c.s.HTTP
	req.RemoteAddr = c.remote
	rc := &reqCtx{Context: c.ctx, c: c}
	req = req.WithContext(rc)
	w := &response{c: c, req: req, contentLength: -1, isHEAD: req.Method == "HEAD", wantsClose: req.Close, lines: c.lines[:0]}
	h := hs.Handler
	if h == nil {
		h = http.DefaultServeMux
	}
	if hs.WriteTimeout > 0 {
		c.rwc.SetWriteDeadline(time.Now().Add(hs.WriteTimeout))
	}
	func() {
		// As net/http, the context ends when the handler returns (or
		// panics), before the response is finished.
		defer rc.end()
		h.ServeHTTP(w, req)
	}()
	w.finish()
	if hs.WriteTimeout > 0 || w.deadlineSet {
		c.rwc.SetWriteDeadline(time.Time{})
	}
	c.kept = true
	clear(c.header)
	c.lines = w.lines[:0]
	if c.werr != nil || w.closeAfter || c.s.shutting.Load() {
		return false
	}
	if c.watch != nil {
		// The watch read the connection's next byte, or saw it end.
		alive := c.watch.stop(c)
		c.watch = nil
		if !alive {
			return false
		}
	}
	return true
}

func (s *Server) logf(format string, args ...any) {
	if s.HTTP.ErrorLog != nil {
		s.HTTP.ErrorLog.Printf(format, args...)
	} else {
		log.Printf(format, args...)
	}
}

// prefixConn is a connection handed to net/http: its reads start with
// what this server had read of it.
type prefixConn struct {
	net.Conn
	pre     []byte
	expired bool // the read deadline passed while this server read pre
}

// SetReadDeadline leaves a passed deadline in place while net/http reads
// pre: if it then waits for more of the head, it times out at once, as
// it would have had it read the head from the start.
func (p *prefixConn) SetReadDeadline(t time.Time) error {
	if p.expired && len(p.pre) > 0 {
		return nil
	}
	return p.Conn.SetReadDeadline(t)
}

// CloseWrite lets net/http close gracefully (closeWriteAndWait) after
// refusing a request, as on a connection of its own.
func (p *prefixConn) CloseWrite() error {
	if cw, ok := p.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (p *prefixConn) Read(b []byte) (int, error) {
	if len(p.pre) > 0 {
		n := copy(b, p.pre)
		p.pre = p.pre[n:]
		return n, nil
	}
	return p.Conn.Read(b)
}

// ReadFrom keeps net/http's sendfile path for handed-off connections.
func (p *prefixConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := p.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{p.Conn}, r)
}

// NetConn is the connection underneath, for code that sets socket
// options (the edge corks large responses).
func (p *prefixConn) NetConn() net.Conn { return p.Conn }

// chanListener is the listener net/http serves: it yields the
// connections handed to it.
type chanListener struct {
	addr   net.Addr
	ch     chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newChanListener(addr net.Addr) *chanListener {
	return &chanListener{addr: addr, ch: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *chanListener) push(c net.Conn) bool {
	select {
	case l.ch <- c:
		return true
	case <-l.closed:
		return false
	}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }
