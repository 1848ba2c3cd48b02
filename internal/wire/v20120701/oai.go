package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// DecodeOriginAccessIdentityConfig decodes a
// CloudFrontOriginAccessIdentityConfig request body (POST and PUT of an
// origin access identity).
func DecodeOriginAccessIdentityConfig(body []byte) (cloudfront.OriginAccessIdentityConfig, error) {
	root, err := parse(body, "CloudFrontOriginAccessIdentityConfig")
	if err != nil {
		return cloudfront.OriginAccessIdentityConfig{}, err
	}
	var d decoder
	f := d.Open(root, "CallerReference", "Comment")
	c := cloudfront.OriginAccessIdentityConfig{
		CallerReference: d.Str(f.Req("CallerReference")),
		Comment:         d.Str(f.Req("Comment")),
	}
	if err := d.Result(); err != nil {
		return cloudfront.OriginAccessIdentityConfig{}, err
	}
	return c, nil
}

// EncodeOriginAccessIdentityConfig encodes a
// <CloudFrontOriginAccessIdentityConfig> document.
func EncodeOriginAccessIdentityConfig(c cloudfront.OriginAccessIdentityConfig) []byte {
	w := newDoc("CloudFrontOriginAccessIdentityConfig")
	w.oaiConfigBody(c)
	return w.Bytes("CloudFrontOriginAccessIdentityConfig")
}

// EncodeOriginAccessIdentity encodes a <CloudFrontOriginAccessIdentity>
// document.
func EncodeOriginAccessIdentity(o cloudfront.OriginAccessIdentity) []byte {
	w := newDoc("CloudFrontOriginAccessIdentity")
	w.Text("Id", o.ID)
	w.Text("S3CanonicalUserId", o.S3CanonicalUserID)
	w.Open("CloudFrontOriginAccessIdentityConfig")
	w.oaiConfigBody(o.Config)
	w.Close("CloudFrontOriginAccessIdentityConfig")
	return w.Bytes("CloudFrontOriginAccessIdentity")
}

// EncodeOriginAccessIdentityList encodes a
// <CloudFrontOriginAccessIdentityList> of summaries.
func EncodeOriginAccessIdentityList(p cloudfront.ListPage, items []cloudfront.OriginAccessIdentity) []byte {
	w := newDoc("CloudFrontOriginAccessIdentityList")
	w.listHead(p, len(items))
	if len(items) > 0 {
		w.Open("Items")
		for _, o := range items {
			w.Open("CloudFrontOriginAccessIdentitySummary")
			w.Text("Id", o.ID)
			w.Text("S3CanonicalUserId", o.S3CanonicalUserID)
			w.Text("Comment", o.Config.Comment)
			w.Close("CloudFrontOriginAccessIdentitySummary")
		}
		w.Close("Items")
	}
	return w.Bytes("CloudFrontOriginAccessIdentityList")
}

func (w *writer) oaiConfigBody(c cloudfront.OriginAccessIdentityConfig) {
	w.Text("CallerReference", c.CallerReference)
	w.Text("Comment", c.Comment)
}
