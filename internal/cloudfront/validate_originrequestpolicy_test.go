package cloudfront

import (
	"strings"
	"testing"
)

// testOriginRequestPolicyConfig is a valid custom policy: one of each kind
// of name.
func testOriginRequestPolicyConfig() *OriginRequestPolicyConfig {
	return &OriginRequestPolicyConfig{
		Name:         "my-policy_1",
		Comment:      "test policy",
		Headers:      ParamSet{Behavior: ParamsWhitelist, Names: []string{"Accept-Language"}},
		Cookies:      ParamSet{Behavior: ParamsAllExcept, Names: []string{"session_id"}},
		QueryStrings: ParamSet{Behavior: ParamsWhitelist, Names: []string{"page"}},
	}
}

func TestValidateOriginRequestPolicyConfig(t *testing.T) {
	tests := []policyValidationCase[OriginRequestPolicyConfig]{
		// Valid configs.
		{name: "valid", mutate: func(*OriginRequestPolicyConfig) {}},
		{name: "none everywhere", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsNone}
			c.Cookies = ParamSet{Behavior: ParamsNone}
			c.QueryStrings = ParamSet{Behavior: ParamsNone, Names: []string{}} // Quantity 0
		}},
		{name: "allViewer and all", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewer, Names: []string{}}
			c.Cookies = ParamSet{Behavior: ParamsAll}
			c.QueryStrings = ParamSet{Behavior: ParamsAll}
		}},
		{name: "allViewerAndWhitelistCloudFront", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewerAndWhitelistCloudFront, Names: []string{"CloudFront-Viewer-Country", "cloudfront-is-mobile-viewer"}}
		}},
		{name: "header allExcept", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllExcept, Names: []string{"Host"}}
		}},
		{name: "query string allExcept", mutate: func(c *OriginRequestPolicyConfig) {
			c.QueryStrings = ParamSet{Behavior: ParamsAllExcept, Names: []string{"utm_source"}}
		}},
		{name: "no comment", mutate: func(c *OriginRequestPolicyConfig) { c.Comment = "" }},
		{name: "name of 128 characters", mutate: func(c *OriginRequestPolicyConfig) { c.Name = strings.Repeat("a", 128) }},
		{name: "comment of 128 characters", mutate: func(c *OriginRequestPolicyConfig) { c.Comment = strings.Repeat("é", 128) }},
		{name: "ten of each", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers.Names = numberedNames("X-H", 10)
			c.Cookies.Names = numberedNames("c", 10)
			c.QueryStrings.Names = numberedNames("q", 10)
		}},
		{name: "cookie and query names differ in case", mutate: func(c *OriginRequestPolicyConfig) {
			c.Cookies.Names = []string{"id", "ID"}
			c.QueryStrings.Names = []string{"q", "Q"}
		}},
		{name: "raised header limit", rules: Rules{Limits: Limits{HeadersPerOriginRequestPolicy: 11}}, mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers.Names = numberedNames("X-H", 11)
		}},
		{name: "cache policy limits do not apply", rules: Rules{Limits: Limits{HeadersPerCachePolicy: 1}}, mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers.Names = []string{"X-A", "X-B"}
		}},

		// Counts.
		{name: "11 headers", want: TooManyHeadersInOriginRequestPolicy, inMsg: "11 headers in the origin request policy", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers.Names = numberedNames("X-H", 11)
		}},
		{name: "11 CloudFront headers", want: TooManyHeadersInOriginRequestPolicy, inMsg: "11", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewerAndWhitelistCloudFront, Names: numberedNames("CloudFront-X", 11)}
		}},
		{name: "11 cookies", want: TooManyCookiesInOriginRequestPolicy, inMsg: "11 cookies", mutate: func(c *OriginRequestPolicyConfig) {
			c.Cookies.Names = numberedNames("c", 11)
		}},
		{name: "11 query strings", want: TooManyQueryStringsInOriginRequestPolicy, inMsg: "11 query strings", mutate: func(c *OriginRequestPolicyConfig) {
			c.QueryStrings.Names = numberedNames("q", 11)
		}},
		{name: "lowered query string limit", rules: Rules{Limits: Limits{QueryStringsPerOriginRequestPolicy: 1}}, want: TooManyQueryStringsInOriginRequestPolicy, mutate: func(c *OriginRequestPolicyConfig) {
			c.QueryStrings.Names = []string{"a", "b"}
		}},

		// Name and comment.
		{name: "no name", want: InvalidArgument, inMsg: "origin request policy must have a Name", mutate: func(c *OriginRequestPolicyConfig) { c.Name = "" }},
		{name: "name of 129 characters", want: InvalidArgument, inMsg: "129", mutate: func(c *OriginRequestPolicyConfig) { c.Name = strings.Repeat("a", 129) }},
		{name: "name with a space", want: InvalidArgument, inMsg: `"my policy"`, mutate: func(c *OriginRequestPolicyConfig) { c.Name = "my policy" }},
		{name: "comment of 129 characters", want: InvalidArgument, inMsg: "129", mutate: func(c *OriginRequestPolicyConfig) { c.Comment = strings.Repeat("x", 129) }},
		{name: "comment not UTF-8", want: InvalidArgument, inMsg: "UTF-8", mutate: func(c *OriginRequestPolicyConfig) { c.Comment = "\xff" }},

		// Behaviours.
		{name: "no HeaderBehavior", want: InvalidArgument, inMsg: "HeaderBehavior", mutate: func(c *OriginRequestPolicyConfig) { c.Headers = ParamSet{} }},
		{name: "HeaderBehavior all", want: InvalidArgument, inMsg: `"all"`, mutate: func(c *OriginRequestPolicyConfig) { c.Headers = ParamSet{Behavior: ParamsAll} }},
		{name: "HeaderBehavior in other case", want: InvalidArgument, inMsg: `"AllViewer"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: "AllViewer"}
		}},
		{name: "CookieBehavior allViewer", want: InvalidArgument, inMsg: `"allViewer"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.Cookies = ParamSet{Behavior: ParamsAllViewer}
		}},
		{name: "QueryStringBehavior unknown", want: InvalidArgument, inMsg: `"some"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.QueryStrings.Behavior = "some"
		}},
		{name: "header whitelist without names", want: InvalidArgument, inMsg: "Headers", mutate: func(c *OriginRequestPolicyConfig) { c.Headers.Names = []string{} }},
		{name: "header allExcept without names", want: InvalidArgument, inMsg: "allExcept", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllExcept}
		}},
		{name: "allViewerAndWhitelistCloudFront without names", want: InvalidArgument, inMsg: "allViewerAndWhitelistCloudFront", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewerAndWhitelistCloudFront, Names: []string{}}
		}},
		{name: "header none with names", want: InvalidArgument, inMsg: `"Accept-Language"`, mutate: func(c *OriginRequestPolicyConfig) { c.Headers.Behavior = ParamsNone }},
		{name: "allViewer with names", want: InvalidArgument, inMsg: `"Accept-Language"`, mutate: func(c *OriginRequestPolicyConfig) { c.Headers.Behavior = ParamsAllViewer }},
		{name: "cookie allExcept without names", want: InvalidArgument, inMsg: "Cookies", mutate: func(c *OriginRequestPolicyConfig) { c.Cookies.Names = nil }},
		{name: "cookie all with names", want: InvalidArgument, inMsg: `"session_id"`, mutate: func(c *OriginRequestPolicyConfig) { c.Cookies.Behavior = ParamsAll }},
		{name: "query string whitelist without names", want: InvalidArgument, inMsg: "QueryStrings", mutate: func(c *OriginRequestPolicyConfig) { c.QueryStrings.Names = nil }},
		{name: "query string none with names", want: InvalidArgument, inMsg: `"page"`, mutate: func(c *OriginRequestPolicyConfig) { c.QueryStrings.Behavior = ParamsNone }},

		// CloudFront headers.
		{name: "allViewerAndWhitelistCloudFront with a viewer header", want: InvalidArgument, inMsg: `"Accept-Language"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewerAndWhitelistCloudFront, Names: []string{"CloudFront-Viewer-Country", "Accept-Language"}}
		}},
		{name: "allViewerAndWhitelistCloudFront with the bare prefix", want: InvalidArgument, inMsg: `"CloudFront-"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewerAndWhitelistCloudFront, Names: []string{"CloudFront-"}}
		}},
		{name: "allViewerAndWhitelistCloudFront prefix without hyphen", want: InvalidArgument, inMsg: `"CloudFrontViewerCountry"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewerAndWhitelistCloudFront, Names: []string{"CloudFrontViewerCountry"}}
		}},

		// Names.
		{name: "header name with a colon", want: InvalidArgument, inMsg: `"X-Foo:"`, mutate: func(c *OriginRequestPolicyConfig) { c.Headers.Names = []string{"X-Foo:"} }},
		{name: "empty header name", want: InvalidArgument, mutate: func(c *OriginRequestPolicyConfig) { c.Headers.Names = []string{""} }},
		{name: "header listed twice in other case", want: InvalidArgument, inMsg: `"accept-language"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers.Names = []string{"Accept-Language", "accept-language"}
		}},
		{name: "CloudFront header listed twice in other case", want: InvalidArgument, inMsg: "more than once", mutate: func(c *OriginRequestPolicyConfig) {
			c.Headers = ParamSet{Behavior: ParamsAllViewerAndWhitelistCloudFront, Names: []string{"CloudFront-Viewer-ASN", "cloudfront-viewer-asn"}}
		}},
		{name: "cookie name with a space", want: InvalidArgument, inMsg: `"a b"`, mutate: func(c *OriginRequestPolicyConfig) { c.Cookies.Names = []string{"a b"} }},
		{name: "cookie listed twice", want: InvalidArgument, inMsg: `"session_id"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.Cookies.Names = []string{"session_id", "session_id"}
		}},
		{name: "query string name with '='", want: InvalidArgument, inMsg: `"a=b"`, mutate: func(c *OriginRequestPolicyConfig) { c.QueryStrings.Names = []string{"a=b"} }},
		{name: "query string listed twice", want: InvalidArgument, inMsg: `"page"`, mutate: func(c *OriginRequestPolicyConfig) {
			c.QueryStrings.Names = []string{"page", "page"}
		}},
	}
	runPolicyValidationCases(t, tests, testOriginRequestPolicyConfig, NormalizeOriginRequestPolicyConfig, Rules.ValidateOriginRequestPolicyConfig)
}

func TestValidateOriginRequestPolicyConfigNil(t *testing.T) {
	if got := validationCode(t, DefaultRules().ValidateOriginRequestPolicyConfig(nil)); got != MalformedXML {
		t.Errorf("nil config: code %q, want %q", got, MalformedXML)
	}
}

// The limits an operator sets (openfront api --limit-…) reach the
// validator, and zero ones take CloudFront's defaults.
func TestOriginRequestPolicyLimits(t *testing.T) {
	d := DefaultLimits()
	if d.OriginRequestPoliciesPerAccount != 20 || d.HeadersPerOriginRequestPolicy != 10 ||
		d.CookiesPerOriginRequestPolicy != 10 || d.QueryStringsPerOriginRequestPolicy != 10 {
		t.Fatalf("DefaultLimits() = %+v", d)
	}
	if got := (Rules{Limits: Limits{OriginRequestPoliciesPerAccount: 3}}).EffectiveLimits(); got.OriginRequestPoliciesPerAccount != 3 || got.HeadersPerOriginRequestPolicy != 10 {
		t.Errorf("EffectiveLimits = %+v", got)
	}
}
