package shapes

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// Streaming distributions are encoded alike by both versions, but that
// 2020-05-31 adds each one's ARN after its Id (withARN).

// EncodeStreamingDistributionConfig encodes a <StreamingDistributionConfig>
// document.
func EncodeStreamingDistributionConfig(ns string, c cloudfront.StreamingDistributionConfig) []byte {
	w := xmlwire.NewDoc(ns, "StreamingDistributionConfig")
	streamingConfigBody(w, c)
	return w.Bytes("StreamingDistributionConfig")
}

// EncodeStreamingDistribution encodes a <StreamingDistribution> document.
// It has no InProgressInvalidationBatches.
func EncodeStreamingDistribution(ns string, sd cloudfront.StreamingDistribution, withARN bool) []byte {
	w := xmlwire.NewDoc(ns, "StreamingDistribution")
	w.Text("Id", sd.ID)
	if withARN {
		w.Text("ARN", cloudfront.StreamingDistributionARN(sd.AccountID, sd.ID))
	}
	w.Text("Status", sd.Status)
	w.Time("LastModifiedTime", sd.LastModifiedTime)
	w.Text("DomainName", sd.DomainName)
	ActiveTrustedSigners(w, sd.ActiveTrustedSigners)
	w.Open("StreamingDistributionConfig")
	streamingConfigBody(w, sd.Config)
	w.Close("StreamingDistributionConfig")
	return w.Bytes("StreamingDistribution")
}

// EncodeStreamingDistributionList encodes a <StreamingDistributionList> of
// StreamingDistributionSummary.
func EncodeStreamingDistributionList(ns string, p cloudfront.ListPage, items []cloudfront.StreamingDistribution, withARN bool) []byte {
	return List(ns, "StreamingDistributionList", p, items, func(w *xmlwire.Writer, sd cloudfront.StreamingDistribution) {
		c := sd.Config
		w.Open("StreamingDistributionSummary")
		w.Text("Id", sd.ID)
		if withARN {
			w.Text("ARN", cloudfront.StreamingDistributionARN(sd.AccountID, sd.ID))
		}
		w.Text("Status", sd.Status)
		w.Time("LastModifiedTime", sd.LastModifiedTime)
		w.Text("DomainName", sd.DomainName)
		s3Origin(w, c.S3Origin)
		w.Strings("Aliases", "CNAME", c.Aliases)
		TrustedSigners(w, c.TrustedSigners)
		w.Text("Comment", c.Comment)
		w.Text("PriceClass", c.PriceClass)
		w.Bool("Enabled", c.Enabled)
		w.Close("StreamingDistributionSummary")
	})
}

func streamingConfigBody(w *xmlwire.Writer, c cloudfront.StreamingDistributionConfig) {
	w.Text("CallerReference", c.CallerReference)
	s3Origin(w, c.S3Origin)
	w.Strings("Aliases", "CNAME", c.Aliases)
	w.Text("Comment", c.Comment)
	w.Open("Logging")
	w.Bool("Enabled", c.Logging.Enabled)
	w.Text("Bucket", c.Logging.Bucket)
	w.Text("Prefix", c.Logging.Prefix)
	w.Close("Logging")
	TrustedSigners(w, c.TrustedSigners)
	w.Text("PriceClass", c.PriceClass)
	w.Bool("Enabled", c.Enabled)
}

func s3Origin(w *xmlwire.Writer, o cloudfront.S3Origin) {
	w.Open("S3Origin")
	w.Text("DomainName", o.DomainName)
	w.Text("OriginAccessIdentity", o.OriginAccessIdentity)
	w.Close("S3Origin")
}
