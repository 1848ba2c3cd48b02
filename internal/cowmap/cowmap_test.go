package cowmap

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"testing"
)

// TestVersionsMatchAPlainMap changes a Map and a plain map alike, at
// random, and checks after every version that the new one holds what
// the plain map does and that every older version still holds what it
// held when it was published.
func TestVersionsMatchAPlainMap(t *testing.T) {
	for _, size := range []int{0, 10, 2000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(size), 1))
			want := map[string]int{}
			m := New[int](size)
			for i := range size {
				k := fmt.Sprint("k", i)
				m.Set(k, i)
				want[k] = i
			}
			type version struct {
				m    *Map[int]
				want map[string]int
			}
			var old []version
			folded := false
			for step := range 300 {
				old = append(old, version{m, maps.Clone(want)})
				m = m.Edit()
				folded = folded || m.own
				for range 1 + r.IntN(5) {
					k := fmt.Sprint("k", r.IntN(size+40)) // more keys than over holds before a fold
					if r.IntN(3) == 0 {
						m.Delete(k)
						delete(want, k)
					} else {
						m.Set(k, step)
						want[k] = step
					}
				}
				check(t, m, want)
			}
			for _, v := range old {
				check(t, v.m, v.want)
			}
			if !folded {
				t.Error("the changes were never folded into a new base")
			}
		})
	}
}

func check(t *testing.T, m *Map[int], want map[string]int) {
	t.Helper()
	if m.Len() != len(want) {
		t.Fatalf("Len %d, want %d", m.Len(), len(want))
	}
	got := maps.Collect(m.All())
	if !maps.Equal(got, want) {
		t.Fatalf("All = %v entries, want %v", len(got), len(want))
	}
	for k, v := range want {
		if g, ok := m.Get(k); !ok || g != v {
			t.Fatalf("Get(%q) = %d, %v; want %d", k, g, ok, v)
		}
		if g, ok := m.GetBytes([]byte(k)); !ok || g != v {
			t.Fatalf("GetBytes(%q) = %d, %v; want %d", k, g, ok, v)
		}
	}
	if _, ok := m.GetBytes([]byte("absent")); ok {
		t.Fatal("GetBytes of an absent key found it")
	}
	if _, ok := m.Get("absent"); ok {
		t.Fatal("Get of an absent key found it")
	}
}

// TestEditCost counts the entries the Edits copy (over at each Edit, all
// n at each fold) over many versions of c changes each, and holds the
// mean per version to O(√(n·c)): a bound on over of √n would fold at
// every version once c passes √n, copying all n each time.
func TestEditCost(t *testing.T) {
	const n = 20000
	for _, c := range []int{1, 10, 160, 2000} {
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			m := New[int](n)
			for i := range n {
				m.Set(fmt.Sprint("k", i), i)
			}
			r := rand.New(rand.NewPCG(uint64(c), 2))
			copied, versions := 0, 300
			for range versions {
				before := len(m.over)
				m = m.Edit()
				if m.own {
					copied += n
				} else {
					copied += before
				}
				for range c {
					m.Set(fmt.Sprint("k", r.IntN(2*n)), 0)
				}
			}
			mean := float64(copied) / float64(versions)
			bound := 1.5 * math.Sqrt(2*float64(n)*float64(c))
			t.Logf("%d changes per version: %.0f entries copied per version (bound %.0f)", c, mean, bound)
			if mean > max(bound, minFold) {
				t.Errorf("%.0f entries copied per version, want at most %.0f", mean, bound)
			}
		})
	}
}
