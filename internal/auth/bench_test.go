package auth

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func BenchmarkVerify(b *testing.B) {
	body := []byte(strings.Repeat("<DistributionConfig/>", 100))
	legacy := httptest.NewRequest("POST", "http://cloudfront.example/2012-07-01/distribution", nil)
	SignLegacy(legacy, testKeyID, testSecret, testNow)
	v4 := httptest.NewRequest("POST", "http://cloudfront.example/2012-07-01/distribution?MaxItems=2&Marker=E2QWRUHAPOMQZL", nil)
	v4.Header.Set("Content-Type", "text/xml")
	SignV4(v4, body, testKeyID, testSecret, "us-east-1", testNow)
	v4a := httptest.NewRequest("POST", "http://cloudfront.example/2012-07-01/distribution?MaxItems=2&Marker=E2QWRUHAPOMQZL", nil)
	v4a.Header.Set("Content-Type", "text/xml")
	if err := SignV4A(v4a, body, testKeyID, testSecret, v4Service, testNow); err != nil {
		b.Fatal(err)
	}

	v := testVerifier()
	b.Run("legacy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(legacy, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("v4", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(v4, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	// v4a: the public key comes from the verifier's cache after the first
	// request, as for a client that sends many.
	b.Run("v4a", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(v4a, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	// v4a-uncached derives the key on every request, as without the cache.
	b.Run("v4a-uncached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := testVerifier().Verify(v4a, body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDeriveV4AKey is the cost the key cache saves on each SigV4A
// request after a key's first.
func BenchmarkDeriveV4AKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := deriveV4AKey(testKeyID, testSecret); err != nil {
			b.Fatal(err)
		}
	}
}
