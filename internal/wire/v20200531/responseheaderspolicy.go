package v20200531

import (
	"bytes"
	"math"
	"strconv"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// Response headers policies: ResponseHeadersPolicyConfig
// (CreateResponseHeadersPolicy, UpdateResponseHeadersPolicy,
// GetResponseHeadersPolicyConfig), ResponseHeadersPolicy (Create, Get,
// Update) and ResponseHeadersPolicyList (ListResponseHeadersPolicies).
//
// The service model requires only Name at the top; every part
// (CorsConfig, SecurityHeadersConfig, ServerTimingHeadersConfig,
// CustomHeadersConfig, RemoveHeadersConfig, and each security header) is
// optional, and the model's value is nil when it is absent. Inside a part
// the model's required members are required here: in CorsConfig the three
// Allow lists, AccessControlAllowCredentials and OriginOverride; each
// security header's Override and value; ServerTimingHeadersConfig's
// Enabled; every custom header's Header, Value and Override; every
// removed header's Header. Enumerations and ranges are kept as sent:
// validation checks them.
//
// Lists. AccessControlAllowOrigins, AccessControlAllowHeaders and
// AccessControlAllowMethods are the only lists of the API whose Items the
// model requires: a document without their Items is malformed, and the
// encoder always writes them, <Items></Items> when empty, so that what a
// client reads back passes its SDK's own check of required members. Their
// values are never nil. AccessControlExposeHeaders, CustomHeadersConfig
// and RemoveHeadersConfig are nil when absent and empty but not nil when
// present with Quantity 0; their Items is optional and not written when
// empty, as in every other list.
//
// Booleans are always written, the optional ones (ModeBlock,
// IncludeSubdomains, Preload) false when false; so is Comment, "" when
// empty. ReportUri, an optional string, is written only when not empty:
// the model cannot tell an empty one from an absent one.
//
// SamplingRate is a double: the decoder takes any decimal number, with
// or without fraction and exponent ("50", "50.0" from botocore, "1e-7"
// from aws-sdk-go-v2); NaN and the infinities, which the SDKs write as
// NaN, Infinity and -Infinity, and numbers beyond float64 are refused as
// InvalidArgument, as values outside 0 to 100. The encoder writes the
// shortest decimal that reads back as the same float64, without exponent
// ("50", "12.5").

// DecodeResponseHeadersPolicyConfig decodes a ResponseHeadersPolicyConfig
// request body (CreateResponseHeadersPolicy, UpdateResponseHeadersPolicy).
func DecodeResponseHeadersPolicyConfig(body []byte) (cloudfront.ResponseHeadersPolicyConfig, error) {
	root, err := parse(body, "ResponseHeadersPolicyConfig")
	if err != nil {
		return cloudfront.ResponseHeadersPolicyConfig{}, err
	}
	var d decoder
	c := d.responseHeadersPolicyConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.ResponseHeadersPolicyConfig{}, err
	}
	return c, nil
}

func (d *decoder) responseHeadersPolicyConfig(n *node) cloudfront.ResponseHeadersPolicyConfig {
	f := d.Open(n, "Comment", "Name", "CorsConfig", "SecurityHeadersConfig", "ServerTimingHeadersConfig",
		"CustomHeadersConfig", "RemoveHeadersConfig")
	c := cloudfront.ResponseHeadersPolicyConfig{
		Comment:         d.Str(f.Opt("Comment")),
		Name:            d.Str(f.Req("Name")),
		CORS:            optional(f.Opt("CorsConfig"), d.corsConfig),
		SecurityHeaders: optional(f.Opt("SecurityHeadersConfig"), d.securityHeadersConfig),
		ServerTiming:    optional(f.Opt("ServerTimingHeadersConfig"), d.serverTimingConfig),
	}
	if h := f.Opt("CustomHeadersConfig"); h != nil {
		c.CustomHeaders = []cloudfront.ResponseCustomHeader{}
		for _, k := range d.List(h, "ResponseHeadersPolicyCustomHeader") {
			hf := d.Open(k, "Header", "Value", "Override")
			c.CustomHeaders = append(c.CustomHeaders, cloudfront.ResponseCustomHeader{
				Header:   d.Str(hf.Req("Header")),
				Value:    d.Str(hf.Req("Value")),
				Override: d.Boolean(hf.Req("Override")),
			})
		}
	}
	if r := f.Opt("RemoveHeadersConfig"); r != nil {
		c.RemoveHeaders = []string{}
		for _, k := range d.List(r, "ResponseHeadersPolicyRemoveHeader") {
			c.RemoveHeaders = append(c.RemoveHeaders, d.Str(d.Open(k, "Header").Req("Header")))
		}
	}
	return c
}

func (d *decoder) corsConfig(n *node) cloudfront.CORSConfig {
	f := d.Open(n, "AccessControlAllowOrigins", "AccessControlAllowHeaders", "AccessControlAllowMethods",
		"AccessControlAllowCredentials", "AccessControlExposeHeaders", "AccessControlMaxAgeSec", "OriginOverride")
	c := cloudfront.CORSConfig{
		AllowOrigins:     d.requiredItems(f.Req("AccessControlAllowOrigins"), "Origin"),
		AllowHeaders:     d.requiredItems(f.Req("AccessControlAllowHeaders"), "Header"),
		AllowMethods:     d.requiredItems(f.Req("AccessControlAllowMethods"), "Method"),
		AllowCredentials: d.Boolean(f.Req("AccessControlAllowCredentials")),
		MaxAgeSec:        d.optInt(f.Opt("AccessControlMaxAgeSec")),
		OriginOverride:   d.Boolean(f.Req("OriginOverride")),
	}
	if e := f.Opt("AccessControlExposeHeaders"); e != nil {
		c.ExposeHeaders = append([]string{}, d.Strings(e, "Header")...)
	}
	return c
}

// requiredItems decodes a Quantity/Items list of strings whose Items the
// model requires (the CORS Allow lists): never nil.
func (d *decoder) requiredItems(n *node, item string) []string {
	f := d.Open(n, "Quantity", "Items")
	f.Req("Items")
	return append([]string{}, d.Texts(d.Items(f, item))...)
}

func (d *decoder) securityHeadersConfig(n *node) cloudfront.SecurityHeadersConfig {
	f := d.Open(n, "XSSProtection", "FrameOptions", "ReferrerPolicy", "ContentSecurityPolicy",
		"ContentTypeOptions", "StrictTransportSecurity")
	return cloudfront.SecurityHeadersConfig{
		XSSProtection: optional(f.Opt("XSSProtection"), func(n *node) cloudfront.XSSProtection {
			f := d.Open(n, "Override", "Protection", "ModeBlock", "ReportUri")
			return cloudfront.XSSProtection{
				Override:   d.Boolean(f.Req("Override")),
				Protection: d.Boolean(f.Req("Protection")),
				ModeBlock:  d.Boolean(f.Opt("ModeBlock")),
				ReportURI:  d.Str(f.Opt("ReportUri")),
			}
		}),
		FrameOptions: optional(f.Opt("FrameOptions"), func(n *node) cloudfront.FrameOptions {
			f := d.Open(n, "Override", "FrameOption")
			return cloudfront.FrameOptions{Override: d.Boolean(f.Req("Override")), FrameOption: d.Str(f.Req("FrameOption"))}
		}),
		ReferrerPolicy: optional(f.Opt("ReferrerPolicy"), func(n *node) cloudfront.ReferrerPolicy {
			f := d.Open(n, "Override", "ReferrerPolicy")
			return cloudfront.ReferrerPolicy{Override: d.Boolean(f.Req("Override")), Policy: d.Str(f.Req("ReferrerPolicy"))}
		}),
		ContentSecurityPolicy: optional(f.Opt("ContentSecurityPolicy"), func(n *node) cloudfront.ContentSecurityPolicy {
			f := d.Open(n, "Override", "ContentSecurityPolicy")
			return cloudfront.ContentSecurityPolicy{Override: d.Boolean(f.Req("Override")), Policy: d.Str(f.Req("ContentSecurityPolicy"))}
		}),
		ContentTypeOptions: optional(f.Opt("ContentTypeOptions"), func(n *node) cloudfront.ContentTypeOptions {
			return cloudfront.ContentTypeOptions{Override: d.Boolean(d.Open(n, "Override").Req("Override"))}
		}),
		StrictTransportSecurity: optional(f.Opt("StrictTransportSecurity"), func(n *node) cloudfront.StrictTransportSecurity {
			f := d.Open(n, "Override", "IncludeSubdomains", "Preload", "AccessControlMaxAgeSec")
			return cloudfront.StrictTransportSecurity{
				Override:          d.Boolean(f.Req("Override")),
				IncludeSubdomains: d.Boolean(f.Opt("IncludeSubdomains")),
				Preload:           d.Boolean(f.Opt("Preload")),
				MaxAgeSec:         d.IntegerInt(f.Req("AccessControlMaxAgeSec")),
			}
		}),
	}
}

func (d *decoder) serverTimingConfig(n *node) cloudfront.ServerTimingConfig {
	f := d.Open(n, "Enabled", "SamplingRate")
	return cloudfront.ServerTimingConfig{
		Enabled:      d.Boolean(f.Req("Enabled")),
		SamplingRate: optional(f.Opt("SamplingRate"), d.double),
	}
}

// double decodes a double: a decimal number, padded with XML whitespace
// or not. The SDKs' spellings of NaN and the infinities, and a number
// beyond float64, are well-formed but refused (InvalidArgument), as
// CloudFront refuses a value outside the member's range.
func (d *decoder) double(n *node) float64 {
	t, ok := d.Leaf(n)
	if !ok {
		return 0
	}
	s := string(bytes.Trim(t, xmlwire.Space))
	switch s {
	case "NaN", "Infinity", "-Infinity", "INF", "-INF":
		d.Refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "%s must be a finite number; it is %s.", n.Name, s))
		return 0
	}
	if !isDecimal(s) {
		d.Fail("element %s must be a decimal number", n.Path)
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil { // beyond float64: ParseFloat's only error on a decimal
		d.Refuse(cloudfront.Errorf(cloudfront.InvalidArgument, "%s is out of range.", n.Name))
		return 0
	}
	return v
}

// isDecimal reports whether s is an optional sign, digits with an
// optional fraction (at least one digit in all), and an optional
// exponent: what strconv.ParseFloat takes but for its hexadecimal,
// underscores, NaN and infinities.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || !allDigits(s[i:]) {
			return false
		}
		return true
	}
	return i == len(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatDouble writes v as the shortest decimal that reads back as v,
// without exponent; NaN and the infinities (which the decoder never
// yields) as the SDKs write them.
func formatDouble(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// EncodeResponseHeadersPolicyConfig encodes a
// <ResponseHeadersPolicyConfig> document (GetResponseHeadersPolicyConfig).
func EncodeResponseHeadersPolicyConfig(c cloudfront.ResponseHeadersPolicyConfig) []byte {
	return responseHeadersPolicies.encodeConfig(c)
}

// EncodeResponseHeadersPolicy encodes a <ResponseHeadersPolicy> document
// (Create, Get, Update).
func EncodeResponseHeadersPolicy(p cloudfront.ResponseHeadersPolicy) []byte {
	return responseHeadersPolicies.encode(&p)
}

// EncodeResponseHeadersPolicyList encodes a <ResponseHeadersPolicyList> of
// ResponseHeadersPolicySummary (ListResponseHeadersPolicies). Like
// CachePolicyList it has no Marker and no IsTruncated: NextMarker is there
// when the page is truncated.
func EncodeResponseHeadersPolicyList(p cloudfront.ListPage, items []cloudfront.ResponseHeadersPolicy) []byte {
	return responseHeadersPolicies.encodeList(p, items)
}

// responseHeadersPolicies is the response headers policy kind for the
// shared policy encoders (policy.go).
var responseHeadersPolicies = policyKind[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicyConfig]{
	name: "ResponseHeadersPolicy",
	parts: func(p *cloudfront.ResponseHeadersPolicy) (string, time.Time, cloudfront.ResponseHeadersPolicyConfig) {
		return p.ID, p.LastModifiedTime, p.Config
	},
	typ:    (*cloudfront.ResponseHeadersPolicy).Type,
	config: (*writer).responseHeadersPolicyConfigBody,
}

func (w *writer) responseHeadersPolicyConfigBody(c cloudfront.ResponseHeadersPolicyConfig) {
	w.Text("Comment", c.Comment)
	w.Text("Name", c.Name)
	if c.CORS != nil {
		w.corsConfig(*c.CORS)
	}
	if c.SecurityHeaders != nil {
		w.securityHeadersConfig(*c.SecurityHeaders)
	}
	if s := c.ServerTiming; s != nil {
		w.Open("ServerTimingHeadersConfig")
		w.Bool("Enabled", s.Enabled)
		if s.SamplingRate != nil {
			w.Text("SamplingRate", formatDouble(*s.SamplingRate))
		}
		w.Close("ServerTimingHeadersConfig")
	}
	if c.CustomHeaders != nil {
		w.Open("CustomHeadersConfig")
		xmlwire.QuantityItems(w.Writer, c.CustomHeaders, func(h cloudfront.ResponseCustomHeader) {
			w.Open("ResponseHeadersPolicyCustomHeader")
			w.Text("Header", h.Header)
			w.Text("Value", h.Value)
			w.Bool("Override", h.Override)
			w.Close("ResponseHeadersPolicyCustomHeader")
		})
		w.Close("CustomHeadersConfig")
	}
	if c.RemoveHeaders != nil {
		w.Open("RemoveHeadersConfig")
		xmlwire.QuantityItems(w.Writer, c.RemoveHeaders, func(h string) {
			w.Open("ResponseHeadersPolicyRemoveHeader")
			w.Text("Header", h)
			w.Close("ResponseHeadersPolicyRemoveHeader")
		})
		w.Close("RemoveHeadersConfig")
	}
}

func (w *writer) corsConfig(c cloudfront.CORSConfig) {
	w.Open("CorsConfig")
	w.requiredItems("AccessControlAllowOrigins", "Origin", c.AllowOrigins)
	w.requiredItems("AccessControlAllowHeaders", "Header", c.AllowHeaders)
	w.requiredItems("AccessControlAllowMethods", "Method", c.AllowMethods)
	w.Bool("AccessControlAllowCredentials", c.AllowCredentials)
	if c.ExposeHeaders != nil {
		w.Strings("AccessControlExposeHeaders", "Header", c.ExposeHeaders)
	}
	if c.MaxAgeSec != nil {
		w.Int("AccessControlMaxAgeSec", int64(*c.MaxAgeSec))
	}
	w.Bool("OriginOverride", c.OriginOverride)
	w.Close("CorsConfig")
}

// requiredItems writes a Quantity/Items list of strings whose Items the
// model requires: Items even when empty.
func (w *writer) requiredItems(name, item string, items []string) {
	w.Open(name)
	w.Int("Quantity", int64(len(items)))
	w.Open("Items")
	for _, s := range items {
		w.Text(item, s)
	}
	w.Close("Items")
	w.Close(name)
}

func (w *writer) securityHeadersConfig(s cloudfront.SecurityHeadersConfig) {
	w.Open("SecurityHeadersConfig")
	if x := s.XSSProtection; x != nil {
		w.Open("XSSProtection")
		w.Bool("Override", x.Override)
		w.Bool("Protection", x.Protection)
		w.Bool("ModeBlock", x.ModeBlock)
		if x.ReportURI != "" {
			w.Text("ReportUri", x.ReportURI)
		}
		w.Close("XSSProtection")
	}
	if x := s.FrameOptions; x != nil {
		w.Open("FrameOptions")
		w.Bool("Override", x.Override)
		w.Text("FrameOption", x.FrameOption)
		w.Close("FrameOptions")
	}
	if x := s.ReferrerPolicy; x != nil {
		w.Open("ReferrerPolicy")
		w.Bool("Override", x.Override)
		w.Text("ReferrerPolicy", x.Policy)
		w.Close("ReferrerPolicy")
	}
	if x := s.ContentSecurityPolicy; x != nil {
		w.Open("ContentSecurityPolicy")
		w.Bool("Override", x.Override)
		w.Text("ContentSecurityPolicy", x.Policy)
		w.Close("ContentSecurityPolicy")
	}
	if x := s.ContentTypeOptions; x != nil {
		w.Open("ContentTypeOptions")
		w.Bool("Override", x.Override)
		w.Close("ContentTypeOptions")
	}
	if x := s.StrictTransportSecurity; x != nil {
		w.Open("StrictTransportSecurity")
		w.Bool("Override", x.Override)
		w.Bool("IncludeSubdomains", x.IncludeSubdomains)
		w.Bool("Preload", x.Preload)
		w.Int("AccessControlMaxAgeSec", int64(x.MaxAgeSec))
		w.Close("StrictTransportSecurity")
	}
	w.Close("SecurityHeadersConfig")
}
