package cloudfront

import "time"

// Enumerations of the 2012-07-01 configuration.
const (
	PriceClass100 = "PriceClass_100"
	PriceClass200 = "PriceClass_200"
	PriceClassAll = "PriceClass_All"

	ViewerAllowAll  = "allow-all"
	ViewerHTTPSOnly = "https-only"

	OriginHTTPOnly    = "http-only"
	OriginMatchViewer = "match-viewer"

	ForwardNone      = "none"
	ForwardWhitelist = "whitelist"
	ForwardAll       = "all"

	StatusInProgress = "InProgress"
	StatusDeployed   = "Deployed"
	StatusCompleted  = "Completed"

	// SelfSigner names the distribution's own account in TrustedSigners.
	SelfSigner = "self"
)

// DistributionConfig is a download distribution's configuration, exactly
// what a client sends and gets back. Lists are plain slices; the wire
// codecs add Quantity and Items.
//
// It is the superset of every API version's DistributionConfig: each codec
// shows the members its version has (2012-07-01 the first ten). Members
// added by 2020-05-31 hold their default as the zero value (nil, "",
// false), so that records stored before they existed load unchanged and
// mean what they meant; the codecs show the default for a zero value (see
// model2020.go) and NormalizeDistributionConfig turns a default sent
// explicitly back into the zero value.
type DistributionConfig struct {
	CallerReference      string                `json:",omitzero"`
	Aliases              []string              `json:",omitzero"`
	DefaultRootObject    string                `json:",omitzero"`
	Origins              []Origin              `json:",omitzero"`
	OriginGroups         []OriginGroup         `json:",omitempty"`
	DefaultCacheBehavior CacheBehavior         `json:",omitzero"` // PathPattern is always empty (implicitly "*")
	CacheBehaviors       []CacheBehavior       `json:",omitzero"`
	CustomErrorResponses []CustomErrorResponse `json:",omitempty"`
	Comment              string                `json:",omitzero"`
	Logging              Logging               `json:",omitzero"`
	PriceClass           string                `json:",omitzero"`
	Enabled              bool                  `json:",omitzero"`
	// ViewerCertificate nil is CloudFront's default certificate.
	ViewerCertificate *ViewerCertificate `json:",omitempty"`
	// Restrictions' zero value is no geographic restriction.
	Restrictions GeoRestriction `json:",omitzero"`
	WebACLID     string         `json:",omitempty"`
	// HTTPVersion "" is DefaultHTTPVersion.
	HTTPVersion                  string `json:",omitempty"`
	IsIPV6Enabled                bool   `json:",omitempty"`
	ContinuousDeploymentPolicyID string `json:",omitempty"`
	Staging                      bool   `json:",omitempty"`
	// The members below are stored and echoed as sent; "" and nil are
	// absent (see members2020.go).
	AnycastIPListID      string            `json:",omitempty"`
	TenantConfig         *TenantConfig     `json:",omitempty"`
	ConnectionMode       string            `json:",omitempty"`
	ViewerMTLSConfig     *ViewerMTLSConfig `json:",omitempty"`
	ConnectionFunctionID string            `json:",omitempty"` // ConnectionFunctionAssociation/Id
	CacheTagHeaderName   string            `json:",omitempty"` // CacheTagConfig/HeaderName
}

// Origin is where a distribution fetches objects: an S3 bucket or a custom
// HTTP server (or, in 2020-05-31, a VPC origin). Exactly one of S3,
// Custom and VPCOrigin is set.
type Origin struct {
	ID         string              `json:",omitzero"`
	DomainName string              `json:",omitzero"`
	S3         *S3OriginConfig     `json:",omitzero"`
	Custom     *CustomOriginConfig `json:",omitzero"`

	// Members of 2020-05-31; nil means CloudFront's default.
	OriginPath                string         `json:",omitempty"`
	CustomHeaders             []CustomHeader `json:",omitempty"`
	ConnectionAttempts        *int           `json:",omitempty"` // default 3
	ConnectionTimeout         *int           `json:",omitempty"` // seconds, default 10
	ResponseCompletionTimeout *int           `json:",omitempty"` // seconds, none by default
	OriginShield              OriginShield   `json:",omitzero"`
	OriginAccessControlID     string         `json:",omitempty"`
	// OriginAccessControl is the config of OriginAccessControlID as the
	// control plane resolved it when the distribution or the OAC last
	// changed: what edges sign by. Never on the wire, not compared.
	OriginAccessControl *OriginAccessControlConfig `json:",omitempty" equal:"-"`
	VPCOrigin           *VPCOriginConfig           `json:",omitempty"`
}

// S3OriginConfig configures an S3 origin.
type S3OriginConfig struct {
	// OriginAccessIdentity is "origin-access-identity/cloudfront/{Id}" or empty.
	OriginAccessIdentity string `json:",omitzero"`
	// OriginReadTimeout (2020-05-31) in seconds; nil is the default, 30.
	OriginReadTimeout *int `json:",omitempty"`
}

// CustomOriginConfig configures a custom (HTTP server) origin.
type CustomOriginConfig struct {
	HTTPPort             int    `json:",omitzero"`
	HTTPSPort            int    `json:",omitzero"`
	OriginProtocolPolicy string `json:",omitzero"`

	// Members of 2020-05-31; nil and "" mean CloudFront's defaults.
	OriginSSLProtocols     []string `json:",omitempty"` // default TLSv1, TLSv1.1, TLSv1.2
	OriginReadTimeout      *int     `json:",omitempty"` // seconds, default 30
	OriginKeepaliveTimeout *int     `json:",omitempty"` // seconds, default 5
	IPAddressType          string   `json:",omitempty"`
	// MTLSCertificateARN is OriginMtlsConfig/ClientCertificateArn.
	MTLSCertificateARN string `json:",omitempty"`
}

// CacheBehavior says how requests whose path matches PathPattern are served.
//
// A behaviour has either a CachePolicyID or the legacy cache settings
// (2020-05-31's ForwardedValues and TTLs; 2012-07-01 knows only those):
// with a cache policy, QueryString, Cookies, Headers,
// QueryStringCacheKeys and the TTLs are all zero.
type CacheBehavior struct {
	PathPattern          string           `json:",omitzero"`
	TargetOriginID       string           `json:",omitzero"`
	QueryString          bool             `json:",omitzero"`
	Cookies              CookiePreference `json:",omitzero"`
	TrustedSigners       TrustedSigners   `json:",omitzero"`
	ViewerProtocolPolicy string           `json:",omitzero"`
	MinTTL               int64            `json:",omitzero"`

	// Members of 2020-05-31; nil, "" and false mean CloudFront's defaults.
	TrustedKeyGroups TrustedKeyGroups `json:",omitzero"`
	// AllowedMethods nil is GET and HEAD; CachedMethods nil is GET and HEAD.
	AllowedMethods          []string              `json:",omitempty"`
	CachedMethods           []string              `json:",omitempty"`
	SmoothStreaming         bool                  `json:",omitempty"`
	Compress                bool                  `json:",omitempty"`
	FunctionAssociations    []FunctionAssociation `json:",omitempty"`
	CachePolicyID           string                `json:",omitempty"`
	OriginRequestPolicyID   string                `json:",omitempty"`
	ResponseHeadersPolicyID string                `json:",omitempty"`
	GRPC                    *GRPCConfig           `json:",omitempty"` // nil: absent
	Headers                 []string              `json:",omitempty"` // ForwardedValues/Headers
	QueryStringCacheKeys    []string              `json:",omitempty"`
	DefaultTTL              *int64                `json:",omitempty"` // nil: DefaultDefaultTTL (or MinTTL if larger)
	MaxTTL                  *int64                `json:",omitempty"` // nil: DefaultMaxTTL (or DefaultTTL if larger)

	// CachePolicy is the config of the policy CachePolicyID names, as
	// the control plane resolved it when the distribution or the policy
	// last changed: what edges compile the behaviour from. It is never
	// on the wire, and configs compare without it.
	CachePolicy *CachePolicyConfig `json:",omitempty" equal:"-"`
	// OriginRequestPolicy is the resolved config of
	// OriginRequestPolicyID, as CachePolicy is of CachePolicyID.
	OriginRequestPolicy *OriginRequestPolicyConfig `json:",omitempty" equal:"-"`
	// ResponseHeadersPolicy is the resolved config of
	// ResponseHeadersPolicyID.
	ResponseHeadersPolicy *ResponseHeadersPolicyConfig `json:",omitempty" equal:"-"`
}

// CookiePreference is ForwardedValues/Cookies.
type CookiePreference struct {
	Forward string `json:",omitzero"`
	// WhitelistedNames is nil when the element is absent, which is required
	// unless Forward is "whitelist".
	WhitelistedNames []string `json:",omitzero"`
}

// TrustedSigners lists the accounts whose key pairs may sign URLs.
type TrustedSigners struct {
	Enabled bool `json:",omitzero"`
	// Items are "self" or 12-digit account numbers.
	Items []string `json:",omitzero"`
}

// Logging configures access logs.
type Logging struct {
	Enabled        bool   `json:",omitzero"`
	IncludeCookies bool   `json:",omitzero"`
	Bucket         string `json:",omitzero"`
	Prefix         string `json:",omitzero"`
}

// Signer is one entry of ActiveTrustedSigners.
type Signer struct {
	AwsAccountNumber string   `json:",omitzero"`
	KeyPairIDs       []string `json:",omitzero"`
}

// ActiveTrustedSigners is derived from the config and the signers' key pairs.
type ActiveTrustedSigners struct {
	Enabled bool     `json:",omitzero"`
	Items   []Signer `json:",omitzero"`
}

// Distribution is a download distribution as the API reports it.
//
// Every member of the model is omitted from JSON when it is zero
// (omitzero: "", 0, false, nil, a struct of zeros; an empty but present
// list is kept), so decoding gives back the same value, and the feed's
// deltas, the edges' journals and snapshot files and the stored configs
// carry only what is set: a distribution of bench/fleet's went from 984
// to 563 bytes. Records written before, with every member, read the same.
type Distribution struct {
	ID                            string                 `json:",omitzero"`
	AccountID                     string                 `json:",omitzero"` // owner; never sent on the wire
	Status                        string                 `json:",omitzero"`
	LastModifiedTime              time.Time              `json:",omitzero"`
	InProgressInvalidationBatches int                    `json:",omitzero"`
	DomainName                    string                 `json:",omitzero"`
	ActiveTrustedSigners          ActiveTrustedSigners   `json:",omitzero"`
	ActiveTrustedKeyGroups        ActiveTrustedKeyGroups `json:",omitzero"` // 2020-05-31
	Config                        DistributionConfig     `json:",omitzero"`
	ETag                          string                 `json:",omitzero"`
	// Revision is the config-feed revision of the last change; edges that
	// have acknowledged it (or a later one) have this version.
	Revision int64 `json:",omitzero"`
}

// OriginAccessIdentityConfig is CloudFrontOriginAccessIdentityConfig.
type OriginAccessIdentityConfig struct {
	CallerReference string
	Comment         string
}

// OriginAccessIdentity is a CloudFront origin access identity.
type OriginAccessIdentity struct {
	ID                string
	AccountID         string
	S3CanonicalUserID string
	Config            OriginAccessIdentityConfig
	ETag              string
}

// InvalidationBatch is what a client sends to invalidate objects.
type InvalidationBatch struct {
	Paths           []string `json:",omitzero"`
	CallerReference string   `json:",omitzero"`
}

// Invalidation is an invalidation batch with its status.
type Invalidation struct {
	ID             string            `json:",omitzero"`
	DistributionID string            `json:",omitzero"`
	Status         string            `json:",omitzero"`
	CreateTime     time.Time         `json:",omitzero"`
	Batch          InvalidationBatch `json:",omitzero"`
	Revision       int64             `json:",omitzero"`
}

// ListPage is one page of a list operation.
type ListPage struct {
	Marker      string
	NextMarker  string // set only when IsTruncated
	MaxItems    int
	IsTruncated bool
}
