package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func testOAIs(t *testing.T, s store.Store) {
	o1 := oai("E1", acct1, "ref")
	o2 := oai("E2", acct2, "ref")
	o3 := oai("E3", acct1, "ref-3")
	update(t, s, func(tx store.Tx) error {
		for _, o := range []cloudfront.OriginAccessIdentity{o3, o2, o1} {
			noErr(t, "InsertOAI", tx.InsertOAI(o))
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.OAI(o1.ID)
		noErr(t, "OAI", err)
		equal(t, "OAI", got, o1, nil)
		got, err = tx.OAIByCallerReference(acct2, "ref")
		noErr(t, "OAIByCallerReference", err)
		equal(t, "OAIByCallerReference", got, o2, nil)
		n, err := tx.CountOAIs(acct1)
		noErr(t, "CountOAIs", err)
		if n != 2 {
			t.Errorf("CountOAIs = %d, want 2", n)
		}
		n, err = tx.CountOAIs("")
		noErr(t, "CountOAIs", err)
		if n != 3 {
			t.Errorf("CountOAIs(all) = %d, want 3", n)
		}
		for _, tc := range []struct {
			account, after string
			limit          int
			want           []cloudfront.OriginAccessIdentity
		}{
			{acct1, "", 0, []cloudfront.OriginAccessIdentity{o1, o3}},
			{acct1, "E1", 0, []cloudfront.OriginAccessIdentity{o3}},
			{"", "", 2, []cloudfront.OriginAccessIdentity{o1, o2}},
			{"", "E3", 2, []cloudfront.OriginAccessIdentity{}},
		} {
			got, err := tx.OAIs(tc.account, tc.after, tc.limit)
			noErr(t, "OAIs", err)
			equal(t, "OAIs("+tc.account+", "+tc.after+")", append([]cloudfront.OriginAccessIdentity{}, got...), tc.want, nil)
		}
		return nil
	})

	o1.Config.Comment, o1.ETag = "changed", "ETAGNEW"
	update(t, s, func(tx store.Tx) error { return tx.UpdateOAI(o1) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.OAI(o1.ID)
		noErr(t, "OAI", err)
		equal(t, "OAI after update", got, o1, nil)
		return nil
	})

	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"Insert id taken", func(tx store.Tx) error { return tx.InsertOAI(oai("E1", acct2, "fresh")) }, store.ErrExists},
		{"Insert caller reference taken", func(tx store.Tx) error { return tx.InsertOAI(oai("E4", acct1, "ref")) }, store.ErrExists},
		{"Update caller reference taken", func(tx store.Tx) error {
			o := o3
			o.Config.CallerReference = "ref"
			return tx.UpdateOAI(o)
		}, store.ErrExists},
		{"OAI", func(tx store.Tx) error { _, err := tx.OAI("EMISSING"); return err }, store.ErrNotFound},
		{"OAIByCallerReference", func(tx store.Tx) error { _, err := tx.OAIByCallerReference(acct2, "ref-3"); return err }, store.ErrNotFound},
		{"Update", func(tx store.Tx) error { return tx.UpdateOAI(oai("EMISSING", acct1, "x")) }, store.ErrNotFound},
		{"Delete", func(tx store.Tx) error { return tx.DeleteOAI("EMISSING") }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}

	update(t, s, func(tx store.Tx) error { return tx.DeleteOAI(o1.ID) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.OAI(o1.ID)
		wantErr(t, "OAI after delete", err, store.ErrNotFound)
		return nil
	})
}
