package v20200531

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// originAccessControlCase: the origin access control codec under test.
// Its document and list are not the policies' (policy.go): their tests
// are its own.
var originAccessControlCase = codecCase[cloudfront.OriginAccessControlConfig]{
	file:    "originaccesscontrol",
	root:    "OriginAccessControlConfig",
	decode:  DecodeOriginAccessControlConfig,
	encode:  EncodeOriginAccessControlConfig,
	full:    fullOriginAccessControlConfig,
	minimal: minimalOriginAccessControlConfig,
	validate: func(c *cloudfront.OriginAccessControlConfig) error {
		return cloudfront.DefaultRules().ValidateOriginAccessControlConfig(c)
	},
}

// fullOriginAccessControlConfig is what
// testdata/originaccesscontrol-full.request.xml says.
func fullOriginAccessControlConfig() cloudfront.OriginAccessControlConfig {
	return cloudfront.OriginAccessControlConfig{
		Name:            "assets-oac",
		Description:     "Assets bucket & logs",
		SigningProtocol: cloudfront.SigningProtocolSigV4,
		SigningBehavior: cloudfront.SigningAlways,
		OriginType:      cloudfront.OACOriginS3,
	}
}

func minimalOriginAccessControlConfig() cloudfront.OriginAccessControlConfig {
	return cloudfront.OriginAccessControlConfig{
		Name:            "minimal",
		SigningProtocol: cloudfront.SigningProtocolSigV4,
		SigningBehavior: cloudfront.SigningNoOverride,
		OriginType:      cloudfront.OACOriginLambda,
	}
}

// TestGoldenOriginAccessControlConfigs: see codecCase.testGoldenConfigs
// (both requests valid), Description always there.
func TestGoldenOriginAccessControlConfigs(t *testing.T) {
	originAccessControlCase.testGoldenConfigs(t)
	// An empty Description is written with both tags.
	out := string(EncodeOriginAccessControlConfig(minimalOriginAccessControlConfig()))
	if !strings.Contains(out, "<Name>minimal</Name><Description></Description><SigningProtocol>") {
		t.Errorf("empty Description: %s", out)
	}
}

// TestOriginAccessControlMemberOrder: the alphabetical request
// (aws-sdk-go-v2) and the model-order document (the encoder's, as the JS
// SDK sends it) decode to the same config; the request has all five.
func TestOriginAccessControlMemberOrder(t *testing.T) {
	root := originAccessControlCase.testMemberOrder(t)
	if len(root.Kids) != 5 {
		var names []string
		for _, k := range root.Kids {
			names = append(names, k.Name)
		}
		t.Fatalf("members %v: want all five", names)
	}
}

func testOriginAccessControls() (full, minimal cloudfront.OriginAccessControl) {
	full = cloudfront.OriginAccessControl{ID: "E2QWRUHAPOMQZL", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC), ETag: "E2QWRUHEXAMPLE", Revision: 3,
		Config: fullOriginAccessControlConfig()}
	minimal = cloudfront.OriginAccessControl{ID: "E1ABCDEFGHIJKL", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC), ETag: "E3EXAMPLEETAG", Revision: 1,
		Config: minimalOriginAccessControlConfig()}
	return full, minimal
}

// TestGoldenOriginAccessControl: Id and the config; no LastModifiedTime,
// no ETag or account (the ETag is a header).
func TestGoldenOriginAccessControl(t *testing.T) {
	full, _ := testOriginAccessControls()
	out := EncodeOriginAccessControl(full)
	golden(t, "originaccesscontrol.response.xml", out)
	for _, leak := range []string{"LastModifiedTime", "2026-", "111122223333", "E2QWRUHEXAMPLE"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q in %s", leak, out)
		}
	}
}

func TestGoldenOriginAccessControlList(t *testing.T) {
	full, minimal := testOriginAccessControls()
	golden(t, "originaccesscontrol-list.response.xml",
		EncodeOriginAccessControlList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.OriginAccessControl{full, minimal}))

	// The list head of the distribution lists: Marker always, NextMarker
	// when truncated; an empty page has no Items. The summary is flat, in
	// the model's order, Description (required there) always written.
	page := string(EncodeOriginAccessControlList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true},
		[]cloudfront.OriginAccessControl{minimal}))
	if want := `<OriginAccessControlList xmlns="` + Namespace + `"><Marker>a</Marker><NextMarker>b</NextMarker><MaxItems>1</MaxItems><IsTruncated>true</IsTruncated><Quantity>1</Quantity><Items><OriginAccessControlSummary><Id>E1ABCDEFGHIJKL</Id><Description></Description><Name>minimal</Name><SigningProtocol>sigv4</SigningProtocol><SigningBehavior>no-override</SigningBehavior><OriginAccessControlOriginType>lambda</OriginAccessControlOriginType></OriginAccessControlSummary></Items></OriginAccessControlList>`; page != xmlwire.Prolog+want {
		t.Errorf("truncated page:\n got %s\nwant %s", page, want)
	}
	empty := string(EncodeOriginAccessControlList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<OriginAccessControlList xmlns="` + Namespace + `"><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity></OriginAccessControlList>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
}

// TestOriginAccessControlRoundTrip: decode(encode(x)) == x, whatever the
// strings hold (values are not validated by the codec).
func TestOriginAccessControlRoundTrip(t *testing.T) {
	odd := fullOriginAccessControlConfig()
	odd.Name, odd.Description = " <a>\r\n\t&'\"é ", "  "
	odd.SigningBehavior, odd.OriginType = "sometimes", ""
	empty := cloudfront.OriginAccessControlConfig{}
	originAccessControlCase.testRoundTrip(t, map[string]cloudfront.OriginAccessControlConfig{
		"full":       fullOriginAccessControlConfig(),
		"minimal":    minimalOriginAccessControlConfig(),
		"odd values": odd,
		"all empty":  empty,
	})
}

// TestDecodeOriginAccessControlAccepted: what clients really send that
// must decode, and what it decodes to.
func TestDecodeOriginAccessControlAccepted(t *testing.T) {
	min, _ := originAccessControlCase.requests(t)
	type config = cloudfront.OriginAccessControlConfig
	originAccessControlCase.testAccepted(t, map[string]acceptedBody[config]{
		"no namespace": {edit(min, ` xmlns="`+Namespace+`"`, ""),
			func(c config) bool { return c == minimalOriginAccessControlConfig() }},
		"with prolog": {xmlwire.Prolog + min,
			func(c config) bool { return c == minimalOriginAccessControlConfig() }},
		"indented": {strings.ReplaceAll(min, "><", ">\n  <"),
			func(c config) bool { return c == minimalOriginAccessControlConfig() }},
		"no Description": {min,
			func(c config) bool { return c.Description == "" }},
		"empty Description self-closing": {edit(min, "<Name>", "<Description/><Name>"),
			func(c config) bool { return c == minimalOriginAccessControlConfig() }},
		"empty Description pair": {edit(min, "<Name>", "<Description></Description><Name>"),
			func(c config) bool { return c == minimalOriginAccessControlConfig() }},
		"Description kept as sent": {edit(min, "<Name>", "<Description> a\tb </Description><Name>"),
			func(c config) bool { return c.Description == " a\tb " }},
		"CDATA": {edit(min, "<Name>minimal</Name>", "<Name><![CDATA[a<b]]></Name>"),
			func(c config) bool { return c.Name == "a<b" }},
		"enumerations not validated": {edit(edit(edit(min, ">sigv4<", ">sigv2<"), ">no-override<", ">sometimes<"), ">lambda<", ">ec2<"),
			func(c config) bool {
				return c.SigningProtocol == "sigv2" && c.SigningBehavior == "sometimes" && c.OriginType == "ec2"
			}},
		"empty values not refused": {edit(min, "<SigningBehavior>no-override</SigningBehavior>", "<SigningBehavior/>"),
			func(c config) bool { return c.SigningBehavior == "" }},
		"padded value kept": {edit(min, ">lambda<", "> lambda <"),
			func(c config) bool { return c.OriginType == " lambda " }},
	})
}

// TestDecodeOriginAccessControlBad: documents that must not decode, with
// the code each gets (MissingBody and MalformedXML, the protocol's own:
// the model lists only InvalidArgument for a bad value, which validation
// gives).
func TestDecodeOriginAccessControlBad(t *testing.T) {
	min, _ := originAccessControlCase.requests(t)
	const mx = cloudfront.MalformedXML
	originAccessControlCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"blank", " \n\t", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"truncated", min[:len(min)-5], mx},
		{"wrong root", strings.ReplaceAll(min, "OriginAccessControlConfig", "OriginAccessIdentityConfig"), mx},
		{"OriginAccessControl root", `<OriginAccessControl xmlns="` + Namespace + `"><Id>E1</Id>` + min + `</OriginAccessControl>`, mx},
		{"OAI root", `<CloudFrontOriginAccessIdentityConfig xmlns="` + Namespace + `"><CallerReference>r</CallerReference><Comment/></CloudFrontOriginAccessIdentityConfig>`, mx},
		{"origin request policy root", string(read(t, "originrequestpolicy-minimal.request.xml")), mx},
		{"distribution root", string(read(t, "minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"other namespace", edit(min, "http://cloudfront.amazonaws.com/doc/2020-05-31/", "urn:x"), mx},
		{"two roots", min + min, mx},
		{"root holds text", edit(min, "<Name>", "text<Name>"), mx},
		{"missing Name", edit(min, "<Name>minimal</Name>", ""), mx},
		{"missing SigningProtocol", edit(min, "<SigningProtocol>sigv4</SigningProtocol>", ""), mx},
		{"missing SigningBehavior", edit(min, "<SigningBehavior>no-override</SigningBehavior>", ""), mx},
		{"missing OriginAccessControlOriginType", edit(min, "<OriginAccessControlOriginType>lambda</OriginAccessControlOriginType>", ""), mx},
		{"OriginType for OriginAccessControlOriginType", strings.ReplaceAll(min, "OriginAccessControlOriginType", "OriginType"), mx},
		{"Id member", edit(min, "<Name>", "<Id>E1</Id><Name>"), mx},
		{"Comment member", edit(min, "<Name>", "<Comment>c</Comment><Name>"), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"repeated member", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"repeated Description", edit(min, "<Name>", "<Description>a</Description><Description>b</Description><Name>"), mx},
		{"Name with elements", edit(min, "<Name>minimal</Name>", "<Name><b>minimal</b></Name>"), mx},
		{"Description with elements", edit(min, "<Name>", "<Description><p>x</p></Description><Name>"), mx},
		{"SigningBehavior with elements", edit(min, ">no-override<", "><always/><"), mx},
		{"malformed beats missing", edit(edit(min, "<Name>minimal</Name>", ""), "<SigningProtocol>sigv4</SigningProtocol>", "<SigningProtocol><x/></SigningProtocol>"), mx},
	})
}

// FuzzDecodeOriginAccessControlConfig: see codecCase.fuzz.
func FuzzDecodeOriginAccessControlConfig(f *testing.F) {
	originAccessControlCase.fuzz(f)
}
