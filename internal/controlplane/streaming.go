package controlplane

import (
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
	enabled:        func(c *cloudfront.StreamingDistributionConfig) bool { return c.Enabled },
	notDisabled:    cloudfront.StreamingDistributionNotDisabled,
	arn:            cloudfront.StreamingDistributionARN,
	decorate:       (*Service).decorateStreamingTx,
	status:         (*Service).streamingStatus,

	records: store.Tx.StreamingDistributionRecords,
}

// StreamingDistributions are the streaming distributions' operations.
// Create counts download distributions against the per-account limit
// too; Delete needs the distribution disabled and Deployed.
func (s *Service) StreamingDistributions() Resources[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig] {
	return Resources[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]{s, streamingDistributions}
}

// ownStreaming loads a streaming distribution of the account; another
// account's is simply not found.
func ownStreaming(tx store.Tx, accountID, id string) (cloudfront.StreamingDistribution, error) {
	return streamingDistributions.own(tx, accountID, id)
}

func (s *Service) streamingStatus(d cloudfront.StreamingDistribution, es []store.Edge) string {
	return feed.StreamingDistributionStatus(d, es, s.now(), s.edgeTimeout())
}

// decorateStreamingTx derives Status and ActiveTrustedSigners.
func (s *Service) decorateStreamingTx(tx store.Tx, d *cloudfront.StreamingDistribution) error {
	es, err := s.edges(tx)
	if err != nil {
		return err
	}
	d.Status = s.streamingStatus(*d, es)
	d.ActiveTrustedSigners, err = activeTrustedSigners(tx, d.AccountID, d.Config.SignerAccounts())
	return err
}
