package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
)

// EncodeError encodes an <ErrorResponse> document. A nil e is a
// programming error and is sent as InternalError.
func EncodeError(e *cloudfront.Error, requestID string) []byte {
	return shapes.EncodeError(Namespace, e, requestID)
}

// DecodeInvalidationBatch decodes an InvalidationBatch request body.
func DecodeInvalidationBatch(body []byte) (cloudfront.InvalidationBatch, error) {
	return shapes.DecodeInvalidationBatch(Namespace, body)
}

// EncodeInvalidation encodes an <Invalidation> document.
func EncodeInvalidation(inv cloudfront.Invalidation) []byte {
	return shapes.EncodeInvalidation(Namespace, inv)
}

// EncodeInvalidationList encodes an <InvalidationList> of summaries.
func EncodeInvalidationList(p cloudfront.ListPage, items []cloudfront.Invalidation) []byte {
	return shapes.EncodeInvalidationList(Namespace, p, items)
}

// DecodeOriginAccessIdentityConfig decodes a
// CloudFrontOriginAccessIdentityConfig request body.
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

// DecodeTags decodes a <Tags> request body (TagResource).
func DecodeTags(body []byte) ([]cloudfront.Tag, error) {
	root, err := parse(body, "Tags")
	if err != nil {
		return nil, err
	}
	var d decoder
	tags := d.tags(root)
	if err := d.Result(); err != nil {
		return nil, err
	}
	return tags, nil
}

// DecodeTagKeys decodes a <TagKeys> request body (UntagResource).
func DecodeTagKeys(body []byte) ([]string, error) {
	root, err := parse(body, "TagKeys")
	if err != nil {
		return nil, err
	}
	var d decoder
	f := d.Open(root, "Items")
	var keys []string
	if items := f.Opt("Items"); items != nil {
		keys = d.Texts(d.ItemsOnly(items, "Key"))
	}
	if err := d.Result(); err != nil {
		return nil, err
	}
	return keys, nil
}

// EncodeTags encodes a <Tags> document (ListTagsForResource).
func EncodeTags(tags []cloudfront.Tag) []byte {
	w := newDoc("Tags")
	w.tags(tags)
	return w.Bytes("Tags")
}

func (w *writer) tags(tags []cloudfront.Tag) {
	// Tags has no Quantity; an empty list is written as <Items/>'s absence.
	if len(tags) == 0 {
		return
	}
	w.Open("Items")
	for _, t := range tags {
		w.Open("Tag")
		w.Text("Key", t.Key)
		w.Text("Value", t.Value)
		w.Close("Tag")
	}
	w.Close("Items")
}

// tags decodes a Tags element: Items of Tag, no Quantity. A tag without a
// Value has the empty value.
func (d *decoder) tags(n *node) []cloudfront.Tag {
	f := d.Open(n, "Items")
	var out []cloudfront.Tag
	if items := f.Opt("Items"); items != nil {
		for _, k := range d.ItemsOnly(items, "Tag") {
			tf := d.Open(k, "Key", "Value")
			out = append(out, cloudfront.Tag{Key: d.Str(tf.Req("Key")), Value: d.Str(tf.Opt("Value"))})
		}
	}
	return out
}
