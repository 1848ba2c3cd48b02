package cloudfront

import (
	"crypto/rand"
	"encoding/hex"
)

const (
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	idLength   = 14 // real ids are 13–14 characters; ours are always 14
)

// randomString draws n characters from alphabet, uniformly.
func randomString(alphabet string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, n*2)
	limit := 256 - 256%len(alphabet) // reject bytes that would bias the draw
	for i := 0; i < n; {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out[i] = alphabet[int(b)%len(alphabet)]
			i++
			if i == n {
				break
			}
		}
	}
	return string(out)
}

// NewResourceID returns an id for a distribution, streaming distribution
// or origin access identity: "E" and 13 upper-case letters or digits.
func NewResourceID() string { return "E" + randomString(upperAlnum, idLength-1) }

// NewETag returns a new version token; ETags have the shape of ids.
func NewETag() string { return "E" + randomString(upperAlnum, idLength-1) }

// NewInvalidationID returns "I" and 13 upper-case letters or digits.
func NewInvalidationID() string { return "I" + randomString(upperAlnum, idLength-1) }

// NewDomainLabel returns the first label of a download distribution's
// domain name: "d" and 13 lower-case letters or digits.
func NewDomainLabel() string { return "d" + randomString(lowerAlnum, idLength-1) }

// NewStreamingDomainLabel returns the first label of a streaming
// distribution's domain name: "s" and 13 lower-case letters or digits.
func NewStreamingDomainLabel() string { return "s" + randomString(lowerAlnum, idLength-1) }

// NewAccessKeyID returns "AKIA" and 16 upper-case letters or digits.
func NewAccessKeyID() string { return "AKIA" + randomString(upperAlnum, 16) }

// NewKeyPairID returns a CloudFront key pair id: "APKA" and 16 characters.
func NewKeyPairID() string { return "APKA" + randomString(upperAlnum, 16) }

// NewSecretAccessKey returns a 40-character secret in AWS's alphabet.
func NewSecretAccessKey() string {
	return randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
}

// NewAccountID returns a 12-digit account number that does not start with 0.
func NewAccountID() string { return randomString("123456789", 1) + randomString("0123456789", 11) }

// NewCanonicalUserID returns 64 lower-case hex digits.
func NewCanonicalUserID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// NewRequestID returns a random UUID (version 4) in its usual text form.
func NewRequestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
