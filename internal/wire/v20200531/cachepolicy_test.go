package v20200531

import (
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// cachePolicyCase: the cache policy codec under test.
var cachePolicyCase = policyCase[cloudfront.CachePolicy, cloudfront.CachePolicyConfig]{
	codecCase: codecCase[cloudfront.CachePolicyConfig]{
		file:    "cachepolicy",
		root:    "CachePolicyConfig",
		decode:  DecodeCachePolicyConfig,
		encode:  EncodeCachePolicyConfig,
		full:    fullCachePolicyConfig,
		minimal: minimalCachePolicyConfig,
	},
	policy:       "CachePolicy",
	encodePolicy: EncodeCachePolicy,
	encodeList:   EncodeCachePolicyList,
	policies:     testCachePolicies,
}

func ptr64(v int64) *int64 { return &v }

// fullCachePolicyConfig is what testdata/cachepolicy-full.request.xml says.
func fullCachePolicyConfig() cloudfront.CachePolicyConfig {
	return cloudfront.CachePolicyConfig{
		Comment:    "Images & fonts",
		Name:       "static-assets",
		DefaultTTL: ptr64(3600),
		MaxTTL:     ptr64(86400),
		MinTTL:     1,
		Parameters: cloudfront.CacheKeyParams{
			EnableAcceptEncodingGzip:   true,
			EnableAcceptEncodingBrotli: true,
			Headers:                    cloudfront.ParamSet{Behavior: "whitelist", Names: []string{"Origin", "Accept-Language"}},
			Cookies:                    cloudfront.ParamSet{Behavior: "allExcept", Names: []string{"session"}},
			QueryStrings:               cloudfront.ParamSet{Behavior: "all", Names: []string{}},
		},
	}
}

func minimalCachePolicyConfig() cloudfront.CachePolicyConfig {
	return cloudfront.CachePolicyConfig{
		Name: "minimal",
		Parameters: cloudfront.CacheKeyParams{
			Headers:      cloudfront.ParamSet{Behavior: "none"},
			Cookies:      cloudfront.ParamSet{Behavior: "none"},
			QueryStrings: cloudfront.ParamSet{Behavior: "none"},
		},
	}
}

func testCachePolicies() (managed, custom cloudfront.CachePolicy) {
	mc := cloudfront.CachePolicyConfig{
		Comment:    "Policy with caching enabled. Supports Gzip and Brotli compression.",
		Name:       "Managed-CachingOptimized",
		DefaultTTL: ptr64(86400),
		MaxTTL:     ptr64(31536000),
		MinTTL:     1,
		Parameters: cloudfront.CacheKeyParams{
			EnableAcceptEncodingGzip:   true,
			EnableAcceptEncodingBrotli: true,
			Headers:                    cloudfront.ParamSet{Behavior: "none"},
			Cookies:                    cloudfront.ParamSet{Behavior: "none"},
			QueryStrings:               cloudfront.ParamSet{Behavior: "none"},
		},
	}
	managed = cloudfront.CachePolicy{ID: "658327ea-f89d-4fab-a63d-7e88639e58f6",
		LastModifiedTime: time.Date(2020, 5, 31, 0, 0, 0, 0, time.UTC), Config: mc}
	cc := fullCachePolicyConfig()
	cloudfront.NormalizeCachePolicyConfig(&cc)
	custom = cloudfront.CachePolicy{ID: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC), ETag: "E2QWRUHEXAMPLE", Revision: 7, Config: cc}
	return managed, custom
}

func TestGoldenCachePolicyConfigs(t *testing.T) {
	cachePolicyCase.testGoldenConfigs(t)
}

func TestCachePolicyMemberOrder(t *testing.T) {
	cachePolicyCase.testMemberOrder(t)
}

func TestGoldenCachePolicy(t *testing.T) {
	cachePolicyCase.testGoldenPolicy(t)
}

func TestGoldenCachePolicyList(t *testing.T) {
	cachePolicyCase.testGoldenList(t)
}

// TestCachePolicyRoundTrip: decode(encode(x)) == x, with nil and empty
// Names kept apart.
func TestCachePolicyRoundTrip(t *testing.T) {
	withNames := func(h, c, q []string) cloudfront.CachePolicyConfig {
		x := minimalCachePolicyConfig()
		x.Parameters.Headers.Names, x.Parameters.Cookies.Names, x.Parameters.QueryStrings.Names = h, c, q
		return x
	}
	normalized := minimalCachePolicyConfig()
	cloudfront.NormalizeCachePolicyConfig(&normalized)
	odd := fullCachePolicyConfig()
	odd.Comment, odd.Name = " <a>\r\n\t&'\"é ", "  "
	odd.MinTTL, odd.DefaultTTL, odd.MaxTTL = -1, ptr64(0), ptr64(1<<63-1)
	odd.Parameters.Cookies = cloudfront.ParamSet{Behavior: "", Names: []string{"", " x "}}
	cachePolicyCase.testRoundTrip(t, map[string]cloudfront.CachePolicyConfig{
		"full":        fullCachePolicyConfig(),
		"minimal":     minimalCachePolicyConfig(),
		"normalized":  normalized,
		"all empty":   withNames([]string{}, []string{}, []string{}),
		"mixed":       withNames(nil, []string{}, []string{"q"}),
		"mixed again": withNames([]string{"h"}, nil, []string{}),
		"odd values":  odd,
	})
	checkParamSetLists(t, EncodeCachePolicyConfig(withNames(nil, []string{}, nil)))
}

// TestDecodeCachePolicyAccepted: what clients really send that must
// decode, and what it decodes to.
func TestDecodeCachePolicyAccepted(t *testing.T) {
	min, _ := cachePolicyCase.requests(t)
	none := "<HeaderBehavior>none</HeaderBehavior>"
	cachePolicyCase.testAccepted(t, map[string]acceptedBody[cloudfront.CachePolicyConfig]{
		"no namespace": {edit(min, ` xmlns="`+Namespace+`"`, ""),
			func(c cloudfront.CachePolicyConfig) bool { return c.Name == "minimal" }},
		"empty Items self-closing": {edit(min, none, none+"<Headers><Items/><Quantity>0</Quantity></Headers>"),
			func(c cloudfront.CachePolicyConfig) bool { return emptyNotNil(c.Parameters.Headers.Names) }},
		"empty Items with space": {edit(min, none, none+"<Headers><Items /><Quantity>0</Quantity></Headers>"),
			func(c cloudfront.CachePolicyConfig) bool { return emptyNotNil(c.Parameters.Headers.Names) }},
		"empty Items pair": {edit(min, none, none+"<Headers><Items></Items><Quantity>0</Quantity></Headers>"),
			func(c cloudfront.CachePolicyConfig) bool { return emptyNotNil(c.Parameters.Headers.Names) }},
		"no Items": {edit(min, none, none+"<Headers><Quantity>0</Quantity></Headers>"),
			func(c cloudfront.CachePolicyConfig) bool { return emptyNotNil(c.Parameters.Headers.Names) }},
		"Brotli absent is false": {min,
			func(c cloudfront.CachePolicyConfig) bool { return !c.Parameters.EnableAcceptEncodingBrotli }},
		"behaviour not validated": {edit(min, none, "<HeaderBehavior>allViewer</HeaderBehavior>"),
			func(c cloudfront.CachePolicyConfig) bool { return c.Parameters.Headers.Behavior == "allViewer" }},
		"padded numbers": {edit(min, "<MinTTL>0</MinTTL>", "<MinTTL> 5\n</MinTTL><DefaultTTL>\t6</DefaultTTL>"),
			func(c cloudfront.CachePolicyConfig) bool {
				return c.MinTTL == 5 && c.DefaultTTL != nil && *c.DefaultTTL == 6 && c.MaxTTL == nil
			}},
		"empty Comment": {edit(min, "<Name>", "<Comment/><Name>"),
			func(c cloudfront.CachePolicyConfig) bool { return c.Comment == "" }},
	})
}

// TestDecodeCachePolicyBad: documents that must not decode, with the code
// each gets (all listed by the model for CreateCachePolicy, but for
// MalformedXML, the protocol's own).
func TestDecodeCachePolicyBad(t *testing.T) {
	min, full := cachePolicyCase.requests(t)
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
	)
	params := min[strings.Index(min, "<ParametersInCacheKeyAndForwardedToOrigin>"):strings.Index(min, "</CachePolicyConfig>")]
	cachePolicyCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"wrong root", strings.ReplaceAll(min, "CachePolicyConfig", "OriginRequestPolicyConfig"), mx},
		{"distribution root", string(read(t, "minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"missing Name", edit(min, "<Name>minimal</Name>", ""), mx},
		{"missing MinTTL", edit(min, "<MinTTL>0</MinTTL>", ""), mx},
		{"missing ParametersInCacheKeyAndForwardedToOrigin", edit(min, params, ""), mx},
		{"missing EnableAcceptEncodingGzip", edit(min, "<EnableAcceptEncodingGzip>false</EnableAcceptEncodingGzip>", ""), mx},
		{"missing HeadersConfig", edit(min, "<HeadersConfig><HeaderBehavior>none</HeaderBehavior></HeadersConfig>", ""), mx},
		{"missing CookiesConfig", edit(min, "<CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig>", ""), mx},
		{"missing QueryStringsConfig", edit(min, "<QueryStringsConfig><QueryStringBehavior>none</QueryStringBehavior></QueryStringsConfig>", ""), mx},
		{"missing HeaderBehavior", edit(min, "<HeaderBehavior>none</HeaderBehavior>", ""), mx},
		{"missing Quantity", edit(full, "<Quantity>1</Quantity>", ""), mx},
		{"non-numeric MinTTL", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>zero</MinTTL>"), mx},
		{"fractional DefaultTTL", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><DefaultTTL>1.5</DefaultTTL>"), mx},
		{"MaxTTL overflow", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><MaxTTL>99999999999999999999</MaxTTL>"), mx},
		{"boolean 1", edit(min, "<EnableAcceptEncodingGzip>false<", "<EnableAcceptEncodingGzip>1<"), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"repeated member", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"wrong item name", edit(full, "<Name>session</Name>", "<Cookie>session</Cookie>"), mx},
		{"behaviour with elements", edit(min, "<HeaderBehavior>none</HeaderBehavior>", "<HeaderBehavior><x/></HeaderBehavior>"), mx},
		{"malformed beats inconsistent", edit(edit(full, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), "<Name>static-assets</Name>", ""), mx},

		{"Quantity too large", edit(full, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), iq},
		{"Quantity too small", edit(full, "<Quantity>2</Quantity>", "<Quantity>1</Quantity>"), iq},
		{"Items without Quantity match", edit(full, "<Items/><Quantity>0</Quantity>", "<Quantity>3</Quantity>"), iq},
	})
}

// FuzzDecodeCachePolicyConfig: see codecCase.fuzz; nil and empty Names
// included.
func FuzzDecodeCachePolicyConfig(f *testing.F) {
	cachePolicyCase.fuzz(f)
}
