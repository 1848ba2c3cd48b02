package v20200531

import "github.com/openfront/openfront/internal/cloudfront"

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
	w := newDoc("OriginRequestPolicyConfig")
	w.originRequestPolicyConfigBody(c)
	return w.Bytes("OriginRequestPolicyConfig")
}

// EncodeOriginRequestPolicy encodes an <OriginRequestPolicy> document
// (Create, Get, Update).
func EncodeOriginRequestPolicy(p cloudfront.OriginRequestPolicy) []byte {
	w := newDoc("OriginRequestPolicy")
	w.originRequestPolicyBody(p)
	return w.Bytes("OriginRequestPolicy")
}

// EncodeOriginRequestPolicyList encodes an <OriginRequestPolicyList> of
// OriginRequestPolicySummary (ListOriginRequestPolicies). Like
// CachePolicyList it has no Marker and no IsTruncated: NextMarker is there
// when the page is truncated.
func EncodeOriginRequestPolicyList(p cloudfront.ListPage, items []cloudfront.OriginRequestPolicy) []byte {
	w := newDoc("OriginRequestPolicyList")
	if p.IsTruncated {
		w.Text("NextMarker", p.NextMarker)
	}
	w.Int("MaxItems", int64(p.MaxItems))
	w.Int("Quantity", int64(len(items)))
	if len(items) > 0 {
		w.Open("Items")
		for _, op := range items {
			w.Open("OriginRequestPolicySummary")
			w.Text("Type", op.Type())
			w.Open("OriginRequestPolicy")
			w.originRequestPolicyBody(op)
			w.Close("OriginRequestPolicy")
			w.Close("OriginRequestPolicySummary")
		}
		w.Close("Items")
	}
	return w.Bytes("OriginRequestPolicyList")
}

func (w *writer) originRequestPolicyBody(p cloudfront.OriginRequestPolicy) {
	w.Text("Id", p.ID)
	w.Time("LastModifiedTime", p.LastModifiedTime)
	w.Open("OriginRequestPolicyConfig")
	w.originRequestPolicyConfigBody(p.Config)
	w.Close("OriginRequestPolicyConfig")
}

func (w *writer) originRequestPolicyConfigBody(c cloudfront.OriginRequestPolicyConfig) {
	w.Text("Comment", c.Comment)
	w.Text("Name", c.Name)
	w.paramSet("HeadersConfig", "HeaderBehavior", "Headers", c.Headers)
	w.paramSet("CookiesConfig", "CookieBehavior", "Cookies", c.Cookies)
	w.paramSet("QueryStringsConfig", "QueryStringBehavior", "QueryStrings", c.QueryStrings)
}
