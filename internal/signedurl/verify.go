package signedurl

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// Request is what a check needs to know about one viewer request.
type Request struct {
	Scheme   string // "http" or "https", as the viewer connected
	Host     string // the Host the viewer asked for (a CNAME if one was used)
	Path     string // the path served (the edge's canonical path)
	RawQuery string // raw query, signing parameters included
	// Cookies are the signing parameters of the viewer's signed cookies
	// (CookieParams). They count only when RawQuery has none: "If a viewer
	// uses a signed URL ... CloudFront determines whether to return the
	// file based only on the signed URL."
	Cookies Params
	Peer    netip.Addr // TCP peer; not X-Forwarded-For
	Time    time.Time  // when the request arrived
}

// Verifier checks signed URLs and cookies against the key pairs of one
// snapshot (trusted signers) and the key groups a behaviour carries. It is
// safe for concurrent use; its key pairs never change.
type Verifier struct {
	keys map[string][]pairKey // active key pairs by key pair id
	pems map[string]parsedPEM // every key pair PEM seen, for the next Verifier
	// groupKeys parses the PEMs of key groups once; it is handed from
	// Verifier to Verifier.
	groupKeys *keyCache

	// verified remembers signatures that verified, so the RSA or ECDSA
	// check (tens of microseconds) runs once per signed URL rather than on
	// every request; resource, time and IP conditions are still checked
	// every time. It belongs to this Verifier, so a change of keys starts
	// afresh.
	verified  sync.Map // memoKey -> struct{}
	nVerified atomic.Int64
}

// maxVerified bounds the memo: past it, it starts over.
const maxVerified = 10_000

// memoKey is what a signature was verified for: the hash, the key that
// verified it (by fingerprint), the digest of the policy, the signature
// and the key id the viewer named. The fixed-size parts come first and the
// signature's length is written, so no two inputs give the same key.
func memoKey(h crypto.Hash, k *signingKey, digest, sig []byte, keyID string) string {
	var b strings.Builder
	b.Grow(1 + len(k.fingerprint) + len(digest) + 4 + len(sig) + len(keyID))
	b.WriteByte(byte(h))
	b.Write(k.fingerprint[:])
	b.Write(digest)
	n := uint32(len(sig))
	b.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	b.Write(sig)
	b.WriteString(keyID)
	return b.String()
}

// pairKey is an active key pair of a trusted signer's account.
type pairKey struct {
	account string
	key     *signingKey
}

// NewVerifier parses the PEMs of the active key pairs. A key pair whose
// PEM does not parse is skipped and logged (log may be nil), and so is a
// key group's public key, when a request first names it.
func NewVerifier(pairs []feed.KeyPair, log *slog.Logger) *Verifier {
	return newVerifier(pairs, log, nil)
}

// newVerifier reuses prev's parsed PEMs, so that each feed revision
// neither parses nor logs the same key again.
func newVerifier(pairs []feed.KeyPair, log *slog.Logger, prev *Verifier) *Verifier {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	v := &Verifier{keys: map[string][]pairKey{}, pems: map[string]parsedPEM{}}
	if prev != nil {
		v.groupKeys = prev.groupKeys
	} else {
		v.groupKeys = newKeyCache(log)
	}
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
			if err == nil {
				p.key, err = newSigningKey(pub)
			}
			p.err = err
			v.pems[kp.PublicKeyPEM] = p
			if err != nil {
				log.Warn("signedurl: skipping key pair", "key_pair_id", kp.ID, "account", kp.AccountID, "err", err)
			}
		}
		if p.err != nil {
			continue
		}
		v.keys[kp.ID] = append(v.keys[kp.ID], pairKey{account: kp.AccountID, key: p.key})
	}
	return v
}

// ParsePublicKey parses an RSA public key in a PEM block of type
// "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY" (PKCS #1): a key pair's, which
// is always RSA. Key groups' keys go through cloudfront.ParseSigningKey.
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

// trust is whom a behaviour trusts: the accounts of its trusted signers,
// or (keyGroups) its key groups.
type trust struct {
	signers   []string
	groups    *cloudfront.TrustedKeyGroups
	keyGroups bool
}

// Verify runs the checks of spec §9.4 in order for a behaviour with
// trusted signers. signers are their account ids, "self" already replaced
// by the distribution's owner. The error is an *Error; CodeOf gives its
// code.
func (v *Verifier) Verify(q Request, signers []string) error {
	return v.verify(q, trust{signers: signers})
}

// VerifyKeyGroups is Verify for a behaviour with trusted key groups
// (Enabled is not looked at): the Key-Pair-Id must be the id of a public
// key of one of groups.Groups, which must be resolved, one for each of
// groups.Items; a behaviour whose groups are not (nil, or fewer Groups
// than Items, or a nil one) trusts no key at all.
func (v *Verifier) VerifyKeyGroups(q Request, groups *cloudfront.TrustedKeyGroups) error {
	if groups == nil {
		groups = &cloudfront.TrustedKeyGroups{}
	}
	return v.verify(q, trust{groups: groups, keyGroups: true})
}

// candidates appends to buf the keys of key id that t trusts; none comes
// with the reason.
func (v *Verifier) candidates(t trust, id string, buf []*signingKey) ([]*signingKey, string) {
	if !t.keyGroups {
		for _, k := range v.keys[id] {
			if slices.Contains(t.signers, k.account) {
				buf = append(buf, k.key)
			}
		}
		if len(buf) == 0 {
			return nil, "key pair " + id + " is unknown, inactive or not a signer's"
		}
		return buf, ""
	}
	g := t.groups
	if len(g.Groups) < len(g.Items) {
		return nil, "the behaviour's key groups are not resolved"
	}
	for i, gid := range g.Items {
		kg := g.Groups[i]
		if kg == nil {
			return nil, "key group " + gid + " is not resolved"
		}
		for _, k := range kg.Keys {
			if k.ID != id {
				continue
			}
			if key := v.groupKeys.get(k.ID, k.EncodedKey); key != nil && !slices.Contains(buf, key) {
				buf = append(buf, key)
			}
		}
	}
	if len(buf) == 0 {
		return nil, "public key " + id + " is in none of the behaviour's key groups, or does not parse"
	}
	return buf, ""
}

func (v *Verifier) verify(q Request, t trust) error {
	p, rest := ParseQuery(q.RawQuery)
	if p == (Params{}) {
		// No signed URL: the signed cookies decide, for the URL as it is.
		p = q.Cookies
	}
	// 1. A Key-Pair-Id is present.
	if p.KeyPairID == "" {
		return fail(MissingKey, "no Key-Pair-Id")
	}
	// 2. The key is known and trusted by this behaviour.
	var buf [2]*signingKey
	keys, why := v.candidates(t, p.KeyPairID, buf[:0])
	if len(keys) == 0 {
		return fail(InvalidKey, why)
	}
	// 3. The signature verifies over the exact policy bytes.
	if p.Signature == "" {
		return fail(AccessDenied, "no Signature")
	}
	sig, err := decodeURLSafe(p.Signature)
	if err != nil {
		return fail(AccessDenied, "Signature is not base64")
	}
	h, err := hashOf(p.HashAlgorithm)
	if err != nil {
		return fail(AccessDenied, err.Error())
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
	var sum [sha256.Size]byte
	digest := sum[:h.Size()]
	if h == crypto.SHA256 {
		sum = sha256.Sum256(policy)
	} else {
		s := sha1.Sum(policy)
		copy(digest, s[:])
	}
	if !v.signedBy(h, keys, digest, sig, p.KeyPairID) {
		return fail(AccessDenied, "signature does not verify")
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

// signedBy reports whether one of keys signed digest with sig, from the
// memo when that key verified the same signature before.
func (v *Verifier) signedBy(h crypto.Hash, keys []*signingKey, digest, sig []byte, keyID string) bool {
	for _, k := range keys {
		if _, ok := v.verified.Load(memoKey(h, k, digest, sig, keyID)); ok {
			return true
		}
	}
	for _, k := range keys {
		if !k.verify(h, digest, sig) {
			continue
		}
		if v.nVerified.Add(1) > maxVerified {
			v.verified.Clear()
			v.nVerified.Store(1)
		}
		v.verified.Store(memoKey(h, k, digest, sig, keyID), struct{}{})
		return true
	}
	return false
}
