// Package shapes writes and reads the shapes every CloudFront API version
// spells the same way, in the namespace the version's codec passes:
// errors, invalidations, origin access identities, streaming
// distributions (but for 2020-05-31's ARN), the head of every list, and
// trusted signers. The codecs (v20120701, v20200531) call these so that
// one place holds each shape.
package shapes

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// EncodeError encodes an <ErrorResponse> document (spec §6.1). A nil e is
// a programming error and is sent as InternalError.
func EncodeError(ns string, e *cloudfront.Error, requestID string) []byte {
	if e == nil {
		e = cloudfront.NewError(cloudfront.InternalError)
	}
	w := xmlwire.NewDoc(ns, "ErrorResponse")
	w.Open("Error")
	w.Text("Type", e.Type())
	w.Text("Code", string(e.Code))
	w.Text("Message", e.Message)
	w.Close("Error")
	w.Text("RequestId", requestID)
	return w.Bytes("ErrorResponse")
}

// listHead writes the children every list root starts with.
func listHead(w *xmlwire.Writer, p cloudfront.ListPage, n int) {
	w.Text("Marker", p.Marker)
	if p.IsTruncated {
		w.Text("NextMarker", p.NextMarker)
	}
	w.Int("MaxItems", int64(p.MaxItems))
	w.Bool("IsTruncated", p.IsTruncated)
	w.Int("Quantity", int64(n))
}

// List encodes a list document (DistributionList, InvalidationList…):
// the list head, then Items unless there are none, each item written by
// write.
func List[T any](ns, root string, p cloudfront.ListPage, items []T, write func(*xmlwire.Writer, T)) []byte {
	w := xmlwire.NewDoc(ns, root)
	listHead(w, p, len(items))
	if len(items) > 0 {
		w.Open("Items")
		for _, it := range items {
			write(w, it)
		}
		w.Close("Items")
	}
	return w.Bytes(root)
}

// DecodeInvalidationBatch decodes an InvalidationBatch request body
// (CreateInvalidation).
func DecodeInvalidationBatch(ns string, body []byte) (cloudfront.InvalidationBatch, error) {
	root, err := xmlwire.Parse(body, ns, "InvalidationBatch")
	if err != nil {
		return cloudfront.InvalidationBatch{}, err
	}
	var d xmlwire.Decoder
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
func EncodeInvalidation(ns string, inv cloudfront.Invalidation) []byte {
	w := xmlwire.NewDoc(ns, "Invalidation")
	w.Text("Id", inv.ID)
	w.Text("Status", inv.Status)
	w.Time("CreateTime", inv.CreateTime)
	w.Open("InvalidationBatch")
	w.Strings("Paths", "Path", inv.Batch.Paths)
	w.Text("CallerReference", inv.Batch.CallerReference)
	w.Close("InvalidationBatch")
	return w.Bytes("Invalidation")
}

// EncodeInvalidationList encodes an <InvalidationList> of summaries. Each
// InvalidationSummary carries CreateTime, as both models have it (spec
// §4.7).
func EncodeInvalidationList(ns string, p cloudfront.ListPage, items []cloudfront.Invalidation) []byte {
	return List(ns, "InvalidationList", p, items, func(w *xmlwire.Writer, inv cloudfront.Invalidation) {
		w.Open("InvalidationSummary")
		w.Text("Id", inv.ID)
		w.Time("CreateTime", inv.CreateTime)
		w.Text("Status", inv.Status)
		w.Close("InvalidationSummary")
	})
}

// DecodeOriginAccessIdentityConfig decodes a
// CloudFrontOriginAccessIdentityConfig request body (create and update).
func DecodeOriginAccessIdentityConfig(ns string, body []byte) (cloudfront.OriginAccessIdentityConfig, error) {
	root, err := xmlwire.Parse(body, ns, "CloudFrontOriginAccessIdentityConfig")
	if err != nil {
		return cloudfront.OriginAccessIdentityConfig{}, err
	}
	var d xmlwire.Decoder
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
func EncodeOriginAccessIdentityConfig(ns string, c cloudfront.OriginAccessIdentityConfig) []byte {
	w := xmlwire.NewDoc(ns, "CloudFrontOriginAccessIdentityConfig")
	oaiConfigBody(w, c)
	return w.Bytes("CloudFrontOriginAccessIdentityConfig")
}

// EncodeOriginAccessIdentity encodes a <CloudFrontOriginAccessIdentity>
// document.
func EncodeOriginAccessIdentity(ns string, o cloudfront.OriginAccessIdentity) []byte {
	w := xmlwire.NewDoc(ns, "CloudFrontOriginAccessIdentity")
	w.Text("Id", o.ID)
	w.Text("S3CanonicalUserId", o.S3CanonicalUserID)
	w.Open("CloudFrontOriginAccessIdentityConfig")
	oaiConfigBody(w, o.Config)
	w.Close("CloudFrontOriginAccessIdentityConfig")
	return w.Bytes("CloudFrontOriginAccessIdentity")
}

// EncodeOriginAccessIdentityList encodes a
// <CloudFrontOriginAccessIdentityList> of summaries.
func EncodeOriginAccessIdentityList(ns string, p cloudfront.ListPage, items []cloudfront.OriginAccessIdentity) []byte {
	return List(ns, "CloudFrontOriginAccessIdentityList", p, items, func(w *xmlwire.Writer, o cloudfront.OriginAccessIdentity) {
		w.Open("CloudFrontOriginAccessIdentitySummary")
		w.Text("Id", o.ID)
		w.Text("S3CanonicalUserId", o.S3CanonicalUserID)
		w.Text("Comment", o.Config.Comment)
		w.Close("CloudFrontOriginAccessIdentitySummary")
	})
}

func oaiConfigBody(w *xmlwire.Writer, c cloudfront.OriginAccessIdentityConfig) {
	w.Text("CallerReference", c.CallerReference)
	w.Text("Comment", c.Comment)
}

// DecodeTrustedSigners decodes a TrustedSigners element, of a cache
// behaviour or a streaming distribution.
func DecodeTrustedSigners(d *xmlwire.Decoder, n *xmlwire.Node) cloudfront.TrustedSigners {
	ts := d.Open(n, "Enabled", "Quantity", "Items")
	return cloudfront.TrustedSigners{
		Enabled: d.Boolean(ts.Req("Enabled")),
		Items:   d.Texts(d.Items(ts, "AwsAccountNumber")),
	}
}

// TrustedSigners writes a TrustedSigners element, of a cache behaviour or
// a streaming distribution.
func TrustedSigners(w *xmlwire.Writer, ts cloudfront.TrustedSigners) {
	w.Open("TrustedSigners")
	w.Bool("Enabled", ts.Enabled)
	xmlwire.QuantityItems(w, ts.Items, func(s string) {
		w.Text("AwsAccountNumber", s)
	})
	w.Close("TrustedSigners")
}

// ActiveTrustedSigners writes an ActiveTrustedSigners element, of a
// distribution of either kind.
func ActiveTrustedSigners(w *xmlwire.Writer, a cloudfront.ActiveTrustedSigners) {
	w.Open("ActiveTrustedSigners")
	w.Bool("Enabled", a.Enabled)
	xmlwire.QuantityItems(w, a.Items, func(s cloudfront.Signer) {
		w.Open("Signer")
		w.Text("AwsAccountNumber", s.AwsAccountNumber)
		w.Strings("KeyPairIds", "KeyPairId", s.KeyPairIDs)
		w.Close("Signer")
	})
	w.Close("ActiveTrustedSigners")
}
