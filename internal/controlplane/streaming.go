package controlplane

import (
	"context"

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

// streamingDistributions is the streaming distribution's part in the
// lifecycle.
var streamingDistributions = &kind[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]{
	name:          "StreamingDistribution",
	noSuch:        cloudfront.NoSuchStreamingDistribution,
	alreadyExists: cloudfront.StreamingDistributionAlreadyExists,
	tooMany:       cloudfront.TooManyStreamingDistributions,
	members: func(d *cloudfront.StreamingDistribution) members[cloudfront.StreamingDistributionConfig] {
		return members[cloudfront.StreamingDistributionConfig]{ID: &d.ID, AccountID: &d.AccountID, ETag: &d.ETag,
			DomainName: &d.DomainName, Status: &d.Status, LastModified: &d.LastModifiedTime, Revision: &d.Revision, Config: &d.Config}
	},
	callerReference: func(c *cloudfront.StreamingDistributionConfig) string { return c.CallerReference },
	aliases:         func(c *cloudfront.StreamingDistributionConfig) []string { return c.Aliases },
	normalize:       cloudfront.NormalizeStreamingDistributionConfig,
	validate:        (*cloudfront.Rules).ValidateStreamingDistributionConfig,
	equal:           cloudfront.EqualStreamingDistributionConfigs,
	check: func(s *Service, tx store.Tx, accountID string, cfg, old *cloudfront.StreamingDistributionConfig) error {
		if err := s.checkReferences(tx, accountID, cfg.SignerAccounts(), cfg.OAIReferences()); err != nil {
			return err
		}
		var prev cloudfront.Logging
		if old != nil {
			prev = streamingLogging(old.Logging)
		}
		return s.checkLogBucket(tx, accountID, streamingLogging(cfg.Logging), prev)
	},
	// The per-account limit counts download distributions too.
	limit:          func(l cloudfront.Limits) int { return l.DistributionsPerAccount },
	count:          countAllDistributions,
	newDomainLabel: cloudfront.NewStreamingDomainLabel,
	arn:            cloudfront.StreamingDistributionARN,
	deletable: func(s *Service, tx store.Tx, d *cloudfront.StreamingDistribution) error {
		es, err := edges(tx)
		if err != nil {
			return err
		}
		return checkDisabled(d.Config.Enabled, s.streamingStatus(*d, es), cloudfront.StreamingDistributionNotDisabled)
	},
	decorate: (*Service).decorateStreamingTx,
	status:   (*Service).streamingStatus,

	byID:              store.Tx.StreamingDistribution,
	byCallerReference: store.Tx.StreamingDistributionByCallerReference,
	insert:            store.Tx.InsertStreamingDistribution,
	update:            store.Tx.UpdateStreamingDistribution,
	delete:            store.Tx.DeleteStreamingDistribution,
	list:              store.Tx.StreamingDistributions,
}

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
	return createResource(ctx, s, streamingDistributions, accountID, cfg, tags)
}

// ownStreaming loads a streaming distribution of the account; another
// account's is simply not found.
func ownStreaming(tx store.Tx, accountID, id string) (cloudfront.StreamingDistribution, error) {
	return streamingDistributions.own(tx, accountID, id)
}

// GetStreamingDistribution returns one of the account's streaming
// distributions.
func (s *Service) GetStreamingDistribution(ctx context.Context, accountID, id string) (cloudfront.StreamingDistribution, error) {
	return getResource(ctx, s, streamingDistributions, accountID, id)
}

// UpdateStreamingDistribution replaces a streaming distribution's config.
// ifMatch must be the current ETag.
func (s *Service) UpdateStreamingDistribution(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.StreamingDistributionConfig) (cloudfront.StreamingDistribution, error) {
	return updateResource(ctx, s, streamingDistributions, accountID, id, ifMatch, cfg, nil)
}

// DeleteStreamingDistribution deletes a streaming distribution that is
// disabled and deployed.
func (s *Service) DeleteStreamingDistribution(ctx context.Context, accountID, id, ifMatch string) error {
	return deleteResource(ctx, s, streamingDistributions, accountID, id, ifMatch)
}

// ListStreamingDistributions lists the account's streaming distributions,
// one page.
func (s *Service) ListStreamingDistributions(ctx context.Context, accountID string, p Page) (cloudfront.ListPage, []cloudfront.StreamingDistribution, error) {
	return listResources(ctx, s, streamingDistributions, accountID, p)
}

func (s *Service) streamingStatus(d cloudfront.StreamingDistribution, es []store.Edge) string {
	return feed.StreamingDistributionStatus(d, es, s.now(), s.edgeTimeout())
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
