package cloudfront

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

const responseHeadersPolicy = "response headers policy"

// FrameOptions/FrameOption's values (X-Frame-Options).
const (
	FrameOptionDeny       = "DENY"
	FrameOptionSameOrigin = "SAMEORIGIN"
)

// ReferrerPolicies are the values ReferrerPolicy/ReferrerPolicy may take
// (API reference, ResponseHeadersPolicyReferrerPolicy; Developer Guide,
// "Understand response headers policies").
var ReferrerPolicies = []string{
	"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
	"same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url",
}

// CORSAllowMethods are the values AccessControlAllowMethods may list;
// CORSAllowMethodAll stands for all of them, and is listed alone
// (API reference, ResponseHeadersPolicyAccessControlAllowMethods).
var CORSAllowMethods = []string{"GET", "DELETE", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", CORSAllowMethodAll}

const CORSAllowMethodAll = "ALL"

// CORSWildcard is "*" in AccessControlAllowOrigins (any origin),
// AccessControlAllowHeaders and AccessControlExposeHeaders (any header).
const CORSWildcard = "*"

// Lengths the quotas page gives ("Quotas on headers"): a custom header's
// name and value, all of a policy's custom header names and values
// together, and an Access-Control-Allow-Origin value. The page lists them
// for custom headers without saying whose; they are applied here to a
// response headers policy's. The Content-Security-Policy length is a
// quota an operator may change (Limits.CSPCharsPerResponseHeadersPolicy).
const (
	maxResponseHeaderNameChars   = 256
	maxResponseHeaderValueChars  = 1783
	maxResponseHeadersTotalChars = 10240
	maxCORSOriginChars           = 1783
)

// responseHeadersCloudFrontKeeps are the headers a response headers policy
// cannot remove ("Headers that you can't remove", Developer Guide,
// "Understand response headers policies"), in lower case;
// responseHeaderPrefixesCloudFrontKeeps are the guide's X-Amz-Cf-.* and
// X-Edge-.*. The guide gives no list of the headers a policy cannot add;
// the same ones are refused as custom headers here: they frame the
// message (Content-Length, Transfer-Encoding, …), belong to one hop
// (Connection, Keep-Alive, …) or are CloudFront's own (Via, X-Cache,
// X-Amz-Cf-Id, …), so a value a policy gave them would be wrong or
// overwritten. That part is ours (unconfirmed).
var (
	responseHeadersCloudFrontKeeps = []string{
		"connection", "content-encoding", "content-length", "expect", "host", "keep-alive",
		"proxy-authenticate", "proxy-authorization", "proxy-connection", "trailer",
		"transfer-encoding", "upgrade", "via", "warning",
		"x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect",
		"x-amzn-auth", "x-amzn-cf-billing", "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype",
		"x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order",
		"x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip",
	}
	responseHeaderPrefixesCloudFrontKeeps = []string{"x-amz-cf-", "x-edge-"}
)

// ResponseHeaderCloudFrontKeeps reports whether CloudFront keeps the
// header to itself: a response headers policy may neither remove nor add
// it. Names match without case.
func ResponseHeaderCloudFrontKeeps(name string) bool {
	lower := strings.ToLower(name)
	if slices.Contains(responseHeadersCloudFrontKeeps, lower) {
		return true
	}
	for _, p := range responseHeaderPrefixesCloudFrontKeeps {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

// ValidateResponseHeadersPolicyConfig checks a response headers policy's
// config, an account's own, after NormalizeResponseHeadersPolicyConfig,
// and returns nil or the *Error of the first failure. Checks run in a
// fixed order:
//
//  1. counts and lengths against the quotas: custom headers
//     (TooManyCustomHeadersInResponseHeadersPolicy), headers to remove
//     (TooManyRemoveHeadersInResponseHeadersPolicy), the
//     Content-Security-Policy value (TooLongCSPInResponseHeadersPolicy);
//  2. Name and Comment, as the other policies';
//  3. CorsConfig, SecurityHeadersConfig, ServerTimingHeadersConfig,
//     CustomHeadersConfig, RemoveHeadersConfig.
//
// Everything but the quotas is InvalidArgument, the one code
// CreateResponseHeadersPolicy documents for a bad value.
//
// A policy with none of the five parts is accepted: the API reference
// makes each optional and documents no error for a policy without any,
// and such a policy, though it changes nothing, is harmless (whether
// CloudFront accepts one is unconfirmed).
//
// A header both removed and added (as a custom header, or by the CORS or
// security parts) is accepted: the guide says CloudFront removes first,
// then adds, so the response has the policy's header whatever the origin
// sent.
//
// The name's uniqueness and the per-account count
// (ResponseHeadersPoliciesPerAccount) are the control plane's to check.
func (r Rules) ValidateResponseHeadersPolicyConfig(c *ResponseHeadersPolicyConfig) error {
	return r.checkResponseHeadersPolicyConfig(c, true)
}

// checkResponseHeadersPolicyConfig: custom is false for CloudFront's own
// policies, which the quotas do not bind and which may leave the CORS
// lists of methods and headers to allow empty (SimpleCORS does).
func (r Rules) checkResponseHeadersPolicyConfig(c *ResponseHeadersPolicyConfig, custom bool) error {
	if c == nil {
		return Errorf(MalformedXML, "ResponseHeadersPolicyConfig is missing.")
	}
	if custom {
		if err := r.checkResponseHeadersQuotas(c); err != nil {
			return err
		}
	}
	if err := checkPolicyName(responseHeadersPolicy, c.Name); err != nil {
		return err
	}
	if err := checkPolicyComment(responseHeadersPolicy, c.Comment); err != nil {
		return err
	}
	if err := checkCORSConfig(c.CORS, custom); err != nil {
		return err
	}
	if err := checkSecurityHeadersConfig(c.SecurityHeaders); err != nil {
		return err
	}
	if err := checkServerTimingConfig(c.ServerTiming); err != nil {
		return err
	}
	if err := checkResponseCustomHeaders(c.CustomHeaders); err != nil {
		return err
	}
	return checkRemoveHeaders(c.RemoveHeaders)
}

// checkResponseHeadersQuotas: "Custom headers per response headers
// policy" (10) and "Maximum length of the Content-Security-Policy header
// value" (1,783 characters) are on the quotas page. It gives no number of
// headers to remove, though CloudFront has an error code for too many;
// the default (10) is ours, as for custom headers (unconfirmed).
func (r Rules) checkResponseHeadersQuotas(c *ResponseHeadersPolicyConfig) error {
	lim := r.limits()
	if n := len(c.CustomHeaders); n > lim.CustomHeadersPerResponseHeadersPolicy {
		return Errorf(TooManyCustomHeadersInResponseHeadersPolicy, "Your request contains %d custom headers in the %s; at most %d are allowed.", n, responseHeadersPolicy, lim.CustomHeadersPerResponseHeadersPolicy)
	}
	if n := len(c.RemoveHeaders); n > lim.RemoveHeadersPerResponseHeadersPolicy {
		return Errorf(TooManyRemoveHeadersInResponseHeadersPolicy, "Your request contains %d headers to remove in the %s; at most %d are allowed.", n, responseHeadersPolicy, lim.RemoveHeadersPerResponseHeadersPolicy)
	}
	if s := c.SecurityHeaders; s != nil && s.ContentSecurityPolicy != nil {
		if n := utf8.RuneCountInString(s.ContentSecurityPolicy.Policy); n > lim.CSPCharsPerResponseHeadersPolicy {
			return Errorf(TooLongCSPInResponseHeadersPolicy, "The Content-Security-Policy value has %d characters; at most %d are allowed.", n, lim.CSPCharsPerResponseHeadersPolicy)
		}
	}
	return nil
}

// checkCORSConfig checks a CorsConfig:
//
//   - AccessControlAllowOrigins lists at least one origin, each "*" or an
//     origin (validCORSOrigin); CloudFront's own policies list "*";
//   - AccessControlAllowHeaders lists "*" or header names; an account's
//     own policy lists at least one (CloudFront refuses an empty list, as
//     users found; SimpleCORS leaves it empty);
//   - AccessControlAllowMethods lists methods of CORSAllowMethods, ALL
//     alone (as the AWS CDK checks); an account's own policy lists at
//     least one (ours, by analogy with the headers; SimpleCORS lists none);
//   - AccessControlExposeHeaders, when present, lists "*" or header names;
//   - no list names anything twice (header names and origins without
//     case, methods with it);
//   - with AccessControlAllowCredentials, AccessControlAllowHeaders may
//     not hold "*": CloudFront refuses it ("The parameter
//     Access-Control-Allow-Headers cannot contain * when allowCredentials
//     is true."), as browsers do not read "*" as a wildcard then. For the
//     same reason AccessControlAllowOrigins may not hold "*" (ours, by
//     analogy; CloudFront's message for it is unconfirmed);
//   - AccessControlMaxAgeSec, when present, is not negative.
func checkCORSConfig(c *CORSConfig, custom bool) error {
	if c == nil {
		return nil
	}
	if len(c.AllowOrigins) == 0 {
		return Errorf(InvalidArgument, "The CorsConfig must list at least one origin in AccessControlAllowOrigins.")
	}
	if custom && len(c.AllowHeaders) == 0 {
		return Errorf(InvalidArgument, "The CorsConfig must list at least one header, or *, in AccessControlAllowHeaders.")
	}
	if custom && len(c.AllowMethods) == 0 {
		return Errorf(InvalidArgument, "The CorsConfig must list at least one method, or ALL, in AccessControlAllowMethods.")
	}
	for i, o := range c.AllowOrigins {
		if !validCORSOrigin(o) {
			return Errorf(InvalidArgument, "The origin %q in AccessControlAllowOrigins is not valid; it must be * or an origin such as https://www.example.com, with * only as its leftmost label (https://*.example.com).", o)
		}
		if slices.ContainsFunc(c.AllowOrigins[:i], func(p string) bool { return strings.EqualFold(p, o) }) {
			return Errorf(InvalidArgument, "The origin %q is listed more than once in AccessControlAllowOrigins.", o)
		}
	}
	if err := checkCORSHeaderNames("AccessControlAllowHeaders", c.AllowHeaders); err != nil {
		return err
	}
	for i, m := range c.AllowMethods {
		if !slices.Contains(CORSAllowMethods, m) {
			return Errorf(InvalidArgument, "The method %q in AccessControlAllowMethods is not valid; it must be %s.", m, orList(CORSAllowMethods))
		}
		if slices.Contains(c.AllowMethods[:i], m) {
			return Errorf(InvalidArgument, "The method %q is listed more than once in AccessControlAllowMethods.", m)
		}
	}
	if slices.Contains(c.AllowMethods, CORSAllowMethodAll) && len(c.AllowMethods) > 1 {
		return Errorf(InvalidArgument, "AccessControlAllowMethods lists ALL, which stands for every method, with other methods; list ALL alone.")
	}
	if err := checkCORSHeaderNames("AccessControlExposeHeaders", c.ExposeHeaders); err != nil {
		return err
	}
	if c.AllowCredentials {
		if slices.Contains(c.AllowHeaders, CORSWildcard) {
			return Errorf(InvalidArgument, "The parameter Access-Control-Allow-Headers cannot contain * when allowCredentials is true.")
		}
		if slices.Contains(c.AllowOrigins, CORSWildcard) {
			return Errorf(InvalidArgument, "The parameter Access-Control-Allow-Origins cannot contain * when allowCredentials is true.")
		}
	}
	if c.MaxAgeSec != nil && *c.MaxAgeSec < 0 {
		return Errorf(InvalidArgument, "AccessControlMaxAgeSec %d is negative.", *c.MaxAgeSec)
	}
	return nil
}

// checkCORSHeaderNames: each name is "*" or an RFC 9110 token, none twice
// (without case).
func checkCORSHeaderNames(list string, names []string) error {
	for i, n := range names {
		if n != CORSWildcard && !validCookieName(n) {
			return Errorf(InvalidArgument, "The header name %q in %s is not valid.", n, list)
		}
		if slices.ContainsFunc(names[:i], func(p string) bool { return strings.EqualFold(p, n) }) {
			return Errorf(InvalidArgument, "The header name %q is listed more than once in %s.", n, list)
		}
	}
	return nil
}

// validCORSOrigin accepts "*" or [scheme "://"] host [":" port], at most
// 1,783 characters (the quota on an Access-Control-Allow-Origin value):
//
//   - the scheme, when present, is an RFC 3986 scheme (http, https, and
//     others browsers send, such as chrome-extension); CloudFront takes an
//     origin without one too (the AWS providers' tests create policies
//     with a bare host);
//   - the host is a domain name, an IPv4 address or a bracketed IPv6
//     address; a domain name's leftmost label may be "*", for any one
//     label there (https://*.example.com), and "*" may appear nowhere else
//     ("example.*", "test.*.example.org" and "exa*mple.org" are refused,
//     as the guide says CloudFront refuses them);
//   - the port, when present, is 1 to 65535;
//   - there is no path, query or fragment: an origin has none;
//   - it is not ALL, the methods' wildcard, which CloudFront refuses here
//     (as users found), though it reads as a one-label host name.
func validCORSOrigin(o string) bool {
	if o == CORSWildcard {
		return true
	}
	if o == "" || len(o) > maxCORSOriginChars || strings.EqualFold(o, CORSAllowMethodAll) {
		return false
	}
	rest := o
	if i := strings.Index(o, "://"); i >= 0 {
		if !validURIScheme(o[:i]) {
			return false
		}
		rest = o[i+3:]
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return false
		}
		host, port = rest[1:end], rest[end+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
			if port == "" {
				return false
			}
		}
		if !validIPv6Literal(host) {
			return false
		}
	} else {
		if i := strings.LastIndexByte(rest, ':'); i >= 0 {
			host, port = rest[:i], rest[i+1:]
			if port == "" {
				return false
			}
		}
		if !validCORSHost(host) {
			return false
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '+' || port[0] == '-' {
			return false
		}
	}
	return true
}

// validURIScheme: a letter, then letters, digits, '+', '-' or '.'.
func validURIScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// validCORSHost: dot-separated labels of letters, digits, '-' and '_', at
// most 63 characters each, not beginning or ending with '-'; the first
// may be "*" when another follows. A dotted IPv4 address passes as labels
// of digits.
func validCORSHost(h string) bool {
	if h == "" {
		return false
	}
	labels := strings.Split(h, ".")
	for i, l := range labels {
		if l == CORSWildcard && i == 0 && len(labels) > 1 {
			continue
		}
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for j := 0; j < len(l); j++ {
			if c := l[j]; !isAlnum(c) && c != '-' && c != '_' {
				return false
			}
		}
	}
	return true
}

// validIPv6Literal: hex digits, ':' and '.', with at least one ':'.
func validIPv6Literal(h string) bool {
	if !strings.Contains(h, ":") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
			return false
		}
	}
	return true
}

// checkSecurityHeadersConfig checks a SecurityHeadersConfig's headers,
// each when present:
//
//   - XSSProtection: ModeBlock and ReportUri only with Protection (they are
//     directives of "1", not of "0"), and not both: the guide says "You can
//     specify true for block, or you can specify a reporting URI, but you
//     can't specify both together"; the report URI holds no spaces,
//     control characters or ';' (it ends up inside the header value). That
//     ModeBlock needs Protection is ours (unconfirmed);
//   - FrameOptions: DENY or SAMEORIGIN;
//   - ReferrerPolicy: one of ReferrerPolicies;
//   - ContentSecurityPolicy: a non-empty value without control characters
//     (its length is a quota, checked before);
//   - StrictTransportSecurity: max-age not negative.
func checkSecurityHeadersConfig(s *SecurityHeadersConfig) error {
	if s == nil {
		return nil
	}
	if x := s.XSSProtection; x != nil {
		switch {
		case !x.Protection && (x.ModeBlock || x.ReportURI != ""):
			return Errorf(InvalidArgument, "XSSProtection sets ModeBlock or ReportUri, which apply only when Protection is true.")
		case x.ModeBlock && x.ReportURI != "":
			return Errorf(InvalidArgument, "XSSProtection cannot set both ModeBlock and ReportUri.")
		case x.ReportURI != "" && (strings.ContainsAny(x.ReportURI, " ;") || !validHeaderValue(x.ReportURI) || len(x.ReportURI) > maxResponseHeaderValueChars):
			return Errorf(InvalidArgument, "The XSSProtection ReportUri %q is not valid.", x.ReportURI)
		}
	}
	if f := s.FrameOptions; f != nil && f.FrameOption != FrameOptionDeny && f.FrameOption != FrameOptionSameOrigin {
		return Errorf(InvalidArgument, "The FrameOption %q is not valid; it must be %s or %s.", f.FrameOption, FrameOptionDeny, FrameOptionSameOrigin)
	}
	if p := s.ReferrerPolicy; p != nil && !slices.Contains(ReferrerPolicies, p.Policy) {
		return Errorf(InvalidArgument, "The ReferrerPolicy %q is not valid; it must be %s.", p.Policy, orList(ReferrerPolicies))
	}
	if p := s.ContentSecurityPolicy; p != nil {
		if p.Policy == "" {
			return Errorf(InvalidArgument, "The ContentSecurityPolicy must have a value.")
		}
		if !validHeaderValue(p.Policy) {
			return Errorf(InvalidArgument, "The ContentSecurityPolicy value holds a control character.")
		}
	}
	if h := s.StrictTransportSecurity; h != nil && h.MaxAgeSec < 0 {
		return Errorf(InvalidArgument, "The StrictTransportSecurity AccessControlMaxAgeSec %d is negative.", h.MaxAgeSec)
	}
	return nil
}

// checkServerTimingConfig: SamplingRate, when present, is a percentage,
// 0 to 100 inclusive, with at most four decimal places (the guide's
// "number 0–100 (inclusive)"; the four places are the API reference's,
// and the AWS CDK checks both).
func checkServerTimingConfig(s *ServerTimingConfig) error {
	if s == nil || s.SamplingRate == nil {
		return nil
	}
	r := *s.SamplingRate
	if math.IsNaN(r) || r < 0 || r > 100 {
		return Errorf(InvalidArgument, "The SamplingRate %v is not valid; it must be from 0 to 100.", r)
	}
	if decimalPlaces(r) > 4 {
		return Errorf(InvalidArgument, "The SamplingRate %v has more than four decimal places.", r)
	}
	return nil
}

// decimalPlaces counts the digits after the point in the shortest decimal
// that reads back as f.
func decimalPlaces(f float64) int {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// checkResponseCustomHeaders: each header's name is an RFC 9110 token of
// at most 256 characters that CloudFront does not keep to itself
// (ResponseHeaderCloudFrontKeeps), named once (without case); its value
// (which may be empty: "CloudFront can add a response header with no
// value") has at most 1,783 characters and no control character; names
// and values together have at most 10,240 characters.
func checkResponseCustomHeaders(headers []ResponseCustomHeader) error {
	total := 0
	for i, h := range headers {
		if !validCookieName(h.Header) || len(h.Header) > maxResponseHeaderNameChars {
			return Errorf(InvalidArgument, "The custom header name %q is not valid.", h.Header)
		}
		if ResponseHeaderCloudFrontKeeps(h.Header) {
			return Errorf(InvalidArgument, "A response headers policy cannot add the header %q.", h.Header)
		}
		if slices.ContainsFunc(headers[:i], func(p ResponseCustomHeader) bool { return strings.EqualFold(p.Header, h.Header) }) {
			return Errorf(InvalidArgument, "The custom header %q is listed more than once.", h.Header)
		}
		if !validHeaderValue(h.Value) {
			return Errorf(InvalidArgument, "The value of custom header %q holds a control character.", h.Header)
		}
		if n := utf8.RuneCountInString(h.Value); n > maxResponseHeaderValueChars {
			return Errorf(InvalidArgument, "The value of custom header %q has %d characters; at most %d are allowed.", h.Header, n, maxResponseHeaderValueChars)
		}
		total += len(h.Header) + utf8.RuneCountInString(h.Value)
	}
	if total > maxResponseHeadersTotalChars {
		return Errorf(InvalidArgument, "The custom headers' names and values have %d characters together; at most %d are allowed.", total, maxResponseHeadersTotalChars)
	}
	return nil
}

// checkRemoveHeaders: each name is an RFC 9110 token, not one CloudFront
// will not remove ("If you specify these headers … you receive an
// error"), named once (without case).
func checkRemoveHeaders(names []string) error {
	for i, n := range names {
		if !validCookieName(n) {
			return Errorf(InvalidArgument, "The header name %q in RemoveHeadersConfig is not valid.", n)
		}
		if ResponseHeaderCloudFrontKeeps(n) {
			return Errorf(InvalidArgument, "A response headers policy cannot remove the header %q.", n)
		}
		if slices.ContainsFunc(names[:i], func(p string) bool { return strings.EqualFold(p, n) }) {
			return Errorf(InvalidArgument, "The header %q is listed more than once in RemoveHeadersConfig.", n)
		}
	}
	return nil
}

// validHeaderValue: valid UTF-8 without control characters but the tab.
func validHeaderValue(v string) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
