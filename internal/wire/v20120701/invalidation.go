package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// DecodeInvalidationBatch decodes an InvalidationBatch request body (POST
// Invalidation).
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

// EncodeInvalidationList encodes an <InvalidationList> of summaries. Each
// InvalidationSummary carries CreateTime, as the 2012-07-01 model has it
// (spec §4.7).
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
