package cloudfront

import "testing"

func TestEqualDistributionConfigs(t *testing.T) {
	base := func() DistributionConfig {
		return DistributionConfig{
			CallerReference: "ref",
			Origins: []Origin{{ID: "o", DomainName: "example.com",
				Custom: &CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: OriginHTTPOnly}}},
			DefaultCacheBehavior: CacheBehavior{TargetOriginID: "o", Cookies: CookiePreference{Forward: ForwardNone},
				ViewerProtocolPolicy: ViewerAllowAll},
			PriceClass: PriceClassAll,
			Enabled:    true,
		}
	}
	cases := []struct {
		name   string
		mutate func(*DistributionConfig)
		equal  bool
	}{
		{"same", func(*DistributionConfig) {}, true},
		{"empty aliases vs nil", func(c *DistributionConfig) { c.Aliases = []string{} }, true},
		{"alias added", func(c *DistributionConfig) { c.Aliases = []string{"a.example.com"} }, false},
		{"whitelist present but empty", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.Cookies.WhitelistedNames = []string{}
		}, false},
		{"origin port", func(c *DistributionConfig) {
			c.Origins[0].Custom = &CustomOriginConfig{HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: OriginHTTPOnly}
		}, false},
		{"origin port same values new pointer", func(c *DistributionConfig) {
			c.Origins[0].Custom = &CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: OriginHTTPOnly}
		}, true},
		{"s3 instead of custom", func(c *DistributionConfig) { c.Origins[0].Custom = nil; c.Origins[0].S3 = &S3OriginConfig{} }, false},
		{"behaviour added", func(c *DistributionConfig) {
			c.CacheBehaviors = []CacheBehavior{c.DefaultCacheBehavior}
		}, false},
		{"min ttl", func(c *DistributionConfig) { c.DefaultCacheBehavior.MinTTL = 1 }, false},
		{"enabled", func(c *DistributionConfig) { c.Enabled = false }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := base(), base()
			c.mutate(&b)
			if got := EqualDistributionConfigs(&a, &b); got != c.equal {
				t.Fatalf("got %v, want %v", got, c.equal)
			}
		})
	}
}
