package edge

import (
	"iter"
	"math"
)

// table maps names (hosts, distribution ids) to compiled forms, and is
// shared between revisions the way feed.Snapshot shares records: base is
// never written once published, and over holds the changes made since
// (a nil value: removed). A revision copies over and changes the copy,
// instead of copying base: cloning maps of every distribution was most of
// an edge's work and garbage per revision (BenchmarkApplyOneChange). over
// is folded into a new base when it outgrows the square root of base, so
// a revision copies O(√n) entries and the fold's O(n) comes once per
// O(√n) changes.
type table struct {
	base map[string]*dist
	over map[string]*dist
	n    int // live entries
}

func newTable(capacity int) *table {
	return &table{base: make(map[string]*dist, capacity)}
}

// get is the form named k, or nil.
func (t *table) get(k string) *dist {
	if len(t.over) != 0 {
		if d, ok := t.over[k]; ok {
			return d
		}
	}
	return t.base[k]
}

// getBytes is get of string(k), without allocating (the compiler's
// m[string(b)] form).
func (t *table) getBytes(k []byte) *dist {
	if len(t.over) != 0 {
		if d, ok := t.over[string(k)]; ok {
			return d
		}
	}
	return t.base[string(k)]
}

func (t *table) len() int { return t.n }

// edit is a copy of t to change before it is published; t is unchanged.
func (t *table) edit() *table {
	if limit := max(32, int(math.Sqrt(float64(len(t.base))))); len(t.over) < limit {
		over := make(map[string]*dist, len(t.over)+8)
		for k, d := range t.over {
			over[k] = d
		}
		return &table{base: t.base, over: over, n: t.n}
	}
	base := make(map[string]*dist, t.n)
	for k, d := range t.all() {
		base[k] = d
	}
	return &table{base: base, n: t.n}
}

// set names d k, on a table from edit or newTable (unpublished).
func (t *table) set(k string, d *dist) {
	if t.get(k) == nil {
		t.n++
	}
	if t.over == nil {
		t.base[k] = d // a new table: base is its own
		return
	}
	t.over[k] = d
}

// remove drops k, on a table from edit or newTable (unpublished).
func (t *table) remove(k string) {
	if t.get(k) == nil {
		return
	}
	t.n--
	if t.over == nil {
		delete(t.base, k)
		return
	}
	if _, inBase := t.base[k]; inBase {
		t.over[k] = nil
	} else {
		delete(t.over, k)
	}
}

// all is every live entry, in no order.
func (t *table) all() iter.Seq2[string, *dist] {
	return func(yield func(string, *dist) bool) {
		for k, d := range t.base {
			if _, changed := t.over[k]; !changed && !yield(k, d) {
				return
			}
		}
		for k, d := range t.over {
			if d != nil && !yield(k, d) {
				return
			}
		}
	}
}
