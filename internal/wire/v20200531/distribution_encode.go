package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// EncodeDistributionConfig encodes a <DistributionConfig> document
// (GetDistributionConfig).
func EncodeDistributionConfig(c cloudfront.DistributionConfig) []byte {
	w := newDoc("DistributionConfig")
	w.distributionConfigBody(c)
	return w.Bytes("DistributionConfig")
}

// EncodeDistribution encodes a <Distribution> document (Create, Get,
// Update).
func EncodeDistribution(dist cloudfront.Distribution) []byte {
	w := newDoc("Distribution")
	w.Text("Id", dist.ID)
	w.Text("ARN", cloudfront.DistributionARN(dist.AccountID, dist.ID))
	w.Text("Status", dist.Status)
	w.Time("LastModifiedTime", dist.LastModifiedTime)
	w.Int("InProgressInvalidationBatches", int64(dist.InProgressInvalidationBatches))
	w.Text("DomainName", dist.DomainName)
	shapes.ActiveTrustedSigners(w.Writer, dist.ActiveTrustedSigners)
	w.activeTrustedKeyGroups(dist.ActiveTrustedKeyGroups)
	w.Open("DistributionConfig")
	w.distributionConfigBody(dist.Config)
	w.Close("DistributionConfig")
	return w.Bytes("Distribution")
}

// EncodeDistributionList encodes a <DistributionList> of
// DistributionSummary (ListDistributions).
func EncodeDistributionList(p cloudfront.ListPage, items []cloudfront.Distribution) []byte {
	return shapes.List(Namespace, "DistributionList", p, items, func(xw *xmlwire.Writer, dist cloudfront.Distribution) {
		w := &writer{xw}
		c := dist.Config
		w.Open("DistributionSummary")
		w.Text("Id", dist.ID)
		w.Text("ARN", cloudfront.DistributionARN(dist.AccountID, dist.ID))
		w.Text("ETag", dist.ETag)
		w.Text("Status", dist.Status)
		w.Time("LastModifiedTime", dist.LastModifiedTime)
		w.Text("DomainName", dist.DomainName)
		w.Strings("Aliases", "CNAME", c.Aliases)
		w.originsToErrorResponses(c)
		w.Text("Comment", c.Comment)
		w.Text("PriceClass", c.PriceClass)
		w.Bool("Enabled", c.Enabled)
		w.certificateToIPv6(c)
		w.Bool("Staging", c.Staging)
		w.optText("ConnectionMode", c.ConnectionMode)
		w.optText("AnycastIpListId", c.AnycastIPListID)
		w.viewerMTLSConfig(c.ViewerMTLSConfig)
		w.connectionFunctionAssociation(c.ConnectionFunctionID)
		w.Close("DistributionSummary")
	})
}

func httpVersion(v string) string {
	if v == "" {
		return cloudfront.DefaultHTTPVersion
	}
	return v
}

func (w *writer) distributionConfigBody(c cloudfront.DistributionConfig) {
	w.Text("CallerReference", c.CallerReference)
	w.Strings("Aliases", "CNAME", c.Aliases)
	w.Text("DefaultRootObject", c.DefaultRootObject)
	w.originsToErrorResponses(c)
	w.Text("Comment", c.Comment)
	w.Open("Logging")
	w.Bool("Enabled", c.Logging.Enabled)
	w.Bool("IncludeCookies", c.Logging.IncludeCookies)
	w.Text("Bucket", c.Logging.Bucket)
	w.Text("Prefix", c.Logging.Prefix)
	w.Close("Logging")
	w.Text("PriceClass", c.PriceClass)
	w.Bool("Enabled", c.Enabled)
	w.certificateToIPv6(c)
	w.Text("ContinuousDeploymentPolicyId", c.ContinuousDeploymentPolicyID)
	w.Bool("Staging", c.Staging)
	w.optText("AnycastIpListId", c.AnycastIPListID)
	w.tenantConfig(c.TenantConfig)
	w.optText("ConnectionMode", c.ConnectionMode)
	w.viewerMTLSConfig(c.ViewerMTLSConfig)
	w.connectionFunctionAssociation(c.ConnectionFunctionID)
	if c.CacheTagHeaderName != "" {
		w.Open("CacheTagConfig")
		w.Text("HeaderName", c.CacheTagHeaderName)
		w.Close("CacheTagConfig")
	}
}

// originsToErrorResponses writes the run of members from Origins to
// CustomErrorResponses, which DistributionSummary shares with the config.
func (w *writer) originsToErrorResponses(c cloudfront.DistributionConfig) {
	w.origins(c.Origins)
	w.originGroups(c.OriginGroups)
	w.defaultCacheBehavior(c.DefaultCacheBehavior)
	w.cacheBehaviors(c.CacheBehaviors)
	w.customErrorResponses(c.CustomErrorResponses)
}

// certificateToIPv6 writes the run from ViewerCertificate to
// IsIPV6Enabled, which DistributionSummary shares with the config.
func (w *writer) certificateToIPv6(c cloudfront.DistributionConfig) {
	w.viewerCertificate(c.ViewerCertificate)
	w.restrictions(c.Restrictions)
	w.Text("WebACLId", c.WebACLID)
	w.Text("HttpVersion", httpVersion(c.HTTPVersion))
	w.Bool("IsIPV6Enabled", c.IsIPV6Enabled)
}

// optText writes a string member that is absent when empty.
func (w *writer) optText(name, v string) {
	if v != "" {
		w.Text(name, v)
	}
}

func (w *writer) optBool(name string, v *bool) {
	if v != nil {
		w.Bool(name, *v)
	}
}

func (w *writer) tenantConfig(t *cloudfront.TenantConfig) {
	if t == nil {
		return
	}
	w.Open("TenantConfig")
	if len(t.ParameterDefinitions) > 0 {
		w.Open("ParameterDefinitions")
		for _, p := range t.ParameterDefinitions {
			w.Open("member")
			w.Text("Name", p.Name)
			w.Open("Definition")
			if s := p.StringSchema; s != nil {
				w.Open("StringSchema")
				if s.Comment != nil {
					w.Text("Comment", *s.Comment)
				}
				if s.DefaultValue != nil {
					w.Text("DefaultValue", *s.DefaultValue)
				}
				w.Bool("Required", s.Required)
				w.Close("StringSchema")
			}
			w.Close("Definition")
			w.Close("member")
		}
		w.Close("ParameterDefinitions")
	}
	w.Close("TenantConfig")
}

func (w *writer) viewerMTLSConfig(m *cloudfront.ViewerMTLSConfig) {
	if m == nil {
		return
	}
	w.Open("ViewerMtlsConfig")
	w.optText("Mode", m.Mode)
	if t := m.TrustStore; t != nil {
		w.Open("TrustStoreConfig")
		w.Text("TrustStoreId", t.ID)
		w.optBool("AdvertiseTrustStoreCaNames", t.AdvertiseTrustStoreCANames)
		w.optBool("IgnoreCertificateExpiry", t.IgnoreCertificateExpiry)
		w.Close("TrustStoreConfig")
	}
	w.Close("ViewerMtlsConfig")
}

func (w *writer) connectionFunctionAssociation(id string) {
	if id != "" {
		w.Open("ConnectionFunctionAssociation")
		w.Text("Id", id)
		w.Close("ConnectionFunctionAssociation")
	}
}

func (w *writer) origins(origins []cloudfront.Origin) {
	w.Open("Origins")
	xmlwire.QuantityItems(w.Writer, origins, func(o cloudfront.Origin) {
		w.origin(o)
	})
	w.Close("Origins")
}

func (w *writer) origin(o cloudfront.Origin) {
	w.Open("Origin")
	w.Text("Id", o.ID)
	w.Text("DomainName", o.DomainName)
	w.Text("OriginPath", o.OriginPath)
	w.Open("CustomHeaders")
	xmlwire.QuantityItems(w.Writer, o.CustomHeaders, func(h cloudfront.CustomHeader) {
		w.Open("OriginCustomHeader")
		w.Text("HeaderName", h.Name)
		w.Text("HeaderValue", h.Value)
		w.Close("OriginCustomHeader")
	})
	w.Close("CustomHeaders")
	if s := o.S3; s != nil {
		w.Open("S3OriginConfig")
		w.Text("OriginAccessIdentity", s.OriginAccessIdentity)
		if s.OriginReadTimeout != nil {
			w.Int("OriginReadTimeout", int64(*s.OriginReadTimeout))
		}
		w.Close("S3OriginConfig")
	}
	if c := o.Custom; c != nil {
		w.Open("CustomOriginConfig")
		w.Int("HTTPPort", int64(c.HTTPPort))
		w.Int("HTTPSPort", int64(c.HTTPSPort))
		w.Text("OriginProtocolPolicy", c.OriginProtocolPolicy)
		protocols := c.OriginSSLProtocols
		if protocols == nil {
			protocols = cloudfront.DefaultOriginSSLProtocols
		}
		w.Strings("OriginSslProtocols", "SslProtocol", protocols)
		w.Int("OriginReadTimeout", int64(orDefault(c.OriginReadTimeout, cloudfront.DefaultOriginReadTimeout)))
		w.Int("OriginKeepaliveTimeout", int64(orDefault(c.OriginKeepaliveTimeout, cloudfront.DefaultOriginKeepaliveTimeout)))
		w.optText("IpAddressType", c.IPAddressType)
		if c.MTLSCertificateARN != "" {
			w.Open("OriginMtlsConfig")
			w.Text("ClientCertificateArn", c.MTLSCertificateARN)
			w.Close("OriginMtlsConfig")
		}
		w.Close("CustomOriginConfig")
	}
	if v := o.VPCOrigin; v != nil {
		w.Open("VpcOriginConfig")
		w.Text("VpcOriginId", v.ID)
		w.optText("OwnerAccountId", v.OwnerAccountID)
		if v.OriginReadTimeout != nil {
			w.Int("OriginReadTimeout", int64(*v.OriginReadTimeout))
		}
		if v.OriginKeepaliveTimeout != nil {
			w.Int("OriginKeepaliveTimeout", int64(*v.OriginKeepaliveTimeout))
		}
		w.Close("VpcOriginConfig")
	}
	w.Int("ConnectionAttempts", int64(orDefault(o.ConnectionAttempts, cloudfront.DefaultConnectionAttempts)))
	w.Int("ConnectionTimeout", int64(orDefault(o.ConnectionTimeout, cloudfront.DefaultConnectionTimeout)))
	if o.ResponseCompletionTimeout != nil {
		w.Int("ResponseCompletionTimeout", int64(*o.ResponseCompletionTimeout))
	}
	w.Open("OriginShield")
	w.Bool("Enabled", o.OriginShield.Enabled)
	if o.OriginShield.Region != "" {
		w.Text("OriginShieldRegion", o.OriginShield.Region)
	}
	w.Close("OriginShield")
	w.Text("OriginAccessControlId", o.OriginAccessControlID)
	w.Close("Origin")
}

func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func (w *writer) originGroups(gs []cloudfront.OriginGroup) {
	w.Open("OriginGroups")
	xmlwire.QuantityItems(w.Writer, gs, func(g cloudfront.OriginGroup) {
		w.Open("OriginGroup")
		w.Text("Id", g.ID)
		w.Open("FailoverCriteria")
		w.Open("StatusCodes")
		xmlwire.QuantityItems(w.Writer, g.StatusCodes, func(s int) {
			w.Int("StatusCode", int64(s))
		})
		w.Close("StatusCodes")
		w.Close("FailoverCriteria")
		w.Open("Members")
		xmlwire.QuantityItems(w.Writer, g.Members, func(m string) {
			w.Open("OriginGroupMember")
			w.Text("OriginId", m)
			w.Close("OriginGroupMember")
		})
		w.Close("Members")
		if g.SelectionCriteria != "" {
			w.Text("SelectionCriteria", g.SelectionCriteria)
		}
		w.Close("OriginGroup")
	})
	w.Close("OriginGroups")
}

func (w *writer) defaultCacheBehavior(b cloudfront.CacheBehavior) {
	w.Open("DefaultCacheBehavior")
	w.cacheBehaviorBody(b)
	w.Close("DefaultCacheBehavior")
}

func (w *writer) cacheBehaviors(bs []cloudfront.CacheBehavior) {
	w.Open("CacheBehaviors")
	xmlwire.QuantityItems(w.Writer, bs, func(b cloudfront.CacheBehavior) {
		w.Open("CacheBehavior")
		w.Text("PathPattern", b.PathPattern)
		w.cacheBehaviorBody(b)
		w.Close("CacheBehavior")
	})
	w.Close("CacheBehaviors")
}

// cacheBehaviorBody writes the members shared by DefaultCacheBehavior and
// CacheBehavior, in the model's order. ForwardedValues and the TTLs are
// written only for legacy cache settings; with a cache policy CloudFront
// has none.
func (w *writer) cacheBehaviorBody(b cloudfront.CacheBehavior) {
	w.Text("TargetOriginId", b.TargetOriginID)
	shapes.TrustedSigners(w.Writer, b.TrustedSigners)
	w.Open("TrustedKeyGroups")
	w.Bool("Enabled", b.TrustedKeyGroups.Enabled)
	xmlwire.QuantityItems(w.Writer, b.TrustedKeyGroups.Items, func(k string) {
		w.Text("KeyGroup", k)
	})
	w.Close("TrustedKeyGroups")
	w.Text("ViewerProtocolPolicy", b.ViewerProtocolPolicy)
	allowed, cached := b.AllowedMethods, b.CachedMethods
	if allowed == nil {
		allowed = cloudfront.DefaultMethods
	}
	if cached == nil {
		cached = cloudfront.DefaultMethods
	}
	w.Open("AllowedMethods")
	w.Int("Quantity", int64(len(allowed)))
	w.Open("Items")
	for _, m := range allowed {
		w.Text("Method", m)
	}
	w.Close("Items")
	w.Strings("CachedMethods", "Method", cached)
	w.Close("AllowedMethods")
	w.Bool("SmoothStreaming", b.SmoothStreaming)
	w.Bool("Compress", b.Compress)
	w.Open("LambdaFunctionAssociations")
	w.Int("Quantity", 0)
	w.Close("LambdaFunctionAssociations")
	w.Open("FunctionAssociations")
	xmlwire.QuantityItems(w.Writer, b.FunctionAssociations, func(fa cloudfront.FunctionAssociation) {
		w.Open("FunctionAssociation")
		w.Text("FunctionARN", fa.FunctionARN)
		w.Text("EventType", fa.EventType)
		w.Close("FunctionAssociation")
	})
	w.Close("FunctionAssociations")
	w.Text("FieldLevelEncryptionId", "")
	if b.CachePolicyID != "" {
		w.Text("CachePolicyId", b.CachePolicyID)
	}
	if b.OriginRequestPolicyID != "" {
		w.Text("OriginRequestPolicyId", b.OriginRequestPolicyID)
	}
	if b.ResponseHeadersPolicyID != "" {
		w.Text("ResponseHeadersPolicyId", b.ResponseHeadersPolicyID)
	}
	if b.GRPC != nil {
		w.Open("GrpcConfig")
		w.Bool("Enabled", b.GRPC.Enabled)
		w.Close("GrpcConfig")
	}
	if !b.LegacyCacheSettings() {
		return
	}
	w.Open("ForwardedValues")
	w.Bool("QueryString", b.QueryString)
	w.Open("Cookies")
	w.Text("Forward", b.Cookies.Forward)
	if b.Cookies.WhitelistedNames != nil {
		w.Strings("WhitelistedNames", "Name", b.Cookies.WhitelistedNames)
	}
	w.Close("Cookies")
	w.Strings("Headers", "Name", b.Headers)
	w.Strings("QueryStringCacheKeys", "Name", b.QueryStringCacheKeys)
	w.Close("ForwardedValues")
	w.Int("MinTTL", b.MinTTL)
	w.Int("DefaultTTL", b.EffectiveDefaultTTL())
	w.Int("MaxTTL", b.EffectiveMaxTTL())
}

func (w *writer) customErrorResponses(rs []cloudfront.CustomErrorResponse) {
	w.Open("CustomErrorResponses")
	xmlwire.QuantityItems(w.Writer, rs, func(r cloudfront.CustomErrorResponse) {
		w.Open("CustomErrorResponse")
		w.Int("ErrorCode", int64(r.ErrorCode))
		w.Text("ResponsePagePath", r.ResponsePagePath)
		w.Text("ResponseCode", r.ResponseCode)
		if r.ErrorCachingMinTTL != nil {
			w.Int("ErrorCachingMinTTL", *r.ErrorCachingMinTTL)
		}
		w.Close("CustomErrorResponse")
	})
	w.Close("CustomErrorResponses")
}

func (w *writer) viewerCertificate(v *cloudfront.ViewerCertificate) {
	if v == nil {
		d := cloudfront.DefaultViewerCertificate()
		v = &d
	}
	w.Open("ViewerCertificate")
	if v.CloudFrontDefaultCertificate {
		w.Bool("CloudFrontDefaultCertificate", true)
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
			w.Text(m.name, m.value)
		}
	}
	w.Close("ViewerCertificate")
}

func (w *writer) restrictions(g cloudfront.GeoRestriction) {
	t := g.RestrictionType
	if t == "" {
		t = cloudfront.GeoNone
	}
	w.Open("Restrictions")
	w.Open("GeoRestriction")
	w.Text("RestrictionType", t)
	xmlwire.QuantityItems(w.Writer, g.Locations, func(l string) {
		w.Text("Location", l)
	})
	w.Close("GeoRestriction")
	w.Close("Restrictions")
}

func (w *writer) activeTrustedKeyGroups(a cloudfront.ActiveTrustedKeyGroups) {
	w.Open("ActiveTrustedKeyGroups")
	w.Bool("Enabled", a.Enabled)
	xmlwire.QuantityItems(w.Writer, a.Items, func(k cloudfront.KeyGroupSigner) {
		w.Open("KeyGroup")
		w.Text("KeyGroupId", k.KeyGroupID)
		w.Strings("KeyPairIds", "KeyPairId", k.KeyPairIDs)
		w.Close("KeyGroup")
	})
	w.Close("ActiveTrustedKeyGroups")
}
