package cloudfront

import (
	"slices"
	"strings"
)

// managedTable holds one kind of CloudFront's managed policies
// (managedcachepolicies.go, managedoriginrequestpolicies.go,
// managedresponseheaderspolicies.go) and hands out copies of them, which
// the caller may change without changing the table.
type managedTable[P any] struct {
	policies []P // in id order
	id       func(P) string
	clone    func(P) P // a copy that shares nothing the caller may change
}

// newManagedTable returns the table of the policies, sorted by id.
func newManagedTable[P any](id func(P) string, clone func(P) P, policies ...P) *managedTable[P] {
	policies = slices.Clone(policies)
	slices.SortStableFunc(policies, func(a, b P) int { return strings.Compare(id(a), id(b)) })
	return &managedTable[P]{policies: policies, id: id, clone: clone}
}

// get returns a copy of the policy with the id.
func (t *managedTable[P]) get(id string) (P, bool) {
	i, ok := slices.BinarySearchFunc(t.policies, id, func(p P, id string) int { return strings.Compare(t.id(p), id) })
	if !ok {
		var zero P
		return zero, false
	}
	return t.clone(t.policies[i]), true
}

// all returns a copy of every policy, in id order (the order in which the
// List… operations page).
func (t *managedTable[P]) all() []P {
	out := make([]P, len(t.policies))
	for i, p := range t.policies {
		out[i] = t.clone(p)
	}
	return out
}

// clonePtr returns a pointer to a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
