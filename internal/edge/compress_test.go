package edge

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/openfront/openfront/internal/cloudfront"
)

// The rules these tests replay are the developer guide's "Serve compressed
// files": gzip or br from Accept-Encoding (br preferred), CloudFront's
// compressible types, 1,000 to 10,000,000 bytes, a Content-Length, no
// Content-Encoding from the origin, a strong ETag made weak. Brotli only
// where the behaviour offers it: "You must use cache policies to use
// Brotli compression. Brotli doesn't support legacy cache settings", so a
// behaviour with legacy ForwardedValues compresses with gzip alone.

// offerBrotli sets, on every compiled behaviour with Compress, the flag a
// cache policy with EnableAcceptEncodingBrotli sets, for these tests of
// a legacy behaviour's compression, written before the edge had cache
// policies (TestCachePolicyCompression has Brotli from a policy). It
// runs before the edge serves anything, and stores the snapshot again so
// that every request's Load sees the flag (a viewer in another process,
// curl, gives the race detector no other ordering).
func offerBrotli(s *Server) {
	c := s.snap.Load()
	for _, d := range c.hosts.all() {
		if s.ready(d) == nil {
			continue
		}
		for i := range d.behaviors {
			d.behaviors[i].brotli = d.behaviors[i].compress
		}
	}
	s.snap.Store(c)
}

// textBody is n bytes of HTML and script with words drawn at random
// (fixed seed), which compresses about as pages do.
func textBody(n int) string {
	words := strings.Fields("the a of to and in is for on with var function return const let if else " +
		"div span class href src style width height color margin padding item list user data value " +
		"error window document query select render update index page title header footer button")
	rng := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "<div class=\"%s-%d\">", words[rng.IntN(len(words))], rng.IntN(1000))
		for range 4 + rng.IntN(12) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "<a href=\"/%s/%d\">%d</a></div>\n", words[rng.IntN(len(words))], rng.IntN(100000), rng.Uint32())
	}
	return b.String()[:n]
}

// compressing is distribution() with Compress on the default behaviour.
func compressing(c *cloudfront.DistributionConfig) { c.DefaultCacheBehavior.Compress = true }

// rawGet sends a request with exactly the headers given (no implicit
// Accept-Encoding) and does not decode the body.
func (e *testEdge) compressGet(t *testing.T, method, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "d1.cloudfront.test"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// decode undoes a Content-Encoding with Go's gzip reader or the brotli
// reader.
func decode(t *testing.T, coding string, b []byte) string {
	t.Helper()
	var r io.Reader
	switch coding {
	case "":
		return string(b)
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		t.Fatalf("unexpected Content-Encoding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", coding, err)
	}
	return string(out)
}

func TestCompressCases(t *testing.T) {
	page := textBody(5000)
	var gzPage bytes.Buffer
	zw := gzip.NewWriter(&gzPage)
	zw.Write([]byte(page))
	zw.Close()

	tests := []struct {
		name     string
		ae       []string // viewer Accept-Encoding values; nil: none
		ctype    string
		body     string
		status   int
		chunked  bool   // no Content-Length from the origin
		origEnc  string // the origin's own Content-Encoding
		extra    []string
		off      bool   // Compress false
		br       bool   // the behaviour offers Brotli (offerBrotli)
		want     string // Content-Encoding the viewer gets
		wantVary bool
	}{
		{name: "gzip", ae: []string{"gzip"}, ctype: "text/html", body: page, want: "gzip", wantVary: true},
		{name: "br preferred", ae: []string{"gzip, deflate, br"}, ctype: "text/html", body: page, br: true, want: "br", wantVary: true},
		{name: "br only", ae: []string{"br"}, ctype: "application/javascript", body: page, br: true, want: "br", wantVary: true},
		{name: "br q=0", ae: []string{"br;q=0, gzip;q=0.5"}, ctype: "text/html", body: page, br: true, want: "gzip", wantVary: true},
		// Legacy cache settings: gzip only, whatever the viewer prefers.
		{name: "legacy: gzip, deflate, br gets gzip", ae: []string{"gzip, deflate, br"}, ctype: "text/html", body: page, want: "gzip", wantVary: true},
		{name: "legacy: br alone gets identity", ae: []string{"br"}, ctype: "application/javascript", body: page, want: "", wantVary: true},
		{name: "legacy: br first, gzip second value", ae: []string{"br", "gzip;q=0.1"}, ctype: "text/css", body: page, want: "gzip", wantVary: true},
		{name: "gzip q=0", ae: []string{"gzip;q=0"}, ctype: "text/html", body: page, want: "", wantVary: true},
		{name: "gzip q=0.000 second value", ae: []string{"deflate", "GZIP ; q=0.000"}, ctype: "text/html", body: page, want: "", wantVary: true},
		{name: "x-gzip", ae: []string{"x-gzip"}, ctype: "text/css", body: page, want: "gzip", wantVary: true},
		{name: "star is not a coding", ae: []string{"*"}, ctype: "text/html", body: page, want: "", wantVary: true},
		{name: "no Accept-Encoding", ctype: "text/html", body: page, want: "", wantVary: true},
		{name: "type with parameters", ae: []string{"gzip"}, ctype: "Text/CSS; charset=utf-8", body: page, want: "gzip", wantVary: true},
		{name: "svg", ae: []string{"br"}, ctype: "image/svg+xml", body: page, br: true, want: "br", wantVary: true},
		{name: "png not compressible", ae: []string{"gzip, br"}, ctype: "image/png", body: page, want: ""},
		{name: "no type", ae: []string{"gzip"}, body: page, want: ""},
		{name: "999 bytes", ae: []string{"gzip"}, ctype: "text/plain", body: page[:999], want: ""},
		{name: "1000 bytes", ae: []string{"gzip"}, ctype: "text/plain", body: page[:1000], want: "gzip", wantVary: true},
		{name: "no Content-Length", ae: []string{"gzip"}, ctype: "text/html", body: page, chunked: true, want: ""},
		{name: "origin encoded", ae: []string{"gzip"}, ctype: "text/html", body: gzPage.String(), origEnc: "gzip", want: "gzip"},
		{name: "no-transform", ae: []string{"gzip"}, ctype: "text/html", body: page, extra: []string{"Cache-Control", "max-age=60, no-transform"}, want: ""},
		{name: "404 compressed", ae: []string{"gzip"}, ctype: "text/html", body: page, status: 404, want: "gzip", wantVary: true},
		{name: "403 compressed", ae: []string{"br"}, ctype: "text/html", body: page, status: 403, br: true, want: "br", wantVary: true},
		{name: "500 not compressed", ae: []string{"gzip"}, ctype: "text/html", body: page, status: 500, want: ""},
		{name: "Compress off", ae: []string{"gzip, br"}, ctype: "text/html", body: page, off: true, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			origin := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				h := w.Header()
				if tt.ctype != "" {
					h.Set("Content-Type", tt.ctype)
				} else {
					h["Content-Type"] = nil // no sniffing
				}
				if tt.origEnc != "" {
					h.Set("Content-Encoding", tt.origEnc)
				}
				for i := 0; i+1 < len(tt.extra); i += 2 {
					h.Set(tt.extra[i], tt.extra[i+1])
				}
				if !tt.chunked {
					h.Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				if tt.status != 0 {
					w.WriteHeader(tt.status)
				}
				if tt.chunked {
					io.WriteString(w, tt.body[:10])
					w.(http.Flusher).Flush()
					io.WriteString(w, tt.body[10:])
					return
				}
				io.WriteString(w, tt.body)
			})
			edit := compressing
			if tt.off {
				edit = func(*cloudfront.DistributionConfig) {}
			}
			e := newEdge(t, Options{}, distribution(origin.Server, edit))
			if tt.br {
				offerBrotli(e.Server)
			}
			var hdr []string
			for _, v := range tt.ae {
				hdr = append(hdr, "Accept-Encoding", v)
			}
			resp, b := e.compressGet(t, http.MethodGet, "/obj", hdr...)
			if got := resp.Header.Get("Content-Encoding"); got != tt.want {
				t.Fatalf("Content-Encoding %q, want %q", got, tt.want)
			}
			// A miss without Content-Length from the origin is streamed as it
			// arrives, without one.
			if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(len(b)) && (!tt.chunked || got != "") {
				t.Errorf("Content-Length %s for %d bytes", got, len(b))
			}
			if got := varyHasAcceptEncoding(resp.Header["Vary"]); got != tt.wantVary {
				t.Errorf("Vary %q, want Accept-Encoding: %v", resp.Header["Vary"], tt.wantVary)
			}
			want := tt.body
			if tt.origEnc != "" {
				want = page
			}
			if got := decode(t, resp.Header.Get("Content-Encoding"), b); got != want {
				t.Fatalf("decoded body differs: %d bytes, want %d", len(got), len(want))
			}
			if tt.want != "" && tt.origEnc == "" && len(b) >= len(tt.body)/2 {
				t.Errorf("%s body is %d bytes for %d: not compressed", tt.want, len(b), len(tt.body))
			}
		})
	}
}

type compressStep struct {
	ae, want, xcache, originAE string
	hits                       int64
}

// TestCompressCachedPerEncoding: br, gzip and identity viewers each cause
// one origin fetch and then hit their own copy; the origin is asked for
// the one coding the variant may hold. With legacy cache settings there
// is no br copy: a viewer that prefers br shares the gzip one, and a
// viewer that accepts br alone the identity one.
func TestCompressCachedPerEncoding(t *testing.T) {
	withBrotli := []compressStep{
		{"gzip, deflate, br", "br", "Miss from cloudfront", "br", 1},
		{"gzip", "gzip", "Miss from cloudfront", "gzip", 2},
		{"", "", "Miss from cloudfront", "", 3},
		{"br", "br", "Hit from cloudfront", "", 3},
		{"deflate, gzip;q=1.0", "gzip", "Hit from cloudfront", "", 3},
		{"identity", "", "Hit from cloudfront", "", 3},
		{"br;q=0, gzip", "gzip", "Hit from cloudfront", "", 3},
	}
	legacy := []compressStep{
		{"gzip, deflate, br", "gzip", "Miss from cloudfront", "gzip", 1},
		{"br", "", "Miss from cloudfront", "", 2},
		{"gzip", "gzip", "Hit from cloudfront", "", 2},
		{"", "", "Hit from cloudfront", "", 2},
		{"br;q=1, gzip;q=0.1", "gzip", "Hit from cloudfront", "", 2},
	}
	t.Run("cache policy with Brotli", func(t *testing.T) { compressSteps(t, true, withBrotli) })
	t.Run("legacy cache settings", func(t *testing.T) { compressSteps(t, false, legacy) })
}

func compressSteps(t *testing.T, br bool, steps []compressStep) {
	page := textBody(20000)
	origin := newOrigin(t, text(page, "Content-Type", "text/html", "Cache-Control", "max-age=300", "Content-Length", strconv.Itoa(len(page))))
	e := newEdge(t, Options{}, distribution(origin.Server, compressing))
	if br {
		offerBrotli(e.Server)
	}
	checkCompressSteps(t, e, origin, page, steps)
}

// checkCompressSteps sends steps' requests for /page in order, checking
// each answer's coding, X-Cache and body (page, decoded), the origin's
// count and, on misses, the Accept-Encoding it got.
func checkCompressSteps(t *testing.T, e *testEdge, origin *testOrigin, page string, steps []compressStep) {
	t.Helper()
	for i, st := range steps {
		var hdr []string
		if st.ae != "" {
			hdr = []string{"Accept-Encoding", st.ae}
		}
		resp, b := e.compressGet(t, http.MethodGet, "/page", hdr...)
		if got := resp.Header.Get("Content-Encoding"); got != st.want {
			t.Fatalf("step %d (%q): Content-Encoding %q, want %q", i, st.ae, got, st.want)
		}
		if got := resp.Header.Get("X-Cache"); got != st.xcache {
			t.Fatalf("step %d (%q): X-Cache %q, want %q", i, st.ae, got, st.xcache)
		}
		if got := decode(t, st.want, b); got != page {
			t.Fatalf("step %d: decoded body differs", i)
		}
		if n := origin.hits.Load(); n != st.hits {
			t.Fatalf("step %d: origin hits %d, want %d", i, n, st.hits)
		}
		if st.xcache != "Hit from cloudfront" {
			if got := strings.Join(origin.lastRequest().Header["Accept-Encoding"], ","); got != st.originAE {
				t.Fatalf("step %d: origin got Accept-Encoding %q, want %q", i, got, st.originAE)
			}
		}
	}
}

// TestCompressETagRangeHEAD: the compressed copy has a weak ETag (still
// weak after a 304 renews it), answers If-None-Match with it, serves
// ranges of the compressed bytes, ignores an If-Range it cannot match
// strongly, and answers HEAD with the GET's headers.
func TestCompressETagRangeHEAD(t *testing.T) {
	page := textBody(30000)
	origin := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") != "" {
			// Weak comparison, as RFC 9110 §13.1.2 asks of origins.
			if strings.TrimPrefix(r.Header.Get("If-None-Match"), "W/") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		io.WriteString(w, page)
	})
	e := newEdge(t, Options{}, distribution(origin.Server, compressing))

	full, zb := e.compressGet(t, http.MethodGet, "/data.json", "Accept-Encoding", "gzip")
	if got := full.Header.Get("ETag"); got != `W/"v1"` {
		t.Fatalf("compressed ETag %q, want W/\"v1\"", got)
	}
	if decode(t, "gzip", zb) != page {
		t.Fatal("decoded body differs")
	}
	plain, _ := e.compressGet(t, http.MethodGet, "/data.json")
	if got := plain.Header.Get("ETag"); got != `"v1"` {
		t.Fatalf("identity ETag %q, want the origin's strong \"v1\"", got)
	}

	resp, b := e.compressGet(t, http.MethodGet, "/data.json", "Accept-Encoding", "gzip", "If-None-Match", `W/"v1"`)
	if resp.StatusCode != http.StatusNotModified || len(b) != 0 {
		t.Fatalf("If-None-Match: %d with %d bytes, want 304", resp.StatusCode, len(b))
	}

	resp, b = e.compressGet(t, http.MethodGet, "/data.json", "Accept-Encoding", "gzip", "Range", "bytes=0-99")
	wantRange := "bytes 0-99/" + strconv.Itoa(len(zb))
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Range") != wantRange || !bytes.Equal(b, zb[:100]) {
		t.Fatalf("Range: %d %q, %d bytes; want 206 %q and the first 100 compressed bytes", resp.StatusCode, resp.Header.Get("Content-Range"), len(b), wantRange)
	}
	// A strong validator from the identity copy must not splice ranges of
	// the compressed one.
	resp, b = e.compressGet(t, http.MethodGet, "/data.json", "Accept-Encoding", "gzip", "Range", "bytes=0-99", "If-Range", `"v1"`)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(b, zb) {
		t.Fatalf("If-Range with the identity ETag: %d, %d bytes; want 200 with the whole compressed body", resp.StatusCode, len(b))
	}

	head, hb := e.compressGet(t, http.MethodHead, "/data.json", "Accept-Encoding", "gzip")
	for _, k := range []string{"Content-Encoding", "Content-Length", "ETag", "Vary"} {
		if head.Header.Get(k) != full.Header.Get(k) {
			t.Errorf("HEAD %s %q, GET had %q", k, head.Header.Get(k), full.Header.Get(k))
		}
	}
	if len(hb) != 0 {
		t.Errorf("HEAD returned %d body bytes", len(hb))
	}

	// After expiry the origin answers 304: the renewed copy keeps its
	// weak ETag and compressed body.
	e.clock.Advance(61e9)
	resp, b = e.compressGet(t, http.MethodGet, "/data.json", "Accept-Encoding", "gzip")
	if resp.Header.Get("X-Cache") != "RefreshHit from cloudfront" || resp.Header.Get("ETag") != `W/"v1"` || !bytes.Equal(b, zb) {
		t.Fatalf("after revalidation: %q, ETag %q, same body %v", resp.Header.Get("X-Cache"), resp.Header.Get("ETag"), bytes.Equal(b, zb))
	}
}

// TestCompressCurl decodes with curl --compressed when curl is installed.
func TestCompressCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	page := textBody(8000)
	origin := newOrigin(t, text(page, "Content-Type", "text/css", "Content-Length", strconv.Itoa(len(page))))
	e := newEdge(t, Options{}, distribution(origin.Server, compressing))
	offerBrotli(e.Server)
	for _, ae := range []string{"gzip", "br"} {
		out, err := exec.Command(curl, "-sS", "--compressed", "-H", "Accept-Encoding: "+ae,
			"-H", "Host: d1.cloudfront.test", "-D", "/dev/stderr", e.http.URL+"/site.css").Output()
		if err != nil {
			t.Fatalf("curl (%s): %v", ae, err)
		}
		if string(out) != page {
			t.Fatalf("curl --compressed (%s): %d bytes, want the page's %d", ae, len(out), len(page))
		}
	}
}

// TestCompressible covers the bounds the edge table cannot cheaply reach
// (10,000,000 bytes) and the ETag conversion.
func TestCompressible(t *testing.T) {
	resp := func(status int, n int64, hdr ...string) *http.Response {
		h := http.Header{"Content-Type": {"text/html"}}
		for i := 0; i+1 < len(hdr); i += 2 {
			h.Set(hdr[i], hdr[i+1])
		}
		return &http.Response{StatusCode: status, ContentLength: n, Header: h}
	}
	tests := []struct {
		name string
		r    *http.Response
		n    int
		want bool
	}{
		{"10,000,000 bytes", resp(200, 10_000_000), 10_000_000, true},
		{"10,000,001 bytes", resp(200, 10_000_001), 10_000_001, false},
		{"1,000 bytes", resp(200, 1000), 1000, true},
		{"999 bytes", resp(200, 999), 999, false},
		{"no Content-Length", resp(200, -1), 5000, false},
		{"206", resp(206, 5000), 5000, false},
		{"Content-Encoding identity", resp(200, 5000, "Content-Encoding", "identity"), 5000, false},
		{"NO-TRANSFORM", resp(200, 5000, "Cache-Control", "NO-TRANSFORM"), 5000, false},
		{"json", resp(200, 5000, "Content-Type", "application/json"), 5000, true},
		{"octet-stream", resp(200, 5000, "Content-Type", "application/octet-stream"), 5000, false},
	}
	for _, tt := range tests {
		if got := compressible(tt.r, tt.n); got != tt.want {
			t.Errorf("%s: compressible = %v, want %v", tt.name, got, tt.want)
		}
	}
	for in, want := range map[string]string{`"a"`: `W/"a"`, `W/"a"`: `W/"a"`, `bogus`: `bogus`} {
		h := http.Header{"Etag": {in}}
		if weakenETag(h); h.Get("ETag") != want {
			t.Errorf("weakenETag(%s) = %s, want %s", in, h.Get("ETag"), want)
		}
	}
}

func TestViewerEncoding(t *testing.T) {
	tests := []struct {
		in   []string
		want byte // with Brotli offered; without, br becomes gzip or identity
	}{
		{nil, encIdentity},
		{[]string{""}, encIdentity},
		{[]string{"gzip"}, encGzip},
		{[]string{"br"}, encBrotli},
		{[]string{"gzip, br"}, encBrotli},
		{[]string{"gzip", "br"}, encBrotli},
		{[]string{"br;q=0, gzip"}, encGzip},
		{[]string{"br;q=0.001"}, encBrotli},
		{[]string{"br;q=0."}, encIdentity},
		{[]string{"br;q=0.0, gzip;q=0"}, encIdentity},
		{[]string{"gzip, gzip;q=0"}, encIdentity},
		{[]string{"gzip;level=1;q=0"}, encIdentity},
		{[]string{"gzip;q=1"}, encGzip},
		{[]string{"brotli, gzipx, deflate"}, encIdentity},
		{[]string{"*"}, encIdentity},
		{[]string{" BR ; Q=0.5 "}, encBrotli},
		{[]string{",,,gzip,,"}, encGzip},
	}
	for _, tt := range tests {
		if got := viewerEncoding(tt.in, true); got != tt.want {
			t.Errorf("viewerEncoding(%q, Brotli) = %c, want %c", tt.in, got, tt.want)
		}
	}
	legacy := []struct {
		in   []string
		want byte
	}{
		{[]string{"br"}, encIdentity},
		{[]string{"gzip, br"}, encGzip},
		{[]string{"gzip", "br"}, encGzip},
		{[]string{"br;q=1, gzip;q=0.001"}, encGzip},
		{[]string{"br, gzip;q=0"}, encIdentity},
		{[]string{" BR ; Q=0.5 "}, encIdentity},
		{[]string{"gzip, deflate, br, zstd"}, encGzip},
	}
	for _, tt := range legacy {
		if got := viewerEncoding(tt.in, false); got != tt.want {
			t.Errorf("viewerEncoding(%q, legacy) = %c, want %c", tt.in, got, tt.want)
		}
	}
}

func FuzzViewerEncoding(f *testing.F) {
	for _, s := range []string{"gzip", "gzip, deflate, br", "br;q=0", "gzip;q=0.000", "*;q=0", ";;,,=", "br;q="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ae string) {
		got := viewerEncoding([]string{ae}, true)
		if got != encIdentity && got != encGzip && got != encBrotli {
			t.Fatalf("viewerEncoding(%q) = %q", ae, got)
		}
		// br wins only if br is named; gzip only if a gzip is named.
		lower := strings.ToLower(ae)
		if got == encBrotli && !strings.Contains(lower, "br") || got == encGzip && !strings.Contains(lower, "gzip") {
			t.Fatalf("viewerEncoding(%q) = %c without naming it", ae, got)
		}
		// Without Brotli offered, never br; the rest is the same answer.
		legacy := viewerEncoding([]string{ae}, false)
		if legacy == encBrotli || got != encBrotli && legacy != got {
			t.Fatalf("viewerEncoding(%q, legacy) = %c, with Brotli %c", ae, legacy, got)
		}
	})
}

// TestCompressHitAllocs: a hit on a Compress behaviour allocates no more
// than TestHitAllocs allows a plain one.
func TestCompressHitAllocs(t *testing.T) {
	page := textBody(4096)
	origin := newOrigin(t, text(page, "Content-Type", "text/html", "Content-Length", strconv.Itoa(len(page))))
	s, err := New(Options{HostID: "0123456789abcdef0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Apply(testSnapshot(1, distribution(origin.Server, compressing)), nil); err != nil {
		t.Fatal(err)
	}
	offerBrotli(s)
	r, _ := http.NewRequest(http.MethodGet, "/obj", nil)
	r.RequestURI, r.Host = "/obj", "d1.cloudfront.test"
	r.Header.Set("Accept-Encoding", "gzip, deflate, br")
	w := warmUp(t, s, r)
	if w.h.Get("Content-Encoding") != "br" {
		t.Fatalf("warm-up: Content-Encoding %q", w.h.Get("Content-Encoding"))
	}
	if allocs := hitAllocs(s, r, w); allocs > 1 {
		t.Fatalf("a compressed hit allocates %.1f times, want at most 1", allocs)
	}
}

// BenchmarkHit1KBCompressed is BenchmarkHit1KB on a Compress behaviour
// with a br viewer: what parsing Accept-Encoding adds to a hit.
func BenchmarkHit1KBCompressed(b *testing.B) {
	page := textBody(1 << 10)
	o := httptest.NewServer(text(page, "Content-Type", "text/html", "Content-Length", strconv.Itoa(len(page))))
	b.Cleanup(o.Close)
	s, err := New(Options{HostID: "0123456789abcdef0123456789abcdef"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.Apply(testSnapshot(1, distribution(o, compressing)), nil); err != nil {
		b.Fatal(err)
	}
	offerBrotli(s)
	r := httptest.NewRequest(http.MethodGet, "/obj", nil)
	r.Host = "d1.cloudfront.test"
	r.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	r.Header.Set("User-Agent", "bench")
	w := &discardWriter{h: http.Header{}}
	s.ServeHTTP(w, r)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			w.reset()
			s.ServeHTTP(w, r)
		}
	})
}

// BenchmarkCompressLevels measures the Brotli and gzip levels on 1 MB of
// page text, for the choice of brotliLevel and gzipLevel.
func BenchmarkCompressLevels(b *testing.B) {
	page := []byte(textBody(1 << 20))
	for _, level := range []int{1, 4, 5, 6, 9, 11} {
		b.Run("br"+strconv.Itoa(level), func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			var n int
			for b.Loop() {
				var buf bytes.Buffer
				w := brotli.NewWriterLevel(&buf, level)
				w.Write(page)
				w.Close()
				n = buf.Len()
			}
			b.ReportMetric(100*float64(n)/float64(len(page)), "%size")
		})
	}
	for _, level := range []int{1, 6, 9} {
		b.Run("gzip"+strconv.Itoa(level), func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			var n int
			for b.Loop() {
				var buf bytes.Buffer
				w, _ := gzip.NewWriterLevel(&buf, level)
				w.Write(page)
				w.Close()
				n = buf.Len()
			}
			b.ReportMetric(100*float64(n)/float64(len(page)), "%size")
		})
	}
}

// TestCompressForwardedAcceptEncoding: when Headers forwards
// Accept-Encoding, the origin gets the viewer's own value (not the edge's
// normalised one), each value is its own object, and the edge still
// compresses what the origin left identity.
func TestCompressForwardedAcceptEncoding(t *testing.T) {
	page := textBody(6000)
	origin := newOrigin(t, text(page, "Content-Type", "text/html", "Content-Length", strconv.Itoa(len(page))))
	e := newEdge(t, Options{}, distribution(origin.Server, compressing, withHeaders("Accept-Encoding")))
	offerBrotli(e.Server)
	for i, tt := range []struct{ ae, want string }{
		{"gzip, deflate, br", "br"}, {"gzip, br", "br"}, {"gzip", "gzip"}, {"gzip, deflate, br", "br"},
	} {
		resp, b := e.compressGet(t, http.MethodGet, "/fwd", "Accept-Encoding", tt.ae)
		if got := resp.Header.Get("Content-Encoding"); got != tt.want {
			t.Fatalf("%q: Content-Encoding %q, want %q", tt.ae, got, tt.want)
		}
		if decode(t, tt.want, b) != page {
			t.Fatalf("%q: decoded body differs", tt.ae)
		}
		if i < 3 && origin.lastRequest().Header.Get("Accept-Encoding") != tt.ae {
			t.Fatalf("origin got Accept-Encoding %q, want the viewer's %q", origin.lastRequest().Header.Get("Accept-Encoding"), tt.ae)
		}
	}
	if n := origin.hits.Load(); n != 3 {
		t.Fatalf("origin hits %d, want 3 (one per Accept-Encoding value)", n)
	}
}
