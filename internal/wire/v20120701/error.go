package v20120701

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// EncodeError encodes an <ErrorResponse> document (spec §6.1). A nil e is
// a programming error and is sent as InternalError.
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
