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
	f := d.open(root, "CallerReference", "Comment")
	c := cloudfront.OriginAccessIdentityConfig{
		CallerReference: d.str(f.req("CallerReference")),
		Comment:         d.str(f.req("Comment")),
	}
	if err := d.result(); err != nil {
		return cloudfront.OriginAccessIdentityConfig{}, err
	}
	return c, nil
}

// EncodeOriginAccessIdentityConfig encodes a
// <CloudFrontOriginAccessIdentityConfig> document.
func EncodeOriginAccessIdentityConfig(c cloudfront.OriginAccessIdentityConfig) []byte {
	w := newDoc("CloudFrontOriginAccessIdentityConfig")
	w.oaiConfigBody(c)
	return w.bytes("CloudFrontOriginAccessIdentityConfig")
}

// EncodeOriginAccessIdentity encodes a <CloudFrontOriginAccessIdentity>
// document.
func EncodeOriginAccessIdentity(o cloudfront.OriginAccessIdentity) []byte {
	w := newDoc("CloudFrontOriginAccessIdentity")
	w.text("Id", o.ID)
	w.text("S3CanonicalUserId", o.S3CanonicalUserID)
	w.open("CloudFrontOriginAccessIdentityConfig")
	w.oaiConfigBody(o.Config)
	w.close("CloudFrontOriginAccessIdentityConfig")
	return w.bytes("CloudFrontOriginAccessIdentity")
}

// EncodeOriginAccessIdentityList encodes a
// <CloudFrontOriginAccessIdentityList> of summaries.
func EncodeOriginAccessIdentityList(p cloudfront.ListPage, items []cloudfront.OriginAccessIdentity) []byte {
	w := newDoc("CloudFrontOriginAccessIdentityList")
	w.listHead(p, len(items))
	if len(items) > 0 {
		w.open("Items")
		for _, o := range items {
			w.open("CloudFrontOriginAccessIdentitySummary")
			w.text("Id", o.ID)
			w.text("S3CanonicalUserId", o.S3CanonicalUserID)
			w.text("Comment", o.Config.Comment)
			w.close("CloudFrontOriginAccessIdentitySummary")
		}
		w.close("Items")
	}
	return w.bytes("CloudFrontOriginAccessIdentityList")
}

func (w *writer) oaiConfigBody(c cloudfront.OriginAccessIdentityConfig) {
	w.text("CallerReference", c.CallerReference)
	w.text("Comment", c.Comment)
}
