package cloudfront

import (
	"slices"
	"strings"
	"testing"
)

// managedResponseHeadersPolicyTest: the managed response headers
// policies, with their names.
var managedResponseHeadersPolicyTest = managedTableTest[ResponseHeadersPolicy, ResponseHeadersPolicyConfig]{
	kinds: "response headers policies",
	get:   ManagedResponseHeadersPolicy,
	all:   ManagedResponseHeadersPolicies,
	head: func(p *ResponseHeadersPolicy) policyHead {
		return policyHead{p.ID, p.AccountID, p.ETag, p.LastModifiedTime, p.Revision, p.Managed(), p.Type(), p.Config.Name, p.Config.Comment}
	},
	config:    func(p *ResponseHeadersPolicy) *ResponseHeadersPolicyConfig { return &p.Config },
	normalize: NormalizeResponseHeadersPolicyConfig,
	equal:     EqualResponseHeadersPolicyConfigs,
	// CloudFront's own policies pass every check but those on an
	// account's own: the quotas and the non-empty CORS lists, which
	// SimpleCORS leaves empty.
	validate: func(c *ResponseHeadersPolicyConfig) error {
		return DefaultRules().checkResponseHeadersPolicyConfig(c, false)
	},
	names: map[string]string{
		"5cc3b908-e619-4b99-88e5-2cf7f45965bd": "Managed-CORS-With-Preflight",
		"60669652-455b-4ae9-85a4-c4c02393f86c": "Managed-SimpleCORS",
		"67f7725c-6f97-4210-82d7-5512b31e9d03": "Managed-SecurityHeadersPolicy",
		"e61eb60c-9c35-4d20-a928-2b84e02af89c": "Managed-CORS-and-SecurityHeadersPolicy",
		"eaab4381-ed33-4a86-88ca-d9558dc6cd63": "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
	},
	// A managed cache policy's id is not a response headers policy's.
	notFound: []string{"658327ea-f89d-4fab-a63d-7e88639e58f6"},
}

func TestManagedResponseHeadersPolicies(t *testing.T) {
	managedResponseHeadersPolicyTest.check(t)
}

// Those without empty CORS lists pass even an account's checks.
func TestManagedResponseHeadersPoliciesAsCustom(t *testing.T) {
	for _, id := range []string{"67f7725c-6f97-4210-82d7-5512b31e9d03"} {
		p, _ := ManagedResponseHeadersPolicy(id)
		if err := DefaultRules().ValidateResponseHeadersPolicyConfig(&p.Config); err != nil {
			t.Errorf("policy %s: %v", id, err)
		}
	}
	// SimpleCORS's empty lists are refused in an account's own policy.
	p, _ := ManagedResponseHeadersPolicy("60669652-455b-4ae9-85a4-c4c02393f86c")
	err := DefaultRules().ValidateResponseHeadersPolicyConfig(&p.Config)
	if got := validationCode(t, err); got != InvalidArgument || !strings.Contains(err.Error(), "AccessControlAllowHeaders") {
		t.Errorf("SimpleCORS as a custom policy: %v", err)
	}
}

// The settings the Developer Guide gives, spot-checked.
func TestManagedResponseHeadersPolicySettings(t *testing.T) {
	simple, _ := ManagedResponseHeadersPolicy("60669652-455b-4ae9-85a4-c4c02393f86c")
	if c := simple.Config; c.CORS == nil || !slices.Equal(c.CORS.AllowOrigins, []string{"*"}) ||
		c.CORS.AllowHeaders == nil || len(c.CORS.AllowHeaders) != 0 || len(c.CORS.AllowMethods) != 0 ||
		c.CORS.ExposeHeaders != nil || c.CORS.MaxAgeSec != nil || c.CORS.OriginOverride || c.CORS.AllowCredentials ||
		c.SecurityHeaders != nil || c.ServerTiming != nil || c.CustomHeaders != nil || c.RemoveHeaders != nil {
		t.Errorf("SimpleCORS %+v", c)
	}
	preflight, _ := ManagedResponseHeadersPolicy("5cc3b908-e619-4b99-88e5-2cf7f45965bd")
	if c := preflight.Config.CORS; c == nil || len(c.AllowMethods) != 7 || !slices.Equal(c.ExposeHeaders, []string{"*"}) ||
		!slices.Equal(c.AllowOrigins, []string{"*"}) || len(c.AllowHeaders) != 0 || c.OriginOverride {
		t.Errorf("CORS-With-Preflight %+v", c)
	}
	security, _ := ManagedResponseHeadersPolicy("67f7725c-6f97-4210-82d7-5512b31e9d03")
	s := security.Config.SecurityHeaders
	if security.Config.CORS != nil || s == nil || s.ContentSecurityPolicy != nil {
		t.Fatalf("SecurityHeadersPolicy %+v", security.Config)
	}
	if x := s.XSSProtection; x == nil || !x.Protection || !x.ModeBlock || x.ReportURI != "" || x.Override {
		t.Errorf("X-XSS-Protection %+v", x)
	}
	if f := s.FrameOptions; f == nil || f.FrameOption != "SAMEORIGIN" || f.Override {
		t.Errorf("X-Frame-Options %+v", f)
	}
	if r := s.ReferrerPolicy; r == nil || r.Policy != "strict-origin-when-cross-origin" || r.Override {
		t.Errorf("Referrer-Policy %+v", r)
	}
	if o := s.ContentTypeOptions; o == nil || !o.Override { // the one header that overrides the origin's
		t.Errorf("X-Content-Type-Options %+v", o)
	}
	if h := s.StrictTransportSecurity; h == nil || h.MaxAgeSec != 31536000 || h.IncludeSubdomains || h.Preload || h.Override {
		t.Errorf("Strict-Transport-Security %+v", h)
	}
	// The combined ones are a CORS policy's CorsConfig and
	// SecurityHeadersPolicy's SecurityHeadersConfig.
	for _, tc := range []struct{ id, cors string }{
		{"e61eb60c-9c35-4d20-a928-2b84e02af89c", "60669652-455b-4ae9-85a4-c4c02393f86c"},
		{"eaab4381-ed33-4a86-88ca-d9558dc6cd63", "5cc3b908-e619-4b99-88e5-2cf7f45965bd"},
	} {
		both, _ := ManagedResponseHeadersPolicy(tc.id)
		cors, _ := ManagedResponseHeadersPolicy(tc.cors)
		combined := ResponseHeadersPolicyConfig{Name: both.Config.Name, Comment: both.Config.Comment,
			CORS: cors.Config.CORS, SecurityHeaders: security.Config.SecurityHeaders}
		if !EqualResponseHeadersPolicyConfigs(&both.Config, &combined) {
			t.Errorf("policy %s is not %s's CORS with the security headers: %+v", tc.id, tc.cors, both.Config)
		}
	}
}

// A caller that changes what it got does not change the table.
func TestManagedResponseHeadersPolicyCopies(t *testing.T) {
	managedResponseHeadersPolicyTest.checkCopies(t, "eaab4381-ed33-4a86-88ca-d9558dc6cd63", func(p *ResponseHeadersPolicy) {
		c := &p.Config
		c.Name = "changed"
		c.CORS.AllowMethods[0] = "PROPFIND"
		c.CORS.ExposeHeaders[0] = "X-Changed"
		c.CORS.AllowOrigins[0] = "https://changed.example"
		c.CORS.AllowOrigins = append(c.CORS.AllowOrigins, "https://example.com")
		c.SecurityHeaders.FrameOptions.FrameOption = "DENY"
		c.SecurityHeaders.StrictTransportSecurity.MaxAgeSec = 1
	})
}

func TestCloneResponseHeadersPolicy(t *testing.T) {
	rate, age := 50.0, 600
	p := ResponseHeadersPolicy{Config: ResponseHeadersPolicyConfig{
		Name:            "p",
		CORS:            &CORSConfig{AllowOrigins: []string{"*"}, MaxAgeSec: &age},
		SecurityHeaders: &SecurityHeadersConfig{ContentSecurityPolicy: &ContentSecurityPolicy{Policy: "default-src 'self'"}, XSSProtection: &XSSProtection{}, ReferrerPolicy: &ReferrerPolicy{Policy: "origin"}, ContentTypeOptions: &ContentTypeOptions{}},
		ServerTiming:    &ServerTimingConfig{Enabled: true, SamplingRate: &rate},
		CustomHeaders:   []ResponseCustomHeader{{Header: "X-A", Value: "1"}},
		RemoveHeaders:   []string{"X-Powered-By"},
	}}
	c := cloneResponseHeadersPolicy(p)
	if !EqualResponseHeadersPolicyConfigs(&c.Config, &p.Config) {
		t.Fatalf("clone differs: %+v", c.Config)
	}
	*c.Config.CORS.MaxAgeSec = 1
	*c.Config.ServerTiming.SamplingRate = 1
	c.Config.SecurityHeaders.ContentSecurityPolicy.Policy = "x"
	c.Config.SecurityHeaders.ReferrerPolicy.Policy = "x"
	c.Config.SecurityHeaders.XSSProtection.Protection = true
	c.Config.SecurityHeaders.ContentTypeOptions.Override = true
	c.Config.CustomHeaders[0].Value = "2"
	c.Config.RemoveHeaders[0] = "Vary"
	if age != 600 || rate != 50 || p.Config.SecurityHeaders.ContentSecurityPolicy.Policy != "default-src 'self'" ||
		p.Config.SecurityHeaders.ReferrerPolicy.Policy != "origin" || p.Config.SecurityHeaders.XSSProtection.Protection ||
		p.Config.SecurityHeaders.ContentTypeOptions.Override || p.Config.CustomHeaders[0].Value != "1" || p.Config.RemoveHeaders[0] != "X-Powered-By" {
		t.Errorf("the clone shares with the original: %+v", p.Config)
	}
	// Absent stays absent, empty stays empty.
	empty := cloneResponseHeadersPolicy(ResponseHeadersPolicy{Config: ResponseHeadersPolicyConfig{RemoveHeaders: []string{}}})
	if empty.Config.RemoveHeaders == nil || empty.Config.CustomHeaders != nil || empty.Config.CORS != nil {
		t.Errorf("clone of empty parts: %+v", empty.Config)
	}
}
