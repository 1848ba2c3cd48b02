package edge

import (
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// TestEncodeIDMatchesBase64 checks the table encoder against
// encoding/base64 on edge bytes and random ids.
func TestEncodeIDMatchesBase64(t *testing.T) {
	inputs := [][40]byte{{}, {39: 0xff}}
	var ones [40]byte
	for i := range ones {
		ones[i] = 0xff
	}
	inputs = append(inputs, ones)
	for range 1000 {
		var raw [40]byte
		for i := range raw {
			raw[i] = byte(rand.Uint32())
		}
		inputs = append(inputs, raw)
	}
	for _, raw := range inputs {
		var got [reqIDLen]byte
		encodeID(&got, &raw)
		if want := base64.URLEncoding.EncodeToString(raw[:]); string(got[:]) != want {
			t.Fatalf("encodeID(%x) = %s, want %s", raw, got[:], want)
		}
	}
}

func BenchmarkNewPerRequest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newPerRequest()
	}
}
