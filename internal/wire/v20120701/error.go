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
	w.Open("Error")
	w.Text("Type", e.Type())
	w.Text("Code", string(e.Code))
	w.Text("Message", e.Message)
	w.Close("Error")
	w.Text("RequestId", requestID)
	return w.Bytes("ErrorResponse")
}
