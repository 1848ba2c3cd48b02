package v20200531

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// BenchmarkRoundTripFull decodes the golden request with every supported
// member and encodes it back: the work of one Create or Update.
func BenchmarkRoundTripFull(b *testing.B) {
	body := read(b, "full.request.xml")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := DecodeDistributionConfig(body)
		if err != nil {
			b.Fatal(err)
		}
		cloudfront.NormalizeDistributionConfig(&c)
		EncodeDistributionConfig(c)
	}
}
