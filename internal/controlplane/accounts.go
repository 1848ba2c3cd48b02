package controlplane

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/openfront/openfront/internal/auth"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

var accountIDForm = regexp.MustCompile(`^[0-9]{12}$`)

// CreateAccount creates an account with one access key, and grants it the
// buckets named (package buckets), all in one transaction. An empty id
// draws a random 12-digit number.
func (s *Service) CreateAccount(ctx context.Context, id, name string, grantBuckets ...string) (store.Account, store.AccessKey, error) {
	if id != "" && !accountIDForm.MatchString(id) {
		return store.Account{}, store.AccessKey{}, fmt.Errorf("account id %q is not 12 digits", id)
	}
	var a store.Account
	var k store.AccessKey
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		a = store.Account{ID: id, Name: name, Created: s.now()}
		if a.ID == "" {
			a.ID = cloudfront.NewAccountID()
		}
		if err := tx.InsertAccount(a); err != nil {
			if errors.Is(err, store.ErrExists) {
				return fmt.Errorf("account %s already exists", a.ID)
			}
			return err
		}
		var err error
		if k, err = newAccessKey(tx, a.ID, s.now()); err != nil {
			return err
		}
		return insertGrants(tx, a.ID, grantBuckets, s.now())
	})
	if err == nil && len(grantBuckets) > 0 {
		s.changed()
	}
	return a, k, err
}

// CreateAccessKey adds an access key to an existing account.
func (s *Service) CreateAccessKey(ctx context.Context, accountID string) (store.AccessKey, error) {
	var k store.AccessKey
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Account(accountID); err != nil {
			return err
		}
		var err error
		k, err = newAccessKey(tx, accountID, s.now())
		return err
	})
	return k, err
}

func newAccessKey(tx store.Tx, accountID string, now time.Time) (store.AccessKey, error) {
	k := store.AccessKey{ID: cloudfront.NewAccessKeyID(), Secret: cloudfront.NewSecretAccessKey(), AccountID: accountID, Created: now}
	return k, tx.InsertAccessKey(k)
}

// LookupCredential is an auth.Lookup over the store: a key of a disabled
// account counts as disabled.
func (s *Service) LookupCredential(ctx context.Context, accessKeyID string) (auth.Credential, error) {
	var c auth.Credential
	err := s.Store.View(ctx, func(tx store.Tx) error {
		k, err := tx.AccessKey(accessKeyID)
		if err != nil {
			return err
		}
		a, err := tx.Account(k.AccountID)
		if err != nil {
			return err
		}
		c = auth.Credential{AccessKeyID: k.ID, Secret: k.Secret, AccountID: k.AccountID, Disabled: k.Disabled || a.Disabled}
		return nil
	})
	return c, err
}

// SetAccountDisabled disables or enables an account; its keys stop or
// start working at once.
func (s *Service) SetAccountDisabled(ctx context.Context, id string, disabled bool) error {
	return s.Store.Update(ctx, func(tx store.Tx) error {
		a, err := tx.Account(id)
		if err != nil {
			return err
		}
		a.Disabled = disabled
		return tx.UpdateAccount(a)
	})
}

// DeleteAccount deletes an account that owns no distributions.
func (s *Service) DeleteAccount(ctx context.Context, id string) error {
	return s.Store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.CountDistributions(id)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("account %s still owns %d distributions", id, n)
		}
		return tx.DeleteAccount(id)
	})
}

// SetAccessKeyDisabled disables or enables an access key.
func (s *Service) SetAccessKeyDisabled(ctx context.Context, id string, disabled bool) error {
	return s.Store.Update(ctx, func(tx store.Tx) error {
		k, err := tx.AccessKey(id)
		if err != nil {
			return err
		}
		k.Disabled = disabled
		return tx.UpdateAccessKey(k)
	})
}

// CreateKeyPair registers the public key of a CloudFront key pair for the
// account; edges learn of it through the feed.
func (s *Service) CreateKeyPair(ctx context.Context, accountID, publicKeyPEM string) (store.KeyPair, error) {
	var k store.KeyPair
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		k = store.KeyPair{ID: cloudfront.NewKeyPairID(), AccountID: accountID, PublicKeyPEM: publicKeyPEM,
			Active: true, Created: s.now(), Revision: rev}
		return tx.InsertKeyPair(k)
	})
	if err == nil {
		s.changed()
	}
	return k, err
}

// SetKeyPairActive activates or deactivates a key pair.
func (s *Service) SetKeyPairActive(ctx context.Context, id string, active bool) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		k, err := tx.KeyPair(id)
		if err != nil {
			return err
		}
		if k.Revision, err = tx.NextRevision(); err != nil {
			return err
		}
		k.Active = active
		return tx.UpdateKeyPair(k)
	})
	if err == nil {
		s.changed()
	}
	return err
}

// DeleteKeyPair deletes a key pair.
func (s *Service) DeleteKeyPair(ctx context.Context, id string) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		return tx.DeleteKeyPair(id, rev)
	})
	if err == nil {
		s.changed()
	}
	return err
}
