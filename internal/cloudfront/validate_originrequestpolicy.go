package cloudfront

import "strings"

const originRequestPolicy = "origin request policy"

// originRequestHeadersParam: an origin request policy's headers are none,
// whitelist, allViewer, allViewerAndWhitelistCloudFront or allExcept (API
// reference, OriginRequestPolicyHeadersConfig); whitelist and allExcept
// list the headers to take or leave, allViewerAndWhitelistCloudFront the
// CloudFront headers to add; none and allViewer list none.
var originRequestHeadersParam = policyParam{
	behavior: "HeaderBehavior", list: "Headers", noun: "header",
	behaviors: []string{ParamsNone, ParamsWhitelist, ParamsAllViewer, ParamsAllViewerAndWhitelistCloudFront, ParamsAllExcept},
	listing:   []string{ParamsWhitelist, ParamsAllViewerAndWhitelistCloudFront, ParamsAllExcept},
	valid:     validCookieName, // an RFC 9110 token, as a cookie name is
	foldCase:  true,
}

// ValidateOriginRequestPolicyConfig checks an origin request policy's
// config after NormalizeOriginRequestPolicyConfig, and returns nil or the
// *Error of the first failure. Checks run in a fixed order:
//
//  1. counts: headers, cookies, query strings
//     (TooMany…InOriginRequestPolicy);
//  2. Name and Comment, as a cache policy's;
//  3. HeadersConfig, CookiesConfig, QueryStringsConfig: behaviour, names;
//  4. allViewerAndWhitelistCloudFront lists CloudFront headers only.
//
// CreateOriginRequestPolicy and UpdateOriginRequestPolicy document no
// error code for a bad value but InvalidArgument, so every failure but
// the counts is InvalidArgument. The quotas page gives origin request
// policies no limit on the combined length of the names (it gives cache
// policies one), so there is none here. The name's uniqueness and the
// per-account count (OriginRequestPoliciesPerAccount) are the control
// plane's to check.
func (r Rules) ValidateOriginRequestPolicyConfig(c *OriginRequestPolicyConfig) error {
	if c == nil {
		return Errorf(MalformedXML, "OriginRequestPolicyConfig is missing.")
	}
	lim := r.limits()
	if err := checkParamCounts(originRequestPolicy,
		paramCount{TooManyHeadersInOriginRequestPolicy, "header", len(c.Headers.Names), lim.HeadersPerOriginRequestPolicy},
		paramCount{TooManyCookiesInOriginRequestPolicy, "cookie", len(c.Cookies.Names), lim.CookiesPerOriginRequestPolicy},
		paramCount{TooManyQueryStringsInOriginRequestPolicy, "query string", len(c.QueryStrings.Names), lim.QueryStringsPerOriginRequestPolicy},
	); err != nil {
		return err
	}
	if err := checkPolicyName(originRequestPolicy, c.Name); err != nil {
		return err
	}
	if err := checkPolicyComment(originRequestPolicy, c.Comment); err != nil {
		return err
	}
	for _, s := range []struct {
		set   ParamSet
		param policyParam
	}{
		{c.Headers, originRequestHeadersParam},
		{c.Cookies, cookiesParam},
		{c.QueryStrings, queryStringsParam},
	} {
		if err := s.param.check(s.set); err != nil {
			return err
		}
	}
	return checkCloudFrontHeaders(c.Headers)
}

// cloudFrontHeaderPrefix begins every header CloudFront adds to origin
// requests (CloudFront-Viewer-Country, CloudFront-Is-Mobile-Viewer, …).
const cloudFrontHeaderPrefix = "cloudfront-"

// checkCloudFrontHeaders: with allViewerAndWhitelistCloudFront every
// viewer header goes to the origin already, and the list names what
// CloudFront adds to it: the guide calls the setting "All viewer headers
// and whitelisted CloudFront-* headers" ("Understanding origin request
// policies"), the API reference "the additional CloudFront headers that
// are listed in the Headers type … are added by CloudFront", and the AWS
// CDK refuses any name that does not begin with "CloudFront-". So each
// name must be CloudFront-<something>. The prefix is matched without case,
// as header names are (CloudFront reports some managed policies' headers
// in lower case). The names are not held to the headers CloudFront has
// today (using-cloudfront-headers): it adds new ones from time to time,
// and a closed list here would refuse them.
func checkCloudFrontHeaders(s ParamSet) error {
	if s.Behavior != ParamsAllViewerAndWhitelistCloudFront {
		return nil
	}
	for _, n := range s.Names {
		if len(n) <= len(cloudFrontHeaderPrefix) || !strings.EqualFold(n[:len(cloudFrontHeaderPrefix)], cloudFrontHeaderPrefix) {
			return Errorf(InvalidArgument, "The HeaderBehavior %s adds only CloudFront headers (CloudFront-*), but Headers lists %q.", s.Behavior, n)
		}
	}
	return nil
}
