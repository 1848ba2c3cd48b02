package cloudfront

import "strings"

// OAIReferencePrefix begins every S3OriginConfig/OriginAccessIdentity.
const OAIReferencePrefix = "origin-access-identity/cloudfront/"

// maxOAIIDLength bounds the id in a reference; real ids are 13–14
// characters, the documentation's examples 15.
const maxOAIIDLength = 32

// checkOrigins checks each origin in order: Id, DomainName, the kind of
// origin, then the kind's own settings.
func (r Rules) checkOrigins(origins []Origin) error {
	for i := range origins {
		o := &origins[i]
		if o.ID == "" {
			return Errorf(InvalidArgument, "Origin %d has an empty Id.", i+1)
		}
		for _, p := range origins[:i] {
			if p.ID == o.ID {
				// Unconfirmed code (spec §5.5); a bad value, so InvalidArgument.
				return Errorf(InvalidArgument, "The origin Id %q is used more than once.", o.ID)
			}
		}
		if o.DomainName == "" {
			return Errorf(InvalidArgument, "Origin %q has an empty DomainName.", o.ID)
		}
		if kinds := btoi(o.S3 != nil) + btoi(o.Custom != nil) + btoi(o.VPCOrigin != nil); kinds != 1 {
			// Both or neither: unconfirmed code (spec §5.5). The decoder has
			// parsed both elements fine, so this is a bad argument, not bad XML.
			return Errorf(InvalidArgument, "Origin %q must have exactly one of S3OriginConfig, CustomOriginConfig and VpcOriginConfig.", o.ID)
		}
		var err error
		switch {
		case o.S3 != nil:
			err = r.checkS3Origin(o)
		case o.Custom != nil:
			err = r.checkCustomOrigin(o)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkS3Origin: the domain must be "<bucket>.<suffix>" for a configured
// suffix (InvalidOrigin), and a non-empty OAI must have the reference form
// (InvalidOriginAccessIdentity; whether it exists is the control plane's
// question). The generic host check is skipped here so that an operator's
// suffix may carry a port for an S3-compatible store.
func (r Rules) checkS3Origin(o *Origin) error {
	if _, ok := r.s3Bucket(o.DomainName); !ok {
		return Errorf(InvalidOrigin, "The S3 origin %q is not an S3 bucket endpoint such as mybucket.s3.amazonaws.com.", o.DomainName)
	}
	if ref := o.S3.OriginAccessIdentity; ref != "" {
		if _, ok := OAIIDFromReference(ref); !ok {
			return Errorf(InvalidOriginAccessIdentity, "The origin access identity %q is not of the form %s{Id}.", ref, OAIReferencePrefix)
		}
	}
	return nil
}

// checkCustomOrigin: a host name, ports 80, 443 or 1024–65535 (later
// documentation; unconfirmed for 2012), and a 2012 protocol policy.
func (r Rules) checkCustomOrigin(o *Origin) error {
	if !validHostname(o.DomainName) {
		return Errorf(InvalidArgument, "The origin domain name %q is not a valid host name.", o.DomainName)
	}
	if r.Origins != nil {
		if err := r.Origins.CheckHost(o.DomainName); err != nil {
			return Errorf(InvalidArgument, "The origin domain name %q is not allowed: %v.", o.DomainName, err)
		}
	}
	c := o.Custom
	if !validOriginPort(c.HTTPPort) {
		return Errorf(InvalidArgument, "HTTPPort %d of origin %q must be 80, 443 or 1024-65535.", c.HTTPPort, o.ID)
	}
	if !validOriginPort(c.HTTPSPort) {
		return Errorf(InvalidArgument, "HTTPSPort %d of origin %q must be 80, 443 or 1024-65535.", c.HTTPSPort, o.ID)
	}
	switch c.OriginProtocolPolicy {
	case OriginHTTPOnly, OriginMatchViewer, OriginHTTPSOnly:
	default:
		// Enum violations: InvalidArgument or MalformedXML (spec §5.7,
		// unconfirmed); the value parsed, so it is an argument error.
		return Errorf(InvalidArgument, "OriginProtocolPolicy must be %s, %s or %s.", OriginHTTPOnly, OriginMatchViewer, OriginHTTPSOnly)
	}
	return nil
}

func validOriginPort(p int) bool { return p == 80 || p == 443 || (p >= 1024 && p <= 65535) }

// OAIIDFromReference returns the id in "origin-access-identity/cloudfront/{Id}";
// ok is false unless ref has that form and the id is upper-case letters and
// digits.
func OAIIDFromReference(ref string) (id string, ok bool) {
	id, ok = strings.CutPrefix(ref, OAIReferencePrefix)
	if !ok || id == "" || len(id) > maxOAIIDLength {
		return "", false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return "", false
		}
	}
	return id, true
}

// s3Bucket returns the bucket named by an S3 endpoint host "<bucket>.<suffix>".
// Suffixes compare without case; the bucket must be a DNS-compatible bucket
// name, the only kind a virtual-hosted endpoint can address.
func (r Rules) s3Bucket(host string) (bucket string, ok bool) {
	h := strings.ToLower(host)
	for _, suffix := range r.s3Suffixes() {
		suffix = strings.ToLower(suffix)
		if suffix == "" {
			continue
		}
		if b, found := strings.CutSuffix(h, "."+suffix); found && validBucket(b) {
			return b, true
		}
		if suffix == DefaultS3DomainSuffix {
			if b, found := regionalS3Bucket(h); found && validBucket(b) {
				return b, true
			}
		}
	}
	return "", false
}

// regionalS3Bucket recognises "<bucket>.s3-<region>.amazonaws.com" and
// "<bucket>.s3.<region>.amazonaws.com". Website endpoints (s3-website-…)
// are not S3 origins: CloudFront treats them as custom origins.
func regionalS3Bucket(h string) (string, bool) {
	rest, ok := strings.CutSuffix(h, ".amazonaws.com")
	if !ok {
		return "", false
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return "", false
	}
	last := rest[dot+1:]
	if region, ok := strings.CutPrefix(last, "s3-"); ok {
		if !validRegion(region) {
			return "", false
		}
		return rest[:dot], true
	}
	if !validRegion(last) {
		return "", false
	}
	rest = rest[:dot]
	bucket, ok := strings.CutSuffix(rest, ".s3")
	return bucket, ok
}

// validRegion accepts region-like labels such as "us-west-2" or
// "external-1": lower-case letters, digits and inner hyphens, with a
// hyphen somewhere.
func validRegion(s string) bool {
	if strings.HasPrefix(s, "website") || !strings.Contains(s, "-") {
		return false
	}
	return validLabel(s) && s == strings.ToLower(s)
}

// validBucket accepts DNS-compatible S3 bucket names: 3–63 characters of
// lower-case letters, digits, '.' and '-', beginning and ending with a
// letter or digit, with no empty label. S3's naming rules also refuse
// names formatted as IPv4 addresses and its reserved prefixes and
// suffixes; those are refused too, since no S3 bucket can have them.
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 || b != strings.ToLower(b) {
		return false
	}
	for _, label := range strings.Split(b, ".") {
		if !validLabel(label) {
			return false
		}
	}
	if dottedQuad(b) {
		return false
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(b, p) {
			return false
		}
	}
	for _, s := range reservedBucketSuffixes {
		if strings.HasSuffix(b, s) {
			return false
		}
	}
	return true
}

// Reserved by S3's bucket naming rules (Amazon S3 User Guide, "Bucket
// naming rules").
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3"}
)

// dottedQuad reports whether b looks like an IPv4 address: four labels of
// digits only.
func dottedQuad(b string) bool {
	labels := strings.Split(b, ".")
	if len(labels) != 4 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 3 || strings.Trim(l, "0123456789") != "" {
			return false
		}
	}
	return true
}

// ValidBucketName reports whether name follows S3's naming rules for a
// bucket that virtual-hosted endpoints (and so CloudFront) can address.
func ValidBucketName(name string) bool { return validBucket(name) }

// validHostname accepts a DNS host name of at most 253 characters whose
// labels are 1–63 letters, digits and inner hyphens. Dotted IPv4 addresses
// pass too, as custom origins may be addresses. No wildcard, no trailing dot.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for len(h) > 0 {
		label := h
		if i := strings.IndexByte(h, '.'); i >= 0 {
			label, h = h[:i], h[i+1:]
			if h == "" {
				return false // trailing dot
			}
		} else {
			h = ""
		}
		if !validLabel(label) {
			return false
		}
	}
	return true
}

// validLabel: 1–63 letters, digits and hyphens, not beginning or ending
// with a hyphen (RFC 1123).
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if c := l[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// S3BucketName returns the bucket an S3 endpoint host such as
// "mybucket.s3.amazonaws.com" names, for the suffixes r admits.
func (r Rules) S3BucketName(host string) (string, bool) { return r.s3Bucket(host) }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
