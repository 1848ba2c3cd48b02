package cloudfront

import (
	"slices"
	"time"
)

// CloudFront's managed origin request policies: in every account, the
// same ids, read-only. The eight and their settings are those of the
// Developer Guide ("Use managed origin request policies"); names,
// comments and the spelling of header names are as CloudFront's API
// reports them (GetOriginRequestPolicy, ListOriginRequestPolicies), which
// is not as the guide writes them:
//
//   - names carry the prefix "Managed-" (the guide's first version wrote
//     them so; Terraform's data source looks them up by these names);
//   - the API reports header names in lower case, except the
//     CloudFront-* ones, and in an order of its own, kept here.
//
// The names, comments, header lists and their order come from a
// CloudFormation export of an account's policies (the API's view). That
// export lacks AllViewer and HostHeaderOnly: AllViewer's comment is the
// one tools that name the policy quote; HostHeaderOnly's comment and the
// case of its header are ours, by analogy with the others (unconfirmed).
//
// Headers per policy: Managed-AllViewerAndCloudFrontHeaders-2022-06 adds
// 21 CloudFront headers, more than the 10 an account's own policy may
// list; the quota is on custom policies.
//
// LastModifiedTime and ETag are fixed values of ours, not CloudFront's: a
// managed policy never changes, so neither does its version.
var managedOriginRequestPolicies = newManagedTable(func(p OriginRequestPolicy) string { return p.ID }, cloneOriginRequestPolicy,
	managedOriginRequestPolicy("216adef6-5c7f-47e4-b989-5492eafa07d3", OriginRequestPolicyConfig{
		Name:         "Managed-AllViewer",
		Comment:      "Policy to forward all parameters in viewer requests",
		Headers:      ParamSet{Behavior: ParamsAllViewer},
		Cookies:      paramsAll(),
		QueryStrings: paramsAll(),
	}),
	managedOriginRequestPolicy("33f36d7e-f396-46d9-90e0-52428a34d9dc", OriginRequestPolicyConfig{
		Name:    "Managed-AllViewerAndCloudFrontHeaders-2022-06",
		Comment: "Policy to forward all parameters in viewer requests and all CloudFront headers as of June 2022",
		Headers: paramsListed(ParamsAllViewerAndWhitelistCloudFront,
			"CloudFront-Viewer-Time-Zone",
			"CloudFront-Viewer-Address",
			"CloudFront-Viewer-Country",
			"CloudFront-Is-IOS-Viewer",
			"CloudFront-Is-Tablet-Viewer",
			"CloudFront-Forwarded-Proto",
			"CloudFront-Viewer-Country-Name",
			"CloudFront-Is-Mobile-Viewer",
			"CloudFront-Is-SmartTV-Viewer",
			"CloudFront-Viewer-Country-Region",
			"CloudFront-Is-Android-Viewer",
			"CloudFront-Viewer-Country-Region-Name",
			"CloudFront-Viewer-City",
			"CloudFront-Viewer-Latitude",
			"CloudFront-Viewer-Longitude",
			"CloudFront-Viewer-Http-Version",
			"CloudFront-Viewer-Postal-Code",
			"CloudFront-Viewer-ASN",
			"CloudFront-Is-Desktop-Viewer",
			"CloudFront-Viewer-Metro-Code",
			"CloudFront-Viewer-TLS",
		),
		Cookies:      paramsAll(),
		QueryStrings: paramsAll(),
	}),
	managedOriginRequestPolicy("59781a5b-3903-41f3-afcb-af62929ccde1", OriginRequestPolicyConfig{
		Name:         "Managed-CORS-CustomOrigin",
		Comment:      "Policy for custom origin with CORS",
		Headers:      paramsWhitelist("origin"),
		Cookies:      paramsNone(),
		QueryStrings: paramsNone(),
	}),
	managedOriginRequestPolicy("775133bc-15f2-49f9-abea-afb2e0bf67d2", OriginRequestPolicyConfig{
		Name:         "Managed-Elemental-MediaTailor-PersonalizedManifests",
		Comment:      "Policy for Elemental MediaTailor Origin",
		Headers:      paramsWhitelist("origin", "access-control-request-headers", "x-forwarded-for", "access-control-request-method", "user-agent"),
		Cookies:      paramsNone(),
		QueryStrings: paramsAll(),
	}),
	managedOriginRequestPolicy("88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", OriginRequestPolicyConfig{
		Name:         "Managed-CORS-S3Origin",
		Comment:      "Policy for S3 origin with CORS",
		Headers:      paramsWhitelist("origin", "access-control-request-headers", "access-control-request-method"),
		Cookies:      paramsNone(),
		QueryStrings: paramsNone(),
	}),
	managedOriginRequestPolicy("acba4595-bd28-49b8-b9fe-13317c0390fa", OriginRequestPolicyConfig{
		Name:         "Managed-UserAgentRefererHeaders",
		Comment:      "Policy to forward user-agent and referer headers to origin",
		Headers:      paramsWhitelist("referer", "user-agent"),
		Cookies:      paramsNone(),
		QueryStrings: paramsNone(),
	}),
	managedOriginRequestPolicy("b689b0a8-53d0-40ab-baf2-68738e2966ac", OriginRequestPolicyConfig{
		Name:         "Managed-AllViewerExceptHostHeader",
		Comment:      "Policy to forward all parameters in viewer requests except for the Host header",
		Headers:      paramsListed(ParamsAllExcept, "host"),
		Cookies:      paramsAll(),
		QueryStrings: paramsAll(),
	}),
	managedOriginRequestPolicy("bf0718e1-ba1e-49d1-88b1-f726733018ae", OriginRequestPolicyConfig{
		Name:         "Managed-HostHeaderOnly",
		Comment:      "Policy to forward the host header to origin", // ours; see above
		Headers:      paramsWhitelist("host"),
		Cookies:      paramsNone(),
		QueryStrings: paramsNone(),
	}),
)

// managedOriginRequestPolicyTime and managedOriginRequestPolicyETag are
// every managed origin request policy's LastModifiedTime and ETag.
var managedOriginRequestPolicyTime = time.Date(2020, time.July, 22, 0, 0, 0, 0, time.UTC)

const managedOriginRequestPolicyETag = "E3UN6WX5RRO2AG"

func managedOriginRequestPolicy(id string, c OriginRequestPolicyConfig) OriginRequestPolicy {
	NormalizeOriginRequestPolicyConfig(&c)
	return OriginRequestPolicy{ID: id, LastModifiedTime: managedOriginRequestPolicyTime, ETag: managedOriginRequestPolicyETag, Config: c}
}

// paramsListed is a behaviour with names: allExcept,
// allViewerAndWhitelistCloudFront (whitelist has paramsWhitelist).
func paramsListed(behavior string, names ...string) ParamSet {
	return ParamSet{Behavior: behavior, Names: slices.Clone(names)}
}

// ManagedOriginRequestPolicy returns the managed origin request policy
// with the id, a copy the caller may change.
func ManagedOriginRequestPolicy(id string) (OriginRequestPolicy, bool) {
	return managedOriginRequestPolicies.get(id)
}

// ManagedOriginRequestPolicies returns a copy of every managed origin
// request policy, in id order (the order in which
// ListOriginRequestPolicies pages).
func ManagedOriginRequestPolicies() []OriginRequestPolicy { return managedOriginRequestPolicies.all() }

// cloneOriginRequestPolicy copies p deeply enough that changing the
// copy's names leaves p alone.
func cloneOriginRequestPolicy(p OriginRequestPolicy) OriginRequestPolicy {
	c := &p.Config
	for _, s := range []*ParamSet{&c.Headers, &c.Cookies, &c.QueryStrings} {
		s.Names = slices.Clone(s.Names)
	}
	return p
}
