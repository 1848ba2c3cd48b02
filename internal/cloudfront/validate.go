package cloudfront

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/openfront/openfront/internal/originaddr"
)

// Limits are the per-account and per-resource quotas. They are the
// service's, not an API version's: a request through 2012-07-01 gets the
// same ones as through 2020-05-31, as CloudFront applies its current
// quotas to every version it still answers. A zero field means the
// default, so Rules{} behaves like DefaultRules(); an operator raises or
// lowers any of them (openfront api --limit-…), as AWS raises a quota on
// request.
type Limits struct {
	DistributionsPerAccount         int
	CNAMEsPerDistribution           int
	OriginsPerDistribution          int
	CacheBehaviorsPerDistribution   int
	TrustedSignersPerBehavior       int
	CookieNamesPerBehavior          int
	OAIsPerAccount                  int
	InvalidationBatchesInProgress   int
	PathsPerInvalidationBatch       int
	OriginGroupsPerDistribution     int
	CustomHeadersPerOrigin          int
	HeadersPerBehavior              int // whitelisted headers (ForwardedValues/Headers)
	QueryStringCacheKeysPerBehavior int
	KeyGroupsPerBehavior            int
	CachePoliciesPerAccount         int // custom ones; managed policies do not count
	HeadersPerCachePolicy           int
	CookiesPerCachePolicy           int
	QueryStringsPerCachePolicy      int

	OriginRequestPoliciesPerAccount    int // custom ones; managed policies do not count
	OriginAccessControlsPerAccount     int
	HeadersPerOriginRequestPolicy      int
	CookiesPerOriginRequestPolicy      int
	QueryStringsPerOriginRequestPolicy int

	ResponseHeadersPoliciesPerAccount     int // custom ones; managed policies do not count
	CustomHeadersPerResponseHeadersPolicy int
	RemoveHeadersPerResponseHeadersPolicy int
	CSPCharsPerResponseHeadersPolicy      int // characters in a Content-Security-Policy value

	PublicKeysPerAccount  int
	KeyGroupsPerAccount   int
	PublicKeysPerKeyGroup int

	FunctionsPerAccount      int
	KeyValueStoresPerAccount int
}

// DefaultLimits returns CloudFront's default quotas ("Quotas", General
// quotas on distributions, CloudFront Developer Guide): 100 alternate
// domain names, 75 cache behaviours and 25 origins per distribution, 10
// origin groups, 10 custom headers per origin, 10 whitelisted headers, 10
// whitelisted cookies and 10 query string cache keys per behaviour, 4 key
// groups per behaviour. Distributions and OAIs per account (100) and the
// invalidation limits stay at spec §7's figures, which are below
// CloudFront's (500 distributions) on purpose: on a shared CDN one tenant
// should not be able to take most of it by default. Trusted signers (5)
// is the 2012 figure, which CloudFront's quotas page no longer lists.
// Cache policies ("General quotas on policies"): 20 per account, 10
// headers, 10 cookies and 10 query strings per policy; origin request
// policies (same table): 20 per account, 10 headers, 10 cookies and 10
// query strings per policy. Response headers policies (same table, and
// "Quotas on headers"): 20 per account, 10 custom headers per policy, a
// Content-Security-Policy value of 1,783 characters; the page gives no
// number of headers to remove, so that one (10) is ours. Public keys and
// key groups ("Quotas on public keys and key groups"): 10 public keys
// and 10 key groups per account, 5 public keys per key group. Functions
// ("Quotas on CloudFront Functions"): 100 per account. Key value stores
// ("Quotas on key value stores"): 50 per account.
func DefaultLimits() Limits {
	return Limits{
		DistributionsPerAccount:         100,
		CNAMEsPerDistribution:           100,
		OriginsPerDistribution:          25,
		CacheBehaviorsPerDistribution:   75,
		TrustedSignersPerBehavior:       5,
		CookieNamesPerBehavior:          10,
		OAIsPerAccount:                  100,
		InvalidationBatchesInProgress:   3,
		PathsPerInvalidationBatch:       1000,
		OriginGroupsPerDistribution:     10,
		CustomHeadersPerOrigin:          10,
		HeadersPerBehavior:              10,
		QueryStringCacheKeysPerBehavior: 10,
		KeyGroupsPerBehavior:            4,
		CachePoliciesPerAccount:         20,
		HeadersPerCachePolicy:           10,
		CookiesPerCachePolicy:           10,
		QueryStringsPerCachePolicy:      10,

		OriginRequestPoliciesPerAccount:    20,
		OriginAccessControlsPerAccount:     100,
		HeadersPerOriginRequestPolicy:      10,
		CookiesPerOriginRequestPolicy:      10,
		QueryStringsPerOriginRequestPolicy: 10,

		ResponseHeadersPoliciesPerAccount:     20,
		CustomHeadersPerResponseHeadersPolicy: 10,
		RemoveHeadersPerResponseHeadersPolicy: 10,
		CSPCharsPerResponseHeadersPolicy:      1783,

		PublicKeysPerAccount:  10,
		KeyGroupsPerAccount:   10,
		PublicKeysPerKeyGroup: 5,

		FunctionsPerAccount:      100,
		KeyValueStoresPerAccount: 50,
	}
}

// withDefaults fills every zero field from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, d *int }{
		{&l.DistributionsPerAccount, &d.DistributionsPerAccount},
		{&l.CNAMEsPerDistribution, &d.CNAMEsPerDistribution},
		{&l.OriginsPerDistribution, &d.OriginsPerDistribution},
		{&l.CacheBehaviorsPerDistribution, &d.CacheBehaviorsPerDistribution},
		{&l.TrustedSignersPerBehavior, &d.TrustedSignersPerBehavior},
		{&l.CookieNamesPerBehavior, &d.CookieNamesPerBehavior},
		{&l.OAIsPerAccount, &d.OAIsPerAccount},
		{&l.InvalidationBatchesInProgress, &d.InvalidationBatchesInProgress},
		{&l.PathsPerInvalidationBatch, &d.PathsPerInvalidationBatch},
		{&l.OriginGroupsPerDistribution, &d.OriginGroupsPerDistribution},
		{&l.CustomHeadersPerOrigin, &d.CustomHeadersPerOrigin},
		{&l.HeadersPerBehavior, &d.HeadersPerBehavior},
		{&l.QueryStringCacheKeysPerBehavior, &d.QueryStringCacheKeysPerBehavior},
		{&l.KeyGroupsPerBehavior, &d.KeyGroupsPerBehavior},
		{&l.CachePoliciesPerAccount, &d.CachePoliciesPerAccount},
		{&l.HeadersPerCachePolicy, &d.HeadersPerCachePolicy},
		{&l.CookiesPerCachePolicy, &d.CookiesPerCachePolicy},
		{&l.QueryStringsPerCachePolicy, &d.QueryStringsPerCachePolicy},
		{&l.OriginRequestPoliciesPerAccount, &d.OriginRequestPoliciesPerAccount},
		{&l.OriginAccessControlsPerAccount, &d.OriginAccessControlsPerAccount},
		{&l.HeadersPerOriginRequestPolicy, &d.HeadersPerOriginRequestPolicy},
		{&l.CookiesPerOriginRequestPolicy, &d.CookiesPerOriginRequestPolicy},
		{&l.QueryStringsPerOriginRequestPolicy, &d.QueryStringsPerOriginRequestPolicy},
		{&l.ResponseHeadersPoliciesPerAccount, &d.ResponseHeadersPoliciesPerAccount},
		{&l.CustomHeadersPerResponseHeadersPolicy, &d.CustomHeadersPerResponseHeadersPolicy},
		{&l.RemoveHeadersPerResponseHeadersPolicy, &d.RemoveHeadersPerResponseHeadersPolicy},
		{&l.PublicKeysPerAccount, &d.PublicKeysPerAccount},
		{&l.KeyGroupsPerAccount, &d.KeyGroupsPerAccount},
		{&l.PublicKeysPerKeyGroup, &d.PublicKeysPerKeyGroup},
		{&l.FunctionsPerAccount, &d.FunctionsPerAccount},
		{&l.KeyValueStoresPerAccount, &d.KeyValueStoresPerAccount},
		{&l.CSPCharsPerResponseHeadersPolicy, &d.CSPCharsPerResponseHeadersPolicy},
	} {
		if *f.v <= 0 {
			*f.v = *f.d
		}
	}
	return l
}

// DefaultS3DomainSuffix is Amazon S3's global endpoint; with it the
// regional forms s3-<region>.amazonaws.com and s3.<region>.amazonaws.com
// are accepted too.
const DefaultS3DomainSuffix = "s3.amazonaws.com"

// Rules validate configurations. The zero value is DefaultRules().
type Rules struct {
	Limits Limits
	// S3DomainSuffixes are the endpoints an S3 origin's DomainName (and a
	// log bucket) may name, as "<bucket>.<suffix>". An operator with an
	// S3-compatible store adds its endpoint here. Nil means
	// {DefaultS3DomainSuffix}.
	S3DomainSuffixes []string
	// Origins, when set, refuses custom origins whose DomainName is an
	// address (or localhost) the policy refuses, so a tenant learns at
	// create time what edges would refuse at dial time. Nil allows any.
	Origins *originaddr.Policy

	// DomainSuffix is the domain under which distributions get their own
	// names (dxxxxxxxxxxxxx.<DomainSuffix>). No alias may lie under it, so
	// no tenant can claim another's assigned name. Empty: no such check.
	DomainSuffix string
}

// DefaultRules returns the default limits and Amazon S3's endpoint.
func DefaultRules() Rules {
	return Rules{Limits: DefaultLimits(), S3DomainSuffixes: []string{DefaultS3DomainSuffix}}
}

func (r Rules) limits() Limits { return r.Limits.withDefaults() }

func (r Rules) s3Suffixes() []string {
	if r.S3DomainSuffixes == nil {
		return []string{DefaultS3DomainSuffix}
	}
	return r.S3DomainSuffixes
}

// Value ranges of spec §4.1 and §7.
const (
	maxCallerReferenceBytes = 127 // "UTF-8 < 128 bytes"
	maxCommentChars         = 128
	maxDefaultRootObject    = 255
	maxLogPrefixChars       = 256
	maxMinTTL               = 3153600000 // 100 years
)

// ValidateDistributionConfig checks everything about c that needs no
// database, and returns nil or the *Error of the first failure. Checks run
// in a fixed order, cheap structural ones first, so a config with several
// faults always gets the same answer:
//
//  1. counts: CNAMEs, origins (none, too many), cache behaviours, then per
//     behaviour (default first) trusted signers and whitelisted cookies;
//  2. scalars: CallerReference, Comment, DefaultRootObject, PriceClass;
//  3. each alias, in order;
//  4. each origin, in order;
//  5. each behaviour, default first, then in list order;
//  6. logging;
//  7. the members 2020-05-31 added (check2020).
//
// CNAME uniqueness across distributions, the existence of OAIs and signer
// accounts, and per-account counts are the control plane's to check.
func (r Rules) ValidateDistributionConfig(c *DistributionConfig) error {
	if c == nil {
		return Errorf(MalformedXML, "DistributionConfig is missing.")
	}
	lim := r.limits()
	if err := checkCounts(c, lim); err != nil {
		return err
	}
	if err := checkCallerReference(c.CallerReference); err != nil {
		return err
	}
	if err := checkComment(c.Comment); err != nil {
		return err
	}
	if err := checkDefaultRootObject(c.DefaultRootObject); err != nil {
		return err
	}
	if err := checkPriceClass(c.PriceClass); err != nil {
		return err
	}
	if err := r.checkAliases(c.Aliases); err != nil {
		return err
	}
	if err := r.checkOrigins(c.Origins); err != nil {
		return err
	}
	if err := checkBehaviors(c); err != nil {
		return err
	}
	if err := r.checkLogging(c.Logging); err != nil {
		return err
	}
	return check2020(c, lim)
}

// checkCounts applies every list-length limit.
func checkCounts(c *DistributionConfig, lim Limits) error {
	if n := len(c.Aliases); n > lim.CNAMEsPerDistribution {
		return Errorf(TooManyDistributionCNAMEs, "Your request contains %d CNAMEs; at most %d are allowed per distribution.", n, lim.CNAMEsPerDistribution)
	}
	if len(c.Origins) == 0 {
		return Errorf(InvalidArgument, "A distribution needs at least one origin.")
	}
	if n := len(c.Origins); n > lim.OriginsPerDistribution {
		return Errorf(TooManyOrigins, "Your request contains %d origins; at most %d are allowed per distribution.", n, lim.OriginsPerDistribution)
	}
	if n := len(c.CacheBehaviors); n > lim.CacheBehaviorsPerDistribution {
		return Errorf(TooManyCacheBehaviors, "Your request contains %d cache behaviors; at most %d are allowed per distribution.", n, lim.CacheBehaviorsPerDistribution)
	}
	check := func(b *CacheBehavior) error {
		if n := len(b.TrustedSigners.Items); n > lim.TrustedSignersPerBehavior {
			return Errorf(TooManyTrustedSigners, "Your request contains %d trusted signers in one cache behavior; at most %d are allowed.", n, lim.TrustedSignersPerBehavior)
		}
		if n := len(b.Cookies.WhitelistedNames); n > lim.CookieNamesPerBehavior {
			return Errorf(TooManyCookieNamesInWhiteList, "Your request contains %d whitelisted cookie names in one cache behavior; at most %d are allowed.", n, lim.CookieNamesPerBehavior)
		}
		return nil
	}
	if err := check(&c.DefaultCacheBehavior); err != nil {
		return err
	}
	for i := range c.CacheBehaviors {
		if err := check(&c.CacheBehaviors[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkCallerReference: required, and "UTF-8 < 128 bytes" (2009 docs; the
// spec marks the bound unconfirmed for 2012, InvalidArgument is the
// generic code for a bad value).
func checkCallerReference(ref string) error {
	if ref == "" {
		return Errorf(InvalidArgument, "CallerReference must not be empty.")
	}
	if len(ref) > maxCallerReferenceBytes {
		return Errorf(InvalidArgument, "CallerReference must be shorter than 128 bytes.")
	}
	if !utf8.ValidString(ref) {
		return Errorf(InvalidArgument, "CallerReference must be UTF-8.")
	}
	return nil
}

// checkComment: ≤ 128 characters (spec §5.10; code unconfirmed, the
// generic InvalidArgument is the likely one).
func checkComment(comment string) error {
	if utf8.RuneCountInString(comment) > maxCommentChars {
		return Errorf(InvalidArgument, "The comment must be at most %d characters.", maxCommentChars)
	}
	return nil
}

// checkDefaultRootObject: empty means none; otherwise an object name of at
// most 255 characters from the set later documented (the set and length
// are unconfirmed for 2012), with no leading '/'.
func checkDefaultRootObject(obj string) error {
	if obj == "" {
		return nil
	}
	if len(obj) > maxDefaultRootObject {
		return Errorf(InvalidDefaultRootObject, "The default root object must be at most %d characters.", maxDefaultRootObject)
	}
	if obj[0] == '/' {
		return Errorf(InvalidDefaultRootObject, "The default root object must not begin with '/'.")
	}
	for i := 0; i < len(obj); i++ {
		if !rootObjectChar(obj[i]) {
			return Errorf(InvalidDefaultRootObject, "The default root object contains a character that is not allowed.")
		}
	}
	return nil
}

func rootObjectChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("_-.*$/~\"'@:+&", c) >= 0
}

// checkPriceClass: the spec leaves the code unconfirmed; an enum value the
// schema does not list is a bad argument.
func checkPriceClass(pc string) error {
	switch pc {
	case PriceClass100, PriceClass200, PriceClassAll, PriceClassNone:
		return nil
	}
	return Errorf(InvalidArgument, "PriceClass must be %s, %s, %s or %s.", PriceClass100, PriceClass200, PriceClassAll, PriceClassNone)
}

// checkLogging: when logging is on, the bucket must be an S3 bucket
// endpoint (spec §5.10: code unconfirmed, InvalidArgument likely) and the
// prefix a safe start of an object key (checkLogPrefix). Disabled logging
// is not checked: its fields are discarded (NormalizeDistributionConfig).
func (r Rules) checkLogging(l Logging) error {
	if !l.Enabled {
		return nil
	}
	if _, ok := r.s3Bucket(l.Bucket); !ok {
		return Errorf(InvalidArgument, "The logging bucket %q is not an S3 bucket endpoint such as mybucket.s3.amazonaws.com.", l.Bucket)
	}
	return checkLogPrefix(l.Prefix)
}

// Bounds of a log prefix. An S3 key is at most 1024 bytes of UTF-8; the
// edge appends "<distribution id>.YYYY-MM-DD-HH.<16 hex>.gz" (under 64
// bytes). The folder sink makes each '/'-separated segment a folder, so
// depth and segment length are bounded too: a tenant must not be able to
// build deep trees on the operator's disk, and a folder name stays under
// the usual 255-byte limit. The last part (before the generated name) is
// bounded only by the 256 characters CloudFront documents.
const (
	maxLogKeyBytes      = 1024
	maxLogGeneratedPart = 64
	maxLogPrefixDepth   = 8 // folders, i.e. '/' characters
	maxLogSegmentBytes  = 200
)

// ValidLogPrefix reports whether prefix passes checkLogPrefix: edges use
// it on configs stored before the rule existed.
func ValidLogPrefix(prefix string) bool { return checkLogPrefix(prefix) == nil }

// checkLogPrefix: at most 256 characters and 1024 bytes with the generated
// part (S3's key limit); only letters, digits, '-', '_', '.' and '/'
// (S3's "safe characters" without those a shell or a URL treats
// specially: no control characters, spaces, quotes or wildcards); no
// leading '/', no empty, "." or ".." segment, at most 8 folders. CloudFront
// itself checks little here; these rules keep a prefix harmless both as
// an S3 key and as a path under the edge's log folder.
func checkLogPrefix(prefix string) error {
	if !utf8.ValidString(prefix) {
		return Errorf(InvalidArgument, "The logging prefix must be UTF-8.")
	}
	if utf8.RuneCountInString(prefix) > maxLogPrefixChars || len(prefix)+maxLogGeneratedPart > maxLogKeyBytes {
		return Errorf(InvalidArgument, "The logging prefix must be at most %d characters and %d bytes.", maxLogPrefixChars, maxLogKeyBytes-maxLogGeneratedPart)
	}
	for _, c := range prefix {
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-' || c == '_' || c == '.' || c == '/') {
			return Errorf(InvalidArgument, "The logging prefix may contain only letters, digits, '-', '_', '.' and '/'; %q is not allowed.", c)
		}
	}
	if prefix == "" {
		return nil
	}
	segs := strings.Split(prefix, "/")
	if len(segs)-1 > maxLogPrefixDepth {
		return Errorf(InvalidArgument, "The logging prefix may name at most %d folders.", maxLogPrefixDepth)
	}
	for i, seg := range segs {
		last := i == len(segs)-1
		if seg == "" && !last || seg == "." || seg == ".." {
			return Errorf(InvalidArgument, "The logging prefix must not begin with '/' nor have an empty, '.' or '..' folder.")
		}
		if !last && len(seg) > maxLogSegmentBytes {
			return Errorf(InvalidArgument, "Each '/'-separated part of the logging prefix must be at most %d bytes.", maxLogSegmentBytes)
		}
	}
	return nil
}

// NormalizeDistributionConfig puts c in the form CloudFront stores: with
// logging disabled, IncludeCookies, Bucket and Prefix are discarded (spec
// §4.1), and aliases are lower-cased because host names are matched
// without case.
func NormalizeDistributionConfig(c *DistributionConfig) {
	if c == nil {
		return
	}
	if !c.Logging.Enabled {
		c.Logging = Logging{}
	}
	for i, a := range c.Aliases {
		c.Aliases[i] = strings.ToLower(a)
	}
	normalize2020(c)
}

// ValidateOriginAccessIdentityConfig checks an OAI config: CallerReference
// as for distributions, Comment at most 128 characters.
func (r Rules) ValidateOriginAccessIdentityConfig(c *OriginAccessIdentityConfig) error {
	if c == nil {
		return Errorf(MalformedXML, "CloudFrontOriginAccessIdentityConfig is missing.")
	}
	if err := checkCallerReference(c.CallerReference); err != nil {
		return err
	}
	return checkComment(c.Comment)
}

// EffectiveLimits returns the limits in force: r.Limits with every zero
// field at its default.
func (r Rules) EffectiveLimits() Limits { return r.limits() }
