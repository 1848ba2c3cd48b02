package cloudfront

import (
	"slices"
	"time"
)

// CloudFront's managed response headers policies: in every account, the
// same ids, read-only. The five and their settings are those of the
// Developer Guide ("Use managed response headers policies"); names are as
// CloudFront's API reports them (ListResponseHeadersPolicies), with the
// prefix "Managed-", as an account's listing shows them (aws-nuke's, and
// Terraform's data source looks them up by these names).
//
// The guide's tables give each policy's headers, values and Override:
//
//   - SimpleCORS: Access-Control-Allow-Origin "*", and nothing else, so
//     the methods and headers to allow are left empty (Quantity 0), which
//     an account's own policy may not do (validate_responseheaderspolicy.go);
//   - CORS-With-Preflight: Access-Control-Allow-Methods DELETE, GET, HEAD,
//     OPTIONS, PATCH, POST, PUT; Access-Control-Allow-Origin "*";
//     Access-Control-Expose-Headers "*" ("all three of the following
//     headers"), so no headers to allow and no max age;
//   - SecurityHeadersPolicy: Referrer-Policy strict-origin-when-cross-origin,
//     Strict-Transport-Security max-age=31536000, X-Content-Type-Options
//     nosniff, X-Frame-Options SAMEORIGIN, X-XSS-Protection "1; mode=block";
//     only X-Content-Type-Options overrides the origin's;
//   - the two CORS-…-and-SecurityHeadersPolicy ones, each a CORS policy's
//     CorsConfig with SecurityHeadersPolicy's SecurityHeadersConfig.
//
// No CORS setting overrides the origin's (OriginOverride false) nor allows
// credentials. The order of the methods is the guide's; in what order the
// API lists them is unconfirmed.
//
// Comments: SimpleCORS's, CORS-With-Preflight's and SecurityHeadersPolicy's
// are the ones tools that name the policies quote (the console's
// descriptions); CORS-with-preflight-and-SecurityHeadersPolicy's is quoted
// the same way, more rarely; CORS-and-SecurityHeadersPolicy's follows the
// same pattern and is unconfirmed.
//
// LastModifiedTime and ETag are fixed values of ours, not CloudFront's: a
// managed policy never changes, so neither does its version. The time is
// the day CloudFront launched response headers policies.
var managedResponseHeadersPolicies = newManagedTable(func(p ResponseHeadersPolicy) string { return p.ID }, cloneResponseHeadersPolicy,
	managedResponseHeadersPolicy("5cc3b908-e619-4b99-88e5-2cf7f45965bd", ResponseHeadersPolicyConfig{
		Name:    "Managed-CORS-With-Preflight",
		Comment: "Allows all origins for CORS requests, including preflight requests",
		CORS:    managedPreflightCORS(),
	}),
	managedResponseHeadersPolicy("60669652-455b-4ae9-85a4-c4c02393f86c", ResponseHeadersPolicyConfig{
		Name:    "Managed-SimpleCORS",
		Comment: "Allows all origins for simple CORS requests",
		CORS:    managedSimpleCORS(),
	}),
	managedResponseHeadersPolicy("67f7725c-6f97-4210-82d7-5512b31e9d03", ResponseHeadersPolicyConfig{
		Name:            "Managed-SecurityHeadersPolicy",
		Comment:         "Adds a set of security headers to every response",
		SecurityHeaders: managedSecurityHeaders(),
	}),
	managedResponseHeadersPolicy("e61eb60c-9c35-4d20-a928-2b84e02af89c", ResponseHeadersPolicyConfig{
		Name:            "Managed-CORS-and-SecurityHeadersPolicy",
		Comment:         "Allows all origins for simple CORS requests, and adds security headers", // unconfirmed; see above
		CORS:            managedSimpleCORS(),
		SecurityHeaders: managedSecurityHeaders(),
	}),
	managedResponseHeadersPolicy("eaab4381-ed33-4a86-88ca-d9558dc6cd63", ResponseHeadersPolicyConfig{
		Name:            "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
		Comment:         "Allows all origins for CORS requests, including preflight requests, and adds security headers",
		CORS:            managedPreflightCORS(),
		SecurityHeaders: managedSecurityHeaders(),
	}),
)

// managedResponseHeadersPolicyTime and managedResponseHeadersPolicyETag are
// every managed response headers policy's LastModifiedTime and ETag.
var managedResponseHeadersPolicyTime = time.Date(2021, time.November, 2, 0, 0, 0, 0, time.UTC)

const managedResponseHeadersPolicyETag = "E2QWRUHAPOMQZL"

func managedResponseHeadersPolicy(id string, c ResponseHeadersPolicyConfig) ResponseHeadersPolicy {
	NormalizeResponseHeadersPolicyConfig(&c)
	return ResponseHeadersPolicy{ID: id, LastModifiedTime: managedResponseHeadersPolicyTime, ETag: managedResponseHeadersPolicyETag, Config: c}
}

// managedSimpleCORS is SimpleCORS's CorsConfig: any origin, nothing for
// preflight requests.
func managedSimpleCORS() *CORSConfig {
	return &CORSConfig{
		AllowOrigins: []string{"*"},
		AllowHeaders: []string{},
		AllowMethods: []string{},
	}
}

// managedPreflightCORS is CORS-With-Preflight's CorsConfig.
func managedPreflightCORS() *CORSConfig {
	return &CORSConfig{
		AllowOrigins:  []string{"*"},
		AllowHeaders:  []string{},
		AllowMethods:  []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"},
		ExposeHeaders: []string{"*"},
	}
}

// managedSecurityHeaders is SecurityHeadersPolicy's SecurityHeadersConfig.
func managedSecurityHeaders() *SecurityHeadersConfig {
	return &SecurityHeadersConfig{
		XSSProtection:           &XSSProtection{Protection: true, ModeBlock: true},
		FrameOptions:            &FrameOptions{FrameOption: FrameOptionSameOrigin},
		ReferrerPolicy:          &ReferrerPolicy{Policy: "strict-origin-when-cross-origin"},
		ContentTypeOptions:      &ContentTypeOptions{Override: true},
		StrictTransportSecurity: &StrictTransportSecurity{MaxAgeSec: 31536000},
	}
}

// ManagedResponseHeadersPolicy returns the managed response headers policy
// with the id, a copy the caller may change.
func ManagedResponseHeadersPolicy(id string) (ResponseHeadersPolicy, bool) {
	return managedResponseHeadersPolicies.get(id)
}

// ManagedResponseHeadersPolicies returns a copy of every managed response
// headers policy, in id order (the order in which
// ListResponseHeadersPolicies pages).
func ManagedResponseHeadersPolicies() []ResponseHeadersPolicy {
	return managedResponseHeadersPolicies.all()
}

// cloneResponseHeadersPolicy copies p deeply: every part, list and
// optional number of the copy's config is its own.
func cloneResponseHeadersPolicy(p ResponseHeadersPolicy) ResponseHeadersPolicy {
	c := &p.Config
	if c.CORS != nil {
		cors := *c.CORS
		cors.AllowOrigins = slices.Clone(cors.AllowOrigins)
		cors.AllowHeaders = slices.Clone(cors.AllowHeaders)
		cors.AllowMethods = slices.Clone(cors.AllowMethods)
		cors.ExposeHeaders = slices.Clone(cors.ExposeHeaders)
		cors.MaxAgeSec = clonePtr(cors.MaxAgeSec)
		c.CORS = &cors
	}
	if c.SecurityHeaders != nil {
		s := *c.SecurityHeaders
		s.XSSProtection = clonePtr(s.XSSProtection)
		s.FrameOptions = clonePtr(s.FrameOptions)
		s.ReferrerPolicy = clonePtr(s.ReferrerPolicy)
		s.ContentSecurityPolicy = clonePtr(s.ContentSecurityPolicy)
		s.ContentTypeOptions = clonePtr(s.ContentTypeOptions)
		s.StrictTransportSecurity = clonePtr(s.StrictTransportSecurity)
		c.SecurityHeaders = &s
	}
	if c.ServerTiming != nil {
		st := *c.ServerTiming
		st.SamplingRate = clonePtr(st.SamplingRate)
		c.ServerTiming = &st
	}
	c.CustomHeaders = slices.Clone(c.CustomHeaders)
	c.RemoveHeaders = slices.Clone(c.RemoveHeaders)
	return p
}
