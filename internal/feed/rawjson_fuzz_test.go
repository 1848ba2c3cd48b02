package feed

import (
	"reflect"
	"slices"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// FuzzDecodeCapturing: decoding a delta or a snapshot file while keeping
// each distribution's JSON never panics, decodes what the plain decoder
// decodes (the same error or not, the same value), and every JSON kept
// is an object that decodes to the very record it is kept for.
func FuzzDecodeCapturing(f *testing.F) {
	f.Add([]byte(`{"From":1,"Revision":2,"Distributions":[{"ID":"EA","Config":{"Comment":"a"}},{"ID":"EB"}]}`))
	f.Add([]byte(`{"From":2,"Revision":3,"Distributions":[{"ID":"EB","AccountID":"3"}],"Distributions":[{"ID":"EB"}]}`))
	f.Add([]byte(`{"Revision":4,"Distributions":[null, {"ID":"ED"} ,{"id":"EE"}],"distributions":[]}`))
	f.Add([]byte("{\"Revision\":5,\"Distributions\":[{\"ID\":\"\xff\",\"Future\":[1,{}]}]}"))
	f.Add([]byte(`{"Version":1,"EdgeID":"e","Snapshot":{"Revision":3,"Distributions":[{"ID":"EA"},{"ID":"EB"}],"KeyPairs":[]}}`))
	f.Add([]byte(`{"Version":1,"Snapshot":{"Revision":3,"Distributions":[{"ID":"EA"}]},"snapshot":{"Distributions":[{"Comment":"x"}]}}`))
	f.Add([]byte(`{"Version":1,"Snapshot":{"Revision":3,"Distributions":[{"ID":"EA"}],"Distributions":[{"ID":"EB"}]}}`))
	f.Add([]byte("{\"Revision\":6,\"Distributions\":[{\"ID\":\"E\"}],\"Distribution\u017f\":[{\"AccountID\":\"1\"}],\"Distri_butions\":[]}"))
	f.Add([]byte(`{"Revision":7,"Distributions":[{"ID":"E\"]}","C":[1e5,true,null,"\\"]}],"F":{"Distributions":[{}]}}`))
	f.Add([]byte(`{"From":1,"Revision":2,"Distributions":[null,{"ID":"EA"},null]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		// The scan alone, on anything: no panic.
		sc := newScan(b)
		sc.object(deltaMembers, "Distributions", func() bool { _, ok := sc.records(); return ok })
		sc = newScan(b)
		sc.object(snapshotFileMembers, "Snapshot", func() bool { return sc.dec.SkipValue() == nil })

		var want Delta
		errW := unmarshalJSON(b, &want)
		got, raws, errG := decodeDelta(b, true)
		if (errW == nil) != (errG == nil) {
			t.Fatalf("%q: error %v, the plain decoder's %v", b, errG, errW)
		}
		if errG == nil {
			if plain := got.plain(); !reflect.DeepEqual(plain, want) {
				t.Fatalf("%q: decoded as\n%+v\nthe plain decoder:\n%+v", b, plain, want)
			}
			if raws != nil && len(raws) != len(got.Distributions) {
				t.Fatalf("%q: %d JSON values for %d records", b, len(raws), len(got.Distributions))
			}
			for i, raw := range raws {
				if raw != nil {
					checkRaw(t, b, raw, got.Distributions[i])
				}
			}
		}

		_, sW, errW := DecodeSnapshotFile(b)
		_, sG, kept, errG := decodeSnapshotFile(b, true)
		if (errW == nil) != (errG == nil) {
			t.Fatalf("%q: snapshot file: error %v, the plain decoder's %v", b, errG, errW)
		}
		if errG != nil {
			return
		}
		if !reflect.DeepEqual(sG, sW) {
			t.Fatalf("%q: snapshot file decoded as\n%+v\nthe plain decoder:\n%+v", b, sG, sW)
		}
		for id, r := range kept {
			if r.d == nil || r.d.ID != id || !slices.Contains(sG.Distributions, r.d) {
				t.Fatalf("%q: JSON kept for %q, not a record of the snapshot", b, id)
			}
			checkRaw(t, b, r.json, r.d)
		}
	})
}

func checkRaw(t *testing.T, b, raw []byte, d *cloudfront.Distribution) {
	t.Helper()
	var again cloudfront.Distribution
	if len(raw) == 0 || raw[0] != '{' {
		t.Fatalf("%q: kept %q, not an object", b, raw)
	}
	if err := unmarshalJSON(raw, &again); err != nil || !reflect.DeepEqual(&again, d) {
		t.Fatalf("%q: kept %q, which decodes as %+v (%v), for %+v", b, raw, again, err, *d)
	}
}

// plain is d as a Delta decoded by unmarshalJSON holds it: the records
// copied into its list.
func (d *receivedDelta) plain() Delta {
	out := d.Delta
	if d.Distributions != nil {
		out.Distributions = make([]cloudfront.Distribution, 0, len(d.Distributions))
		for _, x := range d.Distributions {
			out.Distributions = append(out.Distributions, *x)
		}
	}
	return out
}
