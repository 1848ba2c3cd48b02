package cloudfront

import (
	"slices"
	"time"
)

// CloudFront's managed cache policies: in every account, the same ids,
// read-only. Settings are those of the Developer Guide ("Use managed cache
// policies"); names, comments and the spelling of header names are as
// CloudFront's API reports them (GetCachePolicy, ListCachePolicies), which
// is not always as the guide writes them:
//
//   - names carry the prefix "Managed-", except the two
//     UseOriginCacheControlHeaders policies, which CloudFront reports
//     without it (Terraform's and Pulumi's data source docs say so too);
//   - the guide writes "Origin" and "Host", the API reports the
//     MediaPackage and UseOriginCacheControlHeaders headers in lower case;
//     the Amplify ones keep their case.
//
// CloudFront has since added more managed policies (Managed-Amplify-Default
// and others for Amplify Hosting); these seven are the ones the guide
// lists.
//
// LastModifiedTime and ETag are fixed values of ours, not CloudFront's: a
// managed policy never changes, so neither does its version.
var managedCachePolicies = newManagedTable(func(p CachePolicy) string { return p.ID }, cloneCachePolicy,
	managedCachePolicy("08627262-05a9-4f76-9ded-b50ca2e3a84f", CachePolicyConfig{
		Name:    "Managed-Elemental-MediaPackage",
		Comment: "Policy for Elemental MediaPackage Origin",
		MinTTL:  0, DefaultTTL: managedTTL(86400), MaxTTL: managedTTL(31536000),
		Parameters: CacheKeyParams{
			EnableAcceptEncodingGzip: true, // Gzip only
			Headers:                  paramsWhitelist("origin"),
			Cookies:                  paramsNone(),
			QueryStrings:             paramsWhitelist("aws.manifestfilter", "start", "end", "m"),
		},
	}),
	managedCachePolicy("2e54312d-136d-493c-8eb9-b001f22f67d2", CachePolicyConfig{
		Name:    "Managed-Amplify",
		Comment: "Policy for Amplify Origin",
		MinTTL:  2, DefaultTTL: managedTTL(2), MaxTTL: managedTTL(600),
		Parameters: CacheKeyParams{
			EnableAcceptEncodingGzip:   true,
			EnableAcceptEncodingBrotli: true,
			Headers:                    paramsWhitelist("Authorization", "CloudFront-Viewer-Country", "Host"),
			Cookies:                    paramsAll(),
			QueryStrings:               paramsAll(),
		},
	}),
	managedCachePolicy("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", CachePolicyConfig{
		Name:    "Managed-CachingDisabled",
		Comment: "Policy with caching disabled",
		MinTTL:  0, DefaultTTL: managedTTL(0), MaxTTL: managedTTL(0),
		Parameters: CacheKeyParams{
			Headers:      paramsNone(),
			Cookies:      paramsNone(),
			QueryStrings: paramsNone(),
		},
	}),
	managedCachePolicy("4cc15a8a-d715-48a4-82b8-cc0b614638fe", CachePolicyConfig{
		Name:    "UseOriginCacheControlHeaders-QueryStrings",
		Comment: "Policy for origins that return Cache-Control headers and serve different content based on values present in the query string.",
		MinTTL:  0, DefaultTTL: managedTTL(0), MaxTTL: managedTTL(31536000),
		Parameters: CacheKeyParams{
			EnableAcceptEncodingGzip:   true,
			EnableAcceptEncodingBrotli: true,
			Headers:                    paramsWhitelist(useOriginCacheControlHeaders...),
			Cookies:                    paramsAll(),
			QueryStrings:               paramsAll(),
		},
	}),
	managedCachePolicy("658327ea-f89d-4fab-a63d-7e88639e58f6", CachePolicyConfig{
		Name:    "Managed-CachingOptimized",
		Comment: "Policy with caching enabled. Supports Gzip and Brotli compression.",
		MinTTL:  1, DefaultTTL: managedTTL(86400), MaxTTL: managedTTL(31536000),
		Parameters: CacheKeyParams{
			EnableAcceptEncodingGzip:   true,
			EnableAcceptEncodingBrotli: true,
			Headers:                    paramsNone(),
			Cookies:                    paramsNone(),
			QueryStrings:               paramsNone(),
		},
	}),
	managedCachePolicy("83da9c7e-98b4-4e11-a168-04f0df8e2c65", CachePolicyConfig{
		Name:    "UseOriginCacheControlHeaders",
		Comment: "Policy for origins that return Cache-Control headers. Query strings are not included in the cache key.",
		MinTTL:  0, DefaultTTL: managedTTL(0), MaxTTL: managedTTL(31536000),
		Parameters: CacheKeyParams{
			EnableAcceptEncodingGzip:   true,
			EnableAcceptEncodingBrotli: true,
			Headers:                    paramsWhitelist(useOriginCacheControlHeaders...),
			Cookies:                    paramsAll(),
			QueryStrings:               paramsNone(),
		},
	}),
	managedCachePolicy("b2884449-e4de-46a7-ac36-70bc7f1ddd6d", CachePolicyConfig{
		Name:    "Managed-CachingOptimizedForUncompressedObjects",
		Comment: "Default policy when compression is disabled",
		MinTTL:  1, DefaultTTL: managedTTL(86400), MaxTTL: managedTTL(31536000),
		Parameters: CacheKeyParams{
			Headers:      paramsNone(),
			Cookies:      paramsNone(),
			QueryStrings: paramsNone(),
		},
	}),
)

// useOriginCacheControlHeaders are the headers both
// UseOriginCacheControlHeaders policies put in the cache key, in the order
// and case CloudFront reports them.
var useOriginCacheControlHeaders = []string{"x-method-override", "origin", "host", "x-http-method", "x-http-method-override"}

// managedCachePolicyTime and managedCachePolicyETag are every managed
// policy's LastModifiedTime and ETag.
var managedCachePolicyTime = time.Date(2020, time.July, 22, 0, 0, 0, 0, time.UTC)

const managedCachePolicyETag = "E23ZP02F085DFQ"

func managedCachePolicy(id string, c CachePolicyConfig) CachePolicy {
	NormalizeCachePolicyConfig(&c)
	return CachePolicy{ID: id, LastModifiedTime: managedCachePolicyTime, ETag: managedCachePolicyETag, Config: c}
}

func managedTTL(n int64) *int64 { return &n }

func paramsNone() ParamSet { return ParamSet{Behavior: ParamsNone} }

func paramsAll() ParamSet { return ParamSet{Behavior: ParamsAll} }

func paramsWhitelist(names ...string) ParamSet {
	return ParamSet{Behavior: ParamsWhitelist, Names: slices.Clone(names)}
}

// ManagedCachePolicy returns the managed cache policy with the id, a copy
// the caller may change.
func ManagedCachePolicy(id string) (CachePolicy, bool) { return managedCachePolicies.get(id) }

// ManagedCachePolicies returns a copy of every managed cache policy, in id
// order (the order in which ListCachePolicies pages).
func ManagedCachePolicies() []CachePolicy { return managedCachePolicies.all() }

// cloneCachePolicy copies p deeply enough that changing the copy's TTLs or
// names leaves p alone.
func cloneCachePolicy(p CachePolicy) CachePolicy {
	c := &p.Config
	c.DefaultTTL = clonePtr(c.DefaultTTL)
	c.MaxTTL = clonePtr(c.MaxTTL)
	for _, s := range []*ParamSet{&c.Parameters.Headers, &c.Parameters.Cookies, &c.Parameters.QueryStrings} {
		s.Names = slices.Clone(s.Names)
	}
	return p
}
