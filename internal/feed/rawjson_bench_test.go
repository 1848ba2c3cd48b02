package feed

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"testing"
)

// BenchmarkSnapshotBody is an edge's rewrite of its snapshot file short
// of the file system (written to io.Discard, so the fsyncs, the same for
// all, are left out), with n distributions: EncodeSnapshotFile (what
// edges did), the file from pieces with every record's JSON as received
// (what an edge does after the deltas brought them), and from pieces
// with none (every record encoded: after a restart that replayed a
// journal, at worst).
func BenchmarkSnapshotBody(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		s, raw := fleetFile(b, n)
		for _, tc := range []struct {
			name  string
			write func() error
		}{
			{"encode", func() error {
				f, err := EncodeSnapshotFile("e", s)
				if err == nil {
					_, err = io.Discard.Write(f)
				}
				return err
			}},
			{"pieces-as-received", func() error { return writePieces(s, raw) }},
			{"pieces-encoded", func() error { return writePieces(s, nil) }},
		} {
			b.Run("n="+strconv.Itoa(n)+"/"+tc.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := tc.write(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func writePieces(s *Snapshot, known rawRecords) error {
	body, _, err := newSnapshotBody("e", s, known)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(io.Discard, 64<<10)
	w.Write(body.header())
	if err := body.writeTo(w); err != nil {
		return err
	}
	return w.Flush()
}

// fleetFile is a snapshot of n distributions as an edge holds it after
// reading its file, and the records' JSON it then has.
func fleetFile(b *testing.B, n int) (*Snapshot, rawRecords) {
	f, err := EncodeSnapshotFile("e", fleetSnapshot(n))
	if err != nil {
		b.Fatal(err)
	}
	_, s, raw, err := decodeSnapshotFile(f, true)
	if err != nil || len(raw) != n {
		b.Fatalf("%v, the JSON of %d records", err, len(raw))
	}
	return s, raw
}

// BenchmarkDecodeCapturing is what keeping each distribution's JSON adds
// to decoding a delta of 80 distributions (each poll) and a snapshot
// file of 1,000 (each start).
func BenchmarkDecodeCapturing(b *testing.B) {
	d := Delta{From: 1, Revision: 2}
	for _, x := range fleetSnapshot(80).Distributions {
		d.Distributions = append(d.Distributions, *x)
	}
	delta, err := json.Marshal(d)
	if err != nil {
		b.Fatal(err)
	}
	file, err := EncodeSnapshotFile("e", fleetSnapshot(1000))
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		fn   func() error
	}{
		{"delta-80/plain", delta, func() error { var x Delta; return unmarshalJSON(delta, &x) }},
		{"delta-80/capturing", delta, func() error { _, _, err := decodeDelta(delta, true); return err }},
		{"file-1000/plain", file, func() error { _, _, err := DecodeSnapshotFile(file); return err }},
		{"file-1000/capturing", file, func() error { _, _, _, err := decodeSnapshotFile(file, true); return err }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.in)))
			b.ReportAllocs()
			for b.Loop() {
				if err := tc.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
