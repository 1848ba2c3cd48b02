package edge

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// corkListeners serves e's Server on six listeners: HTTP/1.1, TLS and
// HTTP/2 over TLS, each with the edge's ConnContext (so that large hits
// are corked) and without it (the plain path).
func corkListeners(t *testing.T, s *Server) (corked, plain map[string]*httptest.Server) {
	t.Helper()
	corked, plain = map[string]*httptest.Server{}, map[string]*httptest.Server{}
	for _, withCork := range []bool{true, false} {
		for _, proto := range []string{"http", "tls", "h2"} {
			srv := httptest.NewUnstartedServer(s)
			if withCork {
				srv.Config.ConnContext = s.ConnContext
			}
			switch proto {
			case "http":
				srv.Start()
			case "tls":
				srv.StartTLS()
			case "h2":
				srv.EnableHTTP2 = true
				srv.StartTLS()
			}
			t.Cleanup(srv.Close)
			if withCork {
				corked[proto] = srv
			} else {
				plain[proto] = srv
			}
		}
	}
	return corked, plain
}

// rawResponse is a response as the viewer saw it, minus the request id,
// which differs on every request.
func rawResponse(t *testing.T, srv *httptest.Server, method, path string, hdr ...string) (string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "d1.cloudfront.test"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := srv.Client()
	c.Transport.(*http.Transport).DisableCompression = true
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	// A multipart answer's boundary is random per response.
	if _, bnd, ok := strings.Cut(resp.Header.Get("Content-Type"), "boundary="); ok {
		resp.Header.Set("Content-Type", strings.ReplaceAll(resp.Header.Get("Content-Type"), bnd, "BOUNDARY"))
		body = bytes.ReplaceAll(body, []byte(bnd), []byte("BOUNDARY"))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d\n", resp.Proto, resp.StatusCode)
	keys := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		if k != "X-Amz-Cf-Id" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %q\n", k, resp.Header[k])
	}
	return b.String(), body
}

// TestCorkedHitsIdentical: a large hit sent corked (the edge listener's
// ConnContext) has the same status, headers and bytes as one sent
// without, over HTTP/1.1, TLS and HTTP/2, for whole bodies, ranges, HEAD
// and validators, from the memory tier and from a disk tier file
// (sendfile).
func TestCorkedHitsIdentical(t *testing.T) {
	body := make([]byte, 1<<20+12345)
	for i := range body {
		body[i] = byte(i*7 + i>>11)
	}
	origin := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Date", "Tue, 02 Oct 2012 21:00:00 GMT")
		w.Header().Set("ETag", `"big-v1"`)
		w.Header().Set("Last-Modified", "Mon, 01 Oct 2012 21:00:00 GMT")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body[:len(body)-int(len(r.URL.Path))]))
	})
	tiers := []struct {
		name string
		opts Options
		path string // its length shortens the body, so the objects differ
	}{
		{"memory", Options{}, "/m"},
		// Heavier than an eighth of the memory budget: the disk tier only.
		{"disk", Options{CacheSize: 1 << 20, DiskCacheDir: t.TempDir(), DiskCacheSize: 64 << 20}, "/disk"},
	}
	cases := []struct {
		name   string
		method string
		hdr    []string
		status int
	}{
		{"whole", http.MethodGet, nil, http.StatusOK},
		{"range", http.MethodGet, []string{"Range", "bytes=1000-700000"}, http.StatusPartialContent},
		{"suffix range", http.MethodGet, []string{"Range", "bytes=-70000"}, http.StatusPartialContent},
		{"two ranges", http.MethodGet, []string{"Range", "bytes=0-99,500000-600000"}, http.StatusPartialContent},
		{"unsatisfiable", http.MethodGet, []string{"Range", "bytes=99999999-"}, http.StatusRequestedRangeNotSatisfiable},
		{"head", http.MethodHead, nil, http.StatusOK},
		{"not modified", http.MethodGet, []string{"If-None-Match", `"big-v1"`}, http.StatusNotModified},
	}
	for _, tier := range tiers {
		t.Run(tier.name, func(t *testing.T) {
			e := newEdge(t, tier.opts, distribution(origin.Server))
			corked, plain := corkListeners(t, e.Server)
			// Fetch, then wait for a hit (the disk tier writes in the
			// background; the memory tier hits at once).
			for i := 0; ; i++ {
				head, _ := rawResponse(t, plain["http"], http.MethodGet, tier.path)
				if strings.Contains(head, "Hit from cloudfront") {
					break
				}
				if i == 1000 {
					t.Fatalf("no hit after %d requests:\n%s", i, head)
				}
			}
			for _, proto := range []string{"http", "tls", "h2"} {
				for _, c := range cases {
					t.Run(proto+"/"+c.name, func(t *testing.T) {
						wantHead, wantBody := rawResponse(t, plain[proto], c.method, tier.path, c.hdr...)
						gotHead, gotBody := rawResponse(t, corked[proto], c.method, tier.path, c.hdr...)
						if !strings.Contains(wantHead, fmt.Sprintf(" %d\n", c.status)) || !strings.Contains(wantHead, "Hit from cloudfront") {
							t.Fatalf("plain path answered\n%s", wantHead)
						}
						if gotHead != wantHead {
							t.Errorf("corked header\n%s\nplain\n%s", gotHead, wantHead)
						}
						if !bytes.Equal(gotBody, wantBody) {
							t.Errorf("corked body: %d bytes, plain %d; differ", len(gotBody), len(wantBody))
						}
						if c.name == "whole" && !bytes.Equal(gotBody, body[:len(body)-len(tier.path)]) {
							t.Errorf("body is not the origin's")
						}
					})
				}
			}
		})
	}
}

// TestCorkedHitPurgedWhileSent: a corked hit whose object is purged from
// both tiers while the viewer is still reading it arrives whole and
// intact; the next request is a miss.
func TestCorkedHitPurgedWhileSent(t *testing.T) {
	body := make([]byte, 4<<20-1000) // more than the socket buffers take at once
	for i := range body {
		body[i] = byte(i*13 + i>>9)
	}
	origin := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write(body)
	})
	for _, tier := range []struct {
		name string
		opts Options
	}{
		{"memory", Options{}},
		{"disk", Options{CacheSize: 8 << 20, DiskCacheDir: t.TempDir(), DiskCacheSize: 64 << 20}},
	} {
		t.Run(tier.name, func(t *testing.T) {
			e := newEdge(t, tier.opts, distribution(origin.Server))
			for i := 0; e.get(t, "d1.cloudfront.test", "/big").Header.Get("X-Cache") != "Hit from cloudfront"; i++ {
				if i == 1000 {
					t.Fatal("no hit")
				}
			}
			req, err := http.NewRequest(http.MethodGet, e.http.URL+"/big", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = "d1.cloudfront.test"
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := e.http.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.Header.Get("X-Cache") != "Hit from cloudfront" {
				t.Fatalf("X-Cache %q", resp.Header.Get("X-Cache"))
			}
			first := make([]byte, 64<<10)
			if _, err := io.ReadFull(resp.Body, first); err != nil {
				t.Fatal(err)
			}
			e.purge([]string{"EDFDVBD6EXAMPLE\x00"})
			rest, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got := append(first, rest...); !bytes.Equal(got, body) {
				t.Fatalf("got %d bytes, want the %d sent; they differ", len(got), len(body))
			}
			if x := e.get(t, "d1.cloudfront.test", "/big").Header.Get("X-Cache"); x != "Miss from cloudfront" {
				t.Errorf("after the purge: X-Cache %q", x)
			}
		})
	}
}
