package cloudfront

import (
	"slices"
	"strings"
	"testing"
)

func TestManagedOriginRequestPolicies(t *testing.T) {
	want := map[string]string{
		"216adef6-5c7f-47e4-b989-5492eafa07d3": "Managed-AllViewer",
		"33f36d7e-f396-46d9-90e0-52428a34d9dc": "Managed-AllViewerAndCloudFrontHeaders-2022-06",
		"59781a5b-3903-41f3-afcb-af62929ccde1": "Managed-CORS-CustomOrigin",
		"775133bc-15f2-49f9-abea-afb2e0bf67d2": "Managed-Elemental-MediaTailor-PersonalizedManifests",
		"88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": "Managed-CORS-S3Origin",
		"acba4595-bd28-49b8-b9fe-13317c0390fa": "Managed-UserAgentRefererHeaders",
		"b689b0a8-53d0-40ab-baf2-68738e2966ac": "Managed-AllViewerExceptHostHeader",
		"bf0718e1-ba1e-49d1-88b1-f726733018ae": "Managed-HostHeaderOnly",
	}
	all := ManagedOriginRequestPolicies()
	if len(all) != len(want) {
		t.Fatalf("%d managed origin request policies, want %d", len(all), len(want))
	}
	if !slices.IsSortedFunc(all, func(a, b OriginRequestPolicy) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("ManagedOriginRequestPolicies is not in id order")
	}
	// The quotas are on an account's own policies: a managed one may list
	// more headers (AllViewerAndCloudFrontHeaders-2022-06 lists 21).
	rules := Rules{Limits: Limits{HeadersPerOriginRequestPolicy: 100}}
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
		if p.ETag == "" || p.LastModifiedTime.IsZero() || p.Config.Comment == "" {
			t.Errorf("policy %s: ETag, LastModifiedTime or Comment is missing", p.ID)
		}
		c := p.Config
		NormalizeOriginRequestPolicyConfig(&c)
		if !EqualOriginRequestPolicyConfigs(&c, &p.Config) {
			t.Errorf("policy %s is not normalized", p.ID)
		}
		if err := rules.ValidateOriginRequestPolicyConfig(&p.Config); err != nil {
			t.Errorf("policy %s (%s): %v", p.ID, p.Config.Name, err)
		}
		got, ok := ManagedOriginRequestPolicy(p.ID)
		if !ok || !EqualOriginRequestPolicyConfigs(&got.Config, &p.Config) {
			t.Errorf("ManagedOriginRequestPolicy(%s) = %v, %v", p.ID, got, ok)
		}
	}
	if _, ok := ManagedOriginRequestPolicy("00000000-0000-0000-0000-000000000000"); ok {
		t.Error("ManagedOriginRequestPolicy found an unknown id")
	}
	// A managed cache policy's id is not an origin request policy's.
	if _, ok := ManagedOriginRequestPolicy("658327ea-f89d-4fab-a63d-7e88639e58f6"); ok {
		t.Error("ManagedOriginRequestPolicy found a cache policy")
	}
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
	const id = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
	p, _ := ManagedOriginRequestPolicy(id)
	p.Config.Headers.Names[0] = "x-changed"
	all := ManagedOriginRequestPolicies()
	all[0].Config.Name = "changed"
	all[0].Config.Headers.Behavior = ParamsNone
	again, _ := ManagedOriginRequestPolicy(id)
	if again.Config.Headers.Names[0] != "origin" {
		t.Errorf("the managed policy changed: %+v", again.Config)
	}
	if first := ManagedOriginRequestPolicies()[0]; first.Config.Name == "changed" || first.Config.Headers.Behavior != ParamsAllViewer {
		t.Error("ManagedOriginRequestPolicies shares its policies")
	}
}
