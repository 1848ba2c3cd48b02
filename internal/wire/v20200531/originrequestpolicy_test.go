package v20200531

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// originRequestPolicyCase: the origin request policy codec under test.
var originRequestPolicyCase = policyCase[cloudfront.OriginRequestPolicy, cloudfront.OriginRequestPolicyConfig]{
	codecCase: codecCase[cloudfront.OriginRequestPolicyConfig]{
		file:    "originrequestpolicy",
		root:    "OriginRequestPolicyConfig",
		decode:  DecodeOriginRequestPolicyConfig,
		encode:  EncodeOriginRequestPolicyConfig,
		full:    fullOriginRequestPolicyConfig,
		minimal: minimalOriginRequestPolicyConfig,
	},
	policy:       "OriginRequestPolicy",
	encodePolicy: EncodeOriginRequestPolicy,
	encodeList:   EncodeOriginRequestPolicyList,
	policies:     testOriginRequestPolicies,
}

// fullOriginRequestPolicyConfig is what
// testdata/originrequestpolicy-full.request.xml says.
func fullOriginRequestPolicyConfig() cloudfront.OriginRequestPolicyConfig {
	return cloudfront.OriginRequestPolicyConfig{
		Comment: "API origin & viewer location",
		Name:    "api-origin",
		Headers: cloudfront.ParamSet{Behavior: cloudfront.ParamsAllViewerAndWhitelistCloudFront,
			Names: []string{"CloudFront-Viewer-Country", "CloudFront-Is-Mobile-Viewer"}},
		Cookies:      cloudfront.ParamSet{Behavior: "all", Names: []string{}},
		QueryStrings: cloudfront.ParamSet{Behavior: "allExcept", Names: []string{"utm_source"}},
	}
}

func minimalOriginRequestPolicyConfig() cloudfront.OriginRequestPolicyConfig {
	return cloudfront.OriginRequestPolicyConfig{
		Name:         "minimal",
		Headers:      cloudfront.ParamSet{Behavior: "none"},
		Cookies:      cloudfront.ParamSet{Behavior: "none"},
		QueryStrings: cloudfront.ParamSet{Behavior: "none"},
	}
}

func testOriginRequestPolicies() (managed, custom cloudfront.OriginRequestPolicy) {
	mc := cloudfront.OriginRequestPolicyConfig{
		Comment:      "Policy to forward all parameters in viewer requests",
		Name:         "Managed-AllViewer",
		Headers:      cloudfront.ParamSet{Behavior: cloudfront.ParamsAllViewer},
		Cookies:      cloudfront.ParamSet{Behavior: "all"},
		QueryStrings: cloudfront.ParamSet{Behavior: "all"},
	}
	managed = cloudfront.OriginRequestPolicy{ID: "216adef6-5c7f-47e4-b989-5492eafa07d3",
		LastModifiedTime: time.Date(2020, 5, 31, 0, 0, 0, 0, time.UTC), Config: mc}
	cc := fullOriginRequestPolicyConfig()
	cloudfront.NormalizeOriginRequestPolicyConfig(&cc)
	custom = cloudfront.OriginRequestPolicy{ID: "8f0c5e1a-3b2d-4c6e-9a7f-1d2e3f4a5b6c", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC), ETag: "E2QWRUHEXAMPLE", Revision: 7, Config: cc}
	return managed, custom
}

func TestGoldenOriginRequestPolicyConfigs(t *testing.T) {
	originRequestPolicyCase.testGoldenConfigs(t)
}

func TestOriginRequestPolicyMemberOrder(t *testing.T) {
	originRequestPolicyCase.testMemberOrder(t)
}

func TestGoldenOriginRequestPolicy(t *testing.T) {
	originRequestPolicyCase.testGoldenPolicy(t)
}

func TestGoldenOriginRequestPolicyList(t *testing.T) {
	originRequestPolicyCase.testGoldenList(t)
}

// TestOriginRequestPolicyRoundTrip: decode(encode(x)) == x, with nil and
// empty Names kept apart.
func TestOriginRequestPolicyRoundTrip(t *testing.T) {
	withNames := func(h, c, q []string) cloudfront.OriginRequestPolicyConfig {
		x := minimalOriginRequestPolicyConfig()
		x.Headers.Names, x.Cookies.Names, x.QueryStrings.Names = h, c, q
		return x
	}
	normalized := minimalOriginRequestPolicyConfig()
	cloudfront.NormalizeOriginRequestPolicyConfig(&normalized)
	odd := fullOriginRequestPolicyConfig()
	odd.Comment, odd.Name = " <a>\r\n\t&'\"é ", "  "
	odd.Cookies = cloudfront.ParamSet{Behavior: "", Names: []string{"", " x "}}
	odd.Headers.Behavior = "not-a-behaviour"
	originRequestPolicyCase.testRoundTrip(t, map[string]cloudfront.OriginRequestPolicyConfig{
		"full":        fullOriginRequestPolicyConfig(),
		"minimal":     minimalOriginRequestPolicyConfig(),
		"normalized":  normalized,
		"all empty":   withNames([]string{}, []string{}, []string{}),
		"mixed":       withNames(nil, []string{}, []string{"q"}),
		"mixed again": withNames([]string{"h"}, nil, []string{}),
		"odd values":  odd,
	})
	checkParamSetLists(t, EncodeOriginRequestPolicyConfig(withNames(nil, []string{}, nil)))
}

// TestDecodeOriginRequestPolicyAccepted: what clients really send that
// must decode, and what it decodes to.
func TestDecodeOriginRequestPolicyAccepted(t *testing.T) {
	min, _ := originRequestPolicyCase.requests(t)
	none := "<HeaderBehavior>none</HeaderBehavior>"
	type config = cloudfront.OriginRequestPolicyConfig
	originRequestPolicyCase.testAccepted(t, map[string]acceptedBody[config]{
		"no namespace": {edit(min, ` xmlns="`+Namespace+`"`, ""),
			func(c config) bool { return c.Name == "minimal" }},
		"with prolog": {xmlwire.Prolog + min,
			func(c config) bool { return c.Name == "minimal" }},
		"empty Items self-closing": {edit(min, none, none+"<Headers><Items/><Quantity>0</Quantity></Headers>"),
			func(c config) bool { return emptyNotNil(c.Headers.Names) }},
		"empty Items with space": {edit(min, none, none+"<Headers><Items /><Quantity>0</Quantity></Headers>"),
			func(c config) bool { return emptyNotNil(c.Headers.Names) }},
		"empty Items pair": {edit(min, none, none+"<Headers><Items></Items><Quantity>0</Quantity></Headers>"),
			func(c config) bool { return emptyNotNil(c.Headers.Names) }},
		"no Items": {edit(min, none, none+"<Headers><Quantity>0</Quantity></Headers>"),
			func(c config) bool { return emptyNotNil(c.Headers.Names) }},
		"no list is nil": {min,
			func(c config) bool {
				return c.Headers.Names == nil && c.Cookies.Names == nil && c.QueryStrings.Names == nil
			}},
		"padded Quantity": {edit(min, none, none+"<Headers><Quantity> 1\n</Quantity><Items><Name>Origin</Name></Items></Headers>"),
			func(c config) bool { return slices.Equal(c.Headers.Names, []string{"Origin"}) }},
		"behaviour not validated": {edit(min, none, "<HeaderBehavior>allViewerAndWhitelistCloudFront</HeaderBehavior>"),
			func(c config) bool { return c.Headers.Behavior == cloudfront.ParamsAllViewerAndWhitelistCloudFront }},
		"unknown behaviour kept": {edit(min, "<CookieBehavior>none<", "<CookieBehavior>sometimes<"),
			func(c config) bool { return c.Cookies.Behavior == "sometimes" }},
		"empty Comment": {edit(min, "<Name>", "<Comment/><Name>"),
			func(c config) bool { return c.Comment == "" }},
	})
}

// TestDecodeOriginRequestPolicyBad: documents that must not decode, with
// the code each gets (all listed by the model for
// CreateOriginRequestPolicy, but for MalformedXML, the protocol's own).
func TestDecodeOriginRequestPolicyBad(t *testing.T) {
	min, full := originRequestPolicyCase.requests(t)
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
	)
	originRequestPolicyCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"wrong root", strings.ReplaceAll(min, "OriginRequestPolicyConfig", "CachePolicyConfig"), mx},
		{"cache policy root", string(read(t, "cachepolicy-minimal.request.xml")), mx},
		{"distribution root", string(read(t, "minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"missing Name", edit(min, "<Name>minimal</Name>", ""), mx},
		{"missing HeadersConfig", edit(min, "<HeadersConfig><HeaderBehavior>none</HeaderBehavior></HeadersConfig>", ""), mx},
		{"missing CookiesConfig", edit(min, "<CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig>", ""), mx},
		{"missing QueryStringsConfig", edit(min, "<QueryStringsConfig><QueryStringBehavior>none</QueryStringBehavior></QueryStringsConfig>", ""), mx},
		{"missing HeaderBehavior", edit(min, "<HeaderBehavior>none</HeaderBehavior>", ""), mx},
		{"missing CookieBehavior", edit(min, "<CookieBehavior>none</CookieBehavior>", ""), mx},
		{"missing QueryStringBehavior", edit(min, "<QueryStringBehavior>none</QueryStringBehavior>", ""), mx},
		{"missing Quantity", edit(full, "<Quantity>1</Quantity>", ""), mx},
		{"non-numeric Quantity", edit(full, "<Quantity>1</Quantity>", "<Quantity>one</Quantity>"), mx},
		{"cache policy member", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><MinTTL>0</MinTTL>"), mx},
		{"cache policy wrapper", edit(edit(min, "<HeadersConfig>", "<ParametersInCacheKeyAndForwardedToOrigin><HeadersConfig>"),
			"</QueryStringsConfig>", "</QueryStringsConfig></ParametersInCacheKeyAndForwardedToOrigin>"), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"unknown member in a config", edit(min, "<HeaderBehavior>", "<Colour>red</Colour><HeaderBehavior>"), mx},
		{"repeated member", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"repeated config", edit(min, "<CookiesConfig>", "<CookiesConfig><CookieBehavior>all</CookieBehavior></CookiesConfig><CookiesConfig>"), mx},
		{"wrong item name", edit(full, "<Name>utm_source</Name>", "<QueryString>utm_source</QueryString>"), mx},
		{"behaviour with elements", edit(min, "<HeaderBehavior>none</HeaderBehavior>", "<HeaderBehavior><x/></HeaderBehavior>"), mx},
		{"Name with elements", edit(min, "<Name>minimal</Name>", "<Name><b>minimal</b></Name>"), mx},
		{"malformed beats inconsistent", edit(edit(full, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), "<Name>api-origin</Name>", ""), mx},

		{"Quantity too large", edit(full, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), iq},
		{"Quantity too small", edit(full, "<Quantity>2</Quantity>", "<Quantity>1</Quantity>"), iq},
		{"Items without Quantity match", edit(full, "<Items/><Quantity>0</Quantity>", "<Quantity>3</Quantity>"), iq},
	})
}

// FuzzDecodeOriginRequestPolicyConfig: see codecCase.fuzz; nil and empty
// Names included.
func FuzzDecodeOriginRequestPolicyConfig(f *testing.F) {
	originRequestPolicyCase.fuzz(f)
}
