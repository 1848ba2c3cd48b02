package v20120701

import (
	"os"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// seedConfig is the model of the seed page's example request, field by
// field.
var seedConfig = cloudfront.DistributionConfig{
	CallerReference:   "example.com2012-04-11-5:09pm",
	Aliases:           []string{"www.example.com"},
	DefaultRootObject: "index.html",
	Origins: []cloudfront.Origin{
		{
			ID:         "example-Amazon S3-origin",
			DomainName: "myawsbucket.s3.amazonaws.com",
			S3:         &cloudfront.S3OriginConfig{OriginAccessIdentity: "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"},
		},
		{
			ID:         "example-custom-origin",
			DomainName: "example.com",
			Custom: &cloudfront.CustomOriginConfig{
				HTTPPort:             80,
				HTTPSPort:            443,
				OriginProtocolPolicy: cloudfront.OriginMatchViewer,
			},
		},
	},
	DefaultCacheBehavior: cloudfront.CacheBehavior{
		TargetOriginID: "example-Amazon S3-origin",
		QueryString:    true,
		Cookies: cloudfront.CookiePreference{
			Forward:          cloudfront.ForwardWhitelist,
			WhitelistedNames: []string{"example-cookie"},
		},
		TrustedSigners: cloudfront.TrustedSigners{
			Enabled: true,
			Items:   []string{"self", "111122223333", "444455556666"},
		},
		ViewerProtocolPolicy: cloudfront.ViewerHTTPSOnly,
		MinTTL:               0,
	},
	CacheBehaviors: []cloudfront.CacheBehavior{{
		PathPattern:    "*.jpg",
		TargetOriginID: "example-custom-origin",
		QueryString:    false,
		Cookies:        cloudfront.CookiePreference{Forward: cloudfront.ForwardAll},
		TrustedSigners: cloudfront.TrustedSigners{
			Enabled: true,
			Items:   []string{"self", "111122223333"},
		},
		ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
		MinTTL:               86400,
	}},
	Comment: "example comment",
	Logging: cloudfront.Logging{
		Enabled:        true,
		IncludeCookies: true,
		Bucket:         "myawslogbucket.s3.amazonaws.com",
		Prefix:         "example.com.",
	},
	PriceClass: cloudfront.PriceClassAll,
	Enabled:    true,
}

func readSeed(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/CreateDistribution/seed.request.xml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeSeed(t *testing.T) {
	got, err := DecodeDistributionConfig(readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, seedConfig) {
		t.Errorf("seed decodes to\n%#v\nwant\n%#v", got, seedConfig)
	}
	if got.CacheBehaviors[0].Cookies.WhitelistedNames != nil {
		t.Error("WhitelistedNames is non-nil although the element is absent")
	}
}

// TestDecodePresence checks what the model must tell apart: absent versus
// empty whitelists, and which origin configs were sent.
func TestDecodePresence(t *testing.T) {
	body, err := os.ReadFile("testdata/CreateDistribution/lenient.request.xml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := DecodeDistributionConfig(body)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"absent whitelist is nil", c.DefaultCacheBehavior.Cookies.WhitelistedNames == nil},
		{"empty whitelist is non-nil", c.CacheBehaviors[0].Cookies.WhitelistedNames != nil && len(c.CacheBehaviors[0].Cookies.WhitelistedNames) == 0},
		{"whitelist names kept exactly", reflect.DeepEqual(c.CacheBehaviors[1].Cookies.WhitelistedNames, []string{"session", " spaced "})},
		{"both origin configs carried", c.Origins[0].S3 != nil && c.Origins[0].Custom != nil},
		{"empty OAI kept", c.Origins[0].S3 != nil && c.Origins[0].S3.OriginAccessIdentity == ""},
		{"padded integer trimmed", c.Origins[0].Custom != nil && c.Origins[0].Custom.HTTPPort == 80},
		{"padded boolean trimmed", c.Enabled},
		{"negative integer carried", c.CacheBehaviors[0].MinTTL == -5},
		{"enumerations not checked", c.CacheBehaviors[1].Cookies.Forward == "bogus-enum"},
		{"CDATA and entities", c.CacheBehaviors[1].PathPattern == "a&b<c>"},
		{"string kept exactly", c.Comment == "  Tom & Jerry's \"test\" <config> \r ünïcode  "},
		{"empty Items is no items", c.CacheBehaviors[0].TrustedSigners.Items == nil},
		{"Items before Quantity", reflect.DeepEqual(c.Aliases, []string{"a.example.com", "b.example.com"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Errorf("decoded %#v", c)
			}
		})
	}
}
