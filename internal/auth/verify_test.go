package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// signedV4 returns a GET signed with SignV4 at time at, then changed by edit.
func signedV4(keyID string, at time.Time, edit func(r *http.Request)) func() *http.Request {
	return func() *http.Request {
		r := httptest.NewRequest("GET", "http://cloudfront.example/2012-07-01/distribution?MaxItems=2", nil)
		SignV4(r, nil, keyID, testSecret, "us-east-1", at)
		if edit != nil {
			edit(r)
		}
		return r
	}
}

// signedLegacy returns a GET signed with SignLegacy at time at, then
// changed by edit.
func signedLegacy(keyID string, at time.Time, edit func(r *http.Request)) func() *http.Request {
	return func() *http.Request {
		r := httptest.NewRequest("GET", "http://cloudfront.example/2012-07-01/distribution", nil)
		SignLegacy(r, keyID, testSecret, at)
		if edit != nil {
			edit(r)
		}
		return r
	}
}

func setHeader(k, v string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

func editAuthorization(old, new string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
	}
}

var rejectCases = []struct {
	name    string
	request func() *http.Request
	body    string
	code    cloudfront.Code
	message string // a prefix of the message, when it matters
}{
	{name: "no Authorization", request: signedLegacy(testKeyID, testNow, func(r *http.Request) { r.Header.Del("Authorization") }),
		code: cloudfront.MissingAuthenticationToken},
	{name: "empty Authorization", request: signedLegacy(testKeyID, testNow, setHeader("Authorization", "")),
		code: cloudfront.MissingAuthenticationToken},
	{name: "two Authorization headers", request: signedLegacy(testKeyID, testNow, func(r *http.Request) { r.Header.Add("Authorization", "AWS a:b") }),
		code: cloudfront.IncompleteSignature},
	{name: "other scheme", request: signedLegacy(testKeyID, testNow, setHeader("Authorization", "Basic dXNlcjpwYXNz")),
		code: cloudfront.IncompleteSignature},
	{name: "garbled SigV4", request: signedV4(testKeyID, testNow, editAuthorization(", SignedHeaders=", ", Headers=")),
		code: cloudfront.IncompleteSignature},

	// The 2012 scheme.
	{name: "legacy unknown key", request: signedLegacy("AKIAUNKNOWNEXAMPLE11", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "legacy disabled key", request: signedLegacy("AKIADISABLEDEXAMPLE1", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "legacy key without secret", request: signedLegacy("AKIANOSECRETEXAMPLE1", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "legacy disabled account", request: signedLegacy("AKIACLOSEDACCOUNTEX1", testNow, nil),
		code: cloudfront.InvalidClientTokenId, message: "The account is disabled."},
	{name: "legacy no date", request: signedLegacy(testKeyID, testNow, func(r *http.Request) { r.Header.Del("X-Amz-Date") }),
		code: cloudfront.IncompleteSignature},
	{name: "legacy unparsable date", request: signedLegacy(testKeyID, testNow, setHeader("X-Amz-Date", "17/05/2012 19:37")),
		code: cloudfront.IncompleteSignature},
	{name: "legacy 16 minutes late", request: signedLegacy(testKeyID, testNow.Add(-16*time.Minute), nil), code: cloudfront.RequestExpired},
	{name: "legacy 16 minutes early", request: signedLegacy(testKeyID, testNow.Add(16*time.Minute), nil), code: cloudfront.RequestExpired},
	{name: "legacy wrong signature", request: signedLegacy(testKeyID, testNow, editAuthorization(":", ":x")),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "legacy date changed after signing", request: signedLegacy(testKeyID, testNow, setHeader("X-Amz-Date", "Thu, 17 May 2012 19:37:59 GMT")),
		code: cloudfront.SignatureDoesNotMatch},

	// Signature Version 4.
	{name: "v4 unknown key", request: signedV4("AKIAUNKNOWNEXAMPLE11", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "v4 disabled key", request: signedV4("AKIADISABLEDEXAMPLE1", testNow, nil), code: cloudfront.InvalidClientTokenId},
	{name: "v4 no X-Amz-Date", request: signedV4(testKeyID, testNow, func(r *http.Request) { r.Header.Del("X-Amz-Date") }),
		code: cloudfront.IncompleteSignature},
	{name: "v4 RFC 1123 X-Amz-Date", request: signedV4(testKeyID, testNow, setHeader("X-Amz-Date", "Thu, 17 May 2012 19:37:58 GMT")),
		code: cloudfront.IncompleteSignature},
	{name: "v4 expired", request: signedV4(testKeyID, testNow.Add(-16*time.Minute), nil), code: cloudfront.SignatureDoesNotMatch,
		message: "Signature expired: 20120517T192158Z is now earlier than 20120517T192258Z (20120517T193758Z - 15 min.)"},
	{name: "v4 from the future", request: signedV4(testKeyID, testNow.Add(16*time.Minute), nil), code: cloudfront.SignatureDoesNotMatch,
		message: "Signature not yet current: 20120517T195358Z is still later than 20120517T195258Z (20120517T193758Z + 15 min.)"},
	{name: "v4 scope date differs", request: signedV4(testKeyID, testNow, editAuthorization("/20120517/", "/20120516/")),
		code: cloudfront.SignatureDoesNotMatch, message: "Date in Credential scope"},
	{name: "v4 other service", request: signedV4(testKeyID, testNow, editAuthorization("/cloudfront/", "/s3/")),
		code: cloudfront.SignatureDoesNotMatch, message: "Credential should be scoped to correct service: 'cloudfront'."},
	{name: "v4 other terminator", request: signedV4(testKeyID, testNow, editAuthorization("/aws4_request", "/aws5_request")),
		code: cloudfront.SignatureDoesNotMatch, message: "Credential should be scoped with a valid terminator"},
	{name: "v4 host not signed", request: signedV4(testKeyID, testNow, editAuthorization("SignedHeaders=host;", "SignedHeaders=")),
		code: cloudfront.IncompleteSignature},
	{name: "v4 x-amz-date not signed", request: signedV4(testKeyID, testNow, editAuthorization(";x-amz-date,", ",")),
		code: cloudfront.IncompleteSignature},
	{name: "v4 wrong signature", request: signedV4(testKeyID, testNow, editAuthorization("Signature=", "Signature=0")),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "v4 query changed", request: signedV4(testKeyID, testNow, func(r *http.Request) { r.URL.RawQuery = "MaxItems=3" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "v4 path changed", request: signedV4(testKeyID, testNow, func(r *http.Request) { r.URL.Path = "/2012-07-01/streaming-distribution" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "v4 method changed", request: signedV4(testKeyID, testNow, func(r *http.Request) { r.Method = "DELETE" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "v4 signed header changed", request: signedV4(testKeyID, testNow, setHeader("X-Amz-Content-Sha256", unsignedPayload)),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "v4 body not the signed one", request: signedV4(testKeyID, testNow, nil), body: "<x/>",
		code: cloudfront.SignatureDoesNotMatch, message: "The provided 'x-amz-content-sha256' header does not match"},
	{name: "v4 host changed", request: signedV4(testKeyID, testNow, func(r *http.Request) { r.Host = "evil.example" }),
		code: cloudfront.SignatureDoesNotMatch},
	{name: "v4 wrong secret", request: func() *http.Request {
		r := httptest.NewRequest("GET", "http://cloudfront.example/", nil)
		SignV4(r, nil, testKeyID, "not the secret", "us-east-1", testNow)
		return r
	}, code: cloudfront.SignatureDoesNotMatch},
}

func TestVerifyRejects(t *testing.T) {
	for _, tc := range rejectCases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := testVerifier().Verify(tc.request(), []byte(tc.body))
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

func TestVerifyAccepts(t *testing.T) {
	cases := []struct {
		name    string
		request func() *http.Request
		skew    time.Duration
	}{
		{"legacy 14 minutes late", signedLegacy(testKeyID, testNow.Add(-14*time.Minute), nil), 0},
		{"legacy exactly 15 minutes early", signedLegacy(testKeyID, testNow.Add(15*time.Minute), nil), 0},
		{"v4 14 minutes early", signedV4(testKeyID, testNow.Add(14*time.Minute), nil), 0},
		{"v4 1 hour late, MaxSkew 2h", signedV4(testKeyID, testNow.Add(-time.Hour), nil), 2 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := testVerifier()
			v.MaxSkew = tc.skew
			c, err := v.Verify(tc.request(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.AccessKeyID != testKeyID || c.AccountID != testAccount {
				t.Fatalf("credential %+v", c)
			}
		})
	}
}

// TestVerifyStoreFailure checks that a broken store is not reported as a
// bad key: the cause is kept and maps to InternalError.
func TestVerifyStoreFailure(t *testing.T) {
	for name, request := range map[string]func() *http.Request{
		"legacy": signedLegacy("AKIABROKENSTOREEXA1", testNow, nil),
		"v4":     signedV4("AKIABROKENSTOREEXA1", testNow, nil),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testVerifier().Verify(request(), nil)
			if !errors.Is(err, errStoreBroke) {
				t.Fatalf("error = %v, want it to wrap %v", err, errStoreBroke)
			}
			if got := cloudfront.AsError(err).Code; got != cloudfront.InternalError {
				t.Fatalf("AsError code = %s", got)
			}
		})
	}
}

func TestVerifyNilLookup(t *testing.T) {
	v := &Verifier{Now: func() time.Time { return testNow }}
	_, err := v.Verify(signedLegacy(testKeyID, testNow, nil)(), nil)
	wantAPIError(t, err, cloudfront.InvalidClientTokenId)
}

// TestVerifyHeadersBeforeBody: what the headers alone decide. The 2012
// scheme and SigV4 with X-Amz-Content-Sha256 are authenticated before the
// body (Verified), so a server reads bodies only from key holders; SigV4
// over the body's hash is not, and VerifyBody decides.
func TestVerifyHeadersBeforeBody(t *testing.T) {
	body := []byte("<x/>")
	sdkStyle := func() *http.Request {
		// SignV4 states the hash; the SDK does not send it for CloudFront.
		r := httptest.NewRequest("POST", "http://cloudfront.example/2012-07-01/distribution", nil)
		SignV4(r, body, testKeyID, testSecret, "us-east-1", testNow)
		return r
	}
	cases := []struct {
		name     string
		request  func() *http.Request
		verified bool
		body     []byte
		code     cloudfront.Code // of VerifyBody; "" accepts
	}{
		{"legacy", signedLegacy(testKeyID, testNow, nil), true, []byte("anything"), ""},
		{"v4 stated hash, its body", func() *http.Request { return sdkStyle() }, true, body, ""},
		{"v4 stated hash, another body", func() *http.Request { return sdkStyle() }, true, []byte("<y/>"), cloudfront.SignatureDoesNotMatch},
		{"v4 unsigned payload", signedV4(testKeyID, testNow, func(r *http.Request) {
			r.Header.Set(headerAmzContent, unsignedPayload)
			// Re-sign over the literal UNSIGNED-PAYLOAD.
			a, _ := parseAuthorization(r.Header.Get("Authorization"))
			q, _ := url.ParseQuery(r.URL.RawQuery)
			sts := stringToSign(v4Algorithm, r.Header.Get(headerAmzDate), credentialScope(a.date, a.region, a.service),
				canonicalRequest(r, q, a.signedHeaders, unsignedPayload))
			a.signature = signature(signingKey(testSecret, a.date, a.region, a.service), sts)
			r.Header.Set("Authorization", a.String())
		}), true, []byte("anything"), ""},
		{"v4 hash not stated, its body", func() *http.Request {
			r := sdkStyle()
			r.Header.Del(headerAmzContent)
			a, _ := parseAuthorization(r.Header.Get("Authorization"))
			a.signedHeaders = slices.DeleteFunc(a.signedHeaders, func(h string) bool { return h == "x-amz-content-sha256" })
			sts := stringToSign(v4Algorithm, r.Header.Get(headerAmzDate), credentialScope(a.date, a.region, a.service),
				canonicalRequest(r, url.Values{}, a.signedHeaders, sha256Hex(body)))
			a.signature = signature(signingKey(testSecret, a.date, a.region, a.service), sts)
			r.Header.Set("Authorization", a.String())
			return r
		}, false, body, ""},
		{"v4 hash not stated, another body", func() *http.Request {
			r := sdkStyle()
			r.Header.Del(headerAmzContent)
			return r
		}, false, body, cloudfront.SignatureDoesNotMatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := testVerifier().VerifyHeaders(tc.request())
			if err != nil {
				t.Fatal(err)
			}
			if p.Verified() != tc.verified {
				t.Fatalf("Verified() = %v, want %v", p.Verified(), tc.verified)
			}
			c, err := p.VerifyBody(tc.body)
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

// TestConcurrentLookupsCollapse: requests naming one access key while its
// lookup is in flight share that lookup, so a flood naming a real key id
// reads the store once at a time; the answer to each is still its own.
func TestConcurrentLookupsCollapse(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	v := testVerifier()
	v.Lookup = func(ctx context.Context, id string) (Credential, error) {
		calls.Add(1)
		<-release
		return testLookup(ctx, id)
	}
	const n = 50
	errs := make(chan error, n)
	// The requests are signed before any goroutine starts, and each
	// goroutine says it is about to verify: on a loaded machine, signing
	// inside the goroutines let some start after the flight had ended.
	var ready atomic.Int32
	for i := range n {
		r := signedLegacy(testKeyID, testNow, nil)()
		if i%2 == 1 {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ":", ":x", 1))
		}
		go func() {
			ready.Add(1)
			_, err := v.Verify(r, nil)
			if i%2 == 1 && !errors.Is(err, cloudfront.NewError(cloudfront.SignatureDoesNotMatch)) {
				err = fmt.Errorf("request %d: %v, want SignatureDoesNotMatch", i, err)
			} else if i%2 == 1 {
				err = nil
			}
			errs <- err
		}()
	}
	for calls.Load() == 0 || ready.Load() < n {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the last ones join the flight
	close(release)
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if c := calls.Load(); c != 1 {
		t.Errorf("%d lookups for %d concurrent requests, want 1", c, n)
	}
}
