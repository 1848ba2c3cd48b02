package signedurl

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCookieParams(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    Params
	}{
		{"none", nil, Params{}},
		{"canned", []string{"CloudFront-Expires=1357034400; CloudFront-Signature=a~b-c_; CloudFront-Key-Pair-Id=K1"},
			Params{Expires: "1357034400", Signature: "a~b-c_", KeyPairID: "K1"}},
		{"custom, hash, among others", []string{"a=1; CloudFront-Policy=eyJ9; CloudFront-Signature=s; CloudFront-Key-Pair-Id=K1; CloudFront-Hash-Algorithm=SHA256; b=2"},
			Params{Policy: "eyJ9", Signature: "s", KeyPairID: "K1", HashAlgorithm: "SHA256"}},
		{"two Cookie headers", []string{"CloudFront-Key-Pair-Id=K1", "CloudFront-Signature=s"}, Params{Signature: "s", KeyPairID: "K1"}},
		{"first value wins", []string{"CloudFront-Key-Pair-Id=K1; CloudFront-Key-Pair-Id=K2"}, Params{KeyPairID: "K1"}},
		{"empty value counts as absent", []string{"CloudFront-Key-Pair-Id=; CloudFront-Key-Pair-Id=K2"}, Params{KeyPairID: "K2"}},
		{"names are case-sensitive", []string{"cloudfront-key-pair-id=K1; CLOUDFRONT-EXPIRES=1"}, Params{}},
		{"quoted value", []string{`CloudFront-Key-Pair-Id="K1"`}, Params{KeyPairID: "K1"}},
		{"percent-decoded", []string{"CloudFront-Signature=a%7Eb"}, Params{Signature: "a~b"}},
		{"query parameter names are not cookies", []string{"Key-Pair-Id=K1; Expires=1"}, Params{}},
		{"malformed neighbour skipped", []string{"bad name=1; CloudFront-Key-Pair-Id=K1"}, Params{KeyPairID: "K1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{Header: http.Header{}}
			for _, h := range tt.headers {
				r.Header.Add("Cookie", h)
			}
			if got := CookieParams(r); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestRequestFromCookies: the cookies are read only when the query has no
// signing parameter, since the URL then decides alone.
func TestRequestFromCookies(t *testing.T) {
	const cookies = "CloudFront-Key-Pair-Id=K1; CloudFront-Signature=s"
	tests := []struct {
		url  string
		want Params
	}{
		{"http://d.test/a?x=1", Params{Signature: "s", KeyPairID: "K1"}},
		{"http://d.test/a?x=1&Key-Pair-Id=", Params{Signature: "s", KeyPairID: "K1"}},
		{"http://d.test/a?x=1&Hash-Algorithm=SHA1", Params{}},
		{"http://d.test/a?Expires=1", Params{}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.url, nil)
			r.Header.Set("Cookie", cookies)
			if got := RequestFrom(r, "/a", arrival).Cookies; got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
