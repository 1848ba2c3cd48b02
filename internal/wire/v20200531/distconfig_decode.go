package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
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
	if err := d.result(); err != nil {
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
	f := d.open(root, "DistributionConfig", "Tags")
	c := d.distributionConfig(f.req("DistributionConfig"))
	tags := d.tags(f.req("Tags"))
	if err := d.result(); err != nil {
		return cloudfront.DistributionConfig{}, nil, err
	}
	return c, tags, nil
}

// Members of the model that openfront recognises but does not support.
var unsupportedConfigMembers = []string{"AnycastIpListId", "TenantConfig", "ConnectionMode",
	"ViewerMtlsConfig", "ConnectionFunctionAssociation", "CacheTagConfig"}

func (d *decoder) distributionConfig(n *node) cloudfront.DistributionConfig {
	f := d.open(n, append([]string{"CallerReference", "Aliases", "DefaultRootObject", "Origins", "OriginGroups",
		"DefaultCacheBehavior", "CacheBehaviors", "CustomErrorResponses", "Comment", "Logging", "PriceClass", "Enabled",
		"ViewerCertificate", "Restrictions", "WebACLId", "HttpVersion", "IsIPV6Enabled",
		"ContinuousDeploymentPolicyId", "Staging"}, unsupportedConfigMembers...)...)
	c := cloudfront.DistributionConfig{
		CallerReference:   d.str(f.req("CallerReference")),
		DefaultRootObject: d.str(f.opt("DefaultRootObject")),
	}
	if a := f.opt("Aliases"); a != nil {
		c.Aliases = d.strings(a, "CNAME")
	}
	for _, o := range d.list(f.req("Origins"), "Origin") {
		c.Origins = append(c.Origins, d.origin(o))
	}
	if g := f.opt("OriginGroups"); g != nil {
		for _, o := range d.list(g, "OriginGroup") {
			c.OriginGroups = append(c.OriginGroups, d.originGroup(o))
		}
	}
	c.DefaultCacheBehavior = d.cacheBehavior(f.req("DefaultCacheBehavior"), false)
	if bs := f.opt("CacheBehaviors"); bs != nil {
		for _, b := range d.list(bs, "CacheBehavior") {
			c.CacheBehaviors = append(c.CacheBehaviors, d.cacheBehavior(b, true))
		}
	}
	if es := f.opt("CustomErrorResponses"); es != nil {
		for _, e := range d.list(es, "CustomErrorResponse") {
			c.CustomErrorResponses = append(c.CustomErrorResponses, d.customErrorResponse(e))
		}
	}
	c.Comment = d.str(f.req("Comment"))
	if l := f.opt("Logging"); l != nil {
		lf := d.open(l, "Enabled", "IncludeCookies", "Bucket", "Prefix")
		c.Logging = cloudfront.Logging{
			Enabled:        d.boolean(lf.opt("Enabled")),
			IncludeCookies: d.boolean(lf.opt("IncludeCookies")),
			Bucket:         d.str(lf.opt("Bucket")),
			Prefix:         d.str(lf.opt("Prefix")),
		}
	}
	// CloudFront's default price class is All.
	c.PriceClass = cloudfront.PriceClassAll
	if pc := f.opt("PriceClass"); pc != nil {
		c.PriceClass = d.str(pc)
	}
	c.Enabled = d.boolean(f.req("Enabled"))
	if v := f.opt("ViewerCertificate"); v != nil {
		c.ViewerCertificate = d.viewerCertificate(v)
	}
	if r := f.opt("Restrictions"); r != nil {
		rf := d.open(r, "GeoRestriction")
		gf := d.open(rf.req("GeoRestriction"), "RestrictionType", "Quantity", "Items")
		c.Restrictions = cloudfront.GeoRestriction{
			RestrictionType: d.str(gf.req("RestrictionType")),
			Locations:       d.texts(d.items(gf, "Location")),
		}
	}
	c.WebACLID = d.str(f.opt("WebACLId"))
	c.HTTPVersion = d.str(f.opt("HttpVersion"))
	c.IsIPV6Enabled = d.boolean(f.opt("IsIPV6Enabled"))
	c.ContinuousDeploymentPolicyID = d.str(f.opt("ContinuousDeploymentPolicyId"))
	c.Staging = d.boolean(f.opt("Staging"))
	for _, name := range unsupportedConfigMembers {
		d.unsupported(f.opt(name), name)
	}
	return c
}

// unsupported refuses a member openfront does not support. An empty
// string member (AnycastIpListId) and ConnectionMode "direct", the
// default, say nothing and pass.
func (d *decoder) unsupported(n *node, what string) {
	if n == nil || d.err != nil {
		return
	}
	if len(n.kids) == 0 {
		if v := string(n.text); v == "" || what == "ConnectionMode" && v == "direct" {
			return
		}
	}
	d.refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "openfront does not support %s.", what))
}

// refuse records a semantic error found while decoding; a structural error
// found earlier or later wins, as MalformedXML always does.
func (d *decoder) refuse(e *cloudfront.Error) {
	if d.refused == nil {
		d.refused = e
	}
}

func (d *decoder) origin(n *node) cloudfront.Origin {
	f := d.open(n, "Id", "DomainName", "OriginPath", "CustomHeaders", "S3OriginConfig", "CustomOriginConfig",
		"VpcOriginConfig", "ConnectionAttempts", "ConnectionTimeout", "ResponseCompletionTimeout", "OriginShield",
		"OriginAccessControlId")
	o := cloudfront.Origin{
		ID:                    d.str(f.req("Id")),
		DomainName:            d.str(f.req("DomainName")),
		OriginPath:            d.str(f.opt("OriginPath")),
		OriginAccessControlID: d.str(f.opt("OriginAccessControlId")),
	}
	if h := f.opt("CustomHeaders"); h != nil {
		for _, k := range d.list(h, "OriginCustomHeader") {
			hf := d.open(k, "HeaderName", "HeaderValue")
			o.CustomHeaders = append(o.CustomHeaders, cloudfront.CustomHeader{
				Name: d.str(hf.req("HeaderName")), Value: d.str(hf.req("HeaderValue"))})
		}
	}
	if s := f.opt("S3OriginConfig"); s != nil {
		sf := d.open(s, "OriginAccessIdentity", "OriginReadTimeout")
		o.S3 = &cloudfront.S3OriginConfig{
			OriginAccessIdentity: d.str(sf.req("OriginAccessIdentity")),
			OriginReadTimeout:    d.optInt(sf.opt("OriginReadTimeout")),
		}
	}
	if c := f.opt("CustomOriginConfig"); c != nil {
		cf := d.open(c, "HTTPPort", "HTTPSPort", "OriginProtocolPolicy", "OriginSslProtocols", "OriginReadTimeout",
			"OriginKeepaliveTimeout", "IpAddressType", "OriginMtlsConfig")
		o.Custom = &cloudfront.CustomOriginConfig{
			HTTPPort:               d.integerInt(cf.req("HTTPPort")),
			HTTPSPort:              d.integerInt(cf.req("HTTPSPort")),
			OriginProtocolPolicy:   d.str(cf.req("OriginProtocolPolicy")),
			OriginReadTimeout:      d.optInt(cf.opt("OriginReadTimeout")),
			OriginKeepaliveTimeout: d.optInt(cf.opt("OriginKeepaliveTimeout")),
			IPAddressType:          d.str(cf.opt("IpAddressType")),
		}
		if p := cf.opt("OriginSslProtocols"); p != nil {
			o.Custom.OriginSSLProtocols = append([]string{}, d.strings(p, "SslProtocol")...)
		}
		if cf.opt("OriginMtlsConfig") != nil {
			d.refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "openfront does not support OriginMtlsConfig."))
		}
	}
	if f.opt("VpcOriginConfig") != nil {
		d.refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "openfront does not support VPC origins (VpcOriginConfig)."))
	}
	o.ConnectionAttempts = d.optInt(f.opt("ConnectionAttempts"))
	o.ConnectionTimeout = d.optInt(f.opt("ConnectionTimeout"))
	o.ResponseCompletionTimeout = d.optInt(f.opt("ResponseCompletionTimeout"))
	if s := f.opt("OriginShield"); s != nil {
		sf := d.open(s, "Enabled", "OriginShieldRegion")
		o.OriginShield = cloudfront.OriginShield{
			Enabled: d.boolean(sf.req("Enabled")),
			Region:  d.str(sf.opt("OriginShieldRegion")),
		}
	}
	return o
}

func (d *decoder) originGroup(n *node) cloudfront.OriginGroup {
	f := d.open(n, "Id", "FailoverCriteria", "Members", "SelectionCriteria")
	g := cloudfront.OriginGroup{ID: d.str(f.req("Id")), SelectionCriteria: d.str(f.opt("SelectionCriteria"))}
	fc := d.open(f.req("FailoverCriteria"), "StatusCodes")
	for _, s := range d.list(fc.req("StatusCodes"), "StatusCode") {
		g.StatusCodes = append(g.StatusCodes, d.integerInt(s))
	}
	for _, m := range d.list(f.req("Members"), "OriginGroupMember") {
		mf := d.open(m, "OriginId")
		g.Members = append(g.Members, d.str(mf.req("OriginId")))
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
	f := d.open(n, names...)
	var b cloudfront.CacheBehavior
	if withPattern {
		b.PathPattern = d.str(f.req("PathPattern"))
	}
	b.TargetOriginID = d.str(f.req("TargetOriginId"))
	if ts := f.opt("TrustedSigners"); ts != nil {
		b.TrustedSigners = d.trustedSigners(ts)
	}
	if kg := f.opt("TrustedKeyGroups"); kg != nil {
		kf := d.open(kg, "Enabled", "Quantity", "Items")
		b.TrustedKeyGroups = cloudfront.TrustedKeyGroups{
			Enabled: d.boolean(kf.req("Enabled")),
			Items:   d.texts(d.items(kf, "KeyGroup")),
		}
	}
	b.ViewerProtocolPolicy = d.str(f.req("ViewerProtocolPolicy"))
	if am := f.opt("AllowedMethods"); am != nil {
		af := d.open(am, "Quantity", "Items", "CachedMethods")
		b.AllowedMethods = append([]string{}, d.texts(d.items(af, "Method"))...)
		if cm := af.opt("CachedMethods"); cm != nil {
			b.CachedMethods = append([]string{}, d.strings(cm, "Method")...)
		}
	}
	b.SmoothStreaming = d.boolean(f.opt("SmoothStreaming"))
	b.Compress = d.boolean(f.opt("Compress"))
	if la := f.opt("LambdaFunctionAssociations"); la != nil && len(d.list(la, "LambdaFunctionAssociation")) > 0 {
		d.refuse(cloudfront.Errorf(cloudfront.InvalidLambdaFunctionAssociation, "openfront does not run Lambda@Edge functions; use CloudFront Functions."))
	}
	if fa := f.opt("FunctionAssociations"); fa != nil {
		for _, a := range d.list(fa, "FunctionAssociation") {
			af := d.open(a, "FunctionARN", "EventType")
			b.FunctionAssociations = append(b.FunctionAssociations, cloudfront.FunctionAssociation{
				FunctionARN: d.str(af.req("FunctionARN")), EventType: d.str(af.req("EventType"))})
		}
	}
	if id := d.str(f.opt("FieldLevelEncryptionId")); id != "" {
		d.refuse(cloudfront.Errorf(cloudfront.NoSuchFieldLevelEncryptionConfig, "The field-level encryption configuration %s does not exist: openfront has none.", id))
	}
	if arn := d.str(f.opt("RealtimeLogConfigArn")); arn != "" {
		d.refuse(cloudfront.Errorf(cloudfront.NoSuchRealtimeLogConfig, "The real-time log configuration %s does not exist: openfront has none.", arn))
	}
	b.CachePolicyID = d.str(f.opt("CachePolicyId"))
	b.OriginRequestPolicyID = d.str(f.opt("OriginRequestPolicyId"))
	b.ResponseHeadersPolicyID = d.str(f.opt("ResponseHeadersPolicyId"))
	if g := f.opt("GrpcConfig"); g != nil {
		gf := d.open(g, "Enabled")
		if d.boolean(gf.req("Enabled")) {
			d.refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "openfront does not support gRPC (GrpcConfig)."))
		}
	}
	if fv := f.opt("ForwardedValues"); fv != nil {
		ff := d.open(fv, "QueryString", "Cookies", "Headers", "QueryStringCacheKeys")
		b.QueryString = d.boolean(ff.req("QueryString"))
		cf := d.open(ff.req("Cookies"), "Forward", "WhitelistedNames")
		b.Cookies.Forward = d.str(cf.req("Forward"))
		if wl := cf.opt("WhitelistedNames"); wl != nil {
			// Present means non-nil, even when empty (see v20120701).
			b.Cookies.WhitelistedNames = append([]string{}, d.strings(wl, "Name")...)
		}
		if h := ff.opt("Headers"); h != nil {
			b.Headers = d.strings(h, "Name")
		}
		if q := ff.opt("QueryStringCacheKeys"); q != nil {
			b.QueryStringCacheKeys = d.strings(q, "Name")
		}
	} else if b.CachePolicyID == "" && d.err == nil && n != nil {
		d.refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "The %s needs either a CachePolicyId or ForwardedValues.", n.path))
	}
	b.MinTTL = d.integer(f.opt("MinTTL"), 64)
	b.DefaultTTL = d.optInt64(f.opt("DefaultTTL"))
	b.MaxTTL = d.optInt64(f.opt("MaxTTL"))
	return b
}

// trustedSigners decodes a TrustedSigners element.
func (d *decoder) trustedSigners(n *node) cloudfront.TrustedSigners {
	ts := d.open(n, "Enabled", "Quantity", "Items")
	return cloudfront.TrustedSigners{
		Enabled: d.boolean(ts.req("Enabled")),
		Items:   d.texts(d.items(ts, "AwsAccountNumber")),
	}
}

func (d *decoder) customErrorResponse(n *node) cloudfront.CustomErrorResponse {
	f := d.open(n, "ErrorCode", "ResponsePagePath", "ResponseCode", "ErrorCachingMinTTL")
	return cloudfront.CustomErrorResponse{
		ErrorCode:          d.integerInt(f.req("ErrorCode")),
		ResponsePagePath:   d.str(f.opt("ResponsePagePath")),
		ResponseCode:       d.str(f.opt("ResponseCode")),
		ErrorCachingMinTTL: d.optInt64(f.opt("ErrorCachingMinTTL")),
	}
}

func (d *decoder) viewerCertificate(n *node) *cloudfront.ViewerCertificate {
	f := d.open(n, "CloudFrontDefaultCertificate", "IAMCertificateId", "ACMCertificateArn", "SSLSupportMethod",
		"MinimumProtocolVersion", "Certificate", "CertificateSource")
	return &cloudfront.ViewerCertificate{
		CloudFrontDefaultCertificate: d.boolean(f.opt("CloudFrontDefaultCertificate")),
		IAMCertificateID:             d.str(f.opt("IAMCertificateId")),
		ACMCertificateARN:            d.str(f.opt("ACMCertificateArn")),
		SSLSupportMethod:             d.str(f.opt("SSLSupportMethod")),
		MinimumProtocolVersion:       d.str(f.opt("MinimumProtocolVersion")),
		Certificate:                  d.str(f.opt("Certificate")),
		CertificateSource:            d.str(f.opt("CertificateSource")),
	}
}

// optInt decodes an optional integer member: nil when absent.
func (d *decoder) optInt(n *node) *int {
	if n == nil {
		return nil
	}
	v := d.integerInt(n)
	return &v
}

func (d *decoder) optInt64(n *node) *int64 {
	if n == nil {
		return nil
	}
	v := d.integer(n, 64)
	return &v
}
