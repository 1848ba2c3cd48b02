package cloudfront

import (
	"slices"
	"strings"
	"time"
)

// StreamingDistributionConfig is a streaming (RTMP) distribution's
// configuration (spec §4.4). openfront keeps and reports streaming
// distributions like CloudFront's control plane did, but no edge serves
// RTMP: they exist for API compatibility only.
type StreamingDistributionConfig struct {
	CallerReference string
	S3Origin        S3Origin
	Aliases         []string
	Comment         string
	Logging         StreamingLogging
	TrustedSigners  TrustedSigners
	PriceClass      string
	Enabled         bool
}

// S3Origin is a streaming distribution's origin: always an S3 bucket.
type S3Origin struct {
	DomainName string
	// OriginAccessIdentity is "origin-access-identity/cloudfront/{Id}" or empty.
	OriginAccessIdentity string
}

// StreamingLogging configures a streaming distribution's access logs; it
// has no IncludeCookies.
type StreamingLogging struct {
	Enabled bool
	Bucket  string
	Prefix  string
}

// StreamingDistribution is a streaming distribution as the API reports
// it. Unlike Distribution it has no InProgressInvalidationBatches:
// streaming content cannot be invalidated.
type StreamingDistribution struct {
	ID                   string
	AccountID            string // owner; never sent on the wire
	Status               string
	LastModifiedTime     time.Time
	DomainName           string // "s" + 13 lower-case letters or digits + "." + suffix
	ActiveTrustedSigners ActiveTrustedSigners
	Config               StreamingDistributionConfig
	ETag                 string
	// Revision is the config-feed revision the last change was written
	// at. Edges never receive streaming distributions, but they acknowledge
	// revisions, so every covered edge having acknowledged Revision is what
	// Deployed means here as for download distributions.
	Revision int64
}

// ValidateStreamingDistributionConfig checks everything about c that needs
// no database, in a fixed order like ValidateDistributionConfig: counts
// (CNAMEs, trusted signers), CallerReference, Comment, PriceClass, each
// alias, the S3 origin, each trusted signer, logging.
func (r Rules) ValidateStreamingDistributionConfig(c *StreamingDistributionConfig) error {
	if c == nil {
		return Errorf(MalformedXML, "StreamingDistributionConfig is missing.")
	}
	lim := r.limits()
	if n := len(c.Aliases); n > lim.CNAMEsPerDistribution {
		return Errorf(TooManyStreamingDistributionCNAMEs, "Your request contains %d CNAMEs; at most %d are allowed per streaming distribution.", n, lim.CNAMEsPerDistribution)
	}
	if n := len(c.TrustedSigners.Items); n > lim.TrustedSignersPerBehavior {
		return Errorf(TooManyTrustedSigners, "Your request contains %d trusted signers; at most %d are allowed.", n, lim.TrustedSignersPerBehavior)
	}
	if err := checkCallerReference(c.CallerReference); err != nil {
		return err
	}
	if err := checkComment(c.Comment); err != nil {
		return err
	}
	if err := checkPriceClass(c.PriceClass); err != nil {
		return err
	}
	if err := r.checkAliases(c.Aliases); err != nil {
		return err
	}
	if _, ok := r.s3Bucket(c.S3Origin.DomainName); !ok {
		return Errorf(InvalidOrigin, "The S3 origin %q is not an S3 bucket endpoint such as mybucket.s3.amazonaws.com.", c.S3Origin.DomainName)
	}
	if ref := c.S3Origin.OriginAccessIdentity; ref != "" {
		if _, ok := OAIIDFromReference(ref); !ok {
			return Errorf(InvalidOriginAccessIdentity, "The origin access identity %q is not of the form %s{Id}.", ref, OAIReferencePrefix)
		}
	}
	for _, s := range c.TrustedSigners.Items {
		if !validSigner(s) {
			return Errorf(InvalidArgument, "The trusted signer %q is neither %q nor a 12-digit account number.", s, SelfSigner)
		}
	}
	l := c.Logging
	return r.checkLogging(Logging{Enabled: l.Enabled, Bucket: l.Bucket, Prefix: l.Prefix})
}

// NormalizeStreamingDistributionConfig does what
// NormalizeDistributionConfig does: disabled logging loses its fields,
// aliases are lower-cased.
func NormalizeStreamingDistributionConfig(c *StreamingDistributionConfig) {
	if c == nil {
		return
	}
	if !c.Logging.Enabled {
		c.Logging = StreamingLogging{}
	}
	for i, a := range c.Aliases {
		c.Aliases[i] = strings.ToLower(a)
	}
}

// EqualStreamingDistributionConfigs reports whether two configurations
// say the same thing, for a repeated CallerReference. Empty and nil lists
// are equal.
func EqualStreamingDistributionConfigs(a, b *StreamingDistributionConfig) bool {
	return a.CallerReference == b.CallerReference && a.S3Origin == b.S3Origin &&
		slices.Equal(a.Aliases, b.Aliases) && a.Comment == b.Comment && a.Logging == b.Logging &&
		a.TrustedSigners.Enabled == b.TrustedSigners.Enabled &&
		slices.Equal(a.TrustedSigners.Items, b.TrustedSigners.Items) &&
		a.PriceClass == b.PriceClass && a.Enabled == b.Enabled
}

// SignerAccounts returns the distinct trusted signers when they are
// enabled, in order: what ActiveTrustedSigners reports. Nil when none.
func (c *StreamingDistributionConfig) SignerAccounts() []string {
	if !c.TrustedSigners.Enabled {
		return nil
	}
	var out []string
	for _, s := range c.TrustedSigners.Items {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// OAIReferences returns the id of the origin access identity the S3 origin
// references, or nil (none, or a malformed reference, which validation
// rejects).
func (c *StreamingDistributionConfig) OAIReferences() []string {
	if id, ok := OAIIDFromReference(c.S3Origin.OriginAccessIdentity); ok {
		return []string{id}
	}
	return nil
}
