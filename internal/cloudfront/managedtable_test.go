package cloudfront

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// managedTableTest is what the checks every managed-policy table must pass
// need of one kind of policy (P) and its config (C): the exported lookups,
// the kind's functions on configs, and the policies expected.
type managedTableTest[P, C any] struct {
	kinds     string // "cache policies", for messages
	get       func(id string) (P, bool)
	all       func() []P
	head      func(*P) policyHead
	config    func(*P) *C
	normalize func(*C)
	equal     func(a, b *C) bool
	validate  func(*C) error    // the checks a managed policy passes
	names     map[string]string // by id, every policy the table has
	notFound  []string          // ids besides an unknown one the table must not have
}

// policyHead is what every kind of policy has alike.
type policyHead struct {
	id, accountID, etag string
	lastModified        time.Time
	revision            int64
	managed             bool
	typ                 string
	name, comment       string
}

// check: the table has the policies expected, under their names, each
// once, in id order; each is managed, has an ETag, a LastModifiedTime and
// a Comment, is normalized, passes validation and is what get returns for
// its id; get finds nothing for the zero id nor for the notFound ones.
func (m managedTableTest[P, C]) check(t *testing.T) {
	t.Helper()
	all := m.all()
	if len(all) != len(m.names) {
		t.Fatalf("%d managed %s, want %d", len(all), m.kinds, len(m.names))
	}
	if !slices.IsSortedFunc(all, func(a, b P) int { return strings.Compare(m.head(&a).id, m.head(&b).id) }) {
		t.Errorf("the managed %s are not in id order", m.kinds)
	}
	ids, names := map[string]bool{}, map[string]bool{}
	for i := range all {
		p := &all[i]
		h, c := m.head(p), m.config(p)
		if m.names[h.id] != h.name {
			t.Errorf("policy %s is named %q, want %q", h.id, h.name, m.names[h.id])
		}
		if ids[h.id] || names[h.name] {
			t.Errorf("policy %s (%s) is there twice", h.id, h.name)
		}
		ids[h.id], names[h.name] = true, true
		if !h.managed || h.typ != CachePolicyManaged || h.revision != 0 {
			t.Errorf("policy %s: not managed (account %q, revision %d)", h.id, h.accountID, h.revision)
		}
		if h.etag == "" || h.lastModified.IsZero() || h.comment == "" {
			t.Errorf("policy %s: ETag, LastModifiedTime or Comment is missing", h.id)
		}
		n := *c
		m.normalize(&n)
		if !m.equal(&n, c) {
			t.Errorf("policy %s is not normalized", h.id)
		}
		if err := m.validate(c); err != nil {
			t.Errorf("policy %s (%s): %v", h.id, h.name, err)
		}
		got, ok := m.get(h.id)
		if !ok || m.head(&got) != h || !m.equal(m.config(&got), c) {
			t.Errorf("looking up %s: %+v, %v", h.id, got, ok)
		}
	}
	for _, id := range append([]string{"00000000-0000-0000-0000-000000000000"}, m.notFound...) {
		if _, ok := m.get(id); ok {
			t.Errorf("the managed %s include %s", m.kinds, id)
		}
	}
}

// checkCopies: a caller that changes (mutate) the copy get returns for
// the id, and the one all returns, does not change the table.
func (m managedTableTest[P, C]) checkCopies(t *testing.T, id string, mutate func(*P)) {
	t.Helper()
	want := m.policiesJSON(t)
	p, ok := m.get(id)
	if !ok {
		t.Fatalf("no managed policy %s", id)
	}
	mutate(&p)
	all := m.all()
	i := slices.IndexFunc(all, func(p P) bool { return m.head(&p).id == id })
	mutate(&all[i])
	for i, got := range m.policiesJSON(t) {
		if got != want[i] {
			t.Errorf("the managed policy changed:\n%s\nwant\n%s", got, want[i])
		}
	}
}

// policiesJSON is every policy as JSON: a copy that shares nothing.
func (m managedTableTest[P, C]) policiesJSON(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, p := range m.all() {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
