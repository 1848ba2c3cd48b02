package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/openfront/openfront/internal/store"
)

func testBootstrap(t *testing.T, s store.Store) {
	view(t, s, func(tx store.Tx) error {
		_, err := tx.Bootstrap()
		wantErr(t, "Bootstrap before", err, store.ErrNotFound)
		return nil
	})
	b := store.Bootstrap{AccountID: acct1, Created: at(3)}
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct1)))
		return tx.MarkBootstrap(b)
	})
	// Once set, the marker stays: disabling or deleting the account does
	// not make the store look new.
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccount(acct1) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Bootstrap()
		noErr(t, "Bootstrap", err)
		equal(t, "Bootstrap", got, b, func(b store.Bootstrap) store.Bootstrap { b.Created = ms(b.Created); return b })
		return nil
	})
	wantErr(t, "MarkBootstrap again", try(s, func(tx store.Tx) error {
		return tx.MarkBootstrap(store.Bootstrap{AccountID: acct2, Created: at(4)})
	}), store.ErrExists)
}

// testConcurrentBootstrap: of several first starts at once, exactly one
// marks the store; the others see ErrExists and nothing of theirs stays.
func testConcurrentBootstrap(t *testing.T, s store.Store) {
	errs := make([]error, concurrency)
	var wg sync.WaitGroup
	for i := range concurrency {
		wg.Go(func() {
			errs[i] = try(s, func(tx store.Tx) error {
				if _, err := tx.Bootstrap(); !errors.Is(err, store.ErrNotFound) {
					if err == nil {
						return store.ErrExists
					}
					return err
				}
				a := account(fmt.Sprintf("%012d", i+1))
				if err := tx.InsertAccount(a); err != nil {
					return err
				}
				return tx.MarkBootstrap(store.Bootstrap{AccountID: a.ID, Created: at(0)})
			})
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrExists):
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d bootstraps succeeded, want 1", won)
	}
	view(t, s, func(tx store.Tx) error {
		as, err := tx.Accounts()
		noErr(t, "Accounts", err)
		b, err := tx.Bootstrap()
		noErr(t, "Bootstrap", err)
		if len(as) != 1 || as[0].ID != b.AccountID {
			t.Errorf("accounts %v, marker %+v: want the one marked account", ids(as, func(a store.Account) string { return a.ID }), b)
		}
		return nil
	})
}
