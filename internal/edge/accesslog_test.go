package edge

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// logRecords collects what the edge hands the access-log writer.
type logRecords struct {
	mu   sync.Mutex
	recs []LogRecord
}

func (l *logRecords) add(r LogRecord) {
	l.mu.Lock()
	l.recs = append(l.recs, r)
	l.mu.Unlock()
}

func (l *logRecords) last(t *testing.T) LogRecord {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.recs) == 0 {
		t.Fatal("no access-log record")
	}
	return l.recs[len(l.recs)-1]
}

// TestAccessLogStandardFields checks what the edge captures for the
// fields the standard log format added (16-33), over real HTTP/1.1 and
// HTTP/2-over-TLS connections to a real origin.
func TestAccessLogStandardFields(t *testing.T) {
	var e *testEdge
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		// The origin takes 250 ms of the edge's clock before answering:
		// time to first byte and time taken both include it.
		e.clock.Advance(250 * time.Millisecond)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=60")
		w.Write([]byte("0123456789"))
	})
	var logs logRecords
	e = newEdge(t, Options{Location: "LOC1", AccessLog: logs.add},
		distribution(o.Server, withLogging, func(c *cloudfront.DistributionConfig) { c.Aliases = []string{"cdn.example.com"} }))
	h2 := httptest.NewUnstartedServer(e.Server)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	t.Cleanup(h2.Close)

	miss := e.get(t, "cdn.example.com", "/a.txt", "X-Forwarded-For", "198.51.100.7")
	r := logs.last(t)
	if r.HostHeader != "cdn.example.com" || r.Host != "d1.cloudfront.test" || r.HTTPS || r.ProtocolVersion != "HTTP/1.1" ||
		r.TLSVersion != 0 || r.ForwardedFor != "198.51.100.7" || r.ClientIP != "127.0.0.1" || r.ClientPort == "" ||
		r.ResultType != "Miss" || r.ResponseResultType != "Miss" || r.DetailedResultType != "Miss" ||
		r.ContentType != "text/plain; charset=utf-8" || r.ContentLength != "10" || r.ContentRange != "" {
		t.Errorf("miss record %+v", r)
	}
	if r.TimeToFirstByte != 250*time.Millisecond || r.TimeTaken != 250*time.Millisecond {
		t.Errorf("miss: time to first byte %v, time taken %v; want 250ms both", r.TimeToFirstByte, r.TimeTaken)
	}
	if !strings.Contains(miss.Request.URL.String(), "/a.txt") || r.BytesReceived < int64(len("GET /a.txt HTTP/1.1\r\nHost: cdn.example.com\r\n\r\n")) {
		t.Errorf("cs-bytes %d", r.BytesReceived)
	}

	e.do(t, h2, http.MethodGet, "cdn.example.com", "/a.txt", "Range", "bytes=2-5")
	r = logs.last(t)
	if !r.HTTPS || r.ProtocolVersion != "HTTP/2.0" || r.TLSVersion != tls.VersionTLS13 || r.CipherSuite == 0 ||
		r.ResultType != "Hit" || r.DetailedResultType != "Hit" || r.Status != http.StatusPartialContent ||
		r.ContentRange != "bytes 2-5/10" || r.ContentLength != "4" {
		t.Errorf("ranged HTTP/2 hit record %+v", r)
	}
	if r.TimeToFirstByte != 0 || r.TimeTaken != 0 {
		t.Errorf("hit: the origin was not asked, yet time to first byte %v, time taken %v", r.TimeToFirstByte, r.TimeTaken)
	}
}

// TestAccessLogDetailedResultType checks x-edge-detailed-result-type for
// the errors the edge tells apart (CloudFront's standard log file
// fields, field 29), against the origin's own errors, which stay "Error".
func TestAccessLogDetailedResultType(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok"))
	})
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close() // nothing listens there now
	var logs logRecords
	e := newEdge(t, Options{AccessLog: logs.add},
		distribution(o.Server, withLogging, func(c *cloudfront.DistributionConfig) {
			c.Origins = append(c.Origins, customOrigin("down", down, cloudfront.OriginHTTPOnly))
			b := cacheBehavior("down")
			b.PathPattern = "/down/*"
			c.CacheBehaviors = []cloudfront.CacheBehavior{b}
		}))
	tests := []struct {
		name, method, host, path string
		status                   int
		result, detailed         string
	}{
		{"served", "GET", "d1.cloudfront.test", "/ok", 200, "Miss", "Miss"},
		{"origin's 404", "GET", "d1.cloudfront.test", "/missing", 404, "Error", "Error"},
		{"method refused", "POST", "d1.cloudfront.test", "/ok", 403, "Error", "InvalidRequestMethod"},
		{"path refused", "GET", "d1.cloudfront.test", "/a%2Fb", 400, "Error", "InvalidRequest"},
		{"origin unreachable", "GET", "d1.cloudfront.test", "/down/x", 502, "Error", "OriginConnectError"},
		// An unknown host has no distribution, so no log to go to:
		// TestAccessLogOnlyLoggingDistributions.
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.do(t, e.http, tt.method, tt.host, tt.path)
			r := logs.last(t)
			if resp.StatusCode != tt.status || r.Status != tt.status || r.ResultType != tt.result ||
				r.ResponseResultType != tt.result || r.DetailedResultType != tt.detailed {
				t.Fatalf("status %d, record %d %s/%s/%s; want %d %s/%s/%s", resp.StatusCode, r.Status,
					r.ResultType, r.ResponseResultType, r.DetailedResultType, tt.status, tt.result, tt.result, tt.detailed)
			}
		})
	}
}
