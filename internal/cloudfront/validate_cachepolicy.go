package cloudfront

import "unicode/utf8"

// Value ranges of a cache policy (Name and Comment: validate_policy.go).
// The docs give the TTLs no upper bound: the 100 years a behaviour's
// legacy TTLs may have (maxMinTTL) bounds them here too. The quotas page
// gives 1024 characters for "the total combined length of all query
// string, header, and cookie names in a cache policy".
const (
	cachePolicy               = "cache policy"
	maxCachePolicyTTL         = maxMinTTL
	maxCachePolicyNamesLength = 1024
)

// ValidateCachePolicyConfig checks a cache policy's config after
// NormalizeCachePolicyConfig, and returns nil or the *Error of the first
// failure. Checks run in a fixed order:
//
//  1. counts: headers, cookies, query strings (TooMany…InCachePolicy);
//  2. Name and Comment;
//  3. the TTLs;
//  4. HeadersConfig, CookiesConfig, QueryStringsConfig: behaviour, names;
//  5. the combined length of the names;
//  6. a policy with caching disabled (MaxTTL 0, so every TTL 0) puts
//     nothing in the cache key.
//
// CreateCachePolicy and UpdateCachePolicy document no error code for a
// bad value but InvalidArgument (InvalidTTLOrder is a distribution's), so
// every failure but the counts is InvalidArgument. The name's uniqueness
// and the per-account count are the control plane's to check.
func (r Rules) ValidateCachePolicyConfig(c *CachePolicyConfig) error {
	if c == nil {
		return Errorf(MalformedXML, "CachePolicyConfig is missing.")
	}
	lim := r.limits()
	p := &c.Parameters
	if err := checkParamCounts(cachePolicy,
		paramCount{TooManyHeadersInCachePolicy, "header", len(p.Headers.Names), lim.HeadersPerCachePolicy},
		paramCount{TooManyCookiesInCachePolicy, "cookie", len(p.Cookies.Names), lim.CookiesPerCachePolicy},
		paramCount{TooManyQueryStringsInCachePolicy, "query string", len(p.QueryStrings.Names), lim.QueryStringsPerCachePolicy},
	); err != nil {
		return err
	}
	if err := checkPolicyName(cachePolicy, c.Name); err != nil {
		return err
	}
	if err := checkPolicyComment(cachePolicy, c.Comment); err != nil {
		return err
	}
	if err := checkCachePolicyTTLs(c); err != nil {
		return err
	}
	for _, s := range []struct {
		set   ParamSet
		param policyParam
	}{
		{p.Headers, cachePolicyHeadersParam},
		{p.Cookies, cookiesParam},
		{p.QueryStrings, queryStringsParam},
	} {
		if err := s.param.check(s.set); err != nil {
			return err
		}
	}
	total := 0
	for _, s := range []ParamSet{p.Headers, p.Cookies, p.QueryStrings} {
		for _, n := range s.Names {
			total += utf8.RuneCountInString(n)
		}
	}
	if total > maxCachePolicyNamesLength {
		// The quota's error code is not documented.
		return Errorf(InvalidArgument, "The header, cookie and query string names of the cache policy have %d characters in all; at most %d are allowed.", total, maxCachePolicyNamesLength)
	}
	return checkCachingDisabled(c)
}

// checkCachePolicyTTLs: each TTL between 0 and maxCachePolicyTTL, and
// MinTTL <= DefaultTTL <= MaxTTL (a DefaultTTL or MaxTTL left out has its
// default, which keeps the order).
func checkCachePolicyTTLs(c *CachePolicyConfig) error {
	minTTL, defaultTTL, maxTTL := c.EffectiveTTLs()
	for _, t := range []struct {
		name  string
		value int64
	}{{"MinTTL", minTTL}, {"DefaultTTL", defaultTTL}, {"MaxTTL", maxTTL}} {
		if t.value < 0 || t.value > maxCachePolicyTTL {
			return Errorf(InvalidArgument, "The cache policy's %s is %d; it must be between 0 and %d seconds.", t.name, t.value, int64(maxCachePolicyTTL))
		}
	}
	if minTTL > defaultTTL || defaultTTL > maxTTL {
		return Errorf(InvalidArgument, "The cache policy's TTLs must follow MinTTL <= DefaultTTL <= MaxTTL; they are %d, %d and %d.", minTTL, defaultTTL, maxTTL)
	}
	return nil
}

// cachePolicyHeadersParam: a cache policy's headers are none or
// whitelist (API reference, CachePolicyHeadersConfig).
var cachePolicyHeadersParam = policyParam{
	behavior: "HeaderBehavior", list: "Headers", noun: "header",
	behaviors: []string{ParamsNone, ParamsWhitelist},
	listing:   []string{ParamsWhitelist},
	valid:     validCookieName, // an RFC 9110 token, as a cookie name is
	foldCase:  true,
}

// checkCachingDisabled: with every TTL 0 CloudFront caches nothing, and
// refuses a cache key: any behaviour but none, or caching compressed
// objects, gets InvalidArgument "The parameter HeaderBehavior is invalid
// for policy with caching disabled." The messages are CloudFront's as
// users report them for HeaderBehavior, CookieBehavior and
// EnableAcceptEncodingGzip; QueryStringBehavior and
// EnableAcceptEncodingBrotli are refused by analogy (the console offers
// no cache key settings once every TTL is 0).
func checkCachingDisabled(c *CachePolicyConfig) error {
	if _, _, maxTTL := c.EffectiveTTLs(); maxTTL != 0 {
		return nil
	}
	p := &c.Parameters
	for _, f := range []struct {
		param string
		set   bool
	}{
		{"HeaderBehavior", p.Headers.Behavior != ParamsNone},
		{"CookieBehavior", p.Cookies.Behavior != ParamsNone},
		{"QueryStringBehavior", p.QueryStrings.Behavior != ParamsNone},
		{"EnableAcceptEncodingGzip", p.EnableAcceptEncodingGzip},
		{"EnableAcceptEncodingBrotli", p.EnableAcceptEncodingBrotli},
	} {
		if f.set {
			return Errorf(InvalidArgument, "The parameter %s is invalid for policy with caching disabled.", f.param)
		}
	}
	return nil
}
