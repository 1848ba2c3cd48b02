package edge

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/leanhttp"
)

// The viewer listener without TLS serves the edge through leanhttp
// (internal/cli/group.go, serveLean). TestLeanHTTPServesAsNetHTTP serves
// one edge at once through net/http's server and through leanhttp, sends
// both the same bytes, and compares what comes back: status, header
// (values of Date, Age and X-Amz-Cf-Id aside, their presence not),
// header as sent, framing, body, and whether the connection stays open.
// internal/leanhttp/server_test.go does the same with toy handlers.

// leanOrigin is the origin behind the edge of these tests.
func leanOrigin(page string) http.HandlerFunc {
	small := strings.Repeat("0123456789abcdef", 64) // 1 KiB
	big := strings.Repeat("The quick brown fox jumps over the lazy dog.\n", (1<<20)/45+1)[:1<<20]
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "max-age=600")
		switch p := r.URL.Path; {
		case p == "/small":
			h.Set("Content-Type", "application/octet-stream")
			h.Set("ETag", `"s1"`)
			h.Set("Last-Modified", "Mon, 01 Oct 2012 00:00:00 GMT")
			io.WriteString(w, small)
		case strings.HasPrefix(p, "/new-big-"):
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Length", strconv.Itoa(len(big)))
			io.WriteString(w, big)
		case strings.HasPrefix(p, "/new-chunked-"):
			// No Content-Length: the origin's answer is chunked.
			h.Set("Content-Type", "application/octet-stream")
			for range 4 {
				io.WriteString(w, small)
				w.(http.Flusher).Flush()
			}
		case strings.HasPrefix(p, "/new-page-"):
			h.Set("Content-Type", "text/html")
			h.Set("Content-Length", strconv.Itoa(len(page)))
			io.WriteString(w, page)
		case strings.HasPrefix(p, "/new-"):
			h.Set("Content-Type", "text/plain")
			h.Set("ETag", `"n1"`)
			io.WriteString(w, "a new object")
		case p == "/range":
			h.Set("Content-Type", "text/plain")
			h.Set("ETag", `"r1"`)
			io.WriteString(w, "0123456789")
		case p == "/big":
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Length", strconv.Itoa(len(big)))
			io.WriteString(w, big)
		case p == "/page.html":
			// Compression needs the origin's Content-Length.
			h.Set("Content-Type", "text/html")
			h.Set("Content-Length", strconv.Itoa(len(page)))
			io.WriteString(w, page)
		case p == "/q":
			h.Set("Content-Type", "text/plain")
			io.WriteString(w, "query "+r.URL.RawQuery)
		default:
			h.Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "not found at the origin")
		}
	}
}

// leanCase is a conversation on one connection: each write is sent at
// once (several requests pipelined), its responses read, and the edge
// settled before the next. "{k}" in a request is the side's key, so a
// case can ask each side for objects of its own (misses).
type leanCase struct {
	name   string
	writes [][]string
}

// leanReq is a request with the headers given, Host d1.cloudfront.test
// unless one is given.
func leanReq(method, target string, hdr ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", method, target)
	host := false
	for i := 0; i+1 < len(hdr); i += 2 {
		host = host || strings.EqualFold(hdr[i], "Host")
		fmt.Fprintf(&b, "%s: %s\r\n", hdr[i], hdr[i+1])
	}
	if !host {
		b.WriteString("Host: " + d1 + "\r\n")
	}
	b.WriteString("User-Agent: leanhttp-test\r\n\r\n")
	return b.String()
}

func leanOne(req string) [][]string { return [][]string{{req}} }

func leanCases() []leanCase {
	return []leanCase{
		{"1 KiB hit", leanOne(leanReq("GET", "/small"))},
		{"HEAD hit", leanOne(leanReq("HEAD", "/small"))},
		{"miss then hit", [][]string{{leanReq("GET", "/new-{k}")}, {leanReq("GET", "/new-{k}")}}},
		{"HEAD miss then hit", [][]string{{leanReq("HEAD", "/new-head-{k}")}, {leanReq("HEAD", "/new-head-{k}")}}},
		{"1 MiB miss then hit", [][]string{{leanReq("GET", "/new-big-{k}")}, {leanReq("GET", "/new-big-{k}")}}},
		{"chunked miss then hit", [][]string{{leanReq("GET", "/new-chunked-{k}")}, {leanReq("GET", "/new-chunked-{k}")}}},
		{"gzip miss then hit", [][]string{
			{leanReq("GET", "/new-page-{k}", "Accept-Encoding", "gzip")},
			{leanReq("GET", "/new-page-{k}", "Accept-Encoding", "gzip")},
		}},
		{"range miss", leanOne(leanReq("GET", "/new-range-{k}", "Range", "bytes=2-5"))},
		{"If-None-Match miss", leanOne(leanReq("GET", "/new-inm-{k}", "If-None-Match", `"n1"`))},
		{"If-None-Match match", leanOne(leanReq("GET", "/small", "If-None-Match", `"s1"`))},
		{"If-None-Match other", leanOne(leanReq("GET", "/small", "If-None-Match", `"s0"`))},
		{"If-Modified-Since later", leanOne(leanReq("GET", "/small", "If-Modified-Since", "Tue, 02 Oct 2012 00:00:00 GMT"))},
		{"If-Modified-Since earlier", leanOne(leanReq("GET", "/small", "If-Modified-Since", "Sun, 30 Sep 2012 00:00:00 GMT"))},
		{"range", leanOne(leanReq("GET", "/range", "Range", "bytes=2-4"))},
		{"ranges", leanOne(leanReq("GET", "/range", "Range", "bytes=0-1,4-5,-2"))},
		{"unsatisfiable range", leanOne(leanReq("GET", "/range", "Range", "bytes=20-30"))},
		{"HEAD range", leanOne(leanReq("HEAD", "/range", "Range", "bytes=2-4"))},
		{"1 MiB hit", leanOne(leanReq("GET", "/big"))},
		{"1 MiB HEAD", leanOne(leanReq("HEAD", "/big"))},
		{"1 MiB range", leanOne(leanReq("GET", "/big", "Range", "bytes=1000-600000"))},
		{"gzip", leanOne(leanReq("GET", "/page.html", "Accept-Encoding", "gzip"))},
		{"gzip HEAD", leanOne(leanReq("HEAD", "/page.html", "Accept-Encoding", "gzip"))},
		{"identity", leanOne(leanReq("GET", "/page.html"))},
		{"unknown Host", leanOne(leanReq("GET", "/small", "Host", "nowhere.example.com"))},
		{"DELETE not allowed", leanOne(leanReq("DELETE", "/small"))},
		{"POST not allowed, then GET", [][]string{{
			"POST /small HTTP/1.1\r\nHost: " + d1 + "\r\nContent-Length: 5\r\n\r\nhello",
			leanReq("GET", "/small"),
		}}},
		{"not found", leanOne(leanReq("GET", "/missing"))},
		{"Connection: close", leanOne(leanReq("GET", "/small", "Connection", "close"))},
		{"pipelined", [][]string{{leanReq("GET", "/small"), leanReq("GET", "/range")}}},
		{"pipelined then close", [][]string{{leanReq("GET", "/small"), leanReq("HEAD", "/small", "Connection", "close"), leanReq("GET", "/small")}}},
		{"HTTP/1.0", leanOne("GET /small HTTP/1.0\r\nHost: " + d1 + "\r\n\r\n")},
		{"HTTP/1.0 keep-alive", [][]string{{"GET /small HTTP/1.0\r\nHost: " + d1 + "\r\nConnection: keep-alive\r\n\r\n"}, {leanReq("GET", "/small")}}},
		{"absolute target", leanOne("GET http://" + d1 + "/small HTTP/1.1\r\nHost: " + d1 + "\r\n\r\n")},
		{"query string", leanOne(leanReq("GET", "/q?a=1&b=%20x"))},
		{"Pragma no-cache", leanOne(leanReq("GET", "/small", "Pragma", "no-cache"))},
	}
}

// leanSide is one of the two listeners serving the edge.
type leanSide struct {
	name, key, addr string
}

func startLeanSides(t *testing.T, s *Server) (nethttp, lean leanSide) {
	t.Helper()
	listen := func() net.Listener {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return ln
	}
	lnA, lnB := listen(), listen()
	hs := &http.Server{Handler: s, ConnContext: s.ConnContext}
	ls := leanhttp.New(&http.Server{Handler: s, ConnContext: s.ConnContext})
	served := make(chan error, 2)
	go func() { served <- hs.Serve(lnA) }()
	go func() { served <- ls.Serve(lnB) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(ctx); err != nil {
			t.Errorf("net/http: Shutdown: %v", err)
		}
		if err := ls.Shutdown(ctx); err != nil {
			t.Errorf("leanhttp: Shutdown: %v", err)
		}
		for range 2 {
			if err := <-served; err != http.ErrServerClosed {
				t.Errorf("Serve returned %v", err)
			}
		}
	})
	return leanSide{"net/http", "n", lnA.Addr().String()}, leanSide{"leanhttp", "l", lnB.Addr().String()}
}

// leanErrText names an error the same way whichever server caused it.
func leanErrText(err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, io.EOF):
		return "EOF"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return err.Error()
}

// leanMasked are the fields whose values differ from one response to
// the next.
var leanMasked = []string{"Date", "Age", "X-Amz-Cf-Id"}

// leanBoundary replaces a multipart response's boundary, random, in its
// Content-Type and body.
func leanBoundary(resp *http.Response, body []byte) []byte {
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return body
	}
	b := params["boundary"]
	for i, v := range resp.Header["Content-Type"] {
		resp.Header["Content-Type"][i] = strings.ReplaceAll(v, b, "BOUNDARY")
	}
	return bytes.ReplaceAll(body, []byte(b), []byte("BOUNDARY"))
}

// leanDescribe writes one response: status, header, framing and body.
func leanDescribe(b *strings.Builder, resp *http.Response) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	body = leanBoundary(resp, body)
	fmt.Fprintf(b, "%s %s\n", resp.Proto, resp.Status)
	for _, k := range slices.Sorted(maps.Keys(resp.Header)) {
		for _, v := range resp.Header[k] {
			if slices.Contains(leanMasked, k) {
				v = "(masked)"
			}
			fmt.Fprintf(b, "  %s: %q\n", k, v)
		}
	}
	fmt.Fprintf(b, "  transfer-encoding %q, content-length %d, close %v\n", resp.TransferEncoding, resp.ContentLength, resp.Close)
	if len(body) > 300 {
		fmt.Fprintf(b, "  body: %d bytes, sha256 %x", len(body), sha256.Sum256(body))
	} else {
		fmt.Fprintf(b, "  body: %q", body)
	}
	fmt.Fprintf(b, " (%s)\n", leanErrText(err))
}

// leanPeekHead is the head of the response br holds, line by line as it
// came (masked values and the boundary aside), without reading it.
func leanPeekHead(br *bufio.Reader) string {
	for n := 1; n <= br.Size(); n = br.Buffered() + 1 {
		_, err := br.Peek(n) // waits for a byte more
		b, _ := br.Peek(br.Buffered())
		if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
			var out strings.Builder
			prefix := "  as sent: "
			for line := range strings.SplitSeq(string(b[:i]), "\r\n") {
				if k, _, ok := strings.Cut(line, ": "); ok && slices.Contains(leanMasked, k) {
					line = k + ": (masked)"
				}
				if k, v, ok := strings.Cut(line, ": "); ok && k == "Content-Type" && strings.HasPrefix(v, "multipart/") {
					if _, params, err := mime.ParseMediaType(v); err == nil {
						line = strings.ReplaceAll(line, params["boundary"], "BOUNDARY")
					}
				}
				fmt.Fprintf(&out, "%s%q\n", prefix, line)
				prefix = "           "
			}
			return out.String()
		}
		if err != nil {
			return ""
		}
	}
	return "  as sent: a head longer than the reader's buffer\n"
}

// converse has case c with side, settling the edge after each write's
// responses, and returns what came back; then, later, closes the
// connection and tells whether the server had closed it: EOF, or a
// timeout if it is still open after 300 ms (check false: at once, "").
// With check, call then in a goroutine: it waits.
func (side leanSide) converse(t *testing.T, e *testEdge, c leanCase) (transcript string, then func(check bool) string) {
	t.Helper()
	conn, err := net.Dial("tcp", side.addr)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	br := bufio.NewReaderSize(conn, 64<<10)
	done := false
	for w, reqs := range c.writes {
		raw := strings.ReplaceAll(strings.Join(reqs, ""), "{k}", side.key)
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.WriteString(conn, raw); err != nil {
			fmt.Fprintf(&b, "write %d: %s\n", w, leanErrText(err))
			break
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		for i, req := range reqs {
			fmt.Fprintf(&b, "response %d.%d: ", w, i)
			head := leanPeekHead(br)
			resp, err := http.ReadResponse(br, &http.Request{Method: strings.Fields(req)[0]})
			if err != nil {
				fmt.Fprintf(&b, "%s\n", leanErrText(err))
				done = true
				break
			}
			leanDescribe(&b, resp)
			b.WriteString(head)
		}
		e.settle(t)
		if done {
			break
		}
	}
	return b.String(), func(check bool) string {
		defer conn.Close()
		if !check {
			return ""
		}
		conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if _, err := br.ReadByte(); err != nil {
			return "then: " + leanErrText(err) + "\n"
		}
		return "then: more bytes\n"
	}
}

func TestLeanHTTPServesAsNetHTTP(t *testing.T) {
	page := textBody(5000)
	o := newOrigin(t, leanOrigin(page))
	e := newEdge(t, Options{}, distribution(o.Server, compressing))
	nethttp, lean := startLeanSides(t, e.Server)
	warm := leanSide{"warm-up", "w", nethttp.addr}

	type result struct {
		name string
		out  [2]string
	}
	results := make([]*result, 0, len(leanCases()))
	var wg sync.WaitGroup
	for _, c := range leanCases() {
		// The warm-up has each object not of a side's own in the cache
		// before either side asks, so both see the same state.
		_, then := warm.converse(t, e, c)
		then(false)
		r := &result{name: c.name}
		results = append(results, r)
		for i, side := range []leanSide{nethttp, lean} {
			text, then := side.converse(t, e, c)
			wg.Go(func() { r.out[i] = text + then(true) })
		}
	}
	wg.Wait()
	for _, r := range results {
		if r.out[0] != r.out[1] {
			t.Errorf("%s: the servers differ\n--- net/http:\n%s--- leanhttp:\n%s", r.name, r.out[0], r.out[1])
		} else if testing.Verbose() {
			t.Logf("%s:\n%s", r.name, r.out[0])
		}
	}
}
