package signedurl

import (
	"crypto/rsa"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

const base = "http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes"

// verifyCase is one request through Verify; want "" means it passes.
type verifyCase struct {
	name    string
	url     string
	signers []string // default: the owner
	edit    func(*Request)
	want    Code
}

// customPolicy is a custom policy for resource, valid for the test's
// arrival time, restricted to the viewer's /24.
func customPolicy(resource string) Policy {
	return Policy{Resource: resource, DateLessThan: expires, DateGreaterThan: arrival.Add(-time.Hour),
		SourceIP: netip.MustParsePrefix("192.0.2.0/24")}
}

func verifyCases(t testing.TB) []verifyCase {
	must := mustT(t)
	k0, k1, k2, k3 := key(t, 0), key(t, 1), key(t, 2), key(t, 3)
	canned := must(SignCanned(base, expires, "APKAOWNER", k0))
	custom := func(url string, p Policy, keyID string, k int) string {
		return must(SignCustom(url, string(p.JSON()), keyID, key(t, k)))
	}
	raw := func(policy string) string {
		return must(signCustom(base, []byte(policy), "APKAOWNER", k0))
	}
	at := func(tm time.Time) func(*Request) { return func(q *Request) { q.Time = tm } }
	from := func(ip string) func(*Request) { return func(q *Request) { q.Peer = netip.MustParseAddr(ip) } }
	sig := canned[strings.Index(canned, "&Signature="):]
	return []verifyCase{
		// 1. Key-Pair-Id present.
		{name: "canned", url: canned},
		{name: "no Key-Pair-Id", url: strings.TrimSuffix(canned, "&Key-Pair-Id=APKAOWNER"), want: MissingKey},
		{name: "empty Key-Pair-Id", url: strings.Replace(canned, "Key-Pair-Id=APKAOWNER", "Key-Pair-Id=", 1), want: MissingKey},
		{name: "unsigned", url: base, want: MissingKey},
		// 2. Known, active, a signer's.
		{name: "unknown key", url: strings.Replace(canned, "APKAOWNER", "APKANOBODY", 1), want: InvalidKey},
		{name: "inactive key", url: must(SignCanned(base, expires, "APKAINACTIVE", k1)), want: InvalidKey},
		{name: "another account's key", url: must(SignCanned(base, expires, "APKASTRANGER", k2)), want: InvalidKey},
		{name: "a trusted partner's key", url: must(SignCanned(base, expires, "APKAPARTNER", k1)), signers: []string{owner, partner}},
		{name: "partner's key when only the owner is trusted", url: must(SignCanned(base, expires, "APKAPARTNER", k1)), want: InvalidKey},
		{name: "no signers at all", url: canned, signers: []string{}, want: InvalidKey},
		{name: "key whose PEM does not parse", url: must(SignCanned(base, expires, "APKABADPEM", k0)), want: InvalidKey},
		{name: "PKCS #1 PEM", url: must(SignCanned(base, expires, "APKAPKCS1", k3))},
		// 3. The signature verifies.
		{name: "no Signature", url: strings.Replace(canned, sig, "&Key-Pair-Id=APKAOWNER", 1), want: AccessDenied},
		{name: "Signature not base64", url: strings.Replace(canned, "&Signature=", "&Signature=*", 1), want: AccessDenied},
		{name: "neither Expires nor Policy", url: strings.Replace(canned, "&Expires=1357034400", "", 1), want: AccessDenied},
		{name: "Expires not a number", url: strings.Replace(canned, "Expires=1357034400", "Expires=1357034400}", 1), want: AccessDenied},
		{name: "later Expires", url: strings.Replace(canned, "Expires=1357034400", "Expires=1357034401", 1), want: AccessDenied},
		{name: "tampered path", url: strings.Replace(canned, "horizon", "horizen", 1), want: AccessDenied},
		{name: "tampered query", url: strings.Replace(canned, "size=large", "size=small", 1), want: AccessDenied},
		{name: "extra viewer parameter", url: canned + "&x=1", want: AccessDenied},
		{name: "other host", url: strings.Replace(canned, "d111111abcdef8", "d222222abcdef8", 1), want: AccessDenied},
		{name: "https for an http URL", url: canned, edit: func(q *Request) { q.Scheme = "https" }, want: AccessDenied},
		{name: "signed by another key", url: must(SignCanned(base, expires, "APKAOWNER", k1)), want: AccessDenied},
		{name: "custom policy tampered", url: strings.Replace(custom(base, customPolicy(base), "APKAOWNER", 0), "Policy=e", "Policy=f", 1), want: AccessDenied},
		// Where the parameters are.
		{name: "viewer parameter after Key-Pair-Id", url: strings.Replace(must(SignCanned("http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large", expires, "APKAOWNER", k0)),
			"?size=large&", "?", 1) + "&size=large"},
		{name: "percent-encoded signature", url: strings.ReplaceAll(canned, "~", "%7E")},
		{name: "CNAME as requested", url: must(SignCanned("https://cdn.example.com:8443/a%20b.jpg", expires, "APKAOWNER", k0))},
		// 4. The policy parses.
		{name: "Policy not base64", url: strings.Replace(custom(base, customPolicy(base), "APKAOWNER", 0), "Policy=", "Policy=*", 1), want: MalformedPolicy},
		{name: "signed policy not JSON", url: raw(`{"Statement":`), want: MalformedPolicy},
		{name: "signed policy with two statements", url: raw(`{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1357034400}}},{"Condition":{"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`), want: MalformedPolicy},
		{name: "signed policy without DateLessThan", url: raw(`{"Statement":[{"Resource":"*","Condition":{"DateGreaterThan":{"AWS:EpochTime":1}}}]}`), want: MalformedPolicy},
		{name: "signed policy with an IPv6 source", url: raw(`{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1357034400},"IpAddress":{"AWS:SourceIp":"::1/128"}}}]}`), want: MalformedPolicy},
		{name: "Expires beyond int64", url: must(signCanned(base, "9999999999999999999", "APKAOWNER", k0)), want: MalformedPolicy},
		// 5. Resource.
		{name: "custom", url: custom(base, customPolicy(base), "APKAOWNER", 0)},
		{name: "custom wildcard", url: custom("http://d111111abcdef8.cloudfront.net/training/a/b.mp4?x=1", customPolicy("http*://d111111abcdef8.cloudfront.net/training/*"), "APKAOWNER", 0)},
		{name: "custom ? wildcard", url: custom("http://d111111abcdef8.cloudfront.net/v1.jpg", customPolicy("http://d111111abcdef8.cloudfront.net/v?.jpg"), "APKAOWNER", 0)},
		{name: "custom wildcard mismatch", url: custom("http://d111111abcdef8.cloudfront.net/other/b.mp4", customPolicy("http://d111111abcdef8.cloudfront.net/training/*"), "APKAOWNER", 0), want: AccessDenied},
		{name: "custom without resource", url: custom("http://anything.example/x", Policy{DateLessThan: expires}, "APKAOWNER", 0)},
		{name: "custom, one policy for many URLs", url: strings.Replace(custom(base, customPolicy("http://d111111abcdef8.cloudfront.net/*"), "APKAOWNER", 0), "horizon.jpg", "other.jpg", 1)},
		// 6. Time.
		{name: "canned a second before expiry", url: canned, edit: at(expires.Add(-time.Second))},
		{name: "canned at expiry", url: canned, edit: at(expires), want: AccessDenied},
		{name: "canned expired", url: canned, edit: at(expires.Add(time.Hour)), want: AccessDenied},
		{name: "custom not yet valid", url: custom(base, customPolicy(base), "APKAOWNER", 0), edit: at(arrival.Add(-2 * time.Hour)), want: AccessDenied},
		{name: "custom expired", url: custom(base, customPolicy(base), "APKAOWNER", 0), edit: at(expires), want: AccessDenied},
		// 7. Viewer IP.
		{name: "custom from another IP", url: custom(base, customPolicy(base), "APKAOWNER", 0), edit: from("198.51.100.7"), want: AccessDenied},
		{name: "custom from IPv6", url: custom(base, customPolicy(base), "APKAOWNER", 0), edit: from("2001:db8::1"), want: AccessDenied},
		{name: "custom from an IPv4-mapped address", url: custom(base, customPolicy(base), "APKAOWNER", 0), edit: from("::ffff:192.0.2.99")},
		// Order: the first failing check decides.
		{name: "expired and unknown key", url: strings.Replace(canned, "APKAOWNER", "APKANOBODY", 1), edit: at(expires.Add(time.Hour)), want: InvalidKey},
		{name: "malformed before expired", url: raw(`{"Statement":[]}`), edit: at(expires.Add(time.Hour)), want: MalformedPolicy},
	}
}

// signCanned signs a canned policy with any Expires text.
func signCanned(url, exp, keyID string, k *rsa.PrivateKey) (string, error) {
	s, err := signPolicy(cannedPolicy(url, exp), k)
	if err != nil {
		return "", err
	}
	return join(url, "Expires="+exp, s, keyID), nil
}

func TestVerify(t *testing.T) {
	v := NewVerifier(testPairs(t), nil)
	for _, tt := range verifyCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			q := requestFor(t, tt.url)
			if tt.edit != nil {
				tt.edit(&q)
			}
			signers := tt.signers
			if signers == nil {
				signers = []string{owner}
			}
			err := v.Verify(q, signers)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("%s: %v", tt.url, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("%s: got %v, want %s", tt.url, err, tt.want)
			}
		})
	}
}

// TestVerifiedMemo: a signature that verified once is not checked with RSA
// again, but every request still gets the policy's conditions, and a
// signature that never verified is not remembered.
func TestVerifiedMemo(t *testing.T) {
	v := NewVerifier(testPairs(t), nil)
	signed := mustT(t)(SignCanned(base, expires, "APKAOWNER", key(t, 0)))
	signers := []string{owner}
	q := requestFor(t, signed)
	for i := range 2 {
		if err := v.Verify(q, signers); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	late := q
	late.Time = expires.Add(time.Second)
	if err := v.Verify(late, signers); CodeOf(err) != AccessDenied {
		t.Fatalf("expired URL with a remembered signature: %v", err)
	}
	// Another key's signature over the same policy: refused, twice.
	forged := mustT(t)(SignCanned(base, expires, "APKAOWNER", key(t, 1)))
	for i := range 2 {
		if err := v.Verify(requestFor(t, forged), signers); CodeOf(err) != AccessDenied {
			t.Fatalf("forged %d: %v", i, err)
		}
	}
	if n := v.nVerified.Load(); n != 1 {
		t.Fatalf("%d signatures remembered, want 1", n)
	}
}
