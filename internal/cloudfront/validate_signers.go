package cloudfront

import "slices"

// ActiveSignerAccounts returns the distinct AwsAccountNumbers ("self"
// included as is) of the default and every cache behaviour whose
// TrustedSigners are enabled, in order of first appearance: the signers
// ActiveTrustedSigners reports and the edge accepts. Nil when none.
func ActiveSignerAccounts(c *DistributionConfig) []string {
	if c == nil {
		return nil
	}
	var out []string
	add := func(ts *TrustedSigners) {
		if !ts.Enabled {
			return
		}
		for _, s := range ts.Items {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	add(&c.DefaultCacheBehavior.TrustedSigners)
	for i := range c.CacheBehaviors {
		add(&c.CacheBehaviors[i].TrustedSigners)
	}
	return out
}

// OAIReferences returns the ids of the origin access identities that c's
// S3 origins reference, distinct and in origin order. Malformed references
// are skipped; ValidateDistributionConfig rejects them. Nil when none.
func (c *DistributionConfig) OAIReferences() []string {
	var out []string
	for i := range c.Origins {
		s3 := c.Origins[i].S3
		if s3 == nil {
			continue
		}
		if id, ok := OAIIDFromReference(s3.OriginAccessIdentity); ok && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
