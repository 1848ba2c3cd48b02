package cloudfront

import (
	"strings"
	"unicode/utf8"
)

// Value ranges of a cache policy. The API reference gives Name no pattern
// nor length; 128 characters of letters, digits, '-' and '_' is what the
// AWS CDK enforces before it calls CloudFront, and what CloudFront's own
// names keep to. Comment: "The comment cannot be longer than 128 characters." (API
// reference, CachePolicyConfig). The docs give the TTLs no upper bound:
// the 100 years a behaviour's legacy TTLs may have (maxMinTTL) bounds them
// here too. The quotas page gives 1024 characters for "the total combined
// length of all query string, header, and cookie names in a cache policy".
const (
	maxCachePolicyNameChars    = 128
	maxCachePolicyCommentChars = 128
	maxCachePolicyTTL          = maxMinTTL
	maxCachePolicyNamesLength  = 1024
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
	if n := len(p.Headers.Names); n > lim.HeadersPerCachePolicy {
		return Errorf(TooManyHeadersInCachePolicy, "Your request contains %d headers in the cache policy; at most %d are allowed.", n, lim.HeadersPerCachePolicy)
	}
	if n := len(p.Cookies.Names); n > lim.CookiesPerCachePolicy {
		return Errorf(TooManyCookiesInCachePolicy, "Your request contains %d cookies in the cache policy; at most %d are allowed.", n, lim.CookiesPerCachePolicy)
	}
	if n := len(p.QueryStrings.Names); n > lim.QueryStringsPerCachePolicy {
		return Errorf(TooManyQueryStringsInCachePolicy, "Your request contains %d query strings in the cache policy; at most %d are allowed.", n, lim.QueryStringsPerCachePolicy)
	}
	if err := checkCachePolicyName(c.Name); err != nil {
		return err
	}
	if !utf8.ValidString(c.Comment) {
		return Errorf(InvalidArgument, "The cache policy comment must be UTF-8.")
	}
	if n := utf8.RuneCountInString(c.Comment); n > maxCachePolicyCommentChars {
		return Errorf(InvalidArgument, "The cache policy comment has %d characters; it must be at most %d.", n, maxCachePolicyCommentChars)
	}
	if err := checkCachePolicyTTLs(c); err != nil {
		return err
	}
	for _, s := range []struct {
		set   ParamSet
		param cachePolicyParam
	}{
		{p.Headers, headersParam},
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

// checkCachePolicyName: required, at most 128 characters, only ASCII
// letters, digits, '-' and '_'.
func checkCachePolicyName(name string) error {
	if name == "" {
		return Errorf(InvalidArgument, "The cache policy must have a Name.")
	}
	if n := utf8.RuneCountInString(name); n > maxCachePolicyNameChars {
		return Errorf(InvalidArgument, "The cache policy name has %d characters; it must be at most %d.", n, maxCachePolicyNameChars)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '-' && c != '_' {
			return Errorf(InvalidArgument, "The cache policy name %q may contain only letters, digits, hyphens (-) and underscores (_).", name)
		}
	}
	return nil
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

// cachePolicyParam describes one of a policy's HeadersConfig,
// CookiesConfig and QueryStringsConfig for checking.
type cachePolicyParam struct {
	behavior  string   // the behaviour element: HeaderBehavior, …
	list      string   // the list element: Headers, …
	noun      string   // "header", …
	behaviors []string // the values the behaviour may take
	valid     func(string) bool
	foldCase  bool // names are duplicates whatever their case
}

var (
	headersParam = cachePolicyParam{
		behavior: "HeaderBehavior", list: "Headers", noun: "header",
		behaviors: []string{ParamsNone, ParamsWhitelist},
		valid:     validCookieName, // an RFC 9110 token, as a cookie name is
		foldCase:  true,
	}
	cookiesParam = cachePolicyParam{
		behavior: "CookieBehavior", list: "Cookies", noun: "cookie",
		behaviors: []string{ParamsNone, ParamsWhitelist, ParamsAllExcept, ParamsAll},
		valid:     validCookieName,
	}
	queryStringsParam = cachePolicyParam{
		behavior: "QueryStringBehavior", list: "QueryStrings", noun: "query string",
		behaviors: []string{ParamsNone, ParamsWhitelist, ParamsAllExcept, ParamsAll},
		valid:     validQueryStringName,
	}
)

// check: the behaviour is one the element allows; whitelist and allExcept
// list at least one name (CloudFront's docs say only that the list names
// the ones to take or leave; an empty one would make whitelist none and
// allExcept all, and the CDK refuses it), none and all list none (a
// present but empty list, Quantity 0, is accepted);
// each name is valid, and none is listed twice. CloudFront matches header
// names without case, cookie and query string names with it, so only
// header names are duplicates whatever their case.
func (p cachePolicyParam) check(s ParamSet) error {
	if !containsString(p.behaviors, s.Behavior) {
		return Errorf(InvalidArgument, "The %s %q is not valid; it must be %s.", p.behavior, s.Behavior, orList(p.behaviors))
	}
	switch s.Behavior {
	case ParamsWhitelist, ParamsAllExcept:
		if len(s.Names) == 0 {
			return Errorf(InvalidArgument, "The %s %s must list at least one %s name in %s.", p.behavior, s.Behavior, p.noun, p.list)
		}
	default:
		if len(s.Names) > 0 {
			return Errorf(InvalidArgument, "The %s %s must not list %s names, but %s lists %q.", p.behavior, s.Behavior, p.noun, p.list, s.Names[0])
		}
	}
	seen := make(map[string]bool, len(s.Names))
	for _, n := range s.Names {
		if !p.valid(n) {
			return Errorf(InvalidArgument, "The %s name %q in %s is not valid.", p.noun, n, p.list)
		}
		key := n
		if p.foldCase {
			key = strings.ToLower(n)
		}
		if seen[key] {
			return Errorf(InvalidArgument, "The %s name %q is listed more than once in %s.", p.noun, n, p.list)
		}
		seen[key] = true
	}
	return nil
}

// validQueryStringName accepts a non-empty name without control
// characters, spaces, or the '&', '=' and '#' that end a name in a query
// string. The docs give no rule; these are names that can appear in one.
func validQueryStringName(n string) bool {
	if n == "" || !utf8.ValidString(n) {
		return false
	}
	for _, c := range n {
		if c <= ' ' || c == 0x7f || c == '&' || c == '=' || c == '#' {
			return false
		}
	}
	return true
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

// orList joins values as "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}
