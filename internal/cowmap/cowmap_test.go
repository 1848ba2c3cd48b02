package cowmap

import (
	"fmt"
	"maps"
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
			for step := range 300 {
				old = append(old, version{m, maps.Clone(want)})
				m = m.Edit()
				for range 1 + r.IntN(5) {
					k := fmt.Sprint("k", r.IntN(size+20))
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
	}
	if _, ok := m.Get("absent"); ok {
		t.Fatal("Get of an absent key found it")
	}
}
