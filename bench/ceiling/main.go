// Command ceiling is the benchmark's upper bound: a plain net/http server
// answering /1k and /1m from memory with the origin's headers. A Go cache
// cannot beat it, since it pays the same server costs and does no work of
// its own.
//
// With -body sendfile it sends the bodies from a memfd (page-cache pages)
// through net/http's ReadFrom, that is sendfile(2), as nginx does and as
// openfront's disk hits do: the experiment of serving memory hits by the
// kernel's zero-copy path (bench/README.md, "The 1 MiB hit").
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/openfront/openfront/bench/internal/objects"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	cf := flag.Bool("cloudfront-headers", false, "also send the headers an edge adds to a hit (objects.CloudFrontHandler)")
	body := flag.String("body", "write", "write: the body from memory with one Write; sendfile: from a memfd with sendfile")
	flag.Parse()
	h := objects.Handler()
	if *cf {
		h = objects.CloudFrontHandler()
	}
	switch *body {
	case "write":
	case "sendfile":
		sf, err := sendfileHandler()
		if err != nil {
			log.Fatal(err)
		}
		h = sf
	default:
		log.Fatalf("unknown -body %q", *body)
	}
	// The same server settings as openfront's edge listener, so the
	// comparison measures the handler alone.
	srv := &http.Server{Addr: *addr, Handler: h,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10}
	log.Fatal(srv.ListenAndServe())
}

// sendfileHandler answers like objects.Handler with each body in a memfd.
func sendfileHandler() (http.Handler, error) {
	objs := objects.Objects()
	bodies := map[string]*memfdBody{}
	for path, o := range objs {
		b, err := newMemfdBody(o.Body)
		if err != nil {
			return nil, err
		}
		bodies[path] = b
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, ok := objs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		for k, v := range o.Header {
			h[k] = v
		}
		if r.Method == http.MethodHead {
			return
		}
		if err := bodies[r.URL.Path].send(w); err != nil {
			panic(http.ErrAbortHandler)
		}
	}), nil
}

// memfdBody is a body in a memfd. sendfile reads from a file
// description's position, so each concurrent response takes a
// description of its own (opened through /proc/self/fd) from a free list.
type memfdBody struct {
	f    *os.File
	size int64
	mu   sync.Mutex
	free []*os.File
}

func newMemfdBody(b []byte) (*memfdBody, error) {
	fd, err := unix.MemfdCreate("body", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "memfd")
	if _, err := f.Write(b); err != nil {
		return nil, err
	}
	return &memfdBody{f: f, size: int64(len(b))}, nil
}

func (m *memfdBody) send(w http.ResponseWriter) error {
	m.mu.Lock()
	var f *os.File
	if n := len(m.free); n > 0 {
		f, m.free = m.free[n-1], m.free[:n-1]
	}
	m.mu.Unlock()
	if f == nil {
		var err error
		if f, err = os.Open(fmt.Sprintf("/proc/self/fd/%d", m.f.Fd())); err != nil {
			return err
		}
	}
	defer func() {
		m.mu.Lock()
		m.free = append(m.free, f)
		m.mu.Unlock()
	}()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// net/http's response.ReadFrom hands an *io.LimitedReader of an
	// *os.File to the TCP connection, which sends it with sendfile.
	_, err := w.(io.ReaderFrom).ReadFrom(&io.LimitedReader{R: f, N: m.size})
	return err
}
