package feed

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// TestMergeDistributionsWalk: the walk over a sorted base gives what the
// map does, for bases, changes (repeated ids included) and deletions
// drawn from a few ids, so that every overlap occurs.
func TestMergeDistributionsWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	pick := func(n int) []cloudfront.Distribution {
		var ds []cloudfront.Distribution
		for range rng.IntN(n) {
			ds = append(ds, dist(fmt.Sprintf("E%d", rng.IntN(12)), rng.Int64N(100)))
		}
		return ds
	}
	for i := range 5000 {
		// A base as Merge leaves it: unique ids, sorted.
		base := mergeDistributionsMap(records(pick(12)...), nil, nil)
		changed := pick(5)
		var deleted []string
		for range rng.IntN(4) {
			deleted = append(deleted, fmt.Sprintf("E%d", rng.IntN(12)))
		}
		got := mergeDistributions(base, changed, deleted)
		want := mergeDistributionsMap(base, changed, deleted)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: base %v changed %v deleted %v:\nwalk %v\nmap  %v", i, base, changed, deleted, got, want)
		}
	}
}

// TestMergeUnsortedBase: a snapshot built out of id order (by hand, not
// by Merge) still merges, sorted.
func TestMergeUnsortedBase(t *testing.T) {
	s := &Snapshot{Revision: 1, Distributions: records(dist("C", 1), dist("A", 1), dist("C", 1))}
	out, err := Merge(s, &Delta{From: 1, Revision: 2, Distributions: []cloudfront.Distribution{dist("B", 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := ids(out); !reflect.DeepEqual(d, []string{"A", "B", "C"}) {
		t.Errorf("distributions %v, want A B C", d)
	}
}
