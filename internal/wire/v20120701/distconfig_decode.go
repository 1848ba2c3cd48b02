package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// DecodeDistributionConfig decodes a DistributionConfig request body
// (POST Distribution, PUT Distribution Config).
func DecodeDistributionConfig(body []byte) (cloudfront.DistributionConfig, error) {
	root, err := parse(body, "DistributionConfig")
	if err != nil {
		return cloudfront.DistributionConfig{}, err
	}
	var d decoder
	c := d.distributionConfig(root)
	if err := d.result(); err != nil {
		return cloudfront.DistributionConfig{}, err
	}
	if err := check2012Enums(&c); err != nil {
		return cloudfront.DistributionConfig{}, err
	}
	return c, nil
}

func (d *decoder) distributionConfig(n *node) cloudfront.DistributionConfig {
	f := d.open(n, "CallerReference", "Aliases", "DefaultRootObject", "Origins",
		"DefaultCacheBehavior", "CacheBehaviors", "Comment", "Logging", "PriceClass", "Enabled")
	c := cloudfront.DistributionConfig{
		CallerReference:   d.str(f.req("CallerReference")),
		Aliases:           d.strings(f.req("Aliases"), "CNAME"),
		DefaultRootObject: d.str(f.req("DefaultRootObject")),
	}
	for _, o := range d.list(f.req("Origins"), "Origin") {
		c.Origins = append(c.Origins, d.origin(o))
	}
	c.DefaultCacheBehavior = d.cacheBehavior(f.req("DefaultCacheBehavior"), false)
	for _, b := range d.list(f.req("CacheBehaviors"), "CacheBehavior") {
		c.CacheBehaviors = append(c.CacheBehaviors, d.cacheBehavior(b, true))
	}
	c.Comment = d.str(f.req("Comment"))
	c.Logging = d.logging(f.req("Logging"))
	c.PriceClass = d.str(f.req("PriceClass"))
	c.Enabled = d.boolean(f.req("Enabled"))
	return c
}

func (d *decoder) origin(n *node) cloudfront.Origin {
	f := d.open(n, "Id", "DomainName", "S3OriginConfig", "CustomOriginConfig")
	o := cloudfront.Origin{
		ID:         d.str(f.req("Id")),
		DomainName: d.str(f.req("DomainName")),
	}
	// Both or neither is carried through; validation rejects it.
	if s := f.opt("S3OriginConfig"); s != nil {
		sf := d.open(s, "OriginAccessIdentity")
		o.S3 = &cloudfront.S3OriginConfig{OriginAccessIdentity: d.str(sf.req("OriginAccessIdentity"))}
	}
	if c := f.opt("CustomOriginConfig"); c != nil {
		cf := d.open(c, "HTTPPort", "HTTPSPort", "OriginProtocolPolicy")
		o.Custom = &cloudfront.CustomOriginConfig{
			HTTPPort:             d.integerInt(cf.req("HTTPPort")),
			HTTPSPort:            d.integerInt(cf.req("HTTPSPort")),
			OriginProtocolPolicy: d.str(cf.req("OriginProtocolPolicy")),
		}
	}
	return o
}

// cacheBehavior decodes DefaultCacheBehavior (withPattern false) or one
// CacheBehavior (withPattern true, PathPattern required).
func (d *decoder) cacheBehavior(n *node, withPattern bool) cloudfront.CacheBehavior {
	names := []string{"TargetOriginId", "ForwardedValues", "TrustedSigners", "ViewerProtocolPolicy", "MinTTL"}
	if withPattern {
		names = append(names, "PathPattern")
		if n != nil && d.err == nil && len(n.kids) == 0 {
			d.fail("element %s is empty", n.path)
		}
	}
	f := d.open(n, names...)
	var b cloudfront.CacheBehavior
	if withPattern {
		b.PathPattern = d.str(f.req("PathPattern"))
	}
	b.TargetOriginID = d.str(f.req("TargetOriginId"))

	fv := d.open(f.req("ForwardedValues"), "QueryString", "Cookies")
	b.QueryString = d.boolean(fv.req("QueryString"))
	cf := d.open(fv.req("Cookies"), "Forward", "WhitelistedNames")
	b.Cookies.Forward = d.str(cf.req("Forward"))
	if wl := cf.opt("WhitelistedNames"); wl != nil {
		// Present means non-nil, even when empty: validation tells an
		// empty whitelist from none.
		b.Cookies.WhitelistedNames = append([]string{}, d.strings(wl, "Name")...)
	}

	b.TrustedSigners = d.trustedSigners(f.req("TrustedSigners"))

	b.ViewerProtocolPolicy = d.str(f.req("ViewerProtocolPolicy"))
	b.MinTTL = d.integer(f.req("MinTTL"), 64)
	return b
}

// trustedSigners decodes a TrustedSigners element, of a cache behaviour or
// a streaming distribution.
func (d *decoder) trustedSigners(n *node) cloudfront.TrustedSigners {
	ts := d.open(n, "Enabled", "Quantity", "Items")
	return cloudfront.TrustedSigners{
		Enabled: d.boolean(ts.req("Enabled")),
		Items:   d.texts(d.items(ts, "AwsAccountNumber")),
	}
}

func (d *decoder) logging(n *node) cloudfront.Logging {
	f := d.open(n, "Enabled", "IncludeCookies", "Bucket", "Prefix")
	return cloudfront.Logging{
		Enabled:        d.boolean(f.req("Enabled")),
		IncludeCookies: d.boolean(f.req("IncludeCookies")),
		Bucket:         d.str(f.req("Bucket")),
		Prefix:         d.str(f.req("Prefix")),
	}
}
