package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/store"
)

func keyPairID(k store.KeyPair) string { return k.ID }

func testKeyPairs(t *testing.T, s store.Store) {
	k1 := store.KeyPair{ID: "APKA2", AccountID: acct1, PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\n1\n", Active: true, Created: at(1)}
	k2 := store.KeyPair{ID: "APKA1", AccountID: acct2, PublicKeyPEM: "pem2", Created: at(2)}
	var r1, r2, r3 int64
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct1)))
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct2)))
		var err error
		r1, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		k1.Revision, k2.Revision = r1, r1
		noErr(t, "InsertKeyPair", tx.InsertKeyPair(k1))
		return tx.InsertKeyPair(k2)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.KeyPair(k1.ID)
		noErr(t, "KeyPair", err)
		equal(t, "KeyPair", got, k1, normKeyPair)
		all, err := tx.KeyPairs("")
		noErr(t, "KeyPairs", err)
		equal(t, "KeyPairs", all, []store.KeyPair{k2, k1}, normAll(normKeyPair))
		mine, err := tx.KeyPairs(acct1)
		noErr(t, "KeyPairs", err)
		equal(t, "KeyPairs(acct1)", mine, []store.KeyPair{k1}, normAll(normKeyPair))
		return nil
	})

	update(t, s, func(tx store.Tx) error {
		var err error
		r2, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		k1.Active, k1.Revision = false, r2
		return tx.UpdateKeyPair(k1)
	})
	update(t, s, func(tx store.Tx) error {
		var err error
		r3, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		return tx.DeleteKeyPair(k2.ID, r3)
	})
	for _, tc := range []struct {
		since       int64
		wantChanged []store.KeyPair
		wantDeleted []string
	}{
		{0, []store.KeyPair{k1}, []string{k2.ID}},
		{r1, []store.KeyPair{k1}, []string{k2.ID}},
		{r2, []store.KeyPair{}, []string{k2.ID}},
		{r3, []store.KeyPair{}, []string{}},
	} {
		view(t, s, func(tx store.Tx) error {
			changed, deleted, err := tx.KeyPairsChangedSince(tc.since)
			noErr(t, "KeyPairsChangedSince", err)
			equal(t, "changed", append([]store.KeyPair{}, changed...), tc.wantChanged, normAll(normKeyPair))
			equal(t, "deleted", append([]string{}, deleted...), tc.wantDeleted, nil)
			return nil
		})
	}

	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"Insert id taken", func(tx store.Tx) error { return tx.InsertKeyPair(k1) }, store.ErrExists},
		{"Insert no account", func(tx store.Tx) error {
			return tx.InsertKeyPair(store.KeyPair{ID: "APKA9", AccountID: "999999999999", Created: at(0)})
		}, store.ErrNotFound},
		{"KeyPair", func(tx store.Tx) error { _, err := tx.KeyPair(k2.ID); return err }, store.ErrNotFound},
		{"Update", func(tx store.Tx) error { return tx.UpdateKeyPair(k2) }, store.ErrNotFound},
		{"Delete", func(tx store.Tx) error { return tx.DeleteKeyPair(k2.ID, 99) }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}
	view(t, s, func(tx store.Tx) error {
		all, err := tx.KeyPairs("")
		noErr(t, "KeyPairs", err)
		equal(t, "KeyPairs after delete", ids(all, keyPairID), []string{k1.ID}, nil)
		return nil
	})
}
