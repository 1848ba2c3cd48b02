package cloudfront

import (
	"slices"
	"strings"
	"testing"
)

func TestManagedCachePolicies(t *testing.T) {
	want := map[string]string{
		"658327ea-f89d-4fab-a63d-7e88639e58f6": "Managed-CachingOptimized",
		"4135ea2d-6df8-44a3-9df3-4b5a84be39ad": "Managed-CachingDisabled",
		"b2884449-e4de-46a7-ac36-70bc7f1ddd6d": "Managed-CachingOptimizedForUncompressedObjects",
		"08627262-05a9-4f76-9ded-b50ca2e3a84f": "Managed-Elemental-MediaPackage",
		"2e54312d-136d-493c-8eb9-b001f22f67d2": "Managed-Amplify",
		"83da9c7e-98b4-4e11-a168-04f0df8e2c65": "UseOriginCacheControlHeaders",
		"4cc15a8a-d715-48a4-82b8-cc0b614638fe": "UseOriginCacheControlHeaders-QueryStrings",
	}
	all := ManagedCachePolicies()
	if len(all) != len(want) {
		t.Fatalf("%d managed cache policies, want %d", len(all), len(want))
	}
	if !slices.IsSortedFunc(all, func(a, b CachePolicy) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("ManagedCachePolicies is not in id order")
	}
	ids, names := map[string]bool{}, map[string]bool{}
	for _, p := range all {
		if want[p.ID] != p.Config.Name {
			t.Errorf("policy %s is named %q, want %q", p.ID, p.Config.Name, want[p.ID])
		}
		if ids[p.ID] || names[p.Config.Name] {
			t.Errorf("policy %s (%s) is there twice", p.ID, p.Config.Name)
		}
		ids[p.ID], names[p.Config.Name] = true, true
		if !p.Managed() || p.Type() != CachePolicyManaged || p.Revision != 0 {
			t.Errorf("policy %s: not managed (account %q, revision %d)", p.ID, p.AccountID, p.Revision)
		}
		if p.ETag == "" || p.LastModifiedTime.IsZero() || p.Config.DefaultTTL == nil || p.Config.MaxTTL == nil {
			t.Errorf("policy %s: ETag, LastModifiedTime or a TTL is missing", p.ID)
		}
		c := p.Config
		NormalizeCachePolicyConfig(&c)
		if !EqualCachePolicyConfigs(&c, &p.Config) {
			t.Errorf("policy %s is not normalized", p.ID)
		}
		if err := DefaultRules().ValidateCachePolicyConfig(&p.Config); err != nil {
			t.Errorf("policy %s (%s): %v", p.ID, p.Config.Name, err)
		}
		got, ok := ManagedCachePolicy(p.ID)
		if !ok || !EqualCachePolicyConfigs(&got.Config, &p.Config) {
			t.Errorf("ManagedCachePolicy(%s) = %v, %v", p.ID, got, ok)
		}
	}
	if _, ok := ManagedCachePolicy("00000000-0000-0000-0000-000000000000"); ok {
		t.Error("ManagedCachePolicy found an unknown id")
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
	p, _ := ManagedCachePolicy("2e54312d-136d-493c-8eb9-b001f22f67d2")
	*p.Config.MaxTTL = 1
	p.Config.Parameters.Headers.Names[0] = "X-Changed"
	all := ManagedCachePolicies()
	all[0].Config.Name = "changed"
	again, _ := ManagedCachePolicy("2e54312d-136d-493c-8eb9-b001f22f67d2")
	if *again.Config.MaxTTL != 600 || again.Config.Parameters.Headers.Names[0] != "Authorization" {
		t.Errorf("the managed policy changed: %+v", again.Config)
	}
	if ManagedCachePolicies()[0].Config.Name == "changed" {
		t.Error("ManagedCachePolicies shares its policies")
	}
}
