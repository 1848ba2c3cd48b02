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
// each push a 1 MiB body the server must not trust (half with no
// Authorization, half naming a real access key with a wrong 2012-scheme
// signature), while one signed request is timed. It reports the peak heap
// in use (sampled every 10 ms) and the signed request's latency. Run with
// -benchtime=1x: each iteration is one flood.
func BenchmarkUnauthenticatedFlood(b *testing.B) {
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
				fmt.Fprintf(conn, "POST /2012-07-01/distribution HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nX-Amz-Date: %s\r\n",
					addr, bodySize, time.Now().UTC().Format(http.TimeFormat))
				if i%2 == 0 {
					fmt.Fprintf(conn, "Authorization: AWS %s:bm90IHRoZSBzaWduYXR1cmU=\r\n", e.key.ID)
				}
				io.WriteString(conn, "\r\n")
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
