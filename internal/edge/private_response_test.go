package edge

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// A response marked no-store or private is one viewer's: with MinTTL 0 it
// is not kept, so another viewer never gets it as a stale copy while the
// origin fails. With MinTTL > 0 CloudFront caches it anyway (developer
// guide, Expiration.html: "If your minimum TTL is greater than 0,
// CloudFront uses the cache policy's minimum TTL, even if the
// Cache-Control: no-cache, no-store, and/or private directives are
// present"), and so does the edge.
func TestPrivateResponsesNotShared(t *testing.T) {
	cases := []struct {
		cacheControl string
		minTTL       int64
		shared       bool // the second viewer gets the first one's copy
	}{
		{"private", 0, false},
		{"no-store", 0, false},
		{"private, max-age=600", 0, false},
		{"no-store, no-cache", 0, false},
		{"no-cache", 0, true}, // stored, revalidated, stale on error (spec §4.1, §4.3)
		{"max-age=0", 0, true},
		{"private", 60, true},
		{"no-store", 60, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s MinTTL=%d", c.cacheControl, c.minTTL), func(t *testing.T) {
			var failing atomic.Bool
			var n atomic.Int64
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if failing.Load() {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				w.Header().Set("Cache-Control", c.cacheControl)
				fmt.Fprintf(w, "copy-%d", n.Add(1))
			})
			e := newEdge(t, Options{}, distribution(o.Server, func(d *cloudfront.DistributionConfig) {
				d.DefaultCacheBehavior.MinTTL = c.minTTL
			}))
			if r := e.get(t, "d1.cloudfront.test", "/account"); r.body != "copy-1" {
				t.Fatalf("first viewer got %d %q", r.StatusCode, r.body)
			}
			e.clock.Advance(time.Second)
			failing.Store(true)
			r := e.get(t, "d1.cloudfront.test", "/account")
			if got := r.body == "copy-1"; got != c.shared {
				t.Fatalf("second viewer got %d %q (X-Cache %q); shared = %t, want %t",
					r.StatusCode, r.body, r.Header.Get("X-Cache"), got, c.shared)
			}
			if !c.shared && r.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("second viewer got %d, want the origin's 503", r.StatusCode)
			}
		})
	}
}

// Viewers collapsed onto one fetch do not get the fetching viewer's
// private answer: each asks the origin for its own.
func TestPrivateResponsesNotCollapsed(t *testing.T) {
	var n atomic.Int64
	release := make(chan struct{})
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Cache-Control", "private")
		fmt.Fprintf(w, "copy-%d", n.Add(1))
	})
	e := newEdge(t, Options{}, distribution(o.Server))
	const viewers = 4
	bodies := make([]string, viewers)
	var wg sync.WaitGroup
	for i := range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = e.get(t, "d1.cloudfront.test", "/me").body
		}()
	}
	// Let the viewers queue on the flight, then let the origin answer.
	time.Sleep(100 * time.Millisecond)
	close(release)
	wg.Wait()
	seen := map[string]bool{}
	for _, b := range bodies {
		if seen[b] {
			t.Fatalf("two viewers got the same private copy %q: %q", b, bodies)
		}
		seen[b] = true
	}
}

// A private copy kept under MinTTL 60 is neither revalidated nor served
// stale once the behaviour's MinTTL is 0: the next fetch is unconditional
// and the origin's answer goes to that viewer only.
func TestPrivateCopyAfterMinTTLDropsToZero(t *testing.T) {
	var failing atomic.Bool
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("If-None-Match") != "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Cache-Control", "private")
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, "alice")
	})
	withMinTTL := func(ttl int64) cloudfront.Distribution {
		return distribution(o.Server, func(d *cloudfront.DistributionConfig) { d.DefaultCacheBehavior.MinTTL = ttl })
	}
	e := newEdge(t, Options{}, withMinTTL(60))
	if r := e.get(t, "d1.cloudfront.test", "/me"); r.body != "alice" {
		t.Fatalf("first: %d %q", r.StatusCode, r.body)
	}
	if err := e.Apply(testSnapshot(2, withMinTTL(0)), nil); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(61 * time.Second)
	if r := e.get(t, "d1.cloudfront.test", "/me"); r.StatusCode != 200 || r.body != "alice" || o.lastRequest().Header.Get("If-None-Match") != "" {
		t.Fatalf("after MinTTL 0: %d %q, If-None-Match %q", r.StatusCode, r.body, o.lastRequest().Header.Get("If-None-Match"))
	}
	failing.Store(true)
	e.clock.Advance(time.Second)
	if r := e.get(t, "d1.cloudfront.test", "/me"); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("origin failing: %d %q, want the origin's 503", r.StatusCode, r.body)
	}
}
