package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
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
	f := d.Open(root, "CallerReference", "S3Origin", "Aliases", "Comment", "Logging",
		"TrustedSigners", "PriceClass", "Enabled")
	c := cloudfront.StreamingDistributionConfig{CallerReference: d.Str(f.Req("CallerReference"))}
	o := d.Open(f.Req("S3Origin"), "DomainName", "OriginAccessIdentity")
	c.S3Origin = cloudfront.S3Origin{
		DomainName:           d.Str(o.Req("DomainName")),
		OriginAccessIdentity: d.Str(o.Req("OriginAccessIdentity")),
	}
	c.Aliases = d.Strings(f.Req("Aliases"), "CNAME")
	c.Comment = d.Str(f.Req("Comment"))
	l := d.Open(f.Req("Logging"), "Enabled", "Bucket", "Prefix")
	c.Logging = cloudfront.StreamingLogging{
		Enabled: d.Boolean(l.Req("Enabled")),
		Bucket:  d.Str(l.Req("Bucket")),
		Prefix:  d.Str(l.Req("Prefix")),
	}
	c.TrustedSigners = shapes.DecodeTrustedSigners(&d.Decoder, f.Req("TrustedSigners"))
	c.PriceClass = d.Str(f.Req("PriceClass"))
	c.Enabled = d.Boolean(f.Req("Enabled"))
	if err := d.Result(); err != nil {
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
	return shapes.EncodeStreamingDistributionConfig(Namespace, c)
}

// EncodeStreamingDistribution encodes a <StreamingDistribution> document
// (POST, GET, PUT of a streaming distribution).
func EncodeStreamingDistribution(sd cloudfront.StreamingDistribution) []byte {
	return shapes.EncodeStreamingDistribution(Namespace, sd, false)
}

// EncodeStreamingDistributionList encodes a <StreamingDistributionList> of
// StreamingDistributionSummary (GET Streaming Distribution List).
func EncodeStreamingDistributionList(p cloudfront.ListPage, items []cloudfront.StreamingDistribution) []byte {
	return shapes.EncodeStreamingDistributionList(Namespace, p, items, false)
}
