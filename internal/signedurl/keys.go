package signedurl

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"log/slog"
	"sync"

	"github.com/openfront/openfront/internal/cloudfront"
)

// signingKey is a parsed public key that may verify signatures: an RSA
// key (trusted signers' key pairs, key groups) or an ECDSA P-256 key (key
// groups only).
type signingKey struct {
	pub any // *rsa.PublicKey or *ecdsa.PublicKey
	// fingerprint is the SHA-256 of the key's PKIX encoding: what the
	// verified-signature memo records a signature as verified by.
	fingerprint [sha256.Size]byte
}

func newSigningKey(pub any) (*signingKey, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return &signingKey{pub: pub, fingerprint: sha256.Sum256(der)}, nil
}

// verify reports whether sig signs digest, the hash h of a policy: RSA
// PKCS #1 v1.5, or ECDSA with an ASN.1 DER signature (what a crypto.Signer
// such as *ecdsa.PrivateKey writes, and so the AWS SDKs).
func (k *signingKey) verify(h crypto.Hash, digest, sig []byte) bool {
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(pub, h, digest, sig) == nil
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(pub, digest, sig)
	}
	return false
}

// parsedPEM is a PEM's parse, remembered whether it worked or not.
type parsedPEM struct {
	key *signingKey
	err error
}

// maxCachedKeys bounds the key-group key cache: past it, it starts over.
// A behaviour trusts at most a few key groups of five keys; the bound is
// for an edge that serves many accounts.
const maxCachedKeys = 4096

// keyCache holds the parsed public keys of key groups by PEM, so that a
// request parses nothing: the keys come with each distribution, not with
// the key pairs of Update, and the same PEM parses to the same key in
// every snapshot, so one cache serves them all.
type keyCache struct {
	log *slog.Logger
	mu  sync.RWMutex
	m   map[string]parsedPEM
}

func newKeyCache(log *slog.Logger) *keyCache {
	return &keyCache{log: log, m: map[string]parsedPEM{}}
}

// get returns the key of a key group's public key id, nil when its PEM is
// not a key CloudFront signs with (cloudfront.ParseSigningKey), which is
// logged once.
func (c *keyCache) get(id, pem string) *signingKey {
	c.mu.RLock()
	p, ok := c.m[pem]
	c.mu.RUnlock()
	if ok {
		return p.key
	}
	pub, err := cloudfront.ParseSigningKey(pem)
	if err == nil {
		p.key, err = newSigningKey(pub)
	}
	if err != nil {
		p = parsedPEM{err: err}
		c.log.Warn("signedurl: skipping public key", "public_key_id", id, "err", err)
	}
	c.mu.Lock()
	if len(c.m) >= maxCachedKeys {
		clear(c.m)
	}
	c.m[pem] = p
	c.mu.Unlock()
	return p.key
}

// len is the number of PEMs the cache holds.
func (c *keyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// hashOf is the hash a Hash-Algorithm value names: SHA1 when absent.
func hashOf(name string) (crypto.Hash, error) {
	switch name {
	case "", HashSHA1:
		return crypto.SHA1, nil
	case HashSHA256:
		return crypto.SHA256, nil
	}
	return 0, fmt.Errorf("Hash-Algorithm %.32q is neither SHA1 nor SHA256", name)
}
