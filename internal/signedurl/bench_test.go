package signedurl

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// BenchmarkCheck is the cost a signed URL adds to every request of a
// private behaviour, cache hits included: mostly one RSA verification.
func BenchmarkCheck(b *testing.B) {
	c := NewChecker(Options{Now: func() time.Time { return arrival }})
	c.Update(testPairs(b))
	d := &cloudfront.Distribution{AccountID: owner}
	for _, bc := range []struct {
		name string
		url  string
	}{
		{"canned", mustT(b)(SignCanned(base, expires, "APKAOWNER", key(b, 0)))},
		{"custom", mustT(b)(SignCustom(base, string(customPolicy("http*://d111111abcdef8.cloudfront.net/*").JSON()), "APKAOWNER", key(b, 0)))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, bc.url, nil)
			r.RemoteAddr = "192.0.2.10:5000"
			beh := trusting("self")
			b.ReportAllocs()
			for b.Loop() {
				if _, _, ok := c.Check(r, r.URL.EscapedPath(), d, beh); !ok {
					b.Fatal("refused")
				}
			}
		})
	}
}
