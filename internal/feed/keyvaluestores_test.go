package feed

import (
	"reflect"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func storeIDs(s *Snapshot) []string {
	var out []string
	for _, k := range s.KeyValueStores {
		out = append(out, k.ID)
	}
	return out
}

func TestMergeKeyValueStores(t *testing.T) {
	a := KeyValueStore{ID: "a", AccountID: testAccount, Items: []cloudfront.KeyValue{{Key: "k", Value: "1"}}}
	b := KeyValueStore{ID: "b", AccountID: testAccount}
	a2 := a
	a2.Items = []cloudfront.KeyValue{{Key: "k", Value: "2"}}
	base := &Snapshot{Revision: 5, KeyValueStores: []KeyValueStore{a}}
	for _, tt := range []struct {
		name string
		d    Delta
		want []string
	}{
		{"full replaces", Delta{Revision: 9, Full: true, KeyValueStores: []KeyValueStore{b}}, []string{"b"}},
		{"full without stores empties", Delta{Revision: 9, Full: true}, nil},
		{"add and delete", Delta{From: 5, Revision: 6, KeyValueStores: []KeyValueStore{b}, DeletedKeyValueStores: []string{"a"}}, []string{"b"}},
		{"delta without stores keeps them", Delta{From: 5, Revision: 6}, []string{"a"}},
		{"a write replaces the store whole", Delta{From: 5, Revision: 6, KeyValueStores: []KeyValueStore{a2}}, []string{"a"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Merge(base, &tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if k := storeIDs(got); !reflect.DeepEqual(k, tt.want) {
				t.Errorf("stores %v, want %v", k, tt.want)
			}
			if tt.name == "a write replaces the store whole" && got.KeyValueStores[0].Items[0].Value != "2" {
				t.Errorf("after the write: %+v", got.KeyValueStores[0])
			}
		})
	}
	// The journal's composition of deltas agrees with merging them one by
	// one: a store written, deleted, then made again.
	ds := []*Delta{
		{From: 5, Revision: 6, KeyValueStores: []KeyValueStore{a2}},
		{From: 6, Revision: 7, DeletedKeyValueStores: []string{"a"}},
		{From: 7, Revision: 8, KeyValueStores: []KeyValueStore{b}},
	}
	one, err := Merge(base, composeDeltas(ds))
	if err != nil {
		t.Fatal(err)
	}
	if k := storeIDs(one); !reflect.DeepEqual(k, []string{"b"}) {
		t.Errorf("composed: stores %v, want [b]", k)
	}
}

// A store's keys reach a running edge, a write of keys follows, and so
// does the store's deletion.
func TestKeyValueStoresPropagate(t *testing.T) {
	f := newTestFeed(t)
	k := cloudfront.KeyValueStore{ID: "kvs-1", AccountID: testAccount, ETag: "E1",
		Config: cloudfront.KeyValueStoreConfig{Name: "s", Status: cloudfront.KeyValueStoreReady,
			Data: cloudfront.KeyValueItems{ETag: "D1", Items: []cloudfront.KeyValue{{Key: "k", Value: "v1"}}}}}
	f.write(func(tx store.Tx, rev int64) error {
		k.LastModifiedTime, k.Revision = f.clock.Now(), rev
		return tx.KeyValueStoreRecords().Insert(k)
	})
	dir := t.TempDir()
	a := startEdge(t, f.newClient("edge-a", "100", dir))
	value := func() string {
		s := a.rec.snapshot()
		if s == nil || len(s.KeyValueStores) != 1 || len(s.KeyValueStores[0].Items) != 1 {
			return ""
		}
		return s.KeyValueStores[0].Items[0].Value
	}
	eventually(t, "the store arrives", func() bool { return value() == "v1" })
	f.write(func(tx store.Tx, rev int64) error {
		k.Config.Data.Items[0].Value, k.Config.Data.Modified, k.Revision = "v2", f.clock.Now().Add(time.Second), rev
		return tx.KeyValueStoreRecords().Update(k)
	})
	eventually(t, "the write of keys arrives", func() bool { return value() == "v2" })
	rev := f.write(func(tx store.Tx, rev int64) error { return tx.KeyValueStoreRecords().Delete(k.ID, rev) })
	eventually(t, "the deletion arrives", func() bool { return a.c.Revision() >= rev })
	if n := len(a.rec.snapshot().KeyValueStores); n != 0 {
		t.Errorf("after delete: %d stores", n)
	}
}
