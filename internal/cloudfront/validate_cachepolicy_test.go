package cloudfront

import (
	"strings"
	"testing"
)

// testCachePolicyConfig is a valid custom policy: caching on, one of each
// kind of name.
func testCachePolicyConfig() *CachePolicyConfig {
	return &CachePolicyConfig{
		Name:    "my-policy_1",
		Comment: "test policy",
		MinTTL:  1,
		Parameters: CacheKeyParams{
			EnableAcceptEncodingGzip:   true,
			EnableAcceptEncodingBrotli: true,
			Headers:                    ParamSet{Behavior: ParamsWhitelist, Names: []string{"Accept-Language"}},
			Cookies:                    ParamSet{Behavior: ParamsAllExcept, Names: []string{"session_id"}},
			QueryStrings:               ParamSet{Behavior: ParamsWhitelist, Names: []string{"page"}},
		},
	}
}

// disabledCachePolicyConfig has every TTL 0 and an empty cache key.
func disabledCachePolicyConfig() *CachePolicyConfig {
	return &CachePolicyConfig{
		Name: "no-cache", DefaultTTL: ptr[int64](0), MaxTTL: ptr[int64](0),
		Parameters: CacheKeyParams{
			Headers: ParamSet{Behavior: ParamsNone}, Cookies: ParamSet{Behavior: ParamsNone}, QueryStrings: ParamSet{Behavior: ParamsNone},
		},
	}
}

func TestValidateCachePolicyConfig(t *testing.T) {
	tests := []policyValidationCase[CachePolicyConfig]{
		// Valid configs.
		{name: "valid", mutate: func(*CachePolicyConfig) {}},
		{name: "all and none", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers = ParamSet{Behavior: ParamsNone}
			c.Parameters.Cookies = ParamSet{Behavior: ParamsAll}
			c.Parameters.QueryStrings = ParamSet{Behavior: ParamsAll, Names: []string{}} // Quantity 0
		}},
		{name: "all TTLs default", mutate: func(c *CachePolicyConfig) { c.MinTTL = 0 }},
		{name: "MinTTL above default DefaultTTL", mutate: func(c *CachePolicyConfig) { c.MinTTL = 2 * DefaultMaxTTL }},
		{name: "caching disabled, empty key", base: disabledCachePolicyConfig, mutate: func(*CachePolicyConfig) {}},
		{name: "name of 128 characters", mutate: func(c *CachePolicyConfig) { c.Name = strings.Repeat("a", 128) }},
		{name: "comment of 128 characters", mutate: func(c *CachePolicyConfig) { c.Comment = strings.Repeat("é", 128) }},
		{name: "ten of each", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Names = numberedNames("X-H", 10)
			c.Parameters.Cookies.Names = numberedNames("c", 10)
			c.Parameters.QueryStrings.Names = numberedNames("q", 10)
		}},
		{name: "cookie and query names differ in case", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Cookies.Names = []string{"id", "ID"}
			c.Parameters.QueryStrings.Names = []string{"q", "Q"}
		}},
		{name: "raised header limit", rules: Rules{Limits: Limits{HeadersPerCachePolicy: 11}}, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Names = numberedNames("X-H", 11)
		}},

		// Counts.
		{name: "11 headers", want: TooManyHeadersInCachePolicy, inMsg: "11", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Names = numberedNames("X-H", 11)
		}},
		{name: "11 cookies", want: TooManyCookiesInCachePolicy, inMsg: "11", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Cookies.Names = numberedNames("c", 11)
		}},
		{name: "11 query strings", want: TooManyQueryStringsInCachePolicy, inMsg: "11", mutate: func(c *CachePolicyConfig) {
			c.Parameters.QueryStrings.Names = numberedNames("q", 11)
		}},
		{name: "lowered cookie limit", rules: Rules{Limits: Limits{CookiesPerCachePolicy: 1}}, want: TooManyCookiesInCachePolicy, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Cookies.Names = []string{"a", "b"}
		}},

		// Name and comment.
		{name: "no name", want: InvalidArgument, inMsg: "Name", mutate: func(c *CachePolicyConfig) { c.Name = "" }},
		{name: "name of 129 characters", want: InvalidArgument, inMsg: "129", mutate: func(c *CachePolicyConfig) { c.Name = strings.Repeat("a", 129) }},
		{name: "name with a space", want: InvalidArgument, inMsg: `"my policy"`, mutate: func(c *CachePolicyConfig) { c.Name = "my policy" }},
		{name: "name with a dot", want: InvalidArgument, inMsg: `"my.policy"`, mutate: func(c *CachePolicyConfig) { c.Name = "my.policy" }},
		{name: "comment of 129 characters", want: InvalidArgument, inMsg: "129", mutate: func(c *CachePolicyConfig) { c.Comment = strings.Repeat("x", 129) }},
		{name: "comment not UTF-8", want: InvalidArgument, mutate: func(c *CachePolicyConfig) { c.Comment = "\xff" }},

		// TTLs.
		{name: "negative MinTTL", want: InvalidArgument, inMsg: "-1", mutate: func(c *CachePolicyConfig) { c.MinTTL = -1 }},
		{name: "MaxTTL above 100 years", want: InvalidArgument, inMsg: "MaxTTL", mutate: func(c *CachePolicyConfig) {
			c.MaxTTL = ptr[int64](maxCachePolicyTTL + 1)
		}},
		{name: "MinTTL above DefaultTTL", want: InvalidArgument, inMsg: "MinTTL <= DefaultTTL", mutate: func(c *CachePolicyConfig) {
			c.MinTTL, c.DefaultTTL = 100, ptr[int64](50)
		}},
		{name: "DefaultTTL above MaxTTL", want: InvalidArgument, inMsg: "86400", mutate: func(c *CachePolicyConfig) {
			c.DefaultTTL, c.MaxTTL = ptr[int64](86400), ptr[int64](3600)
		}},

		// Behaviours.
		{name: "no HeaderBehavior", want: InvalidArgument, inMsg: "HeaderBehavior", mutate: func(c *CachePolicyConfig) { c.Parameters.Headers = ParamSet{} }},
		{name: "HeaderBehavior all", want: InvalidArgument, inMsg: `"all"`, mutate: func(c *CachePolicyConfig) { c.Parameters.Headers = ParamSet{Behavior: ParamsAll} }},
		{name: "HeaderBehavior allExcept", want: InvalidArgument, inMsg: `"allExcept"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Behavior = ParamsAllExcept
		}},
		{name: "CookieBehavior in other case", want: InvalidArgument, inMsg: `"All"`, mutate: func(c *CachePolicyConfig) { c.Parameters.Cookies = ParamSet{Behavior: "All"} }},
		{name: "QueryStringBehavior unknown", want: InvalidArgument, inMsg: `"some"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.QueryStrings.Behavior = "some"
		}},
		{name: "header whitelist without names", want: InvalidArgument, inMsg: "Headers", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Names = []string{}
		}},
		{name: "cookie allExcept without names", want: InvalidArgument, inMsg: "Cookies", mutate: func(c *CachePolicyConfig) { c.Parameters.Cookies.Names = nil }},
		{name: "query string whitelist without names", want: InvalidArgument, inMsg: "QueryStrings", mutate: func(c *CachePolicyConfig) {
			c.Parameters.QueryStrings.Names = nil
		}},
		{name: "header none with names", want: InvalidArgument, inMsg: `"Accept-Language"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Behavior = ParamsNone
		}},
		{name: "cookie all with names", want: InvalidArgument, inMsg: `"session_id"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Cookies.Behavior = ParamsAll
		}},

		// Names.
		{name: "header name with a colon", want: InvalidArgument, inMsg: `"X-Foo:"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Names = []string{"X-Foo:"}
		}},
		{name: "empty header name", want: InvalidArgument, mutate: func(c *CachePolicyConfig) { c.Parameters.Headers.Names = []string{""} }},
		{name: "header listed twice in other case", want: InvalidArgument, inMsg: `"accept-language"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Names = []string{"Accept-Language", "accept-language"}
		}},
		{name: "cookie name with a space", want: InvalidArgument, inMsg: `"a b"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Cookies.Names = []string{"a b"}
		}},
		{name: "cookie listed twice", want: InvalidArgument, inMsg: `"session_id"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.Cookies.Names = []string{"session_id", "session_id"}
		}},
		{name: "query string name with '='", want: InvalidArgument, inMsg: `"a=b"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.QueryStrings.Names = []string{"a=b"}
		}},
		{name: "empty query string name", want: InvalidArgument, mutate: func(c *CachePolicyConfig) { c.Parameters.QueryStrings.Names = []string{""} }},
		{name: "query string listed twice", want: InvalidArgument, inMsg: `"page"`, mutate: func(c *CachePolicyConfig) {
			c.Parameters.QueryStrings.Names = []string{"page", "page"}
		}},
		{name: "names over 1024 characters", want: InvalidArgument, inMsg: "1024", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers.Names = []string{"X-" + strings.Repeat("h", 500)}
			c.Parameters.Cookies.Names = []string{strings.Repeat("c", 500)}
			c.Parameters.QueryStrings.Names = []string{strings.Repeat("q", 100)}
		}},

		// Caching disabled.
		{name: "disabled with headers", base: disabledCachePolicyConfig, want: InvalidArgument, inMsg: "HeaderBehavior", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Headers = ParamSet{Behavior: ParamsWhitelist, Names: []string{"Authorization"}}
		}},
		{name: "disabled with all cookies", base: disabledCachePolicyConfig, want: InvalidArgument, inMsg: "CookieBehavior", mutate: func(c *CachePolicyConfig) {
			c.Parameters.Cookies = ParamSet{Behavior: ParamsAll}
		}},
		{name: "disabled with query strings", base: disabledCachePolicyConfig, want: InvalidArgument, inMsg: "QueryStringBehavior", mutate: func(c *CachePolicyConfig) {
			c.Parameters.QueryStrings = ParamSet{Behavior: ParamsAllExcept, Names: []string{"x"}}
		}},
		{name: "disabled with gzip", base: disabledCachePolicyConfig, want: InvalidArgument, inMsg: "EnableAcceptEncodingGzip", mutate: func(c *CachePolicyConfig) {
			c.Parameters.EnableAcceptEncodingGzip = true
		}},
		{name: "disabled with brotli", base: disabledCachePolicyConfig, want: InvalidArgument, inMsg: "EnableAcceptEncodingBrotli", mutate: func(c *CachePolicyConfig) {
			c.Parameters.EnableAcceptEncodingBrotli = true
		}},
		{name: "MaxTTL 1 allows a key", base: disabledCachePolicyConfig, mutate: func(c *CachePolicyConfig) {
			c.MaxTTL = ptr[int64](1)
			c.Parameters.EnableAcceptEncodingGzip = true
			c.Parameters.Headers = ParamSet{Behavior: ParamsWhitelist, Names: []string{"Authorization"}}
		}},
	}
	runPolicyValidationCases(t, tests, testCachePolicyConfig, NormalizeCachePolicyConfig, Rules.ValidateCachePolicyConfig)
}

func TestValidateCachePolicyConfigNil(t *testing.T) {
	if got := validationCode(t, DefaultRules().ValidateCachePolicyConfig(nil)); got != MalformedXML {
		t.Errorf("nil config: code %q, want %q", got, MalformedXML)
	}
}
