package v20120701

import "testing"

func BenchmarkDecodeDistributionConfig(b *testing.B) {
	body := readSeed(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeDistributionConfig(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDistribution(b *testing.B) {
	d := fixedDistribution(seedConfig)
	b.ReportAllocs()
	for b.Loop() {
		EncodeDistribution(d)
	}
}
