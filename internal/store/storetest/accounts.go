package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/store"
)

func testAccounts(t *testing.T, s store.Store) {
	a2, a1 := account(acct2), account(acct1)
	a1.Disabled = true
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(a2))
		return tx.InsertAccount(a1)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Account(acct1)
		noErr(t, "Account", err)
		equal(t, "Account", got, a1, normAccount)
		all, err := tx.Accounts()
		noErr(t, "Accounts", err)
		equal(t, "Accounts", all, []store.Account{a1, a2}, normAll(normAccount))
		return nil
	})

	a1.Name, a1.Disabled = "renamed", false
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(a1) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Account(acct1)
		noErr(t, "Account", err)
		equal(t, "Account after update", got, a1, normAccount)
		return nil
	})

	missing := account("999999999999")
	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"InsertAccount taken", func(tx store.Tx) error { return tx.InsertAccount(account(acct1)) }, store.ErrExists},
		{"Account", func(tx store.Tx) error { _, err := tx.Account(missing.ID); return err }, store.ErrNotFound},
		{"UpdateAccount", func(tx store.Tx) error { return tx.UpdateAccount(missing) }, store.ErrNotFound},
		{"DeleteAccount", func(tx store.Tx) error { return tx.DeleteAccount(missing.ID) }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccount(acct1) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.Account(acct1)
		wantErr(t, "Account after delete", err, store.ErrNotFound)
		all, err := tx.Accounts()
		noErr(t, "Accounts", err)
		equal(t, "Accounts after delete", all, []store.Account{a2}, normAll(normAccount))
		return nil
	})
}

func testAccessKeys(t *testing.T, s store.Store) {
	k1 := store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAA2", Secret: "secret1", AccountID: acct1, Created: at(1)}
	k2 := store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAA1", Secret: "secret2", AccountID: acct2, Created: at(2), Disabled: true}
	k3 := store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAA3", Secret: "secret3", AccountID: acct1, Created: at(3)}
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct1)))
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct2)))
		for _, k := range []store.AccessKey{k1, k2, k3} {
			noErr(t, "InsertAccessKey", tx.InsertAccessKey(k))
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.AccessKey(k2.ID)
		noErr(t, "AccessKey", err)
		equal(t, "AccessKey", got, k2, normAccessKey)
		mine, err := tx.AccessKeys(acct1)
		noErr(t, "AccessKeys", err)
		equal(t, "AccessKeys(acct1)", mine, []store.AccessKey{k1, k3}, normAll(normAccessKey))
		all, err := tx.AccessKeys("")
		noErr(t, "AccessKeys", err)
		equal(t, "AccessKeys(all)", all, []store.AccessKey{k2, k1, k3}, normAll(normAccessKey))
		return nil
	})

	// UpdateAccessKey changes Disabled only.
	changed := k1
	changed.Disabled, changed.Secret = true, "ignored"
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccessKey(changed) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.AccessKey(k1.ID)
		noErr(t, "AccessKey", err)
		want := k1
		want.Disabled = true
		equal(t, "AccessKey after update", got, want, normAccessKey)
		return nil
	})

	missing := store.AccessKey{ID: "AKIAMISSINGMISSING00", AccountID: acct1}
	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"InsertAccessKey taken", func(tx store.Tx) error { return tx.InsertAccessKey(k1) }, store.ErrExists},
		{"InsertAccessKey no account", func(tx store.Tx) error {
			k := missing
			k.AccountID = "999999999999"
			return tx.InsertAccessKey(k)
		}, store.ErrNotFound},
		{"AccessKey", func(tx store.Tx) error { _, err := tx.AccessKey(missing.ID); return err }, store.ErrNotFound},
		{"UpdateAccessKey", func(tx store.Tx) error { return tx.UpdateAccessKey(missing) }, store.ErrNotFound},
		{"DeleteAccessKey", func(tx store.Tx) error { return tx.DeleteAccessKey(missing.ID) }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccessKey(k1.ID) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.AccessKey(k1.ID)
		wantErr(t, "AccessKey after delete", err, store.ErrNotFound)
		return nil
	})
}

func testDeleteAccountCascades(t *testing.T, s store.Store) {
	key := store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAA1", Secret: "s", AccountID: acct1, Created: at(0)}
	other := store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAA2", Secret: "s", AccountID: acct2, Created: at(0)}
	kp := store.KeyPair{ID: "APKAAAAAAAAAAAAAAAA1", AccountID: acct1, PublicKeyPEM: "pem", Active: true, Created: at(0), Revision: 1}
	var before int64
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct1)))
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct2)))
		noErr(t, "InsertAccessKey", tx.InsertAccessKey(key))
		noErr(t, "InsertAccessKey", tx.InsertAccessKey(other))
		var err error
		kp.Revision, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		before = kp.Revision
		return tx.InsertKeyPair(kp)
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccount(acct1) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.AccessKey(key.ID)
		wantErr(t, "AccessKey of deleted account", err, store.ErrNotFound)
		_, err = tx.KeyPair(kp.ID)
		wantErr(t, "KeyPair of deleted account", err, store.ErrNotFound)
		if _, err := tx.AccessKey(other.ID); err != nil {
			t.Errorf("other account's key: %v", err)
		}
		// Edges must learn that the key pair is gone.
		_, deleted, err := tx.KeyPairsChangedSince(before)
		noErr(t, "KeyPairsChangedSince", err)
		equal(t, "deleted key pairs", deleted, []string{kp.ID}, nil)
		return nil
	})
}

func testRevision(t *testing.T, s store.Store) {
	view(t, s, func(tx store.Tx) error {
		rev, err := tx.Revision()
		noErr(t, "Revision", err)
		if rev != 0 {
			t.Errorf("Revision of a new store = %d, want 0", rev)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		for want := int64(1); want <= 3; want++ {
			got, err := tx.NextRevision()
			noErr(t, "NextRevision", err)
			if got != want {
				t.Errorf("NextRevision = %d, want %d", got, want)
			}
		}
		rev, err := tx.Revision()
		noErr(t, "Revision", err)
		if rev != 3 {
			t.Errorf("Revision in the transaction = %d, want 3", rev)
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		rev, err := tx.Revision()
		noErr(t, "Revision", err)
		if rev != 3 {
			t.Errorf("Revision after commit = %d, want 3", rev)
		}
		return nil
	})
}
