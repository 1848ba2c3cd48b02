// Command edgeprof runs the openfront edge alone, in front of the
// benchmark's origin, with the same server settings as "openfront serve",
// and writes a CPU profile of the load it receives meanwhile. It is for
// finding where the hit path spends its time:
//
//	go run ./bench/edgeprof -addr 127.0.0.1:8081 -origin-port 8000 -profile cpu.out -for 15s &
//	wrk -t2 -c32 -d15s -H 'Host: d1.bench' http://127.0.0.1:8081/1k
//	go tool pprof -top cpu.out
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
)

// host is the distribution's domain name; send it as the Host header.
const host = "d1.bench"

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address of the edge")
	originPort := flag.Int("origin-port", 0, "HTTP port of the origin on 127.0.0.1")
	profile := flag.String("profile", "", "write a CPU profile here (empty: none)")
	wait := flag.Duration("wait", 0, "start profiling after this long (the warm-up)")
	dur := flag.Duration("for", 15*time.Second, "profile this long, then exit")
	flag.Parse()
	if err := run(*addr, *originPort, *profile, *wait, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "edgeprof:", err)
		os.Exit(1)
	}
}

func run(addr string, originPort int, profile string, wait, dur time.Duration) error {
	srv, err := edge.New(edge.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	d := cloudfront.Distribution{
		ID: "EBENCH", DomainName: host, Status: cloudfront.StatusDeployed,
		Config: cloudfront.DistributionConfig{
			Origins: []cloudfront.Origin{{ID: "o", DomainName: "127.0.0.1",
				Custom: &cloudfront.CustomOriginConfig{HTTPPort: originPort, HTTPSPort: 443,
					OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
			DefaultCacheBehavior: cloudfront.CacheBehavior{
				TargetOriginID:       "o",
				ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
				Cookies:              cloudfront.CookiePreference{Forward: cloudfront.ForwardNone},
			},
			PriceClass: "PriceClass_All",
			Enabled:    true,
		},
	}
	if err := srv.Apply(&feed.Snapshot{Revision: 1, Distributions: []*cloudfront.Distribution{&d}}, nil); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// The settings of openfront's own listeners.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10}
	go hs.Serve(ln)
	defer hs.Shutdown(context.Background())
	time.Sleep(wait)
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	log.Printf("profiling for %s", dur)
	time.Sleep(dur)
	return nil
}
