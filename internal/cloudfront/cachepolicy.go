package cloudfront

import (
	"reflect"
	"time"
)

// Cache policies (API 2020-05-31): what a behaviour with a CachePolicyId
// puts in the cache key and forwards to its origin, and its TTLs. The
// account's own policies are "custom"; CloudFront's managed ones exist in
// every account and cannot be changed (managedcachepolicies.go).

// Behaviours of a policy's headers, cookies and query strings.
const (
	ParamsNone      = "none"
	ParamsWhitelist = "whitelist"
	ParamsAllExcept = "allExcept" // cookies and query strings only
	ParamsAll       = "all"       // cookies and query strings only

	CachePolicyManaged = "managed"
	CachePolicyCustom  = "custom"
)

// CachePolicy is a cache policy as the API reports it. Managed policies
// have no AccountID and no Revision.
type CachePolicy struct {
	ID               string            `json:",omitzero"`
	AccountID        string            `json:",omitzero"` // owner; never sent on the wire
	LastModifiedTime time.Time         `json:",omitzero"`
	ETag             string            `json:",omitzero"`
	Revision         int64             `json:",omitzero"` // the feed revision of its last change
	Config           CachePolicyConfig `json:",omitzero"`
}

// Managed reports whether the policy is one of CloudFront's.
func (p *CachePolicy) Managed() bool { return p.AccountID == "" }

// Type is the policy's CachePolicySummary/Type.
func (p *CachePolicy) Type() string {
	if p.Managed() {
		return CachePolicyManaged
	}
	return CachePolicyCustom
}

// CachePolicyConfig is a cache policy's settings. DefaultTTL and MaxTTL
// are nil only before NormalizeCachePolicyConfig fills in CloudFront's
// defaults.
type CachePolicyConfig struct {
	Comment    string         `json:",omitzero"`
	Name       string         `json:",omitzero"`
	DefaultTTL *int64         `json:",omitzero"`
	MaxTTL     *int64         `json:",omitzero"`
	MinTTL     int64          `json:",omitzero"`
	Parameters CacheKeyParams `json:",omitzero"` // ParametersInCacheKeyAndForwardedToOrigin
}

// CacheKeyParams is ParametersInCacheKeyAndForwardedToOrigin: what is in
// the cache key, and so also forwarded to the origin.
type CacheKeyParams struct {
	EnableAcceptEncodingGzip   bool     `json:",omitzero"`
	EnableAcceptEncodingBrotli bool     `json:",omitzero"`
	Headers                    ParamSet `json:",omitzero"` // HeadersConfig: none or whitelist
	Cookies                    ParamSet `json:",omitzero"` // CookiesConfig
	QueryStrings               ParamSet `json:",omitzero"` // QueryStringsConfig
}

// ParamSet is one of a policy's HeadersConfig, CookiesConfig and
// QueryStringsConfig: a behaviour (ParamsNone, ParamsWhitelist,
// ParamsAllExcept, ParamsAll) and the names it lists. Names is nil when
// the list element is absent, and empty but not nil when it is present
// with Quantity 0, so that a config reads back as it was written.
type ParamSet struct {
	Behavior string   `json:",omitzero"`
	Names    []string `json:",omitzero"`
}

// Includes reports whether the set takes the parameter name: every name
// for all, the listed ones for whitelist, the others for allExcept. Names
// compare as given: the caller passes header names in one case.
func (s ParamSet) Includes(name string) bool {
	switch s.Behavior {
	case ParamsAll:
		return true
	case ParamsWhitelist:
		return containsString(s.Names, name)
	case ParamsAllExcept:
		return !containsString(s.Names, name)
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// EffectiveTTLs are the policy's MinTTL, DefaultTTL and MaxTTL with
// CloudFront's defaults for the ones left out (the API reference:
// DefaultTTL 86400 or MinTTL if larger; MaxTTL 31536000 or DefaultTTL if
// larger).
func (c *CachePolicyConfig) EffectiveTTLs() (minTTL, defaultTTL, maxTTL int64) {
	minTTL = c.MinTTL
	defaultTTL = max(DefaultDefaultTTL, minTTL)
	if c.DefaultTTL != nil {
		defaultTTL = *c.DefaultTTL
	}
	maxTTL = max(DefaultMaxTTL, defaultTTL)
	if c.MaxTTL != nil {
		maxTTL = *c.MaxTTL
	}
	return minTTL, defaultTTL, maxTTL
}

// NormalizeCachePolicyConfig fills in the TTLs a config left out, as
// CloudFront reports them.
func NormalizeCachePolicyConfig(c *CachePolicyConfig) {
	_, d, m := c.EffectiveTTLs()
	c.DefaultTTL, c.MaxTTL = &d, &m
}

// EqualCachePolicyConfigs reports whether two configs say the same thing.
func EqualCachePolicyConfigs(a, b *CachePolicyConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

// CachePolicyARN is a custom cache policy's ARN in CloudFront's form.
func CachePolicyARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":cache-policy/" + id
}

// Behaviors returns pointers to the config's default behaviour and its
// other behaviours, in that order.
func (c *DistributionConfig) Behaviors() []*CacheBehavior {
	out := make([]*CacheBehavior, 0, 1+len(c.CacheBehaviors))
	out = append(out, &c.DefaultCacheBehavior)
	for i := range c.CacheBehaviors {
		out = append(out, &c.CacheBehaviors[i])
	}
	return out
}
