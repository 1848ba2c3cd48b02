package cloudfront

import (
	"strings"
	"unicode/utf8"
)

// What cache policies and origin request policies check alike: the Name,
// the Comment, the counts of names, and each HeadersConfig, CookiesConfig
// and QueryStringsConfig.
//
// The API reference gives Name no pattern nor length; 128 characters of
// letters, digits, '-' and '_' is what the AWS CDK enforces before it
// calls CloudFront (for both kinds of policy), and what CloudFront's own
// names keep to. Comment: "The comment cannot be longer than 128
// characters." (API reference, CachePolicyConfig and
// OriginRequestPolicyConfig).
const (
	maxPolicyNameChars    = 128
	maxPolicyCommentChars = 128
)

// checkPolicyName: required, at most 128 characters, only ASCII letters,
// digits, '-' and '_'. kind is "cache policy", "origin request policy".
func checkPolicyName(kind, name string) error {
	if name == "" {
		return Errorf(InvalidArgument, "The %s must have a Name.", kind)
	}
	if n := utf8.RuneCountInString(name); n > maxPolicyNameChars {
		return Errorf(InvalidArgument, "The %s name has %d characters; it must be at most %d.", kind, n, maxPolicyNameChars)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '-' && c != '_' {
			return Errorf(InvalidArgument, "The %s name %q may contain only letters, digits, hyphens (-) and underscores (_).", kind, name)
		}
	}
	return nil
}

// checkPolicyComment: UTF-8, at most 128 characters.
func checkPolicyComment(kind, comment string) error {
	if !utf8.ValidString(comment) {
		return Errorf(InvalidArgument, "The %s comment must be UTF-8.", kind)
	}
	if n := utf8.RuneCountInString(comment); n > maxPolicyCommentChars {
		return Errorf(InvalidArgument, "The %s comment has %d characters; it must be at most %d.", kind, n, maxPolicyCommentChars)
	}
	return nil
}

// paramCount is how many names of a kind (noun: "header", "cookie",
// "query string") a policy lists, the quota on them and its error code
// (TooManyHeadersIn…).
type paramCount struct {
	code     Code
	noun     string
	n, limit int
}

// checkParamCounts returns the error of the first count over its quota.
func checkParamCounts(kind string, counts ...paramCount) error {
	for _, c := range counts {
		if c.n > c.limit {
			return Errorf(c.code, "Your request contains %d %ss in the %s; at most %d are allowed.", c.n, c.noun, kind, c.limit)
		}
	}
	return nil
}

// policyParam describes one of a policy's HeadersConfig, CookiesConfig
// and QueryStringsConfig for checking.
type policyParam struct {
	behavior  string   // the behaviour element: HeaderBehavior, …
	list      string   // the list element: Headers, …
	noun      string   // "header", …
	behaviors []string // the values the behaviour may take
	listing   []string // the behaviours that must list names; the others list none
	valid     func(string) bool
	foldCase  bool // names are duplicates whatever their case
}

// check: the behaviour is one the element allows; a behaviour that takes
// names (whitelist, allExcept, allViewerAndWhitelistCloudFront) lists at
// least one (CloudFront's docs say only that the list names the ones to
// take or leave; an empty one would make whitelist none and allExcept
// all, and the CDK refuses it), the others list none (a present but empty
// list, Quantity 0, is accepted); each name is valid, and none is listed
// twice. CloudFront matches header names without case, cookie and query
// string names with it, so only header names are duplicates whatever
// their case.
func (p policyParam) check(s ParamSet) error {
	if !containsString(p.behaviors, s.Behavior) {
		return Errorf(InvalidArgument, "The %s %q is not valid; it must be %s.", p.behavior, s.Behavior, orList(p.behaviors))
	}
	if containsString(p.listing, s.Behavior) {
		if len(s.Names) == 0 {
			return Errorf(InvalidArgument, "The %s %s must list at least one %s name in %s.", p.behavior, s.Behavior, p.noun, p.list)
		}
	} else if len(s.Names) > 0 {
		return Errorf(InvalidArgument, "The %s %s must not list %s names, but %s lists %q.", p.behavior, s.Behavior, p.noun, p.list, s.Names[0])
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

// cookiesParam and queryStringsParam are the same in both kinds of
// policy: none, whitelist, allExcept or all (API reference,
// CachePolicyCookiesConfig, OriginRequestPolicyCookiesConfig and their
// QueryStringsConfig).
var (
	cookiesParam = policyParam{
		behavior: "CookieBehavior", list: "Cookies", noun: "cookie",
		behaviors: []string{ParamsNone, ParamsWhitelist, ParamsAllExcept, ParamsAll},
		listing:   []string{ParamsWhitelist, ParamsAllExcept},
		valid:     validCookieName,
	}
	queryStringsParam = policyParam{
		behavior: "QueryStringBehavior", list: "QueryStrings", noun: "query string",
		behaviors: []string{ParamsNone, ParamsWhitelist, ParamsAllExcept, ParamsAll},
		listing:   []string{ParamsWhitelist, ParamsAllExcept},
		valid:     validQueryStringName,
	}
)

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

// orList joins values as "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}
