package edge

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// groupDistribution is a distribution whose default behaviour targets the
// origin group "g" of primary and secondary, failing over on codes.
func groupDistribution(primary, secondary *httptest.Server, codes []int, edit ...func(*cloudfront.DistributionConfig)) cloudfront.Distribution {
	return distribution(primary, append([]func(*cloudfront.DistributionConfig){func(cfg *cloudfront.DistributionConfig) {
		cfg.Origins = append(cfg.Origins, customOrigin("backup", secondary, cloudfront.OriginHTTPOnly))
		cfg.OriginGroups = []cloudfront.OriginGroup{{ID: "g", StatusCodes: codes, Members: []string{"o", "backup"}}}
		cfg.DefaultCacheBehavior.TargetOriginID = "g"
	}}, edit...)...)
}

// statusOrigin answers every request with status and body.
func statusOrigin(t *testing.T, status int, body string) *testOrigin {
	return newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte(body))
	})
}

// refusedServer is an address where nothing listens.
func refusedServer(t *testing.T) *httptest.Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	return &httptest.Server{URL: "http://" + ln.Addr().String()}
}

// A behaviour that targets an origin group asks the primary and, when it
// answers a listed status or cannot be reached, the secondary (developer
// guide, "Optimize high availability with CloudFront origin failover").
func TestOriginGroupFailover(t *testing.T) {
	cases := []struct {
		name         string
		primary      func(t *testing.T) *httptest.Server
		codes        []int
		method       string
		wantStatus   int
		wantBody     string
		wantFailover bool
	}{
		{"listed 500 fails over", func(t *testing.T) *httptest.Server { return statusOrigin(t, 500, "primary broke").Server }, []int{500, 502}, "GET", 200, "from backup", true},
		{"listed 404 fails over", func(t *testing.T) *httptest.Server { return statusOrigin(t, 404, "nope").Server }, []int{404}, "GET", 200, "from backup", true},
		{"unlisted 503 is served", func(t *testing.T) *httptest.Server { return statusOrigin(t, 503, "busy").Server }, []int{500}, "GET", 503, "busy", false},
		{"2xx is served", func(t *testing.T) *httptest.Server { return statusOrigin(t, 200, "primary").Server }, []int{500}, "GET", 200, "primary", false},
		{"refused connection fails over", refusedServer, []int{500}, "GET", 200, "from backup", true},
		{"HEAD fails over", func(t *testing.T) *httptest.Server { return statusOrigin(t, 500, "x").Server }, []int{500}, "HEAD", 200, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			primary := c.primary(t)
			backup := newOrigin(t, text("from backup"))
			e := newEdge(t, Options{}, groupDistribution(primary, backup.Server, c.codes))
			r := e.do(t, e.http, c.method, "d1.cloudfront.test", "/obj")
			if r.StatusCode != c.wantStatus || r.body != c.wantBody {
				t.Fatalf("got %d %q, want %d %q", r.StatusCode, r.body, c.wantStatus, c.wantBody)
			}
			if got := backup.hits.Load() > 0; got != c.wantFailover {
				t.Fatalf("secondary asked: %v, want %v", got, c.wantFailover)
			}
		})
	}
}

// A primary that times out fails over too, after its own attempts; the
// next miss goes to the primary again, as CloudFront routes every request
// to the primary first.
func TestOriginGroupFailoverTimeout(t *testing.T) {
	slow := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	backup := newOrigin(t, text("from backup", "Cache-Control", "no-store"))
	e := newEdge(t, Options{}, groupDistribution(slow.Server, backup.Server, []int{500}, func(cfg *cloudfront.DistributionConfig) {
		cfg.Origins[0].Custom.OriginReadTimeout = ptr(1)
		cfg.Origins[0].ConnectionAttempts = ptr(1)
	}))
	for i := 1; i <= 2; i++ {
		start := time.Now()
		r := e.get(t, "d1.cloudfront.test", "/obj")
		if r.StatusCode != 200 || r.body != "from backup" {
			t.Fatalf("request %d: got %d %q", i, r.StatusCode, r.body)
		}
		if took := time.Since(start); took < time.Second || took > 2500*time.Millisecond {
			t.Fatalf("request %d took %v, want the primary's 1 s read timeout and then the backup", i, took)
		}
		if n := slow.hits.Load(); n != int64(i) {
			t.Fatalf("primary asked %d times after %d requests", n, i)
		}
	}
}

// Both origins failing: the viewer gets the secondary's answer.
func TestOriginGroupBothFail(t *testing.T) {
	e := newEdge(t, Options{}, groupDistribution(statusOrigin(t, 500, "p").Server, refusedServer(t), []int{500}))
	if r := e.get(t, "d1.cloudfront.test", "/obj"); r.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", r.StatusCode)
	}
}

// Only GET, HEAD and OPTIONS fail over: CloudFront sends other methods to
// the primary alone, since they may not be safe to send twice.
func TestFailoverMethods(t *testing.T) {
	for m, want := range map[string]bool{
		"GET": true, "HEAD": true, "OPTIONS": true,
		"POST": false, "PUT": false, "PATCH": false, "DELETE": false,
	} {
		if got := failoverMethod(m); got != want {
			t.Errorf("failoverMethod(%s) = %v, want %v", m, got, want)
		}
	}
}

// Through the edge: a POST with a body reaches the primary alone and its
// error is the viewer's; OPTIONS, not cached, still fails over, unless
// the primary read a body it carried.
func TestOriginGroupMethodsThroughEdge(t *testing.T) {
	cases := []struct {
		method     string
		body       string
		wantStatus int
		wantBackup bool
	}{
		{"POST", "payload", 500, false},
		{"PUT", "payload", 500, false},
		{"DELETE", "", 500, false},
		{"OPTIONS", "", 200, true},
		{"OPTIONS", "a body the primary read", 500, false},
		{"GET", "", 200, true},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			primary := statusOrigin(t, 500, "primary broke")
			backup := newOrigin(t, echo)
			e := newEdge(t, Options{}, groupDistribution(primary.Server, backup.Server, []int{500}, withMethods(allSeven, nil)))
			req, _ := http.NewRequest(c.method, e.http.URL+"/api", strings.NewReader(c.body))
			req.Host = "d1.cloudfront.test"
			resp, err := e.http.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.wantStatus)
			}
			if got := backup.hits.Load() > 0; got != c.wantBackup {
				t.Fatalf("secondary asked: %v, want %v", got, c.wantBackup)
			}
			if primary.hits.Load() != 1 {
				t.Fatalf("primary asked %d times, want once", primary.hits.Load())
			}
		})
	}
}
