package controlplane

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// originRequestPolicies is the origin request policy kind (policies.go).
var originRequestPolicies = newPolicy(&policy[cloudfront.OriginRequestPolicy, cloudfront.OriginRequestPolicyConfig]{
	kind: &kind[cloudfront.OriginRequestPolicy, cloudfront.OriginRequestPolicyConfig]{
		name:          "OriginRequestPolicy",
		noSuch:        cloudfront.NoSuchOriginRequestPolicy,
		alreadyExists: cloudfront.OriginRequestPolicyAlreadyExists,
		tooMany:       cloudfront.TooManyOriginRequestPolicies,
		members: func(p *cloudfront.OriginRequestPolicy) members[cloudfront.OriginRequestPolicyConfig] {
			return members[cloudfront.OriginRequestPolicyConfig]{ID: &p.ID, AccountID: &p.AccountID, ETag: &p.ETag,
				LastModified: &p.LastModifiedTime, Revision: &p.Revision, Config: &p.Config}
		},
		callerReference: func(c *cloudfront.OriginRequestPolicyConfig) string { return c.Name },
		normalize:       cloudfront.NormalizeOriginRequestPolicyConfig,
		validate:        (*cloudfront.Rules).ValidateOriginRequestPolicyConfig,
		equal:           cloudfront.EqualOriginRequestPolicyConfigs,
		limit:           func(l cloudfront.Limits) int { return l.OriginRequestPoliciesPerAccount },
		count: func(tx store.Tx, accountID string) (int, error) {
			return tx.OriginRequestPolicyRecords().Count(accountID)
		},
		arn:     cloudfront.OriginRequestPolicyARN,
		records: store.Tx.OriginRequestPolicyRecords,
	},
	what:       "origin request policy",
	inUse:      cloudfront.OriginRequestPolicyInUse,
	lookup:     "ListDistributionsByOriginRequestPolicyId",
	managed:    cloudfront.ManagedOriginRequestPolicy,
	allManaged: cloudfront.ManagedOriginRequestPolicies,
	refs: func(cfg *cloudfront.DistributionConfig, f func(string, func(*cloudfront.OriginRequestPolicyConfig))) {
		for _, b := range cfg.Behaviors() {
			f(b.OriginRequestPolicyID, func(c *cloudfront.OriginRequestPolicyConfig) { b.OriginRequestPolicy = c })
		}
	},
})

// OriginRequestPolicies are the origin request policies' operations.
func (s *Service) OriginRequestPolicies() Policies[cloudfront.OriginRequestPolicy, cloudfront.OriginRequestPolicyConfig] {
	return Policies[cloudfront.OriginRequestPolicy, cloudfront.OriginRequestPolicyConfig]{s, originRequestPolicies}
}
