package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// EncodeDistributionConfig encodes a <DistributionConfig> document (GET
// Distribution Config).
func EncodeDistributionConfig(c cloudfront.DistributionConfig) []byte {
	w := newDoc("DistributionConfig")
	w.distributionConfigBody(c)
	return w.bytes("DistributionConfig")
}

// EncodeDistribution encodes a <Distribution> document (POST Distribution,
// GET Distribution, PUT Distribution Config).
func EncodeDistribution(dist cloudfront.Distribution) []byte {
	w := newDoc("Distribution")
	w.text("Id", dist.ID)
	w.text("Status", dist.Status)
	w.time("LastModifiedTime", dist.LastModifiedTime)
	w.int("InProgressInvalidationBatches", int64(dist.InProgressInvalidationBatches))
	w.text("DomainName", dist.DomainName)
	w.activeTrustedSigners(dist.ActiveTrustedSigners)
	w.open("DistributionConfig")
	w.distributionConfigBody(dist.Config)
	w.close("DistributionConfig")
	return w.bytes("Distribution")
}

// EncodeDistributionList encodes a <DistributionList> of
// DistributionSummary (GET Distribution List).
func EncodeDistributionList(p cloudfront.ListPage, items []cloudfront.Distribution) []byte {
	w := newDoc("DistributionList")
	w.listHead(p, len(items))
	if len(items) > 0 {
		w.open("Items")
		for _, dist := range items {
			c := dist.Config
			w.open("DistributionSummary")
			w.text("Id", dist.ID)
			w.text("Status", dist.Status)
			w.time("LastModifiedTime", dist.LastModifiedTime)
			w.text("DomainName", dist.DomainName)
			w.strings("Aliases", "CNAME", c.Aliases)
			w.origins(c.Origins)
			w.defaultCacheBehavior(c.DefaultCacheBehavior)
			w.cacheBehaviors(c.CacheBehaviors)
			w.text("Comment", c.Comment)
			w.text("PriceClass", c.PriceClass)
			w.bool("Enabled", c.Enabled)
			w.close("DistributionSummary")
		}
		w.close("Items")
	}
	return w.bytes("DistributionList")
}

// listHead writes the children every list root starts with.
func (w *writer) listHead(p cloudfront.ListPage, n int) {
	w.text("Marker", p.Marker)
	if p.IsTruncated {
		w.text("NextMarker", p.NextMarker)
	}
	w.int("MaxItems", int64(p.MaxItems))
	w.bool("IsTruncated", p.IsTruncated)
	w.int("Quantity", int64(n))
}

func (w *writer) distributionConfigBody(c cloudfront.DistributionConfig) {
	w.text("CallerReference", c.CallerReference)
	w.strings("Aliases", "CNAME", c.Aliases)
	w.text("DefaultRootObject", c.DefaultRootObject)
	w.origins(c.Origins)
	w.defaultCacheBehavior(c.DefaultCacheBehavior)
	w.cacheBehaviors(c.CacheBehaviors)
	w.text("Comment", c.Comment)
	w.open("Logging")
	w.bool("Enabled", c.Logging.Enabled)
	w.bool("IncludeCookies", c.Logging.IncludeCookies)
	w.text("Bucket", c.Logging.Bucket)
	w.text("Prefix", c.Logging.Prefix)
	w.close("Logging")
	w.text("PriceClass", c.PriceClass)
	w.bool("Enabled", c.Enabled)
}

func (w *writer) origins(origins []cloudfront.Origin) {
	w.open("Origins")
	w.int("Quantity", int64(len(origins)))
	if len(origins) > 0 {
		w.open("Items")
		for _, o := range origins {
			w.open("Origin")
			w.text("Id", o.ID)
			w.text("DomainName", o.DomainName)
			if o.S3 != nil {
				w.open("S3OriginConfig")
				w.text("OriginAccessIdentity", o.S3.OriginAccessIdentity)
				w.close("S3OriginConfig")
			}
			if o.Custom != nil {
				w.open("CustomOriginConfig")
				w.int("HTTPPort", int64(o.Custom.HTTPPort))
				w.int("HTTPSPort", int64(o.Custom.HTTPSPort))
				w.text("OriginProtocolPolicy", o.Custom.OriginProtocolPolicy)
				w.close("CustomOriginConfig")
			}
			w.close("Origin")
		}
		w.close("Items")
	}
	w.close("Origins")
}

func (w *writer) defaultCacheBehavior(b cloudfront.CacheBehavior) {
	w.open("DefaultCacheBehavior")
	w.cacheBehaviorBody(b)
	w.close("DefaultCacheBehavior")
}

func (w *writer) cacheBehaviors(bs []cloudfront.CacheBehavior) {
	w.open("CacheBehaviors")
	w.int("Quantity", int64(len(bs)))
	if len(bs) > 0 {
		w.open("Items")
		for _, b := range bs {
			w.open("CacheBehavior")
			w.text("PathPattern", b.PathPattern)
			w.cacheBehaviorBody(b)
			w.close("CacheBehavior")
		}
		w.close("Items")
	}
	w.close("CacheBehaviors")
}

// cacheBehaviorBody writes the five children shared by DefaultCacheBehavior
// and CacheBehavior.
func (w *writer) cacheBehaviorBody(b cloudfront.CacheBehavior) {
	w.text("TargetOriginId", b.TargetOriginID)
	w.open("ForwardedValues")
	w.bool("QueryString", b.QueryString)
	w.open("Cookies")
	forward := b.Cookies.Forward
	if !b.LegacyCacheSettings() {
		// A behaviour with a cache policy (2020-05-31) has no ForwardedValues;
		// 2012-07-01 requires them, and "none" is what sending it back keeps
		// (cloudfront.KeepLaterMembers).
		forward = cloudfront.ForwardNone
	}
	w.text("Forward", forward)
	if b.Cookies.WhitelistedNames != nil {
		w.strings("WhitelistedNames", "Name", b.Cookies.WhitelistedNames)
	}
	w.close("Cookies")
	w.close("ForwardedValues")
	w.trustedSigners(b.TrustedSigners)
	w.text("ViewerProtocolPolicy", b.ViewerProtocolPolicy)
	w.int("MinTTL", b.MinTTL)
}

// trustedSigners writes a TrustedSigners element, of a cache behaviour or
// a streaming distribution.
func (w *writer) trustedSigners(ts cloudfront.TrustedSigners) {
	w.open("TrustedSigners")
	w.bool("Enabled", ts.Enabled)
	w.int("Quantity", int64(len(ts.Items)))
	if len(ts.Items) > 0 {
		w.open("Items")
		for _, s := range ts.Items {
			w.text("AwsAccountNumber", s)
		}
		w.close("Items")
	}
	w.close("TrustedSigners")
}

func (w *writer) activeTrustedSigners(a cloudfront.ActiveTrustedSigners) {
	w.open("ActiveTrustedSigners")
	w.bool("Enabled", a.Enabled)
	w.int("Quantity", int64(len(a.Items)))
	if len(a.Items) > 0 {
		w.open("Items")
		for _, s := range a.Items {
			w.open("Signer")
			w.text("AwsAccountNumber", s.AwsAccountNumber)
			w.strings("KeyPairIds", "KeyPairId", s.KeyPairIDs)
			w.close("Signer")
		}
		w.close("Items")
	}
	w.close("ActiveTrustedSigners")
}
