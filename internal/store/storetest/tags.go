package storetest

import (
	"slices"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func testTags(t *testing.T, s store.Store) {
	const a, b = "arn:aws:cloudfront::111122223333:distribution/E1", "arn:aws:cloudfront::111122223333:distribution/E2"
	update(t, s, func(tx store.Tx) error {
		noErr(t, "SetTags", tx.SetTags(a, []cloudfront.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: ""}}))
		noErr(t, "SetTags", tx.SetTags(b, []cloudfront.Tag{{Key: "k", Value: "v"}}))
		return nil
	})
	check := func(resource string, want []cloudfront.Tag) {
		t.Helper()
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Tags(resource)
			noErr(t, "Tags", err)
			if !slices.Equal(got, want) {
				t.Errorf("Tags(%s) = %v, want %v", resource, got, want)
			}
			return nil
		})
	}
	check(a, []cloudfront.Tag{{Key: "a"}, {Key: "z", Value: "1"}}) // ordered by key
	check(b, []cloudfront.Tag{{Key: "k", Value: "v"}})
	check("arn:aws:cloudfront::111122223333:distribution/E3", nil)
	update(t, s, func(tx store.Tx) error {
		noErr(t, "SetTags", tx.SetTags(a, []cloudfront.Tag{{Key: "n", Value: "new"}}))
		return nil
	})
	check(a, []cloudfront.Tag{{Key: "n", Value: "new"}})
	update(t, s, func(tx store.Tx) error {
		noErr(t, "SetTags", tx.SetTags(b, nil))
		return nil
	})
	check(b, nil)
}
