package controlplane

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/store"
)

// TestStatusFromEdgesBehind: decorateTx reads only the edges behind the
// revision, and first only a few of them; whatever the edges (more than
// the probe, live or not, covered or not, ahead in the store or only in
// this node's overlay), Status and the count of in-progress
// invalidations equal what every edge, overlaid, says.
func TestStatusFromEdgesBehind(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	const timeout = 15 * time.Second
	var ahead map[string]int64 // the overlay: acks this node heard of
	s, st := statusService(t, now, timeout, func(e store.Edge) int64 { return ahead[e.ID] })
	check := func(name string, edges []store.Edge, dist cloudfront.Distribution, invs []cloudfront.Invalidation) string {
		t.Helper()
		setEdges(t, st, edges)
		all := s.EdgeOverlay(edges)
		wantStatus := feed.DistributionStatus(dist, all, now, timeout)
		wantInvs := 0
		for _, inv := range invs {
			if !feed.InvalidationDone(inv, dist.Config.PriceClass, all, now, timeout) {
				wantInvs++
			}
		}
		got := dist
		if err := st.View(ctx, func(tx store.Tx) error { return s.decorateWith(tx, &got, invs) }); err != nil {
			t.Fatal(err)
		}
		if got.Status != wantStatus || got.InProgressInvalidationBatches != wantInvs {
			t.Fatalf("%s (%d edges, class %s, invalidations %v): Status %s with %d in progress, want %s with %d",
				name, len(edges), dist.Config.PriceClass, invs, got.Status, got.InProgressInvalidationBatches, wantStatus, wantInvs)
		}
		return got.Status
	}
	edge := func(i int, class string, seenAgo time.Duration, acked int64) store.Edge {
		return store.Edge{ID: fmt.Sprintf("EDGE%02d", i), PriceClass: class, Registered: now.Add(-time.Hour),
			LastSeen: now.Add(-seenAgo), AckedRevision: acked}
	}
	dist100 := cloudfront.Distribution{ID: "EDIST", Revision: 100, Config: cloudfront.DistributionConfig{PriceClass: cloudfront.PriceClass100}}

	// The probe's edges do not hold the change up (not covered: All-only
	// edges), the one seen before them does: the rest must be read.
	var edges []store.Edge
	for i := range edgesProbe {
		edges = append(edges, edge(i, cloudfront.PriceClassAll, time.Duration(i)*time.Second, 50))
	}
	edges = append(edges, edge(edgesProbe, cloudfront.PriceClass100, 10*time.Second, 50))
	ahead = map[string]int64{}
	if got := check("witness past the probe", edges, dist100, nil); got != cloudfront.StatusInProgress {
		t.Errorf("witness past the probe: %s", got)
	}
	// That edge has the change in this node's overlay only: Deployed.
	ahead = map[string]int64{edges[edgesProbe].ID: 100}
	if got := check("witness acked in the overlay", edges, dist100, nil); got != cloudfront.StatusDeployed {
		t.Errorf("witness acked in the overlay: %s", got)
	}

	classes := []string{cloudfront.PriceClass100, cloudfront.PriceClass200, cloudfront.PriceClassAll}
	r := rand.New(rand.NewPCG(5, 31))
	seen := map[string]int{}
	for round := range 300 {
		n := r.IntN(3 * edgesProbe)
		ahead = map[string]int64{}
		dist := cloudfront.Distribution{ID: "EDIST", Revision: 100, Config: cloudfront.DistributionConfig{PriceClass: classes[r.IntN(3)]}}
		var invs []cloudfront.Invalidation
		for i := range r.IntN(3) {
			invs = append(invs, cloudfront.Invalidation{ID: fmt.Sprint("I", i), Status: cloudfront.StatusInProgress, Revision: 90 + int64(r.IntN(20))})
		}
		var edges []store.Edge
		for i := range n {
			e := edge(i, classes[r.IntN(3)], time.Duration(r.IntN(30))*time.Second, 85+int64(r.IntN(30)))
			if r.IntN(4) == 0 {
				ahead[e.ID] = e.AckedRevision + int64(r.IntN(20))
			}
			edges = append(edges, e)
		}
		got := check(fmt.Sprint("round ", round), edges, dist, invs)
		seen[fmt.Sprintf("%s %v %v", got, len(invs) > 0, n > edgesProbe)]++
	}
	// Each way through edgesBehind came up.
	for _, k := range []string{"InProgress false true", "Deployed false true", "InProgress false false", "Deployed false false", "InProgress true true"} {
		if seen[k] == 0 {
			t.Errorf("no round gave %q (%v)", k, seen)
		}
	}
}
