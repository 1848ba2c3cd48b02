package storetest

import (
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// recordsCase is one lifecycle kind for testRecords: its Records view, the
// kind's own named getter (which the view must agree with), two records
// of one account and a change to a record.
type recordsCase[R any] struct {
	records func(store.Tx) store.Records[R]
	get     func(tx store.Tx, id string) (R, error)
	a, b    R
	id      func(R) string
	change  func(*R)
	norm    func(R) R
}

// testRecords: the Records view of each kind is the kind's store
// methods, so the lifecycle written against it keeps their contract.
func testRecords(t *testing.T, s store.Store) {
	t.Run("distributions", func(t *testing.T) {
		runRecords(t, s, recordsCase[cloudfront.Distribution]{
			records: store.Tx.DistributionRecords, get: store.Tx.Distribution,
			a: dist("EDFDVBD632BHDR1", acct1, "rec-a", "rec-a.example.com"), b: dist("EDFDVBD632BHDR2", acct1, "rec-b"),
			id: distID, change: func(d *cloudfront.Distribution) { d.Config.Comment = "changed"; d.ETag = "E2" }, norm: normDist,
		})
	})
	t.Run("streaming distributions", func(t *testing.T) {
		runRecords(t, s, recordsCase[cloudfront.StreamingDistribution]{
			records: store.Tx.StreamingDistributionRecords, get: store.Tx.StreamingDistribution,
			a: streaming("EGTXBD79H29REC1", acct1, "rec-a", "rec-s.example.com"), b: streaming("EGTXBD79H29REC2", acct1, "rec-b"),
			id: streamingID, change: func(d *cloudfront.StreamingDistribution) { d.Config.Comment = "changed"; d.ETag = "E2" }, norm: normStreaming,
		})
	})
	t.Run("cache policies", func(t *testing.T) {
		runRecords(t, s, recordsCase[cloudfront.CachePolicy]{
			records: store.Tx.CachePolicyRecords, get: func(tx store.Tx, id string) (cloudfront.CachePolicy, error) { return tx.CachePolicyRecords().Get(id) },
			a: cachePolicy("cp-a", acct1, "rec-a"), b: cachePolicy("cp-b", acct1, "rec-b"),
			id:     func(p cloudfront.CachePolicy) string { return p.ID },
			change: func(p *cloudfront.CachePolicy) { p.Config.Comment = "changed"; p.ETag = "E2" },
			norm: func(p cloudfront.CachePolicy) cloudfront.CachePolicy {
				p.LastModifiedTime = p.LastModifiedTime.UTC()
				return p
			},
		})
		// A policy's Name is unique in its account, also when renamed;
		// another account may use it.
		update(t, s, func(tx store.Tx) error {
			noErr(t, "Insert c", tx.CachePolicyRecords().Insert(cachePolicy("cp-c", acct1, "rec-c")))
			renamed := cachePolicy("cp-c", acct1, "rec-b")
			wantErr(t, "rename to a taken name", tx.CachePolicyRecords().Update(renamed), store.ErrExists)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			return tx.CachePolicyRecords().Insert(cachePolicy("cp-d", acct2, "rec-b"))
		})
	})
	t.Run("origin request policies", func(t *testing.T) {
		orp := func(id, name string) cloudfront.OriginRequestPolicy {
			return cloudfront.OriginRequestPolicy{ID: id, AccountID: acct1, ETag: "E1", Revision: 4,
				LastModifiedTime: time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC),
				Config: cloudfront.OriginRequestPolicyConfig{Name: name,
					Headers:      cloudfront.ParamSet{Behavior: cloudfront.ParamsAllViewer},
					Cookies:      cloudfront.ParamSet{Behavior: cloudfront.ParamsWhitelist, Names: []string{"session"}},
					QueryStrings: cloudfront.ParamSet{Behavior: cloudfront.ParamsAll}}}
		}
		runRecords(t, s, recordsCase[cloudfront.OriginRequestPolicy]{
			records: store.Tx.OriginRequestPolicyRecords,
			get: func(tx store.Tx, id string) (cloudfront.OriginRequestPolicy, error) {
				return tx.OriginRequestPolicyRecords().Get(id)
			},
			a: orp("orp-a", "rec-a"), b: orp("orp-b", "rec-b"),
			id:     func(p cloudfront.OriginRequestPolicy) string { return p.ID },
			change: func(p *cloudfront.OriginRequestPolicy) { p.Config.Comment = "changed"; p.ETag = "E2" },
			norm: func(p cloudfront.OriginRequestPolicy) cloudfront.OriginRequestPolicy {
				p.LastModifiedTime = p.LastModifiedTime.UTC()
				return p
			},
		})
	})
	t.Run("response headers policies", func(t *testing.T) {
		rhp := func(id, name string) cloudfront.ResponseHeadersPolicy {
			return cloudfront.ResponseHeadersPolicy{ID: id, AccountID: acct1, ETag: "E1", Revision: 6,
				LastModifiedTime: time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC),
				Config: cloudfront.ResponseHeadersPolicyConfig{Name: name,
					CustomHeaders: []cloudfront.ResponseCustomHeader{{Header: "X-Tenant", Value: "a", Override: true}},
					RemoveHeaders: []string{"Server"}}}
		}
		runRecords(t, s, recordsCase[cloudfront.ResponseHeadersPolicy]{
			records: store.Tx.ResponseHeadersPolicyRecords,
			get: func(tx store.Tx, id string) (cloudfront.ResponseHeadersPolicy, error) {
				return tx.ResponseHeadersPolicyRecords().Get(id)
			},
			a: rhp("rhp-a", "rec-a"), b: rhp("rhp-b", "rec-b"),
			id:     func(p cloudfront.ResponseHeadersPolicy) string { return p.ID },
			change: func(p *cloudfront.ResponseHeadersPolicy) { p.Config.Comment = "changed"; p.ETag = "E2" },
			norm: func(p cloudfront.ResponseHeadersPolicy) cloudfront.ResponseHeadersPolicy {
				p.LastModifiedTime = p.LastModifiedTime.UTC()
				return p
			},
		})
	})
	t.Run("origin access controls", func(t *testing.T) {
		oac := func(id, name string) cloudfront.OriginAccessControl {
			return cloudfront.OriginAccessControl{ID: id, AccountID: acct1, ETag: "E1", Revision: 5,
				LastModifiedTime: time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC),
				Config: cloudfront.OriginAccessControlConfig{Name: name, SigningProtocol: cloudfront.SigningProtocolSigV4,
					SigningBehavior: cloudfront.SigningAlways, OriginType: cloudfront.OACOriginS3}}
		}
		runRecords(t, s, recordsCase[cloudfront.OriginAccessControl]{
			records: store.Tx.OriginAccessControlRecords,
			get: func(tx store.Tx, id string) (cloudfront.OriginAccessControl, error) {
				return tx.OriginAccessControlRecords().Get(id)
			},
			a: oac("oac-a", "rec-a"), b: oac("oac-b", "rec-b"),
			id:     func(o cloudfront.OriginAccessControl) string { return o.ID },
			change: func(o *cloudfront.OriginAccessControl) { o.Config.Description = "changed"; o.ETag = "E2" },
			norm: func(o cloudfront.OriginAccessControl) cloudfront.OriginAccessControl {
				o.LastModifiedTime = o.LastModifiedTime.UTC()
				return o
			},
		})
	})
	t.Run("public keys", func(t *testing.T) {
		pk := func(id, ref string) cloudfront.PublicKey {
			return cloudfront.PublicKey{ID: id, AccountID: acct1, ETag: "E1", Revision: 7,
				CreatedTime: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC),
				Config: cloudfront.PublicKeyConfig{CallerReference: ref, Name: "key-" + id,
					EncodedKey: "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"}}
		}
		runRecords(t, s, recordsCase[cloudfront.PublicKey]{
			records: store.Tx.PublicKeyRecords,
			get: func(tx store.Tx, id string) (cloudfront.PublicKey, error) {
				return tx.PublicKeyRecords().Get(id)
			},
			a: pk("K-A", "rec-a"), b: pk("K-B", "rec-b"),
			id:     func(k cloudfront.PublicKey) string { return k.ID },
			change: func(k *cloudfront.PublicKey) { k.Config.Comment = "changed"; k.ETag = "E2" },
			norm: func(k cloudfront.PublicKey) cloudfront.PublicKey {
				k.CreatedTime = k.CreatedTime.UTC()
				return k
			},
		})
	})
	t.Run("key groups", func(t *testing.T) {
		kg := func(id, name string) cloudfront.KeyGroup {
			return cloudfront.KeyGroup{ID: id, AccountID: acct1, ETag: "E1", Revision: 8,
				LastModifiedTime: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
				Config:           cloudfront.KeyGroupConfig{Name: name, Items: []string{"K-A", "K-B"}}}
		}
		runRecords(t, s, recordsCase[cloudfront.KeyGroup]{
			records: store.Tx.KeyGroupRecords,
			get: func(tx store.Tx, id string) (cloudfront.KeyGroup, error) {
				return tx.KeyGroupRecords().Get(id)
			},
			a: kg("kg-a", "rec-a"), b: kg("kg-b", "rec-b"),
			id:     func(g cloudfront.KeyGroup) string { return g.ID },
			change: func(g *cloudfront.KeyGroup) { g.Config.Items = []string{"K-C"}; g.ETag = "E2" },
			norm: func(g cloudfront.KeyGroup) cloudfront.KeyGroup {
				g.LastModifiedTime = g.LastModifiedTime.UTC()
				return g
			},
		})
	})
	t.Run("functions", func(t *testing.T) {
		fn := func(name, ref string) cloudfront.Function {
			code := cloudfront.FunctionCode{Config: cloudfront.FunctionConfig{Runtime: cloudfront.FunctionRuntimeJS20},
				Code: []byte("function handler(event) { return event.request; }")}
			live := code
			live.ETag = "E9"
			live.LastModifiedTime = time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC)
			return cloudfront.Function{ID: cloudfront.FunctionARN(acct1, name), AccountID: acct1, ETag: "E1", Revision: 9,
				LastModifiedTime: time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC),
				Config: cloudfront.FunctionStages{Name: ref, Created: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
					Dev: code, Live: &live}}
		}
		runRecords(t, s, recordsCase[cloudfront.Function]{
			records: store.Tx.FunctionRecords,
			get: func(tx store.Tx, id string) (cloudfront.Function, error) {
				return tx.FunctionRecords().Get(id)
			},
			a: fn("a", "rec-a"), b: fn("b", "rec-b"),
			id:     func(f cloudfront.Function) string { return f.ID },
			change: func(f *cloudfront.Function) { f.Config.Dev.Config.Comment = "changed"; f.ETag = "E2" },
			norm: func(f cloudfront.Function) cloudfront.Function {
				f.LastModifiedTime = f.LastModifiedTime.UTC()
				f.Config.Created = f.Config.Created.UTC()
				if f.Config.Live != nil {
					l := *f.Config.Live
					l.LastModifiedTime = l.LastModifiedTime.UTC()
					f.Config.Live = &l
				}
				return f
			},
		})
	})
	t.Run("key value stores", func(t *testing.T) {
		kvs := func(id, name string) cloudfront.KeyValueStore {
			return cloudfront.KeyValueStore{ID: id, AccountID: acct1, ETag: "E1", Revision: 10,
				LastModifiedTime: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC),
				Config: cloudfront.KeyValueStoreConfig{Name: name, Comment: "c", Status: cloudfront.KeyValueStoreReady,
					Created: time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC),
					Data: cloudfront.KeyValueItems{ETag: "D1", Modified: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC),
						Items: []cloudfront.KeyValue{{Key: "a", Value: "1"}, {Key: "b\u00e9", Value: "{\"x\":2}"}}}}}
		}
		norm := func(k cloudfront.KeyValueStore) cloudfront.KeyValueStore {
			k.LastModifiedTime = k.LastModifiedTime.UTC()
			k.Config.Created = k.Config.Created.UTC()
			k.Config.Data.Modified = k.Config.Data.Modified.UTC()
			return k
		}
		var before int64
		view(t, s, func(tx store.Tx) error {
			var err error
			before, err = tx.Revision()
			return err
		})
		runRecords(t, s, recordsCase[cloudfront.KeyValueStore]{
			records: store.Tx.KeyValueStoreRecords,
			get: func(tx store.Tx, id string) (cloudfront.KeyValueStore, error) {
				return tx.KeyValueStoreRecords().Get(id)
			},
			a: kvs("kvs-a", "rec-a"), b: kvs("kvs-b", "rec-b"),
			id: func(k cloudfront.KeyValueStore) string { return k.ID },
			change: func(k *cloudfront.KeyValueStore) {
				k.Config.Data.Items = append(k.Config.Data.Items, cloudfront.KeyValue{Key: "c", Value: ""})
				k.Config.Data.ETag = "D2"
				k.Revision = 11
			},
			norm: norm,
		})
		// runRecords deleted kvs-a at a revision after before; kvs-b is
		// still there at revision 10.
		view(t, s, func(tx store.Tx) error {
			changed, deleted, err := tx.KeyValueStoresChangedSince(min(before, 9))
			noErr(t, "KeyValueStoresChangedSince", err)
			if len(changed) != 1 || changed[0].ID != "kvs-b" || len(changed[0].Config.Data.Items) != 2 {
				t.Errorf("changed since min(before, 9) = %+v, want kvs-b with its 2 keys", changed)
			}
			if len(deleted) != 1 || deleted[0] != "kvs-a" {
				t.Errorf("deleted since min(before, 9) = %v, want [kvs-a]", deleted)
			}
			changed, deleted, err = tx.KeyValueStoresChangedSince(max(before, 10) + 1000)
			noErr(t, "KeyValueStoresChangedSince", err)
			if len(changed)+len(deleted) != 0 {
				t.Errorf("changed since the future = %v, %v; want nothing", changed, deleted)
			}
			return nil
		})
	})
}

// cachePolicy is a custom cache policy named name.
func cachePolicy(id, account, name string) cloudfront.CachePolicy {
	ttl := int64(60)
	return cloudfront.CachePolicy{ID: id, AccountID: account, ETag: "E1", Revision: 3,
		LastModifiedTime: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC),
		Config: cloudfront.CachePolicyConfig{Name: name, MinTTL: 1, DefaultTTL: &ttl, MaxTTL: &ttl,
			Parameters: cloudfront.CacheKeyParams{EnableAcceptEncodingGzip: true,
				Headers:      cloudfront.ParamSet{Behavior: cloudfront.ParamsWhitelist, Names: []string{"Origin"}},
				Cookies:      cloudfront.ParamSet{Behavior: cloudfront.ParamsNone},
				QueryStrings: cloudfront.ParamSet{Behavior: cloudfront.ParamsAllExcept, Names: []string{"utm"}}}}}
}

func runRecords[R any](t *testing.T, s store.Store, c recordsCase[R]) {
	update(t, s, func(tx store.Tx) error {
		noErr(t, "Insert", c.records(tx).Insert(c.a))
		wantErr(t, "Insert again", c.records(tx).Insert(c.a), store.ErrExists)
		return c.records(tx).Insert(c.b)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := c.get(tx, c.id(c.a))
		noErr(t, "named getter", err)
		equal(t, "named getter", got, c.a, c.norm)
		got, err = c.records(tx).Get(c.id(c.b))
		noErr(t, "Get", err)
		equal(t, "Get", got, c.b, c.norm)
		got, err = c.records(tx).ByCallerReference(acct1, "rec-a")
		noErr(t, "ByCallerReference", err)
		equal(t, "ByCallerReference", got, c.a, c.norm)
		n, err := c.records(tx).Count(acct1)
		noErr(t, "Count", err)
		page, err := c.records(tx).List(acct1, c.id(c.a), 10)
		noErr(t, "List", err)
		if n != 2 || len(page) != 1 || c.id(page[0]) != c.id(c.b) {
			t.Errorf("Count = %d, List after %s = %d records; want 2 and [%s]", n, c.id(c.a), len(page), c.id(c.b))
		}
		return nil
	})
	changed := c.a
	c.change(&changed)
	update(t, s, func(tx store.Tx) error { return c.records(tx).Update(changed) })
	update(t, s, func(tx store.Tx) error {
		got, err := c.get(tx, c.id(c.a))
		noErr(t, "named getter after Update", err)
		equal(t, "after Update", got, changed, c.norm)
		rev, err := tx.NextRevision()
		noErr(t, "NextRevision", err)
		return c.records(tx).Delete(c.id(c.a), rev)
	})
	update(t, s, func(tx store.Tx) error {
		_, err := c.records(tx).Get(c.id(c.a))
		wantErr(t, "Get after Delete", err, store.ErrNotFound)
		wantErr(t, "Delete again", c.records(tx).Delete(c.id(c.a), 1), store.ErrNotFound)
		return nil
	})
}
