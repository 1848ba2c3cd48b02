// Command origin is the benchmark's origin server. Every object has
// Cache-Control: max-age=86400, so every cache in front of it keeps it:
//
//   - /1k and /1m, the hit benchmark's objects (package objects);
//   - /<n>k, /<n>m, /<n>g: an object of that many KiB, MiB or GiB
//     (/100m, /256m), made on the fly from a repeating pattern;
//   - /ws/<i>: the working set's objects, -ws-size bytes each;
//   - /slow/<any of the above>: the same object, its headers sent at
//     once and its body at -rate bytes/s, an origin far from the edge.
//
// Generated objects honour Range, If-Range and conditional requests
// (http.ServeContent), as the slice module and ranged part fetches need.
// GET /_stats reports the requests served and the body bytes sent so far,
// so a benchmark can tell what a cache took from the origin.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openfront/openfront/bench/internal/objects"
)

var (
	requests atomic.Int64
	sent     atomic.Int64
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	rate := flag.Int64("rate", 50<<20, "body bytes per second under /slow/")
	wsSize := flag.Int64("ws-size", 1<<20, "size of each /ws/<i> object")
	flag.Parse()
	fixed := objects.Handler()
	modTime := time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "requests %d\nbytes %d\n", requests.Load(), sent.Load())
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		cw := &countingWriter{ResponseWriter: w}
		path, slow := strings.CutPrefix(r.URL.Path, "/slow")
		if slow {
			cw.rate = *rate
		}
		if path == "/1k" || path == "/1m" {
			r.URL.Path = path
			fixed.ServeHTTP(cw, r)
			return
		}
		size, err := objectSize(path, *wsSize)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Cache-Control", "max-age=86400")
		h.Set("Etag", `"`+strconv.FormatInt(size, 36)+strings.ReplaceAll(path, "/", "-")+`"`)
		http.ServeContent(cw, r, "", modTime, &pattern{size: size})
	})
	srv := &http.Server{Addr: *addr, Handler: mux}
	log.Fatal(srv.ListenAndServe())
}

// objectSize reads /<n>{k,m,g} and /ws/<i>.
func objectSize(path string, wsSize int64) (int64, error) {
	if i, ok := strings.CutPrefix(path, "/ws/"); ok {
		if _, err := strconv.ParseUint(i, 10, 32); err != nil {
			return 0, err
		}
		return wsSize, nil
	}
	s := strings.TrimPrefix(path, "/")
	if len(s) < 2 {
		return 0, errors.New("no size")
	}
	shift := map[byte]uint{'k': 10, 'm': 20, 'g': 30}[s[len(s)-1]]
	n, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
	if shift == 0 || err != nil || n <= 0 || n > 64<<(30-shift) {
		return 0, errors.New("bad size")
	}
	return n << shift, nil
}

// block is the pattern every generated object repeats.
var block = []byte(strings.Repeat("0123456789abcdef", 4096))

// pattern is an object of size bytes of block, read without holding it.
type pattern struct{ size, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(b) && p.off < p.size {
		i := p.off % int64(len(block))
		m := copy(b[n:], block[i:min(int64(len(block)), i+p.size-p.off)])
		n += m
		p.off += int64(m)
	}
	return n, nil
}

func (p *pattern) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += p.off
	case io.SeekEnd:
		off += p.size
	}
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	p.off = off
	return off, nil
}

// countingWriter counts body bytes and, with a rate, sends the headers at
// once and the body no faster than rate bytes/s.
type countingWriter struct {
	http.ResponseWriter
	rate    int64
	start   time.Time
	written int64
}

func (w *countingWriter) WriteHeader(code int) {
	w.ResponseWriter.WriteHeader(code)
	if w.rate > 0 {
		http.NewResponseController(w.ResponseWriter).Flush()
	}
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.rate <= 0 {
		n, err := w.ResponseWriter.Write(b)
		sent.Add(int64(n))
		return n, err
	}
	if w.start.IsZero() {
		w.start = time.Now()
	}
	total := 0
	for len(b) > 0 {
		// 64 KiB at a time, each sent when the rate allows it.
		chunk := b[:min(len(b), 64<<10)]
		due := w.start.Add(time.Duration(float64(w.written) / float64(w.rate) * float64(time.Second)))
		time.Sleep(time.Until(due))
		n, err := w.ResponseWriter.Write(chunk)
		sent.Add(int64(n))
		w.written += int64(n)
		total += n
		if err != nil {
			return total, err
		}
		http.NewResponseController(w.ResponseWriter).Flush()
		b = b[n:]
	}
	return total, nil
}
