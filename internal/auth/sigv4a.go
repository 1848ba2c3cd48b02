package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Signature Version 4A ("AWS4-ECDSA-P256-SHA256") has SigV4's canonical
// request and string to sign, with its own algorithm name and a credential
// scope without a region (the regions are in the signed X-Amz-Region-Set
// header), and signs with ECDSA P-256 instead of HMAC. The key pair is
// derived from the access key pair, so clients need no new credential and
// the verifier derives the public key from the secret it already has.

// p256NMinus2 is the order of P-256 less 2, in the word order of words.
var p256NMinus2 = func() [4]uint64 {
	var b [32]byte
	new(big.Int).Sub(elliptic.P256().Params().N, big.NewInt(2)).FillBytes(b[:])
	return words(b[:])
}()

// deriveV4AKey derives the P-256 private key of an access key pair as the
// AWS SDKs do: FIPS 186-4 B.4.2 key generation by testing candidates, the
// candidates drawn from the NIST SP 800-108 KDF in counter mode with
// HMAC-SHA256 keyed with "AWS4A"+secret, label "AWS4-ECDSA-P256-SHA256" and
// context accessKeyID || counter. The first candidate below N-2 gives
// d = candidate + 1; the external counter moves on only for a candidate at
// or above N-2, which has odds of about 2^-32.
func deriveV4AKey(accessKeyID, secret string) (*ecdsa.PrivateKey, error) {
	kdf := hmac.New(sha256.New, []byte("AWS4A"+secret))
	var block [sha256.Size]byte
	for counter := 1; counter <= 0xff; counter++ {
		// One KDF block: PRF([i]32 || Label || 0x00 || Context || [L]32)
		// with i = 1, since L (256 bits) is one SHA-256 output.
		kdf.Reset()
		kdf.Write([]byte{0, 0, 0, 1})
		kdf.Write([]byte(v4aAlgorithm))
		kdf.Write([]byte{0})
		kdf.Write([]byte(accessKeyID))
		kdf.Write([]byte{byte(counter)})
		kdf.Write([]byte{0, 0, 1, 0})
		c := words(kdf.Sum(block[:0]))
		// The candidate is the private key to be: an early-exit comparison
		// would leak its leading bytes through timing.
		if lessConstantTime(c, p256NMinus2) {
			d := wordBytes(addOne(c))
			return ecdsa.ParseRawPrivateKey(elliptic.P256(), d[:])
		}
	}
	return nil, errors.New("auth: SigV4A key derivation found no candidate below N-2")
}

// words reads a 32-byte big-endian number as four words, least
// significant first, for math/bits' carry chains.
func words(b []byte) [4]uint64 {
	return [4]uint64{
		binary.BigEndian.Uint64(b[24:]),
		binary.BigEndian.Uint64(b[16:]),
		binary.BigEndian.Uint64(b[8:]),
		binary.BigEndian.Uint64(b[0:]),
	}
}

// wordBytes is the inverse of words.
func wordBytes(w [4]uint64) [32]byte {
	var b [32]byte
	for i, x := range w {
		binary.BigEndian.PutUint64(b[24-8*i:], x)
	}
	return b
}

// lessConstantTime reports whether a < b: a - b borrows. It takes the same
// time whatever the values.
func lessConstantTime(a, b [4]uint64) bool {
	var borrow uint64
	for i := range a {
		_, borrow = bits.Sub64(a[i], b[i], borrow)
	}
	return borrow == 1
}

// addOne returns a + 1, in constant time; a is below N-2, so it does not
// overflow.
func addOne(a [4]uint64) [4]uint64 {
	carry := uint64(1)
	for i := range a {
		a[i], carry = bits.Add64(a[i], 0, carry)
	}
	return a
}

// v4aKeyCacheSize bounds v4aKeyCache: more access keys than sign requests
// to one server at a time, in a few hundred KiB.
const v4aKeyCacheSize = 1024

// v4aKeyCache keeps the public keys derived for SigV4A. Deriving one costs
// a P-256 scalar multiplication (BenchmarkDeriveV4AKey: about 20µs, where
// the rest of a verification, BenchmarkVerify/v4a, is about 65µs), and a
// client signs every request with the same key, so each verification would
// otherwise repeat the same work. Entries are keyed by the access key id and the SHA-256 of
// the secret, both from the store's credential: a changed secret misses
// and is derived afresh, so it never verifies with a stale key, and a
// disabled key is refused by the lookup before the cache is asked. Entries
// are made only for credentials the store returned, so a client can't fill
// the cache with made-up key ids; past the bound an arbitrary entry goes,
// which costs at most a re-derivation.
type v4aKeyCache struct {
	mu   sync.Mutex
	keys map[v4aKeyCacheKey]*ecdsa.PublicKey
}

type v4aKeyCacheKey struct {
	accessKeyID string
	secretHash  [sha256.Size]byte
}

// publicKey returns the SigV4A public key of c, derived or cached.
func (kc *v4aKeyCache) publicKey(c Credential) (*ecdsa.PublicKey, error) {
	k := v4aKeyCacheKey{c.AccessKeyID, sha256.Sum256([]byte(c.Secret))}
	kc.mu.Lock()
	pub, ok := kc.keys[k]
	kc.mu.Unlock()
	if ok {
		return pub, nil
	}
	// Derived outside the lock: two requests deriving one key at once do
	// the work twice rather than queue every other key behind it.
	priv, err := deriveV4AKey(c.AccessKeyID, c.Secret)
	if err != nil {
		return nil, fmt.Errorf("auth: access key %q: %w", c.AccessKeyID, err)
	}
	pub = &ecdsa.PublicKey{Curve: priv.Curve, X: priv.X, Y: priv.Y}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	if kc.keys == nil {
		kc.keys = make(map[v4aKeyCacheKey]*ecdsa.PublicKey)
	}
	if len(kc.keys) >= v4aKeyCacheSize {
		for old := range kc.keys {
			delete(kc.keys, old)
			break
		}
	}
	kc.keys[k] = pub
	return pub, nil
}

// checkV4ASignature checks a SigV4A signature: hex of an ASN.1 DER ECDSA
// signature over the SHA-256 of the string to sign.
func (v *Verifier) checkV4ASignature(c Credential, stringToSign, sigHex string) error {
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return cloudfront.NewError(cloudfront.SignatureDoesNotMatch)
	}
	pub, err := v.v4aKeys.publicKey(c)
	if err != nil {
		return err
	}
	digest := sha256.Sum256([]byte(stringToSign))
	if !ecdsa.VerifyASN1(pub, digest[:], sig) {
		return cloudfront.NewError(cloudfront.SignatureDoesNotMatch)
	}
	return nil
}

// checkRegionSet checks SigV4A's X-Amz-Region-Set: the regions where the
// signature is good. It must be there (checkScope has it signed) and be a
// list, as AWS requires, so a client that works here works there. Any list
// admits this server: openfront is one global endpoint, as CloudFront and
// its KeyValueStore are global services without regional endpoints (SDKs
// sign for "*"), so whatever regions a client names, the server answering
// is in them, and no other endpoint of ours could replay the request in a
// region it was not meant for.
func checkRegionSet(r *http.Request) error {
	set := canonicalHeaderValue(r, "x-amz-region-set")
	if set == "" {
		return incomplete("Authorization header requires existence of a 'X-Amz-Region-Set' header.")
	}
	for region := range strings.SplitSeq(set, ",") {
		if strings.TrimSpace(region) == "" {
			return incomplete("X-Amz-Region-Set %q is not a comma-separated list of regions.", set)
		}
	}
	return nil
}

// SignV4A signs r with Signature Version 4A for service and the region set
// "*", as AWS SDKs sign CloudFront KeyValueStore requests: like SignV4 it
// sets X-Amz-Date, X-Amz-Content-Sha256 (the hash of body) and
// Authorization, with X-Amz-Region-Set among the signed headers. ECDSA
// signatures are randomized, so signing one request twice gives two
// signatures. The only error is the key derivation's, which practically
// never fails.
func SignV4A(r *http.Request, body []byte, accessKeyID, secret, service string, now time.Time) error {
	return signV4A(r, body, accessKeyID, secret, service, "*", now)
}

// signV4A is SignV4A for any region set.
func signV4A(r *http.Request, body []byte, accessKeyID, secret, service, regionSet string, now time.Time) error {
	key, err := deriveV4AKey(accessKeyID, secret)
	if err != nil {
		return err
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	r.Header.Set(headerAmzRegionSet, regionSet)
	amzDate, signed, canonical := prepareSigning(r, body, now)
	a := authorization{
		scheme: schemeV4A, accessKeyID: accessKeyID,
		date: amzDate[:8], service: service, terminator: v4Terminator,
		signedHeaders: signed,
	}
	digest := sha256.Sum256([]byte(stringToSign(v4aAlgorithm, amzDate, a.scope(), canonical)))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return err
	}
	a.signature = hex.EncodeToString(sig)
	r.Header.Set("Authorization", a.String())
	return nil
}
