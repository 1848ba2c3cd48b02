package cloudfront

import "strings"

// Enumerations and defaults added by API 2020-05-31.
const (
	PriceClassNone = "None"

	ViewerRedirectToHTTPS = "redirect-to-https"
	OriginHTTPSOnly       = "https-only"

	HTTPVersion11      = "http1.1"
	HTTPVersion2       = "http2"
	HTTPVersion3       = "http3"
	HTTPVersion2And3   = "http2and3"
	DefaultHTTPVersion = HTTPVersion2 // "the default value for new distributions"

	GeoNone      = "none"
	GeoWhitelist = "whitelist"
	GeoBlacklist = "blacklist"

	// Defaults CloudFront reports for members a config leaves out.
	DefaultDefaultTTL             = 86400
	DefaultMaxTTL                 = 31536000
	DefaultConnectionAttempts     = 3
	DefaultConnectionTimeout      = 10
	DefaultOriginReadTimeout      = 30
	DefaultOriginKeepaliveTimeout = 5
	DefaultSSLSupportMethod       = "vip"
	DefaultMinimumProtocolVersion = "TLSv1"
	CertificateSourceCloudFront   = "cloudfront"
)

// DefaultMethods is both AllowedMethods and CachedMethods when a behaviour
// names none, in the order CloudFront reports them.
var DefaultMethods = []string{"HEAD", "GET"}

// DefaultOriginSSLProtocols is what CloudFront reports for a custom origin
// that names no OriginSslProtocols.
var DefaultOriginSSLProtocols = []string{"TLSv1", "TLSv1.1", "TLSv1.2"}

// OriginGroup is a primary and a secondary origin with the status codes
// that fail over from one to the other.
type OriginGroup struct {
	ID                string   `json:",omitzero"`
	StatusCodes       []int    `json:",omitzero"`  // FailoverCriteria/StatusCodes
	Members           []string `json:",omitzero"`  // origin ids, exactly two
	SelectionCriteria string   `json:",omitempty"` // "" is not sent; CloudFront's default is "default"
}

// CustomErrorResponse says what viewers get when the origin answers
// ErrorCode. ResponseCode is a string on the wire (it may be empty).
type CustomErrorResponse struct {
	ErrorCode          int    `json:",omitzero"`
	ResponsePagePath   string `json:",omitempty"`
	ResponseCode       string `json:",omitempty"`
	ErrorCachingMinTTL *int64 `json:",omitempty"`
}

// ViewerCertificate is how the distribution answers HTTPS.
type ViewerCertificate struct {
	CloudFrontDefaultCertificate bool   `json:",omitempty"`
	IAMCertificateID             string `json:",omitempty"`
	ACMCertificateARN            string `json:",omitempty"`
	SSLSupportMethod             string `json:",omitempty"`
	MinimumProtocolVersion       string `json:",omitempty"`
	// Certificate and CertificateSource are deprecated members that
	// CloudFront still reports; kept as sent.
	Certificate       string `json:",omitempty"`
	CertificateSource string `json:",omitempty"`
}

// DefaultViewerCertificate is what CloudFront reports for a distribution
// that names no certificate.
func DefaultViewerCertificate() ViewerCertificate {
	return ViewerCertificate{
		CloudFrontDefaultCertificate: true,
		SSLSupportMethod:             DefaultSSLSupportMethod,
		MinimumProtocolVersion:       DefaultMinimumProtocolVersion,
		CertificateSource:            CertificateSourceCloudFront,
	}
}

// GeoRestriction is Restrictions/GeoRestriction. RestrictionType "" is
// GeoNone.
type GeoRestriction struct {
	RestrictionType string   `json:",omitempty"`
	Locations       []string `json:",omitempty"` // ISO 3166-1 alpha-2 codes
}

// CustomHeader is one header CloudFront adds to requests to the origin.
type CustomHeader struct {
	Name  string `json:",omitzero"`
	Value string `json:",omitzero"`
}

// OriginShield is an origin's extra caching layer; its zero value is off.
type OriginShield struct {
	Enabled bool   `json:",omitempty"`
	Region  string `json:",omitempty"`
}

// TrustedKeyGroups lists the key groups whose public keys may sign URLs.
type TrustedKeyGroups struct {
	Enabled bool     `json:",omitempty"`
	Items   []string `json:",omitempty"` // key group ids
	// Groups are the configs of Items, index for index, with their keys,
	// as the control plane resolved them for edges; never on the wire.
	Groups []*KeyGroupConfig `json:",omitempty" equal:"-"`
}

// FunctionAssociation attaches a CloudFront Function to a behaviour.
type FunctionAssociation struct {
	FunctionARN string `json:",omitzero"`
	EventType   string `json:",omitzero"` // viewer-request or viewer-response
	// Function is the LIVE stage of FunctionARN as the control plane
	// resolved it for edges; never on the wire.
	Function *FunctionCode `json:",omitempty" equal:"-"`
}

// KeyGroupSigner is one entry of ActiveTrustedKeyGroups.
type KeyGroupSigner struct {
	KeyGroupID string   `json:",omitzero"`
	KeyPairIDs []string `json:",omitzero"`
}

// ActiveTrustedKeyGroups is derived from the config and the key groups.
type ActiveTrustedKeyGroups struct {
	Enabled bool             `json:",omitzero"`
	Items   []KeyGroupSigner `json:",omitzero"`
}

// Tag is one resource tag.
type Tag struct {
	Key   string
	Value string
}

// EffectiveDefaultTTL is the DefaultTTL CloudFront applies to b: the one
// it names, or 24 hours, raised to MinTTL (CloudFront rejects a DefaultTTL
// below MinTTL, so the default cannot be one).
func (b *CacheBehavior) EffectiveDefaultTTL() int64 {
	if b.DefaultTTL != nil {
		return *b.DefaultTTL
	}
	return max(DefaultDefaultTTL, b.MinTTL)
}

// EffectiveMaxTTL is the MaxTTL CloudFront applies to b: the one it
// names, or one year, raised to the effective DefaultTTL.
func (b *CacheBehavior) EffectiveMaxTTL() int64 {
	if b.MaxTTL != nil {
		return *b.MaxTTL
	}
	return max(DefaultMaxTTL, b.EffectiveDefaultTTL())
}

// LegacyCacheSettings reports whether b uses ForwardedValues and TTLs
// rather than a cache policy.
func (b *CacheBehavior) LegacyCacheSettings() bool { return b.CachePolicyID == "" }

// DistributionARN is the distribution's ARN in CloudFront's form.
func DistributionARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":distribution/" + id
}

// StreamingDistributionARN is a streaming distribution's ARN.
func StreamingDistributionARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":streaming-distribution/" + id
}

// ParseARN splits a CloudFront resource ARN into account, kind
// ("distribution", "streaming-distribution") and id; ok is false for
// anything else.
func ParseARN(arn string) (accountID, kind, id string, ok bool) {
	rest, found := strings.CutPrefix(arn, "arn:aws:cloudfront::")
	if !found {
		return "", "", "", false
	}
	accountID, rest, found = strings.Cut(rest, ":")
	if !found || accountID == "" {
		return "", "", "", false
	}
	kind, id, found = strings.Cut(rest, "/")
	if !found || id == "" || strings.ContainsAny(id, "/:") {
		return "", "", "", false
	}
	switch kind {
	case "distribution", "streaming-distribution", "function", "key-value-store":
		return accountID, kind, id, true
	}
	return "", "", "", false
}
