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

// EncodeInvalidationList encodes an <InvalidationList> of summaries. Each
// InvalidationSummary carries CreateTime, as the 2012-07-01 model has it
// (spec §4.7).
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
