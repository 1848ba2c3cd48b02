package controlplane

import (
	"context"
	"errors"
	"slices"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func ownOAI(tx store.Tx, accountID, id string) (cloudfront.OriginAccessIdentity, error) {
	o, err := tx.OAI(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && o.AccountID != accountID) {
		return cloudfront.OriginAccessIdentity{}, cloudfront.NewError(cloudfront.NoSuchCloudFrontOriginAccessIdentity)
	}
	return o, err
}

// CreateOAI creates an origin access identity; a repeated CallerReference
// with the same Comment answers with the existing one (created false).
func (s *Service) CreateOAI(ctx context.Context, accountID string, cfg cloudfront.OriginAccessIdentityConfig) (o cloudfront.OriginAccessIdentity, created bool, err error) {
	if err := s.rules().ValidateOriginAccessIdentityConfig(&cfg); err != nil {
		return o, false, err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		created = false
		prev, err := tx.OAIByCallerReference(accountID, cfg.CallerReference)
		switch {
		case err == nil:
			if prev.Config != cfg {
				return cloudfront.NewError(cloudfront.CloudFrontOriginAccessIdentityAlreadyExists)
			}
			o = prev
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		n, err := tx.CountOAIs(accountID)
		if err != nil {
			return err
		}
		if n >= s.limits().OAIsPerAccount {
			return cloudfront.NewError(cloudfront.TooManyCloudFrontOriginAccessIdentities)
		}
		o = cloudfront.OriginAccessIdentity{
			ID:                cloudfront.NewResourceID(),
			AccountID:         accountID,
			S3CanonicalUserID: cloudfront.NewCanonicalUserID(),
			Config:            cfg,
			ETag:              cloudfront.NewETag(),
		}
		if err := tx.InsertOAI(o); err != nil {
			return err
		}
		created = true
		return nil
	})
	if err != nil {
		return cloudfront.OriginAccessIdentity{}, false, s.internal("CreateOAI", err)
	}
	return o, created, nil
}

// GetOAI returns one of the account's origin access identities.
func (s *Service) GetOAI(ctx context.Context, accountID, id string) (cloudfront.OriginAccessIdentity, error) {
	var o cloudfront.OriginAccessIdentity
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		o, err = ownOAI(tx, accountID, id)
		return err
	})
	if err != nil {
		return o, s.internal("GetOAI", err)
	}
	return o, nil
}

// UpdateOAI replaces an identity's config (its Comment, in practice).
func (s *Service) UpdateOAI(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.OriginAccessIdentityConfig) (cloudfront.OriginAccessIdentity, error) {
	if ifMatch == "" {
		return cloudfront.OriginAccessIdentity{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	var o cloudfront.OriginAccessIdentity
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = ownOAI(tx, accountID, id); err != nil {
			return err
		}
		if err := checkUpdate(ifMatch, o.ETag, o.Config.CallerReference, cfg.CallerReference); err != nil {
			return err
		}
		if err := s.rules().ValidateOriginAccessIdentityConfig(&cfg); err != nil {
			return err
		}
		o.Config = cfg
		o.ETag = cloudfront.NewETag()
		return tx.UpdateOAI(o)
	})
	if err != nil {
		return cloudfront.OriginAccessIdentity{}, s.internal("UpdateOAI", err)
	}
	return o, nil
}

// DeleteOAI deletes an identity that no distribution of the account, of
// either kind, uses.
func (s *Service) DeleteOAI(ctx context.Context, accountID, id, ifMatch string) error {
	if ifMatch == "" {
		return cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		o, err := ownOAI(tx, accountID, id)
		if err != nil {
			return err
		}
		if ifMatch != o.ETag {
			return cloudfront.NewError(cloudfront.PreconditionFailed)
		}
		ds, err := tx.Distributions(accountID, "", 0)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if slices.Contains(d.Config.OAIReferences(), id) {
				return cloudfront.NewError(cloudfront.CloudFrontOriginAccessIdentityInUse)
			}
		}
		sds, err := tx.StreamingDistributions(accountID, "", 0)
		if err != nil {
			return err
		}
		for _, d := range sds {
			if slices.Contains(d.Config.OAIReferences(), id) {
				return cloudfront.NewError(cloudfront.CloudFrontOriginAccessIdentityInUse)
			}
		}
		return tx.DeleteOAI(id)
	})
	if err != nil {
		return s.internal("DeleteOAI", err)
	}
	return nil
}

// ListOAIs lists the account's origin access identities, one page.
func (s *Service) ListOAIs(ctx context.Context, accountID string, p Page) (cloudfront.ListPage, []cloudfront.OriginAccessIdentity, error) {
	return list(ctx, s, "ListOAIs", p, func(o cloudfront.OriginAccessIdentity) string { return o.ID },
		func(tx store.Tx, limit int) ([]cloudfront.OriginAccessIdentity, error) {
			return tx.OAIs(accountID, p.Marker, limit)
		})
}
