package cloudfront

import (
	"slices"
	"strings"
)

// Value ranges of the members 2020-05-31 added; their counts are Limits.
const (
	maxOriginPath         = 255
	maxOriginTimeout      = 120 // OriginReadTimeout and OriginKeepaliveTimeout, seconds (quota raised on request)
	maxConnectionTimeout  = 10
	maxConnectionAttempts = 3
)

// Sets of values the 2020-05-31 model allows.
var (
	failoverStatusCodes    = []int{400, 403, 404, 416, 500, 502, 503, 504}
	customErrorCodes       = []int{400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504}
	customResponseCodes    = []string{"200", "400", "403", "404", "405", "414", "416", "500", "501", "502", "503", "504"}
	sslProtocols           = []string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"}
	sslSupportMethods      = []string{"sni-only", "vip", "static-ip"}
	certificateSources     = []string{"cloudfront", "iam", "acm"}
	ipAddressTypes         = []string{"ipv4", "ipv6", "dualstack"}
	minimumProtocols       = []string{"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025", "TLSv1.2_2025"}
	httpVersions           = []string{HTTPVersion11, HTTPVersion2, HTTPVersion3, HTTPVersion2And3}
	selectionCriteria      = []string{"default", "media-quality-based"}
	functionEventTypes     = []string{"viewer-request", "viewer-response"}
	cachedMethodSets       = [][]string{{"GET", "HEAD"}, {"GET", "HEAD", "OPTIONS"}}
	allowedMethodSets      = [][]string{{"GET", "HEAD"}, {"GET", "HEAD", "OPTIONS"}, {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}}
	forbiddenOriginHeaders = []string{
		// CloudFront's list of headers an origin custom header cannot set.
		"cache-control", "connection", "content-length", "cookie", "host", "if-match",
		"if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards",
		"pragma", "proxy-authorization", "proxy-connection", "range", "request-range", "te",
		"trailer", "transfer-encoding", "upgrade", "via", "x-real-ip",
	}
)

// check2020 checks the members API 2020-05-31 added, after everything
// 2012-07-01 has: origin groups, each origin's and each behaviour's new
// members, custom error responses, the viewer certificate, restrictions
// and the top-level scalars.
func check2020(c *DistributionConfig, lim Limits) error {
	if err := checkOriginGroups(c, lim); err != nil {
		return err
	}
	for i := range c.Origins {
		if err := checkOrigin2020(&c.Origins[i], lim); err != nil {
			return err
		}
	}
	if err := checkBehavior2020(&c.DefaultCacheBehavior, "DefaultCacheBehavior", lim); err != nil {
		return err
	}
	if err := checkGRPC(c, &c.DefaultCacheBehavior, "DefaultCacheBehavior"); err != nil {
		return err
	}
	for i := range c.CacheBehaviors {
		b := &c.CacheBehaviors[i]
		if err := checkBehavior2020(b, "CacheBehavior "+b.PathPattern, lim); err != nil {
			return err
		}
		if err := checkGRPC(c, b, "CacheBehavior "+b.PathPattern); err != nil {
			return err
		}
	}
	if err := checkCustomErrorResponses(c.CustomErrorResponses); err != nil {
		return err
	}
	if err := checkViewerCertificate(c.ViewerCertificate); err != nil {
		return err
	}
	if err := checkGeoRestriction(c.Restrictions); err != nil {
		return err
	}
	if c.HTTPVersion != "" && !slices.Contains(httpVersions, c.HTTPVersion) {
		return Errorf(InvalidArgument, "HttpVersion must be one of %s.", strings.Join(httpVersions, ", "))
	}
	return checkStoredMembers2020(c)
}

func checkOriginGroups(c *DistributionConfig, lim Limits) error {
	if n := len(c.OriginGroups); n > lim.OriginGroupsPerDistribution {
		return Errorf(TooManyOriginGroupsPerDistribution, "Your request contains %d origin groups; at most %d are allowed per distribution.", n, lim.OriginGroupsPerDistribution)
	}
	for i, g := range c.OriginGroups {
		if g.ID == "" {
			return Errorf(InvalidArgument, "Origin group %d has an empty Id.", i+1)
		}
		if hasOrigin(c.Origins, g.ID) || slices.ContainsFunc(c.OriginGroups[:i], func(p OriginGroup) bool { return p.ID == g.ID }) {
			return Errorf(InvalidArgument, "The origin group Id %q is used more than once.", g.ID)
		}
		if len(g.Members) != 2 {
			return Errorf(InvalidArgument, "Origin group %q must have exactly 2 members.", g.ID)
		}
		for _, m := range g.Members {
			if !hasOrigin(c.Origins, m) {
				return Errorf(NoSuchOrigin, "Origin group %q names the origin %q, which does not exist.", g.ID, m)
			}
		}
		if g.Members[0] == g.Members[1] {
			return Errorf(InvalidArgument, "The members of origin group %q must be two different origins.", g.ID)
		}
		if len(g.StatusCodes) == 0 {
			return Errorf(InvalidArgument, "Origin group %q must name at least one failover status code.", g.ID)
		}
		for j, s := range g.StatusCodes {
			if !slices.Contains(failoverStatusCodes, s) || slices.Contains(g.StatusCodes[:j], s) {
				return Errorf(InvalidArgument, "Failover status code %d of origin group %q is not one of 400, 403, 404, 416, 500, 502, 503, 504, or is repeated.", s, g.ID)
			}
		}
		if g.SelectionCriteria != "" && !slices.Contains(selectionCriteria, g.SelectionCriteria) {
			return Errorf(InvalidArgument, "SelectionCriteria of origin group %q must be default or media-quality-based.", g.ID)
		}
	}
	return nil
}

func checkOrigin2020(o *Origin, lim Limits) error {
	if p := o.OriginPath; p != "" {
		if len(p) > maxOriginPath || p[0] != '/' || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?#") {
			return Errorf(InvalidArgument, "The OriginPath of origin %q must begin with / and not end with /, at most %d characters, without ? or #.", o.ID, maxOriginPath)
		}
	}
	if n := len(o.CustomHeaders); n > lim.CustomHeadersPerOrigin {
		return Errorf(TooManyOriginCustomHeaders, "Origin %q has %d custom headers; at most %d are allowed.", o.ID, n, lim.CustomHeadersPerOrigin)
	}
	for i, h := range o.CustomHeaders {
		lower := strings.ToLower(h.Name)
		if !validCookieName(h.Name) || slices.Contains(forbiddenOriginHeaders, lower) ||
			strings.HasPrefix(lower, "x-amz-") || strings.HasPrefix(lower, "x-edge-") {
			return Errorf(InvalidArgument, "Origin %q cannot set the custom header %q.", o.ID, h.Name)
		}
		if strings.ContainsAny(h.Value, "\r\n\x00") {
			return Errorf(InvalidArgument, "The value of custom header %q of origin %q holds a line break.", h.Name, o.ID)
		}
		for _, p := range o.CustomHeaders[:i] {
			if strings.EqualFold(p.Name, h.Name) {
				return Errorf(InvalidArgument, "Origin %q sets the custom header %q more than once.", o.ID, h.Name)
			}
		}
	}
	if err := checkRange(o.ConnectionAttempts, 1, maxConnectionAttempts, InvalidArgument, "ConnectionAttempts", o.ID); err != nil {
		return err
	}
	if err := checkRange(o.ConnectionTimeout, 1, maxConnectionTimeout, InvalidArgument, "ConnectionTimeout", o.ID); err != nil {
		return err
	}
	if err := checkRange(o.ResponseCompletionTimeout, 1, 3600, InvalidArgument, "ResponseCompletionTimeout", o.ID); err != nil {
		return err
	}
	if o.OriginShield.Enabled && o.OriginShield.Region == "" {
		return Errorf(InvalidArgument, "Origin %q enables Origin Shield without an OriginShieldRegion.", o.ID)
	}
	if o.OriginAccessControlID != "" && o.S3 == nil {
		return Errorf(IllegalOriginAccessConfiguration, "Origin %q is not an S3 origin; an origin access control applies to S3 origins.", o.ID)
	}
	if o.OriginAccessControlID != "" && o.S3 != nil && o.S3.OriginAccessIdentity != "" {
		return Errorf(IllegalOriginAccessConfiguration, "Origin %q cannot have both an origin access identity and an origin access control.", o.ID)
	}
	if o.VPCOrigin != nil {
		if err := checkVPCOrigin(o); err != nil {
			return err
		}
	}
	if o.S3 != nil {
		if err := checkRange(o.S3.OriginReadTimeout, 1, maxOriginTimeout, InvalidOriginReadTimeout, "OriginReadTimeout", o.ID); err != nil {
			return err
		}
	}
	if c := o.Custom; c != nil {
		if o.S3 == nil && c.OriginSSLProtocols != nil {
			if len(c.OriginSSLProtocols) == 0 {
				return Errorf(InvalidArgument, "Origin %q must name at least one OriginSslProtocols item.", o.ID)
			}
			for i, p := range c.OriginSSLProtocols {
				if !slices.Contains(sslProtocols, p) || slices.Contains(c.OriginSSLProtocols[:i], p) {
					return Errorf(InvalidArgument, "OriginSslProtocols of origin %q: %q is not one of SSLv3, TLSv1, TLSv1.1, TLSv1.2, or is repeated.", o.ID, p)
				}
			}
		}
		if err := checkRange(c.OriginReadTimeout, 1, maxOriginTimeout, InvalidOriginReadTimeout, "OriginReadTimeout", o.ID); err != nil {
			return err
		}
		if err := checkRange(c.OriginKeepaliveTimeout, 1, maxOriginTimeout, InvalidOriginKeepaliveTimeout, "OriginKeepaliveTimeout", o.ID); err != nil {
			return err
		}
		if c.IPAddressType != "" && !slices.Contains(ipAddressTypes, c.IPAddressType) {
			return Errorf(InvalidArgument, "IpAddressType of origin %q must be ipv4, ipv6 or dualstack.", o.ID)
		}
	}
	return nil
}

func checkRange(v *int, lo, hi int, code Code, name, origin string) error {
	if v != nil && (*v < lo || *v > hi) {
		return Errorf(code, "%s of origin %q must be between %d and %d.", name, origin, lo, hi)
	}
	return nil
}

// checkBehavior2020 checks a behaviour's 2020 members; checkBehavior has
// checked the 2012 ones (for a behaviour with legacy cache settings).
func checkBehavior2020(b *CacheBehavior, name string, lim Limits) error {
	if !b.LegacyCacheSettings() {
		if b.QueryString || b.Cookies.Forward != "" || b.Cookies.WhitelistedNames != nil || b.Headers != nil ||
			b.QueryStringCacheKeys != nil || b.MinTTL != 0 || b.DefaultTTL != nil || b.MaxTTL != nil {
			return Errorf(InvalidArgument, "The %s has a CachePolicyId, so it must not have ForwardedValues, MinTTL, DefaultTTL or MaxTTL.", name)
		}
	} else {
		if b.OriginRequestPolicyID != "" {
			return Errorf(InvalidArgument, "The %s has an OriginRequestPolicyId but no CachePolicyId: an origin request policy works only beside a cache policy.", name)
		}
		if n := len(b.Headers); n > lim.HeadersPerBehavior {
			return Errorf(TooManyHeadersInForwardedValues, "The %s forwards %d headers; at most %d are allowed.", name, n, lim.HeadersPerBehavior)
		}
		if n := len(b.QueryStringCacheKeys); n > lim.QueryStringCacheKeysPerBehavior {
			return Errorf(TooManyQueryStringParameters, "The %s has %d query string cache keys; at most %d are allowed.", name, n, lim.QueryStringCacheKeysPerBehavior)
		}
		for _, h := range b.Headers {
			if h != "*" && !validCookieName(h) {
				return Errorf(InvalidArgument, "The %s forwards the header %q, which is not a header name.", name, h)
			}
		}
		if slices.Contains(b.Headers, "*") && len(b.Headers) > 1 {
			return Errorf(InvalidArgument, "The %s forwards all headers (*) and names others too.", name)
		}
		for _, k := range b.QueryStringCacheKeys {
			if k == "" {
				return Errorf(InvalidQueryStringParameters, "The %s has an empty query string cache key.", name)
			}
		}
		for _, ttl := range []*int64{b.DefaultTTL, b.MaxTTL} {
			if ttl != nil && (*ttl < 0 || *ttl > maxMinTTL) {
				return Errorf(InvalidArgument, "The TTLs of the %s must be between 0 and %d.", name, int64(maxMinTTL))
			}
		}
		if b.MinTTL > b.EffectiveDefaultTTL() || b.EffectiveDefaultTTL() > b.EffectiveMaxTTL() {
			return Errorf(InvalidTTLOrder, "The %s must have MinTTL <= DefaultTTL <= MaxTTL.", name)
		}
	}
	if b.AllowedMethods != nil || b.CachedMethods != nil {
		allowed, cached := b.AllowedMethods, b.CachedMethods
		if allowed == nil {
			allowed = DefaultMethods
		}
		if cached == nil {
			cached = DefaultMethods
		}
		if !methodSetIn(allowed, allowedMethodSets) {
			return Errorf(InvalidArgument, "The AllowedMethods of the %s must be GET, HEAD; GET, HEAD, OPTIONS; or GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE.", name)
		}
		if !methodSetIn(cached, cachedMethodSets) || !isSubset(cached, allowed) {
			return Errorf(InvalidArgument, "The CachedMethods of the %s must be GET, HEAD or GET, HEAD, OPTIONS, and among the AllowedMethods.", name)
		}
	}
	if n := len(b.TrustedKeyGroups.Items); n > lim.KeyGroupsPerBehavior {
		return Errorf(TooManyKeyGroupsAssociatedToDistribution, "The %s trusts %d key groups; at most %d are allowed.", name, n, lim.KeyGroupsPerBehavior)
	}
	if len(b.TrustedKeyGroups.Items) > 0 && len(b.TrustedSigners.Items) > 0 {
		return Errorf(InvalidArgument, "The %s cannot trust both key groups and trusted signers.", name)
	}
	if n := len(b.FunctionAssociations); n > len(functionEventTypes) {
		return Errorf(TooManyFunctionAssociations, "The %s has %d function associations; at most one per event type is allowed.", name, n)
	}
	for i, fa := range b.FunctionAssociations {
		if !slices.Contains(functionEventTypes, fa.EventType) {
			return Errorf(InvalidFunctionAssociation, "The %s associates a function with %q; functions run on viewer-request or viewer-response.", name, fa.EventType)
		}
		if !strings.HasPrefix(fa.FunctionARN, "arn:aws:cloudfront::") || len(fa.FunctionARN) > 108 {
			return Errorf(InvalidFunctionAssociation, "The %s names the function %q, which is not a CloudFront function ARN.", name, fa.FunctionARN)
		}
		for _, p := range b.FunctionAssociations[:i] {
			if p.EventType == fa.EventType {
				return Errorf(InvalidFunctionAssociation, "The %s associates two functions with %s.", name, fa.EventType)
			}
		}
	}
	return nil
}

// methodSetIn reports whether methods, in any order and without repeats,
// is one of sets (each sorted).
func methodSetIn(methods []string, sets [][]string) bool {
	sorted := slices.Sorted(slices.Values(methods))
	if len(slices.Compact(slices.Clone(sorted))) != len(sorted) {
		return false
	}
	return slices.ContainsFunc(sets, func(s []string) bool { return slices.Equal(s, sorted) })
}

func isSubset(sub, of []string) bool {
	for _, m := range sub {
		if !slices.Contains(of, m) {
			return false
		}
	}
	return true
}

func checkCustomErrorResponses(rs []CustomErrorResponse) error {
	for i, r := range rs {
		if !slices.Contains(customErrorCodes, r.ErrorCode) {
			return Errorf(InvalidErrorCode, "CloudFront cannot customise the response to status %d.", r.ErrorCode)
		}
		for _, p := range rs[:i] {
			if p.ErrorCode == r.ErrorCode {
				return Errorf(InvalidArgument, "The custom error response for %d is listed more than once.", r.ErrorCode)
			}
		}
		if r.ResponseCode != "" && !slices.Contains(customResponseCodes, r.ResponseCode) {
			return Errorf(InvalidResponseCode, "The ResponseCode %q of the custom error response for %d is not allowed.", r.ResponseCode, r.ErrorCode)
		}
		// The model's documentation of ResponseCode: "If you specify a value
		// for ResponseCode, you must also specify a value for
		// ResponsePagePath." A page without a code keeps the origin's status.
		if r.ResponseCode != "" && r.ResponsePagePath == "" {
			return Errorf(InvalidArgument, "The custom error response for %d has a ResponseCode but no ResponsePagePath.", r.ErrorCode)
		}
		if p := r.ResponsePagePath; p != "" && (p[0] != '/' || len(p) > 4000) {
			return Errorf(InvalidRelativePath, "The ResponsePagePath %q must begin with /.", p)
		}
		if t := r.ErrorCachingMinTTL; t != nil && (*t < 0 || *t > maxMinTTL) {
			return Errorf(InvalidArgument, "The ErrorCachingMinTTL for %d must be between 0 and %d.", r.ErrorCode, int64(maxMinTTL))
		}
	}
	return nil
}

func checkViewerCertificate(v *ViewerCertificate) error {
	if v == nil {
		return nil
	}
	sources := 0
	for _, set := range []bool{v.CloudFrontDefaultCertificate, v.IAMCertificateID != "", v.ACMCertificateARN != ""} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return Errorf(InvalidViewerCertificate, "The viewer certificate must be exactly one of CloudFrontDefaultCertificate, IAMCertificateId and ACMCertificateArn.")
	}
	if v.ACMCertificateARN != "" && !strings.HasPrefix(v.ACMCertificateARN, "arn:aws:acm:us-east-1:") {
		return Errorf(InvalidViewerCertificate, "The ACM certificate %q must be an ACM certificate ARN in us-east-1.", v.ACMCertificateARN)
	}
	if !v.CloudFrontDefaultCertificate && v.SSLSupportMethod == "" {
		return Errorf(InvalidViewerCertificate, "A custom viewer certificate needs an SSLSupportMethod.")
	}
	if v.SSLSupportMethod != "" && !slices.Contains(sslSupportMethods, v.SSLSupportMethod) {
		return Errorf(InvalidViewerCertificate, "SSLSupportMethod must be sni-only, vip or static-ip.")
	}
	if v.MinimumProtocolVersion != "" && !slices.Contains(minimumProtocols, v.MinimumProtocolVersion) {
		return Errorf(InvalidMinimumProtocolVersion, "MinimumProtocolVersion %q is not one CloudFront knows.", v.MinimumProtocolVersion)
	}
	if v.CertificateSource != "" && !slices.Contains(certificateSources, v.CertificateSource) {
		return Errorf(InvalidViewerCertificate, "CertificateSource must be cloudfront, iam or acm.")
	}
	return nil
}

func checkGeoRestriction(g GeoRestriction) error {
	switch g.RestrictionType {
	case "", GeoNone:
		if len(g.Locations) > 0 {
			return Errorf(InvalidGeoRestrictionParameter, "A geographic restriction of type none lists no locations.")
		}
		return nil
	case GeoWhitelist, GeoBlacklist:
		if len(g.Locations) == 0 {
			return Errorf(InvalidGeoRestrictionParameter, "A geographic restriction of type %s lists at least one location.", g.RestrictionType)
		}
	default:
		return Errorf(InvalidGeoRestrictionParameter, "RestrictionType must be none, whitelist or blacklist.")
	}
	for i, l := range g.Locations {
		if len(l) != 2 || l[0] < 'A' || l[0] > 'Z' || l[1] < 'A' || l[1] > 'Z' || slices.Contains(g.Locations[:i], l) {
			return Errorf(InvalidLocationCode, "The location %q is not an ISO 3166-1 alpha-2 country code, or is repeated.", l)
		}
	}
	return nil
}
