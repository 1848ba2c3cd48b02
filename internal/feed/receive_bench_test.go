package feed_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
)

// fleetDistribution is a distribution as the control plane sends one that
// bench/fleet created (one custom origin, the 2012-07-01 defaults).
func fleetDistribution(i int, rev int64) cloudfront.Distribution {
	ref := fmt.Sprintf("fleet-%019d", 1764651234567890123+i)
	return cloudfront.Distribution{
		ID:               fmt.Sprintf("E%013d", i),
		AccountID:        "233782389355",
		LastModifiedTime: time.Date(2026, 12, 2, 5, 7, 32, 599062000, time.UTC).Add(time.Duration(rev) * time.Millisecond),
		DomainName:       fmt.Sprintf("d%013d.cloudfront.localhost", i),
		Config: cloudfront.DistributionConfig{
			CallerReference: ref,
			Origins: []cloudfront.Origin{{ID: "o", DomainName: "127.0.0.1",
				Custom: &cloudfront.CustomOriginConfig{HTTPPort: 1025, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
			DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", Cookies: cloudfront.CookiePreference{Forward: cloudfront.ForwardNone},
				ViewerProtocolPolicy: cloudfront.ViewerAllowAll},
			Comment:    ref,
			PriceClass: cloudfront.PriceClassAll,
			Enabled:    true,
		},
		ETag:     fmt.Sprintf("E%013d", rev*100003%9999999999999),
		Revision: rev,
	}
}

// BenchmarkReceiveDelta is an edge's cost of one delta of a create
// burst, as the fleet sees it: a real long poll over loopback HTTP, the
// body decoded, merged onto the snapshot, appended to the journal (and
// the snapshot file rewritten when the journal outgrows it), and the
// edge's Apply, with perDelta distributions per delta among n. Each
// delta replaces perDelta distributions with new records (round robin),
// so that the snapshot keeps its size however many deltas run. The
// bodies are encoded before the clock starts; a time per op is a delta.
func BenchmarkReceiveDelta(b *testing.B) {
	const perDelta = 80
	for _, n := range []int{1000, 10000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			full := feed.Delta{Revision: 1, Full: true, KeyPairs: []feed.KeyPair{}}
			for i := range n {
				full.Distributions = append(full.Distributions, fleetDistribution(i, 1))
			}
			bodies := [][]byte{mustJSON(b, full)}
			next := 0
			for r := 1; r <= b.N; r++ {
				d := feed.Delta{From: int64(r), Revision: int64(r + 1)}
				for range perDelta {
					d.Distributions = append(d.Distributions, fleetDistribution(next, int64(r+1)))
					next = (next + 1) % n
				}
				bodies = append(bodies, mustJSON(b, d))
			}
			srv := httptest.NewServer(receiveBenchFeed(bodies))
			defer srv.Close()

			s, err := edge.New(edge.Options{Registerer: prometheus.NewRegistry(), CacheSize: 1 << 20})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			applied := make(chan int64, 1)
			c := &feed.Client{BaseURL: srv.URL, Auth: "e:secret", EdgeID: "e", PriceClass: "All",
				StateDir: b.TempDir(), Applier: signalApplier{s, applied}}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- c.Run(ctx) }()
			defer func() { cancel(); <-done }()
			waitRevision(b, applied, 1)
			b.ReportAllocs()
			cpu0 := processCPU(b)
			b.ResetTimer()
			waitRevision(b, applied, int64(b.N+1))
			b.StopTimer()
			// The process's CPU time per delta (the fsyncs' waits and the
			// machine's other users left out, unlike ns/op).
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(len(bodies[len(bodies)-1])), "bytes/delta")
		})
	}
}

// processCPU is the user and system CPU time the process has used, in ns.
func processCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func mustJSON(b *testing.B, v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func waitRevision(b *testing.B, applied <-chan int64, want int64) {
	for {
		select {
		case rev := <-applied:
			if rev >= want {
				return
			}
		case <-time.After(time.Minute):
			b.Fatalf("revision %d not applied in a minute", want)
		}
	}
}

// signalApplier is the edge's Apply, reporting each revision applied.
type signalApplier struct {
	s       *edge.Server
	applied chan int64
}

func (a signalApplier) Apply(snap *feed.Snapshot, invs []cloudfront.Invalidation) error {
	if err := a.s.Apply(snap, invs); err != nil {
		return err
	}
	select {
	case a.applied <- snap.Revision:
	default:
		// The waiter wants only the last; drop the one it has not read.
		select {
		case <-a.applied:
		default:
		}
		a.applied <- snap.Revision
	}
	return nil
}

// receiveBenchFeed answers the feed protocol with bodies[r-1] for a poll
// since revision r-1 (bodies[0] is the full delta), and holds a poll past
// the last until the client goes away.
func receiveBenchFeed(bodies [][]byte) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+feed.PathRegister, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(feed.RegisterResponse{ProtocolVersion: feed.ProtocolVersion, PollWaitMillis: 60000, PollAcknowledges: true})
	})
	ok := func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) }
	mux.HandleFunc("POST "+feed.PathAck, ok)
	mux.HandleFunc("POST "+feed.PathHeartbeat, ok)
	mux.HandleFunc("GET "+feed.PathChanges, func(w http.ResponseWriter, r *http.Request) {
		since, err := strconv.Atoi(r.URL.Query().Get("since"))
		if err != nil || since < 0 {
			http.Error(w, `{"Error":"since"}`, http.StatusBadRequest)
			return
		}
		if since >= len(bodies) {
			<-r.Context().Done()
			return
		}
		// As the control plane's feed does: the edge then reads the body
		// into one buffer of its size.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(bodies[since])))
		w.Write(bodies[since])
	})
	return mux
}
