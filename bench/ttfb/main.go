// Command ttfb fetches one URL on a new connection and prints, on one
// line: the status, the milliseconds until the response headers, until
// the first body byte and until the last, and the body bytes read.
//
//	ttfb -host d1.bench -range bytes=0-9 http://127.0.0.1:8081/256m
//	206 1.20 1.31 1.32 10
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
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: ttfb [-host H] [-range R] URL")
		os.Exit(2)
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
