package signedurl

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
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

// testECKeys are ECDSA P-256 keys, generated once per test binary.
var testECKeys = sync.OnceValue(func() []*ecdsa.PrivateKey {
	keys := make([]*ecdsa.PrivateKey, 2)
	for i := range keys {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

func ecKey(t testing.TB, i int) *ecdsa.PrivateKey {
	t.Helper()
	return testECKeys()[i]
}

// publicPEM is the PKIX PEM of any signer's public key.
func publicPEM(s crypto.Signer) string {
	der, err := x509.MarshalPKIXPublicKey(s.Public())
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// keyGroup is a resolved key group of public keys (id, signer) pairs.
func keyGroup(name string, keys ...any) *cloudfront.KeyGroupConfig {
	g := &cloudfront.KeyGroupConfig{Name: name}
	for i := 0; i+1 < len(keys); i += 2 {
		id := keys[i].(string)
		g.Items = append(g.Items, id)
		g.Keys = append(g.Keys, cloudfront.TrustedPublicKey{ID: id, EncodedKey: publicPEM(keys[i+1].(crypto.Signer))})
	}
	return g
}

// trustingGroups is a behaviour that trusts the key groups ids, resolved
// as groups (which may be fewer, or nil, for an unresolved behaviour).
func trustingGroups(ids []string, groups ...*cloudfront.KeyGroupConfig) *cloudfront.CacheBehavior {
	return &cloudfront.CacheBehavior{TrustedKeyGroups: cloudfront.TrustedKeyGroups{Enabled: true, Items: ids, Groups: groups}}
}

// signing signs the way a CloudFront customer does, with any key and hash:
// the AWS SDK for Go v2 signs only with SHA-1 and makes no CloudFront-Expires
// cookie, so SHA-256 and canned cookies are signed here, as the developer
// guide describes them.
type signing struct {
	keyID  string
	signer crypto.Signer
	hash   crypto.Hash // 0: SHA-1
	param  string      // the Hash-Algorithm to send; "" sends none
}

func (s signing) sign(t testing.TB, policy []byte) string {
	t.Helper()
	h := s.hash
	if h == 0 {
		h = crypto.SHA1
	}
	hh := h.New()
	hh.Write(policy)
	sig, err := s.signer.Sign(rand.Reader, hh.Sum(nil), h)
	if err != nil {
		t.Fatal(err)
	}
	return encodeURLSafe(sig)
}

func (s signing) url(rawURL, first, sig string) string {
	u := join(rawURL, first, sig, s.keyID)
	if s.param != "" {
		u += "&Hash-Algorithm=" + s.param
	}
	return u
}

// canned signs rawURL with a canned policy expiring at expires.
func (s signing) canned(t testing.TB, rawURL string) string {
	t.Helper()
	exp := strconv.FormatInt(expires.Unix(), 10)
	return s.url(rawURL, "Expires="+exp, s.sign(t, cannedPolicy(rawURL, exp)))
}

// custom signs p and appends it to rawURL.
func (s signing) custom(t testing.TB, rawURL string, p Policy) string {
	t.Helper()
	pj := p.JSON()
	return s.url(rawURL, "Policy="+encodeURLSafe(pj), s.sign(t, pj))
}

// cookies are the signed cookies of a policy: canned (CloudFront-Expires)
// for resource when p is nil, else custom.
func (s signing) cookies(t testing.TB, resource string, p *Policy) []*http.Cookie {
	t.Helper()
	var cs []*http.Cookie
	if p == nil {
		exp := strconv.FormatInt(expires.Unix(), 10)
		cs = append(cs, &http.Cookie{Name: CookieExpires, Value: exp},
			&http.Cookie{Name: CookieSignature, Value: s.sign(t, cannedPolicy(resource, exp))})
	} else {
		pj := p.JSON()
		cs = append(cs, &http.Cookie{Name: CookiePolicy, Value: encodeURLSafe(pj)},
			&http.Cookie{Name: CookieSignature, Value: s.sign(t, pj)})
	}
	cs = append(cs, &http.Cookie{Name: CookieKeyPairID, Value: s.keyID})
	if s.param != "" {
		cs = append(cs, &http.Cookie{Name: CookieHashAlgorithm, Value: s.param})
	}
	return cs
}
