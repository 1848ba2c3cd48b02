package cloudfront

import (
	"reflect"
	"slices"
)

// normalize2020 turns each 2020-05-31 member that names its default
// explicitly into the zero value that means the default. A config then
// has one form however it was written, so the 2012-07-01 view, the
// CallerReference comparison and records stored before 2020-05-31 agree;
// the codecs show the default again, so a client that sends back what it
// got sees it unchanged.
func normalize2020(c *DistributionConfig) {
	if c.Restrictions.RestrictionType == GeoNone && len(c.Restrictions.Locations) == 0 {
		c.Restrictions = GeoRestriction{}
	}
	if c.HTTPVersion == DefaultHTTPVersion {
		c.HTTPVersion = ""
	}
	if c.ViewerCertificate != nil && *c.ViewerCertificate == DefaultViewerCertificate() {
		c.ViewerCertificate = nil
	}
	c.OriginGroups = nilIfEmpty(c.OriginGroups)
	c.CustomErrorResponses = nilIfEmpty(c.CustomErrorResponses)
	for i := range c.Origins {
		o := &c.Origins[i]
		o.CustomHeaders = nilIfEmpty(o.CustomHeaders)
		o.ConnectionAttempts = nilIfDefault(o.ConnectionAttempts, DefaultConnectionAttempts)
		o.ConnectionTimeout = nilIfDefault(o.ConnectionTimeout, DefaultConnectionTimeout)
		if o.S3 != nil {
			o.S3.OriginReadTimeout = nilIfDefault(o.S3.OriginReadTimeout, DefaultOriginReadTimeout)
		}
		if o.Custom != nil {
			if slices.Equal(o.Custom.OriginSSLProtocols, DefaultOriginSSLProtocols) {
				o.Custom.OriginSSLProtocols = nil
			}
			o.Custom.OriginReadTimeout = nilIfDefault(o.Custom.OriginReadTimeout, DefaultOriginReadTimeout)
			o.Custom.OriginKeepaliveTimeout = nilIfDefault(o.Custom.OriginKeepaliveTimeout, DefaultOriginKeepaliveTimeout)
		}
	}
	normalizeBehavior2020(&c.DefaultCacheBehavior)
	for i := range c.CacheBehaviors {
		normalizeBehavior2020(&c.CacheBehaviors[i])
	}
}

func normalizeBehavior2020(b *CacheBehavior) {
	if sameSet(b.AllowedMethods, DefaultMethods) {
		b.AllowedMethods = nil
	}
	if sameSet(b.CachedMethods, DefaultMethods) {
		b.CachedMethods = nil
	}
	b.TrustedKeyGroups.Items = nilIfEmpty(b.TrustedKeyGroups.Items)
	b.FunctionAssociations = nilIfEmpty(b.FunctionAssociations)
	b.Headers = nilIfEmpty(b.Headers)
	b.QueryStringCacheKeys = nilIfEmpty(b.QueryStringCacheKeys)
	// MaxTTL's default depends on DefaultTTL's effective value, which does
	// not change when an explicit default becomes nil.
	if b.DefaultTTL != nil && *b.DefaultTTL == max(DefaultDefaultTTL, b.MinTTL) {
		b.DefaultTTL = nil
	}
	if b.MaxTTL != nil && *b.MaxTTL == max(DefaultMaxTTL, b.EffectiveDefaultTTL()) {
		b.MaxTTL = nil
	}
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nilIfDefault[T comparable](p *T, def T) *T {
	if p != nil && *p == def {
		return nil
	}
	return p
}

// sameSet reports whether a holds exactly the members of set, in any order.
func sameSet(a, set []string) bool {
	return len(a) == len(set) && isSubset(a, set) && isSubset(set, a)
}

// KeepLaterMembers carries into next, a configuration sent through API
// 2012-07-01, every member of prev (the stored configuration) that
// 2012-07-01 cannot express, so that an update through the older version
// never silently drops them. Origins are matched by Id and behaviours by
// PathPattern; new ones get the defaults.
//
// A behaviour that uses a cache policy is shown to 2012-07-01 as
// forwarding nothing with MinTTL 0; sent back unchanged it keeps its
// policy, but other cache settings for it would replace the policy
// silently, so they are IllegalUpdate: that change needs 2020-05-31.
func KeepLaterMembers(prev, next *DistributionConfig) error {
	next.OriginGroups = prev.OriginGroups
	next.CustomErrorResponses = prev.CustomErrorResponses
	next.ViewerCertificate = prev.ViewerCertificate
	next.Restrictions = prev.Restrictions
	next.WebACLID = prev.WebACLID
	next.HTTPVersion = prev.HTTPVersion
	next.IsIPV6Enabled = prev.IsIPV6Enabled
	next.ContinuousDeploymentPolicyID = prev.ContinuousDeploymentPolicyID
	next.Staging = prev.Staging
	next.AnycastIPListID = prev.AnycastIPListID
	next.TenantConfig = prev.TenantConfig
	next.ConnectionMode = prev.ConnectionMode
	next.ViewerMTLSConfig = prev.ViewerMTLSConfig
	next.ConnectionFunctionID = prev.ConnectionFunctionID
	next.CacheTagHeaderName = prev.CacheTagHeaderName
	for i := range next.Origins {
		o := &next.Origins[i]
		j := slices.IndexFunc(prev.Origins, func(p Origin) bool { return p.ID == o.ID })
		if j < 0 {
			continue
		}
		p := &prev.Origins[j]
		o.OriginPath = p.OriginPath
		o.CustomHeaders = p.CustomHeaders
		o.ConnectionAttempts = p.ConnectionAttempts
		o.ConnectionTimeout = p.ConnectionTimeout
		o.ResponseCompletionTimeout = p.ResponseCompletionTimeout
		o.OriginShield = p.OriginShield
		o.OriginAccessControlID = p.OriginAccessControlID
		if o.S3 != nil && p.S3 != nil {
			o.S3.OriginReadTimeout = p.S3.OriginReadTimeout
		}
		if o.Custom != nil && p.Custom != nil {
			o.Custom.OriginSSLProtocols = p.Custom.OriginSSLProtocols
			o.Custom.OriginReadTimeout = p.Custom.OriginReadTimeout
			o.Custom.OriginKeepaliveTimeout = p.Custom.OriginKeepaliveTimeout
			o.Custom.IPAddressType = p.Custom.IPAddressType
			o.Custom.MTLSCertificateARN = p.Custom.MTLSCertificateARN
		}
		// A VPC origin is never stored yet (no VPC origin exists), so there
		// is none to keep; when VPC origins arrive, 2012-07-01 needs a way
		// to show one.
	}
	if err := keepBehavior(&prev.DefaultCacheBehavior, &next.DefaultCacheBehavior); err != nil {
		return err
	}
	for i := range next.CacheBehaviors {
		b := &next.CacheBehaviors[i]
		j := slices.IndexFunc(prev.CacheBehaviors, func(p CacheBehavior) bool { return p.PathPattern == b.PathPattern })
		if j < 0 {
			continue
		}
		if err := keepBehavior(&prev.CacheBehaviors[j], b); err != nil {
			return err
		}
	}
	return nil
}

func keepBehavior(prev, next *CacheBehavior) error {
	next.TrustedKeyGroups = prev.TrustedKeyGroups
	next.AllowedMethods = prev.AllowedMethods
	next.CachedMethods = prev.CachedMethods
	next.SmoothStreaming = prev.SmoothStreaming
	next.Compress = prev.Compress
	next.FunctionAssociations = prev.FunctionAssociations
	next.OriginRequestPolicyID = prev.OriginRequestPolicyID
	next.ResponseHeadersPolicyID = prev.ResponseHeadersPolicyID
	next.GRPC = prev.GRPC
	if prev.LegacyCacheSettings() {
		next.Headers = prev.Headers
		next.QueryStringCacheKeys = prev.QueryStringCacheKeys
		next.DefaultTTL = prev.DefaultTTL
		next.MaxTTL = prev.MaxTTL
		return nil
	}
	shown := CacheBehavior{Cookies: CookiePreference{Forward: ForwardNone}}
	if next.QueryString != shown.QueryString || !reflect.DeepEqual(next.Cookies, shown.Cookies) || next.MinTTL != shown.MinTTL {
		return Errorf(IllegalUpdate, "The cache behavior %q uses a cache policy; change its cache settings with API version 2020-05-31.", next.PathPattern)
	}
	next.Cookies = CookiePreference{}
	next.CachePolicyID = prev.CachePolicyID
	return nil
}
