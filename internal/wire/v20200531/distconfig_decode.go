package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
)

// DecodeDistributionConfig decodes a DistributionConfig request body
// (CreateDistribution, UpdateDistribution).
func DecodeDistributionConfig(body []byte) (cloudfront.DistributionConfig, error) {
	root, err := parse(body, "DistributionConfig")
	if err != nil {
		return cloudfront.DistributionConfig{}, err
	}
	var d decoder
	c := d.distributionConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.DistributionConfig{}, err
	}
	return c, nil
}

// DecodeDistributionConfigWithTags decodes a DistributionConfigWithTags
// request body (CreateDistributionWithTags).
func DecodeDistributionConfigWithTags(body []byte) (cloudfront.DistributionConfig, []cloudfront.Tag, error) {
	root, err := parse(body, "DistributionConfigWithTags")
	if err != nil {
		return cloudfront.DistributionConfig{}, nil, err
	}
	var d decoder
	f := d.Open(root, "DistributionConfig", "Tags")
	c := d.distributionConfig(f.Req("DistributionConfig"))
	tags := d.tags(f.Req("Tags"))
	if err := d.Result(); err != nil {
		return cloudfront.DistributionConfig{}, nil, err
	}
	return c, tags, nil
}

func (d *decoder) distributionConfig(n *node) cloudfront.DistributionConfig {
	f := d.Open(n, "CallerReference", "Aliases", "DefaultRootObject", "Origins", "OriginGroups",
		"DefaultCacheBehavior", "CacheBehaviors", "CustomErrorResponses", "Comment", "Logging", "PriceClass", "Enabled",
		"ViewerCertificate", "Restrictions", "WebACLId", "HttpVersion", "IsIPV6Enabled",
		"ContinuousDeploymentPolicyId", "Staging", "AnycastIpListId", "TenantConfig", "ConnectionMode",
		"ViewerMtlsConfig", "ConnectionFunctionAssociation", "CacheTagConfig")
	c := cloudfront.DistributionConfig{
		CallerReference:   d.Str(f.Req("CallerReference")),
		DefaultRootObject: d.Str(f.Opt("DefaultRootObject")),
	}
	if a := f.Opt("Aliases"); a != nil {
		c.Aliases = d.Strings(a, "CNAME")
	}
	for _, o := range d.List(f.Req("Origins"), "Origin") {
		c.Origins = append(c.Origins, d.origin(o))
	}
	if g := f.Opt("OriginGroups"); g != nil {
		for _, o := range d.List(g, "OriginGroup") {
			c.OriginGroups = append(c.OriginGroups, d.originGroup(o))
		}
	}
	c.DefaultCacheBehavior = d.cacheBehavior(f.Req("DefaultCacheBehavior"), false)
	if bs := f.Opt("CacheBehaviors"); bs != nil {
		for _, b := range d.List(bs, "CacheBehavior") {
			c.CacheBehaviors = append(c.CacheBehaviors, d.cacheBehavior(b, true))
		}
	}
	if es := f.Opt("CustomErrorResponses"); es != nil {
		for _, e := range d.List(es, "CustomErrorResponse") {
			c.CustomErrorResponses = append(c.CustomErrorResponses, d.customErrorResponse(e))
		}
	}
	c.Comment = d.Str(f.Req("Comment"))
	if l := f.Opt("Logging"); l != nil {
		lf := d.Open(l, "Enabled", "IncludeCookies", "Bucket", "Prefix")
		c.Logging = cloudfront.Logging{
			Enabled:        d.Boolean(lf.Opt("Enabled")),
			IncludeCookies: d.Boolean(lf.Opt("IncludeCookies")),
			Bucket:         d.Str(lf.Opt("Bucket")),
			Prefix:         d.Str(lf.Opt("Prefix")),
		}
	}
	// CloudFront's default price class is All.
	c.PriceClass = cloudfront.PriceClassAll
	if pc := f.Opt("PriceClass"); pc != nil {
		c.PriceClass = d.Str(pc)
	}
	c.Enabled = d.Boolean(f.Req("Enabled"))
	if v := f.Opt("ViewerCertificate"); v != nil {
		c.ViewerCertificate = d.viewerCertificate(v)
	}
	if r := f.Opt("Restrictions"); r != nil {
		rf := d.Open(r, "GeoRestriction")
		gf := d.Open(rf.Req("GeoRestriction"), "RestrictionType", "Quantity", "Items")
		c.Restrictions = cloudfront.GeoRestriction{
			RestrictionType: d.Str(gf.Req("RestrictionType")),
			Locations:       d.Texts(d.Items(gf, "Location")),
		}
	}
	c.WebACLID = d.Str(f.Opt("WebACLId"))
	c.HTTPVersion = d.Str(f.Opt("HttpVersion"))
	c.IsIPV6Enabled = d.Boolean(f.Opt("IsIPV6Enabled"))
	c.ContinuousDeploymentPolicyID = d.Str(f.Opt("ContinuousDeploymentPolicyId"))
	c.Staging = d.Boolean(f.Opt("Staging"))
	c.AnycastIPListID = d.Str(f.Opt("AnycastIpListId"))
	if t := f.Opt("TenantConfig"); t != nil {
		c.TenantConfig = d.tenantConfig(t)
	}
	c.ConnectionMode = d.Str(f.Opt("ConnectionMode"))
	if m := f.Opt("ViewerMtlsConfig"); m != nil {
		c.ViewerMTLSConfig = d.viewerMTLSConfig(m)
	}
	if a := f.Opt("ConnectionFunctionAssociation"); a != nil {
		af := d.Open(a, "Id")
		c.ConnectionFunctionID = d.required(af.Req("Id"))
	}
	if t := f.Opt("CacheTagConfig"); t != nil {
		tf := d.Open(t, "HeaderName")
		c.CacheTagHeaderName = d.required(tf.Req("HeaderName"))
	}
	return c
}

// required decodes a required string member that the model gives a
// minimum length of 1, or that only makes sense non-empty: an empty one
// is InvalidArgument, so that "" in the model always means absent.
func (d *decoder) required(n *node) string {
	v := d.Str(n)
	if n != nil && v == "" && !d.Failed() {
		d.Refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "The element %s must not be empty.", n.Path))
	}
	return v
}

func (d *decoder) tenantConfig(n *node) *cloudfront.TenantConfig {
	f := d.Open(n, "ParameterDefinitions")
	t := &cloudfront.TenantConfig{}
	// A list without Quantity and Items: its members are <member> elements,
	// as the model names none.
	for _, m := range d.ItemsOnly(f.Opt("ParameterDefinitions"), "member") {
		mf := d.Open(m, "Name", "Definition")
		p := cloudfront.ParameterDefinition{Name: d.Str(mf.Req("Name"))}
		df := d.Open(mf.Req("Definition"), "StringSchema")
		if s := df.Opt("StringSchema"); s != nil {
			sf := d.Open(s, "Comment", "DefaultValue", "Required")
			p.StringSchema = &cloudfront.StringSchema{
				Comment:      d.optStr(sf.Opt("Comment")),
				DefaultValue: d.optStr(sf.Opt("DefaultValue")),
				Required:     d.Boolean(sf.Req("Required")),
			}
		}
		t.ParameterDefinitions = append(t.ParameterDefinitions, p)
	}
	return t
}

func (d *decoder) viewerMTLSConfig(n *node) *cloudfront.ViewerMTLSConfig {
	f := d.Open(n, "Mode", "TrustStoreConfig")
	m := &cloudfront.ViewerMTLSConfig{Mode: d.Str(f.Opt("Mode"))}
	if t := f.Opt("TrustStoreConfig"); t != nil {
		tf := d.Open(t, "TrustStoreId", "AdvertiseTrustStoreCaNames", "IgnoreCertificateExpiry")
		m.TrustStore = &cloudfront.TrustStoreConfig{
			ID:                         d.required(tf.Req("TrustStoreId")),
			AdvertiseTrustStoreCANames: d.optBool(tf.Opt("AdvertiseTrustStoreCaNames")),
			IgnoreCertificateExpiry:    d.optBool(tf.Opt("IgnoreCertificateExpiry")),
		}
	}
	return m
}

func (d *decoder) origin(n *node) cloudfront.Origin {
	f := d.Open(n, "Id", "DomainName", "OriginPath", "CustomHeaders", "S3OriginConfig", "CustomOriginConfig",
		"VpcOriginConfig", "ConnectionAttempts", "ConnectionTimeout", "ResponseCompletionTimeout", "OriginShield",
		"OriginAccessControlId")
	o := cloudfront.Origin{
		ID:                    d.Str(f.Req("Id")),
		DomainName:            d.Str(f.Req("DomainName")),
		OriginPath:            d.Str(f.Opt("OriginPath")),
		OriginAccessControlID: d.Str(f.Opt("OriginAccessControlId")),
	}
	if h := f.Opt("CustomHeaders"); h != nil {
		for _, k := range d.List(h, "OriginCustomHeader") {
			hf := d.Open(k, "HeaderName", "HeaderValue")
			o.CustomHeaders = append(o.CustomHeaders, cloudfront.CustomHeader{
				Name: d.Str(hf.Req("HeaderName")), Value: d.Str(hf.Req("HeaderValue"))})
		}
	}
	if s := f.Opt("S3OriginConfig"); s != nil {
		sf := d.Open(s, "OriginAccessIdentity", "OriginReadTimeout")
		o.S3 = &cloudfront.S3OriginConfig{
			OriginAccessIdentity: d.Str(sf.Req("OriginAccessIdentity")),
			OriginReadTimeout:    d.optInt(sf.Opt("OriginReadTimeout")),
		}
	}
	if c := f.Opt("CustomOriginConfig"); c != nil {
		cf := d.Open(c, "HTTPPort", "HTTPSPort", "OriginProtocolPolicy", "OriginSslProtocols", "OriginReadTimeout",
			"OriginKeepaliveTimeout", "IpAddressType", "OriginMtlsConfig")
		o.Custom = &cloudfront.CustomOriginConfig{
			HTTPPort:               d.IntegerInt(cf.Req("HTTPPort")),
			HTTPSPort:              d.IntegerInt(cf.Req("HTTPSPort")),
			OriginProtocolPolicy:   d.Str(cf.Req("OriginProtocolPolicy")),
			OriginReadTimeout:      d.optInt(cf.Opt("OriginReadTimeout")),
			OriginKeepaliveTimeout: d.optInt(cf.Opt("OriginKeepaliveTimeout")),
			IPAddressType:          d.Str(cf.Opt("IpAddressType")),
		}
		if p := cf.Opt("OriginSslProtocols"); p != nil {
			o.Custom.OriginSSLProtocols = append([]string{}, d.Strings(p, "SslProtocol")...)
		}
		if m := cf.Opt("OriginMtlsConfig"); m != nil {
			mf := d.Open(m, "ClientCertificateArn")
			o.Custom.MTLSCertificateARN = d.required(mf.Req("ClientCertificateArn"))
		}
	}
	if v := f.Opt("VpcOriginConfig"); v != nil {
		vf := d.Open(v, "VpcOriginId", "OwnerAccountId", "OriginReadTimeout", "OriginKeepaliveTimeout")
		o.VPCOrigin = &cloudfront.VPCOriginConfig{
			ID:                     d.required(vf.Req("VpcOriginId")),
			OwnerAccountID:         d.Str(vf.Opt("OwnerAccountId")),
			OriginReadTimeout:      d.optInt(vf.Opt("OriginReadTimeout")),
			OriginKeepaliveTimeout: d.optInt(vf.Opt("OriginKeepaliveTimeout")),
		}
	}
	o.ConnectionAttempts = d.optInt(f.Opt("ConnectionAttempts"))
	o.ConnectionTimeout = d.optInt(f.Opt("ConnectionTimeout"))
	o.ResponseCompletionTimeout = d.optInt(f.Opt("ResponseCompletionTimeout"))
	if s := f.Opt("OriginShield"); s != nil {
		sf := d.Open(s, "Enabled", "OriginShieldRegion")
		o.OriginShield = cloudfront.OriginShield{
			Enabled: d.Boolean(sf.Req("Enabled")),
			Region:  d.Str(sf.Opt("OriginShieldRegion")),
		}
	}
	return o
}

func (d *decoder) originGroup(n *node) cloudfront.OriginGroup {
	f := d.Open(n, "Id", "FailoverCriteria", "Members", "SelectionCriteria")
	g := cloudfront.OriginGroup{ID: d.Str(f.Req("Id")), SelectionCriteria: d.Str(f.Opt("SelectionCriteria"))}
	fc := d.Open(f.Req("FailoverCriteria"), "StatusCodes")
	for _, s := range d.List(fc.Req("StatusCodes"), "StatusCode") {
		g.StatusCodes = append(g.StatusCodes, d.IntegerInt(s))
	}
	for _, m := range d.List(f.Req("Members"), "OriginGroupMember") {
		mf := d.Open(m, "OriginId")
		g.Members = append(g.Members, d.Str(mf.Req("OriginId")))
	}
	return g
}

// cacheBehavior decodes DefaultCacheBehavior (withPattern false) or one
// CacheBehavior (withPattern true, PathPattern required).
func (d *decoder) cacheBehavior(n *node, withPattern bool) cloudfront.CacheBehavior {
	names := []string{"TargetOriginId", "TrustedSigners", "TrustedKeyGroups", "ViewerProtocolPolicy",
		"AllowedMethods", "SmoothStreaming", "Compress", "LambdaFunctionAssociations", "FunctionAssociations",
		"FieldLevelEncryptionId", "RealtimeLogConfigArn", "CachePolicyId", "OriginRequestPolicyId",
		"ResponseHeadersPolicyId", "GrpcConfig", "ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"}
	if withPattern {
		names = append(names, "PathPattern")
	}
	f := d.Open(n, names...)
	var b cloudfront.CacheBehavior
	if withPattern {
		b.PathPattern = d.Str(f.Req("PathPattern"))
	}
	b.TargetOriginID = d.Str(f.Req("TargetOriginId"))
	if ts := f.Opt("TrustedSigners"); ts != nil {
		b.TrustedSigners = shapes.DecodeTrustedSigners(&d.Decoder, ts)
	}
	if kg := f.Opt("TrustedKeyGroups"); kg != nil {
		kf := d.Open(kg, "Enabled", "Quantity", "Items")
		b.TrustedKeyGroups = cloudfront.TrustedKeyGroups{
			Enabled: d.Boolean(kf.Req("Enabled")),
			Items:   d.Texts(d.Items(kf, "KeyGroup")),
		}
	}
	b.ViewerProtocolPolicy = d.Str(f.Req("ViewerProtocolPolicy"))
	if am := f.Opt("AllowedMethods"); am != nil {
		af := d.Open(am, "Quantity", "Items", "CachedMethods")
		b.AllowedMethods = append([]string{}, d.Texts(d.Items(af, "Method"))...)
		if cm := af.Opt("CachedMethods"); cm != nil {
			b.CachedMethods = append([]string{}, d.Strings(cm, "Method")...)
		}
	}
	b.SmoothStreaming = d.Boolean(f.Opt("SmoothStreaming"))
	b.Compress = d.Boolean(f.Opt("Compress"))
	if la := f.Opt("LambdaFunctionAssociations"); la != nil && len(d.List(la, "LambdaFunctionAssociation")) > 0 {
		d.Refuse(cloudfront.Errorf(cloudfront.InvalidLambdaFunctionAssociation, "openfront does not run Lambda@Edge functions; use CloudFront Functions."))
	}
	if fa := f.Opt("FunctionAssociations"); fa != nil {
		for _, a := range d.List(fa, "FunctionAssociation") {
			af := d.Open(a, "FunctionARN", "EventType")
			b.FunctionAssociations = append(b.FunctionAssociations, cloudfront.FunctionAssociation{
				FunctionARN: d.Str(af.Req("FunctionARN")), EventType: d.Str(af.Req("EventType"))})
		}
	}
	if id := d.Str(f.Opt("FieldLevelEncryptionId")); id != "" {
		d.Refuse(cloudfront.Errorf(cloudfront.NoSuchFieldLevelEncryptionConfig, "The field-level encryption configuration %s does not exist: openfront has none.", id))
	}
	if arn := d.Str(f.Opt("RealtimeLogConfigArn")); arn != "" {
		d.Refuse(cloudfront.Errorf(cloudfront.NoSuchRealtimeLogConfig, "The real-time log configuration %s does not exist: openfront has none.", arn))
	}
	b.CachePolicyID = d.Str(f.Opt("CachePolicyId"))
	b.OriginRequestPolicyID = d.Str(f.Opt("OriginRequestPolicyId"))
	b.ResponseHeadersPolicyID = d.Str(f.Opt("ResponseHeadersPolicyId"))
	if g := f.Opt("GrpcConfig"); g != nil {
		gf := d.Open(g, "Enabled")
		b.GRPC = &cloudfront.GRPCConfig{Enabled: d.Boolean(gf.Req("Enabled"))}
	}
	if fv := f.Opt("ForwardedValues"); fv != nil {
		ff := d.Open(fv, "QueryString", "Cookies", "Headers", "QueryStringCacheKeys")
		b.QueryString = d.Boolean(ff.Req("QueryString"))
		cf := d.Open(ff.Req("Cookies"), "Forward", "WhitelistedNames")
		b.Cookies.Forward = d.Str(cf.Req("Forward"))
		if wl := cf.Opt("WhitelistedNames"); wl != nil {
			// Present means non-nil, even when empty (see v20120701).
			b.Cookies.WhitelistedNames = append([]string{}, d.Strings(wl, "Name")...)
		}
		if h := ff.Opt("Headers"); h != nil {
			b.Headers = d.Strings(h, "Name")
		}
		if q := ff.Opt("QueryStringCacheKeys"); q != nil {
			b.QueryStringCacheKeys = d.Strings(q, "Name")
		}
	} else if b.CachePolicyID == "" && !d.Failed() && n != nil {
		d.Refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "The %s needs either a CachePolicyId or ForwardedValues.", n.Path))
	}
	b.MinTTL = d.Integer(f.Opt("MinTTL"), 64)
	b.DefaultTTL = d.optInt64(f.Opt("DefaultTTL"))
	b.MaxTTL = d.optInt64(f.Opt("MaxTTL"))
	return b
}

func (d *decoder) customErrorResponse(n *node) cloudfront.CustomErrorResponse {
	f := d.Open(n, "ErrorCode", "ResponsePagePath", "ResponseCode", "ErrorCachingMinTTL")
	return cloudfront.CustomErrorResponse{
		ErrorCode:          d.IntegerInt(f.Req("ErrorCode")),
		ResponsePagePath:   d.Str(f.Opt("ResponsePagePath")),
		ResponseCode:       d.Str(f.Opt("ResponseCode")),
		ErrorCachingMinTTL: d.optInt64(f.Opt("ErrorCachingMinTTL")),
	}
}

func (d *decoder) viewerCertificate(n *node) *cloudfront.ViewerCertificate {
	f := d.Open(n, "CloudFrontDefaultCertificate", "IAMCertificateId", "ACMCertificateArn", "SSLSupportMethod",
		"MinimumProtocolVersion", "Certificate", "CertificateSource")
	return &cloudfront.ViewerCertificate{
		CloudFrontDefaultCertificate: d.Boolean(f.Opt("CloudFrontDefaultCertificate")),
		IAMCertificateID:             d.Str(f.Opt("IAMCertificateId")),
		ACMCertificateARN:            d.Str(f.Opt("ACMCertificateArn")),
		SSLSupportMethod:             d.Str(f.Opt("SSLSupportMethod")),
		MinimumProtocolVersion:       d.Str(f.Opt("MinimumProtocolVersion")),
		Certificate:                  d.Str(f.Opt("Certificate")),
		CertificateSource:            d.Str(f.Opt("CertificateSource")),
	}
}

// optional decodes an optional member with read: nil when absent, so
// that a member sent with its default stays distinguishable.
func optional[T any](n *node, read func(*node) T) *T {
	if n == nil {
		return nil
	}
	v := read(n)
	return &v
}

func (d *decoder) optInt(n *node) *int    { return optional(n, d.IntegerInt) }
func (d *decoder) optBool(n *node) *bool  { return optional(n, d.Boolean) }
func (d *decoder) optStr(n *node) *string { return optional(n, d.Str) }
func (d *decoder) optInt64(n *node) *int64 {
	return optional(n, func(n *node) int64 { return d.Integer(n, 64) })
}
