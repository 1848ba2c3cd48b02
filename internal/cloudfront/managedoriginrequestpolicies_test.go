package cloudfront

import (
	"slices"
	"testing"
)

// managedOriginRequestPolicyTest: the managed origin request policies,
// with their names.
var managedOriginRequestPolicyTest = managedTableTest[OriginRequestPolicy, OriginRequestPolicyConfig]{
	kinds: "origin request policies",
	get:   ManagedOriginRequestPolicy,
	all:   ManagedOriginRequestPolicies,
	head: func(p *OriginRequestPolicy) policyHead {
		return policyHead{p.ID, p.AccountID, p.ETag, p.LastModifiedTime, p.Revision, p.Managed(), p.Type(), p.Config.Name, p.Config.Comment}
	},
	config:    func(p *OriginRequestPolicy) *OriginRequestPolicyConfig { return &p.Config },
	normalize: NormalizeOriginRequestPolicyConfig,
	equal:     EqualOriginRequestPolicyConfigs,
	// The quotas are on an account's own policies: a managed one may list
	// more headers (AllViewerAndCloudFrontHeaders-2022-06 lists 21).
	validate: Rules{Limits: Limits{HeadersPerOriginRequestPolicy: 100}}.ValidateOriginRequestPolicyConfig,
	names: map[string]string{
		"216adef6-5c7f-47e4-b989-5492eafa07d3": "Managed-AllViewer",
		"33f36d7e-f396-46d9-90e0-52428a34d9dc": "Managed-AllViewerAndCloudFrontHeaders-2022-06",
		"59781a5b-3903-41f3-afcb-af62929ccde1": "Managed-CORS-CustomOrigin",
		"775133bc-15f2-49f9-abea-afb2e0bf67d2": "Managed-Elemental-MediaTailor-PersonalizedManifests",
		"88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": "Managed-CORS-S3Origin",
		"acba4595-bd28-49b8-b9fe-13317c0390fa": "Managed-UserAgentRefererHeaders",
		"b689b0a8-53d0-40ab-baf2-68738e2966ac": "Managed-AllViewerExceptHostHeader",
		"bf0718e1-ba1e-49d1-88b1-f726733018ae": "Managed-HostHeaderOnly",
	},
	// A managed cache policy's id is not an origin request policy's.
	notFound: []string{"658327ea-f89d-4fab-a63d-7e88639e58f6"},
}

func TestManagedOriginRequestPolicies(t *testing.T) {
	managedOriginRequestPolicyTest.check(t)
}

// The settings the Developer Guide gives, spot-checked.
func TestManagedOriginRequestPolicySettings(t *testing.T) {
	tests := []struct {
		id                    string
		headers               ParamSet
		cookies, queryStrings string
	}{
		{"216adef6-5c7f-47e4-b989-5492eafa07d3", ParamSet{Behavior: ParamsAllViewer}, ParamsAll, ParamsAll},
		{"59781a5b-3903-41f3-afcb-af62929ccde1", paramsWhitelist("origin"), ParamsNone, ParamsNone},
		{"775133bc-15f2-49f9-abea-afb2e0bf67d2", paramsWhitelist("origin", "access-control-request-headers", "x-forwarded-for", "access-control-request-method", "user-agent"), ParamsNone, ParamsAll},
		{"88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", paramsWhitelist("origin", "access-control-request-headers", "access-control-request-method"), ParamsNone, ParamsNone},
		{"acba4595-bd28-49b8-b9fe-13317c0390fa", paramsWhitelist("referer", "user-agent"), ParamsNone, ParamsNone},
		{"b689b0a8-53d0-40ab-baf2-68738e2966ac", paramsListed(ParamsAllExcept, "host"), ParamsAll, ParamsAll},
		{"bf0718e1-ba1e-49d1-88b1-f726733018ae", paramsWhitelist("host"), ParamsNone, ParamsNone},
	}
	for _, tc := range tests {
		p, _ := ManagedOriginRequestPolicy(tc.id)
		c := p.Config
		if c.Headers.Behavior != tc.headers.Behavior || !slices.Equal(c.Headers.Names, tc.headers.Names) ||
			c.Cookies.Behavior != tc.cookies || c.QueryStrings.Behavior != tc.queryStrings ||
			len(c.Cookies.Names) != 0 || len(c.QueryStrings.Names) != 0 {
			t.Errorf("%s (%s): %+v", tc.id, c.Name, c)
		}
	}
	cf, _ := ManagedOriginRequestPolicy("33f36d7e-f396-46d9-90e0-52428a34d9dc")
	h := cf.Config.Headers
	if h.Behavior != ParamsAllViewerAndWhitelistCloudFront || len(h.Names) != 21 ||
		!slices.Contains(h.Names, "CloudFront-Viewer-ASN") || !slices.Contains(h.Names, "CloudFront-Viewer-TLS") ||
		cf.Config.Cookies.Behavior != ParamsAll || cf.Config.QueryStrings.Behavior != ParamsAll {
		t.Errorf("AllViewerAndCloudFrontHeaders-2022-06: %+v", cf.Config)
	}
	// Over the default quota of 10 headers a custom policy has.
	if got := validationCode(t, DefaultRules().ValidateOriginRequestPolicyConfig(&cf.Config)); got != TooManyHeadersInOriginRequestPolicy {
		t.Errorf("as a custom policy: code %q, want %q", got, TooManyHeadersInOriginRequestPolicy)
	}
}

// A caller that changes what it got does not change the table.
func TestManagedOriginRequestPolicyCopies(t *testing.T) {
	managedOriginRequestPolicyTest.checkCopies(t, "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", func(p *OriginRequestPolicy) {
		p.Config.Name = "changed"
		p.Config.Headers.Behavior = ParamsNone
		p.Config.Headers.Names[0] = "x-changed"
	})
}
