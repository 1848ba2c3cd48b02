package edge

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// TestHitContentLength checks that every hit reaches the viewer with the
// right Content-Length and unchunked, on either side of net/http's 2 KiB
// buffer: serveEntry leaves Content-Length out of the header map for a
// small whole body to an HTTP/1 GET and net/http computes it, so a change
// in net/http that stopped doing so fails here. The access log's
// sc-content-len must see the same length either way.
func TestHitContentLength(t *testing.T) {
	tests := []struct {
		name   string
		size   int
		method string
		hdr    []string
		status int
		length int64
	}{
		{"empty GET", 0, http.MethodGet, nil, 200, 0},
		{"1 KiB GET", 1024, http.MethodGet, nil, 200, 1024},
		{"largest small GET", smallBody - 1, http.MethodGet, nil, 200, smallBody - 1},
		{"2 KiB GET", smallBody, http.MethodGet, nil, 200, smallBody},
		{"5000 B GET", 5000, http.MethodGet, nil, 200, 5000},
		{"1 KiB HEAD", 1024, http.MethodHead, nil, 200, 1024},
		{"1 KiB range", 1024, http.MethodGet, []string{"Range", "bytes=10-19"}, 206, 10},
		{"1 KiB unsatisfiable range", 1024, http.MethodGet, []string{"Range", "bytes=5000-"}, 416, 0},
		{"1 KiB not modified", 1024, http.MethodGet, []string{"If-None-Match", `"v1"`}, 304, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Repeat("x", tt.size)
			o := newOrigin(t, text(body, "Cache-Control", "max-age=600", "ETag", `"v1"`,
				"Content-Length", strconv.Itoa(tt.size)))
			var logs logRecords
			e := newEdge(t, Options{AccessLog: logs.add}, distribution(o.Server, withLogging))
			e.get(t, "d1.cloudfront.test", "/obj") // the miss
			e.settle(t)                            // stored once the viewer has it all
			resp := e.do(t, e.http, tt.method, "d1.cloudfront.test", "/obj", tt.hdr...)
			if got := resp.Header.Get("X-Cache"); got != "Hit from cloudfront" {
				t.Fatalf("X-Cache %q, want a hit", got)
			}
			if resp.StatusCode != tt.status || resp.ContentLength != tt.length || len(resp.TransferEncoding) != 0 {
				t.Errorf("status %d, Content-Length %d, Transfer-Encoding %v; want %d, %d, none",
					resp.StatusCode, resp.ContentLength, resp.TransferEncoding, tt.status, tt.length)
			}
			if tt.method == http.MethodGet && tt.status == 200 && len(resp.body) != tt.size {
				t.Errorf("body of %d bytes, want %d", len(resp.body), tt.size)
			}
			want := strconv.FormatInt(tt.length, 10)
			if tt.status == http.StatusNotModified {
				want = "" // a 304 has no Content-Length
			}
			if r := logs.last(t); r.ContentLength != want {
				t.Errorf("access log sc-content-len %q, want %q", r.ContentLength, want)
			}
		})
	}
}

// withLogging enables the distribution's access log: the edge calls its
// AccessLog hook only for such distributions.
func withLogging(c *cloudfront.DistributionConfig) {
	c.Logging = cloudfront.Logging{Enabled: true, Bucket: "logs.s3.amazonaws.com"}
}

// TestAccessLogOnlyLoggingDistributions: requests to a distribution
// without Logging, or to no distribution, make no record (the access-log
// writer would drop them), hits and misses alike.
func TestAccessLogOnlyLoggingDistributions(t *testing.T) {
	o := newOrigin(t, text("12345", "Cache-Control", "max-age=600"))
	logged := distribution(o.Server, withLogging)
	quiet := distribution(o.Server, func(c *cloudfront.DistributionConfig) { c.Aliases = []string{"quiet.example.com"} })
	quiet.ID, quiet.DomainName = "EQUIET", "d2.cloudfront.test"
	var logs logRecords
	e := newEdge(t, Options{AccessLog: logs.add}, logged, quiet)
	for _, tt := range []struct {
		host string
		want int // records after the request
	}{
		{"d2.cloudfront.test", 0},
		{"quiet.example.com", 0},
		{"unknown.example.com", 0},
		{"d1.cloudfront.test", 1},
		{"d1.cloudfront.test", 2},
		{"d2.cloudfront.test", 2},
	} {
		e.get(t, tt.host, "/a.txt")
		logs.mu.Lock()
		n := len(logs.recs)
		logs.mu.Unlock()
		if n != tt.want {
			t.Fatalf("after a request to %s: %d records, want %d", tt.host, n, tt.want)
		}
	}
}

// TestHitContentLengthFromDisk: small bodies served from the disk tier's
// files keep their Content-Length and are not chunked (net/http's
// ReadFrom sends the header before the body is whole).
func TestHitContentLengthFromDisk(t *testing.T) {
	o := newDiskOrigin(t)
	dir := t.TempDir()
	paths := []string{"/a?n=10", "/b?n=1000", "/c?n=2047", "/d?n=5000"}
	e := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	for _, p := range paths {
		e.expect(t, p, "Miss from cloudfront")
	}
	e.Close() // writes what memory held to disk
	e2 := diskEdge(t, o, dir, 1<<20, 64<<20, nil)
	for _, p := range paths {
		_, n, _ := strings.Cut(p, "?n=")
		want, _ := strconv.ParseInt(n, 10, 64)
		r := e2.get(t, d1, p) // the first hit comes from the file
		if r.Header.Get("X-Cache") != "Hit from cloudfront" || r.ContentLength != want || len(r.TransferEncoding) != 0 {
			t.Errorf("GET %s: X-Cache %q, Content-Length %d, Transfer-Encoding %v; want a hit, %d, none",
				p, r.Header.Get("X-Cache"), r.ContentLength, r.TransferEncoding, want)
		}
	}
}
