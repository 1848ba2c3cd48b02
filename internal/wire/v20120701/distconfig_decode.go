package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
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
	if err := d.Result(); err != nil {
		return cloudfront.DistributionConfig{}, err
	}
	if err := check2012Enums(&c); err != nil {
		return cloudfront.DistributionConfig{}, err
	}
	return c, nil
}

func (d *decoder) distributionConfig(n *node) cloudfront.DistributionConfig {
	f := d.Open(n, "CallerReference", "Aliases", "DefaultRootObject", "Origins",
		"DefaultCacheBehavior", "CacheBehaviors", "Comment", "Logging", "PriceClass", "Enabled")
	c := cloudfront.DistributionConfig{
		CallerReference:   d.Str(f.Req("CallerReference")),
		Aliases:           d.Strings(f.Req("Aliases"), "CNAME"),
		DefaultRootObject: d.Str(f.Req("DefaultRootObject")),
	}
	for _, o := range d.List(f.Req("Origins"), "Origin") {
		c.Origins = append(c.Origins, d.origin(o))
	}
	c.DefaultCacheBehavior = d.cacheBehavior(f.Req("DefaultCacheBehavior"), false)
	for _, b := range d.List(f.Req("CacheBehaviors"), "CacheBehavior") {
		c.CacheBehaviors = append(c.CacheBehaviors, d.cacheBehavior(b, true))
	}
	c.Comment = d.Str(f.Req("Comment"))
	c.Logging = d.logging(f.Req("Logging"))
	c.PriceClass = d.Str(f.Req("PriceClass"))
	c.Enabled = d.Boolean(f.Req("Enabled"))
	return c
}

func (d *decoder) origin(n *node) cloudfront.Origin {
	f := d.Open(n, "Id", "DomainName", "S3OriginConfig", "CustomOriginConfig")
	o := cloudfront.Origin{
		ID:         d.Str(f.Req("Id")),
		DomainName: d.Str(f.Req("DomainName")),
	}
	// Both or neither is carried through; validation rejects it.
	if s := f.Opt("S3OriginConfig"); s != nil {
		sf := d.Open(s, "OriginAccessIdentity")
		o.S3 = &cloudfront.S3OriginConfig{OriginAccessIdentity: d.Str(sf.Req("OriginAccessIdentity"))}
	}
	if c := f.Opt("CustomOriginConfig"); c != nil {
		cf := d.Open(c, "HTTPPort", "HTTPSPort", "OriginProtocolPolicy")
		o.Custom = &cloudfront.CustomOriginConfig{
			HTTPPort:             d.IntegerInt(cf.Req("HTTPPort")),
			HTTPSPort:            d.IntegerInt(cf.Req("HTTPSPort")),
			OriginProtocolPolicy: d.Str(cf.Req("OriginProtocolPolicy")),
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
		if n != nil && !d.Failed() && len(n.Kids) == 0 {
			d.Fail("element %s is empty", n.Path)
		}
	}
	f := d.Open(n, names...)
	var b cloudfront.CacheBehavior
	if withPattern {
		b.PathPattern = d.Str(f.Req("PathPattern"))
	}
	b.TargetOriginID = d.Str(f.Req("TargetOriginId"))

	fv := d.Open(f.Req("ForwardedValues"), "QueryString", "Cookies")
	b.QueryString = d.Boolean(fv.Req("QueryString"))
	cf := d.Open(fv.Req("Cookies"), "Forward", "WhitelistedNames")
	b.Cookies.Forward = d.Str(cf.Req("Forward"))
	if wl := cf.Opt("WhitelistedNames"); wl != nil {
		// Present means non-nil, even when empty: validation tells an
		// empty whitelist from none.
		b.Cookies.WhitelistedNames = append([]string{}, d.Strings(wl, "Name")...)
	}

	b.TrustedSigners = shapes.DecodeTrustedSigners(&d.Decoder, f.Req("TrustedSigners"))

	b.ViewerProtocolPolicy = d.Str(f.Req("ViewerProtocolPolicy"))
	b.MinTTL = d.Integer(f.Req("MinTTL"), 64)
	return b
}

func (d *decoder) logging(n *node) cloudfront.Logging {
	f := d.Open(n, "Enabled", "IncludeCookies", "Bucket", "Prefix")
	return cloudfront.Logging{
		Enabled:        d.Boolean(f.Req("Enabled")),
		IncludeCookies: d.Boolean(f.Req("IncludeCookies")),
		Bucket:         d.Str(f.Req("Bucket")),
		Prefix:         d.Str(f.Req("Prefix")),
	}
}
