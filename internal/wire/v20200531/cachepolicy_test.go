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

// checkCachePolicyRoundTrip: doc decodes to exactly c (reflect.DeepEqual,
// so that nil and empty Names differ) and encodes back to the same bytes.
func checkCachePolicyRoundTrip(t *testing.T, c cloudfront.CachePolicyConfig) []byte {
	t.Helper()
	out := EncodeCachePolicyConfig(c)
	again, err := DecodeCachePolicyConfig(out)
	if err != nil {
		t.Fatalf("the encoded config does not decode: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(c, again) {
		t.Fatalf("round trip changed the config:\n%#v\n%#v", c, again)
	}
	if out2 := EncodeCachePolicyConfig(again); !bytes.Equal(out, out2) {
		t.Fatalf("round trip changed the document:\n%s\n%s", out, out2)
	}
	return out
}

// TestGoldenCachePolicyConfigs decodes each request (full: members in
// alphabetical order, as aws-sdk-go-v2 sends them; minimal: model order,
// only the required members), checks the value, and encodes it in model
// order.
func TestGoldenCachePolicyConfigs(t *testing.T) {
	for name, want := range map[string]cloudfront.CachePolicyConfig{
		"full":    fullCachePolicyConfig(),
		"minimal": minimalCachePolicyConfig(),
	} {
		t.Run(name, func(t *testing.T) {
			c, err := DecodeCachePolicyConfig(read(t, "cachepolicy-"+name+".request.xml"))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, want) {
				t.Fatalf("decoded\n%#v\nwant\n%#v", c, want)
			}
			golden(t, "cachepolicy-"+name+".config.xml", checkCachePolicyRoundTrip(t, c))
		})
	}
}

// TestCachePolicyMemberOrder: the alphabetical request (aws-sdk-go-v2)
// and the model-order document (the encoder's, as the JS SDK sends it)
// decode to the same config.
func TestCachePolicyMemberOrder(t *testing.T) {
	alpha := read(t, "cachepolicy-full.request.xml")
	root, err := xmlwire.Parse(alpha, Namespace, "CachePolicyConfig")
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
	model := EncodeCachePolicyConfig(fullCachePolicyConfig())
	if bytes.Equal(alpha, model) {
		t.Fatal("the two documents are the same")
	}
	a, err := DecodeCachePolicyConfig(alpha)
	if err != nil {
		t.Fatal(err)
	}
	m, err := DecodeCachePolicyConfig(model)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, m) {
		t.Fatalf("alphabetical\n%#v\nmodel order\n%#v", a, m)
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

func TestGoldenCachePolicy(t *testing.T) {
	_, custom := testCachePolicies()
	golden(t, "cachepolicy.response.xml", EncodeCachePolicy(custom))
}

func TestGoldenCachePolicyList(t *testing.T) {
	managed, custom := testCachePolicies()
	golden(t, "cachepolicy-list.response.xml",
		EncodeCachePolicyList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.CachePolicy{managed, custom}))

	// A truncated page carries NextMarker first; an empty one no Items.
	page := string(EncodeCachePolicyList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true},
		[]cloudfront.CachePolicy{custom}))
	if !strings.Contains(page, `<CachePolicyList xmlns="`+Namespace+`"><NextMarker>b</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items><CachePolicySummary><Type>custom</Type>`) {
		t.Errorf("truncated page: %s", page)
	}
	empty := string(EncodeCachePolicyList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<CachePolicyList xmlns="` + Namespace + `"><MaxItems>100</MaxItems><Quantity>0</Quantity></CachePolicyList>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
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
	for name, c := range map[string]cloudfront.CachePolicyConfig{
		"full":        fullCachePolicyConfig(),
		"minimal":     minimalCachePolicyConfig(),
		"normalized":  normalized,
		"all empty":   withNames([]string{}, []string{}, []string{}),
		"mixed":       withNames(nil, []string{}, []string{"q"}),
		"mixed again": withNames([]string{"h"}, nil, []string{}),
		"odd values":  odd,
	} {
		t.Run(name, func(t *testing.T) { checkCachePolicyRoundTrip(t, c) })
	}
	// The encoder writes a list only when Names is not nil.
	out := string(EncodeCachePolicyConfig(withNames(nil, []string{}, nil)))
	if strings.Contains(out, "<Headers>") || strings.Contains(out, "<QueryStrings>") ||
		!strings.Contains(out, "<CookieBehavior>none</CookieBehavior><Cookies><Quantity>0</Quantity></Cookies>") {
		t.Errorf("lists: %s", out)
	}
}

// TestDecodeCachePolicyAccepted: what clients really send that must
// decode, and what it decodes to.
func TestDecodeCachePolicyAccepted(t *testing.T) {
	min := string(read(t, "cachepolicy-minimal.request.xml"))
	none := "<HeaderBehavior>none</HeaderBehavior>"
	for name, tt := range map[string]struct {
		body  string
		check func(c cloudfront.CachePolicyConfig) bool
	}{
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
	} {
		c, err := DecodeCachePolicyConfig([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !tt.check(c) {
			t.Errorf("%s: decoded %#v", name, c)
		}
	}
}

func emptyNotNil(s []string) bool { return s != nil && len(s) == 0 }

// TestDecodeCachePolicyBad: documents that must not decode, with the code
// each gets (all listed by the model for CreateCachePolicy, but for
// MalformedXML, the protocol's own).
func TestDecodeCachePolicyBad(t *testing.T) {
	min := string(read(t, "cachepolicy-minimal.request.xml"))
	full := string(read(t, "cachepolicy-full.request.xml"))
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
	)
	params := min[strings.Index(min, "<ParametersInCacheKeyAndForwardedToOrigin>"):strings.Index(min, "</CachePolicyConfig>")]
	for _, tt := range []struct {
		name string
		body string
		want cloudfront.Code
	}{
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
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeCachePolicyConfig([]byte(tt.body))
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

// FuzzDecodeCachePolicyConfig: no input panics or gets anything but a
// CloudFront 4xx error, and a config that decodes survives encode and
// decode unchanged, nil and empty Names included.
func FuzzDecodeCachePolicyConfig(f *testing.F) {
	seedFuzz(f) // every golden body, the cache policy ones among them
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeCachePolicyConfig(body)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		out := EncodeCachePolicyConfig(c)
		again, err := DecodeCachePolicyConfig(out)
		if err != nil {
			t.Fatalf("encoded config does not decode: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("round trip changed the config:\n%#v\n%#v", c, again)
		}
		if !bytes.Equal(out, EncodeCachePolicyConfig(again)) {
			t.Fatal("round trip changed the document")
		}
	})
}
