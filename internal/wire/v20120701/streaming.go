package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// DecodeStreamingDistributionConfig decodes a StreamingDistributionConfig
// request body (POST Streaming Distribution, PUT Streaming Distribution
// Config).
func DecodeStreamingDistributionConfig(body []byte) (cloudfront.StreamingDistributionConfig, error) {
	root, err := parse(body, "StreamingDistributionConfig")
	if err != nil {
		return cloudfront.StreamingDistributionConfig{}, err
	}
	var d decoder
	f := d.open(root, "CallerReference", "S3Origin", "Aliases", "Comment", "Logging",
		"TrustedSigners", "PriceClass", "Enabled")
	c := cloudfront.StreamingDistributionConfig{CallerReference: d.str(f.req("CallerReference"))}
	o := d.open(f.req("S3Origin"), "DomainName", "OriginAccessIdentity")
	c.S3Origin = cloudfront.S3Origin{
		DomainName:           d.str(o.req("DomainName")),
		OriginAccessIdentity: d.str(o.req("OriginAccessIdentity")),
	}
	c.Aliases = d.strings(f.req("Aliases"), "CNAME")
	c.Comment = d.str(f.req("Comment"))
	l := d.open(f.req("Logging"), "Enabled", "Bucket", "Prefix")
	c.Logging = cloudfront.StreamingLogging{
		Enabled: d.boolean(l.req("Enabled")),
		Bucket:  d.str(l.req("Bucket")),
		Prefix:  d.str(l.req("Prefix")),
	}
	c.TrustedSigners = d.trustedSigners(f.req("TrustedSigners"))
	c.PriceClass = d.str(f.req("PriceClass"))
	c.Enabled = d.boolean(f.req("Enabled"))
	if err := d.result(); err != nil {
		return cloudfront.StreamingDistributionConfig{}, err
	}
	if err := checkPriceClass2012(c.PriceClass); err != nil {
		return cloudfront.StreamingDistributionConfig{}, err
	}
	return c, nil
}

// EncodeStreamingDistributionConfig encodes a <StreamingDistributionConfig>
// document (GET Streaming Distribution Config).
func EncodeStreamingDistributionConfig(c cloudfront.StreamingDistributionConfig) []byte {
	w := newDoc("StreamingDistributionConfig")
	w.streamingConfigBody(c)
	return w.bytes("StreamingDistributionConfig")
}

// EncodeStreamingDistribution encodes a <StreamingDistribution> document
// (POST, GET, PUT of a streaming distribution). It has no
// InProgressInvalidationBatches.
func EncodeStreamingDistribution(sd cloudfront.StreamingDistribution) []byte {
	w := newDoc("StreamingDistribution")
	w.text("Id", sd.ID)
	w.text("Status", sd.Status)
	w.time("LastModifiedTime", sd.LastModifiedTime)
	w.text("DomainName", sd.DomainName)
	w.activeTrustedSigners(sd.ActiveTrustedSigners)
	w.open("StreamingDistributionConfig")
	w.streamingConfigBody(sd.Config)
	w.close("StreamingDistributionConfig")
	return w.bytes("StreamingDistribution")
}

// EncodeStreamingDistributionList encodes a <StreamingDistributionList> of
// StreamingDistributionSummary (GET Streaming Distribution List).
func EncodeStreamingDistributionList(p cloudfront.ListPage, items []cloudfront.StreamingDistribution) []byte {
	w := newDoc("StreamingDistributionList")
	w.listHead(p, len(items))
	if len(items) > 0 {
		w.open("Items")
		for _, sd := range items {
			c := sd.Config
			w.open("StreamingDistributionSummary")
			w.text("Id", sd.ID)
			w.text("Status", sd.Status)
			w.time("LastModifiedTime", sd.LastModifiedTime)
			w.text("DomainName", sd.DomainName)
			w.s3Origin(c.S3Origin)
			w.strings("Aliases", "CNAME", c.Aliases)
			w.trustedSigners(c.TrustedSigners)
			w.text("Comment", c.Comment)
			w.text("PriceClass", c.PriceClass)
			w.bool("Enabled", c.Enabled)
			w.close("StreamingDistributionSummary")
		}
		w.close("Items")
	}
	return w.bytes("StreamingDistributionList")
}

func (w *writer) streamingConfigBody(c cloudfront.StreamingDistributionConfig) {
	w.text("CallerReference", c.CallerReference)
	w.s3Origin(c.S3Origin)
	w.strings("Aliases", "CNAME", c.Aliases)
	w.text("Comment", c.Comment)
	w.open("Logging")
	w.bool("Enabled", c.Logging.Enabled)
	w.text("Bucket", c.Logging.Bucket)
	w.text("Prefix", c.Logging.Prefix)
	w.close("Logging")
	w.trustedSigners(c.TrustedSigners)
	w.text("PriceClass", c.PriceClass)
	w.bool("Enabled", c.Enabled)
}

func (w *writer) s3Origin(o cloudfront.S3Origin) {
	w.open("S3Origin")
	w.text("DomainName", o.DomainName)
	w.text("OriginAccessIdentity", o.OriginAccessIdentity)
	w.close("S3Origin")
}
