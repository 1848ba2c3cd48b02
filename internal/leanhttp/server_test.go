package leanhttp

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests here serve the same handler with net/http's own server and
// with leanhttp in front of an http.Server with the same settings, send
// both the same bytes over loopback TCP, and compare what comes back:
// status, header (the Date value aside), framing, body, whether the
// connection stays open, what the handler saw, and whether a panic was
// logged.

// handler is a case's handler; note records what it saw (the errors of
// its writes, say) for the comparison.
type handler func(w http.ResponseWriter, r *http.Request, note func(format string, args ...any))

// side is one server of a pair: net/http's own, or leanhttp in front of
// an http.Server with the same handler and settings.
type side struct {
	lean bool
	addr string

	mu     sync.Mutex
	notes  []string
	active int          // handlers running
	log    bytes.Buffer // the server's ErrorLog
}

func (s *side) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.Write(p)
}

func (s *side) note(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

func (s *side) wrap(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.active++
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.active--
			s.mu.Unlock()
		}()
		h(w, r, s.note)
	})
}

// quiet waits for the handlers to return: a handler is running before
// any byte of its response is sent, so once the responses are read this
// does not miss one.
func (s *side) quiet() error {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		s.mu.Lock()
		n := s.active
		s.mu.Unlock()
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d handlers still running", n)
		}
	}
}

// report is what the handlers noted and the log said.
func (s *side) report() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, n := range s.notes {
		fmt.Fprintf(&b, "handler noted: %s\n", n)
	}
	fmt.Fprintf(&b, "panics logged: %d\n", strings.Count(s.log.String(), "http: panic serving"))
	return b.String()
}

func (s *side) name() string {
	if s.lean {
		return "leanhttp"
	}
	return "net/http"
}

// startSide serves h on a new loopback listener; stop shuts it down and
// checks that Serve returned http.ErrServerClosed.
func startSide(lean bool, h handler, cfg func(*http.Server)) (s *side, stop func() error, err error) {
	s = &side{lean: lean}
	hs := &http.Server{Handler: s.wrap(h), ErrorLog: log.New(s, "", 0)}
	if cfg != nil {
		cfg(hs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	s.addr = ln.Addr().String()
	serve, shutdown := hs.Serve, hs.Shutdown
	if lean {
		ls := New(hs)
		serve, shutdown = ls.Serve, ls.Shutdown
	}
	served := make(chan error, 1)
	go func() { served <- serve(ln) }()
	stop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			return fmt.Errorf("%s: Shutdown: %v", s.name(), err)
		}
		if err := <-served; err != http.ErrServerClosed {
			return fmt.Errorf("%s: Serve returned %v", s.name(), err)
		}
		return nil
	}
	return s, stop, nil
}

// errText names an error the same way whichever server caused it.
func errText(err error) string {
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

// describe writes one response: status, header, framing and body.
func describe(b *strings.Builder, i int, resp *http.Response) {
	fmt.Fprintf(b, "response %d: %s %s\n", i, resp.Proto, resp.Status)
	for _, k := range slices.Sorted(maps.Keys(resp.Header)) {
		for _, v := range resp.Header[k] {
			if k == "Date" {
				if _, err := http.ParseTime(v); err == nil {
					v = "(a date)"
				}
			}
			fmt.Fprintf(b, "  %s: %q\n", k, v)
		}
	}
	fmt.Fprintf(b, "  transfer-encoding %q, content-length %d, close %v\n", resp.TransferEncoding, resp.ContentLength, resp.Close)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(body) > 300 {
		fmt.Fprintf(b, "  body: %d bytes, sha256 %x", len(body), sha256.Sum256(body))
	} else {
		fmt.Fprintf(b, "  body: %q", body)
	}
	fmt.Fprintf(b, " (%s)\n", errText(err))
}

// peekHead is the head of the response br holds, line by line as it
// came (the Date value aside), without reading it: the order of the
// fields, and those ReadResponse folds or drops, show.
func peekHead(br *bufio.Reader) string {
	for n := 1; n <= br.Size(); n = br.Buffered() + 1 {
		_, err := br.Peek(n) // waits for a byte more
		b, _ := br.Peek(br.Buffered())
		if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
			var out strings.Builder
			prefix := "  as sent: "
			for line := range strings.SplitSeq(string(b[:i]), "\r\n") {
				if v, ok := strings.CutPrefix(line, "Date: "); ok {
					if _, err := http.ParseTime(v); err == nil {
						line = "Date: (a date)"
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

// converse sends reqs, in one write or in pieces cut at splits (20 ms
// apart), reads a response to each (and any 1xx before it) until one
// fails, then tells whether the server closed the connection: EOF, or a
// timeout if it is still open after 200 ms.
func converse(addr string, reqs []string, splits []int, closeWrite bool) (string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	raw := strings.Join(reqs, "")
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		prev := 0
		for _, at := range append(slices.Clone(splits), len(raw)) {
			if prev > 0 {
				time.Sleep(20 * time.Millisecond)
			}
			if _, err := io.WriteString(conn, raw[prev:at]); err != nil {
				return
			}
			prev = at
		}
		if closeWrite {
			conn.(*net.TCPConn).CloseWrite()
		}
	}()
	defer func() { <-wrote }()

	var b strings.Builder
	br := bufio.NewReader(conn)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
reading:
	for i, req := range reqs {
		method := strings.Fields(req)[0]
		for {
			raw := peekHead(br)
			resp, err := http.ReadResponse(br, &http.Request{Method: method})
			if err != nil {
				fmt.Fprintf(&b, "response %d: %s\n", i, errText(err))
				break reading
			}
			describe(&b, i, resp)
			b.WriteString(raw)
			if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
				break
			}
		}
	}
	conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := br.ReadByte(); err == nil {
		b.WriteString("then: more bytes\n")
	} else {
		fmt.Fprintf(&b, "then: %s\n", errText(err))
	}
	return b.String(), nil
}

type wireCase struct {
	name       string
	h          handler
	reqs       []string // two GETs if nil
	splits     []int    // where to cut the requests' bytes into writes
	closeWrite bool     // half-close the connection after the requests
	cfg        func(*http.Server)
	// quirk, if set, rewrites both transcripts to leave out a
	// difference the case's comment says is not worth copying.
	quirk func(string) string
}

// run serves c on both servers at once and returns what each saw.
func (c *wireCase) run() (out [2]string, err error) {
	reqs := c.reqs
	if reqs == nil {
		reqs = []string{get, get}
	}
	var wg sync.WaitGroup
	var errs [2]error
	for i, lean := range []bool{false, true} {
		wg.Go(func() {
			s, stop, err := startSide(lean, c.h, c.cfg)
			if err != nil {
				errs[i] = err
				return
			}
			text, err := converse(s.addr, reqs, c.splits, c.closeWrite)
			if err == nil {
				err = s.quiet()
			}
			if err2 := stop(); err == nil {
				err = err2
			}
			errs[i] = err
			out[i] = text + s.report()
		})
	}
	wg.Wait()
	if c.quirk != nil {
		out[0], out[1] = c.quirk(out[0]), c.quirk(out[1])
	}
	return out, errors.Join(errs[:]...)
}

const (
	get      = "GET /x HTTP/1.1\r\nHost: example.com\r\n\r\n"
	head     = "HEAD /x HTTP/1.1\r\nHost: example.com\r\n\r\n"
	getClose = "GET /x HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"
	post     = "POST /p HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello"
)

// text is n bytes of readable text.
func text(n int) []byte {
	const line = "The quick brown fox jumps over the lazy dog 0123456789.\n"
	return bytes.Repeat([]byte(line), n/len(line)+1)[:n]
}

// write writes p and notes what Write returned.
func write(w http.ResponseWriter, p []byte, note func(string, ...any)) {
	n, err := w.Write(p)
	note("Write(%d bytes) = %d, %v", len(p), n, err)
}

func writes(chunks ...[]byte) handler {
	return func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
		for _, p := range chunks {
			write(w, p, note)
		}
	}
}

// withHeader sets header fields (a nil value: the key with no values),
// writes the status if not 0, then writes body.
func withHeader(h map[string][]string, status int, body ...[]byte) handler {
	return func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
		for k, vv := range h {
			w.Header()[k] = slices.Clone(vv)
		}
		if status != 0 {
			w.WriteHeader(status)
		}
		for _, p := range body {
			write(w, p, note)
		}
	}
}

// echo answers with what the handler saw of the request.
func echo(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
	var b strings.Builder
	fmt.Fprintf(&b, "method %q target %q proto %q %d.%d host %q\n", r.Method, r.RequestURI, r.Proto, r.ProtoMajor, r.ProtoMinor, r.Host)
	u := r.URL
	fmt.Fprintf(&b, "url %q: scheme %q host %q path %q rawpath %q query %q fragment %q opaque %q\n",
		u.String(), u.Scheme, u.Host, u.Path, u.RawPath, u.RawQuery, u.Fragment, u.Opaque)
	for _, k := range slices.Sorted(maps.Keys(r.Header)) {
		fmt.Fprintf(&b, "header %s: %q\n", k, r.Header[k])
	}
	fmt.Fprintf(&b, "close %v, content-length %d, transfer-encoding %q, trailer %v\n", r.Close, r.ContentLength, r.TransferEncoding, r.Trailer)
	fmt.Fprintf(&b, "remote addr set %v, tls %v, form %v, getbody %v, response %v, pattern %q\n",
		r.RemoteAddr != "", r.TLS != nil, r.Form != nil, r.GetBody != nil, r.Response != nil, r.Pattern)
	srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server)
	la, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	fmt.Fprintf(&b, "context: server %v, local addr %v\n", srv != nil, la != nil && strings.HasPrefix(la.String(), "127.0.0.1:"))
	body, err := io.ReadAll(r.Body)
	fmt.Fprintf(&b, "body %q (%v), no body %v\n", body, err, r.Body == http.NoBody)
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, b.String())
}

// truncatedBody leaves out how much of a truncated body came.
func truncatedBody(s string) string {
	return truncated.ReplaceAllLiteralString(s, "body: (truncated) (unexpected EOF)")
}

var truncated = regexp.MustCompile(`body: .*\(unexpected EOF\)`)

// sized is a GET whose head is n bytes long.
func sized(n int) string {
	const pre, post = "GET /big HTTP/1.1\r\nHost: example.com\r\nX-Pad: ", "\r\n\r\n"
	return pre + strings.Repeat("p", n-len(pre)-len(post)) + post
}

func wireCases(t *testing.T) []wireCase {
	blob := text(200 << 10)
	copy(blob, "<!DOCTYPE html>")
	file := filepath.Join(t.TempDir(), "blob")
	if err := os.WriteFile(file, blob, 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(t.TempDir(), "small")
	if err := os.WriteFile(small, blob[:100], 0o644); err != nil {
		t.Fatal(err)
	}
	sendFile := func(path string, setLength bool) handler {
		return func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			f, err := os.Open(path)
			if err != nil {
				note("open: %v", err)
				return
			}
			defer f.Close()
			if setLength {
				fi, _ := f.Stat()
				w.Header().Set("Content-Length", fmt.Sprint(fi.Size()))
			}
			n, err := io.Copy(w, f)
			note("io.Copy = %d, %v", n, err)
		}
	}
	panicAfter := func(v any, before handler) handler {
		return func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			before(w, r, note)
			panic(v)
		}
	}
	flush := func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
		w.(http.Flusher).Flush()
	}
	// watch waits on the request's context for up to wait.
	watch := func(wait time.Duration) handler {
		return func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			select {
			case <-r.Context().Done():
				note("context: %v", r.Context().Err())
			case <-time.After(wait):
				note("context: still there after %v", wait)
			}
			echo(w, r, note)
		}
	}
	hold := text(holdSize)
	kib10 := text(10 << 10)

	return []wireCase{
		// Bodies, types and lengths.
		{name: "small body", h: writes([]byte("hello, world\n"))},
		{name: "small html body", h: writes([]byte("<!DOCTYPE html><title>x</title>"))},
		{name: "content type set", h: withHeader(map[string][]string{"Content-Type": {"text/x-custom"}}, 0, []byte("hello"))},
		{name: "nil content type stops sniffing", h: withHeader(map[string][]string{"Content-Type": nil}, 0, []byte("hello"))},
		{name: "content encoding stops sniffing", h: withHeader(map[string][]string{"Content-Encoding": {"gzip"}}, 0, []byte("\x1f\x8b\x08hello"))},
		{name: "empty content encoding sniffs", h: withHeader(map[string][]string{"Content-Encoding": {""}}, 0, []byte("hello"))},
		{name: "explicit content length", h: withHeader(map[string][]string{"Content-Length": {"5"}}, 0, []byte("hello"))},
		{name: "explicit content length written in pieces", h: withHeader(map[string][]string{"Content-Length": {"10240"}}, 0, kib10[:3000], kib10[3000:])},
		{name: "empty content length value", h: withHeader(map[string][]string{"Content-Length": {""}}, 0, []byte("hello"))},
		{name: "nil content length", h: withHeader(map[string][]string{"Content-Length": nil}, 0, []byte("hello"))},
		{name: "invalid content length", h: withHeader(map[string][]string{"Content-Length": {"five"}}, 0, []byte("hello"))},
		// One request where the client cannot read the response: the
		// server would go on to the next as the test shuts it down.
		{name: "invalid content length on HEAD", h: withHeader(map[string][]string{"Content-Length": {"five"}}, 0), reqs: []string{head}},
		{name: "negative content length", h: withHeader(map[string][]string{"Content-Length": {"-1"}}, 0, []byte("hello"))},
		{name: "two content length values", h: withHeader(map[string][]string{"Content-Length": {"5", "5"}}, 0, []byte("hello"))},
		{name: "no body", h: func(http.ResponseWriter, *http.Request, func(string, ...any)) {}},
		{name: "status only", h: withHeader(nil, http.StatusOK)},
		{name: "404 with body", h: withHeader(nil, http.StatusNotFound, []byte("nope"))},
		{name: "handler sets date", h: withHeader(map[string][]string{"Date": {"Mon, 02 Jan 2006 15:04:05 GMT"}}, 0, []byte("hello"))},
		{name: "handler sets empty date", h: withHeader(map[string][]string{"Date": nil}, 0, []byte("hello"))},
		{name: "exactly the held size", h: writes(hold)},
		{name: "one byte over the held size", h: writes(text(holdSize + 1))},
		{name: "held size in two writes", h: writes(hold[:1000], hold[1000:])},
		{name: "10 KiB in one write", h: writes(kib10)},
		{name: "10 KiB in 100-byte writes", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			for p := kib10; len(p) > 0; {
				n := min(len(p), 100)
				write(w, p[:n], note)
				p = p[n:]
			}
		}},
		{name: "text then binary past the held size", h: writes(text(100), make([]byte, 3000))},
		{name: "small then large writes", h: writes(text(10), text(1000), text(5000), text(10))},

		// Flushing.
		{name: "flush halfway", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			write(w, kib10[:5<<10], note)
			w.(http.Flusher).Flush()
			write(w, kib10[5<<10:], note)
		}},
		{name: "flush before writing", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			flush(w, r, note)
			write(w, []byte("late"), note)
		}},
		{name: "flush only", h: flush},
		{name: "response controller flush", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			write(w, text(100), note)
			note("Flush: %v", http.NewResponseController(w).Flush())
			write(w, text(100), note)
		}},
		{name: "flush with content length", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.Header().Set("Content-Length", "200")
			write(w, text(100), note)
			flush(w, r, note)
			write(w, text(100), note)
		}},
		{name: "write deadline passed", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			http.NewResponseController(w).SetWriteDeadline(time.Now().Add(-time.Second))
			_, err := w.Write(kib10)
			note("Write failed: %v", err != nil)
		}},
		{name: "response controller deadlines", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			rc := http.NewResponseController(w)
			note("SetWriteDeadline: %v", rc.SetWriteDeadline(time.Now().Add(time.Minute)))
			note("SetReadDeadline: %v", rc.SetReadDeadline(time.Now().Add(time.Minute)))
			note("EnableFullDuplex: %v", rc.EnableFullDuplex())
			write(w, []byte("ok"), note)
		}},

		// Statuses.
		{name: "304 drops entity headers", h: withHeader(map[string][]string{
			"Content-Type": {"text/html"}, "Content-Length": {"100"}, "Etag": {`"abc"`}, "Transfer-Encoding": {"chunked"},
		}, http.StatusNotModified, []byte("x"))},
		{name: "204 with a write", h: withHeader(nil, http.StatusNoContent, []byte("x"))},
		{name: "204 with content length", h: withHeader(map[string][]string{"Content-Length": {"10"}, "Content-Type": {"text/plain"}}, http.StatusNoContent)},
		{name: "status 599", h: withHeader(nil, 599, []byte("x"))},
		{name: "status 299", h: withHeader(nil, 299, []byte("x"))},
		{name: "status 42 panics", h: withHeader(nil, 42, []byte("x"))},
		{name: "status 1000 panics", h: withHeader(nil, 1000)},
		{name: "103 early hints then 200", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.Header().Add("Link", "</a.css>; rel=preload; as=style")
			w.Header().Add("Link", "</b.js>; rel=preload; as=script")
			w.WriteHeader(http.StatusEarlyHints)
			w.Header().Set("Content-Type", "text/plain")
			write(w, []byte("ok"), note)
		}},
		{name: "103 keeps length and encoding for the final response", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.Header().Set("Content-Length", "2")
			w.Header().Set("Transfer-Encoding", "identity")
			w.Header().Set("Link", "</a.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusEarlyHints)
			write(w, []byte("ok"), note)
		}},
		{name: "100 continue from the handler", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.WriteHeader(http.StatusContinue)
			write(w, []byte("ok"), note)
		}},
		{name: "write header twice", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.WriteHeader(http.StatusAccepted)
			w.WriteHeader(http.StatusNotFound)
			write(w, []byte("ok"), note)
		}},

		// HEAD.
		{name: "HEAD writes 100 bytes", h: writes(text(100)), reqs: []string{head, head}},
		{name: "HEAD with length writes nothing", h: withHeader(map[string][]string{"Content-Length": {"1234"}}, 0), reqs: []string{head, head}},
		{name: "HEAD writes nothing", h: withHeader(nil, 0), reqs: []string{head, head}},
		{name: "HEAD writes 10 KiB", h: writes(kib10), reqs: []string{head, head}},
		{name: "HEAD writes more than its length", h: withHeader(map[string][]string{"Content-Length": {"5"}}, 0, []byte("hello, world")), reqs: []string{head, head}},
		{name: "HEAD flushes", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			write(w, text(100), note)
			flush(w, r, note)
			write(w, text(100), note)
		}, reqs: []string{head, head}},
		{name: "HEAD then GET", h: writes(text(100)), reqs: []string{head, get}},

		// Connection and Transfer-Encoding.
		{name: "response connection close", h: withHeader(map[string][]string{"Connection": {"close"}}, 0, []byte("bye"))},
		{name: "response connection Close", h: withHeader(map[string][]string{"Connection": {"Close"}}, 0, []byte("bye"))},
		{name: "response connection keep-alive", h: withHeader(map[string][]string{"Connection": {"keep-alive"}}, 0, []byte("hi"))},
		{name: "request connection close", h: writes([]byte("bye")), reqs: []string{getClose, get}},
		{name: "request connection close, handler clears r.Close", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			r.Close = false
			write(w, []byte("bye"), note)
		}, reqs: []string{getClose, get}},
		{name: "request connection close, chunked", h: writes(kib10), reqs: []string{getClose}},
		{name: "request and response connection close", h: withHeader(map[string][]string{"Connection": {"close"}}, 0, []byte("bye")), reqs: []string{getClose, get}},
		{name: "HEAD with transfer-encoding identity", h: withHeader(map[string][]string{"Transfer-Encoding": {"identity"}}, 0, []byte("hello")), reqs: []string{head, head}},
		{name: "transfer-encoding identity", h: withHeader(map[string][]string{"Transfer-Encoding": {"identity"}}, 0, []byte("hello"))},
		{name: "transfer-encoding identity, 10 KiB", h: withHeader(map[string][]string{"Transfer-Encoding": {"identity"}}, 0, kib10)},
		{name: "transfer-encoding identity with length", h: withHeader(map[string][]string{"Transfer-Encoding": {"identity"}, "Content-Length": {"5"}}, 0, []byte("hello"))},
		{name: "transfer-encoding chunked set by handler", h: withHeader(map[string][]string{"Transfer-Encoding": {"chunked"}}, 0, []byte("hello"))},
		{name: "transfer-encoding chunked with length", h: withHeader(map[string][]string{"Transfer-Encoding": {"chunked"}, "Content-Length": {"5"}}, 0, []byte("hello"))},
		{name: "transfer-encoding chunked with a length not reached", h: withHeader(map[string][]string{"Transfer-Encoding": {"chunked"}, "Content-Length": {"5"}}, 0, []byte("hel"))},
		{name: "transfer-encoding chunked with a length passed", h: withHeader(map[string][]string{"Transfer-Encoding": {"chunked"}, "Content-Length": {"5"}}, 0, []byte("hello"), []byte(", world"))},
		{name: "transfer-encoding gzip set by handler", h: withHeader(map[string][]string{"Transfer-Encoding": {"gzip"}}, 0, []byte("hello")), reqs: []string{get}},

		// Header fields.
		{name: "CR and LF in values", h: withHeader(map[string][]string{
			"X-Split": {"a\r\nInjected: yes", "b\rc\nd"}, "X-Trim": {"  padded \t"}, "X-Empty": {""},
		}, 0, []byte("ok"))},
		{name: "invalid names dropped", h: withHeader(map[string][]string{
			"Bad Name": {"1"}, "Bad\r\nName": {"2"}, "": {"3"}, "Bad:Name": {"4"}, "X-Good": {"5"}, "lower-case": {"6"},
		}, 0, []byte("ok"))},
		{name: "multiple values", h: withHeader(map[string][]string{
			"Set-Cookie": {"a=1", "b=2", "c=3"}, "Vary": {"Accept", "Accept-Encoding"}, "X-None": nil,
		}, 0, []byte("ok"))},
		{name: "many fields", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			for i := range 40 {
				w.Header().Set(fmt.Sprintf("X-Field-%02d", 39-i), fmt.Sprint(i))
			}
			write(w, []byte("ok"), note)
		}},
		{name: "header changed after WriteHeader", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.Header().Set("X-Before", "1")
			w.Header().Set("Content-Length", "2")
			w.WriteHeader(http.StatusOK)
			w.Header().Set("X-After", "1")
			w.Header().Set("Content-Length", "5")
			w.Header().Set("X-Before", "2")
			w.Header().Set("Content-Type", "text/x-late")
			write(w, []byte("ok"), note)
		}},
		{name: "header first called after WriteHeader", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.WriteHeader(http.StatusOK)
			w.Header().Set("X-After", "1")
			w.Header().Set("Connection", "close")
			write(w, []byte("ok"), note)
		}},
		{name: "header set after Write", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			write(w, []byte("ok"), note)
			w.Header().Set("X-After", "1")
		}},

		// Bodies from files (response.ReadFrom).
		{name: "file with content length", h: sendFile(file, true)},
		{name: "file without content length", h: sendFile(file, false)},
		{name: "file on HEAD", h: sendFile(file, true), reqs: []string{head, head}},
		{name: "small file", h: sendFile(small, false)},
		{name: "reader, not a file", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.Header().Set("Content-Length", fmt.Sprint(len(kib10)))
			n, err := w.(io.ReaderFrom).ReadFrom(struct{ io.Reader }{bytes.NewReader(kib10)})
			note("ReadFrom = %d, %v", n, err)
		}},
		{name: "file after a write", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			write(w, []byte("prefix\n"), note)
			sendFile(file, false)(w, r, note)
		}},

		// Declared lengths not kept.
		{name: "content length larger than written", h: withHeader(map[string][]string{"Content-Length": {"100"}}, 0, text(50))},
		{name: "content length larger than written, flushed", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.Header().Set("Content-Length", "100")
			write(w, text(50), note)
			flush(w, r, note)
		}},
		{name: "writing more than content length", h: withHeader(map[string][]string{"Content-Length": {"10"}}, 0, text(8), text(8), text(2))},
		{name: "file larger than content length", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			w.Header().Set("Content-Length", "1000")
			sendFile(small, false)(w, r, note)
		}},

		// Panics.
		{name: "panic before writing", h: panicAfter("boom", withHeader(map[string][]string{"X": {"1"}}, 0))},
		{name: "panic after WriteHeader", h: panicAfter("boom", withHeader(nil, http.StatusTeapot))},
		{name: "panic after a small write", h: panicAfter("boom", writes(text(100)))},
		{name: "panic after a large write", h: panicAfter("boom", writes(text(3000)))},
		// net/http holds a small write after the header in the
		// response's buffer, which a panic loses; leanhttp has it in the
		// connection's, which goes out. Either way the viewer gets a
		// truncated body; only where it ends differs (3000 bytes or
		// 3100), so that is left out.
		{name: "panic after a large write and a small one", h: panicAfter("boom", writes(text(3000), text(100))),
			quirk: truncatedBody},
		{name: "panic after flush", h: panicAfter("boom", func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			write(w, text(100), note)
			flush(w, r, note)
		})},
		{name: "panic after 103", h: panicAfter("boom", withHeader(map[string][]string{"Link": {"</a>"}}, http.StatusEarlyHints))},
		{name: "panic ErrAbortHandler", h: panicAfter(http.ErrAbortHandler, writes(text(100)))},
		{name: "panic ErrAbortHandler after flush", h: panicAfter(http.ErrAbortHandler, func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			write(w, text(100), note)
			flush(w, r, note)
		})},

		// Server settings.
		{name: "nil handler serves DefaultServeMux", cfg: func(hs *http.Server) { hs.Handler = nil }},
		{name: "write timeout", h: func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
			time.Sleep(300 * time.Millisecond)
			write(w, []byte("late"), note)
		}, cfg: func(hs *http.Server) { hs.WriteTimeout = 100 * time.Millisecond }},

		// Requests, as the handler sees them.
		{name: "echo GET", h: echo, reqs: []string{"GET /a/b?c=d&e=%20f HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n"}},
		{name: "echo HEAD", h: echo, reqs: []string{"HEAD /a HTTP/1.1\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo lower-case names", h: echo, reqs: []string{"GET / HTTP/1.1\r\nhost: example.com\r\nuser-agent: x\r\naccept-encoding: gzip\r\nx-mIxEd-CaSe: 1\r\n\r\n"}},
		{name: "echo duplicate fields", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nCookie: a=1\r\nX-A: 1\r\nCookie: b=2\r\nX-A: 2\r\nx-a: 3\r\n\r\n"}},
		{name: "echo pragma no-cache", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nPragma: no-cache\r\n\r\n"}},
		{name: "echo pragma with cache-control", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nPragma: no-cache\r\nCache-Control: max-age=5\r\n\r\n"}},
		{name: "echo whitespace", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost:example.com\r\nX-A:\t v w \t\r\nX-Empty:\r\nX-B:   \r\n\r\n"}},
		{name: "echo obs-text value", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nX-A: caf\xc3\xa9\r\n\r\n"}},
		{name: "echo escapes", h: echo, reqs: []string{"GET /a%20b/%2F/c?q=%zz&r=1#frag HTTP/1.1\r\nHost: example.com\r\n\r\n"}},
		{name: "echo host with port", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"}},
		{name: "echo empty host", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: \r\n\r\n"}},
		{name: "echo IPv6 host", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"}},
		{name: "echo connection close", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, Close\r\n\r\n", get}},
		{name: "echo POST with body", h: echo, reqs: []string{post, get}},
		{name: "echo POST chunked", h: echo, reqs: []string{"POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", get}},
		{name: "echo GET with empty body", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n", get}},
		{name: "echo absolute form", h: echo, reqs: []string{"GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo asterisk", h: echo, reqs: []string{"OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo HTTP/1.0", h: echo, reqs: []string{"GET / HTTP/1.0\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo HTTP/1.0 keep-alive", h: echo, reqs: []string{"GET / HTTP/1.0\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n", get}},
		{name: "echo HTTP/2.0", h: echo, reqs: []string{"GET / HTTP/2.0\r\nHost: example.com\r\n\r\n"}},
		{name: "echo missing host", h: echo, reqs: []string{"GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", get}},
		{name: "echo two hosts", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", get}},
		{name: "echo bad host", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", get}},
		{name: "echo obs-fold", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nX-Fold: a\r\n b\r\n\r\n", get}},
		{name: "echo bare LF", h: echo, reqs: []string{"GET / HTTP/1.1\nHost: example.com\nX-A: 1\n\n", get}},
		{name: "echo bare LF at the end", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\n\n", get}},
		{name: "echo space before colon", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nX-A : 1\r\n\r\n", get}},
		{name: "echo control byte in value", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nX-A: 1\x012\r\n\r\n", get}},
		{name: "echo non-ASCII target", h: echo, reqs: []string{"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo lower-case method", h: echo, reqs: []string{"get / HTTP/1.1\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo two spaces", h: echo, reqs: []string{"GET  / HTTP/1.1\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo leading CRLF", h: echo, reqs: []string{"\r\nGET / HTTP/1.1\r\nHost: example.com\r\n\r\n", get}},
		{name: "echo upgrade", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", get}},
		{name: "echo 6 KiB field", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nCookie: " + strings.Repeat("c", 6<<10) + "\r\n\r\n", get}},
		{name: "echo head of the buffer's size", h: echo, reqs: []string{sized(readBufSize), get}},
		{name: "echo head one byte over the buffer", h: echo, reqs: []string{sized(readBufSize + 1), get}},
		{name: "echo head one byte under the buffer", h: echo, reqs: []string{sized(readBufSize - 1), get}},
		{name: "echo head over MaxHeaderBytes", h: echo, reqs: []string{sized(8 << 10), get}, cfg: func(hs *http.Server) { hs.MaxHeaderBytes = 1 }},
		{name: "echo expect 100-continue", h: echo, reqs: []string{"PUT / HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", get}},
		{name: "echo expect 100-continue on GET", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\n\r\n", get}},
		{name: "echo expect something else", h: echo, reqs: []string{"GET / HTTP/1.1\r\nHost: example.com\r\nExpect: tea\r\n\r\n", get}},
		{name: "echo garbage", h: echo, reqs: []string{"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"}},

		// Pipelining.
		{name: "pipelined GETs", h: echo, reqs: []string{get, "GET /2 HTTP/1.1\r\nHost: example.com\r\n\r\n", "GET /3 HTTP/1.1\r\nHost: example.com\r\n\r\n"}},
		{name: "pipelined GET, POST, GET", h: echo, reqs: []string{get, post, "GET /3 HTTP/1.1\r\nHost: example.com\r\n\r\n"}},
		{name: "pipelined GET, HEAD, GET", h: writes(text(100)), reqs: []string{get, head, get}},
		{name: "pipelined past the buffer", h: echo, reqs: slices.Repeat([]string{"GET /many HTTP/1.1\r\nHost: example.com\r\nUser-Agent: pipelining test client/1.0\r\nAccept: */*\r\n\r\n"}, 50)},
		{name: "pipelined after connection close", h: echo, reqs: []string{getClose, get}},
		{name: "pipelined chunked responses", h: writes(kib10), reqs: []string{get, get, get}},

		// Handlers that wait on the request's context.
		{name: "watching handler, viewer stays", h: watch(50 * time.Millisecond)},
		{name: "watching handler, next request arrives meanwhile", h: watch(100 * time.Millisecond), splits: []int{len(get)}},
		{name: "watching handler, next request in pieces meanwhile", h: watch(100 * time.Millisecond), splits: []int{len(get), len(get) + 1, len(get) + 5}},
		{name: "watching handler, pipelined", h: watch(50 * time.Millisecond), reqs: []string{get, get, get}},
		{name: "watching handler, viewer half-closes", h: watch(time.Second), reqs: []string{get}, closeWrite: true},
		{name: "watching handler outlasts ReadTimeout", h: watch(400 * time.Millisecond), reqs: []string{get}, cfg: func(hs *http.Server) { hs.ReadTimeout = 100 * time.Millisecond }},
		{name: "watching handler outlasts WriteTimeout", h: watch(400 * time.Millisecond), reqs: []string{get}, cfg: func(hs *http.Server) { hs.WriteTimeout = 100 * time.Millisecond }},
		{name: "handler, viewer half-closes", h: writes([]byte("ok")), reqs: []string{get}, closeWrite: true},

		// Requests arriving in pieces.
		{name: "head in pieces", h: echo, reqs: []string{get, get}, splits: []int{3, 17, len(get) - 3, len(get) - 1, len(get) + 10}},
		{name: "head cut at each CRLF", h: echo, reqs: []string{get}, splits: []int{len(get) - 4, len(get) - 3, len(get) - 2, len(get) - 1}},
		{name: "POST in pieces", h: echo, reqs: []string{post, get}, splits: []int{10, len(post) - 5, len(post) - 2}},
		{name: "long head in pieces", h: echo, reqs: []string{sized(6000), get}, splits: []int{1000, 3000, 4095, 4096, 4097, 5000}},
	}
}

func TestWire(t *testing.T) {
	t.Parallel()
	cases := wireCases(t)
	outs := make([][2]string, len(cases))
	errs := make([]error, len(cases))
	// Run the cases at once (t.Parallel would run them GOMAXPROCS at a
	// time, and each waits 200 ms to see the connection stay open).
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range cases {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			outs[i], errs[i] = cases[i].run()
		})
	}
	wg.Wait()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if outs[i][0] != outs[i][1] {
				t.Errorf("differs (- net/http, + leanhttp):\n%s", diff(outs[i][0], outs[i][1]))
			}
		})
	}
}

// diff is a line diff of a and b: the lines of both, those of one only
// marked - or +.
func diff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j]: the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			fmt.Fprintf(&out, "  %s\n", x[i])
			i++
			j++
		case j == len(y) || i < len(x) && lcs[i+1][j] >= lcs[i][j+1]:
			fmt.Fprintf(&out, "- %s\n", x[i])
			i++
		default:
			fmt.Fprintf(&out, "+ %s\n", y[j])
			j++
		}
	}
	return out.String()
}

// readResponse reads one response and its body from br.
func readResponse(br *bufio.Reader, method string) (string, error) {
	raw := peekHead(br)
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	describe(&b, 0, resp)
	b.WriteString(raw)
	return b.String(), nil
}

// closedWithin reads conn until it ends and reports how soon (with what
// came before, if anything), or a timeout after max.
func closedWithin(conn net.Conn, max time.Duration) (got string, after time.Duration) {
	start := time.Now()
	conn.SetReadDeadline(start.Add(max))
	b, err := io.ReadAll(conn)
	if err == nil {
		err = io.EOF
	}
	return fmt.Sprintf("%q then %s", b, errText(err)), time.Since(start)
}

func TestContextCancelledWhenViewerLeaves(t *testing.T) {
	t.Parallel()
	for _, lean := range []bool{false, true} {
		t.Run(map[bool]string{false: "net/http", true: "leanhttp"}[lean], func(t *testing.T) {
			t.Parallel()
			started := make(chan struct{}, 1)
			waited := make(chan error, 1)
			ctxs := make(chan context.Context, 1)
			s, stop, err := startSide(lean, func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
				switch r.URL.Path {
				case "/wait":
					started <- struct{}{}
					select {
					case <-r.Context().Done():
						waited <- r.Context().Err()
					case <-time.After(5 * time.Second):
						waited <- errors.New("not cancelled in 5 s")
					}
				case "/keep":
					ctxs <- r.Context()
					io.WriteString(w, "ok")
				case "/panic":
					ctxs <- r.Context()
					panic(http.ErrAbortHandler)
				}
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := stop(); err != nil {
					t.Error(err)
				}
			}()

			// The viewer leaves while the handler waits.
			conn, err := net.Dial("tcp", s.addr)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(conn, "GET /wait HTTP/1.1\r\nHost: example.com\r\n\r\n")
			<-started
			left := time.Now()
			conn.Close()
			if err := <-waited; err != context.Canceled {
				t.Fatalf("handler saw %v, want %v", err, context.Canceled)
			}
			if d := time.Since(left); d > time.Second {
				t.Errorf("handler saw the viewer leave after %v", d)
			}

			// A context is cancelled once its handler returns, or
			// panics.
			for _, path := range []string{"/keep", "/panic"} {
				conn, err := net.Dial("tcp", s.addr)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: example.com\r\n\r\n")
				readResponse(bufio.NewReader(conn), "GET")
				ctx := <-ctxs
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
					t.Errorf("%s: context not cancelled after the handler", path)
				}
			}
		})
	}
}

// Not parallel: watchesStarted counts the watches of every test.
func TestHitStartsNoWatch(t *testing.T) {
	ctxs := make(chan context.Context, 1)
	s, stop, err := startSide(true, func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
		ctx := r.Context()
		_ = ctx.Value(http.ServerContextKey)
		_ = ctx.Value(http.LocalAddrContextKey)
		ctx.Deadline()
		switch r.URL.Path {
		case "/keep":
			ctxs <- ctx
		case "/panic":
			ctxs <- ctx
			panic(http.ErrAbortHandler)
		}
		if r.URL.Path == "/miss" {
			select {
			case <-ctx.Done():
				note("cancelled early")
			default:
			}
		}
		io.WriteString(w, "hit")
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	serve := func(path string, n int) int64 {
		before := watchesStarted.Load()
		for range n {
			io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: example.com\r\n\r\n")
			if _, err := readResponse(br, "GET"); err != nil {
				t.Fatal(err)
			}
		}
		return watchesStarted.Load() - before
	}
	if n := serve("/hit", 100); n != 0 {
		t.Errorf("100 hits started %d watches", n)
	}
	if n := serve("/miss", 3); n != 3 {
		t.Errorf("3 requests that wait on their context started %d watches", n)
	}
	if n := serve("/hit", 10); n != 0 {
		t.Errorf("10 hits after misses started %d watches", n)
	}

	// A context first asked for once its handler has returned, or
	// panicked, is cancelled already: no watch.
	before := watchesStarted.Load()
	serve("/keep", 1)
	if ctx := <-ctxs; ctx.Err() == nil {
		t.Error("context not cancelled once the response came")
	}
	pc, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	io.WriteString(pc, "GET /panic HTTP/1.1\r\nHost: example.com\r\n\r\n")
	if _, err := readResponse(bufio.NewReader(pc), "GET"); err == nil {
		t.Error("a response from a panicking handler")
	}
	if ctx := <-ctxs; ctx.Err() == nil {
		t.Error("context not cancelled once the handler panicked")
	}
	if n := watchesStarted.Load() - before; n != 0 {
		t.Errorf("contexts asked for after their handlers started %d watches", n)
	}
	s.quiet()
	if r := s.report(); strings.Contains(r, "noted") {
		t.Error(r)
	}
}

func TestShutdown(t *testing.T) {
	t.Parallel()
	var outs [2]string
	var wg sync.WaitGroup
	for i, lean := range []bool{false, true} {
		wg.Go(func() {
			var b strings.Builder
			defer func() { outs[i] = b.String() }()
			entered := make(chan struct{}, 1)
			h := func(w http.ResponseWriter, r *http.Request, note func(string, ...any)) {
				if r.URL.Path == "/slow" {
					// Shutting down, net/http writes its own
					// Connection: close instead of this.
					w.Header().Set("Connection", "Close")
					entered <- struct{}{}
					time.Sleep(300 * time.Millisecond)
				}
				io.WriteString(w, "done")
			}
			s := &side{lean: lean}
			hs := &http.Server{Handler: s.wrap(h), ErrorLog: log.New(s, "", 0)}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				fmt.Fprintln(&b, err)
				return
			}
			serve, shutdown := hs.Serve, hs.Shutdown
			if lean {
				ls := New(hs)
				serve, shutdown = ls.Serve, ls.Shutdown
			}
			served := make(chan error, 1)
			go func() { served <- serve(ln) }()

			idle, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				fmt.Fprintln(&b, err)
				return
			}
			defer idle.Close()
			io.WriteString(idle, get)
			ibr := bufio.NewReader(idle)
			r, err := readResponse(ibr, "GET")
			fmt.Fprintf(&b, "idle connection's response: %s(%v)\n", r, err)

			busy, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				fmt.Fprintln(&b, err)
				return
			}
			defer busy.Close()
			io.WriteString(busy, "GET /slow HTTP/1.1\r\nHost: example.com\r\n\r\n")
			<-entered

			shut := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				shut <- shutdown(ctx)
			}()
			got, after := closedWithin(idle, 2*time.Second)
			fmt.Fprintf(&b, "idle connection: %s, within 250 ms %v\n", got, after < 250*time.Millisecond)
			bbr := bufio.NewReader(busy)
			busy.SetReadDeadline(time.Now().Add(5 * time.Second))
			r, err = readResponse(bbr, "GET")
			fmt.Fprintf(&b, "busy connection's response: %s(%v)\n", r, err)
			busy.SetReadDeadline(time.Now().Add(time.Second))
			_, err = bbr.ReadByte()
			fmt.Fprintf(&b, "then %s\n", errText(err))
			fmt.Fprintf(&b, "Shutdown: %v\n", <-shut)
			fmt.Fprintf(&b, "Serve: %v\n", <-served)
			if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
				b.WriteString("dialled after Shutdown\n")
				c.Close()
			}
			b.WriteString(s.report())
		})
	}
	wg.Wait()
	if outs[0] != outs[1] {
		t.Errorf("differs (- net/http, + leanhttp):\n%s", diff(outs[0], outs[1]))
	}
	for _, want := range []string{"Shutdown: <nil>", "Serve: http: Server closed", "idle connection: \"\" then EOF, within 250 ms true", "close true", `"Connection: close"`, `body: "done"`} {
		if !strings.Contains(outs[1], want) {
			t.Errorf("leanhttp: no %q in\n%s", want, outs[1])
		}
	}
}

// Not parallel, to keep the timing honest.
func TestTimeouts(t *testing.T) {
	const d = 300 * time.Millisecond
	partial := "GET / HTTP/1.1\r\nHost: example.com\r\n"
	cases := []struct {
		name  string
		cfg   func(*http.Server)
		first string // a request answered before the clock starts
		then  string // what is sent after it, if anything
		// untimed: net/http answers before the timeout. leanhttp reads
		// a head whole before it hands it over, so a stalled head's
		// bad request line is answered (the same) at the timeout.
		untimed bool
	}{
		{"idle after a request", func(hs *http.Server) { hs.IdleTimeout = d; hs.ReadHeaderTimeout = time.Minute }, get, "", false},
		{"idle from ReadTimeout", func(hs *http.Server) { hs.ReadTimeout = d }, get, "", false},
		{"header of the first request", func(hs *http.Server) { hs.ReadHeaderTimeout = d; hs.IdleTimeout = time.Minute }, "", partial, false},
		{"nothing on a new connection", func(hs *http.Server) { hs.ReadHeaderTimeout = d; hs.IdleTimeout = time.Minute }, "", "", false},
		{"nothing on a new connection, no idle timeout", func(hs *http.Server) { hs.ReadHeaderTimeout = d }, "", "", false},
		{"header of the next request", func(hs *http.Server) { hs.ReadHeaderTimeout = d; hs.IdleTimeout = time.Minute }, get, partial, false},
		{"header from ReadTimeout", func(hs *http.Server) { hs.ReadTimeout = d }, "", partial, false},
		{"header of the next request from ReadTimeout", func(hs *http.Server) { hs.ReadTimeout = d }, get, partial, false},
		{"bad request line, then nothing", func(hs *http.Server) { hs.ReadHeaderTimeout = d }, "", "BOGUS\r\nHost: example.com\r\n", true},
		{"bad request line after a request, then nothing", func(hs *http.Server) { hs.ReadHeaderTimeout = d }, get, "GET / HTTP/9.9\r\n", true},
	}
	// The cases run at once, each on both servers, and are reported after.
	type result struct {
		outs [2]string
		errs []string
	}
	results := make([]result, len(cases))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for ci, tc := range cases {
		for i, lean := range []bool{false, true} {
			wg.Go(func() {
				res := &results[ci]
				fail := func(format string, args ...any) {
					mu.Lock()
					defer mu.Unlock()
					res.errs = append(res.errs, fmt.Sprintf(format, args...))
				}
				s, stop, err := startSide(lean, writes([]byte("ok")), tc.cfg)
				if err != nil {
					fail("%v", err)
					return
				}
				defer func() {
					if err := stop(); err != nil {
						fail("%v", err)
					}
				}()
				conn, err := net.Dial("tcp", s.addr)
				if err != nil {
					fail("%v", err)
					return
				}
				defer conn.Close()
				var b strings.Builder
				if tc.first != "" {
					io.WriteString(conn, tc.first)
					br := bufio.NewReader(conn)
					r, err := readResponse(br, "GET")
					fmt.Fprintf(&b, "%s(%v)\n", r, err)
					if br.Buffered() > 0 {
						b.WriteString("more bytes buffered\n")
					}
				}
				io.WriteString(conn, tc.then)
				got, after := closedWithin(conn, 2*time.Second)
				if !tc.untimed && (after < d-50*time.Millisecond || after > d+200*time.Millisecond) {
					fail("%s: %s after %v, want about %v", s.name(), got, after, d)
				}
				res.outs[i] = b.String() + got
			})
		}
	}
	wg.Wait()
	for ci, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := results[ci]
			for _, e := range res.errs {
				t.Error(e)
			}
			if res.outs[0] != res.outs[1] {
				t.Errorf("differs (- net/http, + leanhttp):\n%s", diff(res.outs[0], res.outs[1]))
			}
		})
	}
}
