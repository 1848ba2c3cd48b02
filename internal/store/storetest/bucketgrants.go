package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/store"
)

func normGrant(g store.BucketGrant) store.BucketGrant { g.Created = ms(g.Created); return g }

func grantKey(g store.BucketGrant) string { return g.Key() }

func testBucketGrants(t *testing.T, s store.Store) {
	byAcct1 := store.BucketGrant{Grant: buckets.Grant{Bucket: "media", AccountID: acct1}, Created: at(1)}
	byOAI := store.BucketGrant{Grant: buckets.Grant{Bucket: "media", OAIID: "E2"}, Created: at(2)}
	every := store.BucketGrant{Grant: buckets.Grant{Bucket: buckets.Every, AccountID: acct2}, Created: at(3)}
	logs := store.BucketGrant{Grant: buckets.Grant{Bucket: "logs", AccountID: acct1, Write: true}, Created: at(4)}
	var r1, r2, r3 int64
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct1)))
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct2)))
		noErr(t, "InsertOAI", tx.InsertOAI(oai("E2", acct2, "ref")))
		var err error
		r1, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		for _, g := range []*store.BucketGrant{&byAcct1, &byOAI, &every} {
			g.Revision = r1
			noErr(t, "InsertBucketGrant", tx.InsertBucketGrant(*g))
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		var err error
		r2, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		logs.Revision = r2
		return tx.InsertBucketGrant(logs)
	})
	view(t, s, func(tx store.Tx) error {
		all, err := tx.BucketGrants("")
		noErr(t, "BucketGrants", err)
		// Ordered by bucket ("*" sorts first), then key.
		equal(t, "BucketGrants", all, []store.BucketGrant{every, logs, byAcct1, byOAI}, normAll(normGrant))
		media, err := tx.BucketGrants("media")
		noErr(t, "BucketGrants(media)", err)
		equal(t, "BucketGrants(media)", media, []store.BucketGrant{byAcct1, byOAI}, normAll(normGrant))
		star, err := tx.BucketGrants(buckets.Every)
		noErr(t, "BucketGrants(*)", err)
		equal(t, "BucketGrants(*)", star, []store.BucketGrant{every}, normAll(normGrant))
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		var err error
		r3, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		return tx.DeleteBucketGrant(byAcct1.Grant, r3)
	})
	for _, tc := range []struct {
		since       int64
		wantChanged []store.BucketGrant
		wantDeleted []string
	}{
		{0, []store.BucketGrant{every, byOAI, logs}, []string{byAcct1.Key()}},
		{r1, []store.BucketGrant{logs}, []string{byAcct1.Key()}},
		{r2, []store.BucketGrant{}, []string{byAcct1.Key()}},
		{r3, []store.BucketGrant{}, []string{}},
	} {
		view(t, s, func(tx store.Tx) error {
			changed, deleted, err := tx.BucketGrantsChangedSince(tc.since)
			noErr(t, "BucketGrantsChangedSince", err)
			// Within one revision the order is by key.
			equal(t, "changed", append([]store.BucketGrant{}, changed...), tc.wantChanged, normAll(normGrant))
			equal(t, "deleted", append([]string{}, deleted...), tc.wantDeleted, nil)
			return nil
		})
	}

	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"Insert twice", func(tx store.Tx) error { return tx.InsertBucketGrant(every) }, store.ErrExists},
		{"Insert no account", func(tx store.Tx) error {
			return tx.InsertBucketGrant(store.BucketGrant{Grant: buckets.Grant{Bucket: "media", AccountID: "999999999999"}, Created: at(0)})
		}, store.ErrNotFound},
		{"Insert no OAI", func(tx store.Tx) error {
			return tx.InsertBucketGrant(store.BucketGrant{Grant: buckets.Grant{Bucket: "media", OAIID: "E404"}, Created: at(0)})
		}, store.ErrNotFound},
		{"Delete twice", func(tx store.Tx) error { return tx.DeleteBucketGrant(byAcct1.Grant, 99) }, store.ErrNotFound},
		{"Update deleted", func(tx store.Tx) error { return tx.UpdateBucketGrant(byAcct1) }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}

	// A grant made again after a revoke is no longer reported deleted.
	update(t, s, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		noErr(t, "NextRevision", err)
		byAcct1.Revision = rev
		return tx.InsertBucketGrant(byAcct1)
	})
	view(t, s, func(tx store.Tx) error {
		changed, deleted, err := tx.BucketGrantsChangedSince(r3)
		noErr(t, "BucketGrantsChangedSince", err)
		equal(t, "changed after re-grant", ids(changed, grantKey), []string{byAcct1.Key()}, nil)
		equal(t, "deleted after re-grant", append([]string{}, deleted...), []string{}, nil)
		return nil
	})

	// An update sets what the grant lets do (both ways) and carries it to
	// the edges at its revision; when it was made stays.
	for _, write := range []bool{true, false} {
		update(t, s, func(tx store.Tx) error {
			rev, err := tx.NextRevision()
			noErr(t, "NextRevision", err)
			byOAI.Write, byOAI.Revision = write, rev
			return tx.UpdateBucketGrant(store.BucketGrant{Grant: byOAI.Grant, Created: at(9), Revision: rev})
		})
		view(t, s, func(tx store.Tx) error {
			media, err := tx.BucketGrants("media")
			noErr(t, "BucketGrants(media)", err)
			equal(t, "BucketGrants(media) after update", media, []store.BucketGrant{byAcct1, byOAI}, normAll(normGrant))
			changed, _, err := tx.BucketGrantsChangedSince(byOAI.Revision - 1)
			noErr(t, "BucketGrantsChangedSince", err)
			equal(t, "changed by update", changed, []store.BucketGrant{byOAI}, normAll(normGrant))
			return nil
		})
	}

	// Deleting the OAI, then the account, takes their grants with them, and
	// edges hear of it through tombstones at a later revision.
	var before int64
	update(t, s, func(tx store.Tx) error {
		var err error
		before, err = tx.Revision()
		noErr(t, "Revision", err)
		noErr(t, "DeleteOAI", tx.DeleteOAI("E2"))
		return tx.DeleteAccount(acct1)
	})
	view(t, s, func(tx store.Tx) error {
		all, err := tx.BucketGrants("")
		noErr(t, "BucketGrants", err)
		equal(t, "grants left", ids(all, grantKey), []string{every.Key()}, nil)
		_, deleted, err := tx.BucketGrantsChangedSince(before)
		noErr(t, "BucketGrantsChangedSince", err)
		equal(t, "tombstones", len(deleted), 3, nil)
		return nil
	})
}
