package cloudfront

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// testResponseHeadersPolicyConfig is a valid custom policy with every part.
func testResponseHeadersPolicyConfig() *ResponseHeadersPolicyConfig {
	age, rate := 600, 12.5
	return &ResponseHeadersPolicyConfig{
		Name:    "my-headers_1",
		Comment: "test policy",
		CORS: &CORSConfig{
			AllowOrigins:  []string{"https://app.example.com", "https://*.example.org:8443"},
			AllowHeaders:  []string{"Content-Type", "X-Custom"},
			AllowMethods:  []string{"GET", "POST"},
			ExposeHeaders: []string{"X-Request-Id"},
			MaxAgeSec:     &age,
		},
		SecurityHeaders: &SecurityHeadersConfig{
			XSSProtection:           &XSSProtection{Protection: true, ReportURI: "https://report.example.com/xss"},
			FrameOptions:            &FrameOptions{FrameOption: FrameOptionDeny},
			ReferrerPolicy:          &ReferrerPolicy{Policy: "same-origin"},
			ContentSecurityPolicy:   &ContentSecurityPolicy{Policy: "default-src 'self'"},
			ContentTypeOptions:      &ContentTypeOptions{Override: true},
			StrictTransportSecurity: &StrictTransportSecurity{MaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true},
		},
		ServerTiming:  &ServerTimingConfig{Enabled: true, SamplingRate: &rate},
		CustomHeaders: []ResponseCustomHeader{{Header: "Cache-Control", Value: "public, max-age=60", Override: true}},
		RemoveHeaders: []string{"X-Powered-By", "Vary"},
	}
}

func customHeaders(n int) []ResponseCustomHeader {
	out := make([]ResponseCustomHeader, n)
	for i := range out {
		out[i] = ResponseCustomHeader{Header: fmt.Sprint("X-H", i), Value: "v"}
	}
	return out
}

func TestValidateResponseHeadersPolicyConfig(t *testing.T) {
	tests := []policyValidationCase[ResponseHeadersPolicyConfig]{
		// Valid configs.
		{name: "valid", mutate: func(*ResponseHeadersPolicyConfig) {}},
		{name: "no part at all", mutate: func(c *ResponseHeadersPolicyConfig) {
			*c = ResponseHeadersPolicyConfig{Name: c.Name}
		}},
		{name: "empty lists present", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders, c.RemoveHeaders, c.CORS.ExposeHeaders = []ResponseCustomHeader{}, []string{}, []string{}
		}},
		{name: "no comment", mutate: func(c *ResponseHeadersPolicyConfig) { c.Comment = "" }},
		{name: "name of 128 characters", mutate: func(c *ResponseHeadersPolicyConfig) { c.Name = strings.Repeat("a", 128) }},
		{name: "comment of 128 characters", mutate: func(c *ResponseHeadersPolicyConfig) { c.Comment = strings.Repeat("é", 128) }},
		{name: "CORS wildcards", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins, c.CORS.AllowHeaders, c.CORS.ExposeHeaders = []string{"*"}, []string{"*"}, []string{"*"}
			c.CORS.AllowMethods = []string{"ALL"}
		}},
		{name: "every method", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowMethods = []string{"GET", "DELETE", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
		}},
		{name: "origins of every form", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins = []string{"http://www.example.com", "https://example.com:443", "example.com",
				"*.example.org", "https://*.example.org", "http://localhost:3000", "http://127.0.0.1:8080",
				"http://[::1]:8080", "chrome-extension://abcdefghijklmnop", "test.example.comtest"}
		}},
		{name: "credentials with named origins and headers", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowCredentials = true
		}},
		{name: "credentials with exposed *", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowCredentials, c.CORS.ExposeHeaders = true, []string{"*"}
		}},
		{name: "max age 0", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.MaxAgeSec = ptr(0) }},
		{name: "no max age", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.MaxAgeSec = nil }},
		{name: "every referrer policy", mutate: func(c *ResponseHeadersPolicyConfig) {
			for _, p := range ReferrerPolicies {
				c.SecurityHeaders.ReferrerPolicy.Policy = p
				if err := DefaultRules().ValidateResponseHeadersPolicyConfig(c); err != nil {
					panic(fmt.Sprint(p, err))
				}
			}
		}},
		{name: "SAMEORIGIN", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.FrameOptions.FrameOption = FrameOptionSameOrigin
		}},
		{name: "XSS protection 0", mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders.XSSProtection = &XSSProtection{} }},
		{name: "XSS mode=block", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.XSSProtection = &XSSProtection{Protection: true, ModeBlock: true}
		}},
		{name: "CSP of 1783 characters", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.ContentSecurityPolicy.Policy = strings.Repeat("a", 1783)
		}},
		{name: "raised CSP limit", rules: Rules{Limits: Limits{CSPCharsPerResponseHeadersPolicy: 2000}}, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.ContentSecurityPolicy.Policy = strings.Repeat("a", 2000)
		}},
		{name: "HSTS max-age 0", mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders.StrictTransportSecurity.MaxAgeSec = 0 }},
		{name: "empty security headers", mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders = &SecurityHeadersConfig{} }},
		{name: "sampling rate 0", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming.SamplingRate = ptr(0.0) }},
		{name: "sampling rate 100", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming.SamplingRate = ptr(100.0) }},
		{name: "sampling rate of four places", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming.SamplingRate = ptr(0.0001) }},
		{name: "server timing without a rate", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming = &ServerTimingConfig{} }},
		{name: "ten custom headers", mutate: func(c *ResponseHeadersPolicyConfig) { c.CustomHeaders = customHeaders(10) }},
		{name: "ten headers to remove", mutate: func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = numberedNames("X-R", 10) }},
		{name: "raised custom header limit", rules: Rules{Limits: Limits{CustomHeadersPerResponseHeadersPolicy: 11}}, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders = customHeaders(11)
		}},
		{name: "raised remove header limit", rules: Rules{Limits: Limits{RemoveHeadersPerResponseHeadersPolicy: 11}}, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.RemoveHeaders = numberedNames("X-R", 11)
		}},
		{name: "custom header without a value", mutate: func(c *ResponseHeadersPolicyConfig) { c.CustomHeaders[0].Value = "" }},
		{name: "custom header value of 1783 characters", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders[0].Value = strings.Repeat("v", 1783)
		}},
		{name: "removed and added again", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.RemoveHeaders = []string{"cache-control", "X-Frame-Options"}
		}},
		{name: "Server and Date removed", mutate: func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = []string{"Server", "Date"} }},
		{name: "other policies' limits do not apply", rules: Rules{Limits: Limits{HeadersPerOriginRequestPolicy: 1, CustomHeadersPerOrigin: 1}}, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders = customHeaders(3)
		}},

		// Quotas.
		{name: "11 custom headers", want: TooManyCustomHeadersInResponseHeadersPolicy, inMsg: "11 custom headers", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders = customHeaders(11)
		}},
		{name: "lowered custom header limit", rules: Rules{Limits: Limits{CustomHeadersPerResponseHeadersPolicy: 1}}, want: TooManyCustomHeadersInResponseHeadersPolicy, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders = customHeaders(2)
		}},
		{name: "11 headers to remove", want: TooManyRemoveHeadersInResponseHeadersPolicy, inMsg: "11 headers to remove", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.RemoveHeaders = numberedNames("X-R", 11)
		}},
		{name: "CSP of 1784 characters", want: TooLongCSPInResponseHeadersPolicy, inMsg: "1784", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.ContentSecurityPolicy.Policy = strings.Repeat("a", 1784)
		}},
		{name: "CSP counted in characters", want: TooLongCSPInResponseHeadersPolicy, rules: Rules{Limits: Limits{CSPCharsPerResponseHeadersPolicy: 3}}, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.ContentSecurityPolicy.Policy = "éééé"
		}},
		{name: "quota before name", want: TooManyCustomHeadersInResponseHeadersPolicy, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.Name, c.CustomHeaders = "", customHeaders(11)
		}},

		// Name and comment.
		{name: "no name", want: InvalidArgument, inMsg: "response headers policy must have a Name", mutate: func(c *ResponseHeadersPolicyConfig) { c.Name = "" }},
		{name: "name of 129 characters", want: InvalidArgument, inMsg: "129", mutate: func(c *ResponseHeadersPolicyConfig) { c.Name = strings.Repeat("a", 129) }},
		{name: "name with a space", want: InvalidArgument, inMsg: `"my headers"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.Name = "my headers" }},
		{name: "comment of 129 characters", want: InvalidArgument, inMsg: "129", mutate: func(c *ResponseHeadersPolicyConfig) { c.Comment = strings.Repeat("x", 129) }},
		{name: "comment not UTF-8", want: InvalidArgument, inMsg: "UTF-8", mutate: func(c *ResponseHeadersPolicyConfig) { c.Comment = "\xff" }},

		// CORS.
		{name: "no origins", want: InvalidArgument, inMsg: "AccessControlAllowOrigins", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{} }},
		{name: "no headers to allow", want: InvalidArgument, inMsg: "AccessControlAllowHeaders", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowHeaders = nil }},
		{name: "no methods", want: InvalidArgument, inMsg: "AccessControlAllowMethods", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{} }},
		{name: "unknown method", want: InvalidArgument, inMsg: `"PROPFIND"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{"GET", "PROPFIND"} }},
		{name: "method in lower case", want: InvalidArgument, inMsg: `"get"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{"get"} }},
		{name: "method * is not ALL", want: InvalidArgument, inMsg: `"*"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{"*"} }},
		{name: "ALL with another", want: InvalidArgument, inMsg: "ALL alone", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{"ALL", "GET"} }},
		{name: "method twice", want: InvalidArgument, inMsg: `"GET"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{"GET", "GET"} }},
		{name: "origin with a path", want: InvalidArgument, inMsg: `"https://example.com/"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins = []string{"https://example.com/"}
		}},
		{name: "wildcard TLD", want: InvalidArgument, inMsg: `"example.*"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"example.*"} }},
		{name: "wildcard in the middle", want: InvalidArgument, inMsg: `"test.*.example.org"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins = []string{"test.*.example.org"}
		}},
		{name: "wildcard inside a label", want: InvalidArgument, inMsg: `"https://exa*mple.org"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins = []string{"https://exa*mple.org"}
		}},
		{name: "wildcard joined to a label", want: InvalidArgument, inMsg: `"*test.example.org"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins = []string{"*test.example.org"}
		}},
		{name: "wildcard and scheme only", want: InvalidArgument, inMsg: `"https://*"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"https://*"} }},
		{name: "ALL is no origin wildcard", want: InvalidArgument, inMsg: `"ALL"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"https://a.example", "ALL", ""} }},
		{name: "empty origin", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{""} }},
		{name: "bad scheme", want: InvalidArgument, inMsg: `"1http://example.com"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"1http://example.com"} }},
		{name: "port 0", want: InvalidArgument, inMsg: `"https://example.com:0"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"https://example.com:0"} }},
		{name: "port too high", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"https://example.com:65536"} }},
		{name: "empty port", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"https://example.com:"} }},
		{name: "label ends with a hyphen", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"https://a-.example.com"} }},
		{name: "empty label", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"https://a..example.com"} }},
		{name: "bad IPv6 literal", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"http://[zz]:80"} }},
		{name: "origin too long", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins = []string{"https://" + strings.Repeat("a.", 900) + "com"}
		}},
		{name: "origin twice in other case", want: InvalidArgument, inMsg: `"https://APP.example.com"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowOrigins = []string{"https://app.example.com", "https://APP.example.com"}
		}},
		{name: "header to allow not a token", want: InvalidArgument, inMsg: `"X Custom"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowHeaders = []string{"X Custom"} }},
		{name: "header to allow twice", want: InvalidArgument, inMsg: `"content-type"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowHeaders = []string{"Content-Type", "content-type"}
		}},
		{name: "* to allow twice", want: InvalidArgument, inMsg: "more than once", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowHeaders = []string{"*", "*"} }},
		{name: "exposed header not a token", want: InvalidArgument, inMsg: `"X:Y"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.ExposeHeaders = []string{"X:Y"} }},
		{name: "exposed header twice", want: InvalidArgument, inMsg: "AccessControlExposeHeaders", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.ExposeHeaders = []string{"X-A", "x-a"}
		}},
		{name: "credentials with headers *", want: InvalidArgument, inMsg: "Access-Control-Allow-Headers cannot contain *", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowCredentials, c.CORS.AllowHeaders = true, []string{"X-A", "*"}
		}},
		{name: "credentials with origins *", want: InvalidArgument, inMsg: "Access-Control-Allow-Origins cannot contain *", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CORS.AllowCredentials, c.CORS.AllowOrigins = true, []string{"*"}
		}},
		{name: "negative max age", want: InvalidArgument, inMsg: "-1", mutate: func(c *ResponseHeadersPolicyConfig) { c.CORS.MaxAgeSec = ptr(-1) }},

		// Security headers.
		{name: "XSS report URI with mode=block", want: InvalidArgument, inMsg: "both ModeBlock and ReportUri", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.XSSProtection.ModeBlock = true
		}},
		{name: "XSS report URI without protection", want: InvalidArgument, inMsg: "Protection", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.XSSProtection.Protection = false
		}},
		{name: "XSS mode=block without protection", want: InvalidArgument, inMsg: "Protection", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.XSSProtection = &XSSProtection{ModeBlock: true}
		}},
		{name: "XSS report URI with a space", want: InvalidArgument, inMsg: "ReportUri", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.XSSProtection.ReportURI = "https://a.example/x y"
		}},
		{name: "XSS report URI with a semicolon", want: InvalidArgument, inMsg: "ReportUri", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.XSSProtection.ReportURI = "https://a.example/;mode=block"
		}},
		{name: "frame option ALLOW-FROM", want: InvalidArgument, inMsg: `"ALLOW-FROM"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.FrameOptions.FrameOption = "ALLOW-FROM"
		}},
		{name: "frame option in lower case", want: InvalidArgument, inMsg: `"deny"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders.FrameOptions.FrameOption = "deny" }},
		{name: "no frame option", want: InvalidArgument, inMsg: "FrameOption", mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders.FrameOptions.FrameOption = "" }},
		{name: "unknown referrer policy", want: InvalidArgument, inMsg: `"strict"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders.ReferrerPolicy.Policy = "strict" }},
		{name: "no referrer policy value", want: InvalidArgument, inMsg: "ReferrerPolicy", mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders.ReferrerPolicy.Policy = "" }},
		{name: "empty CSP", want: InvalidArgument, inMsg: "ContentSecurityPolicy", mutate: func(c *ResponseHeadersPolicyConfig) { c.SecurityHeaders.ContentSecurityPolicy.Policy = "" }},
		{name: "CSP with a line break", want: InvalidArgument, inMsg: "control character", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.ContentSecurityPolicy.Policy = "default-src 'self'\r\nX-Evil: 1"
		}},
		{name: "negative HSTS max-age", want: InvalidArgument, inMsg: "StrictTransportSecurity", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders.StrictTransportSecurity.MaxAgeSec = -1
		}},

		// Server timing.
		{name: "sampling rate above 100", want: InvalidArgument, inMsg: "100.5", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming.SamplingRate = ptr(100.5) }},
		{name: "negative sampling rate", want: InvalidArgument, inMsg: "SamplingRate", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming.SamplingRate = ptr(-0.1) }},
		{name: "NaN sampling rate", want: InvalidArgument, inMsg: "SamplingRate", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming.SamplingRate = ptr(math.NaN()) }},
		{name: "infinite sampling rate", want: InvalidArgument, inMsg: "SamplingRate", mutate: func(c *ResponseHeadersPolicyConfig) { c.ServerTiming.SamplingRate = ptr(math.Inf(1)) }},
		{name: "sampling rate of five places", want: InvalidArgument, inMsg: "four decimal places", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.ServerTiming.SamplingRate = ptr(12.34567)
		}},

		// Custom headers.
		{name: "custom header not a token", want: InvalidArgument, inMsg: `"X Bad"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CustomHeaders[0].Header = "X Bad" }},
		{name: "custom header without a name", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.CustomHeaders[0].Header = "" }},
		{name: "custom header name of 257 characters", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders[0].Header = "X-" + strings.Repeat("a", 255)
		}},
		{name: "custom Content-Length", want: InvalidArgument, inMsg: `cannot add the header "content-length"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders[0].Header = "content-length"
		}},
		{name: "custom Transfer-Encoding", want: InvalidArgument, inMsg: `"Transfer-Encoding"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders[0].Header = "Transfer-Encoding"
		}},
		{name: "custom X-Amz-Cf-Pop", want: InvalidArgument, inMsg: `"X-Amz-Cf-Pop"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.CustomHeaders[0].Header = "X-Amz-Cf-Pop" }},
		{name: "custom header twice", want: InvalidArgument, inMsg: `"cache-control"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders = append(c.CustomHeaders, ResponseCustomHeader{Header: "cache-control", Value: "no-store"})
		}},
		{name: "custom header value with a line break", want: InvalidArgument, inMsg: "control character", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders[0].Value = "a\nSet-Cookie: x=1"
		}},
		{name: "custom header value of 1784 characters", want: InvalidArgument, inMsg: "1784", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders[0].Value = strings.Repeat("v", 1784)
		}},
		{name: "custom headers over 10240 characters together", want: InvalidArgument, inMsg: "together", mutate: func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders = customHeaders(6)
			for i := range c.CustomHeaders {
				c.CustomHeaders[i].Value = strings.Repeat("v", 1783)
			}
		}},

		// Headers to remove.
		{name: "remove not a token", want: InvalidArgument, inMsg: `"X-Bad/1"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = []string{"X-Bad/1"} }},
		{name: "remove empty name", want: InvalidArgument, mutate: func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = []string{""} }},
		{name: "remove Content-Encoding", want: InvalidArgument, inMsg: `cannot remove the header "Content-Encoding"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.RemoveHeaders = []string{"Content-Encoding"}
		}},
		{name: "remove Via", want: InvalidArgument, inMsg: `"via"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = []string{"via"} }},
		{name: "remove X-Amzn-RequestId", want: InvalidArgument, inMsg: `"X-Amzn-RequestId"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.RemoveHeaders = []string{"X-Amzn-RequestId"}
		}},
		{name: "remove X-Edge-Location", want: InvalidArgument, inMsg: `"X-Edge-Location"`, mutate: func(c *ResponseHeadersPolicyConfig) {
			c.RemoveHeaders = []string{"X-Edge-Location"}
		}},
		{name: "remove twice", want: InvalidArgument, inMsg: `"vary"`, mutate: func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = []string{"Vary", "vary"} }},
	}
	runPolicyValidationCases(t, tests, testResponseHeadersPolicyConfig, NormalizeResponseHeadersPolicyConfig, Rules.ValidateResponseHeadersPolicyConfig)
}

func TestValidateResponseHeadersPolicyConfigNil(t *testing.T) {
	if got := validationCode(t, DefaultRules().ValidateResponseHeadersPolicyConfig(nil)); got != MalformedXML {
		t.Errorf("nil config: code %q, want %q", got, MalformedXML)
	}
}

func TestResponseHeaderCloudFrontKeeps(t *testing.T) {
	for name, want := range map[string]bool{
		"Content-Length": true, "connection": true, "X-Amz-Cf-Id": true, "x-amz-cf-pop": true, "X-Edge-Foo": true,
		"X-Forwarded-Proto": true, "X-Real-IP": true, "X-Accel-Redirect": true,
		"Server": false, "Date": false, "Vary": false, "X-Powered-By": false, "X-Amz-Meta-Foo": false,
		"X-Amzn-Trace-Id": false, "Cache-Control": false,
	} {
		if got := ResponseHeaderCloudFrontKeeps(name); got != want {
			t.Errorf("ResponseHeaderCloudFrontKeeps(%q) = %v, want %v", name, got, want)
		}
	}
}

// The limits an operator sets (openfront api --limit-…) reach the
// validator, and zero ones take CloudFront's defaults.
func TestResponseHeadersPolicyLimits(t *testing.T) {
	d := DefaultLimits()
	if d.ResponseHeadersPoliciesPerAccount != 20 || d.CustomHeadersPerResponseHeadersPolicy != 10 ||
		d.RemoveHeadersPerResponseHeadersPolicy != 10 || d.CSPCharsPerResponseHeadersPolicy != 1783 {
		t.Fatalf("DefaultLimits() = %+v", d)
	}
	got := (Rules{Limits: Limits{ResponseHeadersPoliciesPerAccount: 3}}).EffectiveLimits()
	if got.ResponseHeadersPoliciesPerAccount != 3 || got.CustomHeadersPerResponseHeadersPolicy != 10 || got.CSPCharsPerResponseHeadersPolicy != 1783 {
		t.Errorf("EffectiveLimits = %+v", got)
	}
}
