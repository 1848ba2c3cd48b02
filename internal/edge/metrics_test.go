package edge

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/cloudfront"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	o := newOrigin(t, text("12345"))
	e := newEdge(t, Options{Registerer: reg}, distribution(o.Server))
	e.get(t, "d1.cloudfront.test", "/m")                // miss
	e.get(t, "d1.cloudfront.test", "/m")                // hit
	e.get(t, "unknown.example.com", "/m")               // unknown host
	e.do(t, e.http, "POST", "d1.cloudfront.test", "/m") // error
	got := gather(t, reg)
	want := map[string]float64{
		`openfront_edge_requests_total{distribution="EDFDVBD6EXAMPLE",result="error"}`:       1,
		`openfront_edge_requests_total{distribution="EDFDVBD6EXAMPLE",result="hit"}`:         1,
		`openfront_edge_requests_total{distribution="EDFDVBD6EXAMPLE",result="miss"}`:        1,
		`openfront_edge_requests_total{distribution="EDFDVBD6EXAMPLE",result="refresh-hit"}`: 0,
		`openfront_edge_snapshot_revision`:                                                   1,
		`openfront_edge_unknown_host_requests_total`:                                         1,
		`openfront_edge_origin_response_seconds{distribution="EDFDVBD6EXAMPLE"}`:             1, // sample count
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if got[`openfront_edge_response_body_bytes_total{distribution="EDFDVBD6EXAMPLE"}`] < 10 {
		t.Error("body bytes not counted")
	}
	// The cache's weight is approximate: otter applies writes through a
	// buffer, so the stored miss may be counted a moment later.
	for deadline := time.Now().Add(5 * time.Second); got[`openfront_edge_cache_bytes`] <= 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		got = gather(t, reg)
	}
	if got[`openfront_edge_cache_bytes`] <= 0 || got[`openfront_edge_cache_budget_bytes`] != DefaultCacheSize {
		t.Errorf("cache gauges: %v %v", got[`openfront_edge_cache_bytes`], got[`openfront_edge_cache_budget_bytes`])
	}
	if tier := got[`openfront_edge_cache_tier_budget_bytes`]; tier < DefaultCacheSize/8 || tier >= DefaultCacheSize {
		t.Errorf("memory tier's budget %v, want a share of the %d budget", tier, DefaultCacheSize)
	}
	// A deleted distribution's series go away.
	if err := e.Apply(testSnapshot(2), nil); err != nil {
		t.Fatal(err)
	}
	for k := range gather(t, reg) {
		if strings.Contains(k, "EDFDVBD6EXAMPLE") {
			t.Errorf("series %s left after deletion", k)
		}
	}
}

// gather flattens a registry into "name{labels}" -> value (a histogram's
// sample count).
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			k := mf.GetName()
			if len(labels) > 0 {
				k += "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.Counter != nil:
				out[k] = m.Counter.GetValue()
			case m.Gauge != nil:
				out[k] = m.Gauge.GetValue()
			case m.Histogram != nil:
				out[k] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return out
}

func TestAccessLogHook(t *testing.T) {
	o := newOrigin(t, text("12345"))
	var recs []LogRecord
	e := newEdge(t, Options{Location: "LOC1", AccessLog: func(r LogRecord) { recs = append(recs, r) }},
		distribution(o.Server, withLogging, func(c *cloudfront.DistributionConfig) { c.Aliases = []string{"cdn.example.com"} }))
	r1 := e.get(t, "cdn.example.com", "/a.txt?size=large", "Referer", "http://www.example.com/", "User-Agent", "UA/1", "Cookie", "x=1")
	e.get(t, "cdn.example.com", "/a.txt?size=large")
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	got := recs[0]
	if got.Host != "d1.cloudfront.test" || got.URIStem != "/a.txt" || got.Query != "size=large" ||
		got.Status != 200 || got.ResultType != "Miss" || got.Location != "LOC1" || got.Method != "GET" ||
		got.Referer != "http://www.example.com/" || got.UserAgent != "UA/1" || got.Cookie != "x=1" ||
		got.ClientIP != "127.0.0.1" || got.RequestID != r1.Header.Get("X-Amz-Cf-Id") || got.BytesSent <= 5 {
		t.Errorf("record %+v", got)
	}
	if recs[1].ResultType != "Hit" {
		t.Errorf("second result %q", recs[1].ResultType)
	}
}
