package feed

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// corruptions are the ways a newest snapshot file can go bad; each must
// be detected, not served.
var corruptions = []struct {
	name string
	fn   func(t *testing.T, path string)
}{
	{"truncated", func(t *testing.T, p string) { rewrite(t, p, func(b []byte) []byte { return b[:len(b)-1] }) }},
	{"torn in the header", func(t *testing.T, p string) { rewrite(t, p, func(b []byte) []byte { return b[:10] }) }},
	{"extended", func(t *testing.T, p string) { rewrite(t, p, func(b []byte) []byte { return append(b, ' ') }) }},
	{"a flipped byte that keeps the JSON valid", func(t *testing.T, p string) {
		// The distribution id inside a JSON string: still parses, wrong.
		rewrite(t, p, func(b []byte) []byte { return bytes.Replace(b, []byte("E2QWRUHEXAMPLE"), []byte("E2QWRUHEXAMPLF"), 1) })
	}},
	{"zeroed block", func(t *testing.T, p string) {
		rewrite(t, p, func(b []byte) []byte { return append(make([]byte, len(b)/2), b[len(b)/2:]...) })
	}},
	{"empty", func(t *testing.T, p string) { rewrite(t, p, func([]byte) []byte { return nil }) }},
	{"unreadable (a directory)", func(t *testing.T, p string) {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}},
}

func rewrite(t *testing.T, p string, fn func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, fn(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

// snapshotEveryRevision is a client that rewrites its snapshot file at
// every revision, as edges did before the journal, so that the previous
// file is one revision older.
func snapshotEveryRevision(c *Client) *Client {
	c.journalLimit = -1
	return c
}

// TestCorruptNewestSnapshotFallsBack: with the newest snapshot file bad
// and the control plane away, a restarted edge serves the previous one;
// when the control plane returns it catches up, and the good previous
// file is not replaced by the bad one.
func TestCorruptNewestSnapshotFallsBack(t *testing.T) {
	for _, tc := range corruptions {
		t.Run(tc.name, func(t *testing.T) {
			f := newTestFeed(t)
			dir := t.TempDir()
			a := startEdge(t, snapshotEveryRevision(f.newClient("edge-a", "100", dir)))
			rev1 := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
			eventually(t, "rev1 applied", func() bool { return a.c.Revision() == rev1 })
			rev2 := f.putDistribution("E2QWRUHEXAMPLE", cloudfront.PriceClassAll)
			eventually(t, "rev2 applied", func() bool { return a.c.Revision() == rev2 })
			a.stop()
			f.stop()

			tc.fn(t, filepath.Join(dir, snapshotFileName))
			a2 := startEdge(t, snapshotEveryRevision(f.newClient("edge-a", "100", dir)))
			eventually(t, "the previous snapshot is served", func() bool { return a2.rec.has("EDFDVBD6EXAMPLE") })
			if a2.c.Revision() != rev1 || a2.rec.has("E2QWRUHEXAMPLE") {
				t.Fatalf("revision %d, want the previous file's %d", a2.c.Revision(), rev1)
			}

			f.start()
			eventually(t, "the edge catches up", func() bool { return a2.c.Revision() == rev2 && a2.rec.has("E2QWRUHEXAMPLE") })
			for name, want := range map[string]int64{snapshotFileName: rev2, prevSnapshotFileName: rev1} {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if _, s, err := DecodeSnapshotFile(b); err != nil || s.Revision != want {
					t.Errorf("%s: %v, want revision %d", name, err, want)
				}
			}
		})
	}
}

// TestSnapshotFilesRotate: each rewrite of the snapshot file keeps the
// file it replaces as the previous one.
func TestSnapshotFilesRotate(t *testing.T) {
	f := newTestFeed(t)
	dir := t.TempDir()
	a := startEdge(t, snapshotEveryRevision(f.newClient("edge-a", "100", dir)))
	var revs []int64
	for _, id := range []string{"EONEEXAMPLE", "ETWOEXAMPLE", "ETHREEEXAMPLE"} {
		rev := f.putDistribution(id, cloudfront.PriceClassAll)
		eventually(t, id+" applied", func() bool { return a.c.Revision() == rev })
		revs = append(revs, rev)
	}
	for name, want := range map[string]int64{snapshotFileName: revs[2], prevSnapshotFileName: revs[1]} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, s, err := DecodeSnapshotFile(b); err != nil || s.Revision != want {
			t.Errorf("%s: %v, want revision %d", name, err, want)
		}
	}
}

// TestBothSnapshotsCorrupt: nothing good on disk, the edge starts empty
// and fetches everything.
func TestBothSnapshotsCorrupt(t *testing.T) {
	f := newTestFeed(t)
	rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	dir := t.TempDir()
	for _, name := range []string{snapshotFileName, prevSnapshotFileName} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("openfront-snapshot 2 5 00\n{}{}{"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := f.newClient("edge-a", "100", dir)
	c.Applier = &recorder{}
	if c.Restore() {
		t.Fatal("Restore applied a corrupt snapshot")
	}
	a := startEdge(t, c)
	eventually(t, "a full snapshot", func() bool { return a.c.Revision() == rev && a.rec.has("EDFDVBD6EXAMPLE") })
}

// TestVersion1SnapshotStillLoads: an edge upgraded with a version 1
// file on disk serves it.
func TestVersion1SnapshotStillLoads(t *testing.T) {
	dir := t.TempDir()
	v1 := `{"Version":1,"EdgeID":"edge-a","Snapshot":{"Revision":4,"Distributions":[{"ID":"EDFDVBD6EXAMPLE","Revision":4}]}}`
	if err := os.WriteFile(filepath.Join(dir, snapshotFileName), []byte(v1), 0o600); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	c := &Client{EdgeID: "edge-a", PriceClass: "100", StateDir: dir, Applier: rec}
	if !c.Restore() || c.Revision() != 4 || !rec.has("EDFDVBD6EXAMPLE") {
		t.Fatalf("version 1 file not served: revision %d", c.Revision())
	}
}

func TestSnapshotFileFraming(t *testing.T) {
	s := &Snapshot{Revision: 7, Distributions: []*cloudfront.Distribution{{ID: "EDFDVBD6EXAMPLE", Revision: 7}}}
	good, err := EncodeSnapshotFile("e", s)
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := DecodeSnapshotFile(good); err != nil || got.Revision != 7 {
		t.Fatalf("round trip: %v", err)
	}
	nl := bytes.IndexByte(good, '\n')
	header, body := string(good[:nl]), good[nl+1:]
	for _, tc := range []struct{ name, file string }{
		{"other magic", "openfront-snapshoT" + header[len(snapshotMagic):] + "\n" + string(body)},
		{"version 3", snapshotMagic + " 3" + header[len(snapshotMagic)+2:] + "\n" + string(body)},
		{"no newline", header},
		{"negative length", snapshotMagic + " 2 -1 00\n"},
		{"short checksum", header[:len(header)-2] + "\n" + string(body)},
		{"version 2 body without a header", string(body)},
		{"version 1 header on a version 2 body", snapshotMagic + " 1" + header[len(snapshotMagic)+2:] + "\n" + string(body)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := DecodeSnapshotFile([]byte(tc.file)); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// BenchmarkSnapshotFile is the cost of the on-disk form of a snapshot of
// 1000 distributions: encoding (JSON, then SHA-256 for the header) and
// decoding (checking the header, then JSON).
func BenchmarkSnapshotFile(b *testing.B) {
	s := &Snapshot{Revision: 1000}
	for i := range 1000 {
		s.Distributions = append(s.Distributions, &cloudfront.Distribution{ID: fmt.Sprintf("E%013d", i), Revision: int64(i),
			Config: cloudfront.DistributionConfig{CallerReference: fmt.Sprint(i), Aliases: []string{fmt.Sprintf("www%d.example.com", i)},
				Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com",
					Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}}}})
	}
	file, err := EncodeSnapshotFile("e", s)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			EncodeSnapshotFile("e", s)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if _, _, err := DecodeSnapshotFile(file); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("checksum only", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			unframe(file)
		}
	})
}
