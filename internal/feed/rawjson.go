package feed

import (
	"bytes"
	"reflect"
	"sort"
	"strings"

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

// decodeDelta decodes a delta's body as unmarshalJSON does and returns
// the JSON of each of its distributions, by index (nil where there is
// none: all nil when the body's form is not the plain one, see
// scanner.object).
func decodeDelta(b []byte) (*Delta, [][]byte, error) {
	sc := scanner{b: b}
	var raws [][]byte
	split := sc.object(deltaMembers, "Distributions", func() (ok bool) { raws, ok = sc.records(); return ok })
	var d Delta
	if split && len(raws) > 0 {
		// Room for the records up front (the decoder appends to it):
		// growing the list while decoding copied each record about
		// twice, which cost more than the scan.
		d.Distributions = make([]cloudfront.Distribution, 0, len(raws))
	}
	if err := unmarshalJSON(b, &d); err != nil {
		return nil, nil, err
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
	sc := scanner{b: body}
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
// records were decoded from, by a scan of its own: the JSON of each
// element of the "Distributions" list, copied (a record kept alive must
// not keep the whole body), nil for an element that is not an object.
// It is what the decode made each record of, element for element, when
// the document names the list once and by its exact name; for any other
// document (the list named twice or in another case, which
// encoding/json's semantics decode one over the other) the scan fails,
// and the records are encoded instead. What it cuts out is used only
// when the document also decodes, so valid JSON is what it must get
// right; on anything else it fails or cuts out what goes unused, and
// never reads past the document.
//
// A scan of its own rather than json v2's type-specific unmarshalers,
// which made decoding a delta 1.4 times, and a snapshot file 2 times, as
// costly: more than encoding the records again at the next rewrite.

// object reads the object at the scanner, with want's value read by at
// and every other member's skipped. It fails unless the object names
// want once, exactly, and nothing else that encoding/json's semantics
// could take for it.
func (s *scanner) object(members map[string]bool, want string, at func() bool) bool {
	s.ws()
	if !s.next('{') {
		return false
	}
	s.ws()
	if s.next('}') {
		return false
	}
	found := false
	for {
		s.ws()
		name, ok := s.name()
		if !ok || !members[name] && mayMatch(name, want) {
			return false
		}
		s.ws()
		if !s.next(':') {
			return false
		}
		s.ws()
		if name == want {
			if found || !at() {
				return false
			}
			found = true
		} else if !s.value() {
			return false
		}
		s.ws()
		if s.next('}') {
			return found
		}
		if !s.next(',') {
			return false
		}
	}
}

// records reads the list at the scanner: each element's JSON, copied;
// nil for an element that is not an object, or for a null list.
func (s *scanner) records() ([][]byte, bool) {
	if s.i < len(s.b) && s.b[s.i] == 'n' {
		return nil, s.value()
	}
	if !s.next('[') {
		return nil, false
	}
	var out [][]byte
	s.ws()
	if s.next(']') {
		return out, true
	}
	for {
		s.ws()
		start := s.i
		if !s.value() {
			return nil, false
		}
		var raw []byte
		if s.b[start] == '{' {
			raw = bytes.Clone(s.b[start:s.i])
		}
		out = append(out, raw)
		s.ws()
		if s.next(']') {
			return out, true
		}
		if !s.next(',') {
			return nil, false
		}
	}
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

// scanner walks JSON text, finding where values end; it never reads past
// b and reports what it does not expect (it checks no more than that:
// what it cuts out counts only when the decoder takes the same text).
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

func (s *scanner) next(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// name reads a member name without escapes (an escaped name could spell
// a member in another way).
func (s *scanner) name() (string, bool) {
	start := s.i
	if !s.str() {
		return "", false
	}
	raw := s.b[start+1 : s.i-1]
	if bytes.IndexByte(raw, '\\') >= 0 {
		return "", false
	}
	return string(raw), true
}

// str skips a string.
func (s *scanner) str() bool {
	if !s.next('"') {
		return false
	}
	for {
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			return false
		}
		s.i += j + 1
		// Escaped if an odd number of backslashes lead to it.
		n := 0
		for k := s.i - 2; k >= 0 && s.b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
	}
}

// value skips one value.
func (s *scanner) value() bool {
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '"':
		return s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if !s.str() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return true
				}
			}
			s.i++
		}
		return false
	default:
		start := s.i
	scalar:
		for ; s.i < len(s.b); s.i++ {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				break scalar
			}
		}
		return s.i > start
	}
}

// rememberDelta notes the JSON of the records d brought into next, the
// snapshot merge made of d; raws are d's distributions' JSON by index.
func (c *Client) rememberDelta(next *Snapshot, d *Delta, raws [][]byte) {
	if len(raws) != len(d.Distributions) || len(raws) == 0 || c.StateDir == "" {
		return
	}
	if c.raw == nil {
		c.raw = make(rawRecords, len(next.Distributions))
	}
	for i := range d.Distributions {
		id := d.Distributions[i].ID
		p := findDistribution(next.Distributions, id)
		if p == nil {
			continue
		}
		if r, ok := c.raw[id]; ok && r.d == p {
			// p is new in next, so an earlier copy of id in d put it
			// here: which copy became p is merge's business, and p is
			// encoded (no JSON).
			c.raw[id] = rawRecord{d: p}
			continue
		}
		c.raw[id] = rawRecord{p, raws[i]}
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
