package feed

import (
	"bytes"
	"reflect"
	"sort"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/openfront/openfront/internal/cloudfront"
)

// An edge rewrites its whole snapshot file every journal limit's worth
// of deltas. Encoding every distribution again was most of that rewrite
// (a third of an edge's feed loop in a fleet of 50), though almost all
// of them are unchanged and each came as JSON in a delta the edge
// already read. So the edge keeps each record's JSON as received, and the
// snapshot file is written from those pieces; only records that came
// otherwise (replayed from the journal, built by hand) are encoded.

// rawRecord is a distribution record and its JSON (nil: none, encode
// it). The JSON is used only for the very record it was decoded into:
// merge gives every record a delta brings an allocation of its own, so
// another pointer under the same id is another record, whatever its
// content.
type rawRecord struct {
	d    *cloudfront.Distribution
	json []byte
}

// rawRecords are the records' JSON by distribution id.
type rawRecords map[string]rawRecord

// receivedDelta is a delta as an edge decodes one: its distributions each
// in an allocation of its own (the field shadows Delta's), which merge
// shares as they are. Decoded into Delta's list, each record was copied
// out of it again, and the list itself was garbage: a third of the bytes
// an edge allocated per delta.
type receivedDelta struct {
	Delta
	Distributions []*cloudfront.Distribution `json:",omitzero"`
}

// decodeDelta decodes a delta's body as unmarshalJSON does and, when
// withJSON is set, returns the JSON of each of its distributions, by
// index (nil where there is none: all nil when the body's form is not
// the plain one, see scan.object).
func decodeDelta(b []byte, withJSON bool) (*receivedDelta, [][]byte, error) {
	var raws [][]byte
	split := false
	if withJSON {
		sc := newScan(b)
		split = sc.object(deltaMembers, "Distributions", func() (ok bool) { raws, ok = sc.records(); return ok })
	}
	var d receivedDelta
	if split && len(raws) > 0 {
		// Room for the records up front (the decoder appends to it).
		d.Distributions = make([]*cloudfront.Distribution, 0, len(raws))
	}
	if err := unmarshalJSON(b, &d); err != nil {
		return nil, nil, err
	}
	for i, x := range d.Distributions {
		if x == nil {
			// null: encoding/json leaves a list's element zero there.
			d.Distributions[i] = new(cloudfront.Distribution)
		}
	}
	if !split || len(raws) != len(d.Distributions) {
		return &d, nil, nil
	}
	return &d, raws, nil
}

// snapshotRawRecords is the JSON of s's records (in the file's order,
// before sorting) from body, the file's JSON: none unless its form is
// the plain one.
func snapshotRawRecords(body []byte, s *Snapshot) rawRecords {
	sc := newScan(body)
	var raws [][]byte
	if !sc.object(snapshotFileMembers, "Snapshot", func() bool {
		return sc.object(snapshotMembers, "Distributions", func() (ok bool) { raws, ok = sc.records(); return ok })
	}) || len(raws) != len(s.Distributions) || len(raws) == 0 {
		return nil
	}
	out := make(rawRecords, len(raws))
	for i, d := range s.Distributions {
		if raws[i] != nil {
			out[d.ID] = rawRecord{d, raws[i]}
		}
	}
	return out
}

// The members of each object by their exact names in Go. A body that
// spells the wanted member otherwise (another case, which encoding/json's
// semantics match too) is not split; other names are skipped.
var (
	deltaMembers        = jsonMembers[Delta]()
	snapshotMembers     = jsonMembers[Snapshot]()
	snapshotFileMembers = jsonMembers[snapshotFile]()
)

func jsonMembers[T any]() map[string]bool {
	t := reflect.TypeFor[T]()
	m := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if f.IsExported() && name != "-" {
			m[name] = true
		}
	}
	return m
}

// The JSON of each distribution record is cut out of the document the
// records were decoded from, by a token scan (json v2's jsontext): the
// JSON of each element of the "Distributions" list, copied (a record
// kept alive must not keep the whole body), nil for an element that is
// not an object. It is what the decode made each record of, element for
// element, when the document names the list once and by its exact name;
// for any other document (the list named twice, or in another case or
// spelling, which encoding/json's semantics decode one over the other)
// the scan fails, and the records are encoded instead. It reads with
// the decoder's own syntax options (v1Semantics: duplicate names and
// invalid UTF-8 allowed), so that no document the decoder takes fails
// the scan for its syntax.
//
// jsontext rather than a scanner of our own: the hand-written one it
// replaced, a byte-level skip, scanned about a tenth faster (in one
// process, 6 rounds alternating, load 2.3-2.7: an 80-distribution delta
// of 45 KB in a median 82 µs against 92; a 1,000-distribution file 8 %
// faster), which is half a percent of an edge's CPU per delta (about
// 2 ms). BenchmarkReceiveDelta's cpu-ns/op, old and new test binaries
// alternating (3 runs of 6-10 rounds, load 2-18), gave jsontext/old
// medians of 0.75-1.11: the difference is below the noise of an edge's
// whole delta. And every line of a scan of our own had to be right on
// untrusted input.
//
// A token scan rather than json v2's type-specific unmarshalers, which
// made decoding a delta 1.4 times, and a snapshot file 2 times, as
// costly: more than encoding the records again at the next rewrite.

// scan reads a document's tokens.
type scan struct{ dec *jsontext.Decoder }

// newScan is a scan of b, read in place (a bytes.Buffer is not copied).
func newScan(b []byte) scan {
	return scan{jsontext.NewDecoder(bytes.NewBuffer(b), v1Semantics)}
}

// object reads the object at the scan, with want's value read by at and
// every other member's skipped. It fails unless the object names want
// once, exactly, and nothing else that encoding/json's semantics could
// take for it.
func (s scan) object(members map[string]bool, want string, at func() bool) bool {
	if s.dec.PeekKind() != '{' {
		return false
	}
	if _, err := s.dec.ReadToken(); err != nil {
		return false
	}
	found := false
	for s.dec.PeekKind() == '"' {
		// The name as written: an escaped name could spell a member in
		// another way.
		quoted, err := s.dec.ReadValue()
		if err != nil || bytes.IndexByte(quoted, '\\') >= 0 {
			return false
		}
		name := string(quoted[1 : len(quoted)-1])
		if !members[name] && mayMatch(name, want) {
			return false
		}
		if name == want {
			if found || !at() {
				return false
			}
			found = true
		} else if s.dec.SkipValue() != nil {
			return false
		}
	}
	_, err := s.dec.ReadToken() // the '}', or the error
	return err == nil && found
}

// records reads the list at the scan: each element's JSON, copied; nil
// for an element that is not an object, or for a null list.
func (s scan) records() ([][]byte, bool) {
	switch s.dec.PeekKind() {
	case 'n':
		return nil, s.dec.SkipValue() == nil
	case '[':
	default:
		return nil, false
	}
	if _, err := s.dec.ReadToken(); err != nil {
		return nil, false
	}
	var out [][]byte
	for s.dec.PeekKind() != ']' {
		v, err := s.dec.ReadValue()
		if err != nil {
			return nil, false
		}
		var raw []byte
		if v.Kind() == '{' {
			raw = bytes.Clone(v)
		}
		out = append(out, raw)
	}
	_, err := s.dec.ReadToken()
	return out, err == nil
}

// mayMatch reports whether a decoder that matches names case-insensitively
// (Unicode's simple folding, "_" and "-" ignored or not) could take name for
// field.
func mayMatch(name, field string) bool {
	strip := func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}
	return strings.EqualFold(name, field) || strings.EqualFold(strings.Map(strip, name), field)
}

// rememberDelta notes the JSON of the records d brought into next, the
// snapshot merge made of d; raws are d's distributions' JSON by index.
// A record is remembered only where next holds that very record: of an
// id listed twice, merge keeps one.
func (c *Client) rememberDelta(next *Snapshot, d *receivedDelta, raws [][]byte) {
	if len(raws) != len(d.Distributions) || len(raws) == 0 || c.StateDir == "" {
		return
	}
	if c.raw == nil {
		c.raw = make(rawRecords, len(next.Distributions))
	}
	for i, x := range d.Distributions {
		if p := findDistribution(next.Distributions, x.ID); p == x {
			c.raw[x.ID] = rawRecord{p, raws[i]}
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
