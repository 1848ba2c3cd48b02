package controlplane

import (
	"context"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// publicKeys is the public key kind: created idempotently by
// CallerReference, like a distribution, but with a Name unique in the
// account too (CloudFront refuses a second key of a name with
// PublicKeyAlreadyExists); only its Comment can change, and it is not
// deleted while a key group lists it. Edges get a key's PEM through the
// key groups resolved into distributions (keygroups.go), and a key's PEM
// never changes, so an update redeploys nothing.
var publicKeys = &kind[cloudfront.PublicKey, cloudfront.PublicKeyConfig]{
	name:          "PublicKey",
	noSuch:        cloudfront.NoSuchPublicKey,
	alreadyExists: cloudfront.PublicKeyAlreadyExists,
	tooMany:       cloudfront.TooManyPublicKeys,
	members: func(k *cloudfront.PublicKey) members[cloudfront.PublicKeyConfig] {
		return members[cloudfront.PublicKeyConfig]{ID: &k.ID, AccountID: &k.AccountID, ETag: &k.ETag,
			LastModified: &k.LastModifiedTime, Created: &k.CreatedTime, Revision: &k.Revision, Config: &k.Config}
	},
	callerReference: func(c *cloudfront.PublicKeyConfig) string { return c.CallerReference },
	normalize:       cloudfront.NormalizePublicKeyConfig,
	validate:        (*cloudfront.Rules).ValidatePublicKeyConfig,
	equal:           cloudfront.EqualPublicKeyConfigs,
	check:           checkPublicKey,
	limit:           func(l cloudfront.Limits) int { return l.PublicKeysPerAccount },
	count:           func(tx store.Tx, accountID string) (int, error) { return tx.PublicKeyRecords().Count(accountID) },
	newID:           func(string, *cloudfront.PublicKeyConfig) string { return cloudfront.NewPublicKeyID() },
	arn:             cloudfront.PublicKeyARN,
	deletable: func(_ *Service, tx store.Tx, k *cloudfront.PublicKey) error {
		groups, err := tx.KeyGroupRecords().List(k.AccountID, "", 0)
		if err != nil {
			return err
		}
		for _, g := range groups {
			for _, id := range g.Config.Items {
				if id == k.ID {
					return cloudfront.Errorf(cloudfront.PublicKeyInUse, "The public key %s is in the key group %s.", k.ID, g.ID)
				}
			}
		}
		return nil
	},
	decorate: func(*Service, store.Tx, *cloudfront.PublicKey) error { return nil },
	records:  store.Tx.PublicKeyRecords,
}

// checkPublicKey: a new key's Name is not another key's of the account
// (an account holds at most a few dozen keys); an update keeps the Name
// and the key itself ("the only value you can change is the comment").
func checkPublicKey(_ *Service, tx store.Tx, accountID string, cfg, old *cloudfront.PublicKeyConfig) error {
	if old != nil {
		if cfg.Name != old.Name || cfg.EncodedKey != old.EncodedKey {
			return cloudfront.Errorf(cloudfront.CannotChangeImmutablePublicKeyFields, "Only the Comment of a public key can change.")
		}
		return nil
	}
	keys, err := tx.PublicKeyRecords().List(accountID, "", 0)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.Config.Name == cfg.Name {
			return cloudfront.Errorf(cloudfront.PublicKeyAlreadyExists, "The account already has a public key named %q.", cfg.Name)
		}
	}
	return nil
}

// PublicKeys are the public keys' operations.
type PublicKeys struct{ s *Service }

// PublicKeys returns the public keys' operations.
func (s *Service) PublicKeys() PublicKeys { return PublicKeys{s} }

// Create creates a public key; a repeated CallerReference with an equal
// config answers with the existing key (created false).
func (ps PublicKeys) Create(ctx context.Context, accountID string, cfg cloudfront.PublicKeyConfig, _ []cloudfront.Tag) (cloudfront.PublicKey, bool, error) {
	return createResource(ctx, ps.s, publicKeys, accountID, cfg, nil)
}

// Get returns one of the account's public keys.
func (ps PublicKeys) Get(ctx context.Context, accountID, id string) (cloudfront.PublicKey, error) {
	return getResource(ctx, ps.s, publicKeys, accountID, id)
}

// Update changes a public key's Comment.
func (ps PublicKeys) Update(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.PublicKeyConfig) (cloudfront.PublicKey, error) {
	return updateResource(ctx, ps.s, publicKeys, accountID, id, ifMatch, cfg, nil)
}

// Delete deletes a public key no key group lists.
func (ps PublicKeys) Delete(ctx context.Context, accountID, id, ifMatch string) error {
	return deleteResource(ctx, ps.s, publicKeys, accountID, id, ifMatch)
}

// List lists one page of the account's public keys in id order.
func (ps PublicKeys) List(ctx context.Context, accountID string, p Page) (cloudfront.ListPage, []cloudfront.PublicKey, error) {
	return listResources(ctx, ps.s, publicKeys, accountID, p)
}
