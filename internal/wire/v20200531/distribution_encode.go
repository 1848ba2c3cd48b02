package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// EncodeDistributionConfig encodes a <DistributionConfig> document
// (GetDistributionConfig).
func EncodeDistributionConfig(c cloudfront.DistributionConfig) []byte {
	w := newDoc("DistributionConfig")
	w.distributionConfigBody(c)
	return w.bytes("DistributionConfig")
}

// EncodeDistribution encodes a <Distribution> document (Create, Get,
// Update).
func EncodeDistribution(dist cloudfront.Distribution) []byte {
	w := newDoc("Distribution")
	w.text("Id", dist.ID)
	w.text("ARN", cloudfront.DistributionARN(dist.AccountID, dist.ID))
	w.text("Status", dist.Status)
	w.time("LastModifiedTime", dist.LastModifiedTime)
	w.int("InProgressInvalidationBatches", int64(dist.InProgressInvalidationBatches))
	w.text("DomainName", dist.DomainName)
	w.activeTrustedSigners(dist.ActiveTrustedSigners)
	w.activeTrustedKeyGroups(dist.ActiveTrustedKeyGroups)
	w.open("DistributionConfig")
	w.distributionConfigBody(dist.Config)
	w.close("DistributionConfig")
	return w.bytes("Distribution")
}

// EncodeDistributionList encodes a <DistributionList> of
// DistributionSummary (ListDistributions).
func EncodeDistributionList(p cloudfront.ListPage, items []cloudfront.Distribution) []byte {
	w := newDoc("DistributionList")
	w.listHead(p, len(items))
	if len(items) > 0 {
		w.open("Items")
		for _, dist := range items {
			c := dist.Config
			w.open("DistributionSummary")
			w.text("Id", dist.ID)
			w.text("ARN", cloudfront.DistributionARN(dist.AccountID, dist.ID))
			w.text("ETag", dist.ETag)
			w.text("Status", dist.Status)
			w.time("LastModifiedTime", dist.LastModifiedTime)
			w.text("DomainName", dist.DomainName)
			w.strings("Aliases", "CNAME", c.Aliases)
			w.origins(c.Origins)
			w.originGroups(c.OriginGroups)
			w.defaultCacheBehavior(c.DefaultCacheBehavior)
			w.cacheBehaviors(c.CacheBehaviors)
			w.customErrorResponses(c.CustomErrorResponses)
			w.text("Comment", c.Comment)
			w.text("PriceClass", c.PriceClass)
			w.bool("Enabled", c.Enabled)
			w.viewerCertificate(c.ViewerCertificate)
			w.restrictions(c.Restrictions)
			w.text("WebACLId", c.WebACLID)
			w.text("HttpVersion", httpVersion(c.HTTPVersion))
			w.bool("IsIPV6Enabled", c.IsIPV6Enabled)
			w.bool("Staging", c.Staging)
			w.close("DistributionSummary")
		}
		w.close("Items")
	}
	return w.bytes("DistributionList")
}

// listHead writes the children every list root starts with.
func (w *writer) listHead(p cloudfront.ListPage, n int) {
	w.text("Marker", p.Marker)
	if p.IsTruncated {
		w.text("NextMarker", p.NextMarker)
	}
	w.int("MaxItems", int64(p.MaxItems))
	w.bool("IsTruncated", p.IsTruncated)
	w.int("Quantity", int64(n))
}

func httpVersion(v string) string {
	if v == "" {
		return cloudfront.DefaultHTTPVersion
	}
	return v
}

func (w *writer) distributionConfigBody(c cloudfront.DistributionConfig) {
	w.text("CallerReference", c.CallerReference)
	w.strings("Aliases", "CNAME", c.Aliases)
	w.text("DefaultRootObject", c.DefaultRootObject)
	w.origins(c.Origins)
	w.originGroups(c.OriginGroups)
	w.defaultCacheBehavior(c.DefaultCacheBehavior)
	w.cacheBehaviors(c.CacheBehaviors)
	w.customErrorResponses(c.CustomErrorResponses)
	w.text("Comment", c.Comment)
	w.open("Logging")
	w.bool("Enabled", c.Logging.Enabled)
	w.bool("IncludeCookies", c.Logging.IncludeCookies)
	w.text("Bucket", c.Logging.Bucket)
	w.text("Prefix", c.Logging.Prefix)
	w.close("Logging")
	w.text("PriceClass", c.PriceClass)
	w.bool("Enabled", c.Enabled)
	w.viewerCertificate(c.ViewerCertificate)
	w.restrictions(c.Restrictions)
	w.text("WebACLId", c.WebACLID)
	w.text("HttpVersion", httpVersion(c.HTTPVersion))
	w.bool("IsIPV6Enabled", c.IsIPV6Enabled)
	w.text("ContinuousDeploymentPolicyId", c.ContinuousDeploymentPolicyID)
	w.bool("Staging", c.Staging)
}

func (w *writer) origins(origins []cloudfront.Origin) {
	w.open("Origins")
	w.int("Quantity", int64(len(origins)))
	if len(origins) > 0 {
		w.open("Items")
		for _, o := range origins {
			w.origin(o)
		}
		w.close("Items")
	}
	w.close("Origins")
}

func (w *writer) origin(o cloudfront.Origin) {
	w.open("Origin")
	w.text("Id", o.ID)
	w.text("DomainName", o.DomainName)
	w.text("OriginPath", o.OriginPath)
	w.open("CustomHeaders")
	w.int("Quantity", int64(len(o.CustomHeaders)))
	if len(o.CustomHeaders) > 0 {
		w.open("Items")
		for _, h := range o.CustomHeaders {
			w.open("OriginCustomHeader")
			w.text("HeaderName", h.Name)
			w.text("HeaderValue", h.Value)
			w.close("OriginCustomHeader")
		}
		w.close("Items")
	}
	w.close("CustomHeaders")
	if s := o.S3; s != nil {
		w.open("S3OriginConfig")
		w.text("OriginAccessIdentity", s.OriginAccessIdentity)
		if s.OriginReadTimeout != nil {
			w.int("OriginReadTimeout", int64(*s.OriginReadTimeout))
		}
		w.close("S3OriginConfig")
	}
	if c := o.Custom; c != nil {
		w.open("CustomOriginConfig")
		w.int("HTTPPort", int64(c.HTTPPort))
		w.int("HTTPSPort", int64(c.HTTPSPort))
		w.text("OriginProtocolPolicy", c.OriginProtocolPolicy)
		protocols := c.OriginSSLProtocols
		if protocols == nil {
			protocols = cloudfront.DefaultOriginSSLProtocols
		}
		w.strings("OriginSslProtocols", "SslProtocol", protocols)
		w.int("OriginReadTimeout", int64(orDefault(c.OriginReadTimeout, cloudfront.DefaultOriginReadTimeout)))
		w.int("OriginKeepaliveTimeout", int64(orDefault(c.OriginKeepaliveTimeout, cloudfront.DefaultOriginKeepaliveTimeout)))
		if c.IPAddressType != "" {
			w.text("IpAddressType", c.IPAddressType)
		}
		w.close("CustomOriginConfig")
	}
	w.int("ConnectionAttempts", int64(orDefault(o.ConnectionAttempts, cloudfront.DefaultConnectionAttempts)))
	w.int("ConnectionTimeout", int64(orDefault(o.ConnectionTimeout, cloudfront.DefaultConnectionTimeout)))
	if o.ResponseCompletionTimeout != nil {
		w.int("ResponseCompletionTimeout", int64(*o.ResponseCompletionTimeout))
	}
	w.open("OriginShield")
	w.bool("Enabled", o.OriginShield.Enabled)
	if o.OriginShield.Region != "" {
		w.text("OriginShieldRegion", o.OriginShield.Region)
	}
	w.close("OriginShield")
	w.text("OriginAccessControlId", o.OriginAccessControlID)
	w.close("Origin")
}

func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func (w *writer) originGroups(gs []cloudfront.OriginGroup) {
	w.open("OriginGroups")
	w.int("Quantity", int64(len(gs)))
	if len(gs) > 0 {
		w.open("Items")
		for _, g := range gs {
			w.open("OriginGroup")
			w.text("Id", g.ID)
			w.open("FailoverCriteria")
			w.open("StatusCodes")
			w.int("Quantity", int64(len(g.StatusCodes)))
			if len(g.StatusCodes) > 0 {
				w.open("Items")
				for _, s := range g.StatusCodes {
					w.int("StatusCode", int64(s))
				}
				w.close("Items")
			}
			w.close("StatusCodes")
			w.close("FailoverCriteria")
			w.open("Members")
			w.int("Quantity", int64(len(g.Members)))
			if len(g.Members) > 0 {
				w.open("Items")
				for _, m := range g.Members {
					w.open("OriginGroupMember")
					w.text("OriginId", m)
					w.close("OriginGroupMember")
				}
				w.close("Items")
			}
			w.close("Members")
			if g.SelectionCriteria != "" {
				w.text("SelectionCriteria", g.SelectionCriteria)
			}
			w.close("OriginGroup")
		}
		w.close("Items")
	}
	w.close("OriginGroups")
}

func (w *writer) defaultCacheBehavior(b cloudfront.CacheBehavior) {
	w.open("DefaultCacheBehavior")
	w.cacheBehaviorBody(b)
	w.close("DefaultCacheBehavior")
}

func (w *writer) cacheBehaviors(bs []cloudfront.CacheBehavior) {
	w.open("CacheBehaviors")
	w.int("Quantity", int64(len(bs)))
	if len(bs) > 0 {
		w.open("Items")
		for _, b := range bs {
			w.open("CacheBehavior")
			w.text("PathPattern", b.PathPattern)
			w.cacheBehaviorBody(b)
			w.close("CacheBehavior")
		}
		w.close("Items")
	}
	w.close("CacheBehaviors")
}

// cacheBehaviorBody writes the members shared by DefaultCacheBehavior and
// CacheBehavior, in the model's order. ForwardedValues and the TTLs are
// written only for legacy cache settings; with a cache policy CloudFront
// has none.
func (w *writer) cacheBehaviorBody(b cloudfront.CacheBehavior) {
	w.text("TargetOriginId", b.TargetOriginID)
	w.trustedSigners(b.TrustedSigners)
	w.open("TrustedKeyGroups")
	w.bool("Enabled", b.TrustedKeyGroups.Enabled)
	w.int("Quantity", int64(len(b.TrustedKeyGroups.Items)))
	if len(b.TrustedKeyGroups.Items) > 0 {
		w.open("Items")
		for _, k := range b.TrustedKeyGroups.Items {
			w.text("KeyGroup", k)
		}
		w.close("Items")
	}
	w.close("TrustedKeyGroups")
	w.text("ViewerProtocolPolicy", b.ViewerProtocolPolicy)
	allowed, cached := b.AllowedMethods, b.CachedMethods
	if allowed == nil {
		allowed = cloudfront.DefaultMethods
	}
	if cached == nil {
		cached = cloudfront.DefaultMethods
	}
	w.open("AllowedMethods")
	w.int("Quantity", int64(len(allowed)))
	w.open("Items")
	for _, m := range allowed {
		w.text("Method", m)
	}
	w.close("Items")
	w.strings("CachedMethods", "Method", cached)
	w.close("AllowedMethods")
	w.bool("SmoothStreaming", b.SmoothStreaming)
	w.bool("Compress", b.Compress)
	w.open("LambdaFunctionAssociations")
	w.int("Quantity", 0)
	w.close("LambdaFunctionAssociations")
	w.open("FunctionAssociations")
	w.int("Quantity", int64(len(b.FunctionAssociations)))
	if len(b.FunctionAssociations) > 0 {
		w.open("Items")
		for _, fa := range b.FunctionAssociations {
			w.open("FunctionAssociation")
			w.text("FunctionARN", fa.FunctionARN)
			w.text("EventType", fa.EventType)
			w.close("FunctionAssociation")
		}
		w.close("Items")
	}
	w.close("FunctionAssociations")
	w.text("FieldLevelEncryptionId", "")
	if b.CachePolicyID != "" {
		w.text("CachePolicyId", b.CachePolicyID)
	}
	if b.OriginRequestPolicyID != "" {
		w.text("OriginRequestPolicyId", b.OriginRequestPolicyID)
	}
	if b.ResponseHeadersPolicyID != "" {
		w.text("ResponseHeadersPolicyId", b.ResponseHeadersPolicyID)
	}
	if !b.LegacyCacheSettings() {
		return
	}
	w.open("ForwardedValues")
	w.bool("QueryString", b.QueryString)
	w.open("Cookies")
	w.text("Forward", b.Cookies.Forward)
	if b.Cookies.WhitelistedNames != nil {
		w.strings("WhitelistedNames", "Name", b.Cookies.WhitelistedNames)
	}
	w.close("Cookies")
	w.strings("Headers", "Name", b.Headers)
	w.strings("QueryStringCacheKeys", "Name", b.QueryStringCacheKeys)
	w.close("ForwardedValues")
	w.int("MinTTL", b.MinTTL)
	w.int("DefaultTTL", b.EffectiveDefaultTTL())
	w.int("MaxTTL", b.EffectiveMaxTTL())
}

// trustedSigners writes a TrustedSigners element, of a cache behaviour or
// a streaming distribution.
func (w *writer) trustedSigners(ts cloudfront.TrustedSigners) {
	w.open("TrustedSigners")
	w.bool("Enabled", ts.Enabled)
	w.int("Quantity", int64(len(ts.Items)))
	if len(ts.Items) > 0 {
		w.open("Items")
		for _, s := range ts.Items {
			w.text("AwsAccountNumber", s)
		}
		w.close("Items")
	}
	w.close("TrustedSigners")
}

func (w *writer) customErrorResponses(rs []cloudfront.CustomErrorResponse) {
	w.open("CustomErrorResponses")
	w.int("Quantity", int64(len(rs)))
	if len(rs) > 0 {
		w.open("Items")
		for _, r := range rs {
			w.open("CustomErrorResponse")
			w.int("ErrorCode", int64(r.ErrorCode))
			w.text("ResponsePagePath", r.ResponsePagePath)
			w.text("ResponseCode", r.ResponseCode)
			if r.ErrorCachingMinTTL != nil {
				w.int("ErrorCachingMinTTL", *r.ErrorCachingMinTTL)
			}
			w.close("CustomErrorResponse")
		}
		w.close("Items")
	}
	w.close("CustomErrorResponses")
}

func (w *writer) viewerCertificate(v *cloudfront.ViewerCertificate) {
	if v == nil {
		d := cloudfront.DefaultViewerCertificate()
		v = &d
	}
	w.open("ViewerCertificate")
	if v.CloudFrontDefaultCertificate {
		w.bool("CloudFrontDefaultCertificate", true)
	}
	for _, m := range []struct{ name, value string }{
		{"IAMCertificateId", v.IAMCertificateID},
		{"ACMCertificateArn", v.ACMCertificateARN},
		{"SSLSupportMethod", v.SSLSupportMethod},
		{"MinimumProtocolVersion", v.MinimumProtocolVersion},
		{"Certificate", v.Certificate},
		{"CertificateSource", v.CertificateSource},
	} {
		if m.value != "" {
			w.text(m.name, m.value)
		}
	}
	w.close("ViewerCertificate")
}

func (w *writer) restrictions(g cloudfront.GeoRestriction) {
	t := g.RestrictionType
	if t == "" {
		t = cloudfront.GeoNone
	}
	w.open("Restrictions")
	w.open("GeoRestriction")
	w.text("RestrictionType", t)
	w.int("Quantity", int64(len(g.Locations)))
	if len(g.Locations) > 0 {
		w.open("Items")
		for _, l := range g.Locations {
			w.text("Location", l)
		}
		w.close("Items")
	}
	w.close("GeoRestriction")
	w.close("Restrictions")
}

func (w *writer) activeTrustedSigners(a cloudfront.ActiveTrustedSigners) {
	w.open("ActiveTrustedSigners")
	w.bool("Enabled", a.Enabled)
	w.int("Quantity", int64(len(a.Items)))
	if len(a.Items) > 0 {
		w.open("Items")
		for _, s := range a.Items {
			w.open("Signer")
			w.text("AwsAccountNumber", s.AwsAccountNumber)
			w.strings("KeyPairIds", "KeyPairId", s.KeyPairIDs)
			w.close("Signer")
		}
		w.close("Items")
	}
	w.close("ActiveTrustedSigners")
}

func (w *writer) activeTrustedKeyGroups(a cloudfront.ActiveTrustedKeyGroups) {
	w.open("ActiveTrustedKeyGroups")
	w.bool("Enabled", a.Enabled)
	w.int("Quantity", int64(len(a.Items)))
	if len(a.Items) > 0 {
		w.open("Items")
		for _, k := range a.Items {
			w.open("KeyGroup")
			w.text("KeyGroupId", k.KeyGroupID)
			w.strings("KeyPairIds", "KeyPairId", k.KeyPairIDs)
			w.close("KeyGroup")
		}
		w.close("Items")
	}
	w.close("ActiveTrustedKeyGroups")
}
