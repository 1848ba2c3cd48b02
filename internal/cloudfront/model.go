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
type DistributionConfig struct {
	CallerReference      string
	Aliases              []string
	DefaultRootObject    string
	Origins              []Origin
	DefaultCacheBehavior CacheBehavior // PathPattern is always empty (implicitly "*")
	CacheBehaviors       []CacheBehavior
	Comment              string
	Logging              Logging
	PriceClass           string
	Enabled              bool
}

// Origin is where a distribution fetches objects: an S3 bucket or a custom
// HTTP server. Exactly one of S3 and Custom is set.
type Origin struct {
	ID         string
	DomainName string
	S3         *S3OriginConfig
	Custom     *CustomOriginConfig
}

// S3OriginConfig configures an S3 origin.
type S3OriginConfig struct {
	// OriginAccessIdentity is "origin-access-identity/cloudfront/{Id}" or empty.
	OriginAccessIdentity string
}

// CustomOriginConfig configures a custom (HTTP server) origin.
type CustomOriginConfig struct {
	HTTPPort             int
	HTTPSPort            int
	OriginProtocolPolicy string
}

// CacheBehavior says how requests whose path matches PathPattern are served.
type CacheBehavior struct {
	PathPattern          string
	TargetOriginID       string
	QueryString          bool
	Cookies              CookiePreference
	TrustedSigners       TrustedSigners
	ViewerProtocolPolicy string
	MinTTL               int64
}

// CookiePreference is ForwardedValues/Cookies.
type CookiePreference struct {
	Forward string
	// WhitelistedNames is nil when the element is absent, which is required
	// unless Forward is "whitelist".
	WhitelistedNames []string
}

// TrustedSigners lists the accounts whose key pairs may sign URLs.
type TrustedSigners struct {
	Enabled bool
	// Items are "self" or 12-digit account numbers.
	Items []string
}

// Logging configures access logs.
type Logging struct {
	Enabled        bool
	IncludeCookies bool
	Bucket         string
	Prefix         string
}

// Signer is one entry of ActiveTrustedSigners.
type Signer struct {
	AwsAccountNumber string
	KeyPairIDs       []string
}

// ActiveTrustedSigners is derived from the config and the signers' key pairs.
type ActiveTrustedSigners struct {
	Enabled bool
	Items   []Signer
}

// Distribution is a download distribution as the API reports it.
type Distribution struct {
	ID                            string
	AccountID                     string // owner; never sent on the wire
	Status                        string
	LastModifiedTime              time.Time
	InProgressInvalidationBatches int
	DomainName                    string
	ActiveTrustedSigners          ActiveTrustedSigners
	Config                        DistributionConfig
	ETag                          string
	// Revision is the config-feed revision of the last change; edges that
	// have acknowledged it (or a later one) have this version.
	Revision int64
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
	Paths           []string
	CallerReference string
}

// Invalidation is an invalidation batch with its status.
type Invalidation struct {
	ID             string
	DistributionID string
	Status         string
	CreateTime     time.Time
	Batch          InvalidationBatch
	Revision       int64
}

// ListPage is one page of a list operation.
type ListPage struct {
	Marker      string
	NextMarker  string // set only when IsTruncated
	MaxItems    int
	IsTruncated bool
}
