package cloudfront

import (
	"strings"
	"testing"
)

// FuzzValidateStrings puts arbitrary strings into every free-text field of
// the seed config and an invalidation batch: validation must never panic
// and must answer nil or a known 4xx *Error.
func FuzzValidateStrings(f *testing.F) {
	seeds := [][6]string{
		{"www.example.com", "index.html", "myawsbucket.s3.amazonaws.com", "*.jpg", "example-cookie", "/images/image2.jpg"},
		{"*.example.com", "/index.html", "myawsbucket.s3-website-us-east-1.amazonaws.com", "", "a=b", "images/a.jpg"},
		{"a..b", "index page", "x.s3.eu-central-1.amazonaws.com", "/a&b/file?.jpg", "", "/a%zz"},
		{"", strings.Repeat("a", 256), ".s3.amazonaws.com", strings.Repeat("*", 256), "café", "/café"},
		{"-a.com", "", "s3-.amazonaws.com", "/", "x", "/100%"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5])
	}
	f.Fuzz(func(t *testing.T, alias, rootObject, s3Domain, pattern, cookie, path string) {
		r := DefaultRules()
		c := seedDistributionConfig()
		c.Aliases = []string{alias}
		c.DefaultRootObject = rootObject
		c.Origins[0].DomainName = s3Domain
		c.Origins[1].DomainName = s3Domain
		c.Origins[0].S3.OriginAccessIdentity = cookie
		c.CacheBehaviors[0].PathPattern = pattern
		c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{cookie}
		c.DefaultCacheBehavior.TrustedSigners.Items = []string{cookie}
		c.Logging.Bucket = s3Domain
		c.Logging.Prefix = path
		c.Comment = path
		checkValidationError(t, r.ValidateDistributionConfig(c))
		_ = c.OAIReferences()
		_ = ActiveSignerAccounts(c)
		NormalizeDistributionConfig(c)
		checkValidationError(t, r.ValidateDistributionConfig(c))
		checkValidationError(t, r.ValidateInvalidationBatch(&InvalidationBatch{Paths: []string{path}, CallerReference: alias}))
		checkValidationError(t, r.ValidateOriginAccessIdentityConfig(&OriginAccessIdentityConfig{CallerReference: alias, Comment: path}))
		if id, ok := OAIIDFromReference(cookie); ok && OAIReferencePrefix+id != cookie {
			t.Fatalf("OAIIDFromReference(%q) = %q: not a round trip", cookie, id)
		}
	})
}

func checkValidationError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	e, ok := err.(*Error)
	if !ok || !e.Code.Known() || e.Status() < 400 || e.Status() >= 500 {
		t.Fatalf("error %v (%T): want a known 4xx *Error", err, err)
	}
}
