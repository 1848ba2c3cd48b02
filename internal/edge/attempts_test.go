package edge

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rawOrigin is an HTTP/1.1 origin on a bare listener, so that the test
// sees every connection and every request written on it. While drop is
// set it reads each request, waits delay (so that concurrent viewers
// collapse onto one fetch) and closes the connection without answering.
type rawOrigin struct {
	ln       net.Listener
	drop     atomic.Bool
	conns    atomic.Int64 // connections accepted
	requests atomic.Int64 // request heads read
	dropped  atomic.Int64 // request heads read while dropping
	bytes    atomic.Int64 // request bytes read while dropping
	barrier  atomic.Int64 // see serve
	delay    time.Duration
}

func newRawOrigin(t *testing.T, delay time.Duration) *rawOrigin {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o := &rawOrigin{ln: ln, delay: delay}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			o.conns.Add(1)
			wg.Add(1)
			go func() { defer wg.Done(); o.serve(c) }()
		}
	}()
	return o
}

func (o *rawOrigin) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		n := 0
		for {
			line, err := br.ReadString('\n')
			n += len(line)
			if err != nil {
				return
			}
			if line == "\r\n" {
				break
			}
		}
		o.requests.Add(1)
		if !o.drop.Load() {
			// Hold the answer until barrier requests are in flight, so that
			// each of them has a connection of its own.
			for deadline := time.Now().Add(2 * time.Second); o.requests.Load() < o.barrier.Load() && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
		}
		time.Sleep(o.delay)
		if o.drop.Load() {
			o.dropped.Add(1)
			o.bytes.Add(int64(n))
			return
		}
		if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Control: max-age=3600\r\n\r\nok")); err != nil {
			return
		}
	}
}

// server is a stand-in for distribution(), which only reads URL.
func (o *rawOrigin) server() *httptest.Server {
	return &httptest.Server{URL: "http://" + o.ln.Addr().String()}
}

// An origin that drops connections without answering gets at most
// CloudFront's default of 3 connection attempts per viewer request,
// however many keep-alive connections the edge had pooled (net/http alone
// retries a GET on each of them) and however many viewers wait on the
// same miss.
func TestConnectionAttemptsBounded(t *testing.T) {
	cases := []struct {
		name    string
		warm    int // keep-alive connections pooled before the origin breaks
		viewers int // concurrent viewers of the same missing object
		max     int64
	}{
		{"fresh connections dropped", 0, 1, DefaultConnectionAttempts},
		{"pooled connections all dead", 12, 1, DefaultConnectionAttempts},
		{"collapsed viewers share the attempts", 12, 8, DefaultConnectionAttempts},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := newRawOrigin(t, 50*time.Millisecond)
			e := newEdge(t, Options{}, distribution(o.server()))
			o.barrier.Store(int64(c.warm))
			var wg sync.WaitGroup
			for i := range c.warm {
				wg.Add(1)
				go func() {
					defer wg.Done()
					e.get(t, "d1.cloudfront.test", "/warm/"+strings.Repeat("x", i+1))
				}()
			}
			wg.Wait()
			if got := o.conns.Load(); got < int64(c.warm) {
				t.Fatalf("warming opened %d connections, want %d", got, c.warm)
			}
			o.drop.Store(true)
			statuses := make([]int, c.viewers)
			for i := range c.viewers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses[i] = e.get(t, "d1.cloudfront.test", "/broken").StatusCode
				}()
			}
			wg.Wait()
			for _, s := range statuses {
				if s != http.StatusBadGateway {
					t.Errorf("viewer got %d, want 502", s)
				}
			}
			if got := o.dropped.Load(); got > c.max || got == 0 {
				t.Errorf("origin got %d requests (%d bytes) for the broken object, want 1..%d", got, o.bytes.Load(), c.max)
			}
			t.Logf("%d requests, %d bytes reached the dropping origin", o.dropped.Load(), o.bytes.Load())
		})
	}
}

// A refused connection is an attempt too: three dials, then 502.
func TestConnectionAttemptsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := &httptest.Server{URL: "http://" + ln.Addr().String()}
	ln.Close() // nothing listens: every dial is refused
	e := newEdge(t, Options{}, distribution(closed))
	var dials atomic.Int64
	dial := e.transport.DialContext
	e.transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dial(ctx, network, addr)
	}
	if r := e.get(t, "d1.cloudfront.test", "/x"); r.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", r.StatusCode)
	}
	if n := dials.Load(); n != DefaultConnectionAttempts {
		t.Fatalf("%d dials, want %d", n, DefaultConnectionAttempts)
	}
}
