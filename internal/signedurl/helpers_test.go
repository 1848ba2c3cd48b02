package signedurl

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/netip"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/feed"
)

// Accounts of the tests: owner owns the distribution ("self"), partner is
// a trusted signer in some cases, stranger never is.
const (
	owner    = "111111111111"
	partner  = "222222222222"
	stranger = "333333333333"
)

// testKeys are generated once per test binary (2048 bits, as CloudFront
// requires).
var testKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	keys := make([]*rsa.PrivateKey, 4)
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

func key(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	return testKeys()[i]
}

func pkixPEM(k *rsa.PrivateKey) string {
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func pkcs1PEM(k *rsa.PrivateKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.PublicKey)}))
}

// testPairs are the snapshot's key pairs: APKAOWNER (key 0) and APKAPKCS1
// (key 3, PKCS #1 PEM) of the owner, APKAINACTIVE (key 1) of the owner but
// inactive, APKAPARTNER (key 1) of the partner, APKASTRANGER (key 2) of a
// stranger, APKABADPEM whose PEM does not parse.
func testPairs(t testing.TB) []feed.KeyPair {
	return []feed.KeyPair{
		{ID: "APKAOWNER", AccountID: owner, PublicKeyPEM: pkixPEM(key(t, 0)), Active: true},
		{ID: "APKAINACTIVE", AccountID: owner, PublicKeyPEM: pkixPEM(key(t, 1)), Active: false},
		{ID: "APKAPARTNER", AccountID: partner, PublicKeyPEM: pkixPEM(key(t, 1)), Active: true},
		{ID: "APKASTRANGER", AccountID: stranger, PublicKeyPEM: pkixPEM(key(t, 2)), Active: true},
		{ID: "APKABADPEM", AccountID: owner, PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", Active: true},
		{ID: "APKAPKCS1", AccountID: owner, PublicKeyPEM: pkcs1PEM(key(t, 3)), Active: true},
	}
}

// Times of the tests: the spec's example expiry and an hour before it.
var (
	expires = time.Unix(1357034400, 0).UTC()
	arrival = expires.Add(-time.Hour)
	viewer  = netip.MustParseAddr("192.0.2.10")
)

// requestFor is the Request a viewer at viewer sends, at arrival, for a
// signed URL.
func requestFor(t testing.TB, signed string) Request {
	t.Helper()
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	return Request{Scheme: u.Scheme, Host: u.Host, Path: u.EscapedPath(), RawQuery: u.RawQuery, Peer: viewer, Time: arrival}
}

// mustT returns a function that unwraps a signer's result or fails t.
func mustT(t testing.TB) func(string, error) string {
	return func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}
