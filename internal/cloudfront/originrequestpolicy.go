package cloudfront

import (
	"reflect"
	"time"
)

// Origin request policies (API 2020-05-31): what a behaviour forwards to
// its origin beyond its cache key, without keying on it. The account's own
// are "custom"; CloudFront's managed ones exist in every account and
// cannot be changed (managedoriginrequestpolicies.go).

// Header behaviours only origin request policies have.
const (
	ParamsAllViewer                       = "allViewer"
	ParamsAllViewerAndWhitelistCloudFront = "allViewerAndWhitelistCloudFront"
)

// OriginRequestPolicy is an origin request policy as the API reports it.
// Managed policies have no AccountID and no Revision.
type OriginRequestPolicy struct {
	ID               string                    `json:",omitzero"`
	AccountID        string                    `json:",omitzero"` // owner; never sent on the wire
	LastModifiedTime time.Time                 `json:",omitzero"`
	ETag             string                    `json:",omitzero"`
	Revision         int64                     `json:",omitzero"`
	Config           OriginRequestPolicyConfig `json:",omitzero"`
}

// Managed reports whether the policy is one of CloudFront's.
func (p *OriginRequestPolicy) Managed() bool { return p.AccountID == "" }

// Type is the policy's OriginRequestPolicySummary/Type.
func (p *OriginRequestPolicy) Type() string {
	if p.Managed() {
		return CachePolicyManaged
	}
	return CachePolicyCustom
}

// OriginRequestPolicyConfig is an origin request policy's settings. The
// header behaviours are none, whitelist, allViewer,
// allViewerAndWhitelistCloudFront (every viewer header plus the listed
// CloudFront-* headers) and allExcept; cookies and query strings are
// none, whitelist, all and allExcept.
type OriginRequestPolicyConfig struct {
	Comment      string   `json:",omitzero"`
	Name         string   `json:",omitzero"`
	Headers      ParamSet `json:",omitzero"` // HeadersConfig
	Cookies      ParamSet `json:",omitzero"` // CookiesConfig
	QueryStrings ParamSet `json:",omitzero"` // QueryStringsConfig
}

// OriginRequestPolicyARN is a custom origin request policy's ARN.
func OriginRequestPolicyARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":origin-request-policy/" + id
}

// NormalizeOriginRequestPolicyConfig: nothing is defaulted; it exists
// for the lifecycle's hook.
func NormalizeOriginRequestPolicyConfig(*OriginRequestPolicyConfig) {}

// EqualOriginRequestPolicyConfigs reports whether two configs say the
// same thing.
func EqualOriginRequestPolicyConfigs(a, b *OriginRequestPolicyConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}
