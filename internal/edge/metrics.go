package edge

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the edge's Prometheus collectors. A distribution's children
// are made at its first request and kept across snapshots, so a request
// only does atomic adds. Made for every distribution up front, they were
// two thirds of an edge's memory per distribution (about 4 KB each: label
// pairs, a histogram), most of it for distributions this edge never
// serves; a series thus appears with the distribution's first request.
type metrics struct {
	requests      *prometheus.CounterVec
	bytes         *prometheus.CounterVec
	originLatency *prometheus.HistogramVec
	unknownHost   prometheus.Counter
}

// distCounters are one distribution's children of the vectors.
type distCounters struct {
	byResult      [len(resultLabels)]prometheus.Counter
	bytes         prometheus.Counter
	originLatency prometheus.Observer
}

var resultLabels = [...]string{"hit", "refresh-hit", "miss", "error", "redirect", "function"}

func newMetrics(reg prometheus.Registerer, s *Server) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "requests_total",
			Help: "Viewer requests by distribution and result (hit, refresh-hit, miss, error, redirect).",
		}, []string{"distribution", "result"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "response_body_bytes_total",
			Help: "Body bytes sent to viewers, by distribution.",
		}, []string{"distribution"}),
		originLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "origin_response_seconds",
			Help:    "Time until the origin's response headers arrived, by distribution.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 9),
		}, []string{"distribution"}),
		unknownHost: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "unknown_host_requests_total",
			Help: "Requests for a host that no enabled distribution serves.",
		}),
	}
	if reg == nil {
		return m, nil
	}
	cs := []prometheus.Collector{
		m.requests, m.bytes, m.originLatency, m.unknownHost,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "cache_bytes",
			Help: "Weighted size of the cache in bytes.",
		}, func() float64 { return float64(s.cache.weightedSize()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "cache_objects",
			Help: "Objects in the cache (estimate).",
		}, func() float64 { return float64(s.cache.len()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "cache_budget_bytes",
			Help: "The edge's memory budget (--cache-size): the process's, of which the memory tier gets a share.",
		}, func() float64 { return float64(s.opts.CacheSize) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "cache_tier_budget_bytes",
			Help: "The memory tier's share of the memory budget now: what the rest of the process leaves it.",
		}, func() float64 { return float64(s.cache.c.GetMaximum()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "fill_bytes",
			Help: "Bytes of bodies arriving from origins, counted against their share of the memory budget.",
		}, func() float64 { return float64(s.cache.fillMem.held()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "openfront", Subsystem: "edge", Name: "snapshot_revision",
			Help: "Revision of the applied configuration snapshot.",
		}, func() float64 { return float64(s.Revision()) }),
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) forDist(id string) *distCounters {
	c := &distCounters{
		bytes:         m.bytes.WithLabelValues(id),
		originLatency: m.originLatency.WithLabelValues(id),
	}
	for i, l := range resultLabels {
		c.byResult[i] = m.requests.WithLabelValues(id, l)
	}
	return c
}

// stats returns d's metric children, made at its first request.
func (s *Server) stats(d *dist) *distCounters {
	if c := d.counters.p.Load(); c != nil {
		return c
	}
	c := s.metrics.forDist(d.id)
	d.counters.p.Store(c)
	// A request on a snapshot that Apply has just replaced can get here
	// after Apply forgot a deleted distribution's series; Apply swaps
	// before it forgets, so checking the current snapshot after making
	// them cannot leave them behind.
	if s.snap.Load().byID.get(d.id) == nil {
		s.metrics.forget(d.id)
	}
	return c
}

// forget drops a deleted distribution's series.
func (m *metrics) forget(id string) {
	for _, l := range resultLabels {
		m.requests.DeleteLabelValues(id, l)
	}
	m.bytes.DeleteLabelValues(id)
	m.originLatency.DeleteLabelValues(id)
}

func (c *distCounters) count(res result, n int) {
	c.byResult[res].Inc()
	if n > 0 {
		c.bytes.Add(float64(n))
	}
}
