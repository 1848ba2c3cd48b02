package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// EncodeDistributionConfig encodes a <DistributionConfig> document (GET
// Distribution Config).
func EncodeDistributionConfig(c cloudfront.DistributionConfig) []byte {
	w := newDoc("DistributionConfig")
	w.distributionConfigBody(c)
	return w.Bytes("DistributionConfig")
}

// EncodeDistribution encodes a <Distribution> document (POST Distribution,
// GET Distribution, PUT Distribution Config).
func EncodeDistribution(dist cloudfront.Distribution) []byte {
	w := newDoc("Distribution")
	w.Text("Id", dist.ID)
	w.Text("Status", dist.Status)
	w.Time("LastModifiedTime", dist.LastModifiedTime)
	w.Int("InProgressInvalidationBatches", int64(dist.InProgressInvalidationBatches))
	w.Text("DomainName", dist.DomainName)
	shapes.ActiveTrustedSigners(w.Writer, dist.ActiveTrustedSigners)
	w.Open("DistributionConfig")
	w.distributionConfigBody(dist.Config)
	w.Close("DistributionConfig")
	return w.Bytes("Distribution")
}

// EncodeDistributionList encodes a <DistributionList> of
// DistributionSummary (GET Distribution List).
func EncodeDistributionList(p cloudfront.ListPage, items []cloudfront.Distribution) []byte {
	return shapes.List(Namespace, "DistributionList", p, items, func(xw *xmlwire.Writer, dist cloudfront.Distribution) {
		w := &writer{xw}
		c := dist.Config
		w.Open("DistributionSummary")
		w.Text("Id", dist.ID)
		w.Text("Status", dist.Status)
		w.Time("LastModifiedTime", dist.LastModifiedTime)
		w.Text("DomainName", dist.DomainName)
		w.Strings("Aliases", "CNAME", c.Aliases)
		w.origins(c.Origins)
		w.defaultCacheBehavior(c.DefaultCacheBehavior)
		w.cacheBehaviors(c.CacheBehaviors)
		w.Text("Comment", c.Comment)
		w.Text("PriceClass", c.PriceClass)
		w.Bool("Enabled", c.Enabled)
		w.Close("DistributionSummary")
	})
}

func (w *writer) distributionConfigBody(c cloudfront.DistributionConfig) {
	w.Text("CallerReference", c.CallerReference)
	w.Strings("Aliases", "CNAME", c.Aliases)
	w.Text("DefaultRootObject", c.DefaultRootObject)
	w.origins(c.Origins)
	w.defaultCacheBehavior(c.DefaultCacheBehavior)
	w.cacheBehaviors(c.CacheBehaviors)
	w.Text("Comment", c.Comment)
	w.Open("Logging")
	w.Bool("Enabled", c.Logging.Enabled)
	w.Bool("IncludeCookies", c.Logging.IncludeCookies)
	w.Text("Bucket", c.Logging.Bucket)
	w.Text("Prefix", c.Logging.Prefix)
	w.Close("Logging")
	w.Text("PriceClass", c.PriceClass)
	w.Bool("Enabled", c.Enabled)
}

func (w *writer) origins(origins []cloudfront.Origin) {
	w.Open("Origins")
	xmlwire.QuantityItems(w.Writer, origins, func(o cloudfront.Origin) {
		w.Open("Origin")
		w.Text("Id", o.ID)
		w.Text("DomainName", o.DomainName)
		if o.S3 != nil {
			w.Open("S3OriginConfig")
			w.Text("OriginAccessIdentity", o.S3.OriginAccessIdentity)
			w.Close("S3OriginConfig")
		}
		if o.Custom != nil {
			w.Open("CustomOriginConfig")
			w.Int("HTTPPort", int64(o.Custom.HTTPPort))
			w.Int("HTTPSPort", int64(o.Custom.HTTPSPort))
			w.Text("OriginProtocolPolicy", o.Custom.OriginProtocolPolicy)
			w.Close("CustomOriginConfig")
		}
		w.Close("Origin")
	})
	w.Close("Origins")
}

func (w *writer) defaultCacheBehavior(b cloudfront.CacheBehavior) {
	w.Open("DefaultCacheBehavior")
	w.cacheBehaviorBody(b)
	w.Close("DefaultCacheBehavior")
}

func (w *writer) cacheBehaviors(bs []cloudfront.CacheBehavior) {
	w.Open("CacheBehaviors")
	xmlwire.QuantityItems(w.Writer, bs, func(b cloudfront.CacheBehavior) {
		w.Open("CacheBehavior")
		w.Text("PathPattern", b.PathPattern)
		w.cacheBehaviorBody(b)
		w.Close("CacheBehavior")
	})
	w.Close("CacheBehaviors")
}

// cacheBehaviorBody writes the five children shared by DefaultCacheBehavior
// and CacheBehavior.
func (w *writer) cacheBehaviorBody(b cloudfront.CacheBehavior) {
	w.Text("TargetOriginId", b.TargetOriginID)
	w.Open("ForwardedValues")
	w.Bool("QueryString", b.QueryString)
	w.Open("Cookies")
	forward := b.Cookies.Forward
	if !b.LegacyCacheSettings() {
		// A behaviour with a cache policy (2020-05-31) has no ForwardedValues;
		// 2012-07-01 requires them, and "none" is what sending it back keeps
		// (cloudfront.KeepLaterMembers).
		forward = cloudfront.ForwardNone
	}
	w.Text("Forward", forward)
	if b.Cookies.WhitelistedNames != nil {
		w.Strings("WhitelistedNames", "Name", b.Cookies.WhitelistedNames)
	}
	w.Close("Cookies")
	w.Close("ForwardedValues")
	shapes.TrustedSigners(w.Writer, b.TrustedSigners)
	w.Text("ViewerProtocolPolicy", b.ViewerProtocolPolicy)
	w.Int("MinTTL", b.MinTTL)
}
