package v20200531

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// responseHeadersPolicyCase: the response headers policy codec under test.
var responseHeadersPolicyCase = policyCase[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicyConfig]{
	codecCase: codecCase[cloudfront.ResponseHeadersPolicyConfig]{
		file:    "responseheaderspolicy",
		root:    "ResponseHeadersPolicyConfig",
		decode:  DecodeResponseHeadersPolicyConfig,
		encode:  EncodeResponseHeadersPolicyConfig,
		full:    fullResponseHeadersPolicyConfig,
		minimal: minimalResponseHeadersPolicyConfig,
	},
	policy:       "ResponseHeadersPolicy",
	encodePolicy: EncodeResponseHeadersPolicy,
	encodeList:   EncodeResponseHeadersPolicyList,
	policies:     testResponseHeadersPolicies,
}

func ptrInt(v int) *int           { return &v }
func ptrFloat(v float64) *float64 { return &v }

// fullResponseHeadersPolicyConfig is what
// testdata/responseheaderspolicy-full.request.xml says: every member.
func fullResponseHeadersPolicyConfig() cloudfront.ResponseHeadersPolicyConfig {
	return cloudfront.ResponseHeadersPolicyConfig{
		Comment: "Web app: CORS & security headers",
		Name:    "web-app",
		CORS: &cloudfront.CORSConfig{
			AllowOrigins:     []string{"https://app.example.com", "https://admin.example.com"},
			AllowHeaders:     []string{"Authorization", "Content-Type"},
			AllowMethods:     []string{"GET", "HEAD", "OPTIONS"},
			AllowCredentials: true,
			ExposeHeaders:    []string{"X-Request-Id"},
			MaxAgeSec:        ptrInt(600),
			OriginOverride:   true,
		},
		SecurityHeaders: &cloudfront.SecurityHeadersConfig{
			XSSProtection:           &cloudfront.XSSProtection{Override: true, Protection: true, ReportURI: "https://reports.example.com/xss"},
			FrameOptions:            &cloudfront.FrameOptions{FrameOption: "SAMEORIGIN"},
			ReferrerPolicy:          &cloudfront.ReferrerPolicy{Override: true, Policy: "strict-origin-when-cross-origin"},
			ContentSecurityPolicy:   &cloudfront.ContentSecurityPolicy{Override: true, Policy: "default-src 'self'; img-src *"},
			ContentTypeOptions:      &cloudfront.ContentTypeOptions{Override: true},
			StrictTransportSecurity: &cloudfront.StrictTransportSecurity{Override: true, IncludeSubdomains: true, Preload: true, MaxAgeSec: 63072000},
		},
		ServerTiming: &cloudfront.ServerTimingConfig{Enabled: true, SamplingRate: ptrFloat(12.5)},
		CustomHeaders: []cloudfront.ResponseCustomHeader{
			{Header: "X-Tenant", Value: "web", Override: true},
			{Header: "Cache-Tag", Value: "app, static"},
		},
		RemoveHeaders: []string{"Server", "X-Powered-By"},
	}
}

func minimalResponseHeadersPolicyConfig() cloudfront.ResponseHeadersPolicyConfig {
	return cloudfront.ResponseHeadersPolicyConfig{Name: "minimal"}
}

func testResponseHeadersPolicies() (managed, custom cloudfront.ResponseHeadersPolicy) {
	mc := cloudfront.ResponseHeadersPolicyConfig{
		Comment: "Allows all origins for simple CORS requests",
		Name:    "Managed-SimpleCORS",
		CORS: &cloudfront.CORSConfig{
			AllowOrigins: []string{"*"},
			AllowHeaders: []string{"*"},
			AllowMethods: []string{"ALL"},
		},
	}
	managed = cloudfront.ResponseHeadersPolicy{ID: "60669652-455b-4ae9-85a4-c4c02393f86c",
		LastModifiedTime: time.Date(2021, 11, 2, 0, 0, 0, 0, time.UTC), Config: mc}
	custom = cloudfront.ResponseHeadersPolicy{ID: "2b3c8a7e-5f1d-4a6b-9c0e-7d8f9a0b1c2d", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC), ETag: "E2QWRUHEXAMPLE", Revision: 3,
		Config: fullResponseHeadersPolicyConfig()}
	return managed, custom
}

func TestGoldenResponseHeadersPolicyConfigs(t *testing.T) {
	responseHeadersPolicyCase.testGoldenConfigs(t)
}

func TestResponseHeadersPolicyMemberOrder(t *testing.T) {
	responseHeadersPolicyCase.testMemberOrder(t)
}

func TestGoldenResponseHeadersPolicy(t *testing.T) {
	responseHeadersPolicyCase.testGoldenPolicy(t)
}

func TestGoldenResponseHeadersPolicyList(t *testing.T) {
	responseHeadersPolicyCase.testGoldenList(t)
}

// TestResponseHeadersPolicyRoundTrip: decode(encode(x)) == x, with nil and
// empty lists and parts kept apart, and what the encoder writes for each.
func TestResponseHeadersPolicyRoundTrip(t *testing.T) {
	type config = cloudfront.ResponseHeadersPolicyConfig
	with := func(change func(c *config)) config {
		c := fullResponseHeadersPolicyConfig()
		change(&c)
		return c
	}
	cases := map[string]config{
		"full":    fullResponseHeadersPolicyConfig(),
		"minimal": minimalResponseHeadersPolicyConfig(),
		"empty lists": with(func(c *config) {
			c.CORS.AllowOrigins, c.CORS.AllowHeaders, c.CORS.AllowMethods, c.CORS.ExposeHeaders = []string{}, []string{}, []string{}, []string{}
			c.CustomHeaders, c.RemoveHeaders = []cloudfront.ResponseCustomHeader{}, []string{}
		}),
		"optional parts absent": with(func(c *config) {
			c.CORS.ExposeHeaders, c.CORS.MaxAgeSec = nil, nil
			c.ServerTiming.SamplingRate = nil
			c.SecurityHeaders.XSSProtection.ReportURI = ""
			c.CustomHeaders, c.RemoveHeaders = nil, nil
		}),
		"empty parts": with(func(c *config) {
			c.CORS = &cloudfront.CORSConfig{AllowOrigins: []string{}, AllowHeaders: []string{}, AllowMethods: []string{}}
			c.SecurityHeaders = &cloudfront.SecurityHeadersConfig{}
			c.ServerTiming = &cloudfront.ServerTimingConfig{}
		}),
		"zero values": with(func(c *config) {
			c.CORS.MaxAgeSec = ptrInt(0)
			c.ServerTiming.SamplingRate = ptrFloat(0)
			c.SecurityHeaders = &cloudfront.SecurityHeadersConfig{XSSProtection: &cloudfront.XSSProtection{},
				FrameOptions: &cloudfront.FrameOptions{}, ReferrerPolicy: &cloudfront.ReferrerPolicy{},
				ContentSecurityPolicy: &cloudfront.ContentSecurityPolicy{}, ContentTypeOptions: &cloudfront.ContentTypeOptions{},
				StrictTransportSecurity: &cloudfront.StrictTransportSecurity{}}
			c.CustomHeaders = []cloudfront.ResponseCustomHeader{{}}
			c.RemoveHeaders = []string{""}
		}),
		"odd values": with(func(c *config) {
			c.Comment, c.Name = " <a>\r\n\t&'\"é ", "  "
			c.CORS.AllowMethods = []string{"get", " ALL "}
			c.CORS.MaxAgeSec = ptrInt(-1)
			c.SecurityHeaders.FrameOptions.FrameOption = "ALLOW-FROM"
			c.SecurityHeaders.StrictTransportSecurity.MaxAgeSec = math.MaxInt32
			c.CustomHeaders[0].Value = "a\r\nb"
		}),
	}
	for _, rate := range []float64{100, 50, 0.0001, 33.3333, 1e-7, 1e21, 1.0 / 3, math.Copysign(0, -1), -5, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		cases["SamplingRate "+formatDouble(rate)] = with(func(c *config) { c.ServerTiming.SamplingRate = ptrFloat(rate) })
	}
	responseHeadersPolicyCase.testRoundTrip(t, cases)

	// Required Items always, optional lists and ReportUri only when set.
	out := string(EncodeResponseHeadersPolicyConfig(cases["empty lists"]))
	for _, want := range []string{
		"<AccessControlAllowOrigins><Quantity>0</Quantity><Items></Items></AccessControlAllowOrigins>",
		"<AccessControlAllowMethods><Quantity>0</Quantity><Items></Items></AccessControlAllowMethods>",
		"<AccessControlExposeHeaders><Quantity>0</Quantity></AccessControlExposeHeaders>",
		"<CustomHeadersConfig><Quantity>0</Quantity></CustomHeadersConfig>",
		"<RemoveHeadersConfig><Quantity>0</Quantity></RemoveHeadersConfig></ResponseHeadersPolicyConfig>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("empty lists: no %s in\n%s", want, out)
		}
	}
	out = string(EncodeResponseHeadersPolicyConfig(cases["optional parts absent"]))
	for _, no := range []string{"ExposeHeaders", "AccessControlMaxAgeSec>600", "SamplingRate", "ReportUri", "CustomHeadersConfig", "RemoveHeadersConfig"} {
		if strings.Contains(out, no) {
			t.Errorf("optional parts absent: %s in\n%s", no, out)
		}
	}
	if !strings.Contains(out, "<XSSProtection><Override>true</Override><Protection>true</Protection><ModeBlock>false</ModeBlock></XSSProtection>") {
		t.Errorf("XSSProtection without ReportUri: %s", out)
	}
	out = string(EncodeResponseHeadersPolicyConfig(minimalResponseHeadersPolicyConfig()))
	if want := xmlwire.Prolog + `<ResponseHeadersPolicyConfig xmlns="` + Namespace + `"><Comment></Comment><Name>minimal</Name></ResponseHeadersPolicyConfig>`; out != want {
		t.Errorf("minimal:\n got %s\nwant %s", out, want)
	}
	for rate, want := range map[float64]string{50: "50", 12.5: "12.5", 0.0001: "0.0001", 1e-7: "0.0000001", 100: "100", 0: "0"} {
		out := string(EncodeResponseHeadersPolicyConfig(with(func(c *config) { c.ServerTiming.SamplingRate = ptrFloat(rate) })))
		if !strings.Contains(out, "<SamplingRate>"+want+"</SamplingRate>") {
			t.Errorf("SamplingRate %v: want %s in %s", rate, want, out)
		}
	}
}

// TestDecodeResponseHeadersPolicyAccepted: what clients really send that
// must decode, and what it decodes to.
func TestDecodeResponseHeadersPolicyAccepted(t *testing.T) {
	min, full := responseHeadersPolicyCase.requests(t)
	type config = cloudfront.ResponseHeadersPolicyConfig
	const name = "<Name>minimal</Name>"
	rate := func(s string) string {
		return edit(min, name, name+"<ServerTimingHeadersConfig><Enabled>true</Enabled><SamplingRate>"+s+"</SamplingRate></ServerTimingHeadersConfig>")
	}
	hasRate := func(want float64) func(c config) bool {
		return func(c config) bool {
			return c.ServerTiming != nil && c.ServerTiming.SamplingRate != nil && *c.ServerTiming.SamplingRate == want
		}
	}
	cors := func(inner string) string {
		return edit(min, name, name+"<CorsConfig><AccessControlAllowOrigins><Quantity>1</Quantity><Items><Origin>*</Origin></Items></AccessControlAllowOrigins>"+
			"<AccessControlAllowHeaders><Quantity>0</Quantity><Items/></AccessControlAllowHeaders>"+
			"<AccessControlAllowMethods><Quantity>1</Quantity><Items><Method>ALL</Method></Items></AccessControlAllowMethods>"+
			"<AccessControlAllowCredentials>false</AccessControlAllowCredentials><OriginOverride>false</OriginOverride>"+inner+"</CorsConfig>")
	}
	responseHeadersPolicyCase.testAccepted(t, map[string]acceptedBody[config]{
		"no namespace": {edit(min, ` xmlns="`+Namespace+`"`, ""),
			func(c config) bool { return reflect.DeepEqual(c, minimalResponseHeadersPolicyConfig()) }},
		"with prolog": {xmlwire.Prolog + min,
			func(c config) bool { return reflect.DeepEqual(c, minimalResponseHeadersPolicyConfig()) }},
		"indented": {strings.ReplaceAll(full, "><", ">\n  <"),
			func(c config) bool { return reflect.DeepEqual(c, fullResponseHeadersPolicyConfig()) }},
		"empty Comment": {edit(min, "<Name>", "<Comment/><Name>"),
			func(c config) bool { return reflect.DeepEqual(c, minimalResponseHeadersPolicyConfig()) }},
		"SamplingRate botocore":          {rate("50.0"), hasRate(50)},
		"SamplingRate integer":           {rate("50"), hasRate(50)},
		"SamplingRate padded":            {rate(" 12.5\n"), hasRate(12.5)},
		"SamplingRate exponent":          {rate("1e-7"), hasRate(1e-7)},
		"SamplingRate botocore exponent": {rate("1e-07"), hasRate(1e-7)},
		"SamplingRate upper exponent":    {rate("1.5E+1"), hasRate(15)},
		"SamplingRate no integer part":   {rate(".5"), hasRate(0.5)},
		"SamplingRate no fraction":       {rate("5."), hasRate(5)},
		"SamplingRate signed":            {rate("+7"), hasRate(7)},
		"SamplingRate out of range kept": {rate("-1"), hasRate(-1)},
		"SamplingRate underflow is 0":    {rate("1e-400"), hasRate(0)},
		"no SamplingRate": {edit(min, name, name+"<ServerTimingHeadersConfig><Enabled>false</Enabled></ServerTimingHeadersConfig>"),
			func(c config) bool {
				return c.ServerTiming != nil && c.ServerTiming.SamplingRate == nil && !c.ServerTiming.Enabled
			}},
		"required Items empty": {cors(""),
			func(c config) bool {
				return c.CORS != nil && emptyNotNil(c.CORS.AllowHeaders) && c.CORS.ExposeHeaders == nil && c.CORS.MaxAgeSec == nil
			}},
		"ExposeHeaders without Items": {cors("<AccessControlExposeHeaders><Quantity>0</Quantity></AccessControlExposeHeaders>"),
			func(c config) bool { return emptyNotNil(c.CORS.ExposeHeaders) }},
		"ExposeHeaders empty Items": {cors("<AccessControlExposeHeaders><Items></Items><Quantity>0</Quantity></AccessControlExposeHeaders>"),
			func(c config) bool { return emptyNotNil(c.CORS.ExposeHeaders) }},
		"CustomHeaders without Items": {edit(min, name, name+"<CustomHeadersConfig><Quantity>0</Quantity></CustomHeadersConfig>"),
			func(c config) bool {
				return c.CustomHeaders != nil && len(c.CustomHeaders) == 0 && c.RemoveHeaders == nil
			}},
		"RemoveHeaders empty Items": {edit(min, name, name+"<RemoveHeadersConfig><Items/><Quantity>0</Quantity></RemoveHeadersConfig>"),
			func(c config) bool { return emptyNotNil(c.RemoveHeaders) && c.CustomHeaders == nil }},
		"empty SecurityHeadersConfig": {edit(min, name, name+"<SecurityHeadersConfig/>"),
			func(c config) bool {
				return c.SecurityHeaders != nil && *c.SecurityHeaders == (cloudfront.SecurityHeadersConfig{}) && c.CORS == nil && c.ServerTiming == nil
			}},
		"optional booleans absent": {edit(min, name, name+"<SecurityHeadersConfig><XSSProtection><Override>true</Override><Protection>false</Protection></XSSProtection>"+
			"<StrictTransportSecurity><Override>false</Override><AccessControlMaxAgeSec>1</AccessControlMaxAgeSec></StrictTransportSecurity></SecurityHeadersConfig>"),
			func(c config) bool {
				s := c.SecurityHeaders
				return *s.XSSProtection == (cloudfront.XSSProtection{Override: true}) &&
					*s.StrictTransportSecurity == (cloudfront.StrictTransportSecurity{MaxAgeSec: 1}) && s.FrameOptions == nil
			}},
		"enumerations not validated": {edit(full, "<FrameOption>SAMEORIGIN</FrameOption>", "<FrameOption>ALLOW-FROM</FrameOption>"),
			func(c config) bool { return c.SecurityHeaders.FrameOptions.FrameOption == "ALLOW-FROM" }},
		"empty ReportUri": {edit(full, "<ReportUri>https://reports.example.com/xss</ReportUri>", "<ReportUri/>"),
			func(c config) bool { return c.SecurityHeaders.XSSProtection.ReportURI == "" }},
	})
}

// TestDecodeResponseHeadersPolicyBad: documents that must not decode, with
// the code each gets (InconsistentQuantities and InvalidArgument are
// listed by the model for CreateResponseHeadersPolicy and
// UpdateResponseHeadersPolicy; MalformedXML is the protocol's own).
func TestDecodeResponseHeadersPolicyBad(t *testing.T) {
	min, full := responseHeadersPolicyCase.requests(t)
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
		ia = cloudfront.InvalidArgument
	)
	rate := func(s string) string { return edit(full, "<SamplingRate>12.5<", "<SamplingRate>"+s+"<") }
	responseHeadersPolicyCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"wrong root", strings.ReplaceAll(min, "ResponseHeadersPolicyConfig", "CachePolicyConfig"), mx},
		{"cache policy root", string(read(t, "cachepolicy-minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"missing Name", edit(full, "<Name>web-app</Name>", ""), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"repeated member", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"text in a part", edit(min, "<Name>", "<CorsConfig>yes</CorsConfig><Name>"), mx},

		{"missing AccessControlAllowOrigins", edit(full, "<AccessControlAllowOrigins><Items><Origin>https://app.example.com</Origin><Origin>https://admin.example.com</Origin></Items><Quantity>2</Quantity></AccessControlAllowOrigins>", ""), mx},
		{"missing AccessControlAllowHeaders Items", edit(full, "<Items><Header>Authorization</Header><Header>Content-Type</Header></Items><Quantity>2</Quantity>", "<Quantity>0</Quantity>"), mx},
		{"missing AccessControlAllowMethods Quantity", edit(full, "</Items><Quantity>3</Quantity></AccessControlAllowMethods>", "</Items></AccessControlAllowMethods>"), mx},
		{"missing AccessControlAllowCredentials", edit(full, "<AccessControlAllowCredentials>true</AccessControlAllowCredentials>", ""), mx},
		{"missing OriginOverride", edit(full, "<OriginOverride>true</OriginOverride>", ""), mx},
		{"missing ExposeHeaders Quantity", edit(full, "</Items><Quantity>1</Quantity></AccessControlExposeHeaders>", "</Items></AccessControlExposeHeaders>"), mx},
		{"wrong Origin item name", edit(full, "<Origin>https://app.example.com</Origin>", "<Header>https://app.example.com</Header>"), mx},
		{"wrong Method item name", edit(full, "<Method>GET</Method>", "<Name>GET</Name>"), mx},
		{"fractional AccessControlMaxAgeSec", edit(full, "<AccessControlMaxAgeSec>600<", "<AccessControlMaxAgeSec>1.5<"), mx},
		{"missing XSSProtection Protection", edit(full, "<Protection>true</Protection>", ""), mx},
		{"missing FrameOption", edit(full, "<FrameOption>SAMEORIGIN</FrameOption>", ""), mx},
		{"missing ReferrerPolicy value", edit(full, "<ReferrerPolicy>strict-origin-when-cross-origin</ReferrerPolicy>", ""), mx},
		{"missing ContentSecurityPolicy value", edit(full, "<ContentSecurityPolicy>default-src &#39;self&#39;; img-src *</ContentSecurityPolicy>", ""), mx},
		{"missing ContentTypeOptions Override", edit(full, "<ContentTypeOptions><Override>true</Override></ContentTypeOptions>", "<ContentTypeOptions/>"), mx},
		{"missing StrictTransportSecurity max age", edit(full, "<AccessControlMaxAgeSec>63072000</AccessControlMaxAgeSec>", ""), mx},
		{"StrictTransportSecurity max age overflow", edit(full, "<AccessControlMaxAgeSec>63072000<", "<AccessControlMaxAgeSec>99999999999999999999<"), mx},
		{"unknown security header", edit(full, "<ContentTypeOptions>", "<PermissionsPolicy><Override>true</Override></PermissionsPolicy><ContentTypeOptions>"), mx},
		{"missing Enabled", edit(full, "<Enabled>true</Enabled>", ""), mx},
		{"boolean 1", edit(full, "<Enabled>true<", "<Enabled>1<"), mx},
		{"missing custom header Value", edit(full, "<Value>web</Value>", ""), mx},
		{"missing custom header Override", edit(full, "<Override>false</Override><Value>app, static</Value>", "<Value>app, static</Value>"), mx},
		{"wrong custom header item name", edit(full, "<ResponseHeadersPolicyCustomHeader><Header>X-Tenant</Header><Override>true</Override><Value>web</Value></ResponseHeadersPolicyCustomHeader>",
			"<CustomHeader><Header>X-Tenant</Header><Override>true</Override><Value>web</Value></CustomHeader>"), mx},
		{"missing CustomHeadersConfig Quantity", edit(full, "</Items><Quantity>2</Quantity></CustomHeadersConfig>", "</Items></CustomHeadersConfig>"), mx},
		{"missing removed Header", edit(full, "<ResponseHeadersPolicyRemoveHeader><Header>Server</Header></ResponseHeadersPolicyRemoveHeader>", "<ResponseHeadersPolicyRemoveHeader/>"), mx},
		{"removed header as text", edit(full, "<ResponseHeadersPolicyRemoveHeader><Header>Server</Header></ResponseHeadersPolicyRemoveHeader>", "<ResponseHeadersPolicyRemoveHeader>Server</ResponseHeadersPolicyRemoveHeader>"), mx},
		{"SamplingRate word", rate("half"), mx},
		{"SamplingRate empty", rate(""), mx},
		{"SamplingRate percent", rate("50%"), mx},
		{"SamplingRate hexadecimal", rate("0x1p-2"), mx},
		{"SamplingRate underscore", rate("1_0"), mx},
		{"SamplingRate comma", rate("12,5"), mx},
		{"SamplingRate exponent only", rate("e5"), mx},
		{"SamplingRate bare exponent", rate("1e"), mx},
		{"SamplingRate lower nan", rate("nan"), mx},
		{"SamplingRate Go infinity", rate("+Inf"), mx},
		{"malformed beats inconsistent", edit(edit(full, "<Quantity>3</Quantity>", "<Quantity>4</Quantity>"), "<Name>web-app</Name>", ""), mx},
		{"malformed beats refused", edit(rate("NaN"), "<Name>web-app</Name>", ""), mx},

		{"AllowOrigins Quantity too large", edit(full, "</Items><Quantity>2</Quantity></AccessControlAllowOrigins>", "</Items><Quantity>3</Quantity></AccessControlAllowOrigins>"), iq},
		{"AllowMethods Quantity too small", edit(full, "<Quantity>3</Quantity>", "<Quantity>2</Quantity>"), iq},
		{"required Items empty with Quantity", edit(full, "<Items><Header>Authorization</Header><Header>Content-Type</Header></Items>", "<Items/>"), iq},
		{"ExposeHeaders without Items", edit(full, "<Items><Header>X-Request-Id</Header></Items>", ""), iq},
		{"CustomHeaders Quantity", edit(full, "</Items><Quantity>2</Quantity></CustomHeadersConfig>", "</Items><Quantity>1</Quantity></CustomHeadersConfig>"), iq},
		{"RemoveHeaders Quantity", edit(full, "</Items><Quantity>2</Quantity></RemoveHeadersConfig>", "</Items><Quantity>0</Quantity></RemoveHeadersConfig>"), iq},
		{"inconsistent beats refused", edit(rate("NaN"), "<Quantity>3</Quantity>", "<Quantity>2</Quantity>"), iq},

		{"SamplingRate NaN", rate("NaN"), ia},
		{"SamplingRate Infinity", rate("Infinity"), ia},
		{"SamplingRate -Infinity", rate("-Infinity"), ia},
		{"SamplingRate INF", rate(" INF "), ia},
		{"SamplingRate beyond float64", rate("1e400"), ia},
	})
}

// FuzzDecodeResponseHeadersPolicyConfig: see codecCase.fuzz; nil and
// empty lists and parts included.
func FuzzDecodeResponseHeadersPolicyConfig(f *testing.F) {
	responseHeadersPolicyCase.fuzz(f)
}
