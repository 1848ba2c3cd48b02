package feed

import (
	"bytes"
	"errors"
	"sort"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/openfront/openfront/internal/cloudfront"
)

// An edge rewrites its whole snapshot file every journal limit's worth
// of deltas. Encoding every distribution again was most of that rewrite
// (and a quarter of an edge's CPU in a fleet of 50), though almost all of
// them are unchanged and each came as JSON in a delta the edge already
// read. So the edge keeps each record's JSON as received, and the
// snapshot file is written from those pieces; only records that came
// otherwise (replayed from the journal, built by hand) are encoded.

// rawRecord is a distribution record and its JSON. The JSON is used only
// for the very record it was decoded into: merge gives every record a
// delta brings an allocation of its own, so another pointer under the
// same id is another record, whatever its content.
type rawRecord struct {
	d    *cloudfront.Distribution
	json []byte
}

// rawRecords are the records' JSON by distribution id.
type rawRecords map[string]rawRecord

// capturedJSON is a distribution's JSON in a decoded document and the
// value it was decoded into.
type capturedJSON struct {
	d    *cloudfront.Distribution
	json []byte // nil: not an object (a null in a delta's list)
}

// unmarshalCapturing is unmarshalJSON that also returns, in the order
// decoded, the JSON of every cloudfront.Distribution value decoded, each
// copied out of b (a record kept alive must not keep the whole body).
// The value is decoded with the same semantics as unmarshalJSON, from
// the same bytes, in one pass: the bytes are cut out of b by the
// decoder's offsets around the record's decode.
//
// The list is in decoding order, which is the order of the records in
// the result only when each was decoded once into its own place: a
// member given twice (encoding/json's semantics decode both, the second
// over the first) decodes more records than the result holds. Callers
// check the count (and the pointers, for lists of pointers) and keep
// none when it differs.
func unmarshalCapturing(b []byte, v any) ([]capturedJSON, error) {
	var recs []capturedJSON
	inside := false
	capture := jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, d *cloudfront.Distribution) error {
		if inside {
			return errors.ErrUnsupported // the default decode, below
		}
		start := dec.InputOffset()
		inside = true
		err := jsonv2.UnmarshalDecode(dec, d)
		inside = false
		if err != nil {
			return err
		}
		end := dec.InputOffset()
		var raw []byte
		if start >= 0 && start <= end && end <= int64(len(b)) {
			// The offset before the value may be before the comma or
			// the whitespace that lead to it.
			raw = bytes.TrimLeft(b[start:end], " \t\r\n,")
		}
		if len(raw) < 2 || raw[0] != '{' || raw[len(raw)-1] != '}' {
			raw = nil
		}
		recs = append(recs, capturedJSON{d: d, json: bytes.Clone(raw)})
		return nil
	})
	err := jsonv2.Unmarshal(b, v, v1Semantics, jsonv2.WithUnmarshalers(capture))
	return recs, err
}

// decodeDelta decodes a delta's body as unmarshalJSON does and returns
// the JSON of each of its distributions, by index (nil where there is
// none: all nil when the capture did not line up).
func decodeDelta(b []byte) (*Delta, [][]byte, error) {
	var d Delta
	recs, err := unmarshalCapturing(b, &d)
	if err != nil {
		return nil, nil, err
	}
	if len(recs) != len(d.Distributions) {
		return &d, nil, nil
	}
	raws := make([][]byte, len(recs))
	for i, r := range recs {
		raws[i] = r.json
	}
	return &d, raws, nil
}

// snapshotRawRecords is the JSON of s's records from recs, what decoding
// the file of s captured: none unless the capture lines up with s's
// list, record for record.
func snapshotRawRecords(s *Snapshot, recs []capturedJSON) rawRecords {
	if len(recs) != len(s.Distributions) {
		return nil
	}
	out := make(rawRecords, len(recs))
	for i, r := range recs {
		if r.d != s.Distributions[i] {
			return nil
		}
		if r.json != nil {
			out[r.d.ID] = rawRecord{r.d, r.json}
		}
	}
	return out
}

// rememberDelta notes the JSON of the records d brought into next, the
// snapshot merge made of d; raws are d's distributions' JSON by index.
// An id that d holds more than once is left out: which of its copies
// became next's record is merge's business.
func (c *Client) rememberDelta(next *Snapshot, d *Delta, raws [][]byte) {
	if len(raws) != len(d.Distributions) || len(raws) == 0 || c.StateDir == "" {
		return
	}
	ids := make(map[string]int, len(d.Distributions))
	for i := range d.Distributions {
		ids[d.Distributions[i].ID]++
	}
	if c.raw == nil {
		c.raw = make(rawRecords, len(next.Distributions))
	}
	for i := range d.Distributions {
		id := d.Distributions[i].ID
		if raws[i] == nil || ids[id] != 1 {
			continue
		}
		if p := findDistribution(next.Distributions, id); p != nil {
			c.raw[id] = rawRecord{p, raws[i]}
		}
	}
}

// findDistribution is the record of id in ds, sorted by id as merge
// leaves it; nil if none.
func findDistribution(ds []*cloudfront.Distribution, id string) *cloudfront.Distribution {
	i := sort.Search(len(ds), func(i int) bool { return ds[i].ID >= id })
	if i < len(ds) && ds[i].ID == id {
		return ds[i]
	}
	return nil
}
