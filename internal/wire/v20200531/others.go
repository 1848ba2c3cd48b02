package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// EncodeError encodes an <ErrorResponse> document. A nil e is a
// programming error and is sent as InternalError.
func EncodeError(e *cloudfront.Error, requestID string) []byte {
	if e == nil {
		e = cloudfront.NewError(cloudfront.InternalError)
	}
	w := newDoc("ErrorResponse")
	w.open("Error")
	w.text("Type", e.Type())
	w.text("Code", string(e.Code))
	w.text("Message", e.Message)
	w.close("Error")
	w.text("RequestId", requestID)
	return w.bytes("ErrorResponse")
}

// DecodeInvalidationBatch decodes an InvalidationBatch request body.
func DecodeInvalidationBatch(body []byte) (cloudfront.InvalidationBatch, error) {
	root, err := parse(body, "InvalidationBatch")
	if err != nil {
		return cloudfront.InvalidationBatch{}, err
	}
	var d decoder
	f := d.open(root, "Paths", "CallerReference")
	b := cloudfront.InvalidationBatch{
		Paths:           d.strings(f.req("Paths"), "Path"),
		CallerReference: d.str(f.req("CallerReference")),
	}
	if err := d.result(); err != nil {
		return cloudfront.InvalidationBatch{}, err
	}
	return b, nil
}

// EncodeInvalidation encodes an <Invalidation> document.
func EncodeInvalidation(inv cloudfront.Invalidation) []byte {
	w := newDoc("Invalidation")
	w.text("Id", inv.ID)
	w.text("Status", inv.Status)
	w.time("CreateTime", inv.CreateTime)
	w.open("InvalidationBatch")
	w.strings("Paths", "Path", inv.Batch.Paths)
	w.text("CallerReference", inv.Batch.CallerReference)
	w.close("InvalidationBatch")
	return w.bytes("Invalidation")
}

// EncodeInvalidationList encodes an <InvalidationList> of summaries.
func EncodeInvalidationList(p cloudfront.ListPage, items []cloudfront.Invalidation) []byte {
	w := newDoc("InvalidationList")
	w.listHead(p, len(items))
	if len(items) > 0 {
		w.open("Items")
		for _, inv := range items {
			w.open("InvalidationSummary")
			w.text("Id", inv.ID)
			w.time("CreateTime", inv.CreateTime)
			w.text("Status", inv.Status)
			w.close("InvalidationSummary")
		}
		w.close("Items")
	}
	return w.bytes("InvalidationList")
}

// DecodeOriginAccessIdentityConfig decodes a
// CloudFrontOriginAccessIdentityConfig request body.
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
	w.text("CallerReference", c.CallerReference)
	w.text("Comment", c.Comment)
	return w.bytes("CloudFrontOriginAccessIdentityConfig")
}

// EncodeOriginAccessIdentity encodes a <CloudFrontOriginAccessIdentity>
// document.
func EncodeOriginAccessIdentity(o cloudfront.OriginAccessIdentity) []byte {
	w := newDoc("CloudFrontOriginAccessIdentity")
	w.text("Id", o.ID)
	w.text("S3CanonicalUserId", o.S3CanonicalUserID)
	w.open("CloudFrontOriginAccessIdentityConfig")
	w.text("CallerReference", o.Config.CallerReference)
	w.text("Comment", o.Config.Comment)
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

// DecodeTags decodes a <Tags> request body (TagResource).
func DecodeTags(body []byte) ([]cloudfront.Tag, error) {
	root, err := parse(body, "Tags")
	if err != nil {
		return nil, err
	}
	var d decoder
	tags := d.tags(root)
	if err := d.result(); err != nil {
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
	f := d.open(root, "Items")
	var keys []string
	if items := f.opt("Items"); items != nil {
		keys = d.texts(d.itemsOnly(items, "Key"))
	}
	if err := d.result(); err != nil {
		return nil, err
	}
	return keys, nil
}

// EncodeTags encodes a <Tags> document (ListTagsForResource).
func EncodeTags(tags []cloudfront.Tag) []byte {
	w := newDoc("Tags")
	w.tags(tags)
	return w.bytes("Tags")
}

func (w *writer) tags(tags []cloudfront.Tag) {
	// Tags has no Quantity; an empty list is written as <Items/>'s absence.
	if len(tags) == 0 {
		return
	}
	w.open("Items")
	for _, t := range tags {
		w.open("Tag")
		w.text("Key", t.Key)
		w.text("Value", t.Value)
		w.close("Tag")
	}
	w.close("Items")
}

// tags decodes a Tags element: Items of Tag, no Quantity. A tag without a
// Value has the empty value.
func (d *decoder) tags(n *node) []cloudfront.Tag {
	f := d.open(n, "Items")
	var out []cloudfront.Tag
	if items := f.opt("Items"); items != nil {
		for _, k := range d.itemsOnly(items, "Tag") {
			tf := d.open(k, "Key", "Value")
			out = append(out, cloudfront.Tag{Key: d.str(tf.req("Key")), Value: d.str(tf.opt("Value"))})
		}
	}
	return out
}

// itemsOnly returns the children of an Items element that has no Quantity
// beside it; they must all be named item.
func (d *decoder) itemsOnly(items *node, item string) []*node {
	if items == nil || d.err != nil {
		return nil
	}
	if items.nonSpace {
		d.fail("element %s holds text where elements are expected", items.path)
		return nil
	}
	for _, k := range items.kids {
		if k.name != item {
			d.fail("unknown element %s", k.path)
			return nil
		}
	}
	return items.kids
}
