package edge

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// open sends a GET to the edge and returns the response with its body
// unread, for tests that watch a body arrive.
func (e *testEdge) open(t *testing.T, path string, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.http.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "d1.cloudfront.test"
	req.Header.Set("Accept-Encoding", "gzip")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestStreamingMiss: a viewer gets the first bytes of a miss while the
// origin has not sent the rest yet, with and without Content-Length, and
// so does a viewer that joins the flight later; both get the whole body,
// and the object is cached from the one origin request.
func TestStreamingMiss(t *testing.T) {
	const first, rest = "first chunk|", "and the rest of the object"
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			release := make(chan struct{})
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(first+rest)))
				}
				io.WriteString(w, first)
				w.(http.Flusher).Flush()
				<-release
				io.WriteString(w, rest)
			})
			e := newEdge(t, Options{}, distribution(o.Server))
			readFirst := func() (*http.Response, *bufio.Reader) {
				resp := e.open(t, "/slow")
				br := bufio.NewReader(resp.Body)
				got := make([]byte, len(first))
				if _, err := io.ReadFull(br, got); err != nil || string(got) != first {
					t.Fatalf("first bytes %q, %v", got, err)
				}
				return resp, br
			}
			// Both viewers have the first chunk while the origin still holds
			// the rest: it cannot have been buffered whole.
			r1, b1 := readFirst()
			r2, b2 := readFirst()
			select {
			case <-release:
				t.Fatal("released early")
			default:
			}
			close(release)
			for i, br := range []*bufio.Reader{b1, b2} {
				tail, err := io.ReadAll(br)
				if err != nil || string(tail) != rest {
					t.Fatalf("viewer %d: rest %q, %v", i, tail, err)
				}
			}
			for _, r := range []*http.Response{r1, r2} {
				if x := r.Header.Get("X-Cache"); x != "Miss from cloudfront" {
					t.Errorf("X-Cache %q", x)
				}
			}
			if r := e.get(t, "d1.cloudfront.test", "/slow"); r.body != first+rest || r.Header.Get("X-Cache") != "Hit from cloudfront" {
				t.Fatalf("then %q %q", r.body, r.Header.Get("X-Cache"))
			}
			if n := o.hits.Load(); n != 1 {
				t.Fatalf("origin requests = %d, want 1", n)
			}
		})
	}
}

// brokenOrigin sends headers and half of a body, then drops the
// connection: with a Content-Length that is not reached, or in the middle
// of a chunked body. Requests after the first `broken` get the whole body.
func brokenOrigin(t *testing.T, body string, chunked bool, broken int64, started chan<- struct{}, release <-chan struct{}) *testOrigin {
	var mu sync.Mutex
	n := int64(0)
	return newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		if k > broken {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			io.WriteString(w, body)
			return
		}
		conn, bw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		half := body[:len(body)/2]
		if chunked {
			fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(half), half)
		} else {
			fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), half)
		}
		bw.Flush()
		if started != nil {
			started <- struct{}{}
			<-release
		}
		if chunked {
			bw.WriteString("zz\r\n") // not a chunk size
			bw.Flush()
		}
	})
}

// TestTruncatedOrigin: a body that ends early reaches every viewer of the
// flight as a truncated response (the client sees an error, not a short
// success), is not cached, and the next viewer fetches it again.
func TestTruncatedOrigin(t *testing.T) {
	body := strings.Repeat("0123456789", 1000)
	for _, tt := range []struct {
		name    string
		chunked bool
		viewers int
	}{
		{"length, one viewer", false, 1},
		{"length, collapsed viewers", false, 5},
		{"chunked, one viewer", true, 1},
		{"chunked, collapsed viewers", true, 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			started, release := make(chan struct{}), make(chan struct{})
			o := brokenOrigin(t, body, tt.chunked, 1, started, release)
			recs := make(chan LogRecord, tt.viewers+1)
			e := newEdge(t, Options{AccessLog: func(r LogRecord) { recs <- r }}, distribution(o.Server, withLogging))
			errs := make(chan error, tt.viewers)
			var wg sync.WaitGroup
			resps := make([]*http.Response, tt.viewers)
			resps[0] = e.open(t, "/t")
			<-started
			for i := 1; i < tt.viewers; i++ {
				resps[i] = e.open(t, "/t") // joins the flight, reads along
			}
			for _, resp := range resps {
				wg.Add(1)
				go func() {
					defer wg.Done()
					b, err := io.ReadAll(resp.Body)
					if err == nil {
						err = fmt.Errorf("read %d bytes without error", len(b))
					} else {
						err = nil
					}
					errs <- err
				}()
			}
			close(release)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			// Each cut-short response is still logged, as an error the
			// origin caused.
			for range tt.viewers {
				var rec LogRecord
				select {
				case rec = <-recs:
				case <-time.After(10 * time.Second):
					t.Fatal("a cut-short response was not logged")
				}
				if rec.ResponseResultType != "Error" || rec.DetailedResultType != "OriginCommError" || rec.Status != http.StatusOK {
					t.Errorf("log record: status %d, %s/%s", rec.Status, rec.ResponseResultType, rec.DetailedResultType)
				}
			}
			r := e.get(t, "d1.cloudfront.test", "/t")
			if r.body != body || r.Header.Get("X-Cache") != "Miss from cloudfront" {
				t.Fatalf("next viewer: %d bytes, %q", len(r.body), r.Header.Get("X-Cache"))
			}
			if n := o.hits.Load(); n != 2 {
				t.Fatalf("origin requests = %d, want 2", n)
			}
		})
	}
}

// TestViewerValidatorsOnMiss: a conditional request that misses is
// answered from the object the edge fetches whole (the viewer's
// validators are not forwarded), which is then cached.
func TestViewerValidatorsOnMiss(t *testing.T) {
	lm := "Mon, 01 Oct 2012 00:00:00 GMT"
	o := newOrigin(t, text("body", "ETag", `"v1"`, "Last-Modified", lm))
	e := newEdge(t, Options{}, distribution(o.Server))
	tests := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"If-None-Match match", []string{"If-None-Match", `"v1"`}, 304},
		{"If-None-Match other", []string{"If-None-Match", `"v0"`}, 200},
		{"If-Modified-Since later", []string{"If-Modified-Since", "Tue, 02 Oct 2012 00:00:00 GMT"}, 304},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", "Sun, 30 Sep 2012 00:00:00 GMT"}, 200},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fmt.Sprintf("/v%d", i)
			r := e.get(t, "d1.cloudfront.test", path, tt.hdr...)
			if r.StatusCode != tt.status || r.Header.Get("X-Cache") != "Miss from cloudfront" {
				t.Fatalf("%d %q, want %d on a miss", r.StatusCode, r.Header.Get("X-Cache"), tt.status)
			}
			if got := o.lastRequest().Header; got.Get("If-None-Match") != "" || got.Get("If-Modified-Since") != "" {
				t.Fatalf("validators forwarded: %v", got)
			}
			// A 304 answers before the body is stored: the next viewer may
			// still read the flight (a miss) before the object is a hit.
			r = e.get(t, "d1.cloudfront.test", path)
			for deadline := time.Now().Add(5 * time.Second); r.Header.Get("X-Cache") != "Hit from cloudfront" && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
				r = e.get(t, "d1.cloudfront.test", path)
			}
			if r.StatusCode != 200 || r.body != "body" || r.Header.Get("X-Cache") != "Hit from cloudfront" {
				t.Fatalf("then %d %q %q", r.StatusCode, r.body, r.Header.Get("X-Cache"))
			}
			if n := o.hits.Load(); n != int64(i+1) {
				t.Fatalf("origin requests = %d, want %d", n, i+1)
			}
		})
	}
}

// TestLeaverDoesNotCancel: the viewer that started a fetch leaving does
// not stop it for the others, and the object is cached.
func TestLeaverDoesNotCancel(t *testing.T) {
	body := strings.Repeat("x", 100_000)
	release := make(chan struct{})
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		io.WriteString(w, body[:10])
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, body[10:])
	})
	e := newEdge(t, Options{}, distribution(o.Server))
	first := e.open(t, "/l")
	second := e.open(t, "/l")
	first.Body.Close()
	close(release)
	b, err := io.ReadAll(second.Body)
	if err != nil || string(b) != body {
		t.Fatalf("second viewer: %d bytes, %v", len(b), err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if r := e.get(t, "d1.cloudfront.test", "/l"); r.Header.Get("X-Cache") == "Hit from cloudfront" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never cached")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := o.hits.Load(); n != 1 {
		t.Fatalf("origin requests = %d, want 1", n)
	}
}
