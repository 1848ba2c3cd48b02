package feed

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// FuzzUnmarshalDelta: the edge's decoder of deltas, journal records and
// snapshot files (json v2 under encoding/json's semantics) never panics,
// and makes of any input what encoding/json makes of it: the same error
// or not, the same delta.
func FuzzUnmarshalDelta(f *testing.F) {
	d := Delta{From: 3, Revision: 5, DeletedDistributions: []string{"E1"}, KeyPairs: []KeyPair{{ID: "K", Active: true}},
		Distributions: []cloudfront.Distribution{{ID: "E2", Config: cloudfront.DistributionConfig{Aliases: []string{},
			DefaultCacheBehavior: cloudfront.CacheBehavior{Cookies: cloudfront.CookiePreference{Forward: "whitelist", WhitelistedNames: []string{"a"}}}}}},
		Invalidations: []cloudfront.Invalidation{{ID: "I", Batch: cloudfront.InvalidationBatch{Paths: []string{"/*"}}}}}
	b, err := json.Marshal(d)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"From":1,"Revision":2,"Full":false,"Distributions":[{"ID":"E","Config":{"Aliases":null,"Origins":[{"S3":null}]}}],"KeyPairs":[]}`))
	f.Add([]byte(`{"from":1,"REVISION":2,"Revision":3,"distributions":[{"id":"E","LastModifiedTime":"2026-12-02T05:07:32Z"}]}`))
	f.Add([]byte(`{"Revision":"2"}`))
	f.Add([]byte("{\"Distributions\":[{\"ID\":\"\xff\"}]}"))
	f.Add([]byte(`{"Revision":2} {}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got, want Delta
		errGot, errWant := unmarshalJSON(b, &got), json.Unmarshal(b, &want)
		if (errGot == nil) != (errWant == nil) {
			t.Fatalf("%q: error %v, encoding/json's %v", b, errGot, errWant)
		}
		if errGot == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: decoded as\n%+v\nencoding/json:\n%+v", b, got, want)
		}
	})
}
