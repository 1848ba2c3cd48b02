package edge

import (
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
	encodeID(&p.idBuf, &raw)
	p.id[0] = unsafe.String(&p.idBuf[0], reqIDLen)
	return p
}

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// pairs maps 12 bits to their two base64url characters: one lookup per
// half of a 3-byte group, where encoding/base64 does four (it was 40 % of
// the edge's own instructions on a hit).
var pairs = func() (t [4096][2]byte) {
	for i := range t {
		t[i] = [2]byte{base64URL[i>>6], base64URL[i&63]}
	}
	return t
}()

// encodeID writes raw as padded base64url, as base64.URLEncoding would.
func encodeID(dst *[reqIDLen]byte, raw *[40]byte) {
	d := 0
	for i := 0; i+3 <= len(raw); i += 3 {
		v := uint(raw[i])<<16 | uint(raw[i+1])<<8 | uint(raw[i+2])
		hi, lo := pairs[v>>12], pairs[v&0xfff]
		dst[d], dst[d+1], dst[d+2], dst[d+3] = hi[0], hi[1], lo[0], lo[1]
		d += 4
	}
	// 40 = 13*3 + 1: the last byte makes two characters and "==".
	last := pairs[uint(raw[39])<<4]
	dst[d], dst[d+1], dst[d+2], dst[d+3] = last[0], last[1], '=', '='
}

func (p *perRequest) reqID() string { return p.id[0] }

// ageHeader formats seconds into the struct's buffer.
func (p *perRequest) ageHeader(seconds int64) []string {
	b := strconv.AppendInt(p.ageBuf[:0], seconds, 10)
	p.age[0] = unsafe.String(&p.ageBuf[0], len(b))
	return p.age[:]
}
