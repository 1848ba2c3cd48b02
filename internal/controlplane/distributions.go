package controlplane

import (
	"context"
	"errors"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// distributions is the download distribution's part in the lifecycle.
var distributions = &kind[cloudfront.Distribution, cloudfront.DistributionConfig]{
	name:          "Distribution",
	noSuch:        cloudfront.NoSuchDistribution,
	alreadyExists: cloudfront.DistributionAlreadyExists,
	tooMany:       cloudfront.TooManyDistributions,
	members: func(d *cloudfront.Distribution) members[cloudfront.DistributionConfig] {
		return members[cloudfront.DistributionConfig]{ID: &d.ID, AccountID: &d.AccountID, ETag: &d.ETag,
			DomainName: &d.DomainName, Status: &d.Status, LastModified: &d.LastModifiedTime, Revision: &d.Revision, Config: &d.Config}
	},
	callerReference: func(c *cloudfront.DistributionConfig) string { return c.CallerReference },
	aliases:         func(c *cloudfront.DistributionConfig) []string { return c.Aliases },
	normalize:       cloudfront.NormalizeDistributionConfig,
	validate:        (*cloudfront.Rules).ValidateDistributionConfig,
	equal:           cloudfront.EqualDistributionConfigs,
	check: func(s *Service, tx store.Tx, accountID string, cfg, old *cloudfront.DistributionConfig) error {
		if err := s.checkReferences(tx, accountID, cloudfront.ActiveSignerAccounts(cfg), cfg.OAIReferences()); err != nil {
			return err
		}
		var prev cloudfront.Logging
		if old != nil {
			prev = old.Logging
		}
		if err := s.checkLogBucket(tx, accountID, cfg.Logging, prev); err != nil {
			return err
		}
		if err := resolveReferences(tx, accountID, cfg); err != nil {
			return err
		}
		if err := checkUnkeptReferences(cfg); err != nil {
			return err
		}
		if err := checkOriginClientCertificates(tx, accountID, cfg); err != nil {
			return err
		}
		return checkViewerCertificate(tx, accountID, cfg)
	},
	limit:          func(l cloudfront.Limits) int { return l.DistributionsPerAccount },
	count:          countAllDistributions,
	newDomainLabel: cloudfront.NewDomainLabel,
	enabled:        func(c *cloudfront.DistributionConfig) bool { return c.Enabled },
	notDisabled:    cloudfront.DistributionNotDisabled,
	arn:            cloudfront.DistributionARN,
	// Edges drop a deleted distribution's whole cache, so its
	// invalidations have nothing left to purge: nothing keeps them.
	onDelete: func(tx store.Tx, id string) error { return tx.DeleteInvalidations(id) },
	decorate: (*Service).decorateTx,
	// A distribution just created has no invalidations: looking for its
	// in-progress ones was 5 % of the control plane's CPU per create
	// with 50 edges following it (bench/fleet).
	decorateCreated: func(s *Service, tx store.Tx, d *cloudfront.Distribution) error { return s.decorateWith(tx, d, nil) },
	status:          (*Service).status,

	records: store.Tx.DistributionRecords,
}

// Distributions are the download distributions' operations. Create
// counts streaming distributions against the per-account limit too;
// Delete needs the distribution disabled and Deployed and drops its
// invalidations.
func (s *Service) Distributions() Resources[cloudfront.Distribution, cloudfront.DistributionConfig] {
	return Resources[cloudfront.Distribution, cloudfront.DistributionConfig]{s, distributions}
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
	return distributions.own(tx, accountID, id)
}

// UpdateDistribution replaces a distribution's config with one sent
// through API 2012-07-01: the members that version cannot express keep
// their stored values (cloudfront.KeepLaterMembers). ifMatch must be the
// current ETag. API 2020-05-31 replaces the config whole
// (Distributions().Replace).
func (s *Service) UpdateDistribution(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.DistributionConfig) (cloudfront.Distribution, error) {
	return updateResource(ctx, s, distributions, accountID, id, ifMatch, cfg, cloudfront.KeepLaterMembers)
}

// decorateTx derives Status, ActiveTrustedSigners, ActiveTrustedKeyGroups and
// InProgressInvalidationBatches.
func (s *Service) decorateTx(tx store.Tx, d *cloudfront.Distribution) error {
	invs, err := tx.InvalidationsWithStatus(d.ID, cloudfront.StatusInProgress)
	if err != nil {
		return err
	}
	return s.decorateWith(tx, d, invs)
}

// decorateWith is decorateTx given the distribution's stored in-progress
// invalidations.
func (s *Service) decorateWith(tx store.Tx, d *cloudfront.Distribution, invs []cloudfront.Invalidation) error {
	rev := d.Revision
	for _, inv := range invs {
		rev = max(rev, inv.Revision)
	}
	es, err := s.edgesBehind(tx, rev, d.Config.PriceClass, len(invs) == 0)
	if err != nil {
		return err
	}
	d.Status = s.status(*d, es)
	if d.ActiveTrustedSigners, err = activeTrustedSigners(tx, d.AccountID, cloudfront.ActiveSignerAccounts(&d.Config)); err != nil {
		return err
	}
	d.ActiveTrustedKeyGroups = activeTrustedKeyGroups(&d.Config)
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
