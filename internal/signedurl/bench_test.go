package signedurl

import (
	"crypto"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"

	"github.com/openfront/openfront/internal/cloudfront"
)

// BenchmarkCheck is the cost a signed URL or cookie adds to every request
// of a private behaviour, cache hits included, once the signature is
// remembered: the signature is verified (RSA or ECDSA) on the first
// request only. The key-group cases must cost about what the trusted
// signers' do: their keys are parsed once, not per request.
func BenchmarkCheck(b *testing.B) {
	must := mustT(b)
	c := NewChecker(Options{Now: func() time.Time { return arrival }})
	c.Update(testPairs(b))
	d := &cloudfront.Distribution{AccountID: owner}
	signers := trusting("self")
	groups := trustingGroups([]string{"kg-0", "kg-1"},
		keyGroup("g0", "K0", key(b, 2), "K00", ecKey(b, 1)),
		keyGroup("g1", "K1", key(b, 0), "KEC", ecKey(b, 0)))
	cookies := func(cs []*http.Cookie, err error) []*http.Cookie {
		if err != nil {
			b.Fatal(err)
		}
		return cs
	}
	wildcard := "http*://d111111abcdef8.cloudfront.net/*"
	for _, bc := range []struct {
		name    string
		url     string
		cookies []*http.Cookie
		b       *cloudfront.CacheBehavior
	}{
		{"canned", must(SignCanned(base, expires, "APKAOWNER", key(b, 0))), nil, signers},
		{"custom", must(SignCustom(base, string(customPolicy(wildcard).JSON()), "APKAOWNER", key(b, 0))), nil, signers},
		{"key group/canned", must(sign.NewURLSigner("K1", key(b, 0)).Sign(base, expires)), nil, groups},
		{"key group/custom", must(SignCustom(base, string(customPolicy(wildcard).JSON()), "K1", key(b, 0))), nil, groups},
		{"key group/ECDSA canned", must(sign.NewURLSigner("KEC", ecKey(b, 0)).Sign(base, expires)), nil, groups},
		{"key group/SHA256 canned", signing{keyID: "K1", signer: key(b, 0), hash: crypto.SHA256, param: HashSHA256}.canned(b, base), nil, groups},
		{"key group/cookie custom", base, cookies(sign.NewCookieSigner("K1", key(b, 0)).SignWithPolicy(sdkPolicy(wildcard, expires))), groups},
		{"key group/cookie canned", base, signing{keyID: "K1", signer: key(b, 0)}.cookies(b, base, nil), groups},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, bc.url, nil)
			r.RemoteAddr = "192.0.2.10:5000"
			r.Header.Set("Cookie", "session=0123456789; theme=dark")
			for _, ck := range bc.cookies {
				r.AddCookie(ck)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, ok := c.Check(r, r.URL.EscapedPath(), d, bc.b); !ok {
					b.Fatal("refused")
				}
			}
		})
	}
}
