package controlplane

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// responseHeadersPolicies is the response headers policy kind
// (policies.go).
var responseHeadersPolicies = newPolicy(&policy[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicyConfig]{
	kind: &kind[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicyConfig]{
		name:          "ResponseHeadersPolicy",
		noSuch:        cloudfront.NoSuchResponseHeadersPolicy,
		alreadyExists: cloudfront.ResponseHeadersPolicyAlreadyExists,
		tooMany:       cloudfront.TooManyResponseHeadersPolicies,
		members: func(p *cloudfront.ResponseHeadersPolicy) members[cloudfront.ResponseHeadersPolicyConfig] {
			return members[cloudfront.ResponseHeadersPolicyConfig]{ID: &p.ID, AccountID: &p.AccountID, ETag: &p.ETag,
				LastModified: &p.LastModifiedTime, Revision: &p.Revision, Config: &p.Config}
		},
		callerReference: func(c *cloudfront.ResponseHeadersPolicyConfig) string { return c.Name },
		normalize:       cloudfront.NormalizeResponseHeadersPolicyConfig,
		validate:        (*cloudfront.Rules).ValidateResponseHeadersPolicyConfig,
		equal:           cloudfront.EqualResponseHeadersPolicyConfigs,
		limit:           func(l cloudfront.Limits) int { return l.ResponseHeadersPoliciesPerAccount },
		count: func(tx store.Tx, accountID string) (int, error) {
			return tx.ResponseHeadersPolicyRecords().Count(accountID)
		},
		arn:     cloudfront.ResponseHeadersPolicyARN,
		records: store.Tx.ResponseHeadersPolicyRecords,
	},
	what:       "response headers policy",
	inUse:      cloudfront.ResponseHeadersPolicyInUse,
	lookup:     "ListDistributionsByResponseHeadersPolicyId",
	managed:    cloudfront.ManagedResponseHeadersPolicy,
	allManaged: cloudfront.ManagedResponseHeadersPolicies,
	refs: func(cfg *cloudfront.DistributionConfig, f func(string, func(*cloudfront.ResponseHeadersPolicyConfig))) {
		for _, b := range cfg.Behaviors() {
			f(b.ResponseHeadersPolicyID, func(c *cloudfront.ResponseHeadersPolicyConfig) { b.ResponseHeadersPolicy = c })
		}
	},
})

// ResponseHeadersPolicies are the response headers policies' operations.
func (s *Service) ResponseHeadersPolicies() Policies[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicyConfig] {
	return Policies[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicyConfig]{s, responseHeadersPolicies}
}
