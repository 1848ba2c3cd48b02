package cloudfront

import (
	"slices"
	"testing"
)

// managedCachePolicyTest: the managed cache policies, with their names.
var managedCachePolicyTest = managedTableTest[CachePolicy, CachePolicyConfig]{
	kinds: "cache policies",
	get:   ManagedCachePolicy,
	all:   ManagedCachePolicies,
	head: func(p *CachePolicy) policyHead {
		return policyHead{p.ID, p.AccountID, p.ETag, p.LastModifiedTime, p.Revision, p.Managed(), p.Type(), p.Config.Name, p.Config.Comment}
	},
	config:    func(p *CachePolicy) *CachePolicyConfig { return &p.Config },
	normalize: NormalizeCachePolicyConfig, // which fills in a TTL left out
	equal:     EqualCachePolicyConfigs,
	validate:  DefaultRules().ValidateCachePolicyConfig,
	names: map[string]string{
		"658327ea-f89d-4fab-a63d-7e88639e58f6": "Managed-CachingOptimized",
		"4135ea2d-6df8-44a3-9df3-4b5a84be39ad": "Managed-CachingDisabled",
		"b2884449-e4de-46a7-ac36-70bc7f1ddd6d": "Managed-CachingOptimizedForUncompressedObjects",
		"08627262-05a9-4f76-9ded-b50ca2e3a84f": "Managed-Elemental-MediaPackage",
		"2e54312d-136d-493c-8eb9-b001f22f67d2": "Managed-Amplify",
		"83da9c7e-98b4-4e11-a168-04f0df8e2c65": "UseOriginCacheControlHeaders",
		"4cc15a8a-d715-48a4-82b8-cc0b614638fe": "UseOriginCacheControlHeaders-QueryStrings",
	},
}

func TestManagedCachePolicies(t *testing.T) {
	managedCachePolicyTest.check(t)
	for _, p := range ManagedCachePolicies() {
		if p.Config.DefaultTTL == nil || p.Config.MaxTTL == nil {
			t.Errorf("policy %s: a TTL is missing", p.ID)
		}
	}
}

// The settings the Developer Guide gives, spot-checked.
func TestManagedCachePolicySettings(t *testing.T) {
	amplify, _ := ManagedCachePolicy("2e54312d-136d-493c-8eb9-b001f22f67d2")
	if lo, def, hi := amplify.Config.EffectiveTTLs(); lo != 2 || def != 2 || hi != 600 {
		t.Errorf("Amplify TTLs %d/%d/%d, want 2/2/600", lo, def, hi)
	}
	p := amplify.Config.Parameters
	if !slices.Equal(p.Headers.Names, []string{"Authorization", "CloudFront-Viewer-Country", "Host"}) ||
		p.Cookies.Behavior != ParamsAll || p.QueryStrings.Behavior != ParamsAll || !p.EnableAcceptEncodingGzip || !p.EnableAcceptEncodingBrotli {
		t.Errorf("Amplify parameters %+v", p)
	}
	disabled, _ := ManagedCachePolicy("4135ea2d-6df8-44a3-9df3-4b5a84be39ad")
	if _, _, hi := disabled.Config.EffectiveTTLs(); hi != 0 || disabled.Config.Comment != "Policy with caching disabled" {
		t.Errorf("CachingDisabled %+v", disabled.Config)
	}
	optimized, _ := ManagedCachePolicy("658327ea-f89d-4fab-a63d-7e88639e58f6")
	if optimized.Config.Comment != "Policy with caching enabled. Supports Gzip and Brotli compression." || optimized.Config.MinTTL != 1 {
		t.Errorf("CachingOptimized %+v", optimized.Config)
	}
	media, _ := ManagedCachePolicy("08627262-05a9-4f76-9ded-b50ca2e3a84f")
	if mp := media.Config.Parameters; !mp.EnableAcceptEncodingGzip || mp.EnableAcceptEncodingBrotli || len(mp.QueryStrings.Names) != 4 {
		t.Errorf("Elemental-MediaPackage parameters %+v", mp)
	}
}

// A caller that changes what it got does not change the table.
func TestManagedCachePolicyCopies(t *testing.T) {
	managedCachePolicyTest.checkCopies(t, "2e54312d-136d-493c-8eb9-b001f22f67d2", func(p *CachePolicy) {
		p.Config.Name = "changed"
		*p.Config.MaxTTL = 1
		p.Config.Parameters.Headers.Names[0] = "X-Changed"
	})
}
