package cloudfront

import "slices"

// EqualDistributionConfigs reports whether two configurations say the same
// thing: CloudFront's test for a repeated CallerReference. Empty and nil
// lists are equal; a present-but-empty WhitelistedNames differs from an
// absent one, as it does on the wire.
func EqualDistributionConfigs(a, b *DistributionConfig) bool {
	if a.CallerReference != b.CallerReference || a.DefaultRootObject != b.DefaultRootObject ||
		a.Comment != b.Comment || a.Logging != b.Logging || a.PriceClass != b.PriceClass ||
		a.Enabled != b.Enabled || !slices.Equal(a.Aliases, b.Aliases) ||
		!slices.EqualFunc(a.Origins, b.Origins, equalOrigins) ||
		!equalBehaviors(&a.DefaultCacheBehavior, &b.DefaultCacheBehavior) ||
		len(a.CacheBehaviors) != len(b.CacheBehaviors) {
		return false
	}
	for i := range a.CacheBehaviors {
		if !equalBehaviors(&a.CacheBehaviors[i], &b.CacheBehaviors[i]) {
			return false
		}
	}
	return true
}

func equalOrigins(a, b Origin) bool {
	return a.ID == b.ID && a.DomainName == b.DomainName &&
		equalPtr(a.S3, b.S3) && equalPtr(a.Custom, b.Custom)
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func equalBehaviors(a, b *CacheBehavior) bool {
	return a.PathPattern == b.PathPattern && a.TargetOriginID == b.TargetOriginID &&
		a.QueryString == b.QueryString && a.Cookies.Forward == b.Cookies.Forward &&
		(a.Cookies.WhitelistedNames == nil) == (b.Cookies.WhitelistedNames == nil) &&
		slices.Equal(a.Cookies.WhitelistedNames, b.Cookies.WhitelistedNames) &&
		a.TrustedSigners.Enabled == b.TrustedSigners.Enabled &&
		slices.Equal(a.TrustedSigners.Items, b.TrustedSigners.Items) &&
		a.ViewerProtocolPolicy == b.ViewerProtocolPolicy && a.MinTTL == b.MinTTL
}
