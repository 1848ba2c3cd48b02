package feed

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/openfront/openfront/internal/cloudfront"
)

// snapshotBody is a snapshot file's JSON (what EncodeSnapshotFile frames)
// in pieces: head, the distributions' JSON separated by commas, tail. It
// is checksummed and written piece by piece, so a rewrite of the file
// neither encodes the records it already has the JSON of nor builds the
// file (megabytes) in one buffer.
type snapshotBody struct {
	head, tail []byte
	records    [][]byte
	size       int64
}

// newSnapshotBody is the body of the snapshot file of s for edge edgeID.
// Each record's JSON comes from known when known has it for that very
// record (the same pointer), and is encoded otherwise. The records' JSON
// comes back by id, s's records only, for the next rewrite.
func newSnapshotBody(edgeID string, s *Snapshot, known rawRecords) (*snapshotBody, rawRecords, error) {
	// Every member but the distributions is encoded as a whole, so that
	// a member added to Snapshot is written without a change here; the
	// distributions' list is written empty and the records go between
	// its brackets.
	split, calls := -1, 0
	list := jsonv2.MarshalToFunc(func(enc *jsontext.Encoder, ds []*cloudfront.Distribution) error {
		calls++
		if ds == nil {
			return errors.ErrUnsupported // null, as encoding/json writes it
		}
		if err := enc.WriteToken(jsontext.BeginArray); err != nil {
			return err
		}
		split = int(enc.OutputOffset())
		return enc.WriteToken(jsontext.EndArray)
	})
	whole, err := jsonv2.Marshal(snapshotFile{Version: snapshotFileVersion, EdgeID: edgeID, Snapshot: s},
		v1Semantics, jsonv2.WithMarshalers(list))
	if err != nil {
		return nil, nil, err
	}
	b := &snapshotBody{head: whole, size: int64(len(whole))}
	if len(s.Distributions) == 0 {
		return b, rawRecords{}, nil
	}
	if calls != 1 || split < 1 || split >= len(whole) || whole[split-1] != '[' || whole[split] != ']' {
		// Not seen; should json v2 change its ways, the file is still
		// written, encoded whole.
		whole, err := json.Marshal(snapshotFile{Version: snapshotFileVersion, EdgeID: edgeID, Snapshot: s})
		if err != nil {
			return nil, nil, err
		}
		return &snapshotBody{head: whole, size: int64(len(whole))}, rawRecords{}, nil
	}
	b.head, b.tail = whole[:split], whole[split:]
	b.records = make([][]byte, len(s.Distributions))
	raw := make(rawRecords, len(s.Distributions))
	for i, d := range s.Distributions {
		r, ok := known[idOf(d)]
		if !ok || r.d != d || r.json == nil || d == nil {
			// Encoded as EncodeSnapshotFile does (a nil record as null).
			j, err := jsonv2.Marshal(d, v1Semantics)
			if err != nil {
				return nil, nil, err
			}
			r = rawRecord{d, j}
		}
		if d != nil {
			raw[d.ID] = r
		}
		b.records[i] = r.json
		b.size += int64(len(r.json))
	}
	b.size += int64(len(b.records) - 1) // commas
	return b, raw, nil
}

func idOf(d *cloudfront.Distribution) string {
	if d == nil {
		return ""
	}
	return d.ID
}

// writeTo writes the body's pieces to w in order.
func (b *snapshotBody) writeTo(w io.Writer) error {
	if _, err := w.Write(b.head); err != nil {
		return err
	}
	comma := []byte{','}
	for i, r := range b.records {
		if i > 0 {
			if _, err := w.Write(comma); err != nil {
				return err
			}
		}
		if _, err := w.Write(r); err != nil {
			return err
		}
	}
	_, err := w.Write(b.tail)
	return err
}

// header is the file's header line, as EncodeSnapshotFile writes it.
func (b *snapshotBody) header() []byte {
	h := sha256.New()
	b.writeTo(h) // a hash.Hash's Write never fails
	sum := h.Sum(nil)
	return []byte(snapshotMagic + " " + strconv.Itoa(snapshotFileVersion) + " " +
		strconv.FormatInt(b.size, 10) + " " + hex.EncodeToString(sum) + "\n")
}

// writeSnapshotFile writes header and body as the file at path,
// atomically (writeFileAtomic), through one small buffer.
func writeSnapshotFile(path string, header []byte, b *snapshotBody) error {
	return writeFileAtomicFunc(path, func(f *os.File) error {
		w := bufio.NewWriterSize(f, 64<<10)
		if _, err := w.Write(header); err != nil {
			return err
		}
		if err := b.writeTo(w); err != nil {
			return err
		}
		return w.Flush()
	})
}
