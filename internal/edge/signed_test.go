package edge

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/signedurl"
)

// denyChecker refuses requests whose query contains "deny", and records
// the paths it is asked about.
type denyChecker struct {
	calls int
	paths []string
}

func (c *denyChecker) Check(r *http.Request, path string, d *cloudfront.Distribution, b *cloudfront.CacheBehavior) (int, []byte, bool) {
	c.calls++
	c.paths = append(c.paths, path)
	if strings.Contains(r.URL.RawQuery, "deny") {
		return http.StatusForbidden, []byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>`), false
	}
	return 0, nil, true
}

func TestSignedURLHook(t *testing.T) {
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.URL.RawQuery)) })
	checker := &denyChecker{}
	e := newEdge(t, Options{SignedURLs: checker}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.QueryString = true
		c.DefaultCacheBehavior.TrustedSigners = cloudfront.TrustedSigners{Enabled: true, Items: []string{"self"}}
	}))
	tests := []struct {
		name, path string
		status     int
		body       string
		xcache     string
	}{
		{"signature removed before forwarding", "/p?size=1&Expires=1&Signature=a&Key-Pair-Id=K", 200, "size=1", "Miss from cloudfront"},
		{"and from the cache key", "/p?size=1&Policy=x&Signature=b&Key-Pair-Id=K", 200, "size=1", "Hit from cloudfront"},
		{"refused by the verifier", "/p?deny=1&Signature=b", 403, "AccessDenied", "Error from cloudfront"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, "d1.cloudfront.test", tt.path)
			if r.StatusCode != tt.status || !strings.Contains(r.body, tt.body) || r.Header.Get("X-Cache") != tt.xcache {
				t.Fatalf("%d %q %q", r.StatusCode, r.body, r.Header.Get("X-Cache"))
			}
		})
	}
	if checker.calls != 3 {
		t.Errorf("verifier called %d times, want 3 (every request)", checker.calls)
	}
}

// TestSignedKeyGroups runs the real checker in a real edge for a
// distribution whose behaviours trust key groups (API 2020-05-31), resolved
// as the control plane leaves them for edges: the default behaviour trusts
// kg-1 (RSA key K1), /other/* trusts kg-2 (ECDSA key K2), and the groups of
// /unresolved/* were not resolved. The AWS SDK signs URLs and cookies.
func TestSignedKeyGroups(t *testing.T) {
	const owner = "111111111111"
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pemOf := func(pub any) string {
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	}
	group := func(id string, pub any) []*cloudfront.KeyGroupConfig {
		return []*cloudfront.KeyGroupConfig{{Name: "g-" + id, Items: []string{id}, Keys: []cloudfront.TrustedPublicKey{{ID: id, EncodedKey: pemOf(pub)}}}}
	}

	var mu sync.Mutex
	var originQueries []string
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		originQueries = append(originQueries, r.URL.RawQuery)
		mu.Unlock()
		io.WriteString(w, "private "+r.URL.Path)
	})
	clock := newClock()
	checker := signedurl.NewChecker(signedurl.Options{Now: clock.Now})
	// A legacy key pair of the owner, with the very key of K1: a
	// key-group behaviour still refuses it, by id.
	checker.Update([]feed.KeyPair{{ID: "APKALEGACY", AccountID: owner, PublicKeyPEM: pemOf(&rsaKey.PublicKey), Active: true}})
	d := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.DefaultCacheBehavior.QueryString = true
		c.DefaultCacheBehavior.TrustedKeyGroups = cloudfront.TrustedKeyGroups{Enabled: true, Items: []string{"kg-1"},
			Groups: []*cloudfront.KeyGroupConfig{{Name: "g", Items: []string{"K1"}, Keys: []cloudfront.TrustedPublicKey{{ID: "K1", EncodedKey: pemOf(&rsaKey.PublicKey)}}}}}
		other := cacheBehavior("o")
		other.PathPattern = "/other/*"
		other.TrustedKeyGroups = cloudfront.TrustedKeyGroups{Enabled: true, Items: []string{"kg-2"}, Groups: group("K2", &ecKey.PublicKey)}
		unresolved := cacheBehavior("o")
		unresolved.PathPattern = "/unresolved/*"
		unresolved.TrustedKeyGroups = cloudfront.TrustedKeyGroups{Enabled: true, Items: []string{"kg-1"}}
		c.CacheBehaviors = []cloudfront.CacheBehavior{other, unresolved}
	})
	d.AccountID = owner
	e := newEdge(t, Options{SignedURLs: checker, Now: clock.Now}, d)

	must := func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	const host = "http://d1.cloudfront.test"
	expires := clock.Now().Add(time.Hour)
	k1 := sign.NewURLSigner("K1", rsaKey)
	k2 := sign.NewURLSigner("K2", ecKey)
	cookieHeader := func(cs []*http.Cookie, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		r := &http.Request{Header: http.Header{}}
		for _, c := range cs {
			r.AddCookie(c)
		}
		return r.Header.Get("Cookie")
	}
	policy := func(resource string) *sign.Policy {
		return &sign.Policy{Statements: []sign.Statement{{Resource: resource, Condition: sign.Condition{DateLessThan: sign.NewAWSEpochTime(expires)}}}}
	}
	cookies := cookieHeader(sign.NewCookieSigner("K1", rsaKey).SignWithPolicy(policy(host + "/private/*")))
	unresolvedCookies := cookieHeader(sign.NewCookieSigner("K1", rsaKey).SignWithPolicy(policy(host + "/*")))
	// SHA-256, signed as the developer guide says (the SDK signs SHA-1 only).
	sha256URL := func(rawURL string) string {
		exp := strconv.FormatInt(expires.Unix(), 10)
		digest := sha256.Sum256([]byte(`{"Statement":[{"Resource":"` + rawURL + `","Condition":{"DateLessThan":{"AWS:EpochTime":` + exp + `}}}]}`))
		sig, err := rsa.SignPKCS1v15(nil, rsaKey, crypto.SHA256, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		b64 := strings.NewReplacer("+", "-", "=", "_", "/", "~").Replace(base64.StdEncoding.EncodeToString(sig))
		return rawURL + "&Expires=" + exp + "&Signature=" + b64 + "&Key-Pair-Id=K1&Hash-Algorithm=SHA256"
	}
	missing, invalid := string(signedurl.MissingKey.Body()), string(signedurl.InvalidKey.Body())

	tests := []struct {
		name   string
		url    string
		cookie string
		status int
		body   string
		origin string // the query the origin saw; "-" when it saw nothing, "*" unchecked
	}{
		{"URL signed by the group's key", must(k1.Sign(host+"/private/a.txt?size=1", expires)), "", 200, "private /private/a.txt", "size=1"},
		{"unsigned, though cached", host + "/private/a.txt?size=1", "", 403, missing, "-"},
		{"signed cookies", host + "/private/b.txt", cookies, 200, "private /private/b.txt", ""},
		{"signed cookies, another folder", host + "/public/b.txt", cookies, 403, string(signedurl.AccessDenied.Body()), "-"},
		{"unsigned", host + "/private/c.txt", "", 403, missing, "-"},
		{"key of another behaviour's group", must(k2.Sign(host+"/private/c.txt", expires)), "", 403, invalid, "-"},
		{"that key where its group is trusted (ECDSA)", must(k2.Sign(host+"/other/c.txt", expires)), "", 200, "private /other/c.txt", ""},
		{"legacy key pair", must(sign.NewURLSigner("APKALEGACY", rsaKey).Sign(host+"/private/d.txt", expires)), "", 403, invalid, "-"},
		// Hash-Algorithm is a signing parameter: neither keyed nor forwarded.
		{"SHA-256", sha256URL(host + "/private/e.txt?v=2"), "", 200, "private /private/e.txt", "v=2"},
		{"unresolved groups, signed URL", must(k1.Sign(host+"/unresolved/a.txt", expires)), "", 403, invalid, "-"},
		{"unresolved groups, signed cookies", host + "/unresolved/a.txt", unresolvedCookies, 403, invalid, "-"},
		{"unresolved groups, unsigned", host + "/unresolved/a.txt", "", 403, missing, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			originQueries = nil
			mu.Unlock()
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			var hdr []string
			if tt.cookie != "" {
				hdr = []string{"Cookie", tt.cookie}
			}
			r := e.get(t, u.Host, u.RequestURI(), hdr...)
			if r.StatusCode != tt.status || r.body != tt.body {
				t.Fatalf("got %d %q, want %d %q", r.StatusCode, r.body, tt.status, tt.body)
			}
			if tt.status == 403 {
				if ct, xc := r.Header.Get("Content-Type"), r.Header.Get("X-Cache"); ct != "text/xml" || xc != "Error from cloudfront" {
					t.Errorf("Content-Type %q, X-Cache %q", ct, xc)
				}
			}
			e.settle(t)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case tt.origin == "*":
			case tt.origin == "-" && len(originQueries) != 0:
				t.Errorf("the origin was asked: %q", originQueries)
			case tt.origin != "-" && (len(originQueries) != 1 || originQueries[0] != tt.origin):
				t.Errorf("the origin saw %q, want [%q]", originQueries, tt.origin)
			}
		})
	}
}
