package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
)

// DecodeInvalidationBatch decodes an InvalidationBatch request body (POST
// Invalidation).
func DecodeInvalidationBatch(body []byte) (cloudfront.InvalidationBatch, error) {
	return shapes.DecodeInvalidationBatch(Namespace, body)
}

// EncodeInvalidation encodes an <Invalidation> document.
func EncodeInvalidation(inv cloudfront.Invalidation) []byte {
	return shapes.EncodeInvalidation(Namespace, inv)
}

// EncodeInvalidationList encodes an <InvalidationList> of summaries. Each
// InvalidationSummary carries CreateTime, as the 2012-07-01 model has it
// (spec §4.7).
func EncodeInvalidationList(p cloudfront.ListPage, items []cloudfront.Invalidation) []byte {
	return shapes.EncodeInvalidationList(Namespace, p, items)
}
