package controlplane

import (
	"context"
	"errors"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// Bootstrap makes the store's first account, named name, with one access
// key, unless the store was bootstrapped before; the account, the key and
// the store's bootstrap marker are written in one transaction. It happens
// once per store: a later start, even with that account or key disabled
// or deleted, makes nothing (an operator's revocation stays), and of
// several nodes starting at once on an empty store, one makes it.
//
// fresh reports whether this call made the account; key is set only then.
// Otherwise acct is the account the first start made (only its ID when
// it has been deleted since; zero when the store had accounts before
// bootstrap markers existed and none was named bootstrap).
func (s *Service) Bootstrap(ctx context.Context, name string, grantBuckets ...string) (acct store.Account, key store.AccessKey, fresh bool, err error) {
	for attempt := 0; ; attempt++ {
		err = s.Store.Update(ctx, func(tx store.Tx) error {
			acct, key, fresh = store.Account{}, store.AccessKey{}, false
			b, err := tx.Bootstrap()
			if err == nil {
				acct, err = tx.Account(b.AccountID)
				if errors.Is(err, store.ErrNotFound) {
					acct, err = store.Account{ID: b.AccountID}, nil
				}
				return err
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			now := s.now()
			acct = store.Account{ID: cloudfront.NewAccountID(), Name: name, Created: now}
			if err := tx.InsertAccount(acct); err != nil {
				return err
			}
			if key, err = newAccessKey(tx, acct.ID, now); err != nil {
				return err
			}
			if err := insertGrants(tx, acct.ID, grantBuckets, now); err != nil {
				return err
			}
			fresh = true
			return tx.MarkBootstrap(store.Bootstrap{AccountID: acct.ID, Created: now})
		})
		// ErrExists: another node bootstrapped (or drew the same id) at
		// the same moment; looking again finds its marker.
		if !errors.Is(err, store.ErrExists) || attempt == 2 {
			if err == nil && fresh && len(grantBuckets) > 0 {
				s.changed() // edges learn of the grants
			}
			return acct, key, fresh, err
		}
	}
}
