package cloudfront

import (
	"slices"
	"testing"
)

func TestActiveSignerAccounts(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(c *DistributionConfig)
		want   []string
	}{
		// The seed lists self, 1111…, 4444… then self, 1111… again: 3 unique.
		{"seed example", func(c *DistributionConfig) {}, []string{"self", "111122223333", "444455556666"}},
		{"default disabled", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.TrustedSigners.Enabled = false
		}, []string{"self", "111122223333"}},
		{"first appearance order", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.TrustedSigners.Items = []string{"444455556666"}
			c.CacheBehaviors = append(c.CacheBehaviors, CacheBehavior{TrustedSigners: TrustedSigners{Enabled: true, Items: []string{"777788889999", "self"}}})
		}, []string{"444455556666", "self", "111122223333", "777788889999"}},
		{"all disabled", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.TrustedSigners.Enabled = false
			c.CacheBehaviors[0].TrustedSigners.Enabled = false
		}, nil},
		{"enabled but empty", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.TrustedSigners.Items = nil
			c.CacheBehaviors[0].TrustedSigners.Items = nil
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := seedDistributionConfig()
			tc.mutate(c)
			if got := ActiveSignerAccounts(c); !slices.Equal(got, tc.want) {
				t.Fatalf("ActiveSignerAccounts = %q, want %q", got, tc.want)
			}
		})
	}
	if got := ActiveSignerAccounts(nil); got != nil {
		t.Fatalf("ActiveSignerAccounts(nil) = %q", got)
	}
}

func TestOAIReferences(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(c *DistributionConfig)
		want   []string
	}{
		{"seed example", func(c *DistributionConfig) {}, []string{"E74FTE3AEXAMPLE"}},
		{"no OAI", func(c *DistributionConfig) { c.Origins[0].S3.OriginAccessIdentity = "" }, nil},
		{"malformed skipped", func(c *DistributionConfig) { c.Origins[0].S3.OriginAccessIdentity = "E74FTE3AEXAMPLE" }, nil},
		{"distinct in origin order", func(c *DistributionConfig) {
			c.Origins = append(c.Origins,
				Origin{ID: "b", DomainName: "b-bucket.s3.amazonaws.com", S3: &S3OriginConfig{OriginAccessIdentity: "origin-access-identity/cloudfront/E2SECOND"}},
				Origin{ID: "c", DomainName: "c-bucket.s3.amazonaws.com", S3: &S3OriginConfig{OriginAccessIdentity: "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"}},
			)
		}, []string{"E74FTE3AEXAMPLE", "E2SECOND"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := seedDistributionConfig()
			tc.mutate(c)
			if got := c.OAIReferences(); !slices.Equal(got, tc.want) {
				t.Fatalf("OAIReferences = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOAIIDFromReference(t *testing.T) {
	cases := []struct {
		ref, id string
		ok      bool
	}{
		{"origin-access-identity/cloudfront/E74FTE3AEXAMPLE", "E74FTE3AEXAMPLE", true},
		{"origin-access-identity/cloudfront/E1N3VW3E5YJ58U", "E1N3VW3E5YJ58U", true},
		{"origin-access-identity/cloudfront/", "", false},
		{"origin-access-identity/cloudfront/e74fte3aexample", "", false},
		{"origin-access-identity/cloudfront/E74/X", "", false},
		{"origin-access-identity/cloudfront/E74FTE3AEXAMPLE ", "", false},
		{"Origin-Access-Identity/CloudFront/E74FTE3AEXAMPLE", "", false},
		{"origin-access-identity/cloudfront/" + "E0123456789ABCDEF0123456789ABCDEF", "", false},
		{"E74FTE3AEXAMPLE", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.ref, func(t *testing.T) {
			id, ok := OAIIDFromReference(tc.ref)
			if id != tc.id || ok != tc.ok {
				t.Fatalf("OAIIDFromReference(%q) = %q, %v; want %q, %v", tc.ref, id, ok, tc.id, tc.ok)
			}
		})
	}
}
