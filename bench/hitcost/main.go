// Command hitcost sends a fixed number of keep-alive requests for one
// cached object through a real net/http server in this one process, to
// the openfront edge or to the ceiling's handler, so that an instruction
// counter sees the whole request path (parsing, handler, header writing,
// syscalls' user side) and nothing else varies between runs:
//
//	valgrind --tool=callgrind --callgrind-out-file=edge.cg \
//	    go run ./bench/hitcost -target edge -n 20000     # build it first
//	callgrind_annotate edge.cg | head -40
//
// The count of a run with -n 2N minus that of a run with -n N, divided by
// N, is the cost of one request, free of the start-up. The client is a
// minimal pipelining HTTP/1.1 writer and reader, the same for both
// targets, so its share of the count cancels out in the comparison.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/openfront/openfront/bench/internal/objects"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/leanhttp"
)

const host = "d1.bench"

// lean serves the target through leanhttp, not net/http alone.
var lean bool

func main() {
	target := flag.String("target", "edge", "edge, ceiling or ceiling-cf (the ceiling with CloudFront's header set)")
	path := flag.String("path", "/1k", "object to request")
	n := flag.Int("n", 10000, "requests to send after the warm-up")
	depth := flag.Int("pipeline", 16, "requests written before their responses are read")
	accessLog := flag.Bool("access-log", false, "give the edge an access-log hook (which drops the records)")
	policy := flag.Bool("cache-policy", false, "serve the edge's object under the managed CachingOptimized cache policy, not legacy settings")
	flag.BoolVar(&lean, "lean", false, "serve with leanhttp (as the edge's plain-HTTP listener does) instead of net/http alone")
	flag.Parse()
	if err := run(*target, *path, *n, *depth, *accessLog, *policy); err != nil {
		fmt.Fprintln(os.Stderr, "hitcost:", err)
		os.Exit(1)
	}
}

func run(target, path string, n, depth int, accessLog, policy bool) error {
	var h http.Handler
	switch target {
	case "ceiling":
		h = objects.Handler()
	case "ceiling-cf":
		h = objects.CloudFrontHandler()
	case "edge":
		origin, err := listen(objects.Handler())
		if err != nil {
			return err
		}
		defer origin.Close()
		srv, err := newEdge(origin.Addr().(*net.TCPAddr).Port, accessLog, policy)
		if err != nil {
			return err
		}
		defer srv.Close()
		h = srv
	default:
		return fmt.Errorf("unknown -target %q", target)
	}
	ln, err := listen(h)
	if err != nil {
		return err
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	defer conn.Close()
	req := []byte("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: hitcost\r\nAccept: */*\r\n\r\n")
	c := &client{conn: conn, br: bufio.NewReaderSize(conn, 64<<10)}
	// Two requests warm the cache (a miss, then a hit) before the count.
	if err := c.send(req, 2, 1); err != nil {
		return err
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	start := time.Now()
	if err := c.send(req, n, depth); err != nil {
		return err
	}
	el := time.Since(start)
	runtime.ReadMemStats(&m1)
	fmt.Printf("%s %s: %d requests, %d body bytes, %.0f req/s, %.1f allocations and %.0f bytes allocated per request (client included)\n",
		target, path, n, c.body, float64(n)/el.Seconds(),
		float64(m1.Mallocs-m0.Mallocs)/float64(n), float64(m1.TotalAlloc-m0.TotalAlloc)/float64(n))
	return nil
}

// listen serves h on a loopback port with openfront's listener settings.
func listen(h http.Handler) (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10}
	if e, ok := h.(*edge.Server); ok {
		hs.ConnContext = e.ConnContext // as openfront's edge listeners
	}
	if lean {
		go leanhttp.New(hs).Serve(ln)
	} else {
		go hs.Serve(ln)
	}
	return ln, nil
}

func newEdge(originPort int, accessLog, policy bool) (*edge.Server, error) {
	var o edge.Options
	if accessLog {
		o.AccessLog = func(edge.LogRecord) {}
	}
	srv, err := edge.New(o)
	if err != nil {
		return nil, err
	}
	d := cloudfront.Distribution{
		ID: "EBENCH", DomainName: host, Status: cloudfront.StatusDeployed,
		Config: cloudfront.DistributionConfig{
			Origins: []cloudfront.Origin{{ID: "o", DomainName: "127.0.0.1",
				Custom: &cloudfront.CustomOriginConfig{HTTPPort: originPort, HTTPSPort: 443,
					OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
			DefaultCacheBehavior: cloudfront.CacheBehavior{
				TargetOriginID:       "o",
				ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
				Cookies:              cloudfront.CookiePreference{Forward: cloudfront.ForwardNone},
			},
			PriceClass: "PriceClass_All",
			Enabled:    true,
		},
	}
	if policy {
		// As the control plane stores a behaviour naming the policy.
		p, _ := cloudfront.ManagedCachePolicy("658327ea-f89d-4fab-a63d-7e88639e58f6")
		d.Config.DefaultCacheBehavior = cloudfront.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
			CachePolicyID: p.ID, CachePolicy: &p.Config}
	}
	if err := srv.Apply(&feed.Snapshot{Revision: 1, Distributions: []*cloudfront.Distribution{&d}}, nil); err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}

// client is the smallest HTTP/1.1 client that can read these responses:
// a status line, headers with a Content-Length, a body.
type client struct {
	conn net.Conn
	br   *bufio.Reader
	buf  []byte
	body int64
}

// send writes n requests, depth at a time, and reads every response.
func (c *client) send(req []byte, n, depth int) error {
	batch := bytes.Repeat(req, depth)
	for n > 0 {
		k := min(depth, n)
		if _, err := c.conn.Write(batch[:k*len(req)]); err != nil {
			return err
		}
		for range k {
			if err := c.read(); err != nil {
				return err
			}
		}
		n -= k
	}
	return nil
}

func (c *client) read() error {
	status, err := c.br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("status %q", bytes.TrimSpace(status))
	}
	length := int64(-1)
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			length, err = strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			if err != nil {
				return err
			}
		}
	}
	if length < 0 {
		return errors.New("response without Content-Length")
	}
	m, err := io.CopyN(io.Discard, c.br, length)
	c.body += m
	return err
}
