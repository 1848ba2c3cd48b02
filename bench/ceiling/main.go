// Command ceiling is the benchmark's upper bound: a plain net/http server
// answering /1k and /1m from memory with the origin's headers. A Go cache
// cannot beat it, since it pays the same server costs and does no work of
// its own.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"github.com/openfront/openfront/bench/internal/objects"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	cf := flag.Bool("cloudfront-headers", false, "also send the headers an edge adds to a hit (objects.CloudFrontHandler)")
	flag.Parse()
	h := objects.Handler()
	if *cf {
		h = objects.CloudFrontHandler()
	}
	// The same server settings as openfront's edge listener, so the
	// comparison measures the handler alone.
	srv := &http.Server{Addr: *addr, Handler: h,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10}
	log.Fatal(srv.ListenAndServe())
}
