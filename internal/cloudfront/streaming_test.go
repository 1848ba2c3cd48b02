package cloudfront

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// testStreamingConfig is a valid streaming config using every field.
func testStreamingConfig() *StreamingDistributionConfig {
	return &StreamingDistributionConfig{
		CallerReference: "20120229090000",
		S3Origin:        S3Origin{DomainName: "mystreamingbucket.s3.amazonaws.com", OriginAccessIdentity: "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"},
		Aliases:         []string{"streaming.example.com"},
		Comment:         "example comment",
		Logging:         StreamingLogging{Enabled: true, Bucket: "myawslogbucket.s3.amazonaws.com", Prefix: "myprefix/"},
		TrustedSigners:  TrustedSigners{Enabled: true, Items: []string{"self", "111122223333"}},
		PriceClass:      PriceClass100,
		Enabled:         true,
	}
}

func TestValidateStreamingDistributionConfig(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(c *StreamingDistributionConfig)
		want   Code
	}{
		{"example", func(c *StreamingDistributionConfig) {}, ""},
		{"empty caller reference", func(c *StreamingDistributionConfig) { c.CallerReference = "" }, InvalidArgument},
		{"caller reference 128 bytes", func(c *StreamingDistributionConfig) { c.CallerReference = strings.Repeat("x", 128) }, InvalidArgument},
		{"comment 129 chars", func(c *StreamingDistributionConfig) { c.Comment = strings.Repeat("x", 129) }, InvalidArgument},
		{"100 aliases", func(c *StreamingDistributionConfig) { c.Aliases = aliasNames(100) }, ""},
		{"101 aliases", func(c *StreamingDistributionConfig) { c.Aliases = aliasNames(101) }, TooManyStreamingDistributionCNAMEs},
		{"bad alias", func(c *StreamingDistributionConfig) { c.Aliases = []string{"localhost"} }, InvalidArgument},
		{"duplicate alias", func(c *StreamingDistributionConfig) { c.Aliases = []string{"a.example.com", "A.example.com"} }, InvalidArgument},
		{"custom origin domain", func(c *StreamingDistributionConfig) { c.S3Origin.DomainName = "www.example.com" }, InvalidOrigin},
		{"empty origin domain", func(c *StreamingDistributionConfig) { c.S3Origin.DomainName = "" }, InvalidOrigin},
		{"regional S3 origin", func(c *StreamingDistributionConfig) { c.S3Origin.DomainName = "media.s3-eu-west-1.amazonaws.com" }, ""},
		{"no OAI", func(c *StreamingDistributionConfig) { c.S3Origin.OriginAccessIdentity = "" }, ""},
		{"OAI without prefix", func(c *StreamingDistributionConfig) { c.S3Origin.OriginAccessIdentity = "E74FTE3AEXAMPLE" }, InvalidOriginAccessIdentity},
		{"OAI lower case", func(c *StreamingDistributionConfig) {
			c.S3Origin.OriginAccessIdentity = "origin-access-identity/cloudfront/e74"
		}, InvalidOriginAccessIdentity},
		{"five signers", func(c *StreamingDistributionConfig) { c.TrustedSigners.Items = testAccounts(5) }, ""},
		{"six signers", func(c *StreamingDistributionConfig) { c.TrustedSigners.Items = testAccounts(6) }, TooManyTrustedSigners},
		{"signer with dashes", func(c *StreamingDistributionConfig) { c.TrustedSigners.Items = []string{"1111-2222-3333"} }, InvalidArgument},
		{"signers disabled with items", func(c *StreamingDistributionConfig) { c.TrustedSigners.Enabled = false }, ""},
		{"bad price class", func(c *StreamingDistributionConfig) { c.PriceClass = "PriceClass_50" }, InvalidArgument},
		{"empty price class", func(c *StreamingDistributionConfig) { c.PriceClass = "" }, InvalidArgument},
		{"bad log bucket", func(c *StreamingDistributionConfig) { c.Logging.Bucket = "logs.example.com" }, InvalidArgument},
		{"bad log bucket, logging off", func(c *StreamingDistributionConfig) {
			c.Logging = StreamingLogging{Bucket: "logs.example.com"}
		}, ""},
		{"log prefix 257 chars", func(c *StreamingDistributionConfig) { c.Logging.Prefix = strings.Repeat("p", 257) }, InvalidArgument},
		// Order: counts come before everything else.
		{"too many aliases and bad origin", func(c *StreamingDistributionConfig) {
			c.Aliases = aliasNames(101)
			c.S3Origin.DomainName = "x"
		}, TooManyStreamingDistributionCNAMEs},
	}
	r := DefaultRules()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testStreamingConfig()
			tc.mutate(c)
			if got := validationCode(t, r.ValidateStreamingDistributionConfig(c)); got != tc.want {
				t.Errorf("code %q, want %q", got, tc.want)
			}
		})
	}
	if got := validationCode(t, r.ValidateStreamingDistributionConfig(nil)); got != MalformedXML {
		t.Errorf("nil config: %q, want MalformedXML", got)
	}
}

func TestStreamingLimits(t *testing.T) {
	r := Rules{Limits: Limits{CNAMEsPerDistribution: 1, TrustedSignersPerBehavior: 1}}
	c := testStreamingConfig()
	if got := validationCode(t, r.ValidateStreamingDistributionConfig(c)); got != TooManyTrustedSigners {
		t.Errorf("two signers over a limit of one: %q", got)
	}
	c.Aliases = append(c.Aliases, "b.example.com")
	if got := validationCode(t, r.ValidateStreamingDistributionConfig(c)); got != TooManyStreamingDistributionCNAMEs {
		t.Errorf("two aliases over a limit of one: %q", got)
	}
}

func TestNormalizeStreamingDistributionConfig(t *testing.T) {
	c := testStreamingConfig()
	c.Aliases = []string{"WWW.Example.com"}
	c.Logging.Enabled = false
	NormalizeStreamingDistributionConfig(c)
	if c.Logging != (StreamingLogging{}) {
		t.Errorf("disabled logging kept %+v", c.Logging)
	}
	if c.Aliases[0] != "www.example.com" {
		t.Errorf("alias %q not lower-cased", c.Aliases[0])
	}
	NormalizeStreamingDistributionConfig(nil)
}

func TestEqualStreamingDistributionConfigs(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(c *StreamingDistributionConfig)
		want   bool
	}{
		{"same", func(c *StreamingDistributionConfig) {}, true},
		{"nil and empty aliases", func(c *StreamingDistributionConfig) { c.Aliases = []string{} }, true},
		{"alias", func(c *StreamingDistributionConfig) { c.Aliases = []string{"x.example.com"} }, false},
		{"origin", func(c *StreamingDistributionConfig) { c.S3Origin.DomainName = "x.s3.amazonaws.com" }, false},
		{"OAI", func(c *StreamingDistributionConfig) { c.S3Origin.OriginAccessIdentity = "" }, false},
		{"comment", func(c *StreamingDistributionConfig) { c.Comment = "x" }, false},
		{"logging", func(c *StreamingDistributionConfig) { c.Logging.Prefix = "x" }, false},
		{"signers enabled", func(c *StreamingDistributionConfig) { c.TrustedSigners.Enabled = false }, false},
		{"signers", func(c *StreamingDistributionConfig) { c.TrustedSigners.Items = []string{"self"} }, false},
		{"price class", func(c *StreamingDistributionConfig) { c.PriceClass = PriceClassAll }, false},
		{"enabled", func(c *StreamingDistributionConfig) { c.Enabled = false }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := testStreamingConfig()
			a.Aliases = nil
			b := testStreamingConfig()
			b.Aliases = nil
			tc.mutate(b)
			if got := EqualStreamingDistributionConfigs(a, b); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStreamingReferences(t *testing.T) {
	cases := []struct {
		name        string
		signers     TrustedSigners
		oai         string
		wantSigners []string
		wantOAIs    []string
	}{
		{"none", TrustedSigners{}, "", nil, nil},
		{"disabled signers", TrustedSigners{Items: []string{"self"}}, "origin-access-identity/cloudfront/EABC", nil, []string{"EABC"}},
		{"distinct signers", TrustedSigners{Enabled: true, Items: []string{"self", "111122223333", "self"}}, "bad", []string{"self", "111122223333"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := StreamingDistributionConfig{TrustedSigners: tc.signers, S3Origin: S3Origin{OriginAccessIdentity: tc.oai}}
			if got := c.SignerAccounts(); !slices.Equal(got, tc.wantSigners) {
				t.Errorf("SignerAccounts = %q, want %q", got, tc.wantSigners)
			}
			if got := c.OAIReferences(); !slices.Equal(got, tc.wantOAIs) {
				t.Errorf("OAIReferences = %q, want %q", got, tc.wantOAIs)
			}
		})
	}
}

func TestNewStreamingDomainLabel(t *testing.T) {
	form := regexp.MustCompile(`^s[a-z0-9]{13}$`)
	for range 100 {
		if l := NewStreamingDomainLabel(); !form.MatchString(l) {
			t.Fatalf("label %q does not match %s", l, form)
		}
	}
}

// FuzzValidateStreamingStrings puts arbitrary strings into the free-text
// fields of a streaming config: validation must never panic and must
// answer nil or a known 4xx *Error.
func FuzzValidateStreamingStrings(f *testing.F) {
	f.Add("streaming.example.com", "mystreamingbucket.s3.amazonaws.com", "origin-access-identity/cloudfront/E74FTE3AEXAMPLE", "self", "myprefix/")
	f.Add("*.example.com", "www.example.com", "E74", "1111-2222-3333", strings.Repeat("p", 257))
	f.Add("", "", "", "", "\xff")
	f.Fuzz(func(t *testing.T, alias, domain, oai, signer, text string) {
		c := testStreamingConfig()
		c.Aliases = []string{alias}
		c.S3Origin = S3Origin{DomainName: domain, OriginAccessIdentity: oai}
		c.TrustedSigners.Items = []string{signer}
		c.Logging.Bucket = domain
		c.Logging.Prefix = text
		c.Comment = text
		c.CallerReference = text
		r := DefaultRules()
		checkValidationError(t, r.ValidateStreamingDistributionConfig(c))
		_ = c.OAIReferences()
		_ = c.SignerAccounts()
		NormalizeStreamingDistributionConfig(c)
		checkValidationError(t, r.ValidateStreamingDistributionConfig(c))
	})
}
