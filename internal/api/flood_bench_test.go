package api

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/auth"
)

// BenchmarkUnauthenticatedFlood replays issue 6 item 10: 1,000 connections
// each push a 1 MiB body the server must not trust, while one signed
// request is timed. It reports the peak heap in use (sampled every 10 ms)
// and the signed request's latency. Run with -benchtime=1x: each iteration
// is one flood.
//
//   - anonymous+legacy: half send no Authorization, half name a real access
//     key with a wrong 2012-scheme signature; the headers refuse them all.
//   - sigv4-known-key: all name a real access key in a SigV4 header without
//     X-Amz-Content-Sha256, which only the body can refute; the shared
//     budget (DefaultMaxUnverifiedBytes) bounds what they make the server
//     hold.
func BenchmarkUnauthenticatedFlood(b *testing.B) {
	b.Run("anonymous+legacy", func(b *testing.B) {
		benchFlood(b, func(i int, key string) string {
			if i%2 == 0 {
				return "Authorization: AWS " + key + ":bm90IHRoZSBzaWduYXR1cmU=\r\n"
			}
			return ""
		})
	})
	b.Run("sigv4-known-key", func(b *testing.B) {
		benchFlood(b, func(_ int, key string) string {
			now := time.Now().UTC()
			return "X-Amz-Date: " + now.Format("20060102T150405Z") + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=" + key + "/" +
				now.Format("20060102") + "/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-date, Signature=" +
				strings.Repeat("0", 64) + "\r\n"
		})
	})
}

// benchFlood runs the flood; authHeaders gives connection i's
// authentication header lines.
func benchFlood(b *testing.B, authHeaders func(i int, key string) string) {
	const conns, bodySize = 1000, 1 << 20
	e := newTestEnv(b)
	addr := strings.TrimPrefix(e.url, "http://")
	chunk := make([]byte, 64<<10)
	var signedTotal time.Duration
	var peak uint64
	for b.Loop() {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		stopSampling := make(chan struct{})
		sampled := make(chan uint64)
		go func() {
			var m runtime.MemStats
			var max uint64
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stopSampling:
					sampled <- max
					return
				case <-t.C:
					runtime.ReadMemStats(&m)
					if m.HeapInuse > base.HeapInuse && m.HeapInuse-base.HeapInuse > max {
						max = m.HeapInuse - base.HeapInuse
					}
				}
			}
		}()
		var wg sync.WaitGroup
		ready := make(chan struct{}, conns)
		for i := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					ready <- struct{}{}
					return
				}
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(60 * time.Second))
				h := authHeaders(i, e.key.ID)
				if !strings.Contains(h, "X-Amz-Date") {
					h += "X-Amz-Date: " + time.Now().UTC().Format(http.TimeFormat) + "\r\n"
				}
				fmt.Fprintf(conn, "POST /2012-07-01/distribution HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n", addr, bodySize, h)
				ready <- struct{}{}
				answered := make(chan struct{})
				go func() {
					defer close(answered)
					if res, err := http.ReadResponse(bufio.NewReader(conn), nil); err == nil {
						res.Body.Close()
					}
				}()
				for sent := 0; sent < bodySize; sent += len(chunk) {
					select {
					case <-answered:
						return
					default:
					}
					if _, err := conn.Write(chunk); err != nil {
						break
					}
				}
				<-answered
			}()
		}
		for range conns {
			<-ready
		}
		req, _ := http.NewRequest("GET", e.url+"/2012-07-01/distribution", nil)
		auth.SignLegacy(req, e.key.ID, e.key.Secret, time.Now())
		begin := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		signedTotal += time.Since(begin)
		if res.StatusCode != 200 {
			b.Fatalf("signed request: %d", res.StatusCode)
		}
		wg.Wait()
		close(stopSampling)
		peak = max(peak, <-sampled)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(signedTotal.Milliseconds())/float64(b.N), "signed-ms")
}
