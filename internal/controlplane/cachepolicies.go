package controlplane

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// cachePolicies is the cache policy kind (policies.go).
var cachePolicies = newPolicy(&policy[cloudfront.CachePolicy, cloudfront.CachePolicyConfig]{
	kind: &kind[cloudfront.CachePolicy, cloudfront.CachePolicyConfig]{
		name:          "CachePolicy",
		noSuch:        cloudfront.NoSuchCachePolicy,
		alreadyExists: cloudfront.CachePolicyAlreadyExists,
		tooMany:       cloudfront.TooManyCachePolicies,
		members: func(p *cloudfront.CachePolicy) members[cloudfront.CachePolicyConfig] {
			return members[cloudfront.CachePolicyConfig]{ID: &p.ID, AccountID: &p.AccountID, ETag: &p.ETag,
				LastModified: &p.LastModifiedTime, Revision: &p.Revision, Config: &p.Config}
		},
		callerReference: func(c *cloudfront.CachePolicyConfig) string { return c.Name },
		normalize:       cloudfront.NormalizeCachePolicyConfig,
		validate:        (*cloudfront.Rules).ValidateCachePolicyConfig,
		equal:           cloudfront.EqualCachePolicyConfigs,
		limit:           func(l cloudfront.Limits) int { return l.CachePoliciesPerAccount },
		count:           func(tx store.Tx, accountID string) (int, error) { return tx.CachePolicyRecords().Count(accountID) },
		arn:             cloudfront.CachePolicyARN,
		records:         store.Tx.CachePolicyRecords,
	},
	what:       "cache policy",
	inUse:      cloudfront.CachePolicyInUse,
	lookup:     "ListDistributionsByCachePolicyId",
	managed:    cloudfront.ManagedCachePolicy,
	allManaged: cloudfront.ManagedCachePolicies,
	refs: func(cfg *cloudfront.DistributionConfig, f func(string, func(*cloudfront.CachePolicyConfig))) {
		for _, b := range cfg.Behaviors() {
			f(b.CachePolicyID, func(c *cloudfront.CachePolicyConfig) { b.CachePolicy = c })
		}
	},
})

// CachePolicies are the cache policies' operations.
func (s *Service) CachePolicies() Policies[cloudfront.CachePolicy, cloudfront.CachePolicyConfig] {
	return Policies[cloudfront.CachePolicy, cloudfront.CachePolicyConfig]{s, cachePolicies}
}
