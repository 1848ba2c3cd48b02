package edge

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

func TestTTL2012(t *testing.T) {
	now := time.Date(2012, 10, 2, 21, 0, 0, 0, time.UTC)
	exp := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name   string
		hdr    []string
		minTTL time.Duration
		want   time.Duration
	}{
		{"max-age", []string{"Cache-Control", "max-age=60"}, 0, time.Minute},
		{"max-age below MinTTL", []string{"Cache-Control", "max-age=60"}, time.Hour, time.Hour},
		{"max-age above MinTTL", []string{"Cache-Control", "max-age=7200"}, time.Hour, 2 * time.Hour},
		{"s-maxage wins", []string{"Cache-Control", "max-age=60, s-maxage=600"}, 0, 10 * time.Minute},
		{"max-age beats Expires", []string{"Cache-Control", "max-age=60", "Expires", exp(time.Hour)}, 0, time.Minute},
		{"Expires", []string{"Expires", exp(time.Hour)}, 0, time.Hour},
		{"Expires in the past", []string{"Expires", exp(-time.Hour)}, 0, 0},
		{"Expires invalid", []string{"Expires", "0"}, 0, 0},
		{"Expires below MinTTL", []string{"Expires", exp(time.Minute)}, time.Hour, time.Hour},
		{"none: 24h", nil, 0, 24 * time.Hour},
		{"none below MinTTL", nil, 48 * time.Hour, 48 * time.Hour},
		{"no-cache", []string{"Cache-Control", "no-cache, max-age=600"}, 0, 0},
		{"no-store", []string{"Cache-Control", "no-store"}, 0, 0},
		{"private", []string{"Cache-Control", "private, max-age=600"}, 0, 0},
		{"no-cache with MinTTL", []string{"Cache-Control", "no-cache"}, time.Minute, time.Minute},
		{"no-cache=field is not no-cache", []string{"Cache-Control", `no-cache="Set-Cookie", max-age=60`}, 0, time.Minute},
		{"max-age=0", []string{"Cache-Control", "max-age=0"}, 0, 0},
		{"quoted max-age", []string{"Cache-Control", `max-age="30"`}, 0, 30 * time.Second},
		{"bad max-age ignored", []string{"Cache-Control", "max-age=abc"}, 0, 24 * time.Hour},
		{"huge max-age", []string{"Cache-Control", "max-age=99999999999999999999"}, 0, (1 << 31) * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				h.Add(tt.hdr[i], tt.hdr[i+1])
			}
			if got := ttl2012(h, now, tt.minTTL); got != tt.want {
				t.Fatalf("ttl = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestTTLEndToEnd checks, with the injected clock, that an object is a hit
// just before its TTL ends and goes to the origin just after.
func TestTTLEndToEnd(t *testing.T) {
	tests := []struct {
		name   string
		cc     string
		minTTL int64
		ttl    time.Duration
	}{
		{"max-age", "max-age=60", 0, time.Minute},
		{"MinTTL floor", "max-age=60", 600, 10 * time.Minute},
		{"default 24h", "", 0, 24 * time.Hour},
		{"no-cache revalidates every time", "no-cache", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.cc != "" {
				hdr = []string{"Cache-Control", tt.cc}
			}
			o := newOrigin(t, text("v", hdr...))
			e := newEdge(t, Options{}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
				c.DefaultCacheBehavior.MinTTL = tt.minTTL
			}))
			e.get(t, "d1.cloudfront.test", "/t")
			if tt.ttl > 0 {
				e.clock.Advance(tt.ttl - time.Second)
				if r := e.get(t, "d1.cloudfront.test", "/t"); r.Header.Get("X-Cache") != "Hit from cloudfront" {
					t.Fatalf("before expiry: X-Cache = %q", r.Header.Get("X-Cache"))
				}
				e.clock.Advance(time.Second)
			}
			before := o.hits.Load()
			e.get(t, "d1.cloudfront.test", "/t")
			if o.hits.Load() != before+1 {
				t.Fatalf("after expiry the origin was not asked")
			}
		})
	}
}

func TestErrorCaching(t *testing.T) {
	for _, status := range []int{400, 403, 404, 405, 414, 500, 501, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "max-age=86400")
				w.WriteHeader(status)
				w.Write([]byte("err"))
			})
			e := newEdge(t, Options{}, distribution(o.Server))
			for i := 0; i < 2; i++ {
				r := e.get(t, "d1.cloudfront.test", "/e")
				if r.StatusCode != status || r.Header.Get("X-Cache") != "Error from cloudfront" || r.body != "err" {
					t.Fatalf("request %d: %d %q %q", i, r.StatusCode, r.Header.Get("X-Cache"), r.body)
				}
			}
			if n := o.hits.Load(); n != 1 {
				t.Fatalf("origin hits = %d, want 1 (error cached)", n)
			}
			e.clock.Advance(5*time.Minute + time.Second)
			e.get(t, "d1.cloudfront.test", "/e")
			if n := o.hits.Load(); n != 2 {
				t.Fatalf("after 5 minutes origin hits = %d, want 2", n)
			}
		})
	}
	t.Run("401 is not cached", func(t *testing.T) {
		o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) })
		e := newEdge(t, Options{}, distribution(o.Server))
		e.get(t, "d1.cloudfront.test", "/e")
		e.get(t, "d1.cloudfront.test", "/e")
		if n := o.hits.Load(); n != 2 {
			t.Fatalf("origin hits = %d, want 2", n)
		}
	})
}
