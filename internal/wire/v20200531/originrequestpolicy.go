package v20200531

import (
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Origin request policies: OriginRequestPolicyConfig
// (CreateOriginRequestPolicy, UpdateOriginRequestPolicy,
// GetOriginRequestPolicyConfig), OriginRequestPolicy (Create, Get,
// Update) and OriginRequestPolicyList (ListOriginRequestPolicies).
//
// The service model requires Name and the three *Config members, and in
// each its behaviour. Behaviours are kept as sent: validation checks
// them.

// DecodeOriginRequestPolicyConfig decodes an OriginRequestPolicyConfig
// request body (CreateOriginRequestPolicy, UpdateOriginRequestPolicy).
func DecodeOriginRequestPolicyConfig(body []byte) (cloudfront.OriginRequestPolicyConfig, error) {
	root, err := parse(body, "OriginRequestPolicyConfig")
	if err != nil {
		return cloudfront.OriginRequestPolicyConfig{}, err
	}
	var d decoder
	c := d.originRequestPolicyConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.OriginRequestPolicyConfig{}, err
	}
	return c, nil
}

func (d *decoder) originRequestPolicyConfig(n *node) cloudfront.OriginRequestPolicyConfig {
	f := d.Open(n, "Comment", "Name", "HeadersConfig", "CookiesConfig", "QueryStringsConfig")
	return cloudfront.OriginRequestPolicyConfig{
		Comment:      d.Str(f.Opt("Comment")),
		Name:         d.Str(f.Req("Name")),
		Headers:      d.paramSet(f.Req("HeadersConfig"), "HeaderBehavior", "Headers"),
		Cookies:      d.paramSet(f.Req("CookiesConfig"), "CookieBehavior", "Cookies"),
		QueryStrings: d.paramSet(f.Req("QueryStringsConfig"), "QueryStringBehavior", "QueryStrings"),
	}
}

// EncodeOriginRequestPolicyConfig encodes an <OriginRequestPolicyConfig>
// document (GetOriginRequestPolicyConfig).
func EncodeOriginRequestPolicyConfig(c cloudfront.OriginRequestPolicyConfig) []byte {
	return originRequestPolicies.encodeConfig(c)
}

// EncodeOriginRequestPolicy encodes an <OriginRequestPolicy> document
// (Create, Get, Update).
func EncodeOriginRequestPolicy(p cloudfront.OriginRequestPolicy) []byte {
	return originRequestPolicies.encode(&p)
}

// EncodeOriginRequestPolicyList encodes an <OriginRequestPolicyList> of
// OriginRequestPolicySummary (ListOriginRequestPolicies). Like
// CachePolicyList it has no Marker and no IsTruncated: NextMarker is there
// when the page is truncated.
func EncodeOriginRequestPolicyList(p cloudfront.ListPage, items []cloudfront.OriginRequestPolicy) []byte {
	return originRequestPolicies.encodeList(p, items)
}

// originRequestPolicies is the origin request policy kind for the shared
// policy encoders (policy.go).
var originRequestPolicies = policyKind[cloudfront.OriginRequestPolicy, cloudfront.OriginRequestPolicyConfig]{
	name: "OriginRequestPolicy",
	parts: func(p *cloudfront.OriginRequestPolicy) (string, time.Time, cloudfront.OriginRequestPolicyConfig) {
		return p.ID, p.LastModifiedTime, p.Config
	},
	typ:    (*cloudfront.OriginRequestPolicy).Type,
	config: (*writer).originRequestPolicyConfigBody,
}

func (w *writer) originRequestPolicyConfigBody(c cloudfront.OriginRequestPolicyConfig) {
	w.Text("Comment", c.Comment)
	w.Text("Name", c.Name)
	w.paramSet("HeadersConfig", "HeaderBehavior", "Headers", c.Headers)
	w.paramSet("CookiesConfig", "CookieBehavior", "Cookies", c.Cookies)
	w.paramSet("QueryStringsConfig", "QueryStringBehavior", "QueryStrings", c.QueryStrings)
}
