package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
)

// EncodeError encodes an <ErrorResponse> document (spec §6.1). A nil e is
// a programming error and is sent as InternalError.
func EncodeError(e *cloudfront.Error, requestID string) []byte {
	return shapes.EncodeError(Namespace, e, requestID)
}
