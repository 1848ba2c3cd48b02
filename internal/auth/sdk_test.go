package auth

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/openfront/openfront/internal/cloudfront"
)

// newTestServer starts a real HTTP server whose handler verifies each
// request and answers 200 with the account id, or the error's status with
// its code.
func newTestServer(t *testing.T, v *Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c, err := v.Verify(r, body)
		if err != nil {
			e := cloudfront.AsError(err)
			http.Error(w, string(e.Code)+": "+e.Message, e.Status())
			return
		}
		io.WriteString(w, c.AccountID)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// sdkCase is a request the SDK's SigV4 signer signs and Verify must accept.
type sdkCase struct {
	name, method, path string
	body               string
	header             http.Header
	region             string
	unsignedPayload    bool
}

var sdkCases = []sdkCase{
	{name: "GET with query", method: "GET", path: "/2012-07-01/distribution?MaxItems=10&Marker=E2QWRUHAPOMQZL"},
	{name: "GET query needing escapes", method: "GET", path: "/2012-07-01/distribution?Marker=a%2Fb&Marker=a-b&x=a+b&y=%E1%88%B4&empty="},
	{name: "POST with body", method: "POST", path: "/2012-07-01/distribution",
		body:   `<?xml version="1.0" encoding="UTF-8"?><DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/"><CallerReference>ref</CallerReference></DistributionConfig>`,
		header: http.Header{"Content-Type": {"text/xml"}}},
	{name: "POST unsigned payload", method: "POST", path: "/2012-07-01/distribution/EDFDVBD632BHDS5/invalidation",
		body: "<InvalidationBatch/>", unsignedPayload: true},
	{name: "PUT with If-Match", method: "PUT", path: "/2012-07-01/distribution/EDFDVBD632BHDS5/config",
		body: "<DistributionConfig/>", header: http.Header{"If-Match": {"E2QWRUHAPOMQZL"}, "X-Custom": {"  a   b  ", "c"}}},
	{name: "DELETE", method: "DELETE", path: "/2012-07-01/distribution/EDFDVBD632BHDS5",
		header: http.Header{"If-Match": {"E2QWRUHAPOMQZL"}}},
	{name: "path with space and UTF-8", method: "GET", path: "/2012-07-01/a%20b/%C3%BC"},
	{name: "path with reserved characters", method: "GET", path: "/2012-07-01/a+b$c,d;e=f@g:h"},
	{name: "path with escaped slash", method: "GET", path: "/2012-07-01/origin-access-identity/cloudfront%2FE74FTE3AEXAMPLE"},
	{name: "path with tilde and dots", method: "GET", path: "/~user/a.b_c-d"},
	{name: "other region", method: "GET", path: "/2012-07-01/distribution", region: "eu-west-1"},
}

func newSDKRequest(t *testing.T, base string, tc sdkCase) *http.Request {
	t.Helper()
	var body io.Reader
	if tc.body != "" {
		body = strings.NewReader(tc.body)
	}
	r, err := http.NewRequest(tc.method, base+tc.path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range tc.header {
		r.Header[k] = append([]string(nil), vs...)
	}
	return r
}

func region(tc sdkCase) string {
	if tc.region != "" {
		return tc.region
	}
	return "us-east-1"
}

// TestVerifyAcceptsSDKSigner sends requests signed by the AWS SDK for Go v2
// to a real server that verifies them.
func TestVerifyAcceptsSDKSigner(t *testing.T) {
	srv := newTestServer(t, testVerifier())
	signer := v4.NewSigner()
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	for _, tc := range sdkCases {
		t.Run(tc.name, func(t *testing.T) {
			r := newSDKRequest(t, srv.URL, tc)
			hash := sha256Hex([]byte(tc.body))
			if tc.unsignedPayload {
				hash = unsignedPayload
				r.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
			}
			if err := signer.SignHTTP(context.Background(), creds, r, hash, "cloudfront", region(tc), testNow); err != nil {
				t.Fatal(err)
			}
			wantAccepted(t, srv, r)
		})
	}
}

// TestVerifyAcceptsSignV4 and TestVerifyAcceptsSignLegacy do the same with
// our own signers.
func TestVerifyAcceptsSignV4(t *testing.T) {
	srv := newTestServer(t, testVerifier())
	for _, tc := range sdkCases {
		t.Run(tc.name, func(t *testing.T) {
			r := newSDKRequest(t, srv.URL, tc)
			SignV4(r, []byte(tc.body), testKeyID, testSecret, region(tc), testNow)
			wantAccepted(t, srv, r)
		})
	}
}

func TestVerifyAcceptsSignLegacy(t *testing.T) {
	srv := newTestServer(t, testVerifier())
	for _, tc := range sdkCases {
		t.Run(tc.name, func(t *testing.T) {
			r := newSDKRequest(t, srv.URL, tc)
			SignLegacy(r, testKeyID, testSecret, testNow)
			wantAccepted(t, srv, r)
		})
	}
}

func wantAccepted(t *testing.T, srv *httptest.Server, r *http.Request) {
	t.Helper()
	resp, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(got) != testAccount {
		t.Fatalf("status %d: %s", resp.StatusCode, got)
	}
}

// TestSignV4MatchesSDK signs the same request with SignV4 and with the SDK
// and compares everything either of them set.
func TestSignV4MatchesSDK(t *testing.T) {
	cases := append([]sdkCase{
		{name: "default https port", method: "GET", path: "/2012-07-01/distribution"},
		{name: "non-canonical header key", method: "GET", path: "/", header: http.Header{"x-lower": {"v"}, "User-Agent": {"cli"}}},
	}, sdkCases...)
	signer := v4.NewSigner()
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := "https://cloudfront.amazonaws.com"
			if tc.name == "default https port" {
				base = "https://cloudfront.amazonaws.com:443"
			}
			ours := newSDKRequest(t, base, tc)
			theirs := newSDKRequest(t, base, tc)
			now := testNow.Add(1234 * time.Second)
			SignV4(ours, []byte(tc.body), testKeyID, testSecret, region(tc), now)
			// SignV4 states the payload hash in a header; give the SDK the same.
			hash := sha256Hex([]byte(tc.body))
			theirs.Header.Set("X-Amz-Content-Sha256", hash)
			if err := signer.SignHTTP(context.Background(), creds, theirs, hash, "cloudfront", region(tc), now); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"Authorization", "X-Amz-Date", "X-Amz-Content-Sha256"} {
				if a, b := ours.Header.Get(k), theirs.Header.Get(k); a != b {
					t.Errorf("%s:\n ours %s\n  sdk %s", k, a, b)
				}
			}
			if ours.URL.RawQuery != theirs.URL.RawQuery {
				t.Errorf("query: ours %q, sdk %q", ours.URL.RawQuery, theirs.URL.RawQuery)
			}
			if ours.Host != theirs.Host {
				t.Errorf("host: ours %q, sdk %q", ours.Host, theirs.Host)
			}
		})
	}
}

// TestSignV4BodyReplay checks that a signed body can't be swapped: the
// server hashes what it read.
func TestSignV4BodyReplay(t *testing.T) {
	srv := newTestServer(t, testVerifier())
	r, _ := http.NewRequest("POST", srv.URL+"/2012-07-01/distribution", bytes.NewReader([]byte("<a/>")))
	SignV4(r, []byte("<a/>"), testKeyID, testSecret, "us-east-1", testNow)
	r.Body = io.NopCloser(bytes.NewReader([]byte("<b/>")))
	resp, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusForbidden || !strings.HasPrefix(string(got), "SignatureDoesNotMatch") {
		t.Fatalf("status %d: %s", resp.StatusCode, got)
	}
}
