package cloudfront

import (
	"reflect"
	"time"
)

// Response headers policies (API 2020-05-31): headers the edge adds to,
// or removes from, the responses of a behaviour that names one. The
// account's own are "custom"; CloudFront's managed ones exist in every
// account and cannot be changed (managedresponseheaderspolicies.go).

// ResponseHeadersPolicy is a response headers policy as the API reports
// it. Managed policies have no AccountID and no Revision.
type ResponseHeadersPolicy struct {
	ID               string                      `json:",omitzero"`
	AccountID        string                      `json:",omitzero"` // owner; never sent on the wire
	LastModifiedTime time.Time                   `json:",omitzero"`
	ETag             string                      `json:",omitzero"`
	Revision         int64                       `json:",omitzero"`
	Config           ResponseHeadersPolicyConfig `json:",omitzero"`
}

// Managed reports whether the policy is one of CloudFront's.
func (p *ResponseHeadersPolicy) Managed() bool { return p.AccountID == "" }

// Type is the policy's ResponseHeadersPolicySummary/Type.
func (p *ResponseHeadersPolicy) Type() string {
	if p.Managed() {
		return CachePolicyManaged
	}
	return CachePolicyCustom
}

// ResponseHeadersPolicyConfig is a response headers policy's settings.
// Each part is nil when the config leaves it out.
type ResponseHeadersPolicyConfig struct {
	Comment         string                 `json:",omitzero"`
	Name            string                 `json:",omitzero"`
	CORS            *CORSConfig            `json:",omitempty"` // CorsConfig
	SecurityHeaders *SecurityHeadersConfig `json:",omitempty"` // SecurityHeadersConfig
	ServerTiming    *ServerTimingConfig    `json:",omitempty"` // ServerTimingHeadersConfig
	// CustomHeaders and RemoveHeaders are nil when their element is
	// absent, empty but not nil when it is present with Quantity 0.
	CustomHeaders []ResponseCustomHeader `json:",omitzero"` // CustomHeadersConfig
	RemoveHeaders []string               `json:",omitzero"` // RemoveHeadersConfig/Items/…/Header
}

// CORSConfig is a policy's CorsConfig. ExposeHeaders is nil when its
// element is absent; MaxAgeSec nil when AccessControlMaxAgeSec is.
type CORSConfig struct {
	AllowOrigins     []string `json:",omitzero"` // AccessControlAllowOrigins: "*" or origins
	AllowHeaders     []string `json:",omitzero"` // AccessControlAllowHeaders: "*" or names
	AllowMethods     []string `json:",omitzero"` // AccessControlAllowMethods: GET… or ALL
	AllowCredentials bool     `json:",omitzero"`
	ExposeHeaders    []string `json:",omitzero"`
	MaxAgeSec        *int     `json:",omitzero"`
	OriginOverride   bool     `json:",omitzero"`
}

// SecurityHeadersConfig is a policy's SecurityHeadersConfig: each header
// nil when left out. Override: the policy's value replaces the origin's.
type SecurityHeadersConfig struct {
	XSSProtection           *XSSProtection           `json:",omitempty"`
	FrameOptions            *FrameOptions            `json:",omitempty"`
	ReferrerPolicy          *ReferrerPolicy          `json:",omitempty"`
	ContentSecurityPolicy   *ContentSecurityPolicy   `json:",omitempty"`
	ContentTypeOptions      *ContentTypeOptions      `json:",omitempty"`
	StrictTransportSecurity *StrictTransportSecurity `json:",omitempty"`
}

// XSSProtection is X-XSS-Protection.
type XSSProtection struct {
	Override   bool   `json:",omitzero"`
	Protection bool   `json:",omitzero"`
	ModeBlock  bool   `json:",omitzero"`
	ReportURI  string `json:",omitzero"`
}

// FrameOptions is X-Frame-Options: DENY or SAMEORIGIN.
type FrameOptions struct {
	Override    bool   `json:",omitzero"`
	FrameOption string `json:",omitzero"`
}

// ReferrerPolicy is Referrer-Policy.
type ReferrerPolicy struct {
	Override bool   `json:",omitzero"`
	Policy   string `json:",omitzero"` // ReferrerPolicy/ReferrerPolicy
}

// ContentSecurityPolicy is Content-Security-Policy.
type ContentSecurityPolicy struct {
	Override bool   `json:",omitzero"`
	Policy   string `json:",omitzero"` // ContentSecurityPolicy/ContentSecurityPolicy
}

// ContentTypeOptions is X-Content-Type-Options: nosniff.
type ContentTypeOptions struct {
	Override bool `json:",omitzero"`
}

// StrictTransportSecurity is Strict-Transport-Security.
type StrictTransportSecurity struct {
	Override          bool `json:",omitzero"`
	IncludeSubdomains bool `json:",omitzero"`
	Preload           bool `json:",omitzero"`
	MaxAgeSec         int  `json:",omitzero"` // AccessControlMaxAgeSec
}

// ServerTimingConfig is ServerTimingHeadersConfig. SamplingRate is a
// percentage, 0 to 100, nil when absent.
type ServerTimingConfig struct {
	Enabled      bool     `json:",omitzero"`
	SamplingRate *float64 `json:",omitzero"`
}

// ResponseCustomHeader is one of CustomHeadersConfig's headers.
type ResponseCustomHeader struct {
	Header   string `json:",omitzero"`
	Value    string `json:",omitzero"`
	Override bool   `json:",omitzero"`
}

// ResponseHeadersPolicyARN is a custom response headers policy's ARN.
func ResponseHeadersPolicyARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":response-headers-policy/" + id
}

// NormalizeResponseHeadersPolicyConfig: nothing is defaulted.
func NormalizeResponseHeadersPolicyConfig(*ResponseHeadersPolicyConfig) {}

// EqualResponseHeadersPolicyConfigs reports whether two configs say the
// same thing.
func EqualResponseHeadersPolicyConfigs(a, b *ResponseHeadersPolicyConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}
