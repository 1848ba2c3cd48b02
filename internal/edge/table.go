package edge

import (
	"iter"

	"github.com/openfront/openfront/internal/cowmap"
)

// table maps names (hosts, distribution ids) to distributions, and is
// shared between revisions the way feed.Snapshot shares records (see
// cowmap): a revision copies O(√n) entries instead of the maps of every
// distribution, which was most of an edge's work and garbage per
// revision (BenchmarkApplyOneChange). A missing name is nil.
type table struct{ m *cowmap.Map[*dist] }

func newTable(capacity int) *table { return &table{cowmap.New[*dist](capacity)} }

// get is the form named k, or nil.
func (t *table) get(k string) *dist {
	d, _ := t.m.Get(k)
	return d
}

// getBytes is get of string(k), without allocating.
func (t *table) getBytes(k []byte) *dist {
	d, _ := t.m.GetBytes(k)
	return d
}

func (t *table) len() int { return t.m.Len() }

// edit is a copy of t to change before it is published; t is unchanged.
func (t *table) edit() *table { return &table{t.m.Edit()} }

// set names d k, on a table from edit or newTable (unpublished).
func (t *table) set(k string, d *dist) { t.m.Set(k, d) }

// remove drops k, on a table from edit or newTable (unpublished).
func (t *table) remove(k string) { t.m.Delete(k) }

// all is every entry, in no order.
func (t *table) all() iter.Seq2[string, *dist] { return t.m.All() }
