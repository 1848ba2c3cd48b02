package edge

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/originaddr"
)

func TestStaleOnError(t *testing.T) {
	tests := []struct {
		name string
		fail func(o *testOrigin, mode *atomic.Int32)
	}{
		{"origin down", func(o *testOrigin, _ *atomic.Int32) { o.Close() }},
		{"origin 503", func(_ *testOrigin, mode *atomic.Int32) { mode.Store(503) }},
		{"origin 500", func(_ *testOrigin, mode *atomic.Int32) { mode.Store(500) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mode atomic.Int32
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if s := mode.Load(); s != 0 {
					w.WriteHeader(int(s))
					return
				}
				w.Header().Set("Cache-Control", "max-age=10")
				w.Write([]byte("good"))
			})
			e := newEdge(t, Options{}, distribution(o.Server))
			e.get(t, "d1.cloudfront.test", "/s")
			tt.fail(o, &mode)
			e.clock.Advance(time.Minute)
			r := e.get(t, "d1.cloudfront.test", "/s")
			if r.StatusCode != 200 || r.body != "good" {
				t.Fatalf("stale copy not served: %d %q", r.StatusCode, r.body)
			}
			// The stale copy is served for the error-caching period
			// without asking the origin again.
			hits := o.hits.Load()
			e.clock.Advance(4 * time.Minute)
			if r := e.get(t, "d1.cloudfront.test", "/s"); r.body != "good" || o.hits.Load() != hits {
				t.Fatalf("within 5 minutes: %q, origin hits %d -> %d", r.body, hits, o.hits.Load())
			}
		})
	}
	t.Run("4xx replaces the object", func(t *testing.T) {
		var mode atomic.Int32
		o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
			if mode.Load() != 0 {
				w.WriteHeader(404)
				return
			}
			w.Header().Set("Cache-Control", "max-age=10")
			w.Write([]byte("good"))
		})
		e := newEdge(t, Options{}, distribution(o.Server))
		e.get(t, "d1.cloudfront.test", "/s")
		mode.Store(1)
		e.clock.Advance(time.Minute)
		if r := e.get(t, "d1.cloudfront.test", "/s"); r.StatusCode != 404 {
			t.Fatalf("status %d, want 404", r.StatusCode)
		}
	})
}

func TestOriginErrors(t *testing.T) {
	t.Run("connection refused is 502", func(t *testing.T) {
		o := newOrigin(t, text("x"))
		d := distribution(o.Server)
		o.Close()
		e := newEdge(t, Options{}, d)
		r := e.get(t, "d1.cloudfront.test", "/x")
		if r.StatusCode != http.StatusBadGateway {
			t.Fatalf("status %d", r.StatusCode)
		}
		checkErrorPage(t, r, "connect to the origin")
	})
	t.Run("slow headers are 504", func(t *testing.T) {
		release := make(chan struct{})
		o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { <-release })
		defer close(release)
		e := newEdge(t, Options{OriginTimeouts: OriginTimeouts{ResponseTimeout: 50 * time.Millisecond}}, distribution(o.Server))
		r := e.get(t, "d1.cloudfront.test", "/x")
		if r.StatusCode != http.StatusGatewayTimeout {
			t.Fatalf("status %d", r.StatusCode)
		}
	})
	t.Run("forbidden private origin", func(t *testing.T) {
		o := newOrigin(t, text("x"))
		e := newEdge(t, Options{Origins: &originaddr.Policy{}}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
			c.Origins[0].DomainName = "localhost"
		}))
		if r := e.get(t, "d1.cloudfront.test", "/x"); r.StatusCode != http.StatusBadGateway || o.hits.Load() != 0 {
			t.Fatalf("status %d, origin hits %d", r.StatusCode, o.hits.Load())
		}
	})
	t.Run("broken body aborts and is not cached", func(t *testing.T) {
		o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		})
		e := newEdge(t, Options{}, distribution(o.Server))
		for i := 0; i < 2; i++ {
			req, _ := http.NewRequest("GET", e.http.URL+"/b", nil)
			req.Host = "d1.cloudfront.test"
			resp, err := e.http.Client().Do(req)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if err == nil {
				t.Fatal("the viewer got a complete response from a broken origin body")
			}
		}
		if n := o.hits.Load(); n != 2 {
			t.Fatalf("origin hits = %d, want 2 (nothing cached)", n)
		}
	})
}

func TestRevalidation(t *testing.T) {
	tests := []struct {
		name      string
		validator []string // response header
		want      string   // request header the origin must get
	}{
		{"ETag", []string{"ETag", `"v1"`}, "If-None-Match"},
		{"Last-Modified", []string{"Last-Modified", "Mon, 01 Oct 2012 00:00:00 GMT"}, "If-Modified-Since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "max-age=60")
				w.Header().Set(tt.validator[0], tt.validator[1])
				if r.Header.Get(tt.want) == tt.validator[1] {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Write([]byte("body"))
			})
			e := newEdge(t, Options{}, distribution(o.Server))
			e.get(t, "d1.cloudfront.test", "/v")
			e.clock.Advance(2 * time.Minute)
			r := e.get(t, "d1.cloudfront.test", "/v")
			if r.Header.Get("X-Cache") != "RefreshHit from cloudfront" || r.body != "body" || r.StatusCode != 200 {
				t.Fatalf("%d %q %q", r.StatusCode, r.Header.Get("X-Cache"), r.body)
			}
			if r.Header.Get("Age") != "0" {
				t.Errorf("Age after refresh = %q, want 0", r.Header.Get("Age"))
			}
			// The 304's max-age renews the TTL.
			e.clock.Advance(30 * time.Second)
			if r := e.get(t, "d1.cloudfront.test", "/v"); r.Header.Get("X-Cache") != "Hit from cloudfront" {
				t.Fatalf("after refresh: %q", r.Header.Get("X-Cache"))
			}
			if n := o.hits.Load(); n != 2 {
				t.Fatalf("origin hits = %d, want 2", n)
			}
		})
	}
}

func TestViewerConditional(t *testing.T) {
	o := newOrigin(t, text("body", "ETag", `"v1"`, "Last-Modified", "Mon, 01 Oct 2012 00:00:00 GMT"))
	e := newEdge(t, Options{}, distribution(o.Server))
	e.get(t, "d1.cloudfront.test", "/c")
	tests := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"If-None-Match match", []string{"If-None-Match", `"v1"`}, 304},
		{"If-None-Match list", []string{"If-None-Match", `"v0", "v1"`}, 304},
		{"If-None-Match star", []string{"If-None-Match", `*`}, 304},
		{"If-None-Match other", []string{"If-None-Match", `"v2"`}, 200},
		{"If-Modified-Since later", []string{"If-Modified-Since", "Tue, 02 Oct 2012 00:00:00 GMT"}, 304},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", "Sun, 30 Sep 2012 00:00:00 GMT"}, 200},
		{"INM beats IMS", []string{"If-None-Match", `"v2"`, "If-Modified-Since", "Tue, 02 Oct 2012 00:00:00 GMT"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := e.get(t, "d1.cloudfront.test", "/c", tt.hdr...); r.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", r.StatusCode, tt.status)
			}
		})
	}
	if n := o.hits.Load(); n != 1 {
		t.Fatalf("origin hits = %d", n)
	}
}

func TestCollapsing(t *testing.T) {
	const n = 50
	release := make(chan struct{})
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Write([]byte("shared"))
	})
	e := newEdge(t, Options{}, distribution(o.Server))
	var wg sync.WaitGroup
	bodies := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = e.get(t, "d1.cloudfront.test", "/hot").body
		}()
	}
	for o.hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i, b := range bodies {
		if b != "shared" {
			t.Fatalf("viewer %d got %q", i, b)
		}
	}
	// Exactly one, whatever the timing: a request that misses the flight
	// finds the object in the cache, inside or outside a new flight.
	if got := o.hits.Load(); got != 1 {
		t.Fatalf("origin requests = %d, want 1", got)
	}
}

func TestRange(t *testing.T) {
	o := newOrigin(t, text("0123456789", "ETag", `"r"`))
	e := newEdge(t, Options{}, distribution(o.Server))
	e.get(t, "d1.cloudfront.test", "/r")
	tests := []struct {
		name, rng, ifRange string
		status             int
		body, cr           string
	}{
		{"first bytes", "bytes=0-3", "", 206, "0123", "bytes 0-3/10"},
		{"middle", "bytes=2-4", "", 206, "234", "bytes 2-4/10"},
		{"open end", "bytes=7-", "", 206, "789", "bytes 7-9/10"},
		{"suffix", "bytes=-2", "", 206, "89", "bytes 8-9/10"},
		{"end past size", "bytes=8-100", "", 206, "89", "bytes 8-9/10"},
		// Several ranges: ranges_test.go. CloudFront sends the whole object
		// for overlapping or descending ones.
		{"overlapping ranges", "bytes=0-5,3-7", "", 200, "0123456789", ""},
		{"descending ranges", "bytes=4-5,0-1", "", 200, "0123456789", ""},
		{"reversed", "bytes=5-2", "", 200, "0123456789", ""},
		{"garbage", "lines=1-2", "", 200, "0123456789", ""},
		{"not a number", "bytes=a-b", "", 200, "0123456789", ""},
		{"unsatisfiable", "bytes=20-30", "", 416, "", "bytes */10"},
		{"If-Range match", "bytes=0-1", `"r"`, 206, "01", "bytes 0-1/10"},
		{"If-Range mismatch", "bytes=0-1", `"x"`, 200, "0123456789", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := []string{"Range", tt.rng}
			if tt.ifRange != "" {
				hdr = append(hdr, "If-Range", tt.ifRange)
			}
			r := e.get(t, "d1.cloudfront.test", "/r", hdr...)
			if r.StatusCode != tt.status || r.body != tt.body || r.Header.Get("Content-Range") != tt.cr {
				t.Fatalf("got %d %q %q, want %d %q %q", r.StatusCode, r.body, r.Header.Get("Content-Range"), tt.status, tt.body, tt.cr)
			}
		})
	}
	if n := o.hits.Load(); n != 1 {
		t.Fatalf("origin hits = %d, want 1 (ranges from cache)", n)
	}
}

func TestHEAD(t *testing.T) {
	o := newOrigin(t, text("hello", "Content-Type", "text/plain"))
	e := newEdge(t, Options{}, distribution(o.Server))
	for i, want := range []string{"Miss from cloudfront", "Hit from cloudfront"} {
		r := e.do(t, e.http, http.MethodHead, "d1.cloudfront.test", "/h")
		// A HEAD answers as soon as the headers are in, before the body is
		// stored: the next one may still join the flight (a miss).
		for deadline := time.Now().Add(5 * time.Second); i == 1 && r.Header.Get("X-Cache") != want && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
			r = e.do(t, e.http, http.MethodHead, "d1.cloudfront.test", "/h")
		}
		if r.StatusCode != 200 || r.body != "" || r.Header.Get("X-Cache") != want || r.ContentLength != 5 {
			t.Fatalf("%d %q %q len=%d", r.StatusCode, r.body, r.Header.Get("X-Cache"), r.ContentLength)
		}
	}
	if n := o.hits.Load(); n != 1 {
		t.Errorf("origin requests = %d, want 1", n)
	}
	if m := o.lastRequest().Method; m != http.MethodGet {
		t.Errorf("origin saw %s; a HEAD miss fetches the object", m)
	}
}

func TestBigObjectsStreamed(t *testing.T) {
	big := strings.Repeat("x", 3000)
	tests := []struct {
		name    string
		chunked bool
	}{{"with Content-Length", false}, {"chunked", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if !tt.chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(big)))
				}
				for i := 0; i < len(big); i += 500 {
					w.Write([]byte(big[i : i+500]))
					w.(http.Flusher).Flush()
				}
			})
			e := newEdge(t, Options{MaxObjectSize: 1000}, distribution(o.Server))
			for i := 0; i < 2; i++ {
				r := e.get(t, "d1.cloudfront.test", "/big")
				if r.body != big || r.Header.Get("X-Cache") != "Miss from cloudfront" {
					t.Fatalf("request %d: %d bytes, %q", i, len(r.body), r.Header.Get("X-Cache"))
				}
			}
			if n := o.hits.Load(); n != 2 {
				t.Fatalf("origin hits = %d, want 2 (not cached)", n)
			}
			if e.cache.len() != 0 {
				t.Fatalf("cache holds %d objects", e.cache.len())
			}
		})
	}
}

func TestCacheBudget(t *testing.T) {
	body := strings.Repeat("b", 10_000)
	o := newOrigin(t, text(body))
	const budget = 100_000
	e := newEdge(t, Options{CacheSize: budget}, distribution(o.Server))
	for i := range 100 {
		e.get(t, "d1.cloudfront.test", fmt.Sprintf("/o%d", i))
	}
	e.cache.c.CleanUp()
	if w := e.cache.weightedSize(); w > budget {
		t.Fatalf("cache holds %d bytes, budget %d", w, budget)
	}
	if n := e.cache.len(); n == 0 || n > budget/len(body) {
		t.Fatalf("cache holds %d objects", n)
	}
}

func TestInvalidation(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.URL.RequestURI())) })
	d := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.QueryString = true
		c.DefaultCacheBehavior.Cookies = cloudfront.CookiePreference{Forward: cloudfront.ForwardAll}
	})
	inv := func(paths ...string) []cloudfront.Invalidation {
		return []cloudfront.Invalidation{{ID: "I1", DistributionID: d.ID, Batch: cloudfront.InvalidationBatch{Paths: paths}}}
	}
	tests := []struct {
		name    string
		paths   []string
		missing []string // requests that must go to the origin afterwards
		kept    []string // requests still served from cache
	}{
		{"path purges every variant", []string{"/a.jpg"},
			[]string{"/a.jpg", "/a.jpg?x=1", "/a.jpg|c=1"}, []string{"/b.jpg"}},
		{"path with query purges that query", []string{"/a.jpg?x=1"},
			[]string{"/a.jpg?x=1", "/a.jpg?x=1|c=1"}, []string{"/a.jpg", "/a.jpg?x=2"}},
		{"no leading slash", []string{"a.jpg"}, []string{"/a.jpg"}, []string{"/b.jpg"}},
		{"case-sensitive", []string{"/A.jpg"}, nil, []string{"/a.jpg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEdge(t, Options{}, d)
			send := func(spec string) response {
				path, c, _ := strings.Cut(spec, "|")
				if c != "" {
					return e.get(t, "d1.cloudfront.test", path, "Cookie", c)
				}
				return e.get(t, "d1.cloudfront.test", path)
			}
			all := append(append([]string{}, tt.missing...), tt.kept...)
			for _, s := range all {
				send(s)
			}
			if err := e.Apply(testSnapshot(2, d), inv(tt.paths...)); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.missing {
				if x := send(s).Header.Get("X-Cache"); x != "Miss from cloudfront" {
					t.Errorf("%s: %q, want a miss", s, x)
				}
			}
			for _, s := range tt.kept {
				if x := send(s).Header.Get("X-Cache"); x != "Hit from cloudfront" {
					t.Errorf("%s: %q, want a hit", s, x)
				}
			}
		})
	}
}
