package v20200531

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// publicKeyCase: the public key codec under test.
var publicKeyCase = codecCase[cloudfront.PublicKeyConfig]{
	file:    "publickey",
	root:    "PublicKeyConfig",
	decode:  DecodePublicKeyConfig,
	encode:  EncodePublicKeyConfig,
	full:    fullPublicKeyConfig,
	minimal: minimalPublicKeyConfig,
	validate: func(c *cloudfront.PublicKeyConfig) error {
		return cloudfront.DefaultRules().ValidatePublicKeyConfig(c)
	},
}

// Two ECDSA P-256 keys, as openssl ec -pubout writes them: the golden
// requests' (the full one as aws-sdk-go-v2 escapes it, &#xA; for each
// newline; the minimal one with literal newlines, as botocore sends it).
const (
	signerKey = "-----BEGIN PUBLIC KEY-----\n" +
		"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7gV15BfqFmlxEPj+dnH6zTrsk3PE\n" +
		"ggRvBKf7zYqUb9M8MJxyrecqqku2GW+1GAgut8LP3NLRSZ3nDsNythcplg==\n" +
		"-----END PUBLIC KEY-----\n"
	minimalKey = "-----BEGIN PUBLIC KEY-----\n" +
		"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEoLqt9rBksijvcIaxD2i5vuq8cArj\n" +
		"pscl0IPRJmOaYKH3PJusDjyW0/EpElgV2rcfYBZZV5IIxifopLcIzoTj3Q==\n" +
		"-----END PUBLIC KEY-----\n"
)

// fullPublicKeyConfig is what testdata/publickey-full.request.xml says.
func fullPublicKeyConfig() cloudfront.PublicKeyConfig {
	return cloudfront.PublicKeyConfig{
		CallerReference: "tf-20261201-signer",
		Name:            "signer-2026",
		EncodedKey:      signerKey,
		Comment:         "Signs /private/* & cookies",
	}
}

func minimalPublicKeyConfig() cloudfront.PublicKeyConfig {
	return cloudfront.PublicKeyConfig{CallerReference: "ref-1", Name: "minimal", EncodedKey: minimalKey}
}

// TestGoldenPublicKeyConfigs: see codecCase.testGoldenConfigs (both
// requests valid), Comment always there.
func TestGoldenPublicKeyConfigs(t *testing.T) {
	publicKeyCase.testGoldenConfigs(t)
	// An empty Comment is written with both tags.
	out := string(EncodePublicKeyConfig(minimalPublicKeyConfig()))
	if !strings.HasSuffix(out, "-----END PUBLIC KEY-----\n</EncodedKey><Comment></Comment></PublicKeyConfig>") {
		t.Errorf("empty Comment: %s", out)
	}
}

// TestPublicKeyMemberOrder: the alphabetical request (aws-sdk-go-v2) and
// the model-order document decode to the same config; the request has all
// four.
func TestPublicKeyMemberOrder(t *testing.T) {
	root := publicKeyCase.testMemberOrder(t)
	if len(root.Kids) != 4 {
		var names []string
		for _, k := range root.Kids {
			names = append(names, k.Name)
		}
		t.Fatalf("members %v: want all four", names)
	}
}

// TestPublicKeyEncodedKey: a PEM comes back byte for byte, from the
// config, the PublicKey and the list (as a client's XML parser reads
// them), whatever its line ends and spacing; and the two ways clients
// send newlines decode alike.
func TestPublicKeyEncodedKey(t *testing.T) {
	crlf := strings.ReplaceAll(signerKey, "\n", "\r\n")
	for name, pem := range map[string]string{
		"LF":                  signerKey,
		"CRLF":                crlf,
		"no final newline":    strings.TrimSuffix(signerKey, "\n"),
		"blank lines, spaces": "\n  " + strings.ReplaceAll(signerKey, "\n", " \n\n") + "\t",
		"lone CR":             strings.ReplaceAll(signerKey, "\n", "\r"),
	} {
		t.Run(name, func(t *testing.T) {
			c := fullPublicKeyConfig()
			c.EncodedKey = pem
			publicKeyCase.checkRoundTrip(t, c)
			k := cloudfront.PublicKey{ID: "K1", Config: c}
			for doc, body := range map[string][]byte{
				"PublicKey":     EncodePublicKey(k),
				"PublicKeyList": EncodePublicKeyList(cloudfront.ListPage{MaxItems: 1}, []cloudfront.PublicKey{k}),
			} {
				if got := encodedKeyIn(t, doc, body); got != pem {
					t.Errorf("%s: EncodedKey %q, want %q", doc, got, pem)
				}
			}
		})
	}

	min, _ := publicKeyCase.requests(t)
	literal := "<EncodedKey>" + minimalKey + "</EncodedKey>"
	for name, tt := range map[string]struct{ sent, want string }{
		// aws-sdk-go-v2 escapes every newline; botocore writes them.
		"escaped LF": {strings.ReplaceAll(minimalKey, "\n", "&#xA;"), minimalKey},
		// A literal CR LF is a newline to any XML parser; an escaped CR
		// is kept.
		"literal CRLF": {strings.ReplaceAll(minimalKey, "\n", "\r\n"), minimalKey},
		"escaped CRLF": {strings.ReplaceAll(minimalKey, "\n", "&#xD;&#xA;"), strings.ReplaceAll(minimalKey, "\n", "\r\n")},
		"CDATA":        {"<![CDATA[" + minimalKey + "]]>", minimalKey},
	} {
		c, err := DecodePublicKeyConfig([]byte(edit(min, literal, "<EncodedKey>"+tt.sent+"</EncodedKey>")))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if c.EncodedKey != tt.want {
			t.Errorf("%s: EncodedKey %q, want %q", name, c.EncodedKey, tt.want)
		}
	}
}

// encodedKeyIn returns the text of the one EncodedKey element of a
// response document, as an XML parser reads it.
func encodedKeyIn(t *testing.T, root string, body []byte) string {
	t.Helper()
	n, err := xmlwire.Parse(body, Namespace, root)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	var walk func(n *xmlwire.Node)
	walk = func(n *xmlwire.Node) {
		if n.Name == "EncodedKey" {
			found = append(found, string(n.Text))
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	walk(n)
	if len(found) != 1 {
		t.Fatalf("%s has %d EncodedKey elements:\n%s", root, len(found), body)
	}
	return found[0]
}

func testPublicKeys() (full, minimal cloudfront.PublicKey) {
	full = cloudfront.PublicKey{ID: "K2JCJMDEHXQW5F", AccountID: "111122223333",
		CreatedTime:      time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC),
		LastModifiedTime: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC), ETag: "E2QWRUHEXAMPLE", Revision: 3,
		Config: fullPublicKeyConfig()}
	minimal = cloudfront.PublicKey{ID: "K3D5EWEUDCCXON", AccountID: "111122223333",
		CreatedTime:      time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC),
		LastModifiedTime: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC), ETag: "E3EXAMPLEETAG", Revision: 1,
		Config: minimalPublicKeyConfig()}
	return full, minimal
}

// TestGoldenPublicKey: Id, CreatedTime and the config; no
// LastModifiedTime, no ETag or account (the ETag is a header).
func TestGoldenPublicKey(t *testing.T) {
	full, _ := testPublicKeys()
	out := EncodePublicKey(full)
	golden(t, "publickey.response.xml", out)
	for _, leak := range []string{"LastModifiedTime", "2027-", "111122223333", "E2QWRUHEXAMPLE"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q in %s", leak, out)
		}
	}
}

func TestGoldenPublicKeyList(t *testing.T) {
	full, minimal := testPublicKeys()
	out := EncodePublicKeyList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.PublicKey{full, minimal})
	golden(t, "publickey-list.response.xml", out)
	for _, leak := range []string{"CallerReference", "LastModifiedTime", "2027-", "111122223333", "E2QWRUHEXAMPLE"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q in %s", leak, out)
		}
	}

	// The policy lists' head: NextMarker when truncated, no Marker, no
	// IsTruncated; an empty page has no Items. The summary is flat, in
	// the model's order, Comment always written.
	short := cloudfront.PublicKey{ID: "K1", CreatedTime: minimal.CreatedTime,
		Config: cloudfront.PublicKeyConfig{CallerReference: "r", Name: "n", EncodedKey: "k\n"}}
	page := string(EncodePublicKeyList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true},
		[]cloudfront.PublicKey{short}))
	if want := xmlwire.Prolog + `<PublicKeyList xmlns="` + Namespace + `"><NextMarker>b</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items><PublicKeySummary><Id>K1</Id><Name>n</Name><CreatedTime>2026-12-02T08:00:00.000Z</CreatedTime><EncodedKey>k` + "\n" + `</EncodedKey><Comment></Comment></PublicKeySummary></Items></PublicKeyList>`; page != want {
		t.Errorf("truncated page:\n got %s\nwant %s", page, want)
	}
	empty := string(EncodePublicKeyList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<PublicKeyList xmlns="` + Namespace + `"><MaxItems>100</MaxItems><Quantity>0</Quantity></PublicKeyList>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
}

// TestPublicKeyRoundTrip: decode(encode(x)) == x, whatever the strings
// hold (values are not validated by the codec).
func TestPublicKeyRoundTrip(t *testing.T) {
	odd := fullPublicKeyConfig()
	odd.CallerReference, odd.Name, odd.Comment = " <a>\r\n\t&'\"é ", "  ", "]]>"
	odd.EncodedKey = "not a key"
	publicKeyCase.testRoundTrip(t, map[string]cloudfront.PublicKeyConfig{
		"full":       fullPublicKeyConfig(),
		"minimal":    minimalPublicKeyConfig(),
		"odd values": odd,
		"all empty":  {},
	})
}

// TestDecodePublicKeyAccepted: what clients really send that must
// decode, and what it decodes to.
func TestDecodePublicKeyAccepted(t *testing.T) {
	min, _ := publicKeyCase.requests(t)
	type config = cloudfront.PublicKeyConfig
	same := func(c config) bool { return c == minimalPublicKeyConfig() }
	publicKeyCase.testAccepted(t, map[string]acceptedBody[config]{
		"no namespace":               {edit(min, ` xmlns="`+Namespace+`"`, ""), same},
		"with prolog":                {xmlwire.Prolog + min, same},
		"indented":                   {strings.ReplaceAll(min, "><", ">\n  <"), same},
		"no Comment":                 {min, func(c config) bool { return c.Comment == "" }},
		"empty Comment self-closing": {edit(min, "<Name>", "<Comment/><Name>"), same},
		"empty Comment pair":         {edit(min, "<Name>", "<Comment></Comment><Name>"), same},
		"Comment kept as sent": {edit(min, "<Name>", "<Comment> a\tb </Comment><Name>"),
			func(c config) bool { return c.Comment == " a\tb " }},
		"CDATA": {edit(min, "<Name>minimal</Name>", "<Name><![CDATA[a<b]]></Name>"),
			func(c config) bool { return c.Name == "a<b" }},
		"key not validated": {edit(min, minimalKey, "hello"),
			func(c config) bool { return c.EncodedKey == "hello" }},
		"empty values not refused": {edit(min, "<Name>minimal</Name>", "<Name/>"),
			func(c config) bool { return c.Name == "" }},
		"padded value kept": {edit(min, ">ref-1<", "> ref-1 <"),
			func(c config) bool { return c.CallerReference == " ref-1 " }},
	})
}

// TestDecodePublicKeyBad: documents that must not decode, with the code
// each gets (MissingBody and MalformedXML, the protocol's own: the model
// lists only InvalidArgument for a bad value, which validation gives).
func TestDecodePublicKeyBad(t *testing.T) {
	min, _ := publicKeyCase.requests(t)
	const mx = cloudfront.MalformedXML
	key := "<EncodedKey>" + minimalKey + "</EncodedKey>"
	publicKeyCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"blank", " \n\t", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"truncated", min[:len(min)-5], mx},
		{"wrong root", strings.ReplaceAll(min, "PublicKeyConfig", "PublicKeyConf"), mx},
		{"PublicKey root", `<PublicKey xmlns="` + Namespace + `"><Id>K1</Id>` + min + `</PublicKey>`, mx},
		{"key group root", string(read(t, "keygroup-minimal.request.xml")), mx},
		{"origin access control root", string(read(t, "originaccesscontrol-minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"other namespace", edit(min, "http://cloudfront.amazonaws.com/doc/2020-05-31/", "urn:x"), mx},
		{"two roots", min + min, mx},
		{"root holds text", edit(min, "<Name>", "text<Name>"), mx},
		{"missing CallerReference", edit(min, "<CallerReference>ref-1</CallerReference>", ""), mx},
		{"missing Name", edit(min, "<Name>minimal</Name>", ""), mx},
		{"missing EncodedKey", edit(min, key, ""), mx},
		{"Id member", edit(min, "<Name>", "<Id>K1</Id><Name>"), mx},
		{"CreatedTime member", edit(min, "<Name>", "<CreatedTime>2026-12-01T20:00:00.000Z</CreatedTime><Name>"), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"repeated member", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"repeated EncodedKey", edit(min, key, key+key), mx},
		{"repeated Comment", edit(min, "<Name>", "<Comment>a</Comment><Comment>b</Comment><Name>"), mx},
		{"Name with elements", edit(min, "<Name>minimal</Name>", "<Name><b>minimal</b></Name>"), mx},
		{"EncodedKey with elements", edit(min, key, "<EncodedKey><Key>k</Key></EncodedKey>"), mx},
		{"Comment with elements", edit(min, "<Name>", "<Comment><p>x</p></Comment><Name>"), mx},
		{"malformed beats missing", edit(edit(min, "<Name>minimal</Name>", ""), key, "<EncodedKey><x/></EncodedKey>"), mx},
	})
}

// FuzzDecodePublicKeyConfig: see codecCase.fuzz.
func FuzzDecodePublicKeyConfig(f *testing.F) {
	publicKeyCase.fuzz(f)
}
