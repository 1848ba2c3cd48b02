package edge

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestTableMatchesMap: a table edited over many revisions holds what a
// plain map given the same changes holds, at every revision, through the
// folds of its changes into a new base; and an edit never changes the
// published table it started from.
func TestTableMatchesMap(t *testing.T) {
	for _, size := range []int{0, 10, 2000} {
		rng := rand.New(rand.NewPCG(uint64(size), 3))
		forms := make([]*dist, 50)
		for i := range forms {
			forms[i] = &dist{id: fmt.Sprint("d", i)}
		}
		key := func() string { return fmt.Sprint("k", rng.IntN(size+40)) }
		want := map[string]*dist{}
		tb := newTable(size)
		for range size {
			k, d := key(), forms[rng.IntN(len(forms))]
			tb.set(k, d)
			want[k] = d
		}
		folded := false
		for rev := range 300 {
			published, content := tb, maps.Collect(tb.all())
			tb = tb.edit()
			folded = folded || tb.over == nil
			for range 1 + rng.IntN(4) {
				k := key()
				if rng.IntN(3) == 0 {
					tb.remove(k)
					delete(want, k)
				} else {
					d := forms[rng.IntN(len(forms))]
					tb.set(k, d)
					want[k] = d
				}
			}
			if got := maps.Collect(tb.all()); !reflect.DeepEqual(got, want) || tb.len() != len(want) {
				t.Fatalf("size %d revision %d: table holds %d (len %d), want %d", size, rev, len(got), tb.len(), len(want))
			}
			for k, d := range want {
				if tb.get(k) != d || tb.getBytes([]byte(k)) != d {
					t.Fatalf("size %d revision %d: get(%q) is not what was set", size, rev, k)
				}
			}
			if tb.get("absent") != nil {
				t.Fatalf("size %d revision %d: an absent key was found", size, rev)
			}
			if got := maps.Collect(published.all()); !reflect.DeepEqual(got, content) {
				t.Fatalf("size %d revision %d: editing changed the published table", size, rev)
			}
		}
		if !folded {
			t.Errorf("size %d: the changes were never folded into a new base", size)
		}
	}
}
