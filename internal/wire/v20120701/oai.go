package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
)

// DecodeOriginAccessIdentityConfig decodes a
// CloudFrontOriginAccessIdentityConfig request body (POST and PUT of an
// origin access identity).
func DecodeOriginAccessIdentityConfig(body []byte) (cloudfront.OriginAccessIdentityConfig, error) {
	return shapes.DecodeOriginAccessIdentityConfig(Namespace, body)
}

// EncodeOriginAccessIdentityConfig encodes a
// <CloudFrontOriginAccessIdentityConfig> document.
func EncodeOriginAccessIdentityConfig(c cloudfront.OriginAccessIdentityConfig) []byte {
	return shapes.EncodeOriginAccessIdentityConfig(Namespace, c)
}

// EncodeOriginAccessIdentity encodes a <CloudFrontOriginAccessIdentity>
// document.
func EncodeOriginAccessIdentity(o cloudfront.OriginAccessIdentity) []byte {
	return shapes.EncodeOriginAccessIdentity(Namespace, o)
}

// EncodeOriginAccessIdentityList encodes a
// <CloudFrontOriginAccessIdentityList> of summaries.
func EncodeOriginAccessIdentityList(p cloudfront.ListPage, items []cloudfront.OriginAccessIdentity) []byte {
	return shapes.EncodeOriginAccessIdentityList(Namespace, p, items)
}
