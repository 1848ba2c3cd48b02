package v20200531

import (
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// Cache policies: CachePolicyConfig (CreateCachePolicy, UpdateCachePolicy,
// GetCachePolicyConfig), CachePolicy (Create, Get, Update) and
// CachePolicyList (ListCachePolicies).
//
// The service model requires Name, MinTTL, and in
// ParametersInCacheKeyAndForwardedToOrigin EnableAcceptEncodingGzip and
// the three *Config members; CloudFront also refuses a config without
// ParametersInCacheKeyAndForwardedToOrigin, which the model leaves
// optional. Behaviours are kept as sent: validation checks them.

// DecodeCachePolicyConfig decodes a CachePolicyConfig request body
// (CreateCachePolicy, UpdateCachePolicy).
func DecodeCachePolicyConfig(body []byte) (cloudfront.CachePolicyConfig, error) {
	root, err := parse(body, "CachePolicyConfig")
	if err != nil {
		return cloudfront.CachePolicyConfig{}, err
	}
	var d decoder
	c := d.cachePolicyConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.CachePolicyConfig{}, err
	}
	return c, nil
}

func (d *decoder) cachePolicyConfig(n *node) cloudfront.CachePolicyConfig {
	f := d.Open(n, "Comment", "Name", "DefaultTTL", "MaxTTL", "MinTTL", "ParametersInCacheKeyAndForwardedToOrigin")
	c := cloudfront.CachePolicyConfig{
		Comment:    d.Str(f.Opt("Comment")),
		Name:       d.Str(f.Req("Name")),
		DefaultTTL: d.optInt64(f.Opt("DefaultTTL")),
		MaxTTL:     d.optInt64(f.Opt("MaxTTL")),
		MinTTL:     d.Integer(f.Req("MinTTL"), 64),
	}
	pf := d.Open(f.Req("ParametersInCacheKeyAndForwardedToOrigin"), "EnableAcceptEncodingGzip",
		"EnableAcceptEncodingBrotli", "HeadersConfig", "CookiesConfig", "QueryStringsConfig")
	c.Parameters = cloudfront.CacheKeyParams{
		EnableAcceptEncodingGzip:   d.Boolean(pf.Req("EnableAcceptEncodingGzip")),
		EnableAcceptEncodingBrotli: d.Boolean(pf.Opt("EnableAcceptEncodingBrotli")),
		Headers:                    d.paramSet(pf.Req("HeadersConfig"), "HeaderBehavior", "Headers"),
		Cookies:                    d.paramSet(pf.Req("CookiesConfig"), "CookieBehavior", "Cookies"),
		QueryStrings:               d.paramSet(pf.Req("QueryStringsConfig"), "QueryStringBehavior", "QueryStrings"),
	}
	return c
}

// EncodeCachePolicyConfig encodes a <CachePolicyConfig> document
// (GetCachePolicyConfig).
func EncodeCachePolicyConfig(c cloudfront.CachePolicyConfig) []byte {
	return cachePolicies.encodeConfig(c)
}

// EncodeCachePolicy encodes a <CachePolicy> document (Create, Get,
// Update).
func EncodeCachePolicy(p cloudfront.CachePolicy) []byte {
	return cachePolicies.encode(&p)
}

// EncodeCachePolicyList encodes a <CachePolicyList> of CachePolicySummary
// (ListCachePolicies). Unlike the distribution lists it has no Marker and
// no IsTruncated: NextMarker is there when the page is truncated.
func EncodeCachePolicyList(p cloudfront.ListPage, items []cloudfront.CachePolicy) []byte {
	return cachePolicies.encodeList(p, items)
}

// cachePolicies is the cache policy kind for the shared policy encoders
// (policy.go).
var cachePolicies = policyKind[cloudfront.CachePolicy, cloudfront.CachePolicyConfig]{
	name: "CachePolicy",
	parts: func(p *cloudfront.CachePolicy) (string, time.Time, cloudfront.CachePolicyConfig) {
		return p.ID, p.LastModifiedTime, p.Config
	},
	typ:    (*cloudfront.CachePolicy).Type,
	config: (*writer).cachePolicyConfigBody,
}

func (w *writer) cachePolicyConfigBody(c cloudfront.CachePolicyConfig) {
	w.Text("Comment", c.Comment)
	w.Text("Name", c.Name)
	if c.DefaultTTL != nil {
		w.Int("DefaultTTL", *c.DefaultTTL)
	}
	if c.MaxTTL != nil {
		w.Int("MaxTTL", *c.MaxTTL)
	}
	w.Int("MinTTL", c.MinTTL)
	p := c.Parameters
	w.Open("ParametersInCacheKeyAndForwardedToOrigin")
	w.Bool("EnableAcceptEncodingGzip", p.EnableAcceptEncodingGzip)
	w.Bool("EnableAcceptEncodingBrotli", p.EnableAcceptEncodingBrotli)
	w.paramSet("HeadersConfig", "HeaderBehavior", "Headers", p.Headers)
	w.paramSet("CookiesConfig", "CookieBehavior", "Cookies", p.Cookies)
	w.paramSet("QueryStringsConfig", "QueryStringBehavior", "QueryStrings", p.QueryStrings)
	w.Close("ParametersInCacheKeyAndForwardedToOrigin")
}

// EncodeDistributionIDList encodes a <DistributionIdList>
// (ListDistributionsByCachePolicyId and the other ListDistributionsBy…
// lookups).
func EncodeDistributionIDList(p cloudfront.ListPage, ids []string) []byte {
	return shapes.List(Namespace, "DistributionIdList", p, ids, func(w *xmlwire.Writer, id string) {
		w.Text("DistributionId", id)
	})
}
