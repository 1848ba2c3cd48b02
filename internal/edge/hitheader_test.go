package edge

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
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
			e := newEdge(t, Options{AccessLog: logs.add}, distribution(o.Server))
			e.get(t, "d1.cloudfront.test", "/obj") // the miss
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
