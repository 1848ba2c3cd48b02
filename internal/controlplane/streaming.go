package controlplane

import (
	"context"
	"errors"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/store"
)

// Streaming (RTMP) distributions are kept and reported as CloudFront's
// control plane did, but no edge serves RTMP. They stay out of the config
// feed: each write takes a feed revision all the same, so their Status is
// honest by the same rule as download distributions' (Deployed once every
// live covered edge has acknowledged that revision; see
// feed.StreamingDistributionStatus).

// CreateStreamingDistribution creates a streaming distribution for the
// account. A repeated CallerReference with an identical config answers
// with the existing one (created false); with a different config it is
// StreamingDistributionAlreadyExists. The per-account limit counts
// download distributions too.
func (s *Service) CreateStreamingDistribution(ctx context.Context, accountID string, cfg cloudfront.StreamingDistributionConfig) (d cloudfront.StreamingDistribution, created bool, err error) {
	return s.CreateStreamingDistributionWithTags(ctx, accountID, cfg, nil)
}

// CreateStreamingDistributionWithTags is CreateStreamingDistribution that
// also tags the new streaming distribution in the same transaction.
func (s *Service) CreateStreamingDistributionWithTags(ctx context.Context, accountID string, cfg cloudfront.StreamingDistributionConfig, tags []cloudfront.Tag) (d cloudfront.StreamingDistribution, created bool, err error) {
	if err := cloudfront.ValidateTags(tags); err != nil {
		return d, false, err
	}
	cloudfront.NormalizeStreamingDistributionConfig(&cfg)
	if err := s.rules().ValidateStreamingDistributionConfig(&cfg); err != nil {
		return d, false, err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		created = false
		prev, err := tx.StreamingDistributionByCallerReference(accountID, cfg.CallerReference)
		switch {
		case err == nil:
			if !cloudfront.EqualStreamingDistributionConfigs(&prev.Config, &cfg) {
				return cloudfront.NewError(cloudfront.StreamingDistributionAlreadyExists)
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
			return cloudfront.NewError(cloudfront.TooManyStreamingDistributions)
		}
		if err := s.checkReferences(tx, accountID, cfg.SignerAccounts(), cfg.OAIReferences()); err != nil {
			return err
		}
		if err := s.checkLogBucket(tx, accountID, streamingLogging(cfg.Logging), cloudfront.Logging{}); err != nil {
			return err
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		d = cloudfront.StreamingDistribution{
			ID:               cloudfront.NewResourceID(),
			AccountID:        accountID,
			LastModifiedTime: s.now(),
			DomainName:       cloudfront.NewStreamingDomainLabel() + "." + s.DomainSuffix,
			Config:           cfg,
			ETag:             cloudfront.NewETag(),
			Revision:         rev,
		}
		if err := s.checkAliasesFree(tx, cfg.Aliases); err != nil {
			return err
		}
		if err := tx.InsertStreamingDistribution(d); err != nil {
			return cnameError(err)
		}
		if len(tags) > 0 {
			if err := tx.SetTags(cloudfront.StreamingDistributionARN(accountID, d.ID), tags); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	if err != nil {
		return cloudfront.StreamingDistribution{}, false, s.internal("CreateStreamingDistribution", err)
	}
	if created {
		s.changed()
	}
	d, err = s.decorateStreaming(ctx, d)
	return d, created, err
}

// ownStreaming loads a streaming distribution of the account; another
// account's is simply not found.
func ownStreaming(tx store.Tx, accountID, id string) (cloudfront.StreamingDistribution, error) {
	d, err := tx.StreamingDistribution(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.AccountID != accountID) {
		return cloudfront.StreamingDistribution{}, cloudfront.NewError(cloudfront.NoSuchStreamingDistribution)
	}
	return d, err
}

// GetStreamingDistribution returns one of the account's streaming
// distributions.
func (s *Service) GetStreamingDistribution(ctx context.Context, accountID, id string) (cloudfront.StreamingDistribution, error) {
	var d cloudfront.StreamingDistribution
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if d, err = ownStreaming(tx, accountID, id); err != nil {
			return err
		}
		return s.decorateStreamingTx(tx, &d)
	})
	if err != nil {
		return cloudfront.StreamingDistribution{}, s.internal("GetStreamingDistribution", err)
	}
	return d, nil
}

// UpdateStreamingDistribution replaces a streaming distribution's config.
// ifMatch must be the current ETag.
func (s *Service) UpdateStreamingDistribution(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.StreamingDistributionConfig) (cloudfront.StreamingDistribution, error) {
	if ifMatch == "" {
		return cloudfront.StreamingDistribution{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cloudfront.NormalizeStreamingDistributionConfig(&cfg)
	var d cloudfront.StreamingDistribution
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if d, err = ownStreaming(tx, accountID, id); err != nil {
			return err
		}
		if err := checkUpdate(ifMatch, d.ETag, d.Config.CallerReference, cfg.CallerReference); err != nil {
			return err
		}
		if err := s.rules().ValidateStreamingDistributionConfig(&cfg); err != nil {
			return err
		}
		if err := s.checkReferences(tx, accountID, cfg.SignerAccounts(), cfg.OAIReferences()); err != nil {
			return err
		}
		if err := s.checkLogBucket(tx, accountID, streamingLogging(cfg.Logging), streamingLogging(d.Config.Logging)); err != nil {
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
		return cnameError(tx.UpdateStreamingDistribution(d))
	})
	if err != nil {
		return cloudfront.StreamingDistribution{}, s.internal("UpdateStreamingDistribution", err)
	}
	s.changed()
	return s.decorateStreaming(ctx, d)
}

// DeleteStreamingDistribution deletes a streaming distribution that is
// disabled and deployed.
func (s *Service) DeleteStreamingDistribution(ctx context.Context, accountID, id, ifMatch string) error {
	if ifMatch == "" {
		return cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := ownStreaming(tx, accountID, id)
		if err != nil {
			return err
		}
		es, err := edges(tx)
		if err != nil {
			return err
		}
		if err := checkDelete(ifMatch, d.ETag, d.Config.Enabled, s.streamingStatus(d, es), cloudfront.StreamingDistributionNotDisabled); err != nil {
			return err
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		if err := tx.SetTags(cloudfront.StreamingDistributionARN(accountID, id), nil); err != nil {
			return err
		}
		return tx.DeleteStreamingDistribution(id, rev)
	})
	if err != nil {
		return s.internal("DeleteStreamingDistribution", err)
	}
	s.changed()
	return nil
}

// ListStreamingDistributions lists the account's streaming distributions,
// one page.
func (s *Service) ListStreamingDistributions(ctx context.Context, accountID string, p Page) (cloudfront.ListPage, []cloudfront.StreamingDistribution, error) {
	return list(ctx, s, "ListStreamingDistributions", p, func(d cloudfront.StreamingDistribution) string { return d.ID },
		func(tx store.Tx, limit int) ([]cloudfront.StreamingDistribution, error) {
			items, err := tx.StreamingDistributions(accountID, p.Marker, limit)
			if err != nil {
				return nil, err
			}
			es, err := edges(tx)
			if err != nil {
				return nil, err
			}
			for i := range items {
				items[i].Status = s.streamingStatus(items[i], es)
			}
			return items, nil
		})
}

func (s *Service) streamingStatus(d cloudfront.StreamingDistribution, es []store.Edge) string {
	return feed.StreamingDistributionStatus(d, es, s.now(), s.edgeTimeout())
}

// decorateStreaming fills in the derived fields in a fresh read
// transaction.
func (s *Service) decorateStreaming(ctx context.Context, d cloudfront.StreamingDistribution) (cloudfront.StreamingDistribution, error) {
	err := s.Store.View(ctx, func(tx store.Tx) error { return s.decorateStreamingTx(tx, &d) })
	if err != nil {
		return cloudfront.StreamingDistribution{}, s.internal("decorateStreaming", err)
	}
	return d, nil
}

// decorateStreamingTx derives Status and ActiveTrustedSigners.
func (s *Service) decorateStreamingTx(tx store.Tx, d *cloudfront.StreamingDistribution) error {
	es, err := edges(tx)
	if err != nil {
		return err
	}
	d.Status = s.streamingStatus(*d, es)
	d.ActiveTrustedSigners, err = activeTrustedSigners(tx, d.AccountID, d.Config.SignerAccounts())
	return err
}
