package controlplane

import "github.com/openfront/openfront/internal/cloudfront"

// checkLaterReferences checks what a config names among the resources of
// API 2020-05-31: cache, origin request and response headers policies,
// key groups, CloudFront functions and origin access controls. openfront
// does not keep any of these yet, so every reference names a resource
// that does not exist, with the code CloudFront answers for each. When a
// kind arrives, its check becomes a lookup in the transaction.
func checkLaterReferences(c *cloudfront.DistributionConfig) error {
	for _, o := range c.Origins {
		if o.OriginAccessControlID != "" {
			// InvalidOriginAccessControl is the code the model lists for
			// CreateDistribution; NoSuchOriginAccessControl is the OAC
			// operations' own.
			return cloudfront.Errorf(cloudfront.InvalidOriginAccessControl, "The origin access control %s does not exist.", o.OriginAccessControlID)
		}
	}
	for _, b := range append([]cloudfront.CacheBehavior{c.DefaultCacheBehavior}, c.CacheBehaviors...) {
		switch {
		case b.CachePolicyID != "":
			return cloudfront.Errorf(cloudfront.NoSuchCachePolicy, "The cache policy %s does not exist.", b.CachePolicyID)
		case b.OriginRequestPolicyID != "":
			return cloudfront.Errorf(cloudfront.NoSuchOriginRequestPolicy, "The origin request policy %s does not exist.", b.OriginRequestPolicyID)
		case b.ResponseHeadersPolicyID != "":
			return cloudfront.Errorf(cloudfront.NoSuchResponseHeadersPolicy, "The response headers policy %s does not exist.", b.ResponseHeadersPolicyID)
		case len(b.TrustedKeyGroups.Items) > 0:
			return cloudfront.Errorf(cloudfront.TrustedKeyGroupDoesNotExist, "The key group %s does not exist.", b.TrustedKeyGroups.Items[0])
		case len(b.FunctionAssociations) > 0:
			return cloudfront.Errorf(cloudfront.InvalidFunctionAssociation, "The function %s does not exist.", b.FunctionAssociations[0].FunctionARN)
		}
	}
	return nil
}
