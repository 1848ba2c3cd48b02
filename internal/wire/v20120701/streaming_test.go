package v20120701

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// fixedStreamingDistribution wraps a decoded config as the control plane
// would after creating it.
func fixedStreamingDistribution(c cloudfront.StreamingDistributionConfig) cloudfront.StreamingDistribution {
	var ats cloudfront.ActiveTrustedSigners
	for _, s := range c.SignerAccounts() {
		ats.Enabled = true
		ats.Items = append(ats.Items, cloudfront.Signer{AwsAccountNumber: s, KeyPairIDs: fixedKeyPairs[s]})
	}
	return cloudfront.StreamingDistribution{
		ID:                   "EGTXBD79H29TRA8",
		Status:               cloudfront.StatusInProgress,
		LastModifiedTime:     fixedTime,
		DomainName:           "s5c39gqb8ow64r.cloudfront.net",
		ActiveTrustedSigners: ats,
		Config:               c,
	}
}

func TestGoldenCreateStreamingDistribution(t *testing.T) {
	for _, c := range requestCases(t, "CreateStreamingDistribution") {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := DecodeStreamingDistributionConfig(c.body)
			if !checkOutcome(t, c, err) {
				return
			}
			resp := EncodeStreamingDistribution(fixedStreamingDistribution(cfg))
			golden(t, c.base+".response.xml", resp)
			checkDocument(t, resp)
			canon := EncodeStreamingDistributionConfig(cfg)
			golden(t, filepath.Join("testdata", "GetStreamingDistributionConfig", c.name+".response.xml"), canon)

			// The canonical form decodes to the same model and re-encodes
			// to the same bytes.
			again, err := DecodeStreamingDistributionConfig(canon)
			if err != nil {
				t.Fatalf("canonical form does not decode: %v", err)
			}
			if !reflect.DeepEqual(again, cfg) {
				t.Errorf("canonical form decodes differently:\ngot  %#v\nwant %#v", again, cfg)
			}
			if b := EncodeStreamingDistributionConfig(again); !bytes.Equal(b, canon) {
				t.Errorf("encoding is not idempotent:\n%s\n%s", b, canon)
			}
		})
	}
}

func TestGoldenStreamingLists(t *testing.T) {
	page := cloudfront.ListPage{MaxItems: 100}
	truncated := cloudfront.ListPage{Marker: "EDFDVBD6EXAMPLE", NextMarker: "E2QWRUHAPOMQZL", MaxItems: 2, IsTruncated: true}
	first := fixedStreamingDistribution(streamingExample)
	first.ID = "E1N3VW3E5YJ58U"
	second := fixedStreamingDistribution(cloudfront.StreamingDistributionConfig{
		CallerReference: "r", S3Origin: cloudfront.S3Origin{DomainName: "media.s3.amazonaws.com"},
		PriceClass: cloudfront.PriceClassAll,
	})
	second.ID, second.Status = "E2QWRUHAPOMQZL", cloudfront.StatusDeployed
	tests := []struct {
		path string
		got  []byte
	}{
		{"ListStreamingDistributions/empty.response.xml", EncodeStreamingDistributionList(page, nil)},
		{"ListStreamingDistributions/truncated.response.xml", EncodeStreamingDistributionList(truncated, []cloudfront.StreamingDistribution{first, second})},
		{"GetStreamingDistribution/no-signers.response.xml", EncodeStreamingDistribution(second)},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			golden(t, filepath.Join("testdata", tt.path), tt.got)
			checkDocument(t, tt.got)
		})
	}
}

// streamingExample is testdata/CreateStreamingDistribution/example.request.xml.
var streamingExample = cloudfront.StreamingDistributionConfig{
	CallerReference: "20120229090000",
	S3Origin:        cloudfront.S3Origin{DomainName: "mystreamingbucket.s3.amazonaws.com", OriginAccessIdentity: "origin-access-identity/cloudfront/E127EXAMPLE51Z"},
	Aliases:         []string{"www.example.com", "product.example.com"},
	Comment:         "example comment",
	Logging:         cloudfront.StreamingLogging{Enabled: true, Bucket: "myawslogbucket.s3.amazonaws.com", Prefix: "myprefix/"},
	TrustedSigners:  cloudfront.TrustedSigners{Enabled: true, Items: []string{"self", "111122223333"}},
	PriceClass:      cloudfront.PriceClass100,
	Enabled:         true,
}

func TestDecodeStreamingExample(t *testing.T) {
	c := requestCases(t, "CreateStreamingDistribution")
	for _, rc := range c {
		if rc.name != "example" {
			continue
		}
		got, err := DecodeStreamingDistributionConfig(rc.body)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, streamingExample) {
			t.Errorf("decoded\n%#v\nwant\n%#v", got, streamingExample)
		}
		return
	}
	t.Fatal("no example case")
}

// streamingOK is a valid compact StreamingDistributionConfig that the bad
// cases edit.
const streamingOK = `<StreamingDistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
	`<CallerReference>r</CallerReference>` +
	`<S3Origin><DomainName>media.s3.amazonaws.com</DomainName><OriginAccessIdentity></OriginAccessIdentity></S3Origin>` +
	`<Aliases><Quantity>1</Quantity><Items><CNAME>a.example.com</CNAME></Items></Aliases>` +
	`<Comment>c</Comment>` +
	`<Logging><Enabled>false</Enabled><Bucket></Bucket><Prefix></Prefix></Logging>` +
	`<TrustedSigners><Enabled>true</Enabled><Quantity>1</Quantity><Items><AwsAccountNumber>self</AwsAccountNumber></Items></TrustedSigners>` +
	`<PriceClass>PriceClass_All</PriceClass>` +
	`<Enabled>true</Enabled>` +
	`</StreamingDistributionConfig>`

func badStreamingDistributionConfigs() []badCase {
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
	)
	ok := streamingOK
	return []badCase{
		{"empty", "", cloudfront.MissingBody},
		{"whitespace", " \n", cloudfront.MissingBody},
		{"not XML", "hello", mx},
		{"truncated", ok[:len(ok)/2], mx},
		{"wrong root", "<DistributionConfig/>", mx},
		{"wrong namespace", edit(ok, "doc/2012-07-01/", "doc/2012-05-05/"), mx},
		{"empty root", "<StreamingDistributionConfig/>", mx},
		{"missing CallerReference", edit(ok, "<CallerReference>r</CallerReference>", ""), mx},
		{"missing S3Origin", edit(ok, "<S3Origin><DomainName>media.s3.amazonaws.com</DomainName><OriginAccessIdentity></OriginAccessIdentity></S3Origin>", ""), mx},
		{"missing S3Origin/DomainName", edit(ok, "<DomainName>media.s3.amazonaws.com</DomainName>", ""), mx},
		{"missing OriginAccessIdentity", edit(ok, "<OriginAccessIdentity></OriginAccessIdentity>", ""), mx},
		{"missing Aliases", edit(ok, "<Aliases><Quantity>1</Quantity><Items><CNAME>a.example.com</CNAME></Items></Aliases>", ""), mx},
		{"missing Comment", edit(ok, "<Comment>c</Comment>", ""), mx},
		{"missing Logging/Prefix", edit(ok, "<Prefix></Prefix>", ""), mx},
		{"missing TrustedSigners", edit(ok, "<TrustedSigners><Enabled>true</Enabled><Quantity>1</Quantity><Items><AwsAccountNumber>self</AwsAccountNumber></Items></TrustedSigners>", ""), mx},
		{"missing TrustedSigners/Enabled", edit(ok, "<TrustedSigners><Enabled>true</Enabled>", "<TrustedSigners>"), mx},
		{"missing PriceClass", edit(ok, "<PriceClass>PriceClass_All</PriceClass>", ""), mx},
		{"missing Enabled", edit(ok, "<Enabled>true</Enabled></StreamingDistributionConfig>", "</StreamingDistributionConfig>"), mx},
		{"IncludeCookies", edit(ok, "<Bucket></Bucket>", "<IncludeCookies>false</IncludeCookies><Bucket></Bucket>"), mx},
		{"S3OriginConfig inside S3Origin", edit(ok, "<OriginAccessIdentity></OriginAccessIdentity>", "<OriginAccessIdentity></OriginAccessIdentity><S3OriginConfig/>"), mx},
		{"InProgressInvalidationBatches", edit(ok, "<Comment>", "<InProgressInvalidationBatches>0</InProgressInvalidationBatches><Comment>"), mx},
		{"repeated Comment", edit(ok, "<Comment>c</Comment>", "<Comment>c</Comment><Comment/>"), mx},
		{"S3Origin as text", edit(ok, "<S3Origin><DomainName>media.s3.amazonaws.com</DomainName><OriginAccessIdentity></OriginAccessIdentity></S3Origin>", "<S3Origin>media.s3.amazonaws.com</S3Origin>"), mx},
		{"boolean True", edit(ok, "<Enabled>true</Enabled></StreamingDistributionConfig>", "<Enabled>True</Enabled></StreamingDistributionConfig>"), mx},
		{"Quantity word", edit(ok, "<Quantity>1</Quantity>", "<Quantity>one</Quantity>"), mx},
		{"unknown Items child", edit(ok, "<CNAME>a.example.com</CNAME>", "<Alias>a.example.com</Alias>"), mx},
		{"malformed beats inconsistent", edit(edit(ok, "<Quantity>1</Quantity>", "<Quantity>3</Quantity>"), "<Comment>c</Comment>", ""), mx},

		{"Aliases more items", edit(ok, "<Quantity>1</Quantity>", "<Quantity>0</Quantity>"), iq},
		{"Aliases Items omitted", edit(ok, "<Items><CNAME>a.example.com</CNAME></Items>", ""), iq},
		{"TrustedSigners fewer items", edit(ok, "<Enabled>true</Enabled><Quantity>1</Quantity>", "<Enabled>true</Enabled><Quantity>2</Quantity>"), iq},
	}
}

func TestDecodeStreamingDistributionConfigBad(t *testing.T) {
	for _, tt := range badStreamingDistributionConfigs() {
		t.Run(tt.name, func(t *testing.T) {
			checkBad(t, tt, func(b []byte) error { _, err := DecodeStreamingDistributionConfig(b); return err })
		})
	}
	if _, err := DecodeStreamingDistributionConfig([]byte(streamingOK)); err != nil {
		t.Fatalf("the base of the bad cases does not decode: %v", err)
	}
}

func FuzzDecodeStreamingDistributionConfig(f *testing.F) {
	addSeeds(f, "CreateStreamingDistribution", badStreamingDistributionConfigs())
	f.Add([]byte(streamingOK))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeStreamingDistributionConfig(body)
		checkDecodeError(t, err)
		if err != nil {
			return
		}
		enc := EncodeStreamingDistributionConfig(c)
		again, err := DecodeStreamingDistributionConfig(enc)
		if err != nil {
			t.Fatalf("re-encoded config does not decode: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("round trip changed the config:\nfirst  %#v\nsecond %#v", c, again)
		}
	})
}
