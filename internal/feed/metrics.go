package feed

import "github.com/prometheus/client_golang/prometheus"

// metrics counts what the feed costs per change: how often it wakes the
// edges, what they ask, what it sends, reads and writes.
type metrics struct {
	wakeups    prometheus.Counter
	requests   *prometheus.CounterVec
	deltas     prometheus.Counter
	deltaBytes prometheus.Counter
	reads      prometheus.Counter
	flushes    prometheus.Counter
	flushed    prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		wakeups: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "openfront_feed_wakeups_total",
			Help: "Times the waiting long polls were woken.",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "openfront_feed_requests_total",
			Help: "Feed requests by operation (register, changes, ack, heartbeat).",
		}, []string{"operation"}),
		deltas: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "openfront_feed_deltas_sent_total",
			Help: "Long polls answered with a delta (not the empty answer of a poll that ran out).",
		}),
		deltaBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "openfront_feed_delta_bytes_sent_total",
			Help: "Bytes of the deltas sent (JSON bodies).",
		}),
		reads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "openfront_feed_delta_reads_total",
			Help: "Deltas read from the store (each shared by the edges waiting on it).",
		}),
		flushes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "openfront_feed_flushes_total",
			Help: "Transactions writing acknowledgements and heartbeats.",
		}),
		flushed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "openfront_feed_flushed_edges_total",
			Help: "Edge rows written by those transactions.",
		}),
	}
	for _, op := range []string{"register", "changes", "ack", "heartbeat"} {
		m.requests.WithLabelValues(op) // shown at 0 from the start
	}
	if reg != nil {
		reg.MustRegister(m.wakeups, m.requests, m.deltas, m.deltaBytes, m.reads, m.flushes, m.flushed)
	}
	return m
}

// counters is the server's metrics, made on first use.
func (s *Server) counters() *metrics {
	s.init()
	return s.metrics
}
