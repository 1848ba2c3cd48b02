package edge

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readParts parses a multipart/byteranges answer with mime/multipart and
// returns each part's Content-Range and body; every part must carry the
// object's Content-Type, ctype.
func readParts(t *testing.T, r response, ctype string) (ranges, bodies []string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		t.Fatalf("Content-Type %q: %v", r.Header.Get("Content-Type"), err)
	}
	if cl := r.Header.Get("Content-Length"); cl != strconv.Itoa(len(r.body)) {
		t.Fatalf("Content-Length %s for %d bytes", cl, len(r.body))
	}
	mr := multipart.NewReader(strings.NewReader(r.body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if ct := p.Header.Get("Content-Type"); ct != ctype {
			t.Errorf("part Content-Type %q", ct)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		ranges = append(ranges, p.Header.Get("Content-Range"))
		bodies = append(bodies, string(b))
	}
}

// TestMultipartRanges: several ascending, non-overlapping ranges get 206
// multipart/byteranges (RFC 9110 §14.6), from the cache and on a miss.
func TestMultipartRanges(t *testing.T) {
	o := newOrigin(t, text("0123456789", "Content-Type", "text/plain", "ETag", `"m"`))
	e := newEdge(t, Options{}, distribution(o.Server))
	tests := []struct {
		name, rng     string
		ranges, parts []string
	}{
		{"two", "bytes=0-1,4-5", []string{"bytes 0-1/10", "bytes 4-5/10"}, []string{"01", "45"}},
		{"three with suffix", "bytes=0-0, 2-3 ,-2", []string{"bytes 0-0/10", "bytes 2-3/10", "bytes 8-9/10"}, []string{"0", "23", "89"}},
		{"adjacent", "bytes=0-1,2-3", []string{"bytes 0-1/10", "bytes 2-3/10"}, []string{"01", "23"}},
		{"open end clamped", "bytes=1-1,8-", []string{"bytes 1-1/10", "bytes 8-9/10"}, []string{"1", "89"}},
	}
	for i, tt := range tests {
		for _, path := range []string{"/cold" + strconv.Itoa(i), "/cold" + strconv.Itoa(i)} {
			t.Run(tt.name+path, func(t *testing.T) {
				r := e.get(t, "d1.cloudfront.test", path, "Range", tt.rng)
				if r.StatusCode != http.StatusPartialContent {
					t.Fatalf("status %d", r.StatusCode)
				}
				ranges, parts := readParts(t, r, "text/plain")
				if strings.Join(ranges, "|") != strings.Join(tt.ranges, "|") || strings.Join(parts, "|") != strings.Join(tt.parts, "|") {
					t.Fatalf("got %q %q, want %q %q", ranges, parts, tt.ranges, tt.parts)
				}
			})
		}
	}
	// One satisfiable range among unsatisfiable ones is a plain 206.
	r := e.get(t, "d1.cloudfront.test", "/cold0", "Range", "bytes=2-3,50-60")
	if r.StatusCode != 206 || r.body != "23" || r.Header.Get("Content-Range") != "bytes 2-3/10" {
		t.Fatalf("%d %q %q", r.StatusCode, r.body, r.Header.Get("Content-Range"))
	}
}

// TestRangeRules covers the whole-object, 416 and If-Range cases, on a
// cold object (answered while it arrives) and on a warm one.
func TestRangeRules(t *testing.T) {
	lm := "Mon, 01 Oct 2012 00:00:00 GMT"
	o := newOrigin(t, text("0123456789", "ETag", `"r"`, "Last-Modified", lm))
	e := newEdge(t, Options{}, distribution(o.Server))
	tests := []struct {
		name, rng, ifRange string
		status             int
		body, cr           string
	}{
		{"single", "bytes=2-4", "", 206, "234", "bytes 2-4/10"},
		{"unit case", "BYTES=2-4", "", 206, "234", "bytes 2-4/10"},
		{"overlap: whole object (CloudFront)", "bytes=0-5,3-7", "", 200, "0123456789", ""},
		{"descending: whole object (CloudFront)", "bytes=5-6,0-1", "", 200, "0123456789", ""},
		{"one invalid spec: whole object", "bytes=0-1,x-2", "", 200, "0123456789", ""},
		{"too many ranges: whole object", "bytes=" + strings.TrimSuffix(strings.Repeat("0-0,", maxRanges+1), ","), "", 200, "0123456789", ""},
		{"unsatisfiable", "bytes=20-30", "", 416, "", "bytes */10"},
		{"all unsatisfiable", "bytes=20-30,40-", "", 416, "", "bytes */10"},
		{"zero suffix", "bytes=-0", "", 416, "", "bytes */10"},
		{"If-Range strong ETag", "bytes=0-1", `"r"`, 206, "01", "bytes 0-1/10"},
		{"If-Range other ETag", "bytes=0-1", `"x"`, 200, "0123456789", ""},
		{"If-Range weak ETag never matches", "bytes=0-1", `W/"r"`, 200, "0123456789", ""},
		{"If-Range date", "bytes=0-1", lm, 206, "01", "bytes 0-1/10"},
		{"If-Range other date", "bytes=0-1", "Tue, 02 Oct 2012 00:00:00 GMT", 200, "0123456789", ""},
	}
	// Every cold request first, then every warm one: a cold range that
	// stops short of the end does not wait for the object to be stored.
	for _, temp := range []string{"cold", "warm"} {
		if temp == "warm" {
			// A cold answer that stopped short of the body does not wait
			// for the object to be stored: wait for each here.
			for i := range tests {
				deadline := time.Now().Add(5 * time.Second)
				for e.get(t, "d1.cloudfront.test", "/r"+strconv.Itoa(i)).Header.Get("X-Cache") != "Hit from cloudfront" && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
			}
		}
		for i, tt := range tests {
			t.Run(tt.name+"/"+temp, func(t *testing.T) {
				hdr := []string{"Range", tt.rng}
				if tt.ifRange != "" {
					hdr = append(hdr, "If-Range", tt.ifRange)
				}
				r := e.get(t, "d1.cloudfront.test", "/r"+strconv.Itoa(i), hdr...)
				if r.StatusCode != tt.status || r.body != tt.body || r.Header.Get("Content-Range") != tt.cr {
					t.Fatalf("got %d %q %q, want %d %q %q", r.StatusCode, r.body, r.Header.Get("Content-Range"), tt.status, tt.body, tt.cr)
				}
				wantCache := "Miss from cloudfront"
				if temp == "warm" {
					wantCache = "Hit from cloudfront"
				}
				if x := r.Header.Get("X-Cache"); x != wantCache {
					t.Fatalf("X-Cache %q, want %q", x, wantCache)
				}
			})
		}
	}
	if n := o.hits.Load(); n != int64(len(tests)) {
		t.Fatalf("origin requests = %d, want %d", n, len(tests))
	}
}

func FuzzParseRanges(f *testing.F) {
	for _, s := range []string{"bytes=0-3", "bytes=7-", "bytes=-2", "bytes=8-100", "bytes=0-1,4-5",
		"bytes=5-2", "lines=1-2", "bytes=a-b", "bytes=20-30", "bytes=-0", "bytes=--1", "bytes= 1 - 2 ",
		"bytes=0-1,,3-4", "bytes=0-5,3-7", "bytes=,", "bytes=99999999999999999999-"} {
		f.Add(s, int64(10))
	}
	f.Fuzz(func(t *testing.T, spec string, size int64) {
		if size < 0 || size > 1<<40 {
			return
		}
		rs, ok := parseRanges([]string{spec}, size)
		if !ok {
			return
		}
		if len(rs) > maxRanges {
			t.Fatalf("%d ranges", len(rs))
		}
		prev := int64(-1)
		for _, r := range rs {
			if r.start > r.end || r.start < 0 || r.end >= size || r.start <= prev {
				t.Fatalf("parseRanges(%q, %d) = %v: out of the object or order", spec, size, rs)
			}
			prev = r.end
		}
	})
}
