package edgefunc

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// OriginChange is what a viewer-request function asked of the request's
// origin through the cf module ("Helper methods for origin modification").
// Exactly one of SelectID, Group and Update is set: when a call uses the
// helpers more than once, the last use wins (see Result.Origin).
type OriginChange struct {
	SelectID        string             // cf.selectRequestOriginById(id): one of the distribution's origins, by id
	SelectOverrides *OriginOverrides   // with SelectID: its origin_overrides argument; nil when not given
	Group           *OriginGroupChange // cf.createRequestOriginGroup(params)
	Update          *OriginUpdate      // cf.updateRequestOrigin(params)
}

// OriginUpdate is what cf.updateRequestOrigin(params) asked: "Any settings
// that you don't specify in the updateRequestOrigin() will inherit the same
// settings from the existing origin's configuration". A nil pointer, slice
// or map is a setting the function did not give.
type OriginUpdate struct {
	// DomainName is "The domain name of the origin": a DNS name, not an
	// IP address, without a colon, up to 253 characters (an S3 bucket's:
	// up to 128, all lowercase).
	DomainName *string
	// HostHeader (non-S3 custom origins) is "The host header to use when
	// making the request to the origin"; when not given, DomainName's.
	// A DNS name, not an IP address, without a colon, up to 253 characters.
	HostHeader *string
	// OriginPath is "The directory path at the origin where the request
	// should locate content": it starts with "/" and does not end with
	// one, URL-encoded, up to 255 characters. "" means no path (openfront's
	// reading: the page gives no way to clear an inherited path otherwise).
	OriginPath *string
	// CustomHeaders are headers added to the request to the origin, by
	// lower-case name. Non-nil and empty "resets any header configured on
	// the assigned origin"; nil keeps the assigned origin's.
	CustomHeaders map[string]string
	// ConnectionAttempts is "The number of times that CloudFront attempts
	// to connect to the origin", 1 to 3.
	ConnectionAttempts *int
	// OriginShield "enables or updates CloudFront Origin Shield".
	OriginShield *OriginShield
	// OriginAccessControlConfig is the origin access control (OAC) for
	// origins that support it (S3, Lambda function URLs, MediaStore,
	// MediaPackage V2).
	OriginAccessControlConfig *OriginAccessControlConfig
	// ReadTimeout (timeouts.readTimeout) is how long CloudFront waits for a
	// response after forwarding a request to the origin, and between two
	// packets of the response: 1 to 120 seconds.
	ReadTimeout *time.Duration
	// ResponseCompletionTimeout (timeouts.responseCompletionTimeout) is
	// "The time … that a request from CloudFront to the origin can stay
	// open and wait for a response": at least ReadTimeout (when both are
	// given), whole seconds.
	ResponseCompletionTimeout *time.Duration
	// KeepAliveTimeout (timeouts.keepAliveTimeout, custom origins only) is
	// how long CloudFront keeps the connection to the origin after the last
	// packet of the response: 1 to 120 seconds.
	KeepAliveTimeout *time.Duration
	// ConnectionTimeout (timeouts.connectionTimeout) is how long CloudFront
	// waits when trying to establish a connection to the origin: 1 to 10
	// seconds.
	ConnectionTimeout *time.Duration
	// CustomOriginConfig is the connection settings of an origin that is
	// not an S3 bucket (or is one with static website hosting).
	CustomOriginConfig *CustomOriginConfig
	// SNI (non-S3 custom origins) is the Server Name Indication of the TLS
	// handshake with the origin; when not given, HostHeader's, then
	// DomainName's. A DNS name, not an IP address, without a colon, up to
	// 253 characters.
	SNI *string
	// AllowedCertificateNames (non-S3 custom origins) are the names the
	// origin's TLS certificate is checked against ("can include wildcard
	// domains, such as *.example.com"): 1 to 20 of them, each up to 64
	// characters.
	AllowedCertificateNames []string
}

// OriginShield is updateRequestOrigin's originShield.
type OriginShield struct {
	Enabled bool   // "enable or disable Origin Shield"
	Region  string // "The AWS Region for Origin Shield" (a Region code, e.g. us-east-2); "" when not Enabled
}

// OriginAccessControlConfig is updateRequestOrigin's
// originAccessControlConfig. When Enabled is false, the other fields are "".
type OriginAccessControlConfig struct {
	Enabled bool // "enable or disable OAC"
	// SigningBehavior is which requests CloudFront signs: "always",
	// "never" or "no-override".
	SigningBehavior string
	// SigningProtocol is "sigv4", "The only valid value".
	SigningProtocol string
	// OriginType is "The type of origin for this OAC": "s3",
	// "mediapackagev2", "mediastore" or "lambda".
	OriginType string
}

// CustomOriginConfig is updateRequestOrigin's customOriginConfig.
type CustomOriginConfig struct {
	// Port is "The HTTP port that CloudFront uses to connect to the
	// origin": 80, 443 or 1024–65535, the ports CloudFront allows an
	// origin.
	Port int
	// Protocol is "http" or "https": "CloudFront always uses" it "to
	// connect to the origin".
	Protocol string
	// SSLProtocols is "the minimum SSL/TLS protocol that CloudFront uses
	// when connecting to your origin over HTTPS": one or more of "SSLv3",
	// "TLSv1", "TLSv1.1" and "TLSv1.2", without repeats.
	SSLProtocols []string
	// IPAddressType is "the IP address type that CloudFront uses to
	// connect to the origin": "ipv4", "ipv6" or "dualstack"; "" when not
	// given. It is given only with OriginUpdate.DomainName.
	IPAddressType string
}

// OriginOverrides are the "few advanced settings" selectRequestOriginById
// and createRequestOriginGroup let a function override (origin_overrides),
// each as OriginUpdate's field of the same name; nil when not given.
type OriginOverrides struct {
	HostHeader              *string
	SNI                     *string
	AllowedCertificateNames []string
}

// OriginGroupChange is what cf.createRequestOriginGroup(params) asked: an
// origin group of two of the distribution's origins "for failover in
// scenarios that require high availability".
type OriginGroupChange struct {
	// Primary is the first of originIds, "the primary origin"; Secondary
	// the second, the origin CloudFront fails over to.
	Primary, Secondary OriginGroupMember
	// SelectionCriteria is "default" (failover on FailoverStatusCodes; also
	// when not given) or "media-quality-score" ("used when the media aware
	// routing capability is being used").
	SelectionCriteria string
	// FailoverStatusCodes are failoverCriteria.statusCodes: the status
	// codes that, "when returned from the primary origin, will trigger
	// CloudFront to failover to the secondary origin"; they replace those
	// of an origin group the distribution has. In ascending order, each
	// once, among 400, 403, 404, 416, 500, 502, 503 and 504.
	FailoverStatusCodes []int
}

// OriginGroupMember is one origin of an OriginGroupChange.
type OriginGroupMember struct {
	ID        string           // the origin's id in the distribution
	Overrides *OriginOverrides // its originOverrides; nil when not given
}

// Bounds of the origin helpers' parameters: CloudFront's, where the page
// ("Helper methods for origin modification") or CloudFront's quotas give
// them, else openfront's.
const (
	maxDomainName       = 253 // domainName, hostHeader, sni of custom origins
	maxS3DomainName     = 128 // domainName of an S3 bucket
	maxOriginPath       = 255
	maxCertNames        = 20
	maxCertName         = 64
	maxCustomHeaders    = 10    // CloudFront's quota: custom headers per origin
	maxHeaderName       = 256   // CloudFront's quota on a custom header's name
	maxHeaderValue      = 1783  // and on its value
	maxCustomHeaderSize = 10240 // and on all custom names and values together
	maxOriginID         = 256   // openfront's: CloudFront documents no bound
	maxShieldRegion     = 32    // openfront's: longer than any Region code
	maxCompletionSecs   = 86400 // openfront's: CloudFront enforces no maximum
)

// msgViewerRequestOnly is the error of an origin helper outside a
// viewer-request event, in the page's words.
const msgViewerRequestOnly = "You can update the origin on viewer request CloudFront Functions only"

// originDenylist is "Custom headers that CloudFront can't add to origin
// requests" (besides the X-Amz- and X-Edge- prefixes, and the headers
// edge functions may not add: see customHeaderDenied).
var originDenylist = map[string]bool{
	"cache-control": true, "connection": true, "content-length": true, "cookie": true, "host": true,
	"if-match": true, "if-modified-since": true, "if-none-match": true, "if-range": true,
	"if-unmodified-since": true, "max-forwards": true, "pragma": true, "proxy-authenticate": true,
	"proxy-authorization": true, "proxy-connection": true, "range": true, "request-range": true,
	"te": true, "trailer": true, "transfer-encoding": true, "upgrade": true, "via": true, "x-real-ip": true,
}

// customHeaderDenied reports whether a function may not set the
// (lower-case) header name in customHeaders: "You can't add headers that
// are disallowed".
func customHeaderDenied(name string) bool {
	return originDenylist[name] || strings.HasPrefix(name, "x-amz-") || strings.HasPrefix(name, "x-edge-") ||
		isDisallowed(name)
}

// originArgs reads the arguments of one use of an origin helper, throwing
// at the first that is wrong.
type originArgs struct {
	s  *slot
	fn string // the helper, for messages: "cf.updateRequestOrigin"
}

// originHelper checks that a helper may run now (in a viewer-request
// event) and returns the reader of its arguments.
func (s *slot) originHelper(name string) *originArgs {
	if s.eventType != ViewerRequest {
		s.throwError("%s", msgViewerRequestOnly)
	}
	return &originArgs{s: s, fn: "cf." + name}
}

func (a *originArgs) typeErr(format string, args ...any) {
	a.s.throwType("%s: %s", a.fn, fmt.Sprintf(format, args...))
}

func (a *originArgs) rangeErr(format string, args ...any) {
	a.s.throwRange("%s: %s", a.fn, fmt.Sprintf(format, args...))
}

func (a *originArgs) err(format string, args ...any) {
	a.s.throwError("%s: %s", a.fn, fmt.Sprintf(format, args...))
}

// object is v as a plain object (not an array, function, string…), or
// throws a TypeError naming what.
func (a *originArgs) object(v goja.Value, what string) *goja.Object {
	o, ok := v.(*goja.Object)
	if !ok || o.ClassName() != "Object" || indexedLength(o) > 0 {
		a.typeErr("%s must be an object, not %s", what, typeName(v))
	}
	return o
}

// qstr quotes s for a message, escaping what is not printable (a
// message may end up in a header or a log line).
func qstr(s string) string { return strconv.Quote(clip(s)) }

// get is o[name], undefined when o has no such property (goja's Get is
// nil then: a hole of an array, a key a getter deleted).
func get(o *goja.Object, name string) goja.Value {
	if v := o.Get(name); v != nil {
		return v
	}
	return goja.Undefined()
}

// prop is o[name], or nil when it is undefined.
func prop(o *goja.Object, name string) goja.Value {
	v := o.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return v
}

// str is v as a string of at most max UTF-8 bytes without control
// characters (a TypeError when it is not a string, a RangeError when it is
// longer, an Error for a control character).
func (a *originArgs) str(v goja.Value, what string, max int) string {
	if !isString(v) {
		a.typeErr("%s must be a string, not %s", what, typeName(v))
	}
	if strLen(v) > max {
		a.rangeErr("%s must be at most %d characters long", what, max)
	}
	s := v.String()
	if len(s) > max {
		a.rangeErr("%s must be at most %d bytes long", what, max)
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) >= 0 {
		a.err("%s must not contain control characters", what)
	}
	return s
}

// optStr is o[name] as str reads it, and whether it is given.
func (a *originArgs) optStr(o *goja.Object, name, what string, max int) (string, bool) {
	v := prop(o, name)
	if v == nil {
		return "", false
	}
	return a.str(v, what, max), true
}

// enum is v, a string among values.
func (a *originArgs) enum(v goja.Value, what string, values ...string) string {
	if !isString(v) {
		a.typeErr("%s must be a string, not %s", what, typeName(v))
	}
	if strLen(v) <= 64 {
		for _, x := range values {
			if v.String() == x {
				return x
			}
		}
	}
	a.rangeErr("%s must be %s, not %s", what, orList(values), qstr(prefix(v)))
	return ""
}

// prefix is the beginning of the string v, enough for a message (a long
// string is not converted whole).
func prefix(v goja.Value) string {
	if str, ok := v.(goja.String); ok && str.Length() > 65 {
		v = str.Substring(0, 65)
	}
	return v.String()
}

// orList is "'a', 'b' or 'c'".
func orList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + v + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// integer is v, a number that is an integer in [lo, hi].
func (a *originArgs) integer(v goja.Value, what string, lo, hi int) int {
	var f float64
	switch n := v.Export().(type) {
	case int64:
		f = float64(n)
	case float64:
		f = n
	default:
		a.typeErr("%s must be a number, not %s", what, typeName(v))
	}
	if isObject(v) {
		a.typeErr("%s must be a number, not an object", what)
	}
	if f != math.Trunc(f) || math.IsInf(f, 0) {
		a.rangeErr("%s must be a whole number, not %s", what, v.String())
	}
	if f < float64(lo) || f > float64(hi) {
		a.rangeErr("%s must be between %d and %d, not %s", what, lo, hi, v.String())
	}
	return int(f)
}

// boolean is v, a boolean.
func (a *originArgs) boolean(v goja.Value, what string) bool {
	b, ok := v.Export().(bool)
	if !ok || isObject(v) {
		a.typeErr("%s must be true or false, not %s", what, typeName(v))
	}
	return b
}

// array is v's elements, v an array of at most max.
func (a *originArgs) array(v goja.Value, what string, max int) []goja.Value {
	o, ok := v.(*goja.Object)
	if !ok || o.ClassName() != "Array" {
		a.typeErr("%s must be an array, not %s", what, typeName(v))
	}
	n := o.Get("length").ToInteger()
	if n > int64(max) {
		a.rangeErr("%s must have at most %d items, not %d", what, max, n)
	}
	out := make([]goja.Value, n)
	for i := range out {
		out[i] = get(o, strconv.Itoa(i))
	}
	return out
}

// hostName checks s, a domainName, hostHeader or sni: "can't include a
// colon (:) and can't be an IP address"; and, since it goes into a request
// line, a Host header or a TLS handshake, a DNS name of letters, digits,
// hyphens and underscores, its labels 1 to 63 characters long.
func (a *originArgs) hostName(s, what string) {
	if strings.Contains(s, ":") {
		a.err("%s can't include a colon (:), as in %s", what, qstr(s))
	}
	if net.ParseIP(s) != nil {
		a.err("%s can't be an IP address, as %s is", what, qstr(s))
	}
	if !isDNSName(s) {
		a.err("%s must be a domain name, such as www.example.com, not %s", what, qstr(s))
	}
}

// isDNSName reports whether s is dot-separated labels of 1 to 63 ASCII
// letters, digits, hyphens and underscores, not beginning or ending with
// a hyphen.
func isDNSName(s string) bool {
	if s == "" {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// isS3Domain reports whether the domain name is an S3 bucket's REST
// endpoint (bucket.s3.region.amazonaws.com, bucket.s3.amazonaws.com…), as
// opposed to a website endpoint (bucket.s3-website…), which is a custom
// origin.
func isS3Domain(s string) bool {
	s = strings.ToLower(s)
	if !strings.HasSuffix(s, ".amazonaws.com") && !strings.HasSuffix(s, ".amazonaws.com.cn") {
		return false
	}
	return strings.Contains(s, ".s3.") || strings.Contains(s, ".s3-") && !strings.Contains(s, ".s3-website")
}

// optHost is o[name], a host name (domainName, hostHeader, sni), and
// whether it is given.
func (a *originArgs) optHost(o *goja.Object, name string) *string {
	s, ok := a.optStr(o, name, name, maxDomainName)
	if !ok {
		return nil
	}
	a.hostName(s, name)
	return &s
}

// certNames is allowedCertificateNames: "an array of valid domain names",
// possibly wildcards, "up to 20", each "up to 64 characters".
func (a *originArgs) certNames(o *goja.Object) []string {
	v := prop(o, "allowedCertificateNames")
	if v == nil {
		return nil
	}
	items := a.array(v, "allowedCertificateNames", maxCertNames)
	if len(items) == 0 {
		a.rangeErr("allowedCertificateNames must list at least one name")
	}
	out := make([]string, len(items))
	for i, item := range items {
		what := "allowedCertificateNames[" + strconv.Itoa(i) + "]"
		name := a.str(item, what, maxCertName)
		if !isDNSName(strings.TrimPrefix(name, "*.")) || strings.Contains(name, ":") || net.ParseIP(name) != nil {
			a.err("%s must be a domain name, such as example.com or *.example.com, not %s", what, qstr(name))
		}
		out[i] = name
	}
	return out
}

// overrides reads origin_overrides (hostHeader, sni,
// allowedCertificateNames); nil when v is absent or gives none of them.
func (a *originArgs) overrides(v goja.Value, what string) *OriginOverrides {
	if v == nil {
		return nil
	}
	o := a.object(v, what)
	ov := &OriginOverrides{
		HostHeader:              a.optHost(o, "hostHeader"),
		SNI:                     a.optHost(o, "sni"),
		AllowedCertificateNames: a.certNames(o),
	}
	if ov.HostHeader == nil && ov.SNI == nil && ov.AllowedCertificateNames == nil {
		return nil
	}
	return ov
}

// originID is an origin id: a non-empty string naming one of the
// distribution's origins.
func (a *originArgs) originID(v goja.Value, what string) string {
	id := a.str(v, what, maxOriginID)
	if id == "" {
		a.rangeErr("%s must not be empty", what)
	}
	return id
}

// updateRequestOrigin reads cf.updateRequestOrigin's origin properties.
func (a *originArgs) updateRequestOrigin(v goja.Value) *OriginUpdate {
	o := a.object(v, "the origin properties")
	u := &OriginUpdate{}
	if s, ok := a.optStr(o, "domainName", "domainName", maxDomainName); ok {
		a.hostName(s, "domainName")
		if isS3Domain(s) && (len(s) > maxS3DomainName || s != strings.ToLower(s)) {
			a.err("the domainName of an S3 bucket must be all lowercase and at most %d characters long, not %s", maxS3DomainName, qstr(s))
		}
		u.DomainName = &s
	}
	u.HostHeader = a.optHost(o, "hostHeader")
	if s, ok := a.optStr(o, "originPath", "originPath", maxOriginPath); ok {
		if s != "" && (!strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || !isURLPath(s)) {
			a.err("originPath must start with a forward slash (/), not end with one, and be URL encoded, not %s", qstr(s))
		}
		u.OriginPath = &s
	}
	if v := prop(o, "customHeaders"); v != nil {
		u.CustomHeaders = a.customHeaders(v)
	}
	if v := prop(o, "connectionAttempts"); v != nil {
		n := a.integer(v, "connectionAttempts", 1, 3)
		u.ConnectionAttempts = &n
	}
	if v := prop(o, "originShield"); v != nil {
		u.OriginShield = a.originShield(v)
	}
	if v := prop(o, "originAccessControlConfig"); v != nil {
		u.OriginAccessControlConfig = a.oac(v)
	}
	if v := prop(o, "timeouts"); v != nil {
		t := a.object(v, "timeouts")
		seconds := func(name string, lo, hi int) *time.Duration {
			v := prop(t, name)
			if v == nil {
				return nil
			}
			d := time.Duration(a.integer(v, "timeouts."+name, lo, hi)) * time.Second
			return &d
		}
		u.ReadTimeout = seconds("readTimeout", 1, 120)
		u.ResponseCompletionTimeout = seconds("responseCompletionTimeout", 1, maxCompletionSecs)
		u.KeepAliveTimeout = seconds("keepAliveTimeout", 1, 120)
		u.ConnectionTimeout = seconds("connectionTimeout", 1, 10)
		if u.ReadTimeout != nil && u.ResponseCompletionTimeout != nil && *u.ResponseCompletionTimeout < *u.ReadTimeout {
			a.rangeErr("timeouts.responseCompletionTimeout must be equal to or greater than timeouts.readTimeout")
		}
	}
	if v := prop(o, "customOriginConfig"); v != nil {
		u.CustomOriginConfig = a.customOriginConfig(v)
		if u.CustomOriginConfig.IPAddressType != "" && u.DomainName == nil {
			a.err("changing customOriginConfig.ipAddressType is only supported when the domainName property is also being changed")
		}
	}
	u.SNI = a.optHost(o, "sni")
	u.AllowedCertificateNames = a.certNames(o)
	return u
}

// isURLPath reports whether s is made of the characters a URL path may
// have unescaped (RFC 3986 pchar and "/") and well-formed %XX escapes.
func isURLPath(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0:
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

// customHeaders reads customHeaders: {"name": "value", …}, lower-case
// names a function may add, at most maxCustomHeaders of them.
func (a *originArgs) customHeaders(v goja.Value) map[string]string {
	o := a.object(v, "customHeaders")
	keys := o.Keys()
	if len(keys) > maxCustomHeaders {
		a.rangeErr("customHeaders may have at most %d headers, not %d", maxCustomHeaders, len(keys))
	}
	out := make(map[string]string, len(keys))
	size := 0
	for _, name := range keys {
		if len(name) > maxHeaderName {
			a.rangeErr("the custom header name %s is longer than %d characters", qstr(name), maxHeaderName)
		}
		if !isToken(name) {
			a.err("%s is not a valid header name", qstr(name))
		}
		if name != strings.ToLower(name) {
			a.err("header names must be lowercase in customHeaders, not %s", qstr(name))
		}
		if customHeaderDenied(name) {
			a.err("CloudFront can't add the %s header to origin requests", name)
		}
		value := a.str(get(o, name), "customHeaders["+qstr(name)+"]", maxHeaderValue)
		if size += len(name) + len(value); size > maxCustomHeaderSize {
			a.rangeErr("the custom headers' names and values together must be at most %d characters long", maxCustomHeaderSize)
		}
		out[name] = value
	}
	return out
}

// originShield reads originShield: {enabled, region (when enabled)}.
func (a *originArgs) originShield(v goja.Value) *OriginShield {
	o := a.object(v, "originShield")
	en := prop(o, "enabled")
	if en == nil {
		a.typeErr("originShield.enabled is required")
	}
	sh := &OriginShield{Enabled: a.boolean(en, "originShield.enabled")}
	r, ok := a.optStr(o, "region", "originShield.region", maxShieldRegion)
	if ok && !isRegionCode(r) {
		a.err("originShield.region must be an AWS Region code, such as us-east-2, not %s", qstr(r))
	}
	if sh.Enabled {
		if !ok {
			a.typeErr("originShield.region is required when Origin Shield is enabled")
		}
		sh.Region = r
	}
	return sh
}

// isRegionCode reports whether s has the form of an AWS Region code:
// us-east-2, ap-southeast-1, us-gov-west-1.
func isRegionCode(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		for j := 0; j < len(p); j++ {
			c := p[j]
			if i == len(parts)-1 && !(c >= '0' && c <= '9') || i < len(parts)-1 && !(c >= 'a' && c <= 'z') {
				return false
			}
		}
	}
	return true
}

// oac reads originAccessControlConfig: {enabled, and when enabled
// signingBehavior, signingProtocol, originType}.
func (a *originArgs) oac(v goja.Value) *OriginAccessControlConfig {
	o := a.object(v, "originAccessControlConfig")
	en := prop(o, "enabled")
	if en == nil {
		a.typeErr("originAccessControlConfig.enabled is required")
	}
	c := &OriginAccessControlConfig{Enabled: a.boolean(en, "originAccessControlConfig.enabled")}
	field := func(name string, values ...string) string {
		v := prop(o, name)
		if v == nil {
			if c.Enabled {
				a.typeErr("originAccessControlConfig.%s is required when OAC is enabled", name)
			}
			return ""
		}
		return a.enum(v, "originAccessControlConfig."+name, values...)
	}
	behavior := field("signingBehavior", "always", "never", "no-override")
	protocol := field("signingProtocol", "sigv4")
	originType := field("originType", "s3", "mediapackagev2", "mediastore", "lambda")
	if c.Enabled {
		c.SigningBehavior, c.SigningProtocol, c.OriginType = behavior, protocol, originType
	}
	return c
}

// customOriginConfig reads customOriginConfig: {port, protocol,
// sslProtocols, ipAddressType (optional)}.
func (a *originArgs) customOriginConfig(v goja.Value) *CustomOriginConfig {
	o := a.object(v, "customOriginConfig")
	required := func(name string) goja.Value {
		v := prop(o, name)
		if v == nil {
			a.typeErr("customOriginConfig.%s is required", name)
		}
		return v
	}
	c := &CustomOriginConfig{}
	port := required("port")
	if isString(port) {
		// The page gives no type; a port written as a string of digits
		// ("443") is read as the number.
		s := a.str(port, "customOriginConfig.port", 5)
		n, err := strconv.Atoi(s)
		if err != nil || s == "" || s[0] < '0' || s[0] > '9' {
			a.typeErr("customOriginConfig.port must be a number, not %s", qstr(s))
		}
		port = a.s.rt.ToValue(n)
	}
	c.Port = a.integer(port, "customOriginConfig.port", 1, 65535)
	if c.Port != 80 && c.Port != 443 && c.Port < 1024 {
		a.rangeErr("customOriginConfig.port must be 80, 443 or between 1024 and 65535, not %d", c.Port)
	}
	c.Protocol = a.enum(required("protocol"), "customOriginConfig.protocol", "http", "https")
	items := a.array(required("sslProtocols"), "customOriginConfig.sslProtocols", 4)
	if len(items) == 0 {
		a.rangeErr("customOriginConfig.sslProtocols must list at least one protocol")
	}
	seen := map[string]bool{}
	for i, item := range items {
		p := a.enum(item, "customOriginConfig.sslProtocols["+strconv.Itoa(i)+"]", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2")
		if seen[p] {
			a.rangeErr("customOriginConfig.sslProtocols lists %s twice", p)
		}
		seen[p] = true
		c.SSLProtocols = append(c.SSLProtocols, p)
	}
	if v := prop(o, "ipAddressType"); v != nil {
		c.IPAddressType = a.enum(v, "customOriginConfig.ipAddressType", "ipv4", "ipv6", "dualstack")
	}
	return c
}

// failoverStatusCodes are the status codes an origin group may fail over
// on (CloudFront's origin failover: "any combination of the following
// status codes").
var failoverStatusCodes = map[int]bool{400: true, 403: true, 404: true, 416: true, 500: true, 502: true, 503: true, 504: true}

// createRequestOriginGroup reads cf.createRequestOriginGroup's
// origin_group_properties.
func (a *originArgs) createRequestOriginGroup(v goja.Value) *OriginGroupChange {
	o := a.object(v, "the origin group properties")
	ids := prop(o, "originIds")
	if ids == nil {
		a.typeErr("originIds is required")
	}
	items := a.array(ids, "originIds", 2)
	if len(items) != 2 {
		a.rangeErr("originIds must list two origins (the primary and the secondary), not %d", len(items))
	}
	shared := a.overrides(prop(o, "originOverrides"), "originOverrides")
	members := make([]OriginGroupMember, 2)
	for i, item := range items {
		what := "originIds[" + strconv.Itoa(i) + "]"
		m := &members[i]
		if isString(item) {
			m.ID = a.originID(item, what)
		} else {
			e := a.object(item, what+" (an origin id, or an object with originId)")
			id := prop(e, "originId")
			if id == nil {
				a.typeErr("%s.originId is required", what)
			}
			m.ID = a.originID(id, what+".originId")
			m.Overrides = a.overrides(prop(e, "originOverrides"), what+".originOverrides")
		}
		if m.Overrides == nil {
			m.Overrides = shared
		}
	}
	if members[0].ID == members[1].ID {
		a.err("the two origins of an origin group must differ, not both %s", qstr(members[0].ID))
	}
	g := &OriginGroupChange{Primary: members[0], Secondary: members[1], SelectionCriteria: "default"}
	if v := prop(o, "selectionCriteria"); v != nil {
		g.SelectionCriteria = a.enum(v, "selectionCriteria", "default", "media-quality-score")
	}
	fc := prop(o, "failoverCriteria")
	if fc == nil {
		a.typeErr("failoverCriteria is required")
	}
	codes := prop(a.object(fc, "failoverCriteria"), "statusCodes")
	if codes == nil {
		a.typeErr("failoverCriteria.statusCodes is required")
	}
	list := a.array(codes, "failoverCriteria.statusCodes", len(failoverStatusCodes))
	if len(list) == 0 {
		a.rangeErr("failoverCriteria.statusCodes must list at least one status code")
	}
	seen := map[int]bool{}
	for i, c := range list {
		what := "failoverCriteria.statusCodes[" + strconv.Itoa(i) + "]"
		n := a.integer(c, what, 100, 599)
		if !failoverStatusCodes[n] {
			a.rangeErr("%s must be 400, 403, 404, 416, 500, 502, 503 or 504, not %d", what, n)
		}
		if seen[n] {
			a.rangeErr("failoverCriteria.statusCodes lists %d twice", n)
		}
		seen[n] = true
	}
	for _, n := range []int{400, 403, 404, 416, 500, 502, 503, 504} {
		if seen[n] {
			g.FailoverStatusCodes = append(g.FailoverStatusCodes, n)
		}
	}
	return g
}

// originHelpers adds the origin helpers to h, the Go side of the
// cloudfront module. Each checks its arguments, throwing at the first
// that is wrong, and then records what it asked for the call running
// (s.origin), replacing what an earlier use in the same call asked; it
// returns undefined.
func (s *slot) originHelpers(h *goja.Object) {
	must(h.Set("updateRequestOrigin", s.native("updateRequestOrigin", 1, func(call goja.FunctionCall) goja.Value {
		u := s.originHelper("updateRequestOrigin").updateRequestOrigin(call.Argument(0))
		s.origin = &OriginChange{Update: u}
		return s.undefined
	})))
	must(h.Set("selectRequestOriginById", s.native("selectRequestOriginById", 2, func(call goja.FunctionCall) goja.Value {
		a := s.originHelper("selectRequestOriginById")
		id := a.originID(call.Argument(0), "the origin id")
		var ov *OriginOverrides
		if v := call.Argument(1); !goja.IsUndefined(v) {
			ov = a.overrides(v, "origin_overrides")
		}
		s.origin = &OriginChange{SelectID: id, SelectOverrides: ov}
		return s.undefined
	})))
	must(h.Set("createRequestOriginGroup", s.native("createRequestOriginGroup", 1, func(call goja.FunctionCall) goja.Value {
		g := s.originHelper("createRequestOriginGroup").createRequestOriginGroup(call.Argument(0))
		s.origin = &OriginChange{Group: g}
		return s.undefined
	})))
}

// checkCustomHeaders fails a result whose origin update adds a custom
// header the request already has: "a header with the same name can't also
// be present in the incoming request headers". The request is the one the
// function returned, the one CloudFront sends on (a function may remove
// the viewer's header to add its own).
func checkCustomHeaders(r *Result) error {
	if r == nil || r.Origin == nil || r.Origin.Update == nil || r.Request == nil {
		return nil
	}
	for _, name := range sortedKeys(r.Origin.Update.CustomHeaders) {
		if _, ok := r.Request.Headers[name]; ok {
			return validationErr("the custom header %s of cf.updateRequestOrigin is also a header of the request", qstr(name))
		}
	}
	return nil
}
