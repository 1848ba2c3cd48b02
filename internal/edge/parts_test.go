package edge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pattern is a generated object of size bytes (never stored): byte i is
// patternByte(i). It is an io.ReadSeeker, for http.ServeContent, which
// answers Range, If-Range and HEAD as a range-capable origin does.
type pattern struct {
	size, off int64
	seed      byte
}

func patternByte(i int64, seed byte) byte { return byte(i*31+i>>16) ^ seed }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.size-p.off))
	for i := range n {
		b[i] = patternByte(p.off+int64(i), p.seed)
	}
	p.off += int64(n)
	return n, nil
}

func (p *pattern) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		p.off = off
	case io.SeekCurrent:
		p.off += off
	case io.SeekEnd:
		p.off = p.size + off
	}
	return p.off, nil
}

func patternBytes(from, n int64, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = patternByte(from+int64(i), seed)
	}
	return b
}

// rangeOrigin serves a generated object with ranges and records the Range
// header of every request.
type rangeOrigin struct {
	*testOrigin
	mu     sync.Mutex
	ranges []string
}

func newRangeOrigin(t *testing.T, size int64, h func(w http.ResponseWriter, r *http.Request) bool) *rangeOrigin {
	ro := &rangeOrigin{}
	modTime := time.Date(2012, 10, 1, 0, 0, 0, 0, time.UTC)
	ro.testOrigin = newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		ro.mu.Lock()
		ro.ranges = append(ro.ranges, r.Header.Get("Range"))
		ro.mu.Unlock()
		if h != nil && h(w, r) {
			return
		}
		w.Header().Set("ETag", `"big"`)
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, "", modTime, &pattern{size: size})
	})
	return ro
}

func (ro *rangeOrigin) seen() []string {
	ro.mu.Lock()
	defer ro.mu.Unlock()
	return append([]string(nil), ro.ranges...)
}

func partRange(i, partSize, size int64) string {
	return "bytes=" + strconv.FormatInt(i*partSize, 10) + "-" + strconv.FormatInt(i*partSize+partSize-1, 10)
}

// TestPartsRanges: a cold range on a large object fetches only the part
// it needs and answers 206; later ranges fetch only their parts; a full
// GET fetches each missing part once and has the full object's headers;
// HEAD needs no part but the first.
func TestPartsRanges(t *testing.T) {
	const partSize, size = 16 << 10, 256 << 10
	o := newRangeOrigin(t, size, nil)
	e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
	steps := []struct {
		name, method, rng string
		status            int
		from, n           int64
		newRanges         []string   // origin requests this step makes
		multi             [][2]int64 // multipart/byteranges: each part's from and length
	}{
		{"cold first bytes", "GET", "bytes=0-9", 206, 0, 10, []string{partRange(0, partSize, size)}, nil},
		{"cold middle", "GET", "bytes=100000-100009", 206, 100000, 10, []string{partRange(6, partSize, size)}, nil},
		{"warm first bytes", "GET", "bytes=5-20", 206, 5, 16, nil, nil},
		{"across two parts", "GET", "bytes=16380-16390", 206, 16380, 11, []string{partRange(1, partSize, size)}, nil},
		{"suffix", "GET", "bytes=-5", 206, size - 5, 5, []string{partRange(15, partSize, size)}, nil},
		{"multipart, cold parts", "GET", "bytes=200000-200009,230000-230009", 206, 0, 0,
			[]string{partRange(12, partSize, size), partRange(14, partSize, size)}, [][2]int64{{200000, 10}, {230000, 10}}},
		{"multipart, warm", "GET", "bytes=200000-200009,230000-230009", 206, 0, 0, nil, [][2]int64{{200000, 10}, {230000, 10}}},
		{"multipart, warm and cold, across a part's end", "GET", "bytes=3-4,180220-180230", 206, 0, 0,
			[]string{partRange(10, partSize, size), partRange(11, partSize, size)}, [][2]int64{{3, 2}, {180220, 11}}},
		{"HEAD", "HEAD", "", 200, 0, 0, nil, nil},
	}
	before := 0
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var hdr []string
			if st.rng != "" {
				hdr = []string{"Range", st.rng}
			}
			r := e.do(t, e.http, st.method, "d1.cloudfront.test", "/big", hdr...)
			if st.multi != nil {
				checkRangeAnswer(t, r, st.rng, st.multi, size, "application/octet-stream")
			} else if r.StatusCode != st.status || !bytes.Equal([]byte(r.body), patternBytes(st.from, st.n, 0)) {
				t.Fatalf("%d, %d bytes, want %d with bytes %d+%d", r.StatusCode, len(r.body), st.status, st.from, st.n)
			}
			if st.status == 206 && st.multi == nil {
				want := "bytes " + strconv.FormatInt(st.from, 10) + "-" + strconv.FormatInt(st.from+st.n-1, 10) + "/" + strconv.Itoa(size)
				if cr := r.Header.Get("Content-Range"); cr != want {
					t.Fatalf("Content-Range %q, want %q", cr, want)
				}
			} else if st.multi == nil && r.Header.Get("Content-Length") != strconv.Itoa(size) {
				t.Fatalf("Content-Length %q", r.Header.Get("Content-Length"))
			}
			seen := o.seen()
			// Read-ahead may have started the next part: count only
			// what this step must have fetched.
			for _, want := range st.newRanges {
				found := false
				for _, s := range seen[before:] {
					found = found || s == want
				}
				if !found {
					t.Fatalf("origin requests %q, want %q among them", seen[before:], want)
				}
			}
			before = len(seen)
		})
	}
	// The whole object: every part once, the full object's headers.
	r := e.get(t, "d1.cloudfront.test", "/big")
	if r.StatusCode != 200 || !bytes.Equal([]byte(r.body), patternBytes(0, size, 0)) {
		t.Fatalf("full GET: %d, %d bytes", r.StatusCode, len(r.body))
	}
	for k, want := range map[string]string{"Content-Length": strconv.Itoa(size), "ETag": `"big"`,
		"Content-Type": "application/octet-stream", "Last-Modified": "Mon, 01 Oct 2012 00:00:00 GMT",
		"Content-Range": "", "X-Cache": "Hit from cloudfront"} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	count := map[string]int{}
	for _, s := range o.seen() {
		count[s]++
	}
	for i := int64(0); i < size/partSize; i++ {
		if n := count[partRange(i, partSize, size)]; n != 1 {
			t.Errorf("part %d fetched %d times", i, n)
		}
	}
	if len(count) != size/partSize {
		t.Errorf("origin requests %v", count)
	}
}

// TestPartsCollapsed: 20 viewers of a large object that the origin sends
// slowly share one origin request per part, and all get it whole.
func TestPartsCollapsed(t *testing.T) {
	const partSize, size, viewers = 64 << 10, 1 << 20, 20
	o := newRangeOrigin(t, size, func(w http.ResponseWriter, r *http.Request) bool {
		time.Sleep(20 * time.Millisecond) // a slow origin: viewers pile up
		return false
	})
	e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
	var wg sync.WaitGroup
	var bad atomic.Int32
	for range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := e.get(t, "d1.cloudfront.test", "/big"); !bytes.Equal([]byte(r.body), patternBytes(0, size, 0)) {
				bad.Add(1)
			}
		}()
	}
	wg.Wait()
	if bad.Load() != 0 {
		t.Fatalf("%d viewers got a wrong body", bad.Load())
	}
	count := map[string]int{}
	for _, s := range o.seen() {
		count[s]++
	}
	for i := int64(0); i < size/partSize; i++ {
		if n := count[partRange(i, partSize, size)]; n != 1 {
			t.Errorf("part %d fetched %d times", i, n)
		}
	}
	if n := len(o.seen()); n != size/partSize {
		t.Errorf("%d origin requests for %d parts: %v", n, size/partSize, count)
	}
}

// TestPartsOriginIgnoresRange: an origin that answers 200 to a ranged
// request still serves: the one response is cut into parts as it
// arrives, and later ranges come from the cache.
func TestPartsOriginIgnoresRange(t *testing.T) {
	const partSize = 16 << 10
	for _, chunked := range []bool{false, true} {
		t.Run("chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
			body := patternBytes(0, 100_000, 0)
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", `"whole"`)
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				w.Write(body[:50_000])
				w.(http.Flusher).Flush()
				w.Write(body[50_000:])
			})
			e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
			if r := e.get(t, "d1.cloudfront.test", "/w"); r.StatusCode != 200 || r.body != string(body) {
				t.Fatalf("%d, %d bytes", r.StatusCode, len(r.body))
			}
			e.settle(t) // the description is stored after the viewer got the last part
			r := e.get(t, "d1.cloudfront.test", "/w", "Range", "bytes=40000-40009")
			if r.StatusCode != 206 || r.body != string(body[40000:40010]) || r.Header.Get("X-Cache") != "Hit from cloudfront" {
				t.Fatalf("range: %d %q %q", r.StatusCode, r.body, r.Header.Get("X-Cache"))
			}
			if r := e.get(t, "d1.cloudfront.test", "/w"); r.body != string(body) || r.Header.Get("Content-Length") != "100000" {
				t.Fatalf("hit: %d bytes, Content-Length %q", len(r.body), r.Header.Get("Content-Length"))
			}
			if n := o.hits.Load(); n != 1 {
				t.Fatalf("origin requests = %d, want 1", n)
			}
		})
	}
}

// TestPartsVersionChange: a part whose answer is of another version (its
// ETag changed) is not mixed into the object: the viewer's response is
// cut short, the object is dropped, and the next viewer gets the new
// version whole.
func TestPartsVersionChange(t *testing.T) {
	const partSize, size = 16 << 10, 64 << 10
	var version atomic.Int32
	o := newRangeOrigin(t, size, func(w http.ResponseWriter, r *http.Request) bool {
		if version.Load() == 0 {
			return false
		}
		w.Header().Set("ETag", `"v2"`)
		http.ServeContent(w, r, "", time.Date(2012, 10, 2, 0, 0, 0, 0, time.UTC), &pattern{size: size, seed: 0xff})
		return true
	})
	e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
	if r := e.get(t, "d1.cloudfront.test", "/v", "Range", "bytes=0-0"); r.StatusCode != 206 {
		t.Fatalf("status %d", r.StatusCode)
	}
	version.Store(1)
	resp := e.open(t, "/v", "Range", "bytes=0-40000")
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatal("a response mixing two versions ended without error")
	}
	r := e.get(t, "d1.cloudfront.test", "/v")
	if !bytes.Equal([]byte(r.body), patternBytes(0, size, 0xff)) || r.Header.Get("ETag") != `"v2"` {
		t.Fatalf("after the change: %d bytes, ETag %q", len(r.body), r.Header.Get("ETag"))
	}
}

// TestPartsAttempts: one viewer request makes at most ConnectionAttempts
// failed origin attempts in all, across the parts it reads.
func TestPartsAttempts(t *testing.T) {
	const partSize, size = 16 << 10, 128 << 10
	var failed atomic.Int32
	o := newRangeOrigin(t, size, func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.Header.Get("Range"), "bytes=0-") {
			return false
		}
		failed.Add(1)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close() // no answer at all
		return true
	})
	e := newEdge(t, Options{PartSize: partSize}, distribution(o.Server))
	resp := e.open(t, "/a")
	b, err := io.ReadAll(resp.Body)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) && len(b) >= size {
		t.Fatalf("read %d bytes, %v: want a truncated response", len(b), err)
	}
	if !bytes.Equal(b, patternBytes(0, int64(len(b)), 0)) || len(b) < partSize {
		t.Fatalf("got %d bytes, want the first part intact", len(b))
	}
	time.Sleep(100 * time.Millisecond)
	if n := failed.Load(); n > DefaultConnectionAttempts {
		t.Fatalf("%d failed origin attempts for one viewer request, want at most %d: %q", n, DefaultConnectionAttempts, o.seen())
	}
}

// TestPartsMemory: 100 viewers read a 1 GiB object (generated, never
// stored) through an edge with a 128 MiB budget, all from its start, then
// 100 viewers each read two parts at their own place in it (each needs
// parts nobody else reads: fills in flight); the process's Go memory
// stays within the budget + 10 % less the binary's pages (checkMemory).
// The viewers are served in process into writers that count and drop the
// bytes, so the test measures the edge's memory, not 100 GiB of loopback
// copies.
func TestPartsMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a 1 GiB object")
	}
	const budget, size, viewers = 128 << 20, 1 << 30, 100
	o := newRangeOrigin(t, size, nil)
	e := newEdge(t, Options{CacheSize: budget}, distribution(o.Server))
	read := func(rng string, want int64) (ok bool) {
		w := &countingWriter{h: http.Header{}}
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		req := httptest.NewRequest(http.MethodGet, "/huge", nil)
		req.Host = "d1.cloudfront.test"
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		e.ServeHTTP(w, req)
		return w.n == want && (w.status == 200 || w.status == 206)
	}
	for _, tc := range []struct {
		name string
		rng  func(v int64) (string, int64)
	}{
		{"whole, together", func(int64) (string, int64) { return "", size }},
		{"two parts each, apart", func(v int64) (string, int64) {
			from := v * (size / viewers) / DefaultPartSize * DefaultPartSize
			return fmt.Sprintf("bytes=%d-%d", from, from+2*DefaultPartSize-1), 2 * DefaultPartSize
		}},
	} {
		w, rest := watchMemory(t, budget)
		start, hits := time.Now(), o.hits.Load()
		var wg sync.WaitGroup
		var bad atomic.Int32
		for v := range int64(viewers) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if !read(tc.rng(v)) {
					bad.Add(1)
				}
			}()
		}
		wg.Wait()
		peak := w.end()
		if bad.Load() != 0 {
			t.Fatalf("%s: %d viewers did not get their bytes", tc.name, bad.Load())
		}
		t.Logf("%s: %d viewers in %v, %d origin requests", tc.name, viewers, time.Since(start).Round(time.Millisecond), o.hits.Load()-hits)
		checkMemory(t, tc.name, budget, peak, rest)
	}
}

// countingWriter is a viewer that counts the body and drops it.
type countingWriter struct {
	h      http.Header
	status int
	n      int64
}

func (w *countingWriter) Header() http.Header { return w.h }
func (w *countingWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
}
func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(200)
	w.n += int64(len(p))
	return len(p), nil
}
func (w *countingWriter) Flush() {}

// TestPartsNotKept: a ranged origin's object that is not to be kept in
// parts is asked for whole after its first part told its size: one over
// MaxObjectSize (streamed, not cached) and one that a Compress behaviour
// compresses for this viewer (compressed whole, as before).
func TestPartsNotKept(t *testing.T) {
	const partSize = 16 << 10
	page := strings.Repeat(`{"compress":"me"},`, 3000) // 54,000 bytes of JSON
	o := newRangeOrigin(t, 0, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/page.json" {
			w.Header().Set("Content-Type", "application/json")
			http.ServeContent(w, r, "", time.Date(2012, 10, 1, 0, 0, 0, 0, time.UTC), strings.NewReader(page))
			return true
		}
		http.ServeContent(w, r, "", time.Date(2012, 10, 1, 0, 0, 0, 0, time.UTC), &pattern{size: 200_000})
		return true
	})
	e := newEdge(t, Options{PartSize: partSize, MaxObjectSize: 100_000}, distribution(o.Server, compressing))
	for i := range 2 {
		if r := e.get(t, "d1.cloudfront.test", "/huge.bin"); !bytes.Equal([]byte(r.body), patternBytes(0, 200_000, 0)) || r.Header.Get("X-Cache") != "Miss from cloudfront" {
			t.Fatalf("over MaxObjectSize, request %d: %d bytes, %q", i, len(r.body), r.Header.Get("X-Cache"))
		}
	}
	resp, b := e.compressGet(t, http.MethodGet, "/page.json", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || decode(t, "gzip", b) != page {
		t.Fatalf("Content-Encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(b))
	}
	want := []string{partRange(0, partSize, 0), "", partRange(0, partSize, 0), "", partRange(0, partSize, 0), ""}
	if got := o.seen(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("origin requests %q, want %q", got, want)
	}
}

// TestPartsDiskRestart: a large object's description and parts go to the
// disk tier like any entry and come back after a restart: the new edge
// serves it whole and in ranges without the origin.
func TestPartsDiskRestart(t *testing.T) {
	const partSize, size = 16 << 10, 256 << 10
	o := newRangeOrigin(t, size, nil)
	dir := t.TempDir()
	opts := Options{PartSize: partSize, CacheSize: 1 << 20, DiskCacheDir: dir, DiskCacheSize: 64 << 20}
	e := newEdge(t, opts, distribution(o.Server))
	if r := e.get(t, "d1.cloudfront.test", "/big"); !bytes.Equal([]byte(r.body), patternBytes(0, size, 0)) {
		t.Fatalf("first read: %d bytes", len(r.body))
	}
	e.Close()
	e2 := newEdge(t, opts, distribution(o.Server))
	o.Close() // only the disk can answer now
	r := e2.get(t, "d1.cloudfront.test", "/big")
	if !bytes.Equal([]byte(r.body), patternBytes(0, size, 0)) || r.Header.Get("X-Cache") != "Hit from cloudfront" ||
		r.Header.Get("Content-Length") != strconv.Itoa(size) {
		t.Fatalf("after restart: %d bytes, %q, Content-Length %q", len(r.body), r.Header.Get("X-Cache"), r.Header.Get("Content-Length"))
	}
	r = e2.get(t, "d1.cloudfront.test", "/big", "Range", "bytes=100000-100009")
	if r.StatusCode != 206 || !bytes.Equal([]byte(r.body), patternBytes(100000, 10, 0)) {
		t.Fatalf("range after restart: %d %q", r.StatusCode, r.body)
	}
}
