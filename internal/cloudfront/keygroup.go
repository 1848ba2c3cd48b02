package cloudfront

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"
)

// Public keys and key groups (API 2020-05-31): the signers of signed URLs
// and cookies that replace an account's key pairs. A behaviour trusts key
// groups by id (TrustedKeyGroups); a key group lists public keys of its
// account. The control plane resolves a behaviour's key groups, with their
// keys' PEMs, into TrustedKeyGroups.Groups for edges, so an edge verifies a
// signature with nothing but the distribution record.

// PublicKey is a public key as the API reports it. LastModifiedTime is
// the lifecycle's and never on the wire; the API shows CreatedTime.
type PublicKey struct {
	ID               string          `json:",omitzero"`
	AccountID        string          `json:",omitzero"` // owner; never sent on the wire
	CreatedTime      time.Time       `json:",omitzero"`
	LastModifiedTime time.Time       `json:",omitzero"`
	ETag             string          `json:",omitzero"`
	Revision         int64           `json:",omitzero"`
	Config           PublicKeyConfig `json:",omitzero"`
}

// PublicKeyConfig is a public key's settings. Only Comment may change.
type PublicKeyConfig struct {
	CallerReference string `json:",omitzero"`
	Name            string `json:",omitzero"`
	EncodedKey      string `json:",omitzero"` // PEM, "PUBLIC KEY"
	Comment         string `json:",omitzero"`
}

// KeyGroup is a key group as the API reports it.
type KeyGroup struct {
	ID               string         `json:",omitzero"`
	AccountID        string         `json:",omitzero"` // owner; never sent on the wire
	LastModifiedTime time.Time      `json:",omitzero"`
	ETag             string         `json:",omitzero"`
	Revision         int64          `json:",omitzero"`
	Config           KeyGroupConfig `json:",omitzero"`
}

// KeyGroupConfig is a key group's settings: a unique name and the ids of
// one to five public keys of the account.
type KeyGroupConfig struct {
	Name    string   `json:",omitzero"`
	Items   []string `json:",omitzero"` // public key ids
	Comment string   `json:",omitzero"`
	// Keys are the public keys of Items, in order, as the control plane
	// resolved them into a distribution for edges. Never on the wire,
	// never in the key group's own record.
	Keys []TrustedPublicKey `json:",omitempty" equal:"-"`
}

// TrustedPublicKey is one public key of a resolved key group.
type TrustedPublicKey struct {
	ID         string `json:",omitzero"`
	EncodedKey string `json:",omitzero"`
}

// PublicKeyARN is the ARN openfront files a public key's (absent) tags
// under; CloudFront does not tag public keys.
func PublicKeyARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":public-key/" + id
}

// KeyGroupARN is the ARN openfront files a key group's (absent) tags
// under; CloudFront does not tag key groups.
func KeyGroupARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":key-group/" + id
}

// NewPublicKeyID returns a public key id: "K" and 13 upper-case letters
// or digits, the shape CloudFront's have (K2JCJMDEHXQW5F).
func NewPublicKeyID() string { return "K" + randomString(upperAlnum, idLength-1) }

// NewKeyGroupID returns a key group id: a UUID, as CloudFront's are.
func NewKeyGroupID() string { return NewRequestID() }

// NormalizePublicKeyConfig: nothing is defaulted.
func NormalizePublicKeyConfig(*PublicKeyConfig) {}

// NormalizeKeyGroupConfig drops what only the control plane fills.
func NormalizeKeyGroupConfig(c *KeyGroupConfig) { c.Keys = nil }

// EqualPublicKeyConfigs reports whether two configs are the same.
func EqualPublicKeyConfigs(a, b *PublicKeyConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

// EqualKeyGroupConfigs reports whether two configs are the same.
func EqualKeyGroupConfigs(a, b *KeyGroupConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

// ParseSigningKey parses a public key that may sign URLs and cookies: a
// PEM "PUBLIC KEY" block (PKIX) holding an RSA key of 2048 bits or an
// ECDSA key on P-256, the two kinds the API reference admits ("RSA 2048
// or ECDSA 256"). An "RSA PUBLIC KEY" block (PKCS #1), which openssl
// writes with -RSAPublicKey_out, is accepted too.
func ParseSigningKey(encoded string) (any, error) {
	block, rest := pem.Decode([]byte(encoded))
	if block == nil {
		return nil, errors.New("the key is not in PEM format")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("the key has text after its PEM block")
	}
	var key any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		return nil, fmt.Errorf("the PEM block is a %q, not a PUBLIC KEY", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("the key does not parse: %v", err)
	}
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() != 2048 {
			return nil, fmt.Errorf("the RSA key has %d bits; CloudFront takes 2048", k.N.BitLen())
		}
		return k, nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("the ECDSA key is on %s; CloudFront takes P-256", k.Curve.Params().Name)
		}
		return k, nil
	}
	return nil, fmt.Errorf("a %T cannot sign URLs; use RSA 2048 or ECDSA P-256", key)
}

// ValidatePublicKeyConfig checks a public key's config: CallerReference,
// Name and EncodedKey required, Name and Comment of at most 128
// characters (the API reference gives the Comment's; the Name's is the
// console's, unconfirmed), and a key ParseSigningKey takes. Every refusal
// is InvalidArgument, the one code CreatePublicKey lists for a bad value.
func (r Rules) ValidatePublicKeyConfig(c *PublicKeyConfig) error {
	switch {
	case c.CallerReference == "":
		return Errorf(InvalidArgument, "The public key needs a CallerReference.")
	case len(c.CallerReference) > 128:
		return Errorf(InvalidArgument, "The CallerReference is longer than 128 characters.")
	case c.Name == "":
		return Errorf(InvalidArgument, "The public key needs a Name.")
	case len(c.Name) > 128 || !isIdentifierName(c.Name):
		return Errorf(InvalidArgument, "The Name %q must be 1 to 128 letters, digits, hyphens or underscores.", c.Name)
	case len(c.Comment) > 128:
		return Errorf(InvalidArgument, "The Comment is longer than 128 characters.")
	case c.EncodedKey == "":
		return Errorf(InvalidArgument, "The public key needs an EncodedKey.")
	}
	if _, err := ParseSigningKey(c.EncodedKey); err != nil {
		return Errorf(InvalidArgument, "The EncodedKey is not a public key CloudFront can use: %v.", err)
	}
	return nil
}

// ValidateKeyGroupConfig checks a key group's config on its own: a Name
// as a public key's, a Comment of at most 128 characters, and one to
// PublicKeysPerKeyGroup distinct public key ids. That the keys exist in
// the account is the control plane's check.
func (r Rules) ValidateKeyGroupConfig(c *KeyGroupConfig) error {
	lim := r.limits()
	switch {
	case c.Name == "":
		return Errorf(InvalidArgument, "The key group needs a Name.")
	case len(c.Name) > 128 || !isIdentifierName(c.Name):
		return Errorf(InvalidArgument, "The Name %q must be 1 to 128 letters, digits, hyphens or underscores.", c.Name)
	case len(c.Comment) > 128:
		return Errorf(InvalidArgument, "The Comment is longer than 128 characters.")
	case len(c.Items) == 0:
		return Errorf(InvalidArgument, "A key group needs at least one public key.")
	case len(c.Items) > lim.PublicKeysPerKeyGroup:
		return Errorf(TooManyPublicKeysInKeyGroup, "The key group lists %d public keys; at most %d are allowed.", len(c.Items), lim.PublicKeysPerKeyGroup)
	}
	for i, id := range c.Items {
		if id == "" {
			return Errorf(InvalidArgument, "A public key id of the key group is empty.")
		}
		if slices.Contains(c.Items[:i], id) {
			return Errorf(InvalidArgument, "The key group lists the public key %s twice.", id)
		}
	}
	return nil
}

// isIdentifierName: the console's rule for public key and key group
// names, letters, digits, hyphens and underscores (unconfirmed for the
// API, which states no pattern; a narrower rule refuses nothing a
// console-made name has).
func isIdentifierName(s string) bool {
	for _, ch := range s {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			return false
		}
	}
	return true
}
