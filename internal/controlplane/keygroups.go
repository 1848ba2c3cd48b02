package controlplane

import (
	"errors"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// keyGroups is the key group kind (policies.go): a behaviour trusts key
// groups by id (TrustedKeyGroups.Items), a key group lists public keys of
// its account. A distribution carries each trusted group's config with
// its keys' PEMs (TrustedKeyGroups.Groups), so an edge checks signatures
// from the distribution record alone; a group's update rewrites the
// distributions that trust it, so a key taken out of a group stops
// signing once they are Deployed.
var keyGroups = newPolicy(&policy[cloudfront.KeyGroup, cloudfront.KeyGroupConfig]{
	kind: &kind[cloudfront.KeyGroup, cloudfront.KeyGroupConfig]{
		name: "KeyGroup",
		// NoSuchResource is the code the model lists for the key group
		// operations; there is no NoSuchKeyGroup.
		noSuch:        cloudfront.NoSuchResource,
		alreadyExists: cloudfront.KeyGroupAlreadyExists,
		tooMany:       cloudfront.TooManyKeyGroups,
		members: func(g *cloudfront.KeyGroup) members[cloudfront.KeyGroupConfig] {
			return members[cloudfront.KeyGroupConfig]{ID: &g.ID, AccountID: &g.AccountID, ETag: &g.ETag,
				LastModified: &g.LastModifiedTime, Revision: &g.Revision, Config: &g.Config}
		},
		callerReference: func(c *cloudfront.KeyGroupConfig) string { return c.Name },
		normalize:       cloudfront.NormalizeKeyGroupConfig,
		validate:        (*cloudfront.Rules).ValidateKeyGroupConfig,
		equal:           cloudfront.EqualKeyGroupConfigs,
		check: func(_ *Service, tx store.Tx, accountID string, cfg, _ *cloudfront.KeyGroupConfig) error {
			_, err := groupKeys(tx, accountID, cfg)
			return err
		},
		limit:   func(l cloudfront.Limits) int { return l.KeyGroupsPerAccount },
		count:   func(tx store.Tx, accountID string) (int, error) { return tx.KeyGroupRecords().Count(accountID) },
		newID:   func(string, *cloudfront.KeyGroupConfig) string { return cloudfront.NewKeyGroupID() },
		arn:     cloudfront.KeyGroupARN,
		records: store.Tx.KeyGroupRecords,
	},
	what:    "key group",
	inUse:   cloudfront.ResourceInUse,
	missing: cloudfront.TrustedKeyGroupDoesNotExist,
	lookup:  "ListDistributionsByKeyGroup",
	refs: func(cfg *cloudfront.DistributionConfig, f func(string, func(*cloudfront.KeyGroupConfig))) {
		for _, b := range cfg.Behaviors() {
			tk := &b.TrustedKeyGroups
			if len(tk.Groups) != len(tk.Items) {
				tk.Groups = make([]*cloudfront.KeyGroupConfig, len(tk.Items))
			}
			for i, id := range tk.Items {
				f(id, func(c *cloudfront.KeyGroupConfig) { tk.Groups[i] = c })
			}
		}
	},
	prepare: func(tx store.Tx, accountID string, c *cloudfront.KeyGroupConfig) error {
		keys, err := groupKeys(tx, accountID, c)
		c.Keys = keys
		return err
	},
})

// groupKeys are the public keys a key group lists, each one of the
// account's. A missing key is InvalidArgument: CreateKeyGroup and
// UpdateKeyGroup list no NoSuchPublicKey (unconfirmed which code
// CloudFront answers; InvalidArgument is the one the model offers).
func groupKeys(tx store.Tx, accountID string, c *cloudfront.KeyGroupConfig) ([]cloudfront.TrustedPublicKey, error) {
	out := make([]cloudfront.TrustedPublicKey, 0, len(c.Items))
	for _, id := range c.Items {
		k, err := publicKeys.own(tx, accountID, id)
		if errors.As(err, new(*cloudfront.Error)) {
			return nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The public key %s does not exist.", id)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, cloudfront.TrustedPublicKey{ID: k.ID, EncodedKey: k.Config.EncodedKey})
	}
	return out, nil
}

// KeyGroups are the key groups' operations.
func (s *Service) KeyGroups() Policies[cloudfront.KeyGroup, cloudfront.KeyGroupConfig] {
	return Policies[cloudfront.KeyGroup, cloudfront.KeyGroupConfig]{s, keyGroups}
}

// activeTrustedKeyGroups lists, once each and in the order behaviours
// name them, the key groups the distribution trusts with the ids of their
// keys, from the groups resolved into its config.
func activeTrustedKeyGroups(cfg *cloudfront.DistributionConfig) cloudfront.ActiveTrustedKeyGroups {
	var out cloudfront.ActiveTrustedKeyGroups
	seen := map[string]bool{}
	for _, b := range cfg.Behaviors() {
		tk := b.TrustedKeyGroups
		if !tk.Enabled {
			continue
		}
		for i, id := range tk.Items {
			if seen[id] {
				continue
			}
			seen[id] = true
			s := cloudfront.KeyGroupSigner{KeyGroupID: id}
			if i < len(tk.Groups) && tk.Groups[i] != nil {
				s.KeyPairIDs = tk.Groups[i].Items
			}
			out.Items = append(out.Items, s)
		}
	}
	out.Enabled = len(out.Items) > 0
	return out
}
