package feed

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/buckets"
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
		changed := records(pick(5)...)
		var deleted []string
		for range rng.IntN(4) {
			deleted = append(deleted, fmt.Sprintf("E%d", rng.IntN(12)))
		}
		want := mergeDistributionsMap(base, changed, deleted)
		for _, ordered := range []bool{false, true} {
			got := mergeDistributions(base, changed, deleted, ordered)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("case %d (ordered %v): base %v changed %v deleted %v:\nwalk %v\nmap  %v", i, ordered, base, changed, deleted, got, want)
			}
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

// TestMergeSharesUnchanged: a merge shares the records (and whole lists)
// a delta leaves alone with the next snapshot, gives each record it
// brings an allocation of its own, and leaves the snapshot it started
// from as it was.
func TestMergeSharesUnchanged(t *testing.T) {
	base, err := Merge(nil, &Delta{Full: true, Revision: 3,
		Distributions: []cloudfront.Distribution{dist("A", 1), dist("B", 2), dist("C", 3), dist("D", 3)},
		KeyPairs:      []KeyPair{{ID: "K1"}}, BucketGrants: []buckets.Grant{{Bucket: "b", AccountID: "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(base)
	tests := []struct {
		name    string
		d       Delta
		changed []string // ids whose record is new
		keys    bool     // the key pair list is shared
	}{
		{"nothing", Delta{}, nil, true},
		{"one update", Delta{Distributions: []cloudfront.Distribution{dist("B", 4)}}, []string{"B"}, true},
		{"create and delete", Delta{Distributions: []cloudfront.Distribution{dist("BB", 4)}, DeletedDistributions: []string{"D"}}, []string{"BB"}, true},
		{"twice the same id", Delta{Distributions: []cloudfront.Distribution{dist("A", 4), dist("A", 5)}}, []string{"A"}, true},
		{"key pairs only", Delta{KeyPairs: []KeyPair{{ID: "K2"}}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			d.From, d.Revision = base.Revision, base.Revision+1
			next, err := Merge(base, &d)
			if err != nil {
				t.Fatal(err)
			}
			was := map[string]*cloudfront.Distribution{}
			for _, x := range base.Distributions {
				was[x.ID] = x
			}
			var changed []string
			for _, x := range next.Distributions {
				if was[x.ID] != x {
					changed = append(changed, x.ID)
				}
				for i := range d.Distributions {
					if x == &d.Distributions[i] {
						t.Errorf("%s points into the delta", x.ID)
					}
				}
			}
			if !reflect.DeepEqual(changed, tt.changed) {
				t.Errorf("new records %v, want %v (the others shared)", changed, tt.changed)
			}
			if shared := len(next.KeyPairs) > 0 && &next.KeyPairs[0] == &base.KeyPairs[0]; shared != tt.keys {
				t.Errorf("key pairs shared %v, want %v", shared, tt.keys)
			}
			if &next.BucketGrants[0] != &base.BucketGrants[0] {
				t.Error("the unchanged grants were copied")
			}
			// The delta is the caller's to reuse: the snapshot keeps
			// what it merged.
			for i := range d.Distributions {
				d.Distributions[i].Config.Comment = "changed after the merge"
			}
			for _, x := range next.Distributions {
				if x.Config.Comment != "" {
					t.Errorf("%s changed with the delta", x.ID)
				}
			}
			if after, _ := json.Marshal(base); string(after) != string(before) {
				t.Errorf("the merge changed its base:\n%s\n%s", before, after)
			}
		})
	}
}
