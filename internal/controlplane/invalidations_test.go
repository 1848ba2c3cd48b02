package controlplane

import (
	"math"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store"
)

// TestPurgeHorizon: batches are forgotten only once every edge in service
// has applied them; an edge silent for more than a day holds nothing back.
func TestPurgeHorizon(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	edge := func(acked int64, seen time.Duration) store.Edge {
		return store.Edge{AckedRevision: acked, LastSeen: now.Add(-seen)}
	}
	cases := []struct {
		name  string
		edges []store.Edge
		want  int64
	}{
		{"no edge", nil, math.MaxInt64},
		{"one edge", []store.Edge{edge(7, time.Second)}, 7},
		{"the slowest edge", []store.Edge{edge(7, time.Second), edge(3, time.Minute), edge(9, 0)}, 3},
		{"offline for an hour still counts", []store.Edge{edge(7, 0), edge(2, time.Hour)}, 2},
		{"silent for more than a day does not", []store.Edge{edge(7, 0), edge(2, 25*time.Hour)}, 7},
		{"all silent", []store.Edge{edge(2, 25*time.Hour)}, math.MaxInt64},
	}
	for _, tc := range cases {
		if got := purgeHorizon(tc.edges, now); got != tc.want {
			t.Errorf("%s: purgeHorizon = %d, want %d", tc.name, got, tc.want)
		}
	}
}
