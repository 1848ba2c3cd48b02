package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The edge's snapshot files in its state directory: the newest, and the
// one it replaced, kept so that an edge whose newest file cannot be read
// (a bad disk block, a torn write on a file system that reorders, a stray
// edit) still serves its last good configuration instead of nothing.
const (
	snapshotFileName     = "feed-snapshot.json"
	prevSnapshotFileName = "feed-snapshot.prev.json"
)

// snapshotFileVersion is the on-disk format's version. Version 2 frames
// the JSON with a header line that gives its length and SHA-256, so a
// truncated, extended or altered file is detected rather than served:
//
//	openfront-snapshot 2 <length> <sha256 hex>\n<JSON of length bytes>
//
// Version 1 files (the bare JSON) are still read, so an upgraded edge
// keeps serving; they are rewritten as version 2 at the next change.
const snapshotFileVersion = 2

const snapshotMagic = "openfront-snapshot"

type snapshotFile struct {
	Version  int
	EdgeID   string
	Snapshot *Snapshot
}

// EncodeSnapshotFile is the on-disk form of s for edge edgeID.
func EncodeSnapshotFile(edgeID string, s *Snapshot) ([]byte, error) {
	body, err := json.Marshal(snapshotFile{Version: snapshotFileVersion, EdgeID: edgeID, Snapshot: s})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	header := fmt.Sprintf("%s %d %d %s\n", snapshotMagic, snapshotFileVersion, len(body), hex.EncodeToString(sum[:]))
	return append([]byte(header), body...), nil
}

// DecodeSnapshotFile parses what EncodeSnapshotFile wrote (or a version 1
// file) and checks its length and checksum.
func DecodeSnapshotFile(b []byte) (edgeID string, s *Snapshot, err error) {
	edgeID, s, _, err = decodeSnapshotFile(b, false)
	return edgeID, s, err
}

// decodeSnapshotFile is DecodeSnapshotFile, and with capture also the
// JSON of the records as the file holds them, for the next rewrite.
func decodeSnapshotFile(b []byte, capture bool) (edgeID string, s *Snapshot, raw rawRecords, err error) {
	version := 1
	body := b
	if !bytes.HasPrefix(b, []byte("{")) {
		if body, err = unframe(b); err != nil {
			return "", nil, nil, fmt.Errorf("feed: snapshot file: %w", err)
		}
		version = snapshotFileVersion
	}
	var f snapshotFile
	if err := unmarshalJSON(body, &f); err != nil {
		return "", nil, nil, fmt.Errorf("feed: snapshot file: %w", err)
	}
	if f.Version != version {
		return "", nil, nil, fmt.Errorf("feed: snapshot file version %d, want %d", f.Version, version)
	}
	if f.Snapshot == nil || f.Snapshot.Revision < 0 {
		return "", nil, nil, errors.New("feed: snapshot file: no snapshot")
	}
	// A null record (version 1 files are not checksummed) would be a nil
	// pointer for the edge to trip on.
	if slices.Contains(f.Snapshot.Distributions, nil) {
		return "", nil, nil, errors.New("feed: snapshot file: a null distribution")
	}
	if capture {
		raw = snapshotRawRecords(body, f.Snapshot) // before sorting: in the file's order
	}
	sortSnapshot(f.Snapshot)
	return f.EdgeID, f.Snapshot, raw, nil
}

// unframe checks a version 2 file's header line against its body and
// returns the body.
func unframe(b []byte) ([]byte, error) {
	line, body, ok := bytes.Cut(b, []byte("\n"))
	if !ok || len(line) > 200 {
		return nil, errors.New("no header line")
	}
	f := strings.Split(string(line), " ")
	if len(f) != 4 || f[0] != snapshotMagic {
		return nil, errors.New("not a snapshot file")
	}
	if f[1] != strconv.Itoa(snapshotFileVersion) {
		return nil, fmt.Errorf("version %q, want %d", f[1], snapshotFileVersion)
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n < 0 {
		return nil, fmt.Errorf("length %q", f[2])
	}
	if len(body) != n {
		return nil, fmt.Errorf("%d bytes after the header, want %d (torn or extended)", len(body), n)
	}
	want, err := hex.DecodeString(f[3])
	if err != nil || len(want) != sha256.Size {
		return nil, fmt.Errorf("checksum %q", f[3])
	}
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], want) {
		return nil, errors.New("checksum mismatch (the file was altered)")
	}
	return body, nil
}

// writeFileAtomic replaces path with data so that a crash leaves either
// the old or the new file: temp file, fsync, rename, fsync of the dir.
func writeFileAtomic(path string, data []byte) error {
	return writeFileAtomicFunc(path, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// writeFileAtomicFunc is writeFileAtomic with the content written by
// write, which must write all of it or fail.
func writeFileAtomicFunc(path string, write func(*os.File) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
