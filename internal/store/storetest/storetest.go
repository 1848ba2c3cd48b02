// Package storetest is the conformance suite every store.Store
// implementation must pass: Run it from the implementation's tests.
package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// Run runs the suite. open returns a new, empty store for each subtest and
// arranges (with t.Cleanup) for it to be closed and removed.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Accounts", testAccounts},
		{"AccessKeys", testAccessKeys},
		{"DeleteAccountCascades", testDeleteAccountCascades},
		{"Revision", testRevision},
		{"Distributions", testDistributions},
		{"DistributionErrors", testDistributionErrors},
		{"DistributionRoundTrip", testDistributionRoundTrip},
		{"CNAMEUniqueness", testCNAMEUniqueness},
		{"DistributionPagination", testDistributionPagination},
		{"DistributionsChangedSince", testDistributionsChangedSince},
		{"StreamingDistributions", testStreamingDistributions},
		{"StreamingDistributionErrors", testStreamingDistributionErrors},
		{"SharedCNAMEs", testSharedCNAMEs},
		{"StreamingPagination", testStreamingPagination},
		{"StreamingChangedSince", testStreamingChangedSince},
		{"Records", testRecords},
		{"OAIs", testOAIs},
		{"RecordCounts", testRecordCounts},
		{"Invalidations", testInvalidations},
		{"InvalidationOrder", testInvalidationOrder},
		{"Tags", testTags},
		{"KeyPairs", testKeyPairs},
		{"Certificates", testCertificates},
		{"BucketGrants", testBucketGrants},
		{"Edges", testEdges},
		{"EdgeKeys", testEdgeKeys},
		{"Bootstrap", testBootstrap},
		{"ConcurrentBootstrap", testConcurrentBootstrap},
		{"RollbackOnError", testRollbackOnError},
		{"RollbackOnPanic", testRollbackOnPanic},
		{"ViewSnapshot", testViewSnapshot},
		{"ConcurrentCNAME", testConcurrentCNAME},
		{"ConcurrentNextRevision", testConcurrentNextRevision},
		{"DomainNameTaken", testDomainNameTaken},
		{"PurgeInvalidations", testPurgeInvalidations},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// base has a sub-millisecond part on purpose: stores keep at least
// milliseconds, and the suite compares after truncating to them.
var base = time.Date(2026, 11, 3, 10, 4, 5, 123456789, time.FixedZone("CET", 3600))

// at returns base plus n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

// ms normalizes a time the way the store contract allows it to come back.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// try runs fn in its own Update and returns its error.
func try(s store.Store, fn func(tx store.Tx) error) error {
	return s.Update(context.Background(), fn)
}

// equal fails the test unless got and want are deeply equal after norm.
func equal[T any](t *testing.T, what string, got, want T, norm func(T) T) {
	t.Helper()
	if norm != nil {
		got, want = norm(got), norm(want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func normAll[T any](norm func(T) T) func([]T) []T {
	return func(xs []T) []T {
		out := make([]T, len(xs))
		for i, x := range xs {
			out[i] = norm(x)
		}
		return out
	}
}

func normAccount(a store.Account) store.Account       { a.Created = ms(a.Created); return a }
func normAccessKey(k store.AccessKey) store.AccessKey { k.Created = ms(k.Created); return k }
func normKeyPair(k store.KeyPair) store.KeyPair       { k.Created = ms(k.Created); return k }
func normEdgeKey(k store.EdgeKey) store.EdgeKey       { k.Created = ms(k.Created); return k }

func normEdge(e store.Edge) store.Edge {
	e.Registered, e.LastSeen = ms(e.Registered), ms(e.LastSeen)
	return e
}

func normDist(d cloudfront.Distribution) cloudfront.Distribution {
	d.LastModifiedTime = ms(d.LastModifiedTime)
	return d
}

func normInv(inv cloudfront.Invalidation) cloudfront.Invalidation {
	inv.CreateTime = ms(inv.CreateTime)
	return inv
}

// ids returns the ids of xs, via id.
func ids[T any](xs []T, id func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}

func distID(d cloudfront.Distribution) string  { return d.ID }
func invID(inv cloudfront.Invalidation) string { return inv.ID }
