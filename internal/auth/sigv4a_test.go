package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

const (
	kvsService = "cloudfront-keyvaluestore"
	kvsTarget  = "https://111122223333.cloudfront-kvs.global.api.aws/key-value-stores/arn%3Aaws%3Acloudfront%3A%3A111122223333%3Akey-value-store%2F9b7a1f3e-2c4d-4e5f-8a6b-7c8d9e0f1a2b"
)

func kvsVerifier() *Verifier {
	v := testVerifier()
	v.Service = kvsService
	return v
}

// signedV4A returns a request to the KeyValueStore API signed with
// signV4A at time at for service and region set, then changed by edit.
func signedV4A(method, target, body, keyID, service, regionSet string, at time.Time, edit func(r *http.Request)) func() *http.Request {
	return func() *http.Request {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		if method == "PUT" {
			r.Header.Set("If-Match", "ETVPDKIKX0DER")
			r.Header.Set("Content-Type", "application/json")
		}
		if err := signV4A(r, []byte(body), keyID, testSecret, service, regionSet, at); err != nil {
			panic(err)
		}
		if edit != nil {
			edit(r)
		}
		return r
	}
}

// kvsGet and kvsPut are the usual requests: DescribeKeyValueStore and
// PutKey as the SDKs sign them (region set "*"), then edited.
func kvsGet(keyID string, at time.Time, edit func(r *http.Request)) func() *http.Request {
	return signedV4A("GET", kvsTarget, "", keyID, kvsService, "*", at, edit)
}

const kvsPutBody = `{"Value":"v1"}`

func kvsPut(edit func(r *http.Request)) func() *http.Request {
	return signedV4A("PUT", kvsTarget+"/keys/k1", kvsPutBody, testKeyID, kvsService, "*", testNow, edit)
}

// resignV4A signs r again over payloadHash with the Authorization it has,
// so that a test can change what the signature covers. It panics on
// failure: the tables are built outside any test.
func resignV4A(r *http.Request, payloadHash string) {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		panic(err)
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	sts := stringToSign(v4aAlgorithm, r.Header.Get(headerAmzDate), a.scope(), canonicalRequest(r, q, a.signedHeaders, payloadHash))
	key, err := deriveV4AKey(testKeyID, testSecret)
	if err != nil {
		panic(err)
	}
	digest := sha256.Sum256([]byte(sts))
	sig, err := ecdsa.SignASN1(nil, key, digest[:])
	if err != nil {
		panic(err)
	}
	a.signature = hex.EncodeToString(sig)
	r.Header.Set("Authorization", a.String())
}

// dropStatedHash makes r a request that does not state its payload hash,
// so that its signature covers the body's.
func dropStatedHash(r *http.Request) {
	r.Header.Del(headerAmzContent)
	a, _ := parseAuthorization(r.Header.Get("Authorization"))
	a.signedHeaders = slices.DeleteFunc(a.signedHeaders, func(h string) bool { return h == "x-amz-content-sha256" })
	r.Header.Set("Authorization", a.String())
	resignV4A(r, sha256Hex([]byte(kvsPutBody)))
}

var v4aRejectCases = []struct {
	name    string
	request func() *http.Request
	body    string
	code    cloudfront.Code
	message string // a prefix of the message, when it matters
}{
	{name: "unknown key", request: kvsGet("AKIAUNKNOWNEXAMPLE11", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "disabled key", request: kvsGet("AKIADISABLEDEXAMPLE1", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "key without secret", request: kvsGet("AKIANOSECRETEXAMPLE1", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "wrong secret", request: func() *http.Request {
		r := httptest.NewRequest("GET", kvsTarget, nil)
		if err := SignV4A(r, nil, testKeyID, "not the secret", kvsService, testNow); err != nil {
			panic(err)
		}
		return r
	}, code: cloudfront.SignatureDoesNotMatch},
	{name: "no X-Amz-Date", request: kvsGet(testKeyID, testNow, func(r *http.Request) { r.Header.Del("X-Amz-Date") }),
		code: cloudfront.IncompleteSignature},
	{name: "expired", request: kvsGet(testKeyID, testNow.Add(-16*time.Minute), nil), code: cloudfront.SignatureDoesNotMatch,
		message: "Signature expired: 20120517T192158Z is now earlier than 20120517T192258Z (20120517T193758Z - 15 min.)"},
	{name: "from the future", request: kvsGet(testKeyID, testNow.Add(16*time.Minute), nil), code: cloudfront.SignatureDoesNotMatch,
		message: "Signature not yet current"},
	{name: "date changed after signing", request: kvsGet(testKeyID, testNow, setHeader("X-Amz-Date", "20120517T193759Z")),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "scope date differs", request: kvsGet(testKeyID, testNow, editAuthorization("/20120517/", "/20120516/")),
		code: cloudfront.SignatureDoesNotMatch, message: "Date in Credential scope"},
	{name: "signed for cloudfront", request: signedV4A("GET", kvsTarget, "", testKeyID, "cloudfront", "*", testNow, nil),
		code: cloudfront.SignatureDoesNotMatch, message: "Credential should be scoped to correct service: 'cloudfront-keyvaluestore'."},
	{name: "scope with a region", request: kvsGet(testKeyID, testNow, editAuthorization("/20120517/", "/20120517/us-east-1/")),
		code: cloudfront.IncompleteSignature, message: "Credential must have the form AccessKeyId/YYYYMMDD/service/aws4_request."},
	{name: "other terminator", request: kvsGet(testKeyID, testNow, editAuthorization("/aws4_request", "/aws5_request")),
		code: cloudfront.SignatureDoesNotMatch, message: "Credential should be scoped with a valid terminator"},
	{name: "host not signed", request: kvsGet(testKeyID, testNow, editAuthorization("SignedHeaders=host;", "SignedHeaders=")),
		code: cloudfront.IncompleteSignature},
	{name: "x-amz-date not signed", request: kvsGet(testKeyID, testNow, editAuthorization(";x-amz-date;", ";")),
		code: cloudfront.IncompleteSignature},
	{name: "region set not signed", request: kvsGet(testKeyID, testNow, editAuthorization(";x-amz-region-set,", ",")),
		code: cloudfront.IncompleteSignature, message: "'X-Amz-Region-Set' must be a 'SignedHeader'"},
	{name: "no region set", request: kvsGet(testKeyID, testNow, func(r *http.Request) { r.Header.Del(headerAmzRegionSet) }),
		code: cloudfront.IncompleteSignature, message: "Authorization header requires existence of a 'X-Amz-Region-Set' header."},
	{name: "empty region set", request: kvsGet(testKeyID, testNow, setHeader(headerAmzRegionSet, "  ")),
		code: cloudfront.IncompleteSignature},
	{name: "empty region in the set", request: signedV4A("GET", kvsTarget, "", testKeyID, kvsService, "us-east-1,,eu-west-1", testNow, nil),
		code: cloudfront.IncompleteSignature, message: "X-Amz-Region-Set \"us-east-1,,eu-west-1\" is not"},
	{name: "region set changed", request: kvsGet(testKeyID, testNow, setHeader(headerAmzRegionSet, "us-east-1")),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "signature not hex", request: kvsGet(testKeyID, testNow, editAuthorization("Signature=", "Signature=zz")),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "signature not DER", request: kvsGet(testKeyID, testNow, editAuthorization("Signature=30", "Signature=31")),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "signature of another request", request: kvsGet(testKeyID, testNow, func(r *http.Request) {
		other := kvsGet(testKeyID, testNow.Add(time.Second), nil)()
		a, _ := parseAuthorization(r.Header.Get("Authorization"))
		b, _ := parseAuthorization(other.Header.Get("Authorization"))
		a.signature = b.signature
		r.Header.Set("Authorization", a.String())
	}), code: cloudfront.SignatureDoesNotMatch},
	{name: "SigV4 signature under the SigV4A name", request: kvsGet(testKeyID, testNow, func(r *http.Request) {
		a, _ := parseAuthorization(r.Header.Get("Authorization"))
		q, _ := url.ParseQuery(r.URL.RawQuery)
		sts := stringToSign(v4aAlgorithm, r.Header.Get(headerAmzDate), a.scope(), canonicalRequest(r, q, a.signedHeaders, emptySHA256))
		a.signature = signature(signingKey(testSecret, a.date, "us-east-1", a.service), sts)
		r.Header.Set("Authorization", a.String())
	}), code: cloudfront.SignatureDoesNotMatch},
	{name: "query changed", request: kvsGet(testKeyID, testNow, func(r *http.Request) { r.URL.RawQuery = "MaxResults=3" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "path changed", request: kvsGet(testKeyID, testNow, func(r *http.Request) { r.URL.Path += "/keys"; r.URL.RawPath += "/keys" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "method changed", request: kvsGet(testKeyID, testNow, func(r *http.Request) { r.Method = "DELETE" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "host changed", request: kvsGet(testKeyID, testNow, func(r *http.Request) { r.Host = "444455556666.cloudfront-kvs.global.api.aws" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "signed header changed", request: kvsPut(setHeader("If-Match", "E2QWRUHAPOMQZL")), body: kvsPutBody,
		code: cloudfront.SignatureDoesNotMatch},
	{name: "body not the signed one", request: kvsPut(nil), body: `{"Value":"v2"}`,
		code: cloudfront.SignatureDoesNotMatch, message: "The provided 'x-amz-content-sha256' header does not match"},
	{name: "body not the signed one, hash not stated", request: kvsPut(dropStatedHash), body: `{"Value":"v2"}`,
		code: cloudfront.SignatureDoesNotMatch},
}

func TestVerifyV4ARejects(t *testing.T) {
	for _, tc := range v4aRejectCases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := kvsVerifier().Verify(tc.request(), []byte(tc.body))
			e := wantAPIError(t, err, tc.code)
			if !strings.HasPrefix(e.Message, tc.message) {
				t.Errorf("message = %q, want prefix %q", e.Message, tc.message)
			}
			if c != (Credential{}) {
				t.Errorf("credential %+v returned with an error", c)
			}
		})
	}
}

func TestVerifyV4AAccepts(t *testing.T) {
	cases := []struct {
		name    string
		request func() *http.Request
		body    string
		service string // of the verifier
	}{
		{name: "GET", request: kvsGet(testKeyID, testNow, nil)},
		{name: "PUT with a body", request: kvsPut(nil), body: kvsPutBody},
		{name: "14 minutes late", request: kvsGet(testKeyID, testNow.Add(-14*time.Minute), nil)},
		{name: "region set of one region", request: signedV4A("GET", kvsTarget, "", testKeyID, kvsService, "us-east-1", testNow, nil)},
		{name: "region set of two regions", request: signedV4A("GET", kvsTarget, "", testKeyID, kvsService, "us-east-1, eu-west-1", testNow, nil)},
		{name: "region set with a wildcard", request: signedV4A("GET", kvsTarget, "", testKeyID, kvsService, "us-*", testNow, nil)},
		{name: "query", request: signedV4A("GET", kvsTarget+"/keys?MaxResults=10&NextToken=a%2Fb%3D%3D", "", testKeyID, kvsService, "*", testNow, nil)},
		{name: "unsigned payload", request: kvsPut(func(r *http.Request) {
			r.Header.Set(headerAmzContent, unsignedPayload)
			resignV4A(r, unsignedPayload)
		}), body: "anything"},
		{name: "upper-case hex signature", request: kvsGet(testKeyID, testNow, func(r *http.Request) {
			a, _ := parseAuthorization(r.Header.Get("Authorization"))
			a.signature = strings.ToUpper(a.signature)
			r.Header.Set("Authorization", a.String())
		})},
		{name: "control plane signed with SigV4A", service: v4Service,
			request: signedV4A("GET", "https://cloudfront.amazonaws.com/2020-05-31/distribution", "", testKeyID, v4Service, "*", testNow, nil)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := kvsVerifier()
			if tc.service != "" {
				v.Service = tc.service
			}
			c, err := v.Verify(tc.request(), []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.AccessKeyID != testKeyID || c.AccountID != testAccount {
				t.Fatalf("credential %+v", c)
			}
		})
	}
}

// TestVerifierService: the verifier's Service is the one signing name it
// accepts, for either algorithm, and "" keeps "cloudfront".
func TestVerifierService(t *testing.T) {
	cases := []struct {
		name, service string
		request       func() *http.Request
		code          cloudfront.Code // "" accepts
	}{
		{"v4 cloudfront, default", "", signedV4(testKeyID, testNow, nil), ""},
		{"v4 cloudfront, explicit", "cloudfront", signedV4(testKeyID, testNow, nil), ""},
		{"v4 cloudfront at the KVS", kvsService, signedV4(testKeyID, testNow, nil), cloudfront.SignatureDoesNotMatch},
		{"v4a KVS, default", "", kvsGet(testKeyID, testNow, nil), cloudfront.SignatureDoesNotMatch},
		{"v4a KVS at the KVS", kvsService, kvsGet(testKeyID, testNow, nil), ""},
		{"v4a other service", "s3", kvsGet(testKeyID, testNow, nil), cloudfront.SignatureDoesNotMatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := testVerifier()
			v.Service = tc.service
			_, err := v.Verify(tc.request(), nil)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, tc.code)
		})
	}
}

// TestVerifyV4AHeadersBeforeBody: as for SigV4, a stated hash lets the
// headers decide, and without one VerifyBody does.
func TestVerifyV4AHeadersBeforeBody(t *testing.T) {
	cases := []struct {
		name     string
		request  func() *http.Request
		verified bool
		body     string
		code     cloudfront.Code // of VerifyBody; "" accepts
	}{
		{"stated hash, its body", kvsPut(nil), true, kvsPutBody, ""},
		{"stated hash, another body", kvsPut(nil), true, `{"Value":"v2"}`, cloudfront.SignatureDoesNotMatch},
		{"hash not stated, its body", kvsPut(dropStatedHash), false, kvsPutBody, ""},
		{"hash not stated, another body", kvsPut(dropStatedHash), false, `{"Value":"v2"}`, cloudfront.SignatureDoesNotMatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := kvsVerifier().VerifyHeaders(tc.request())
			if err != nil {
				t.Fatal(err)
			}
			if p.Verified() != tc.verified {
				t.Fatalf("Verified() = %v, want %v", p.Verified(), tc.verified)
			}
			c, err := p.VerifyBody([]byte(tc.body))
			if tc.code == "" {
				if err != nil || c.AccessKeyID != testKeyID {
					t.Fatalf("VerifyBody: %+v, %v", c, err)
				}
				return
			}
			wantAPIError(t, err, tc.code)
		})
	}
}

// TestV4AStringToSignCRTVectors runs the canonical request and string to
// sign over cases of the AWS Common Runtime's SigV4A test suite
// (awslabs/aws-c-auth, tests/aws-signing-test-suite/v4a; credentials
// AKIDEXAMPLE, service "service", region set us-east-1,
// 2015-08-30T12:36:00Z), an implementation independent of the Go SDK. The
// suite's sample signatures are not used: ECDSA signatures are randomized
// and the suite's samples were made with keys it does not publish. Most
// cases are the presigned (query) form, whose X-Amz-* parameters are
// ordinary query parameters to these functions. (The suite's
// get-vanilla-utf8-query is left out: the CRT sorts query parameters before
// encoding them, the Go SDK after, and canonicalQuery follows the Go SDK.)
func TestV4AStringToSignCRTVectors(t *testing.T) {
	const (
		amzDate = "20150830T123600Z"
		scope   = "20150830/service/aws4_request"
		presign = "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fservice%2Faws4_request" +
			"&X-Amz-Date=20150830T123600Z&X-Amz-Region-Set=us-east-1&X-Amz-SignedHeaders="
	)
	cases := []struct {
		name, target string
		header       http.Header
		signed       []string
		canonical    string // "" when the suite's file is not reproduced here
		hash         string // of the canonical request, the string to sign's last line
	}{
		{name: "get-header-value-multiline, header form", target: "/",
			header: http.Header{"My-Header1": {"value1", "value2", "value3"}, "X-Amz-Date": {amzDate}, "X-Amz-Region-Set": {"us-east-1"}},
			signed: []string{"host", "my-header1", "x-amz-date", "x-amz-region-set"},
			canonical: "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1,value2,value3\nx-amz-date:20150830T123600Z\n" +
				"x-amz-region-set:us-east-1\n\nhost;my-header1;x-amz-date;x-amz-region-set\n" + emptySHA256,
			hash: "36317e3e7a8ef01ed0074aa23f0e60713ecce33c88fcfe5aa38e2a95a775dd68"},
		{name: "get-vanilla, query form", target: "/?" + presign + "host", signed: []string{"host"},
			canonical: "GET\n/\n" + presign + "host\nhost:example.amazonaws.com\n\nhost\n" + emptySHA256,
			hash:      "367f580f0138ac98f22166a3bc5286fb61ab0fba16667aadfce7054aaadf0677"},
		{name: "get-header-value-trim, query form", target: "/?" + presign + "host%3Bmy-header1%3Bmy-header2",
			header: http.Header{"My-Header1": {" value1"}, "My-Header2": {` "a   b   c"`}},
			signed: []string{"host", "my-header1", "my-header2"},
			hash:   "725e3fe79d742ed8c107a062ed170d84821eef9d1d817b544189ea9f8f638822"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "https://example.amazonaws.com"+tc.target, nil)
			r.Header = tc.header
			canonical := canonicalRequest(r, r.URL.Query(), tc.signed, emptySHA256)
			if tc.canonical != "" && canonical != tc.canonical {
				t.Errorf("canonical request\n%s\nwant\n%s", canonical, tc.canonical)
			}
			want := v4aAlgorithm + "\n" + amzDate + "\n" + scope + "\n" + tc.hash
			if sts := stringToSign(v4aAlgorithm, amzDate, scope, canonical); sts != want {
				t.Errorf("string to sign\n%s\nwant\n%s", sts, want)
			}
		})
	}
}

// TestDeriveV4AKey checks the derivation against the vector in the tests of
// the AWS SDK for Go v2 (internal/v4a, TestDeriveECDSAKeyPairFromSecret) and
// the AWS Common Runtime (aws-c-auth, credentials_derive_ecc_key_fixed);
// TestKVSClient checks it against the SDK's signer for another key.
func TestDeriveV4AKey(t *testing.T) {
	cases := []struct {
		accessKeyID, secret string
		x, y                string
	}{
		{"AKISORANDOMAASORANDOM", "q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom",
			"15d242ceebf8d8169fd6a8b5a746c41140414c3b07579038da06af89190fffcb",
			"0515242cedd82e94799482e4c0514b505afccf2c0c98d6a553bf539f424c5ec0"},
	}
	for _, tc := range cases {
		t.Run(tc.accessKeyID, func(t *testing.T) {
			k, err := deriveV4AKey(tc.accessKeyID, tc.secret)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%064x", k.X); got != tc.x {
				t.Errorf("x = %s, want %s", got, tc.x)
			}
			if got := fmt.Sprintf("%064x", k.Y); got != tc.y {
				t.Errorf("y = %s, want %s", got, tc.y)
			}
		})
	}
	t.Run("key id and secret both count", func(t *testing.T) {
		a, _ := deriveV4AKey("AKID1", "secret")
		b, _ := deriveV4AKey("AKID2", "secret")
		c, _ := deriveV4AKey("AKID1", "secreu")
		if a.X.Cmp(b.X) == 0 || a.X.Cmp(c.X) == 0 {
			t.Fatal("different key pairs derived the same key")
		}
	})
}

func TestLessConstantTime(t *testing.T) {
	n := elliptic.P256().Params().N
	num := func(x *big.Int) [4]uint64 {
		var b [32]byte
		x.FillBytes(b[:])
		return words(b[:])
	}
	minus := func(k int64) [4]uint64 { return num(new(big.Int).Sub(n, big.NewInt(k))) }
	hexNum := func(s string) [4]uint64 {
		x, _ := new(big.Int).SetString(s, 16)
		return num(x)
	}
	cases := []struct {
		name string
		a, b [4]uint64
		want bool
	}{
		{"N-3 < N-2", minus(3), p256NMinus2, true},
		{"N-2 = N-2", minus(2), p256NMinus2, false},
		{"N-1 > N-2", minus(1), p256NMinus2, false},
		{"0 < N-2", [4]uint64{}, p256NMinus2, true},
		{"2^256-1 > N-2", [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}, p256NMinus2, false},
		{"high word decides", hexNum("1" + strings.Repeat("0", 47) + "ffffffffffffffff"), hexNum("2" + strings.Repeat("0", 63)), true},
		{"high word decides, other way", hexNum("2" + strings.Repeat("0", 63)), hexNum("1" + strings.Repeat("f", 63)), false},
		{"low word decides", hexNum("5" + strings.Repeat("0", 62) + "1"), hexNum("5" + strings.Repeat("0", 62) + "2"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := lessConstantTime(tc.a, tc.b); got != tc.want {
				t.Fatalf("lessConstantTime = %v, want %v", got, tc.want)
			}
		})
	}
	if got := wordBytes(p256NMinus2); new(big.Int).SetBytes(got[:]).Cmp(new(big.Int).Sub(n, big.NewInt(2))) != 0 {
		t.Fatalf("p256NMinus2 = %x", got)
	}
}

func TestAddOne(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0", "1"},
		{"ff", "100"},
		{strings.Repeat("f", 16), "1" + strings.Repeat("0", 16)},
		{"1" + strings.Repeat("f", 48), "2" + strings.Repeat("0", 48)},
		{"1" + strings.Repeat("0", 46) + "1" + strings.Repeat("f", 16), "1" + strings.Repeat("0", 46) + "2" + strings.Repeat("0", 16)},
		{"ffffffff00000000fffffffffffffffebce6faada7179e84f3b9cac2fc63254e", "ffffffff00000000fffffffffffffffebce6faada7179e84f3b9cac2fc63254f"},
	}
	for _, tc := range cases {
		in, _ := new(big.Int).SetString(tc.in, 16)
		var b [32]byte
		in.FillBytes(b[:])
		got := wordBytes(addOne(words(b[:])))
		if h := new(big.Int).SetBytes(got[:]).Text(16); h != tc.want {
			t.Errorf("%s + 1 = %s, want %s", tc.in, h, tc.want)
		}
	}
}

// TestV4AKeyCacheSecretChange: a key whose secret changes verifies with the
// new secret only, though the old one's public key is cached.
func TestV4AKeyCacheSecretChange(t *testing.T) {
	var mu sync.Mutex
	secret := testSecret
	v := kvsVerifier()
	v.Lookup = func(_ context.Context, id string) (Credential, error) {
		mu.Lock()
		defer mu.Unlock()
		return Credential{AccessKeyID: id, Secret: secret, AccountID: testAccount}, nil
	}
	signed := func(s string) *http.Request {
		r := httptest.NewRequest("GET", kvsTarget, nil)
		if err := SignV4A(r, nil, testKeyID, s, kvsService, testNow); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := v.Verify(signed(testSecret), nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	secret = "the rotated secret"
	mu.Unlock()
	_, err := v.Verify(signed(testSecret), nil)
	wantAPIError(t, err, cloudfront.SignatureDoesNotMatch)
	if _, err := v.Verify(signed("the rotated secret"), nil); err != nil {
		t.Fatalf("new secret: %v", err)
	}
}

// TestV4AKeyCacheBounded: the cache never holds more than its bound, and
// what it returns is the derived key.
func TestV4AKeyCacheBounded(t *testing.T) {
	var kc v4aKeyCache
	for i := range v4aKeyCacheSize + 10 {
		c := Credential{AccessKeyID: fmt.Sprintf("AKIA%016d", i), Secret: testSecret}
		pub, err := kc.publicKey(c)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(kc.keys); n > v4aKeyCacheSize {
			t.Fatalf("%d keys cached, bound %d", n, v4aKeyCacheSize)
		}
		if i%100 == 0 {
			priv, _ := deriveV4AKey(c.AccessKeyID, c.Secret)
			if !priv.PublicKey.Equal(pub) {
				t.Fatalf("cached key of %s is not its derived key", c.AccessKeyID)
			}
		}
	}
}

// TestSignV4A: what SignV4A sets is what the SDKs send, and verifies.
func TestSignV4A(t *testing.T) {
	r := httptest.NewRequest("PUT", kvsTarget+"/keys/k1?x=a+b", strings.NewReader(kvsPutBody))
	if err := SignV4A(r, []byte(kvsPutBody), testKeyID, testSecret, kvsService, testNow); err != nil {
		t.Fatal(err)
	}
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	want := authorization{scheme: schemeV4A, accessKeyID: testKeyID, date: "20120517", service: kvsService, terminator: v4Terminator,
		signedHeaders: []string{"content-length", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-region-set"}, signature: a.signature}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("authorization %+v\nwant %+v", a, want)
	}
	if got := r.Header.Get(headerAmzRegionSet); got != "*" {
		t.Errorf("X-Amz-Region-Set = %q", got)
	}
	if r.URL.RawQuery != "x=a%20b" {
		t.Errorf("query %q not canonical", r.URL.RawQuery)
	}
	if _, err := kvsVerifier().Verify(r, []byte(kvsPutBody)); err != nil {
		t.Fatal(err)
	}
}

// TestV4AConcurrent: one verifier serves concurrent SigV4A requests of
// several keys, sharing its key cache (run with -race).
func TestV4AConcurrent(t *testing.T) {
	v := kvsVerifier()
	v.Lookup = func(_ context.Context, id string) (Credential, error) {
		return Credential{AccessKeyID: id, Secret: testSecret, AccountID: testAccount}, nil
	}
	var requests []*http.Request
	for i := range 40 {
		r := httptest.NewRequest("GET", kvsTarget, nil)
		if err := SignV4A(r, nil, fmt.Sprintf("AKIACONCURRENT%06d", i%4), testSecret, kvsService, testNow); err != nil {
			t.Fatal(err)
		}
		requests = append(requests, r)
	}
	var wg sync.WaitGroup
	for _, r := range requests {
		wg.Go(func() {
			if _, err := v.Verify(r, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := len(v.v4aKeys.keys); n != 4 {
		t.Errorf("%d keys cached, want 4", n)
	}
}
