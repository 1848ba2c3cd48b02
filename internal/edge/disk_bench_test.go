package edge

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/leanhttp"
)

// warmDiskHit returns an edge whose /obj (size bytes) is served from the
// disk tier on every hit: the memory tier's per-object limit (1/8 of a
// 4 MiB budget) is below size, so the object lives on disk only.
func warmDiskHit(tb testing.TB, size int) (*Server, *http.Request) {
	tb.Helper()
	o := httptest.NewServer(text(strings.Repeat("x", size), "Content-Type", "application/octet-stream", "ETag", `"e"`))
	tb.Cleanup(o.Close)
	s, err := New(Options{HostID: "0123456789abcdef0123456789abcdef", CacheSize: 4 << 20,
		DiskCacheDir: tb.TempDir(), DiskCacheSize: 64 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Apply(testSnapshot(1, distribution(o)), nil); err != nil {
		tb.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/obj", nil)
	r.Host = "d1.cloudfront.test"
	r.Header.Set("Accept-Encoding", "gzip")
	w := &discardWriter{h: http.Header{}}
	s.ServeHTTP(w, r)
	s.cache.disk.flush()
	for range promoteHits + 1 {
		w.reset()
		s.ServeHTTP(w, r)
	}
	if w.h.Get("X-Cache") != "Hit from cloudfront" || w.n != size {
		tb.Fatalf("warm-up: X-Cache %q, %d bytes", w.h.Get("X-Cache"), w.n)
	}
	if _, ok := s.cache.c.GetIfPresent(string(appendKey(nil, "EDFDVBD6EXAMPLE", "/obj", "", "", encGzip))); ok {
		tb.Fatal("the object is in memory")
	}
	return s, r
}

// BenchmarkDiskHit1MB is BenchmarkHit1MB served from the disk tier (into
// a writer without ReadFrom: the file is read, page cache to user space).
func BenchmarkDiskHit1MB(b *testing.B) {
	s, r := warmDiskHit(b, 1<<20)
	b.ReportAllocs()
	b.SetBytes(1 << 20)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			w.reset()
			s.ServeHTTP(w, r)
		}
	})
}

// benchmarkLoopback fetches /obj from s over real loopback HTTP/1.1, where
// a disk hit goes out with sendfile.
func benchmarkLoopback(b *testing.B, s *Server, size int) {
	benchmarkLoopbackWith(b, s, size, false)
}

// benchmarkLoopbackWith serves s with net/http, or with leanhttp as the
// edge's plain-HTTP listener does.
func benchmarkLoopbackWith(b *testing.B, s *Server, size int, lean bool) {
	srv := httptest.NewUnstartedServer(s)
	if lean {
		ls := leanhttp.New(srv.Config)
		srv.Listener.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go ls.Serve(ln)
		defer ls.Shutdown(context.Background())
		srv.URL = "http://" + ln.Addr().String()
	} else {
		srv.Start()
		defer srv.Close()
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
		buf := make([]byte, 256<<10)
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/obj", nil)
			req.Host = "d1.cloudfront.test"
			req.Header.Set("Accept-Encoding", "gzip")
			res, err := c.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.CopyBuffer(io.Discard, res.Body, buf)
			res.Body.Close()
			if n != int64(size) {
				b.Fatalf("%d bytes", n)
			}
		}
	})
}

func BenchmarkDiskHit1MBLoopback(b *testing.B) {
	s, _ := warmDiskHit(b, 1<<20)
	benchmarkLoopback(b, s, 1<<20)
}

// BenchmarkDiskHit1MBLoopbackLean: strace -f -c -e trace=sendfile shows
// one sendfile per response through leanhttp too.
func BenchmarkDiskHit1MBLoopbackLean(b *testing.B) {
	s, _ := warmDiskHit(b, 1<<20)
	benchmarkLoopbackWith(b, s, 1<<20, true)
}

func BenchmarkHit1MBLoopback(b *testing.B) {
	s, _ := warmHit(b, 1<<20)
	benchmarkLoopback(b, s, 1<<20)
}
