package feed_test

import (
	"bytes"
	"encoding/json"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/openfront/openfront/internal/feed"
)

// BenchmarkDecodeDeltaBody decodes a delta of 80 distributions as bench/fleet
// creates them: encoding/json's Decoder (what the edge did before: it
// scans the body to find the value's end, then decodes it), its
// Unmarshal, and json v2 under encoding/json's semantics (what
// feed.unmarshalJSON does now).
func BenchmarkDecodeDeltaBody(b *testing.B) {
	d := feed.Delta{From: 1, Revision: 2}
	for i := range 80 {
		d.Distributions = append(d.Distributions, fleetDistribution(i, 2))
	}
	body := mustJSON(b, d)
	for _, c := range []struct {
		name string
		fn   func(*feed.Delta) error
	}{
		{"encoding-json-decoder", func(x *feed.Delta) error { return json.NewDecoder(bytes.NewReader(body)).Decode(x) }},
		{"encoding-json-unmarshal", func(x *feed.Delta) error { return json.Unmarshal(body, x) }},
		{"json-v2-v1-semantics", func(x *feed.Delta) error { return jsonv2.Unmarshal(body, x, jsonv1.DefaultOptionsV1()) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var x feed.Delta
				if err := c.fn(&x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
