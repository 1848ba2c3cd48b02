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
	w.Open("Error")
	w.Text("Type", e.Type())
	w.Text("Code", string(e.Code))
	w.Text("Message", e.Message)
	w.Close("Error")
	w.Text("RequestId", requestID)
	return w.Bytes("ErrorResponse")
}

// DecodeInvalidationBatch decodes an InvalidationBatch request body.
func DecodeInvalidationBatch(body []byte) (cloudfront.InvalidationBatch, error) {
	root, err := parse(body, "InvalidationBatch")
	if err != nil {
		return cloudfront.InvalidationBatch{}, err
	}
	var d decoder
	f := d.Open(root, "Paths", "CallerReference")
	b := cloudfront.InvalidationBatch{
		Paths:           d.Strings(f.Req("Paths"), "Path"),
		CallerReference: d.Str(f.Req("CallerReference")),
	}
	if err := d.Result(); err != nil {
		return cloudfront.InvalidationBatch{}, err
	}
	return b, nil
}

// EncodeInvalidation encodes an <Invalidation> document.
func EncodeInvalidation(inv cloudfront.Invalidation) []byte {
	w := newDoc("Invalidation")
	w.Text("Id", inv.ID)
	w.Text("Status", inv.Status)
	w.Time("CreateTime", inv.CreateTime)
	w.Open("InvalidationBatch")
	w.Strings("Paths", "Path", inv.Batch.Paths)
	w.Text("CallerReference", inv.Batch.CallerReference)
	w.Close("InvalidationBatch")
	return w.Bytes("Invalidation")
}

// EncodeInvalidationList encodes an <InvalidationList> of summaries.
func EncodeInvalidationList(p cloudfront.ListPage, items []cloudfront.Invalidation) []byte {
	w := newDoc("InvalidationList")
	w.listHead(p, len(items))
	if len(items) > 0 {
		w.Open("Items")
		for _, inv := range items {
			w.Open("InvalidationSummary")
			w.Text("Id", inv.ID)
			w.Time("CreateTime", inv.CreateTime)
			w.Text("Status", inv.Status)
			w.Close("InvalidationSummary")
		}
		w.Close("Items")
	}
	return w.Bytes("InvalidationList")
}

// DecodeOriginAccessIdentityConfig decodes a
// CloudFrontOriginAccessIdentityConfig request body.
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
	w.Text("CallerReference", c.CallerReference)
	w.Text("Comment", c.Comment)
	return w.Bytes("CloudFrontOriginAccessIdentityConfig")
}

// EncodeOriginAccessIdentity encodes a <CloudFrontOriginAccessIdentity>
// document.
func EncodeOriginAccessIdentity(o cloudfront.OriginAccessIdentity) []byte {
	w := newDoc("CloudFrontOriginAccessIdentity")
	w.Text("Id", o.ID)
	w.Text("S3CanonicalUserId", o.S3CanonicalUserID)
	w.Open("CloudFrontOriginAccessIdentityConfig")
	w.Text("CallerReference", o.Config.CallerReference)
	w.Text("Comment", o.Config.Comment)
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
