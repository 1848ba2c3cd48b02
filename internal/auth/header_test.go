package auth

import (
	"errors"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

var parseAuthorizationCases = []struct {
	name   string
	header string
	want   authorization // zero when an error is expected
}{
	{"legacy", "AWS AKIAIOSFODNN7EXAMPLE:jGLfmt4ZqkI5eKDsOIztQe1cGIg=",
		authorization{scheme: schemeLegacy, accessKeyID: "AKIAIOSFODNN7EXAMPLE", signature: "jGLfmt4ZqkI5eKDsOIztQe1cGIg="}},
	{"legacy extra space", "AWS  AKID:c2ln",
		authorization{scheme: schemeLegacy, accessKeyID: "AKID", signature: "c2ln"}},
	{"v4", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		authorization{scheme: schemeV4, accessKeyID: "AKIDEXAMPLE", date: "20150830", region: "us-east-1", service: "cloudfront", terminator: "aws4_request",
			signedHeaders: []string{"host", "x-amz-date"}, signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}},
	{"v4 no spaces, other order", "AWS4-HMAC-SHA256 Signature=abc,SignedHeaders=host,Credential=K/20150830/eu-west-1/cloudfront/aws4_request",
		authorization{scheme: schemeV4, accessKeyID: "K", date: "20150830", region: "eu-west-1", service: "cloudfront", terminator: "aws4_request",
			signedHeaders: []string{"host"}, signature: "abc"}},
	{"empty", "", authorization{}},
	{"other scheme", "Bearer abc", authorization{}},
	{"lower-case aws", "aws AKID:sig", authorization{}},
	{"legacy no colon", "AWS AKIDsig", authorization{}},
	{"legacy empty key", "AWS :sig", authorization{}},
	{"legacy empty signature", "AWS AKID:", authorization{}},
	{"legacy space inside", "AWS AK ID:sig", authorization{}},
	{"v4 nothing", "AWS4-HMAC-SHA256 ", authorization{}},
	{"v4 no signature", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host", authorization{}},
	{"v4 empty value", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=, Signature=a", authorization{}},
	{"v4 repeated", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host, Signature=a, Signature=b", authorization{}},
	{"v4 unknown element", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host, Signature=a, Extra=b", authorization{}},
	{"v4 short scope", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront, SignedHeaders=host, Signature=a", authorization{}},
	{"v4 empty scope part", "AWS4-HMAC-SHA256 Credential=K/20150830//cloudfront/aws4_request, SignedHeaders=host, Signature=a", authorization{}},
	{"v4 upper-case signed header", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=Host, Signature=a", authorization{}},
	{"v4 empty signed header", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host;;x-amz-date, Signature=a", authorization{}},
	{"v4 trailing comma", "AWS4-HMAC-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host, Signature=a,", authorization{}},
	{"v4 scope without region", "AWS4-HMAC-SHA256 Credential=K/20150830/cloudfront/aws4_request, SignedHeaders=host, Signature=a", authorization{}},
	{"v4 other algorithm", "AWS4-HMAC-SHA512 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host, Signature=a", authorization{}},

	// SigV4A: the scope has no region.
	{"v4a", "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/cloudfront-keyvaluestore/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3045022100f4c37457a8978d07fa07044d5724237f8c30f8529c4c4cd1f30a4c0e6486303f02207968f80296f1ac3808e3cb45ae1f31c479d071dcad4f0621084cd6d1b6a912bd",
		authorization{scheme: schemeV4A, accessKeyID: "AKIDEXAMPLE", date: "20150830", service: "cloudfront-keyvaluestore", terminator: "aws4_request",
			signedHeaders: []string{"host", "x-amz-date", "x-amz-region-set"},
			signature:     "3045022100f4c37457a8978d07fa07044d5724237f8c30f8529c4c4cd1f30a4c0e6486303f02207968f80296f1ac3808e3cb45ae1f31c479d071dcad4f0621084cd6d1b6a912bd"}},
	{"v4a no spaces, other order", "AWS4-ECDSA-P256-SHA256 SignedHeaders=host;x-amz-region-set,Signature=30,Credential=K/20150830/service/aws4_request",
		authorization{scheme: schemeV4A, accessKeyID: "K", date: "20150830", service: "service", terminator: "aws4_request",
			signedHeaders: []string{"host", "x-amz-region-set"}, signature: "30"}},
	{"v4a scope with region", "AWS4-ECDSA-P256-SHA256 Credential=K/20150830/us-east-1/cloudfront/aws4_request, SignedHeaders=host, Signature=a", authorization{}},
	{"v4a short scope", "AWS4-ECDSA-P256-SHA256 Credential=K/20150830/aws4_request, SignedHeaders=host, Signature=a", authorization{}},
	{"v4a empty scope part", "AWS4-ECDSA-P256-SHA256 Credential=K/20150830//aws4_request, SignedHeaders=host, Signature=a", authorization{}},
	{"v4a no signature", "AWS4-ECDSA-P256-SHA256 Credential=K/20150830/service/aws4_request, SignedHeaders=host", authorization{}},
	{"v4a lower-case algorithm", "aws4-ecdsa-p256-sha256 Credential=K/20150830/service/aws4_request, SignedHeaders=host, Signature=a", authorization{}},
	{"v4a no space after algorithm", "AWS4-ECDSA-P256-SHA256Credential=K/20150830/service/aws4_request, SignedHeaders=host, Signature=a", authorization{}},
}

func TestParseAuthorization(t *testing.T) {
	for _, tc := range parseAuthorizationCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseAuthorization(tc.header)
			if tc.want.scheme == 0 {
				wantAPIError(t, err, cloudfront.IncompleteSignature)
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// FuzzParseAuthorization checks that the parser never panics, fails only
// with a 4xx API error, and that what it accepts survives a round trip.
func FuzzParseAuthorization(f *testing.F) {
	for _, tc := range parseAuthorizationCases {
		f.Add(tc.header)
	}
	f.Fuzz(func(t *testing.T, header string) {
		a, err := parseAuthorization(header)
		if err != nil {
			var e *cloudfront.Error
			if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
				t.Fatalf("error %v is not a 4xx *cloudfront.Error", err)
			}
			return
		}
		if a.accessKeyID == "" || a.signature == "" {
			t.Fatalf("accepted %q with an empty key or signature: %+v", header, a)
		}
		again, err := parseAuthorization(a.String())
		if err != nil {
			t.Fatalf("reparsing %q: %v", a.String(), err)
		}
		if !reflect.DeepEqual(a, again) {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", header, again, a)
		}
	})
}
