package signedurl

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openfront/openfront/internal/feed"
)

// Request is what a check needs to know about one viewer request.
type Request struct {
	Scheme   string     // "http" or "https", as the viewer connected
	Host     string     // the Host the viewer asked for (a CNAME if one was used)
	Path     string     // the path served (the edge's canonical path)
	RawQuery string     // raw query, signed parameters included
	Peer     netip.Addr // TCP peer; not X-Forwarded-For
	Time     time.Time  // when the request arrived
}

// Verifier checks signed URLs against a fixed set of key pairs. It is
// immutable and safe for concurrent use.
type Verifier struct {
	keys map[string][]publicKey // active keys by key pair id
	pems map[string]parsedPEM   // every PEM seen, for the next Verifier

	// verified remembers signatures that verified, so the RSA check (tens
	// of microseconds) runs once per signed URL rather than on every
	// request; resource, time and IP conditions are still checked every
	// time. It belongs to this Verifier, so a change of keys starts afresh.
	verified  sync.Map // verifiedKey -> struct{}
	nVerified atomic.Int64
}

// maxVerified bounds the memo: past it, it starts over.
const maxVerified = 10_000

// verifiedKey is what a signature was verified for: the key pair, the
// policy's digest and the signature.
func verifiedKey(keyPairID string, digest [sha1.Size]byte, sig []byte) string {
	return keyPairID + "\x00" + string(digest[:]) + string(sig)
}

type publicKey struct {
	account string
	pub     *rsa.PublicKey
}

type parsedPEM struct {
	pub *rsa.PublicKey
	err error
}

// NewVerifier parses the PEMs of the active key pairs. A key pair whose
// PEM does not parse is skipped and logged (log may be nil).
func NewVerifier(pairs []feed.KeyPair, log *slog.Logger) *Verifier {
	return newVerifier(pairs, log, nil)
}

// newVerifier reuses prev's parsed PEMs, so that each feed revision
// neither parses nor logs the same key again.
func newVerifier(pairs []feed.KeyPair, log *slog.Logger, prev *Verifier) *Verifier {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	v := &Verifier{keys: map[string][]publicKey{}, pems: map[string]parsedPEM{}}
	for _, kp := range pairs {
		if !kp.Active {
			continue
		}
		p, seen := v.pems[kp.PublicKeyPEM]
		if !seen && prev != nil {
			p, seen = prev.pems[kp.PublicKeyPEM]
			if seen {
				v.pems[kp.PublicKeyPEM] = p
			}
		}
		if !seen {
			pub, err := ParsePublicKey([]byte(kp.PublicKeyPEM))
			p = parsedPEM{pub, err}
			v.pems[kp.PublicKeyPEM] = p
			if err != nil {
				log.Warn("signedurl: skipping key pair", "key_pair_id", kp.ID, "account", kp.AccountID, "err", err)
			}
		}
		if p.err != nil {
			continue
		}
		v.keys[kp.ID] = append(v.keys[kp.ID], publicKey{account: kp.AccountID, pub: p.pub})
	}
	return v
}

// ParsePublicKey parses an RSA public key in a PEM block of type
// "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY" (PKCS #1).
func ParsePublicKey(pemBytes []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%T is not an RSA key", k)
		}
		return rk, nil
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	}
	return nil, fmt.Errorf("PEM block type %q is not a public key", block.Type)
}

// Verify runs the checks of spec §9.4 in order. signers are the account
// ids of the behaviour's trusted signers, "self" already replaced by the
// distribution's owner. The error is an *Error; CodeOf gives its code.
func (v *Verifier) Verify(q Request, signers []string) error {
	p, rest := ParseQuery(q.RawQuery)
	// 1. A Key-Pair-Id is present.
	if p.KeyPairID == "" {
		return fail(MissingKey, "no Key-Pair-Id")
	}
	// 2. The key is known and active for a signer of this behaviour.
	var keys []*rsa.PublicKey
	for _, k := range v.keys[p.KeyPairID] {
		if slices.Contains(signers, k.account) {
			keys = append(keys, k.pub)
		}
	}
	if len(keys) == 0 {
		return fail(InvalidKey, "key pair "+p.KeyPairID+" is unknown, inactive or not a signer's")
	}
	// 3. The signature verifies over the exact policy bytes.
	if p.Signature == "" {
		return fail(AccessDenied, "no Signature")
	}
	sig, err := decodeURLSafe(p.Signature)
	if err != nil {
		return fail(AccessDenied, "Signature is not base64")
	}
	url := SignedURL(q.Scheme, q.Host, q.Path, rest)
	var policy []byte
	switch {
	case p.Policy != "":
		if policy, err = decodeURLSafe(p.Policy); err != nil {
			return fail(MalformedPolicy, "Policy is not base64")
		}
	case p.Expires != "":
		if !isDigits(p.Expires) {
			// No canned policy can be built, so none was signed.
			return fail(AccessDenied, "Expires is not a number of seconds")
		}
		policy = cannedPolicy(url, p.Expires)
	default:
		return fail(AccessDenied, "neither Expires nor Policy")
	}
	digest := sha1.Sum(policy)
	memo := verifiedKey(p.KeyPairID, digest, sig)
	if _, ok := v.verified.Load(memo); !ok {
		verified := false
		for _, k := range keys {
			if rsa.VerifyPKCS1v15(k, crypto.SHA1, digest[:], sig) == nil {
				verified = true
				break
			}
		}
		if !verified {
			return fail(AccessDenied, "signature does not verify")
		}
		if v.nVerified.Add(1) > maxVerified {
			v.verified.Clear()
			v.nVerified.Store(1)
		}
		v.verified.Store(memo, struct{}{})
	}
	// 4. The policy parses (only now that its bytes are known to be signed).
	pol, err := ParsePolicy(policy)
	if err != nil {
		return fail(MalformedPolicy, err.Error())
	}
	// 5–7. Resource, time window, viewer IP.
	if ok, why := pol.Allows(url, q.Time, q.Peer); !ok {
		return fail(AccessDenied, why)
	}
	return nil
}
