// Command origin is the benchmark's origin server: /1k and /1m with
// Cache-Control: max-age=86400, so every cache in front of it keeps them.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/openfront/openfront/bench/internal/objects"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	log.Fatal(http.ListenAndServe(*addr, objects.Handler()))
}
