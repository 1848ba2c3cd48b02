package edge

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// TestFunctionsReadKeyValueStores: a viewer-request function reads its
// associated store through cf.kvs() (the developer guide's redirect by
// key); a write of keys reaches the next requests once applied; a
// function whose store is another account's, or is missing, fails as
// CloudFront's 503, never reading a store it was not given.
func TestFunctionsReadKeyValueStores(t *testing.T) {
	const (
		mine   = "111122223333"
		theirs = "444455556666"
		id     = "8aa76c93-3198-462c-aaf6-0123456789ab"
		other  = "9bb76c93-3198-462c-aaf6-0123456789ab"
	)
	code := `import cf from 'cloudfront';
const kvsHandle = cf.kvs();
async function handler(event) {
    let target;
    try {
        target = await kvsHandle.get(event.request.uri);
    } catch (err) {
        return event.request;
    }
    return {statusCode: 302, statusDescription: 'Found', headers: {location: {value: target}}};
}`
	withStore := func(arn string) func(*cloudfront.DistributionConfig) {
		return func(c *cloudfront.DistributionConfig) {
			withFunctions(map[string]string{cloudfront.FunctionEventViewerRequest: code})(c)
			c.DefaultCacheBehavior.FunctionAssociations[0].Function.Config.KeyValueStoreARNs = []string{arn}
		}
	}
	stores := func(v string) []feed.KeyValueStore {
		return []feed.KeyValueStore{
			{ID: id, AccountID: mine, Items: []cloudfront.KeyValue{{Key: "/old", Value: v}}},
			{ID: other, AccountID: theirs, Items: []cloudfront.KeyValue{{Key: "/old", Value: "/theirs"}}},
		}
	}
	for _, tt := range []struct {
		name, arn, path string
		status          int
		location        string
	}{
		{"a key redirects", cloudfront.KeyValueStoreARN(mine, id), "/old", 302, "/new"},
		{"no key: the origin", cloudfront.KeyValueStoreARN(mine, id), "/other", 200, ""},
		{"another account's store, named as its own", cloudfront.KeyValueStoreARN(mine, other), "/old", 503, ""},
		{"another account's store", cloudfront.KeyValueStoreARN(theirs, other), "/old", 503, ""},
		{"a store the edge does not have", cloudfront.KeyValueStoreARN(mine, "0000"), "/old", 503, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrigin(t, echoRequest)
			d := distribution(o.Server, withStore(tt.arn))
			d.AccountID = mine
			e := newEdgeSnapshot(t, Options{}, &feed.Snapshot{Revision: 1, Distributions: records(d), KeyValueStores: stores("/new")})
			r := noRedirects(t, e, tt.path)
			if r.StatusCode != tt.status || r.Header.Get("Location") != tt.location {
				t.Fatalf("%d, Location %q (%q); want %d %q", r.StatusCode, r.Header.Get("Location"), r.body, tt.status, tt.location)
			}
			if tt.status != 302 {
				return
			}
			// A write of keys: the next request reads the new value.
			if err := e.Apply(&feed.Snapshot{Revision: 2, Distributions: records(d), KeyValueStores: stores("/newer")}, nil); err != nil {
				t.Fatal(err)
			}
			if r := noRedirects(t, e, tt.path); r.Header.Get("Location") != "/newer" {
				t.Fatalf("after the write: %d, Location %q", r.StatusCode, r.Header.Get("Location"))
			}
		})
	}
}
