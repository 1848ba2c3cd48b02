package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// snapshotFileName is the edge's snapshot in its state directory.
const snapshotFileName = "feed-snapshot.json"

// snapshotFileVersion is the on-disk format's version; a file with any
// other version is ignored (the edge then starts empty and fetches all).
const snapshotFileVersion = 1

type snapshotFile struct {
	Version  int
	EdgeID   string
	Snapshot *Snapshot
}

// EncodeSnapshotFile is the on-disk form of s for edge edgeID.
func EncodeSnapshotFile(edgeID string, s *Snapshot) ([]byte, error) {
	return json.Marshal(snapshotFile{Version: snapshotFileVersion, EdgeID: edgeID, Snapshot: s})
}

// DecodeSnapshotFile parses what EncodeSnapshotFile wrote.
func DecodeSnapshotFile(b []byte) (edgeID string, s *Snapshot, err error) {
	var f snapshotFile
	if err := json.Unmarshal(b, &f); err != nil {
		return "", nil, fmt.Errorf("feed: snapshot file: %w", err)
	}
	if f.Version != snapshotFileVersion {
		return "", nil, fmt.Errorf("feed: snapshot file version %d, want %d", f.Version, snapshotFileVersion)
	}
	if f.Snapshot == nil || f.Snapshot.Revision < 0 {
		return "", nil, errors.New("feed: snapshot file: no snapshot")
	}
	sortSnapshot(f.Snapshot)
	return f.EdgeID, f.Snapshot, nil
}

// writeFileAtomic replaces path with data so that a crash leaves either
// the old or the new file: temp file, fsync, rename, fsync of the dir.
func writeFileAtomic(path string, data []byte) (err error) {
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
	if _, err = f.Write(data); err != nil {
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
