package v20200531

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// keyGroupCase: the key group codec under test. Its documents are a
// policy kind's without the summary's Type (policy.go), so its list test
// is its own.
var keyGroupCase = codecCase[cloudfront.KeyGroupConfig]{
	file:    "keygroup",
	root:    "KeyGroupConfig",
	decode:  DecodeKeyGroupConfig,
	encode:  EncodeKeyGroupConfig,
	full:    fullKeyGroupConfig,
	minimal: minimalKeyGroupConfig,
	validate: func(c *cloudfront.KeyGroupConfig) error {
		return cloudfront.DefaultRules().ValidateKeyGroupConfig(c)
	},
}

// fullKeyGroupConfig is what testdata/keygroup-full.request.xml says.
func fullKeyGroupConfig() cloudfront.KeyGroupConfig {
	return cloudfront.KeyGroupConfig{
		Name:    "private-signers",
		Items:   []string{"K2JCJMDEHXQW5F", "K3D5EWEUDCCXON"},
		Comment: "Signers for /private/* & cookies",
	}
}

func minimalKeyGroupConfig() cloudfront.KeyGroupConfig {
	return cloudfront.KeyGroupConfig{Name: "minimal", Items: []string{"K2JCJMDEHXQW5F"}}
}

// TestGoldenKeyGroupConfigs: see codecCase.testGoldenConfigs (both
// requests valid), Comment always there.
func TestGoldenKeyGroupConfigs(t *testing.T) {
	keyGroupCase.testGoldenConfigs(t)
	// An empty Comment is written with both tags, an empty list as
	// <Items></Items>.
	out := string(EncodeKeyGroupConfig(cloudfront.KeyGroupConfig{Name: "n"}))
	if want := xmlwire.Prolog + `<KeyGroupConfig xmlns="` + Namespace + `"><Name>n</Name><Items></Items><Comment></Comment></KeyGroupConfig>`; out != want {
		t.Errorf("empty config:\n got %s\nwant %s", out, want)
	}
}

// TestKeyGroupMemberOrder: the alphabetical request (aws-sdk-go-v2) and
// the model-order document decode to the same config; the request has all
// three.
func TestKeyGroupMemberOrder(t *testing.T) {
	root := keyGroupCase.testMemberOrder(t)
	if len(root.Kids) != 3 {
		var names []string
		for _, k := range root.Kids {
			names = append(names, k.Name)
		}
		t.Fatalf("members %v: want all three", names)
	}
}

// TestKeyGroupKeysNotOnWire: the resolved Keys are the control plane's:
// no document shows them.
func TestKeyGroupKeysNotOnWire(t *testing.T) {
	g, _ := testKeyGroups()
	with := g
	with.Config.Keys = []cloudfront.TrustedPublicKey{{ID: "K2JCJMDEHXQW5F", EncodedKey: signerKey}}
	for name, encode := range map[string]func(cloudfront.KeyGroup) []byte{
		"KeyGroupConfig": func(g cloudfront.KeyGroup) []byte { return EncodeKeyGroupConfig(g.Config) },
		"KeyGroup":       EncodeKeyGroup,
		"KeyGroupList": func(g cloudfront.KeyGroup) []byte {
			return EncodeKeyGroupList(cloudfront.ListPage{MaxItems: 1}, []cloudfront.KeyGroup{g})
		},
	} {
		if out := encode(with); !bytes.Equal(out, encode(g)) {
			t.Errorf("%s shows Keys: %s", name, out)
		}
	}
	min, _ := keyGroupCase.requests(t)
	keys := "<Keys><Items><TrustedPublicKey><ID>K1</ID><EncodedKey>k</EncodedKey></TrustedPublicKey></Items></Keys>"
	if _, err := DecodeKeyGroupConfig([]byte(edit(min, "<Name>", keys+"<Name>"))); err == nil {
		t.Error("a request with Keys decodes")
	}
}

func testKeyGroups() (full, minimal cloudfront.KeyGroup) {
	full = cloudfront.KeyGroup{ID: "6f3f1c1e-5b2a-4d8e-9c7b-2a1d0e9f8c7b", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC), ETag: "E2QWRUHEXAMPLE", Revision: 3,
		Config: fullKeyGroupConfig()}
	minimal = cloudfront.KeyGroup{ID: "0b8e7c2d-1f4a-4c3b-8e5d-9a6f7b8c9d0e", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC), ETag: "E3EXAMPLEETAG", Revision: 1,
		Config: minimalKeyGroupConfig()}
	return full, minimal
}

// TestGoldenKeyGroup: Id, LastModifiedTime and the config; no ETag or
// account (the ETag is a header).
func TestGoldenKeyGroup(t *testing.T) {
	full, _ := testKeyGroups()
	out := EncodeKeyGroup(full)
	golden(t, "keygroup.response.xml", out)
	for _, leak := range []string{"111122223333", "E2QWRUHEXAMPLE"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q in %s", leak, out)
		}
	}
}

func TestGoldenKeyGroupList(t *testing.T) {
	full, minimal := testKeyGroups()
	golden(t, "keygroup-list.response.xml",
		EncodeKeyGroupList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.KeyGroup{full, minimal}))

	// The policy lists' head: NextMarker when truncated, no Marker, no
	// IsTruncated; an empty page has no Items. KeyGroupSummary holds the
	// KeyGroup alone, no Type.
	page := string(EncodeKeyGroupList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true},
		[]cloudfront.KeyGroup{minimal}))
	if want := xmlwire.Prolog + `<KeyGroupList xmlns="` + Namespace + `"><NextMarker>b</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items><KeyGroupSummary><KeyGroup><Id>0b8e7c2d-1f4a-4c3b-8e5d-9a6f7b8c9d0e</Id><LastModifiedTime>2026-12-02T08:00:00.000Z</LastModifiedTime><KeyGroupConfig><Name>minimal</Name><Items><PublicKey>K2JCJMDEHXQW5F</PublicKey></Items><Comment></Comment></KeyGroupConfig></KeyGroup></KeyGroupSummary></Items></KeyGroupList>`; page != want {
		t.Errorf("truncated page:\n got %s\nwant %s", page, want)
	}
	empty := string(EncodeKeyGroupList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<KeyGroupList xmlns="` + Namespace + `"><MaxItems>100</MaxItems><Quantity>0</Quantity></KeyGroupList>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
}

// TestKeyGroupRoundTrip: decode(encode(x)) == x, whatever the strings
// hold (values are not validated by the codec). An empty list is nil.
func TestKeyGroupRoundTrip(t *testing.T) {
	odd := fullKeyGroupConfig()
	odd.Name, odd.Comment = " <a>\r\n\t&'\"é ", "  "
	odd.Items = []string{"", " K1 ", "K1", "<&>"}
	six := minimalKeyGroupConfig()
	six.Items = []string{"K1", "K2", "K3", "K4", "K5", "K6"}
	keyGroupCase.testRoundTrip(t, map[string]cloudfront.KeyGroupConfig{
		"full":       fullKeyGroupConfig(),
		"minimal":    minimalKeyGroupConfig(),
		"odd values": odd,
		"six keys":   six,
		"all empty":  {},
	})
}

// TestDecodeKeyGroupAccepted: what clients really send that must decode,
// and what it decodes to.
func TestDecodeKeyGroupAccepted(t *testing.T) {
	min, _ := keyGroupCase.requests(t)
	type config = cloudfront.KeyGroupConfig
	same := func(c config) bool { return reflect.DeepEqual(c, minimalKeyGroupConfig()) }
	items := func(want ...string) func(c config) bool {
		return func(c config) bool { return slices.Equal(c.Items, want) }
	}
	one := "<Items><PublicKey>K2JCJMDEHXQW5F</PublicKey></Items>"
	keyGroupCase.testAccepted(t, map[string]acceptedBody[config]{
		"no namespace":               {edit(min, ` xmlns="`+Namespace+`"`, ""), same},
		"with prolog":                {xmlwire.Prolog + min, same},
		"indented":                   {strings.ReplaceAll(min, "><", ">\n  <"), same},
		"no Comment":                 {min, func(c config) bool { return c.Comment == "" }},
		"empty Comment self-closing": {edit(min, "<Name>", "<Comment/><Name>"), same},
		"empty Comment pair":         {edit(min, "<Name>", "<Comment></Comment><Name>"), same},
		"Comment kept as sent": {edit(min, "<Name>", "<Comment> a\tb </Comment><Name>"),
			func(c config) bool { return c.Comment == " a\tb " }},
		"CDATA": {edit(min, ">K2JCJMDEHXQW5F<", "><![CDATA[K<1]]><"), items("K<1")},
		// aws-sdk-go-v2 sends an empty list as a pair.
		"empty Items pair":         {edit(min, one, "<Items></Items>"), func(c config) bool { return c.Items == nil }},
		"empty Items self-closing": {edit(min, one, "<Items/>"), func(c config) bool { return c.Items == nil }},
		"blank Items":              {edit(min, one, "<Items>\n  </Items>"), func(c config) bool { return c.Items == nil }},
		"order kept": {edit(min, one, "<Items><PublicKey>KB</PublicKey><PublicKey>KA</PublicKey></Items>"),
			items("KB", "KA")},
		"repeated id not refused": {edit(min, one, "<Items><PublicKey>K1</PublicKey><PublicKey>K1</PublicKey></Items>"),
			items("K1", "K1")},
		"six ids not refused": {edit(min, one, "<Items>"+strings.Repeat("<PublicKey>K</PublicKey>", 6)+"</Items>"),
			items("K", "K", "K", "K", "K", "K")},
		"empty id not refused": {edit(min, one, "<Items><PublicKey/></Items>"), items("")},
		"padded id kept":       {edit(min, ">K2JCJMDEHXQW5F<", "> K2JCJMDEHXQW5F <"), items(" K2JCJMDEHXQW5F ")},
		"empty Name not refused": {edit(min, "<Name>minimal</Name>", "<Name/>"),
			func(c config) bool { return c.Name == "" }},
	})
}

// TestDecodeKeyGroupBad: documents that must not decode, with the code
// each gets (MissingBody and MalformedXML, the protocol's own).
func TestDecodeKeyGroupBad(t *testing.T) {
	min, _ := keyGroupCase.requests(t)
	const mx = cloudfront.MalformedXML
	one := "<Items><PublicKey>K2JCJMDEHXQW5F</PublicKey></Items>"
	keyGroupCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"blank", " \n\t", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"truncated", min[:len(min)-5], mx},
		{"wrong root", strings.ReplaceAll(min, "KeyGroupConfig", "KeyGroupConf"), mx},
		{"KeyGroup root", `<KeyGroup xmlns="` + Namespace + `"><Id>G1</Id>` + min + `</KeyGroup>`, mx},
		{"public key root", string(read(t, "publickey-minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"other namespace", edit(min, "http://cloudfront.amazonaws.com/doc/2020-05-31/", "urn:x"), mx},
		{"two roots", min + min, mx},
		{"root holds text", edit(min, "<Name>", "text<Name>"), mx},
		{"missing Name", edit(min, "<Name>minimal</Name>", ""), mx},
		{"missing Items", edit(min, one, ""), mx},
		{"Quantity in Items", edit(min, "<Items>", "<Items><Quantity>1</Quantity>"), mx},
		{"Quantity beside Items", edit(min, "<Items>", "<Quantity>1</Quantity><Items>"), mx},
		{"other item name", strings.ReplaceAll(min, "PublicKey>", "PublicKeyId>"), mx},
		{"Items holds text", edit(min, one, "<Items>K2JCJMDEHXQW5F</Items>"), mx},
		{"item with elements", edit(min, ">K2JCJMDEHXQW5F<", "><Id>K2JCJMDEHXQW5F</Id><"), mx},
		{"repeated Items", edit(min, one, one+one), mx},
		{"Id member", edit(min, "<Name>", "<Id>G1</Id><Name>"), mx},
		{"LastModifiedTime member", edit(min, "<Name>", "<LastModifiedTime>2026-12-01T20:00:00.000Z</LastModifiedTime><Name>"), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"repeated member", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"repeated Comment", edit(min, "<Name>", "<Comment>a</Comment><Comment>b</Comment><Name>"), mx},
		{"Name with elements", edit(min, "<Name>minimal</Name>", "<Name><b>minimal</b></Name>"), mx},
		{"Comment with elements", edit(min, "<Name>", "<Comment><p>x</p></Comment><Name>"), mx},
		{"malformed beats missing", edit(edit(min, "<Name>minimal</Name>", ""), one, "<Items><x/></Items>"), mx},
	})
}

// FuzzDecodeKeyGroupConfig: see codecCase.fuzz.
func FuzzDecodeKeyGroupConfig(f *testing.F) {
	keyGroupCase.fuzz(f)
}
