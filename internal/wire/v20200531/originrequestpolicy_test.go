package v20200531

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

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

// checkOriginRequestPolicyRoundTrip: doc decodes to exactly c
// (reflect.DeepEqual, so that nil and empty Names differ) and encodes back
// to the same bytes.
func checkOriginRequestPolicyRoundTrip(t *testing.T, c cloudfront.OriginRequestPolicyConfig) []byte {
	t.Helper()
	out := EncodeOriginRequestPolicyConfig(c)
	again, err := DecodeOriginRequestPolicyConfig(out)
	if err != nil {
		t.Fatalf("the encoded config does not decode: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(c, again) {
		t.Fatalf("round trip changed the config:\n%#v\n%#v", c, again)
	}
	if out2 := EncodeOriginRequestPolicyConfig(again); !bytes.Equal(out, out2) {
		t.Fatalf("round trip changed the document:\n%s\n%s", out, out2)
	}
	return out
}

// TestGoldenOriginRequestPolicyConfigs decodes each request (full: members
// in alphabetical order, as aws-sdk-go-v2 sends them; minimal: model
// order, only the required members), checks the value, and encodes it in
// model order.
func TestGoldenOriginRequestPolicyConfigs(t *testing.T) {
	for name, want := range map[string]cloudfront.OriginRequestPolicyConfig{
		"full":    fullOriginRequestPolicyConfig(),
		"minimal": minimalOriginRequestPolicyConfig(),
	} {
		t.Run(name, func(t *testing.T) {
			c, err := DecodeOriginRequestPolicyConfig(read(t, "originrequestpolicy-"+name+".request.xml"))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, want) {
				t.Fatalf("decoded\n%#v\nwant\n%#v", c, want)
			}
			golden(t, "originrequestpolicy-"+name+".config.xml", checkOriginRequestPolicyRoundTrip(t, c))
		})
	}
}

// TestOriginRequestPolicyMemberOrder: the alphabetical request
// (aws-sdk-go-v2) and the model-order document (the encoder's, as the JS
// SDK sends it) decode to the same config.
func TestOriginRequestPolicyMemberOrder(t *testing.T) {
	alpha := read(t, "originrequestpolicy-full.request.xml")
	root, err := xmlwire.Parse(alpha, Namespace, "OriginRequestPolicyConfig")
	if err != nil {
		t.Fatal(err)
	}
	var sorted func(n *xmlwire.Node)
	sorted = func(n *xmlwire.Node) {
		var names []string
		for _, k := range n.Kids {
			if n.Name != "Items" {
				names = append(names, k.Name)
			}
			sorted(k)
		}
		if !slices.IsSorted(names) {
			t.Fatalf("%s: members %v are not in alphabetical order", n.Path, names)
		}
	}
	sorted(root)
	model := EncodeOriginRequestPolicyConfig(fullOriginRequestPolicyConfig())
	if bytes.Equal(alpha, model) {
		t.Fatal("the two documents are the same")
	}
	a, err := DecodeOriginRequestPolicyConfig(alpha)
	if err != nil {
		t.Fatal(err)
	}
	m, err := DecodeOriginRequestPolicyConfig(model)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, m) {
		t.Fatalf("alphabetical\n%#v\nmodel order\n%#v", a, m)
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

func TestGoldenOriginRequestPolicy(t *testing.T) {
	_, custom := testOriginRequestPolicies()
	golden(t, "originrequestpolicy.response.xml", EncodeOriginRequestPolicy(custom))
}

func TestGoldenOriginRequestPolicyList(t *testing.T) {
	managed, custom := testOriginRequestPolicies()
	golden(t, "originrequestpolicy-list.response.xml",
		EncodeOriginRequestPolicyList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.OriginRequestPolicy{managed, custom}))

	// A truncated page carries NextMarker first; an empty one no Items.
	page := string(EncodeOriginRequestPolicyList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true},
		[]cloudfront.OriginRequestPolicy{custom}))
	if !strings.Contains(page, `<OriginRequestPolicyList xmlns="`+Namespace+`"><NextMarker>b</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items><OriginRequestPolicySummary><Type>custom</Type><OriginRequestPolicy><Id>`) {
		t.Errorf("truncated page: %s", page)
	}
	empty := string(EncodeOriginRequestPolicyList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<OriginRequestPolicyList xmlns="` + Namespace + `"><MaxItems>100</MaxItems><Quantity>0</Quantity></OriginRequestPolicyList>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
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
	for name, c := range map[string]cloudfront.OriginRequestPolicyConfig{
		"full":        fullOriginRequestPolicyConfig(),
		"minimal":     minimalOriginRequestPolicyConfig(),
		"normalized":  normalized,
		"all empty":   withNames([]string{}, []string{}, []string{}),
		"mixed":       withNames(nil, []string{}, []string{"q"}),
		"mixed again": withNames([]string{"h"}, nil, []string{}),
		"odd values":  odd,
	} {
		t.Run(name, func(t *testing.T) { checkOriginRequestPolicyRoundTrip(t, c) })
	}
	// The encoder writes a list only when Names is not nil.
	out := string(EncodeOriginRequestPolicyConfig(withNames(nil, []string{}, nil)))
	if strings.Contains(out, "<Headers>") || strings.Contains(out, "<QueryStrings>") ||
		!strings.Contains(out, "<CookieBehavior>none</CookieBehavior><Cookies><Quantity>0</Quantity></Cookies>") {
		t.Errorf("lists: %s", out)
	}
}

// TestDecodeOriginRequestPolicyAccepted: what clients really send that
// must decode, and what it decodes to.
func TestDecodeOriginRequestPolicyAccepted(t *testing.T) {
	min := string(read(t, "originrequestpolicy-minimal.request.xml"))
	none := "<HeaderBehavior>none</HeaderBehavior>"
	type config = cloudfront.OriginRequestPolicyConfig
	for name, tt := range map[string]struct {
		body  string
		check func(c config) bool
	}{
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
	} {
		c, err := DecodeOriginRequestPolicyConfig([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !tt.check(c) {
			t.Errorf("%s: decoded %#v", name, c)
		}
	}
}

// TestDecodeOriginRequestPolicyBad: documents that must not decode, with
// the code each gets (all listed by the model for
// CreateOriginRequestPolicy, but for MalformedXML, the protocol's own).
func TestDecodeOriginRequestPolicyBad(t *testing.T) {
	min := string(read(t, "originrequestpolicy-minimal.request.xml"))
	full := string(read(t, "originrequestpolicy-full.request.xml"))
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
	)
	for _, tt := range []struct {
		name string
		body string
		want cloudfront.Code
	}{
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
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeOriginRequestPolicyConfig([]byte(tt.body))
			var e *cloudfront.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *cloudfront.Error %s", err, err, tt.want)
			}
			if e.Code != tt.want {
				t.Fatalf("code %s (%s), want %s", e.Code, e.Message, tt.want)
			}
		})
	}
}

// FuzzDecodeOriginRequestPolicyConfig: no input panics or gets anything
// but a CloudFront 4xx error, and a config that decodes survives encode
// and decode unchanged, nil and empty Names included.
func FuzzDecodeOriginRequestPolicyConfig(f *testing.F) {
	seedFuzz(f) // every golden body, the origin request policy ones among them
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeOriginRequestPolicyConfig(body)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		out := EncodeOriginRequestPolicyConfig(c)
		again, err := DecodeOriginRequestPolicyConfig(out)
		if err != nil {
			t.Fatalf("encoded config does not decode: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("round trip changed the config:\n%#v\n%#v", c, again)
		}
		if !bytes.Equal(out, EncodeOriginRequestPolicyConfig(again)) {
			t.Fatal("round trip changed the document")
		}
	})
}
