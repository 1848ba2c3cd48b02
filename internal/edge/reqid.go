package edge

import (
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
	drawID(&p.idBuf)
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

// drawID writes the padded base64url encoding of 40 random bytes, as
// base64.URLEncoding would, straight from five random words: 26 pairs of
// characters take 12 bits each (five from each word's low 60 bits, one
// from the words' top 4 bits), and the 40th byte takes the last 8 bits
// of those, its two characters then "==". Encoding 40 bytes drawn first
// took more than twice the instructions.
func drawID(dst *[reqIDLen]byte) {
	var rest uint64
	for k := range 5 {
		v := rand.Uint64()
		// Constant indexes into a 10-byte array and masked table indexes
		// leave no bounds checks in the loop.
		b := (*[10]byte)(dst[k*10 : k*10+10])
		p0, p1, p2 := pairs[v&0xfff], pairs[v>>12&0xfff], pairs[v>>24&0xfff]
		p3, p4 := pairs[v>>36&0xfff], pairs[v>>48&0xfff]
		b[0], b[1], b[2], b[3], b[4] = p0[0], p0[1], p1[0], p1[1], p2[0]
		b[5], b[6], b[7], b[8], b[9] = p2[1], p3[0], p3[1], p4[0], p4[1]
		rest = rest<<4 | v>>60
	}
	pr := pairs[rest&0xfff]
	// A last byte b encodes as b's top 6 bits and its low 2 bits << 4,
	// which is pairs[b<<4].
	last := pairs[(rest>>12)<<4]
	dst[50], dst[51] = pr[0], pr[1]
	dst[52], dst[53], dst[54], dst[55] = last[0], last[1], '=', '='
}

func (p *perRequest) reqID() string { return p.id[0] }

// ageHeader formats seconds into the struct's buffer.
func (p *perRequest) ageHeader(seconds int64) []string {
	b := strconv.AppendInt(p.ageBuf[:0], seconds, 10)
	p.age[0] = unsafe.String(&p.ageBuf[0], len(b))
	return p.age[:]
}
