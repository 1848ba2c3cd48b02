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
}
