// Command ttfb fetches one URL on a new connection and prints, on one
// line: the status, the milliseconds until the response headers, until
// the first body byte and until the last, and the body bytes read.
//
//	ttfb -host d1.bench -range bytes=0-9 http://127.0.0.1:8081/256m
//	206 1.20 1.31 1.32 10
//
// With -for, it instead fetches the URL over -conns keep-alive
// connections for that long and prints requests/s and MiB/s of body. It
// reads in 256 KiB blocks: wrk's 8 KiB reads make wrk itself the limit of
// a large object's throughput on one core.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	host := flag.String("host", "", "Host header (empty: the URL's)")
	rng := flag.String("range", "", "Range header (empty: none)")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up after this long")
	conns := flag.Int("conns", 4, "connections of the -for load")
	dur := flag.Duration("for", 0, "load the URL for this long instead (0: one request)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: ttfb [-host H] [-range R] URL")
		os.Exit(2)
	}
	if *dur > 0 {
		if err := load(flag.Arg(0), *host, *conns, *dur); err != nil {
			fmt.Fprintln(os.Stderr, "ttfb:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(flag.Arg(0), *host, *rng, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "ttfb:", err)
		os.Exit(1)
	}
}

func run(url, host, rng string, timeout time.Duration) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if host != "" {
		req.Host = host
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	// A transport of its own: a new connection, no compression asked.
	c := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableCompression: true, DisableKeepAlives: true}}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	headers := time.Since(start)
	first := headers
	buf := make([]byte, 256<<10)
	var n int64
	for {
		m, err := resp.Body.Read(buf)
		if m > 0 && n == 0 {
			first = time.Since(start)
		}
		n += int64(m)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("after %d bytes: %w", n, err)
		}
	}
	total := time.Since(start)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("%d %.2f %.2f %.2f %d\n", resp.StatusCode, ms(headers), ms(first), ms(total), n)
	return nil
}

// load fetches url over conns connections until dur has passed; a
// response still being read then is counted for the bytes it delivered.
func load(url, host string, conns int, dur time.Duration) error {
	tr := &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: conns}
	c := &http.Client{Transport: tr}
	deadline := time.Now().Add(dur)
	type result struct {
		reqs, bytes int64
		err         error
	}
	results := make(chan result, conns)
	start := time.Now()
	for range conns {
		go func() {
			var r result
			buf := make([]byte, 256<<10)
			for time.Now().Before(deadline) {
				req, err := http.NewRequest(http.MethodGet, url, nil)
				if err != nil {
					r.err = err
					break
				}
				req.Host = host
				resp, err := c.Do(req)
				if err != nil {
					r.err = err
					break
				}
				if resp.StatusCode != http.StatusOK {
					resp.Body.Close()
					r.err = fmt.Errorf("status %d", resp.StatusCode)
					break
				}
				for time.Now().Before(deadline) {
					n, err := resp.Body.Read(buf)
					r.bytes += int64(n)
					if err == io.EOF {
						r.reqs++
						break
					}
					if err != nil {
						r.err = err
						break
					}
				}
				resp.Body.Close()
				if r.err != nil {
					break
				}
			}
			results <- r
		}()
	}
	var total result
	for range conns {
		r := <-results
		total.reqs += r.reqs
		total.bytes += r.bytes
		if total.err == nil {
			total.err = r.err
		}
	}
	if total.err != nil {
		return total.err
	}
	el := time.Since(start).Seconds()
	fmt.Printf("%.1f %.0f\n", float64(total.reqs)/el, float64(total.bytes)/el/(1<<20))
	return nil
}
