package feed

import (
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func TestNormalizeEdgePriceClass(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"100", cloudfront.PriceClass100, false},
		{"200", cloudfront.PriceClass200, false},
		{"All", cloudfront.PriceClassAll, false},
		{"all", cloudfront.PriceClassAll, false},
		{"PriceClass_100", cloudfront.PriceClass100, false},
		{"PriceClass_200", cloudfront.PriceClass200, false},
		{"PriceClass_All", cloudfront.PriceClassAll, false},
		{" 200 ", cloudfront.PriceClass200, false},
		{"", "", true},
		{"300", "", true},
		{"PriceClass_", "", true},
		{"PriceClass_PriceClass_100", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeEdgePriceClass(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("NormalizeEdgePriceClass(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	const c100, c200, cAll = cloudfront.PriceClass100, cloudfront.PriceClass200, cloudfront.PriceClassAll
	tests := []struct {
		dist, edge string
		want       bool
	}{
		// An edge in the PriceClass_100 locations (US, Europe) serves every class.
		{c100, "100", true},
		{c200, "100", true},
		{cAll, "100", true},
		{"", "100", true}, // empty: the API's default, All
		// A _200 edge (e.g. Japan) serves 200 and All only.
		{c100, "200", false},
		{c200, "200", true},
		{cAll, "200", true},
		{"", "200", true},
		// An All-only edge (e.g. São Paulo) serves All only.
		{c100, "All", false},
		{c200, "All", false},
		{cAll, "All", true},
		{"", "All", true},
		// PriceClass_ names work for edges too.
		{c100, c100, true},
		{c100, c200, false},
		{c200, cAll, false},
		// None covers what PriceClass_100 covers: class-100 edges only.
		{cloudfront.PriceClassNone, "100", true},
		{cloudfront.PriceClassNone, "200", false},
		{cloudfront.PriceClassNone, "All", false},
		// An unknown edge class is treated as All-only.
		{c100, "mars", false},
		{cAll, "mars", true},
	}
	for _, tt := range tests {
		t.Run(tt.dist+"/"+tt.edge, func(t *testing.T) {
			if got := Covers(tt.dist, tt.edge); got != tt.want {
				t.Errorf("Covers(%q, %q) = %v, want %v", tt.dist, tt.edge, got, tt.want)
			}
		})
	}
}

func TestLive(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		seen    time.Time
		timeout time.Duration
		want    bool
	}{
		{"just seen", now, time.Second, true},
		{"at the timeout", now.Add(-15 * time.Second), 15 * time.Second, true},
		{"past the timeout", now.Add(-16 * time.Second), 15 * time.Second, false},
		{"default timeout", now.Add(-10 * time.Second), 0, true},
		{"default timeout passed", now.Add(-DefaultTimeout - time.Second), 0, false},
		{"clock skew", now.Add(time.Minute), time.Second, true},
		{"never seen", time.Time{}, time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Live(store.Edge{LastSeen: tt.seen}, now, tt.timeout); got != tt.want {
				t.Errorf("Live = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDistributionStatusAndInvalidationDone(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	stale := now.Add(-time.Minute)
	edge := func(id, pc string, acked int64, seen time.Time) store.Edge {
		return store.Edge{ID: id, PriceClass: pc, AckedRevision: acked, LastSeen: seen}
	}
	tests := []struct {
		name  string
		class string
		rev   int64
		edges []store.Edge
		want  string
	}{
		{"no edges", cloudfront.PriceClassAll, 5, nil, cloudfront.StatusDeployed},
		{"all acked", cloudfront.PriceClassAll, 5,
			[]store.Edge{edge("a", cloudfront.PriceClass100, 5, now), edge("b", cloudfront.PriceClassAll, 7, now)}, cloudfront.StatusDeployed},
		{"one behind", cloudfront.PriceClassAll, 5,
			[]store.Edge{edge("a", cloudfront.PriceClass100, 5, now), edge("b", cloudfront.PriceClassAll, 4, now)}, cloudfront.StatusInProgress},
		{"behind but not live", cloudfront.PriceClassAll, 5,
			[]store.Edge{edge("a", cloudfront.PriceClass100, 5, now), edge("b", cloudfront.PriceClassAll, 0, stale)}, cloudfront.StatusDeployed},
		{"behind but not covered", cloudfront.PriceClass100, 5,
			[]store.Edge{edge("a", cloudfront.PriceClass100, 5, now), edge("b", cloudfront.PriceClass200, 0, now)}, cloudfront.StatusDeployed},
		{"behind and covered by 200", cloudfront.PriceClass200, 5,
			[]store.Edge{edge("a", cloudfront.PriceClass100, 5, now), edge("b", cloudfront.PriceClass200, 0, now)}, cloudfront.StatusInProgress},
		{"only uncovered edges", cloudfront.PriceClass100, 5,
			[]store.Edge{edge("b", cloudfront.PriceClassAll, 0, now)}, cloudfront.StatusDeployed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cloudfront.Distribution{Revision: tt.rev, Config: cloudfront.DistributionConfig{PriceClass: tt.class}}
			if got := DistributionStatus(d, tt.edges, now, 15*time.Second); got != tt.want {
				t.Errorf("DistributionStatus = %s, want %s", got, tt.want)
			}
			sd := cloudfront.StreamingDistribution{Revision: tt.rev, Config: cloudfront.StreamingDistributionConfig{PriceClass: tt.class}}
			if got := StreamingDistributionStatus(sd, tt.edges, now, 15*time.Second); got != tt.want {
				t.Errorf("StreamingDistributionStatus = %s, want %s", got, tt.want)
			}
			inv := cloudfront.Invalidation{Revision: tt.rev}
			if got := InvalidationDone(inv, tt.class, tt.edges, now, 15*time.Second); got != (tt.want == cloudfront.StatusDeployed) {
				t.Errorf("InvalidationDone = %v, want %v", got, tt.want == cloudfront.StatusDeployed)
			}
		})
	}
}

// TestDistributionStatusNone: a PriceClass None distribution is Deployed
// once the live class-100 edges have it, whatever the 200 and All edges
// have acknowledged (it was counted as All before).
func TestDistributionStatusNone(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	edges := []store.Edge{
		{ID: "fra", PriceClass: cloudfront.PriceClass100, LastSeen: now, AckedRevision: 7},
		{ID: "nrt", PriceClass: cloudfront.PriceClass200, LastSeen: now, AckedRevision: 3},
		{ID: "gru", PriceClass: cloudfront.PriceClassAll, LastSeen: now, AckedRevision: 3},
	}
	for _, tt := range []struct {
		class string
		rev   int64
		want  string
	}{
		{cloudfront.PriceClassNone, 7, cloudfront.StatusDeployed},
		{cloudfront.PriceClassNone, 8, cloudfront.StatusInProgress},
		{cloudfront.PriceClass100, 7, cloudfront.StatusDeployed},
		{cloudfront.PriceClass200, 7, cloudfront.StatusInProgress},
		{cloudfront.PriceClassAll, 7, cloudfront.StatusInProgress},
	} {
		d := cloudfront.Distribution{Revision: tt.rev, Config: cloudfront.DistributionConfig{PriceClass: tt.class}}
		if got := DistributionStatus(d, edges, now, time.Minute); got != tt.want {
			t.Errorf("%s at revision %d: %s, want %s", tt.class, tt.rev, got, tt.want)
		}
	}
}
