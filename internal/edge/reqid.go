package edge

import (
	"encoding/base64"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"unsafe"
)

// reqIDLen is the length of an X-Amz-Cf-Id: 40 random bytes in base64,
// 56 characters ending in "==", like CloudFront's.
const reqIDLen = 56

// perRequest holds the per-request header values in one allocation: the
// strings point into the byte arrays, which are never written again.
type perRequest struct {
	idBuf  [reqIDLen]byte
	ageBuf [20]byte
	id     [1]string
	age    [1]string
}

// newPerRequest draws a request id. It needs to be unique, not secret, so
// the runtime's fast generator is enough.
func newPerRequest() *perRequest {
	p := new(perRequest)
	var raw [40]byte
	for i := 0; i < len(raw); i += 8 {
		binary.LittleEndian.PutUint64(raw[i:], rand.Uint64())
	}
	base64.URLEncoding.Encode(p.idBuf[:], raw[:])
	p.id[0] = unsafe.String(&p.idBuf[0], reqIDLen)
	return p
}

func (p *perRequest) reqID() string { return p.id[0] }

// ageHeader formats seconds into the struct's buffer.
func (p *perRequest) ageHeader(seconds int64) []string {
	b := strconv.AppendInt(p.ageBuf[:0], seconds, 10)
	p.age[0] = unsafe.String(&p.ageBuf[0], len(b))
	return p.age[:]
}
