package controlplane

import (
	"context"
	"errors"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// CreateDistribution creates a download distribution for the account. A
// repeated CallerReference with an identical config answers with the
// existing distribution (created is then false); with a different config it
// is DistributionAlreadyExists.
func (s *Service) CreateDistribution(ctx context.Context, accountID string, cfg cloudfront.DistributionConfig) (d cloudfront.Distribution, created bool, err error) {
	return s.CreateDistributionWithTags(ctx, accountID, cfg, nil)
}

// CreateDistributionWithTags is CreateDistribution that also tags the new
// distribution, in the same transaction. A repeated CallerReference answers
// with the existing distribution and leaves its tags as they are.
func (s *Service) CreateDistributionWithTags(ctx context.Context, accountID string, cfg cloudfront.DistributionConfig, tags []cloudfront.Tag) (d cloudfront.Distribution, created bool, err error) {
	if err := cloudfront.ValidateTags(tags); err != nil {
		return d, false, err
	}
	cloudfront.NormalizeDistributionConfig(&cfg)
	if err := s.rules().ValidateDistributionConfig(&cfg); err != nil {
		return d, false, err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		created = false
		prev, err := tx.DistributionByCallerReference(accountID, cfg.CallerReference)
		switch {
		case err == nil:
			if !cloudfront.EqualDistributionConfigs(&prev.Config, &cfg) {
				return cloudfront.NewError(cloudfront.DistributionAlreadyExists)
			}
			d = prev
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		n, err := countAllDistributions(tx, accountID)
		if err != nil {
			return err
		}
		if n >= s.limits().DistributionsPerAccount {
			return cloudfront.NewError(cloudfront.TooManyDistributions)
		}
		if err := s.checkReferences(tx, accountID, cloudfront.ActiveSignerAccounts(&cfg), cfg.OAIReferences()); err != nil {
			return err
		}
		if err := s.checkLogBucket(tx, accountID, cfg.Logging, cloudfront.Logging{}); err != nil {
			return err
		}
		if err := checkLaterReferences(&cfg); err != nil {
			return err
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		d = cloudfront.Distribution{
			ID:               cloudfront.NewResourceID(),
			AccountID:        accountID,
			LastModifiedTime: s.now(),
			DomainName:       cloudfront.NewDomainLabel() + "." + s.DomainSuffix,
			Config:           cfg,
			ETag:             cloudfront.NewETag(),
			Revision:         rev,
		}
		if err := s.checkAliasesFree(tx, cfg.Aliases); err != nil {
			return err
		}
		if err := tx.InsertDistribution(d); err != nil {
			return cnameError(err)
		}
		if len(tags) > 0 {
			if err := tx.SetTags(cloudfront.DistributionARN(accountID, d.ID), tags); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	if err != nil {
		return cloudfront.Distribution{}, false, s.internal("CreateDistribution", err)
	}
	if created {
		s.changed()
	}
	d, err = s.decorate(ctx, d)
	return d, created, err
}

// countAllDistributions counts the account's download and streaming
// distributions together: the per-account limit covers both (spec §7).
func countAllDistributions(tx store.Tx, accountID string) (int, error) {
	n, err := tx.CountDistributions(accountID)
	if err != nil {
		return 0, err
	}
	m, err := tx.CountStreamingDistributions(accountID)
	return n + m, err
}

// checkReferences checks what a config names in the database: trusted
// signer accounts and origin access identities (by id).
func (s *Service) checkReferences(tx store.Tx, accountID string, signers, oais []string) error {
	for _, signer := range signers {
		if signer == cloudfront.SelfSigner || signer == accountID {
			continue
		}
		if _, err := tx.Account(signer); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return cloudfront.Errorf(cloudfront.TrustedSignerDoesNotExist,
					"One or more of your trusted signers do not exist: %s.", signer)
			}
			return err
		}
	}
	for _, id := range oais {
		o, err := tx.OAI(id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && o.AccountID != accountID) {
			return cloudfront.Errorf(cloudfront.InvalidOriginAccessIdentity,
				"The origin access identity %s is not valid or doesn't exist.", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ownDistribution loads a distribution of the account; another account's
// distribution is simply not found.
func ownDistribution(tx store.Tx, accountID, id string) (cloudfront.Distribution, error) {
	d, err := tx.Distribution(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.AccountID != accountID) {
		return cloudfront.Distribution{}, cloudfront.NewError(cloudfront.NoSuchDistribution)
	}
	return d, err
}

// GetDistribution returns one of the account's distributions.
func (s *Service) GetDistribution(ctx context.Context, accountID, id string) (cloudfront.Distribution, error) {
	var d cloudfront.Distribution
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if d, err = ownDistribution(tx, accountID, id); err != nil {
			return err
		}
		return s.decorateTx(tx, &d)
	})
	if err != nil {
		return cloudfront.Distribution{}, s.internal("GetDistribution", err)
	}
	return d, nil
}

// UpdateDistribution replaces a distribution's config with one sent
// through API 2012-07-01: the members that version cannot express keep
// their stored values (cloudfront.KeepLaterMembers). ifMatch must be the
// current ETag.
func (s *Service) UpdateDistribution(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.DistributionConfig) (cloudfront.Distribution, error) {
	return s.updateDistribution(ctx, accountID, id, ifMatch, cfg, true)
}

// ReplaceDistributionConfig replaces a distribution's config whole: the
// update of API 2020-05-31, whose config has every member.
func (s *Service) ReplaceDistributionConfig(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.DistributionConfig) (cloudfront.Distribution, error) {
	return s.updateDistribution(ctx, accountID, id, ifMatch, cfg, false)
}

func (s *Service) updateDistribution(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.DistributionConfig, legacy bool) (cloudfront.Distribution, error) {
	if ifMatch == "" {
		return cloudfront.Distribution{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cloudfront.NormalizeDistributionConfig(&cfg)
	var d cloudfront.Distribution
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if d, err = ownDistribution(tx, accountID, id); err != nil {
			return err
		}
		if err := checkUpdate(ifMatch, d.ETag, d.Config.CallerReference, cfg.CallerReference); err != nil {
			return err
		}
		if legacy {
			if err := cloudfront.KeepLaterMembers(&d.Config, &cfg); err != nil {
				return err
			}
		}
		if err := s.rules().ValidateDistributionConfig(&cfg); err != nil {
			return err
		}
		if err := s.checkReferences(tx, accountID, cloudfront.ActiveSignerAccounts(&cfg), cfg.OAIReferences()); err != nil {
			return err
		}
		if err := s.checkLogBucket(tx, accountID, cfg.Logging, d.Config.Logging); err != nil {
			return err
		}
		if err := checkLaterReferences(&cfg); err != nil {
			return err
		}
		if d.Revision, err = tx.NextRevision(); err != nil {
			return err
		}
		if err := s.checkAliasesFree(tx, cfg.Aliases); err != nil {
			return err
		}
		d.Config = cfg
		d.ETag = cloudfront.NewETag()
		d.LastModifiedTime = s.now()
		return cnameError(tx.UpdateDistribution(d))
	})
	if err != nil {
		return cloudfront.Distribution{}, s.internal("UpdateDistribution", err)
	}
	s.changed()
	return s.decorate(ctx, d)
}

// DeleteDistribution deletes a distribution that is disabled and deployed.
func (s *Service) DeleteDistribution(ctx context.Context, accountID, id, ifMatch string) error {
	if ifMatch == "" {
		return cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := ownDistribution(tx, accountID, id)
		if err != nil {
			return err
		}
		es, err := edges(tx)
		if err != nil {
			return err
		}
		if err := checkDelete(ifMatch, d.ETag, d.Config.Enabled, s.status(d, es), cloudfront.DistributionNotDisabled); err != nil {
			return err
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		// Edges drop a deleted distribution's whole cache, so its
		// invalidations have nothing left to purge: nothing keeps them.
		if err := tx.DeleteInvalidations(id); err != nil {
			return err
		}
		if err := tx.SetTags(cloudfront.DistributionARN(accountID, id), nil); err != nil {
			return err
		}
		return tx.DeleteDistribution(id, rev)
	})
	if err != nil {
		return s.internal("DeleteDistribution", err)
	}
	s.changed()
	return nil
}

// ListDistributions lists the account's distributions, one page.
func (s *Service) ListDistributions(ctx context.Context, accountID string, p Page) (cloudfront.ListPage, []cloudfront.Distribution, error) {
	return list(ctx, s, "ListDistributions", p, func(d cloudfront.Distribution) string { return d.ID },
		func(tx store.Tx, limit int) ([]cloudfront.Distribution, error) {
			items, err := tx.Distributions(accountID, p.Marker, limit)
			if err != nil {
				return nil, err
			}
			es, err := edges(tx)
			if err != nil {
				return nil, err
			}
			for i := range items {
				items[i].Status = s.status(items[i], es)
			}
			return items, nil
		})
}

// decorate fills in the derived fields in a fresh read transaction.
func (s *Service) decorate(ctx context.Context, d cloudfront.Distribution) (cloudfront.Distribution, error) {
	err := s.Store.View(ctx, func(tx store.Tx) error { return s.decorateTx(tx, &d) })
	if err != nil {
		return cloudfront.Distribution{}, s.internal("decorate", err)
	}
	return d, nil
}

// decorateTx derives Status, ActiveTrustedSigners and
// InProgressInvalidationBatches.
func (s *Service) decorateTx(tx store.Tx, d *cloudfront.Distribution) error {
	es, err := edges(tx)
	if err != nil {
		return err
	}
	d.Status = s.status(*d, es)
	if d.ActiveTrustedSigners, err = activeTrustedSigners(tx, d.AccountID, cloudfront.ActiveSignerAccounts(&d.Config)); err != nil {
		return err
	}
	invs, err := tx.InvalidationsWithStatus(d.ID, cloudfront.StatusInProgress)
	if err != nil {
		return err
	}
	d.InProgressInvalidationBatches = 0
	for _, inv := range invs {
		if s.invalidationStatus(inv, d.Config.PriceClass, es) == cloudfront.StatusInProgress {
			d.InProgressInvalidationBatches++
		}
	}
	return nil
}

// activeTrustedSigners lists each signer with its active key pairs; "self"
// is the owner's account.
func activeTrustedSigners(tx store.Tx, ownerID string, signers []string) (cloudfront.ActiveTrustedSigners, error) {
	ats := cloudfront.ActiveTrustedSigners{Enabled: len(signers) > 0}
	for _, signer := range signers {
		owner := signer
		if signer == cloudfront.SelfSigner {
			owner = ownerID
		}
		kps, err := tx.KeyPairs(owner)
		if err != nil {
			return ats, err
		}
		sg := cloudfront.Signer{AwsAccountNumber: signer}
		for _, kp := range kps {
			if kp.Active {
				sg.KeyPairIDs = append(sg.KeyPairIDs, kp.ID)
			}
		}
		ats.Items = append(ats.Items, sg)
	}
	return ats, nil
}
