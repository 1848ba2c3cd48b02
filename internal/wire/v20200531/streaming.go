package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
)

// DecodeStreamingDistributionConfig decodes a StreamingDistributionConfig
// request body. Aliases, Logging and PriceClass are optional in
// 2020-05-31; absent, they are none, disabled and PriceClass_All.
func DecodeStreamingDistributionConfig(body []byte) (cloudfront.StreamingDistributionConfig, error) {
	root, err := parse(body, "StreamingDistributionConfig")
	if err != nil {
		return cloudfront.StreamingDistributionConfig{}, err
	}
	var d decoder
	c := d.streamingConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.StreamingDistributionConfig{}, err
	}
	return c, nil
}

// DecodeStreamingDistributionConfigWithTags decodes a
// StreamingDistributionConfigWithTags request body.
func DecodeStreamingDistributionConfigWithTags(body []byte) (cloudfront.StreamingDistributionConfig, []cloudfront.Tag, error) {
	root, err := parse(body, "StreamingDistributionConfigWithTags")
	if err != nil {
		return cloudfront.StreamingDistributionConfig{}, nil, err
	}
	var d decoder
	f := d.Open(root, "StreamingDistributionConfig", "Tags")
	c := d.streamingConfig(f.Req("StreamingDistributionConfig"))
	tags := d.tags(f.Req("Tags"))
	if err := d.Result(); err != nil {
		return cloudfront.StreamingDistributionConfig{}, nil, err
	}
	return c, tags, nil
}

func (d *decoder) streamingConfig(n *node) cloudfront.StreamingDistributionConfig {
	f := d.Open(n, "CallerReference", "S3Origin", "Aliases", "Comment", "Logging",
		"TrustedSigners", "PriceClass", "Enabled")
	c := cloudfront.StreamingDistributionConfig{CallerReference: d.Str(f.Req("CallerReference"))}
	o := d.Open(f.Req("S3Origin"), "DomainName", "OriginAccessIdentity")
	c.S3Origin = cloudfront.S3Origin{
		DomainName:           d.Str(o.Req("DomainName")),
		OriginAccessIdentity: d.Str(o.Req("OriginAccessIdentity")),
	}
	if a := f.Opt("Aliases"); a != nil {
		c.Aliases = d.Strings(a, "CNAME")
	}
	c.Comment = d.Str(f.Req("Comment"))
	if l := f.Opt("Logging"); l != nil {
		lf := d.Open(l, "Enabled", "Bucket", "Prefix")
		c.Logging = cloudfront.StreamingLogging{
			Enabled: d.Boolean(lf.Req("Enabled")),
			Bucket:  d.Str(lf.Req("Bucket")),
			Prefix:  d.Str(lf.Req("Prefix")),
		}
	}
	c.TrustedSigners = shapes.DecodeTrustedSigners(&d.Decoder, f.Req("TrustedSigners"))
	c.PriceClass = cloudfront.PriceClassAll
	if pc := f.Opt("PriceClass"); pc != nil {
		c.PriceClass = d.Str(pc)
	}
	c.Enabled = d.Boolean(f.Req("Enabled"))
	return c
}

// EncodeStreamingDistributionConfig encodes a <StreamingDistributionConfig>
// document.
func EncodeStreamingDistributionConfig(c cloudfront.StreamingDistributionConfig) []byte {
	return shapes.EncodeStreamingDistributionConfig(Namespace, c)
}

// EncodeStreamingDistribution encodes a <StreamingDistribution> document,
// with its ARN.
func EncodeStreamingDistribution(sd cloudfront.StreamingDistribution) []byte {
	return shapes.EncodeStreamingDistribution(Namespace, sd, true)
}

// EncodeStreamingDistributionList encodes a <StreamingDistributionList>,
// each summary with its ARN.
func EncodeStreamingDistributionList(p cloudfront.ListPage, items []cloudfront.StreamingDistribution) []byte {
	return shapes.EncodeStreamingDistributionList(Namespace, p, items, true)
}
