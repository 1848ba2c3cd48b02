package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// fuzzTarget is the request FuzzVerify sends; its seeds are signed for it.
const fuzzTarget = "http://cloudfront.example/2012-07-01/distribution?MaxItems=2"

// FuzzVerify feeds arbitrary Authorization, X-Amz-Date, Date,
// X-Amz-Content-Sha256 and X-Amz-Region-Set values and bodies to Verify: it
// must never panic, and must fail only with a 4xx *cloudfront.Error (or the
// test store's failure, which is not the client's).
func FuzzVerify(f *testing.F) {
	seeds := []func() *http.Request{
		signedLegacy(testKeyID, testNow, nil),
		signedV4(testKeyID, testNow, nil),
		// SigV4A for the verifier's service, so that mutations reach the
		// ECDSA check.
		signedV4A("GET", fuzzTarget, "", testKeyID, v4Service, "*", testNow, nil),
		signedV4A("GET", fuzzTarget, "", testKeyID, v4Service, "us-east-1,eu-west-1", testNow, nil),
	}
	for _, tc := range rejectCases {
		seeds = append(seeds, tc.request)
	}
	for _, tc := range v4aRejectCases {
		seeds = append(seeds, tc.request)
	}
	for _, seed := range seeds {
		r := seed()
		f.Add(r.Header.Get("Authorization"), r.Header.Get("X-Amz-Date"), r.Header.Get("Date"), r.Header.Get("X-Amz-Content-Sha256"),
			r.Header.Get("X-Amz-Region-Set"), []byte(nil))
	}
	for _, tc := range parseAuthorizationCases {
		f.Add(tc.header, "20120517T193758Z", "Thu, 17 May 2012 19:37:58 GMT", "", "*", []byte("<x/>"))
	}
	v := testVerifier()
	f.Fuzz(func(t *testing.T, authorization, amzDate, date, contentSHA256, regionSet string, body []byte) {
		r := httptest.NewRequest("GET", fuzzTarget, nil)
		for k, val := range map[string]string{"Authorization": authorization, "X-Amz-Date": amzDate, "Date": date,
			"X-Amz-Content-Sha256": contentSHA256, "X-Amz-Region-Set": regionSet} {
			if val != "" {
				r.Header[k] = []string{val}
			}
		}
		c, err := v.Verify(r, body)
		if err == nil {
			if c.Secret != testSecret {
				t.Fatalf("accepted with credential %+v", c)
			}
			return
		}
		if errors.Is(err, errStoreBroke) {
			return
		}
		var e *cloudfront.Error
		if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
			t.Fatalf("error %v (%T) is not a 4xx *cloudfront.Error", err, err)
		}
	})
}
