package cloudfront

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// seedDistributionConfig is the DistributionConfig of the seed page's example request
// (POST Distribution, 2012-07-01).
func seedDistributionConfig() *DistributionConfig {
	return &DistributionConfig{
		CallerReference:   "example.com2012-04-11-5:09pm",
		Aliases:           []string{"www.example.com"},
		DefaultRootObject: "index.html",
		Origins: []Origin{
			{
				ID:         "example-Amazon S3-origin",
				DomainName: "myawsbucket.s3.amazonaws.com",
				S3:         &S3OriginConfig{OriginAccessIdentity: "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"},
			},
			{
				ID:         "example-custom-origin",
				DomainName: "example.com",
				Custom:     &CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: OriginMatchViewer},
			},
		},
		DefaultCacheBehavior: CacheBehavior{
			TargetOriginID:       "example-Amazon S3-origin",
			QueryString:          true,
			Cookies:              CookiePreference{Forward: ForwardWhitelist, WhitelistedNames: []string{"example-cookie"}},
			TrustedSigners:       TrustedSigners{Enabled: true, Items: []string{"self", "111122223333", "444455556666"}},
			ViewerProtocolPolicy: ViewerHTTPSOnly,
			MinTTL:               0,
		},
		CacheBehaviors: []CacheBehavior{{
			PathPattern:          "*.jpg",
			TargetOriginID:       "example-custom-origin",
			Cookies:              CookiePreference{Forward: ForwardAll},
			TrustedSigners:       TrustedSigners{Enabled: true, Items: []string{"self", "111122223333"}},
			ViewerProtocolPolicy: ViewerAllowAll,
			MinTTL:               86400,
		}},
		Comment:    "example comment",
		Logging:    Logging{Enabled: true, IncludeCookies: true, Bucket: "myawslogbucket.s3.amazonaws.com", Prefix: "example.com."},
		PriceClass: PriceClassAll,
		Enabled:    true,
	}
}

// behavior returns a valid extra cache behaviour for pattern.
func testBehavior(pattern string) CacheBehavior {
	return CacheBehavior{
		PathPattern:          pattern,
		TargetOriginID:       "example-custom-origin",
		Cookies:              CookiePreference{Forward: ForwardNone},
		ViewerProtocolPolicy: ViewerAllowAll,
	}
}

func testCustomOrigin(id string) Origin {
	return Origin{ID: id, DomainName: "origin.example.com", Custom: &CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: OriginHTTPOnly}}
}

func numberedNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func testAccounts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%012d", 100000000000+i)
	}
	return out
}

// codeOf returns the code of a validation result, "" for nil, and fails the
// test on anything that is not an *Error.
func validationCode(t *testing.T, err error) Code {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if !e.Code.Known() || e.Status() >= 500 || e.Message == "" {
		t.Fatalf("error %v: want a known 4xx code and a message", e)
	}
	return e.Code
}

func TestValidateDistributionConfig(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(c *DistributionConfig)
		want   Code // "" means valid
	}{
		{"seed example", func(c *DistributionConfig) {}, ""},

		// CallerReference
		{"empty caller reference", func(c *DistributionConfig) { c.CallerReference = "" }, InvalidArgument},
		{"caller reference 127 bytes", func(c *DistributionConfig) { c.CallerReference = strings.Repeat("x", 127) }, ""},
		{"caller reference 128 bytes", func(c *DistributionConfig) { c.CallerReference = strings.Repeat("x", 128) }, InvalidArgument},
		{"caller reference not UTF-8", func(c *DistributionConfig) { c.CallerReference = "ref\xff" }, InvalidArgument},

		// Comment: characters, not bytes
		{"comment 128 chars", func(c *DistributionConfig) { c.Comment = strings.Repeat("é", 128) }, ""},
		{"comment 129 chars", func(c *DistributionConfig) { c.Comment = strings.Repeat("x", 129) }, InvalidArgument},

		// Aliases
		{"no aliases", func(c *DistributionConfig) { c.Aliases = nil }, ""},
		// CloudFront's quotas: 100 alternate domain names, 25 origins and
		// 75 cache behaviours per distribution, for every API version.
		{"100 aliases", func(c *DistributionConfig) { c.Aliases = aliasNames(100) }, ""},
		{"101 aliases", func(c *DistributionConfig) { c.Aliases = aliasNames(101) }, TooManyDistributionCNAMEs},
		{"alias with wildcard", func(c *DistributionConfig) { c.Aliases = []string{"*.example.com"} }, ""},
		{"alias with wildcard inside", func(c *DistributionConfig) { c.Aliases = []string{"www.*.example.com"} }, InvalidArgument},
		{"alias with underscore", func(c *DistributionConfig) { c.Aliases = []string{"a_b.example.com"} }, InvalidArgument},
		{"alias with empty label", func(c *DistributionConfig) { c.Aliases = []string{"a..example.com"} }, InvalidArgument},
		{"alias with trailing dot", func(c *DistributionConfig) { c.Aliases = []string{"example.com."} }, InvalidArgument},
		{"alias label with leading hyphen", func(c *DistributionConfig) { c.Aliases = []string{"-a.example.com"} }, InvalidArgument},
		{"alias label 64 chars", func(c *DistributionConfig) { c.Aliases = []string{strings.Repeat("a", 64) + ".com"} }, InvalidArgument},
		{"alias 254 chars", func(c *DistributionConfig) {
			c.Aliases = []string{strings.Repeat(strings.Repeat("a", 62)+".", 4) + "ab"}
		}, InvalidArgument},
		{"alias 253 chars", func(c *DistributionConfig) {
			c.Aliases = []string{strings.Repeat(strings.Repeat("a", 62)+".", 4) + "a"}
		}, ""},
		{"empty alias", func(c *DistributionConfig) { c.Aliases = []string{""} }, InvalidArgument},
		{"duplicate alias", func(c *DistributionConfig) { c.Aliases = []string{"a.example.com", "b.example.com", "a.example.com"} }, InvalidArgument},
		{"duplicate alias differing in case", func(c *DistributionConfig) { c.Aliases = []string{"a.example.com", "A.Example.COM"} }, InvalidArgument},
		{"upper-case alias", func(c *DistributionConfig) { c.Aliases = []string{"WWW.Example.com"} }, ""},

		// DefaultRootObject
		{"no default root object", func(c *DistributionConfig) { c.DefaultRootObject = "" }, ""},
		{"root object in folder", func(c *DistributionConfig) { c.DefaultRootObject = "site/index.html" }, ""},
		{"root object leading slash", func(c *DistributionConfig) { c.DefaultRootObject = "/index.html" }, InvalidDefaultRootObject},
		{"root object 255 chars", func(c *DistributionConfig) { c.DefaultRootObject = strings.Repeat("a", 255) }, ""},
		{"root object 256 chars", func(c *DistributionConfig) { c.DefaultRootObject = strings.Repeat("a", 256) }, InvalidDefaultRootObject},
		{"root object with space", func(c *DistributionConfig) { c.DefaultRootObject = "index page.html" }, InvalidDefaultRootObject},
		{"root object with query", func(c *DistributionConfig) { c.DefaultRootObject = "index.html?x=1" }, InvalidDefaultRootObject},

		// PriceClass: code unconfirmed, InvalidArgument chosen
		{"price class 100", func(c *DistributionConfig) { c.PriceClass = PriceClass100 }, ""},
		{"price class 200", func(c *DistributionConfig) { c.PriceClass = PriceClass200 }, ""},
		{"empty price class", func(c *DistributionConfig) { c.PriceClass = "" }, InvalidArgument},
		{"unknown price class", func(c *DistributionConfig) { c.PriceClass = "PriceClass_300" }, InvalidArgument},
		{"price class wrong case", func(c *DistributionConfig) { c.PriceClass = "priceclass_all" }, InvalidArgument},

		// Origins: counts and ids
		{"no origins", func(c *DistributionConfig) { c.Origins = nil }, InvalidArgument},
		{"25 origins", func(c *DistributionConfig) {
			for i := 0; i < 23; i++ {
				c.Origins = append(c.Origins, testCustomOrigin(fmt.Sprint("o", i)))
			}
		}, ""},
		{"26 origins", func(c *DistributionConfig) {
			for i := 0; i < 24; i++ {
				c.Origins = append(c.Origins, testCustomOrigin(fmt.Sprint("o", i)))
			}
		}, TooManyOrigins},
		{"empty origin id", func(c *DistributionConfig) { c.Origins = append(c.Origins, testCustomOrigin("")) }, InvalidArgument},
		{"duplicate origin id", func(c *DistributionConfig) { c.Origins = append(c.Origins, testCustomOrigin("example-custom-origin")) }, InvalidArgument},
		{"empty domain name", func(c *DistributionConfig) { c.Origins[1].DomainName = "" }, InvalidArgument},
		{"empty S3 domain name", func(c *DistributionConfig) { c.Origins[0].DomainName = "" }, InvalidArgument},
		// Both or neither config: unconfirmed, InvalidArgument chosen.
		{"origin with both configs", func(c *DistributionConfig) { c.Origins[0].Custom = c.Origins[1].Custom }, InvalidArgument},
		{"origin with neither config", func(c *DistributionConfig) { c.Origins[1].Custom = nil }, InvalidArgument},

		// S3 origins
		{"S3 origin without OAI", func(c *DistributionConfig) { c.Origins[0].S3.OriginAccessIdentity = "" }, ""},
		{"S3 origin regional dash form", func(c *DistributionConfig) { c.Origins[0].DomainName = "myawsbucket.s3-us-west-2.amazonaws.com" }, ""},
		{"S3 origin regional dot form", func(c *DistributionConfig) { c.Origins[0].DomainName = "myawsbucket.s3.eu-central-1.amazonaws.com" }, ""},
		{"S3 origin external-1", func(c *DistributionConfig) { c.Origins[0].DomainName = "myawsbucket.s3-external-1.amazonaws.com" }, ""},
		{"S3 origin dotted bucket", func(c *DistributionConfig) { c.Origins[0].DomainName = "my.aws.bucket.s3.amazonaws.com" }, ""},
		{"S3 origin upper-case suffix", func(c *DistributionConfig) { c.Origins[0].DomainName = "myawsbucket.S3.AmazonAWS.com" }, ""},
		{"S3 origin not S3", func(c *DistributionConfig) { c.Origins[0].DomainName = "example.com" }, InvalidOrigin},
		{"S3 origin bare endpoint", func(c *DistributionConfig) { c.Origins[0].DomainName = "s3.amazonaws.com" }, InvalidOrigin},
		{"S3 origin bucket too short", func(c *DistributionConfig) { c.Origins[0].DomainName = "ab.s3.amazonaws.com" }, InvalidOrigin},
		{"S3 origin bucket with underscore", func(c *DistributionConfig) { c.Origins[0].DomainName = "my_bucket.s3.amazonaws.com" }, InvalidOrigin},
		{"S3 origin website endpoint", func(c *DistributionConfig) {
			c.Origins[0].DomainName = "myawsbucket.s3-website-us-east-1.amazonaws.com"
		}, InvalidOrigin},
		{"S3 origin website dot form", func(c *DistributionConfig) {
			c.Origins[0].DomainName = "myawsbucket.s3-website.eu-central-1.amazonaws.com"
		}, InvalidOrigin},
		{"S3 origin look-alike", func(c *DistributionConfig) { c.Origins[0].DomainName = "myawsbucket.s3.amazonaws.com.evil.example" }, InvalidOrigin},
		{"website endpoint as custom origin", func(c *DistributionConfig) { c.Origins[1].DomainName = "x.s3-website-us-east-1.amazonaws.com" }, ""},
		{"OAI wrong prefix", func(c *DistributionConfig) {
			c.Origins[0].S3.OriginAccessIdentity = "origin-access-identity/E74FTE3AEXAMPLE"
		}, InvalidOriginAccessIdentity},
		{"OAI without id", func(c *DistributionConfig) {
			c.Origins[0].S3.OriginAccessIdentity = "origin-access-identity/cloudfront/"
		}, InvalidOriginAccessIdentity},
		{"OAI lower-case id", func(c *DistributionConfig) {
			c.Origins[0].S3.OriginAccessIdentity = "origin-access-identity/cloudfront/e74fte3aexample"
		}, InvalidOriginAccessIdentity},
		{"OAI with spaces as in the seed syntax", func(c *DistributionConfig) {
			c.Origins[0].S3.OriginAccessIdentity = "origin-access-identity/ cloudfront/E74FTE3AEXAMPLE"
		}, InvalidOriginAccessIdentity},

		// Custom origins
		{"custom origin IPv4 address", func(c *DistributionConfig) { c.Origins[1].DomainName = "127.0.0.1" }, ""},
		{"custom origin single label", func(c *DistributionConfig) { c.Origins[1].DomainName = "localhost" }, ""},
		{"custom origin with port in name", func(c *DistributionConfig) { c.Origins[1].DomainName = "example.com:8080" }, InvalidArgument},
		{"custom origin with scheme", func(c *DistributionConfig) { c.Origins[1].DomainName = "http://example.com" }, InvalidArgument},
		{"HTTP port 8080", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPPort = 8080 }, ""},
		{"HTTP port 443", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPPort = 443 }, ""},
		{"HTTP port 1024", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPPort = 1024 }, ""},
		{"HTTP port 65535", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPPort = 65535 }, ""},
		{"HTTP port 1023", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPPort = 1023 }, InvalidArgument},
		{"HTTP port 0", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPPort = 0 }, InvalidArgument},
		{"HTTP port 65536", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPPort = 65536 }, InvalidArgument},
		{"HTTPS port 81", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPSPort = 81 }, InvalidArgument},
		{"HTTPS port -443", func(c *DistributionConfig) { c.Origins[1].Custom.HTTPSPort = -443 }, InvalidArgument},
		{"origin policy http-only", func(c *DistributionConfig) { c.Origins[1].Custom.OriginProtocolPolicy = OriginHTTPOnly }, ""},
		// https-only arrived after 2012: the model takes it, the 2012 codec
		// refuses it (v20120701's bad-input table).
		{"origin policy unknown", func(c *DistributionConfig) { c.Origins[1].Custom.OriginProtocolPolicy = "https-first" }, InvalidArgument},
		{"empty origin policy", func(c *DistributionConfig) { c.Origins[1].Custom.OriginProtocolPolicy = "" }, InvalidArgument},

		// Cache behaviours: counts and path patterns
		{"no cache behaviors", func(c *DistributionConfig) { c.CacheBehaviors = nil }, ""},
		{"75 cache behaviors", func(c *DistributionConfig) {
			for i := 0; i < 74; i++ {
				c.CacheBehaviors = append(c.CacheBehaviors, testBehavior(fmt.Sprintf("/p%d/*", i)))
			}
		}, ""},
		{"76 cache behaviors", func(c *DistributionConfig) {
			for i := 0; i < 75; i++ {
				c.CacheBehaviors = append(c.CacheBehaviors, testBehavior(fmt.Sprintf("/p%d/*", i)))
			}
		}, TooManyCacheBehaviors},
		{"empty path pattern", func(c *DistributionConfig) { c.CacheBehaviors[0].PathPattern = "" }, InvalidArgument},
		{"path pattern with space", func(c *DistributionConfig) { c.CacheBehaviors[0].PathPattern = "images/a b.jpg" }, InvalidArgument},
		{"path pattern 256 chars", func(c *DistributionConfig) { c.CacheBehaviors[0].PathPattern = strings.Repeat("a", 256) }, InvalidArgument},
		{"path pattern with ? and &", func(c *DistributionConfig) { c.CacheBehaviors[0].PathPattern = "/a&b/file?.jpg" }, ""},
		{"duplicate path pattern", func(c *DistributionConfig) { c.CacheBehaviors = append(c.CacheBehaviors, testBehavior("*.jpg")) }, InvalidArgument},
		// Leading '/' is optional, so these two match the same paths.
		{"duplicate path pattern modulo slash", func(c *DistributionConfig) { c.CacheBehaviors = append(c.CacheBehaviors, testBehavior("/*.jpg")) }, InvalidArgument},
		{"path patterns differing in case", func(c *DistributionConfig) { c.CacheBehaviors = append(c.CacheBehaviors, testBehavior("*.JPG")) }, ""},

		// TargetOriginId
		{"default targets unknown origin", func(c *DistributionConfig) { c.DefaultCacheBehavior.TargetOriginID = "nope" }, NoSuchOrigin},
		{"behavior targets unknown origin", func(c *DistributionConfig) { c.CacheBehaviors[0].TargetOriginID = "nope" }, NoSuchOrigin},
		{"behavior target differs in case", func(c *DistributionConfig) { c.CacheBehaviors[0].TargetOriginID = "Example-Custom-Origin" }, NoSuchOrigin},
		{"empty target origin", func(c *DistributionConfig) { c.DefaultCacheBehavior.TargetOriginID = "" }, NoSuchOrigin},

		// Cookies
		{"forward none", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.Cookies = CookiePreference{Forward: ForwardNone}
		}, ""},
		{"forward unknown", func(c *DistributionConfig) { c.CacheBehaviors[0].Cookies.Forward = "some" }, InvalidArgument},
		{"forward empty", func(c *DistributionConfig) { c.CacheBehaviors[0].Cookies.Forward = "" }, InvalidArgument},
		{"whitelist without names", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = nil }, InvalidForwardCookies},
		{"whitelist with empty list", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{} }, ""},
		{"all with names", func(c *DistributionConfig) { c.CacheBehaviors[0].Cookies.WhitelistedNames = []string{"a"} }, InvalidForwardCookies},
		// 2012 says to omit the element; present but empty is still present.
		{"all with empty list", func(c *DistributionConfig) { c.CacheBehaviors[0].Cookies.WhitelistedNames = []string{} }, InvalidForwardCookies},
		{"none with names", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.Cookies.Forward = ForwardNone
		}, InvalidForwardCookies},
		{"ten cookie names", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = numberedNames("c", 10) }, ""},
		{"eleven cookie names", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = numberedNames("c", 11) }, TooManyCookieNamesInWhiteList},
		{"cookie name with space", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{"a b"} }, InvalidArgument},
		{"cookie name with =", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{"a=b"} }, InvalidArgument},
		{"empty cookie name", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{""} }, InvalidArgument},
		{"cookie name non-ASCII", func(c *DistributionConfig) { c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{"café"} }, InvalidArgument},
		{"cookie name token chars", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{"session_id", "__utm.a", "x-y!#$%&'*+^`|~"}
		}, ""},

		// Trusted signers
		{"signers disabled", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.TrustedSigners = TrustedSigners{}
			c.CacheBehaviors[0].TrustedSigners = TrustedSigners{}
		}, ""},
		{"five signers", func(c *DistributionConfig) { c.DefaultCacheBehavior.TrustedSigners.Items = testAccounts(5) }, ""},
		{"six signers", func(c *DistributionConfig) { c.DefaultCacheBehavior.TrustedSigners.Items = testAccounts(6) }, TooManyTrustedSigners},
		{"six signers in a behavior", func(c *DistributionConfig) { c.CacheBehaviors[0].TrustedSigners.Items = testAccounts(6) }, TooManyTrustedSigners},
		{"signer with dashes", func(c *DistributionConfig) { c.DefaultCacheBehavior.TrustedSigners.Items[1] = "1111-2222-3333" }, InvalidArgument},
		{"signer 11 digits", func(c *DistributionConfig) { c.CacheBehaviors[0].TrustedSigners.Items[1] = "11112222333" }, InvalidArgument},
		{"signer Self", func(c *DistributionConfig) { c.CacheBehaviors[0].TrustedSigners.Items[0] = "Self" }, InvalidArgument},
		{"empty signer", func(c *DistributionConfig) { c.CacheBehaviors[0].TrustedSigners.Items[0] = "" }, InvalidArgument},

		// Viewer protocol and MinTTL
		{"viewer policy unknown", func(c *DistributionConfig) { c.DefaultCacheBehavior.ViewerProtocolPolicy = "redirect-to-http" }, InvalidArgument},
		{"viewer empty", func(c *DistributionConfig) { c.CacheBehaviors[0].ViewerProtocolPolicy = "" }, InvalidArgument},
		{"MinTTL 100 years", func(c *DistributionConfig) { c.DefaultCacheBehavior.MinTTL = 3153600000 }, ""},
		{"MinTTL over 100 years", func(c *DistributionConfig) { c.DefaultCacheBehavior.MinTTL = 3153600001 }, InvalidArgument},
		{"MinTTL negative", func(c *DistributionConfig) { c.CacheBehaviors[0].MinTTL = -1 }, InvalidArgument},

		// Logging
		{"logging disabled with junk", func(c *DistributionConfig) {
			c.Logging = Logging{Bucket: "not a bucket", Prefix: strings.Repeat("p", 300), IncludeCookies: true}
		}, ""},
		{"logging regional bucket", func(c *DistributionConfig) { c.Logging.Bucket = "logs.s3-eu-west-1.amazonaws.com" }, ""},
		{"logging bucket bare name", func(c *DistributionConfig) { c.Logging.Bucket = "myawslogbucket" }, InvalidArgument},
		{"logging bucket empty", func(c *DistributionConfig) { c.Logging.Bucket = "" }, InvalidArgument},
		{"logging bucket not S3", func(c *DistributionConfig) { c.Logging.Bucket = "logs.example.com" }, InvalidArgument},
		{"logging prefix empty", func(c *DistributionConfig) { c.Logging.Prefix = "" }, ""},
		{"logging prefix 256 chars", func(c *DistributionConfig) { c.Logging.Prefix = strings.Repeat("p", 256) }, ""},
		{"logging prefix 257 chars", func(c *DistributionConfig) { c.Logging.Prefix = strings.Repeat("p", 257) }, InvalidArgument},

		// Order: cheap limits first, then scalars, aliases, origins,
		// behaviours, logging.
		{"order: CNAME count before caller reference", func(c *DistributionConfig) {
			c.Aliases = aliasNames(101)
			c.CallerReference = ""
		}, TooManyDistributionCNAMEs},
		{"order: signer count before unknown origin", func(c *DistributionConfig) {
			c.CacheBehaviors[0].TrustedSigners.Items = testAccounts(6)
			c.DefaultCacheBehavior.TargetOriginID = "nope"
		}, TooManyTrustedSigners},
		{"order: origins before behaviours", func(c *DistributionConfig) {
			c.Origins[0].DomainName = "example.com"
			c.DefaultCacheBehavior.TargetOriginID = "nope"
		}, InvalidOrigin},
		{"order: default behaviour before others", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.Cookies.WhitelistedNames = nil
			c.CacheBehaviors[0].TargetOriginID = "nope"
		}, InvalidForwardCookies},
		{"order: behaviours before logging", func(c *DistributionConfig) {
			c.Logging.Bucket = ""
			c.CacheBehaviors[0].MinTTL = -1
		}, InvalidArgument},
		{"order: root object before aliases", func(c *DistributionConfig) {
			c.DefaultRootObject = "/x"
			c.Aliases = []string{"localhost"}
		}, InvalidDefaultRootObject},
	}
	rules := DefaultRules()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := seedDistributionConfig()
			tc.mutate(c)
			if got := validationCode(t, rules.ValidateDistributionConfig(c)); got != tc.want {
				t.Fatalf("code = %q, want %q (error %v)", got, tc.want, rules.ValidateDistributionConfig(c))
			}
			// The zero Rules behave like DefaultRules.
			if got := validationCode(t, Rules{}.ValidateDistributionConfig(c)); got != tc.want {
				t.Fatalf("zero Rules: code = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestValidateDistributionConfigNil(t *testing.T) {
	if got := validationCode(t, DefaultRules().ValidateDistributionConfig(nil)); got != MalformedXML {
		t.Fatalf("code = %q, want MalformedXML", got)
	}
}

func TestDefaultLimits(t *testing.T) {
	want := Limits{
		DistributionsPerAccount:         100,
		CNAMEsPerDistribution:           100,
		OriginsPerDistribution:          25,
		CacheBehaviorsPerDistribution:   75,
		TrustedSignersPerBehavior:       5,
		CookieNamesPerBehavior:          10,
		OAIsPerAccount:                  100,
		InvalidationBatchesInProgress:   3,
		PathsPerInvalidationBatch:       1000,
		OriginGroupsPerDistribution:     10,
		CustomHeadersPerOrigin:          10,
		HeadersPerBehavior:              10,
		QueryStringCacheKeysPerBehavior: 10,
		KeyGroupsPerBehavior:            4,
		CachePoliciesPerAccount:         20,
		HeadersPerCachePolicy:           10,
		CookiesPerCachePolicy:           10,
		QueryStringsPerCachePolicy:      10,

		OriginRequestPoliciesPerAccount:    20,
		OriginAccessControlsPerAccount:     100,
		HeadersPerOriginRequestPolicy:      10,
		CookiesPerOriginRequestPolicy:      10,
		QueryStringsPerOriginRequestPolicy: 10,

		ResponseHeadersPoliciesPerAccount:     20,
		CustomHeadersPerResponseHeadersPolicy: 10,
		RemoveHeadersPerResponseHeadersPolicy: 10,
		CSPCharsPerResponseHeadersPolicy:      1783,

		PublicKeysPerAccount:  10,
		KeyGroupsPerAccount:   10,
		PublicKeysPerKeyGroup: 5,

		FunctionsPerAccount:      100,
		KeyValueStoresPerAccount: 50,
	}
	if got := DefaultLimits(); got != want {
		t.Fatalf("DefaultLimits() = %+v, want %+v", got, want)
	}
	if got := DefaultRules(); got.Limits != want || len(got.S3DomainSuffixes) != 1 || got.S3DomainSuffixes[0] != "s3.amazonaws.com" {
		t.Fatalf("DefaultRules() = %+v", got)
	}
	// Zero fields take the defaults; set ones are kept.
	if got := (Limits{CNAMEsPerDistribution: 2}).withDefaults(); got.CNAMEsPerDistribution != 2 || got.OriginsPerDistribution != 25 {
		t.Fatalf("withDefaults = %+v", got)
	}
}

// TestLimitsRespected lowers each limit the validator enforces and checks
// that one item more than the new limit fails while the limit itself passes.
func TestLimitsRespected(t *testing.T) {
	cases := []struct {
		name  string
		set   func(l *Limits, n int)
		fill  func(c *DistributionConfig, n int)
		limit int
		want  Code
	}{
		{"CNAMEsPerDistribution", func(l *Limits, n int) { l.CNAMEsPerDistribution = n },
			func(c *DistributionConfig, n int) { c.Aliases = aliasNames(n) }, 3, TooManyDistributionCNAMEs},
		{"OriginsPerDistribution", func(l *Limits, n int) { l.OriginsPerDistribution = n },
			func(c *DistributionConfig, n int) {
				for i := len(c.Origins); i < n; i++ {
					c.Origins = append(c.Origins, testCustomOrigin(fmt.Sprint("o", i)))
				}
			}, 3, TooManyOrigins},
		{"CacheBehaviorsPerDistribution", func(l *Limits, n int) { l.CacheBehaviorsPerDistribution = n },
			func(c *DistributionConfig, n int) {
				for i := len(c.CacheBehaviors); i < n; i++ {
					c.CacheBehaviors = append(c.CacheBehaviors, testBehavior(fmt.Sprintf("p%d/*", i)))
				}
			}, 2, TooManyCacheBehaviors},
		{"TrustedSignersPerBehavior", func(l *Limits, n int) { l.TrustedSignersPerBehavior = n },
			func(c *DistributionConfig, n int) { c.CacheBehaviors[0].TrustedSigners.Items = testAccounts(n) }, 3, TooManyTrustedSigners},
		{"CookieNamesPerBehavior", func(l *Limits, n int) { l.CookieNamesPerBehavior = n },
			func(c *DistributionConfig, n int) {
				c.DefaultCacheBehavior.Cookies.WhitelistedNames = numberedNames("c", n)
			}, 2, TooManyCookieNamesInWhiteList},
		{"CNAMEsPerDistribution raised", func(l *Limits, n int) { l.CNAMEsPerDistribution = n },
			func(c *DistributionConfig, n int) { c.Aliases = aliasNames(n) }, 120, TooManyDistributionCNAMEs},
		{"OriginsPerDistribution raised", func(l *Limits, n int) { l.OriginsPerDistribution = n },
			func(c *DistributionConfig, n int) {
				for i := len(c.Origins); i < n; i++ {
					c.Origins = append(c.Origins, testCustomOrigin(fmt.Sprint("o", i)))
				}
			}, 30, TooManyOrigins},
		{"CacheBehaviorsPerDistribution raised", func(l *Limits, n int) { l.CacheBehaviorsPerDistribution = n },
			func(c *DistributionConfig, n int) {
				for i := len(c.CacheBehaviors); i < n; i++ {
					c.CacheBehaviors = append(c.CacheBehaviors, testBehavior(fmt.Sprintf("p%d/*", i)))
				}
			}, 80, TooManyCacheBehaviors},
		// The limits of the members 2020-05-31 added are operators' too.
		{"OriginGroupsPerDistribution", func(l *Limits, n int) { l.OriginGroupsPerDistribution = n },
			func(c *DistributionConfig, n int) {
				for i := range n {
					c.OriginGroups = append(c.OriginGroups, OriginGroup{ID: fmt.Sprint("g", i), StatusCodes: []int{502},
						Members: []string{"example-Amazon S3-origin", "example-custom-origin"}})
				}
			}, 2, TooManyOriginGroupsPerDistribution},
		{"CustomHeadersPerOrigin", func(l *Limits, n int) { l.CustomHeadersPerOrigin = n },
			func(c *DistributionConfig, n int) {
				for i := range n {
					c.Origins[1].CustomHeaders = append(c.Origins[1].CustomHeaders, CustomHeader{Name: fmt.Sprint("X-H", i), Value: "v"})
				}
			}, 12, TooManyOriginCustomHeaders},
		{"HeadersPerBehavior", func(l *Limits, n int) { l.HeadersPerBehavior = n },
			func(c *DistributionConfig, n int) { c.DefaultCacheBehavior.Headers = numberedNames("X-H", n) }, 3, TooManyHeadersInForwardedValues},
		{"QueryStringCacheKeysPerBehavior", func(l *Limits, n int) { l.QueryStringCacheKeysPerBehavior = n },
			func(c *DistributionConfig, n int) {
				c.DefaultCacheBehavior.QueryString = true
				c.DefaultCacheBehavior.QueryStringCacheKeys = numberedNames("q", n)
			}, 15, TooManyQueryStringParameters},
		{"KeyGroupsPerBehavior", func(l *Limits, n int) { l.KeyGroupsPerBehavior = n },
			func(c *DistributionConfig, n int) {
				c.DefaultCacheBehavior.TrustedSigners = TrustedSigners{}
				c.DefaultCacheBehavior.TrustedKeyGroups = TrustedKeyGroups{Enabled: true, Items: numberedNames("kg", n)}
			}, 6, TooManyKeyGroupsAssociatedToDistribution},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultRules()
			tc.set(&r.Limits, tc.limit)
			at := seedDistributionConfig()
			tc.fill(at, tc.limit)
			if err := r.ValidateDistributionConfig(at); err != nil {
				t.Fatalf("at the limit: %v", err)
			}
			over := seedDistributionConfig()
			tc.fill(over, tc.limit+1)
			if got := validationCode(t, r.ValidateDistributionConfig(over)); got != tc.want {
				t.Fatalf("over the limit: code = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("PathsPerInvalidationBatch", func(t *testing.T) {
		r := Rules{Limits: Limits{PathsPerInvalidationBatch: 2}}
		b := &InvalidationBatch{CallerReference: "ref", Paths: []string{"/a", "/b"}}
		if err := r.ValidateInvalidationBatch(b); err != nil {
			t.Fatalf("at the limit: %v", err)
		}
		b.Paths = append(b.Paths, "/c")
		if got := validationCode(t, r.ValidateInvalidationBatch(b)); got != BatchTooLarge {
			t.Fatalf("over the limit: code = %q, want BatchTooLarge", got)
		}
	})
}

func TestS3DomainSuffixes(t *testing.T) {
	r := Rules{S3DomainSuffixes: []string{"s3.storage.internal", "objects.local:9000"}}
	cases := []struct {
		domain string
		want   Code
	}{
		{"media.s3.storage.internal", ""},
		{"media.S3.Storage.Internal", ""},
		{"media.objects.local:9000", ""},
		{"s3.storage.internal", InvalidOrigin},
		{"media.storage.internal", InvalidOrigin},
		// Amazon's endpoint is not implied once suffixes are configured.
		{"media.s3.amazonaws.com", InvalidOrigin},
		{"media.s3-us-west-2.amazonaws.com", InvalidOrigin},
	}
	for _, tc := range cases {
		t.Run(tc.domain, func(t *testing.T) {
			c := seedDistributionConfig()
			c.Origins[0].DomainName = tc.domain
			c.Logging.Bucket = "logs.s3.storage.internal"
			if got := validationCode(t, r.ValidateDistributionConfig(c)); got != tc.want {
				t.Fatalf("code = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("regional forms with the default suffix listed", func(t *testing.T) {
		r := Rules{S3DomainSuffixes: []string{"s3.storage.internal", DefaultS3DomainSuffix}}
		c := seedDistributionConfig()
		c.Origins[0].DomainName = "media.s3.us-west-2.amazonaws.com"
		if err := r.ValidateDistributionConfig(c); err != nil {
			t.Fatal(err)
		}
	})
}

func TestNormalizeDistributionConfig(t *testing.T) {
	c := seedDistributionConfig()
	c.Aliases = []string{"WWW.Example.COM", "cdn.example.com"}
	NormalizeDistributionConfig(c)
	if c.Aliases[0] != "www.example.com" || c.Aliases[1] != "cdn.example.com" {
		t.Fatalf("aliases = %q", c.Aliases)
	}
	if c.Logging.Bucket == "" || !c.Logging.IncludeCookies || c.Logging.Prefix == "" {
		t.Fatalf("enabled logging changed: %+v", c.Logging)
	}

	c.Logging.Enabled = false
	NormalizeDistributionConfig(c)
	if c.Logging != (Logging{}) {
		t.Fatalf("disabled logging kept %+v", c.Logging)
	}
	NormalizeDistributionConfig(nil) // must not panic
}

func TestValidateOriginAccessIdentityConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  *OriginAccessIdentityConfig
		want Code
	}{
		{"valid", &OriginAccessIdentityConfig{CallerReference: "ref", Comment: "my identity"}, ""},
		{"empty comment", &OriginAccessIdentityConfig{CallerReference: "ref"}, ""},
		{"empty caller reference", &OriginAccessIdentityConfig{Comment: "c"}, InvalidArgument},
		{"caller reference 128 bytes", &OriginAccessIdentityConfig{CallerReference: strings.Repeat("r", 128)}, InvalidArgument},
		{"comment 128 chars", &OriginAccessIdentityConfig{CallerReference: "ref", Comment: strings.Repeat("ü", 128)}, ""},
		{"comment 129 chars", &OriginAccessIdentityConfig{CallerReference: "ref", Comment: strings.Repeat("c", 129)}, InvalidArgument},
		{"nil", nil, MalformedXML},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := validationCode(t, DefaultRules().ValidateOriginAccessIdentityConfig(tc.cfg)); got != tc.want {
				t.Fatalf("code = %q, want %q", got, tc.want)
			}
		})
	}
}
