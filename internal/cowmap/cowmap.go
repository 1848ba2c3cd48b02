// Package cowmap is a string-keyed map published to concurrent readers
// and changed a little at a time: each change makes a new version that
// shares the bulk of the old one, so a version costs O(√n) to make rather
// than the O(n) of copying a map. The edge's per-revision state (its
// certificate table, its access-log settings) is one such map per
// revision, mostly unchanged from the last.
package cowmap

import "iter"

// Map is one version. A published Map (one readers may hold) is never
// written: Edit gives a copy to change. Its zero value is not usable;
// use New.
//
// base is shared between versions and written only by the version that
// made it (before publishing); over holds the changes since base, a
// removal as an entry with ok false. Each Edit copies over; over is
// folded into a new base (a copy of all n entries) once the copies of
// over made since base would reach the cost of a fold. With one change
// per version that is every O(√n) versions; with c changes per version,
// every O(√(n/c)), so that a version costs O(√(n·c)), not the O(n) of a
// fold at every version that a fixed O(√n) bound on over gave a create
// burst's deltas (hundreds of hosts each).
type Map[V any] struct {
	base   map[string]V
	over   map[string]slot[V]
	n      int // live entries
	copied int // entries of over copied by the Edits since base was made
	own    bool
}

type slot[V any] struct {
	v  V
	ok bool
}

// New is an empty Map to fill before it is published.
func New[V any](capacity int) *Map[V] {
	return &Map[V]{base: make(map[string]V, capacity), own: true}
}

// Get is k's value.
func (m *Map[V]) Get(k string) (V, bool) {
	if len(m.over) != 0 {
		if s, ok := m.over[k]; ok {
			return s.v, s.ok
		}
	}
	v, ok := m.base[k]
	return v, ok
}

// GetBytes is Get of string(k), without allocating (the compiler's
// m[string(b)] form): the edge looks hosts up from request bytes.
func (m *Map[V]) GetBytes(k []byte) (V, bool) {
	if len(m.over) != 0 {
		if s, ok := m.over[string(k)]; ok {
			return s.v, s.ok
		}
	}
	v, ok := m.base[string(k)]
	return v, ok
}

// Len is the number of entries.
func (m *Map[V]) Len() int { return m.n }

// Edit is a copy of m to change and then publish; m is unchanged.
func (m *Map[V]) Edit() *Map[V] {
	if copied := m.copied + len(m.over); copied < max(minFold, len(m.base)) {
		over := make(map[string]slot[V], len(m.over)+8)
		for k, s := range m.over {
			over[k] = s
		}
		return &Map[V]{base: m.base, over: over, n: m.n, copied: copied}
	}
	base := make(map[string]V, m.n)
	for k, v := range m.All() {
		base[k] = v
	}
	return &Map[V]{base: base, n: m.n, own: true}
}

// minFold keeps a small map's versions from folding at every Edit.
const minFold = 512

// Set gives k the value v, on a Map from New or Edit not yet published.
func (m *Map[V]) Set(k string, v V) {
	if _, ok := m.Get(k); !ok {
		m.n++
	}
	if m.own {
		m.base[k] = v
		return
	}
	m.over[k] = slot[V]{v: v, ok: true}
}

// Delete removes k, on a Map from New or Edit not yet published.
func (m *Map[V]) Delete(k string) {
	if _, ok := m.Get(k); !ok {
		return
	}
	m.n--
	if m.own {
		delete(m.base, k)
		return
	}
	if _, inBase := m.base[k]; inBase {
		m.over[k] = slot[V]{}
	} else {
		delete(m.over, k)
	}
}

// All is every entry, in no order.
func (m *Map[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for k, v := range m.base {
			if _, changed := m.over[k]; !changed && !yield(k, v) {
				return
			}
		}
		for k, s := range m.over {
			if s.ok && !yield(k, s.v) {
				return
			}
		}
	}
}
