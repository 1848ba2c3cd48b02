package v20120701

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"

	"github.com/openfront/openfront/internal/wire/xmlwire"
)

func summaryDistribution(id string) cloudfront.Distribution {
	d := fixedDistribution(seedConfig)
	d.ID = id
	return d
}

func TestGoldenLists(t *testing.T) {
	page := cloudfront.ListPage{MaxItems: 100}
	truncated := cloudfront.ListPage{Marker: "EDFDVBD6EXAMPLE", NextMarker: "E2QWRUHAPOMQZL", MaxItems: 2, IsTruncated: true}
	oai := cloudfront.OriginAccessIdentity{
		ID:                "E74FTE3AJFJ256A",
		S3CanonicalUserID: "cd13868f797c227fbea2830611a26fe0a21ba1b826ab4bed9b7771c9a69ba19f",
		Config:            cloudfront.OriginAccessIdentityConfig{CallerReference: "ref", Comment: "first"},
	}
	oai2 := oai
	oai2.ID, oai2.Config.Comment = "E2QWRUHAPOMQZL", ""
	inv := cloudfront.Invalidation{
		ID: "I1C03QVTPGHCSZ", DistributionID: "EDFDVBD6EXAMPLE", Status: cloudfront.StatusCompleted,
		CreateTime: fixedTime, Batch: cloudfront.InvalidationBatch{Paths: []string{"/a"}, CallerReference: "r"},
	}
	inv2 := inv
	inv2.ID, inv2.Status = "IDFDVBD632BHDS5", cloudfront.StatusInProgress
	tests := []struct {
		path string
		got  []byte
	}{
		{"ListDistributions/empty.response.xml", EncodeDistributionList(page, nil)},
		{"ListDistributions/page.response.xml", EncodeDistributionList(page, []cloudfront.Distribution{summaryDistribution("EDFDVBD6EXAMPLE")})},
		{"ListDistributions/truncated.response.xml", EncodeDistributionList(truncated, []cloudfront.Distribution{summaryDistribution("E1N3VW3E5YJ58U"), summaryDistribution("E2QWRUHAPOMQZL")})},
		{"ListCloudFrontOriginAccessIdentities/empty.response.xml", EncodeOriginAccessIdentityList(page, nil)},
		{"ListCloudFrontOriginAccessIdentities/truncated.response.xml", EncodeOriginAccessIdentityList(truncated, []cloudfront.OriginAccessIdentity{oai, oai2})},
		{"ListInvalidations/empty.response.xml", EncodeInvalidationList(page, nil)},
		{"ListInvalidations/truncated.response.xml", EncodeInvalidationList(truncated, []cloudfront.Invalidation{inv2, inv})},
		{"GetInvalidation/completed.response.xml", EncodeInvalidation(inv)},
		{"GetDistribution/no-signers.response.xml", EncodeDistribution(fixedDistribution(cloudfront.DistributionConfig{}))},
		{"Errors/no-such-distribution.error.xml", EncodeError(cloudfront.NewError(cloudfront.NoSuchDistribution), fixedRequestID)},
		{"Errors/internal.error.xml", EncodeError(cloudfront.NewError(cloudfront.InternalError), fixedRequestID)},
		{"Errors/escaped-message.error.xml", EncodeError(cloudfront.Errorf(cloudfront.InvalidArgument, `Comment <b> & "x"`), "")},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			golden(t, filepath.Join("testdata", tt.path), tt.got)
			checkDocument(t, tt.got)
		})
	}
}

// checkDocument checks what every encoded document shares: the prolog, a
// root in Namespace, well-formed compact XML.
func checkDocument(t *testing.T, doc []byte) {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte(xmlwire.Prolog+"<")) {
		t.Fatalf("document does not start with the prolog: %.60q", doc)
	}
	if body := doc[len(xmlwire.Prolog):]; bytes.Contains(body, []byte(">\n")) || bytes.Contains(body, []byte("> <")) {
		t.Errorf("document is not compact")
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if depth == 0 && se.Name.Space != Namespace {
				t.Errorf("root namespace = %q", se.Name.Space)
			}
			depth++
		}
	}
}

func TestEncodeRules(t *testing.T) {
	inParis := time.FixedZone("CEST", 2*3600)
	withWhitelist := func(names []string) []byte {
		c := seedConfig
		c.DefaultCacheBehavior.Cookies = cloudfront.CookiePreference{Forward: "whitelist", WhitelistedNames: names}
		return EncodeDistributionConfig(c)
	}
	s3Only := EncodeDistributionConfig(cloudfront.DistributionConfig{Origins: []cloudfront.Origin{{ID: "a", S3: &cloudfront.S3OriginConfig{}}}})
	tests := []struct {
		name   string
		doc    []byte
		has    []string
		hasNot []string
	}{
		{"empty lists omit Items", EncodeDistributionConfig(cloudfront.DistributionConfig{}),
			[]string{"<Aliases><Quantity>0</Quantity></Aliases>", "<Origins><Quantity>0</Quantity></Origins>", "<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>", "<Comment></Comment>"},
			[]string{"<Items>", "WhitelistedNames", "PathPattern"}},
		{"nil whitelist omitted", withWhitelist(nil), nil, []string{"WhitelistedNames"}},
		{"empty whitelist kept", withWhitelist([]string{}), []string{"<WhitelistedNames><Quantity>0</Quantity></WhitelistedNames>"}, nil},
		{"only the origin config set", s3Only, []string{"<S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>"}, []string{"CustomOriginConfig"}},
		{"NextMarker only when truncated", EncodeDistributionList(cloudfront.ListPage{Marker: "m", NextMarker: "ignored", MaxItems: 5}, nil),
			[]string{"<Marker>m</Marker><MaxItems>5</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity></DistributionList>"}, []string{"NextMarker", "<Items>"}},
		{"timestamps in UTC with milliseconds", EncodeInvalidation(cloudfront.Invalidation{CreateTime: time.Date(2013, 5, 18, 22, 8, 0, 350123456, inParis)}),
			[]string{"<CreateTime>2013-05-18T20:08:00.350Z</CreateTime>"}, nil},
		{"whole seconds keep milliseconds", EncodeInvalidation(cloudfront.Invalidation{CreateTime: time.Date(2013, 5, 18, 20, 8, 0, 0, time.UTC)}),
			[]string{"<CreateTime>2013-05-18T20:08:00.000Z</CreateTime>"}, nil},
		{"unencodable characters replaced", EncodeOriginAccessIdentityConfig(cloudfront.OriginAccessIdentityConfig{CallerReference: "a\x00b\xffc\uFFFEd", Comment: "]]>\r\n\t"}),
			[]string{"<CallerReference>a\uFFFDb\uFFFDc\uFFFDd</CallerReference>", "<Comment>]]&gt;&#xD;\n\t</Comment>"}, nil},
		{"nil error is InternalError", EncodeError(nil, "id"),
			[]string{"<Type>Receiver</Type><Code>InternalError</Code>", "<RequestId>id</RequestId>"}, nil},
		{"sender error", EncodeError(cloudfront.NewError(cloudfront.MalformedXML), "id"),
			[]string{"<ErrorResponse xmlns=\"" + Namespace + "\"><Error><Type>Sender</Type><Code>MalformedXML</Code><Message>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDocument(t, tt.doc)
			for _, s := range tt.has {
				if !bytes.Contains(tt.doc, []byte(s)) {
					t.Errorf("missing %q in\n%s", s, tt.doc)
				}
			}
			for _, s := range tt.hasNot {
				if bytes.Contains(tt.doc, []byte(s)) {
					t.Errorf("unexpected %q in\n%s", s, tt.doc)
				}
			}
		})
	}
}

// TestEncodeDecodeStrings checks that any string a client can send comes
// back unchanged through the encoder.
func TestEncodeDecodeStrings(t *testing.T) {
	for _, s := range []string{"", " ", "  padded  ", "a&b<c>d", "quote\"apos'", "cr\rlf\ncrlf\r\n", "tab\t", "ünïcødé ✓ 𝄞", "]]>", "&amp;"} {
		t.Run(strings.ToValidUTF8(s, "?"), func(t *testing.T) {
			in := cloudfront.OriginAccessIdentityConfig{CallerReference: s, Comment: s}
			out, err := DecodeOriginAccessIdentityConfig(EncodeOriginAccessIdentityConfig(in))
			if err != nil || out != in {
				t.Errorf("got %q, %v; want %q", out.Comment, err, s)
			}
		})
	}
}
