package feed

import (
	"reflect"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/store"
)

func grantKeys(s *Snapshot) []string {
	var out []string
	for _, g := range s.BucketGrants {
		out = append(out, g.Key())
	}
	return out
}

func TestMergeBucketGrants(t *testing.T) {
	media := buckets.Grant{Bucket: "media", AccountID: "111111111111"}
	byOAI := buckets.Grant{Bucket: "media", OAIID: "E2"}
	every := buckets.Grant{Bucket: buckets.Every, AccountID: "222222222222"}
	base := &Snapshot{Revision: 5, BucketGrants: []buckets.Grant{media, byOAI}}
	tests := []struct {
		name string
		s    *Snapshot
		d    Delta
		want []string
	}{
		{"full replaces", base, Delta{Revision: 9, Full: true, BucketGrants: []buckets.Grant{every}}, []string{every.Key()}},
		{"full without grants empties", base, Delta{Revision: 9, Full: true}, nil},
		{"add and revoke", base, Delta{From: 5, Revision: 6, BucketGrants: []buckets.Grant{every},
			DeletedBucketGrants: []string{media.Key(), "nope account:1"}}, []string{every.Key(), byOAI.Key()}},
		{"revoked then granted again in one delta", base, Delta{From: 5, Revision: 6,
			BucketGrants: []buckets.Grant{media}, DeletedBucketGrants: []string{media.Key()}}, []string{media.Key(), byOAI.Key()}},
		{"delta without grants keeps them", base, Delta{From: 5, Revision: 7}, []string{media.Key(), byOAI.Key()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Merge(tt.s, &tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if k := grantKeys(got); !reflect.DeepEqual(k, tt.want) {
				t.Errorf("grants %v, want %v", k, tt.want)
			}
		})
	}
}

// A state file written before grants existed loads, with no grants: the
// edge then signs nothing until the control plane sends them.
func TestSnapshotFileWithoutGrants(t *testing.T) {
	_, s, err := DecodeSnapshotFile([]byte(`{"Version":1,"EdgeID":"e","Snapshot":{"Revision":3,"Distributions":[{"ID":"EDFDVBD6EXAMPLE","AccountID":"111111111111","Revision":3}],"KeyPairs":[]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Revision != 3 || len(s.Distributions) != 1 || len(s.BucketGrants) != 0 {
		t.Errorf("loaded %+v", s)
	}
	with := &Snapshot{Revision: 4, BucketGrants: []buckets.Grant{{Bucket: "media", OAIID: "E2"}}}
	b, err := EncodeSnapshotFile("e", with)
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := DecodeSnapshotFile(b); err != nil || !reflect.DeepEqual(got, with) {
		t.Errorf("round trip: %+v, %v", got, err)
	}
}

// Grants reach a running edge over the feed, and so do revocations and
// the grants an account's deletion takes with it.
func TestBucketGrantsPropagate(t *testing.T) {
	f := newTestFeed(t)
	grant := func(g buckets.Grant) func(store.Tx, int64) error {
		return func(tx store.Tx, rev int64) error {
			return tx.InsertBucketGrant(store.BucketGrant{Grant: g, Created: f.clock.Now(), Revision: rev})
		}
	}
	keep := buckets.Grant{Bucket: buckets.Every, AccountID: testAccount}
	gone := buckets.Grant{Bucket: "media", AccountID: testAccount}
	f.write(grant(keep))
	a := startEdge(t, f.newClient("edge-a", "100", t.TempDir()))
	eventually(t, "the first grant arrives", func() bool {
		s := a.rec.snapshot()
		return s != nil && len(s.BucketGrants) == 1
	})
	f.write(grant(gone))
	eventually(t, "the second grant arrives", func() bool { return len(a.rec.snapshot().BucketGrants) == 2 })
	rev := f.write(func(tx store.Tx, rev int64) error { return tx.DeleteBucketGrant(gone, rev) })
	eventually(t, "the revocation arrives", func() bool { return a.c.Revision() >= rev })
	if k := strings.Join(grantKeys(a.rec.snapshot()), ","); k != keep.Key() {
		t.Errorf("after revoke: grants %s, want %s", k, keep.Key())
	}
}
