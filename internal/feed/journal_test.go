package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
)

// journalEdge drives a Client's saves as Run does (merge, save), without
// a control plane, and restarts it from its state directory.
type journalEdge struct {
	t    *testing.T
	dir  string
	c    *Client
	snap *Snapshot
}

func newJournalEdge(t *testing.T, limit int64) *journalEdge {
	e := &journalEdge{t: t, dir: t.TempDir(), snap: &Snapshot{}}
	e.c = &Client{EdgeID: "edge-a", PriceClass: "100", StateDir: e.dir, Applier: &recorder{}, journalLimit: limit}
	e.c.Restore()
	return e
}

// next saves the delta that creates or changes distribution id at the
// next revision.
func (e *journalEdge) next(id string) *Snapshot {
	e.t.Helper()
	rev := e.snap.Revision + 1
	d := &Delta{From: e.snap.Revision, Revision: rev,
		Distributions: []cloudfront.Distribution{{ID: id, Revision: rev, ETag: fmt.Sprint("E", rev)}}}
	if e.snap.Revision == 0 {
		d = &Delta{Full: true, Revision: rev, Distributions: d.Distributions}
	}
	next, err := Merge(e.snap, d)
	if err != nil {
		e.t.Fatal(err)
	}
	// As Run does: the journal keeps the body the control plane sent.
	body, err := json.Marshal(d)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.c.save(next, d, body); err != nil {
		e.t.Fatal(err)
	}
	e.snap = next
	return next
}

// restart is a new Client on the same directory, restored; it returns
// what the restored edge serves (nil for nothing).
func (e *journalEdge) restart() *Snapshot {
	e.t.Helper()
	rec := &recorder{}
	e.c = &Client{EdgeID: "edge-a", PriceClass: "100", StateDir: e.dir, Applier: rec, journalLimit: e.c.journalLimit}
	if !e.c.Restore() {
		return nil
	}
	if e.c.Revision() != rec.snapshot().Revision {
		e.t.Fatalf("Revision %d, applied %d", e.c.Revision(), rec.snapshot().Revision)
	}
	e.snap = rec.snapshot()
	return e.snap
}

func distIDs(s *Snapshot) []string {
	d, _ := ids(s)
	return d
}

func (e *journalEdge) path(name string) string { return filepath.Join(e.dir, name) }

func (e *journalEdge) read(name string) []byte {
	e.t.Helper()
	b, err := os.ReadFile(e.path(name))
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *journalEdge) write(name string, b []byte) {
	e.t.Helper()
	if err := os.WriteFile(e.path(name), b, 0o600); err != nil {
		e.t.Fatal(err)
	}
}

func (e *journalEdge) snapshotFileRevision() int64 {
	e.t.Helper()
	_, s, err := DecodeSnapshotFile(e.read(snapshotFileName))
	if err != nil {
		e.t.Fatal(err)
	}
	return s.Revision
}

// TestJournalRestart: an edge killed at each point of a save comes back
// at the revision it last acknowledged or later, never earlier, and a
// damaged journal costs only its damaged records.
func TestJournalRestart(t *testing.T) {
	for _, tc := range []struct {
		name string
		// crash runs the edge from an empty directory and damages the
		// state; want is the revision the restart must serve.
		crash func(e *journalEdge) (want int64)
		// compacts: the first save after the restart rewrites the
		// snapshot file (the journal was not clean).
		compacts bool
	}{
		{"killed after appends, before any rewrite", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			e.next("E3")
			if got := e.snapshotFileRevision(); got != 1 {
				t.Fatalf("snapshot file at %d, want 1 (the full delta's)", got)
			}
			return 3
		}, false},
		{"killed after the rewrite, before the journal is emptied", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			stale := e.read(journalFileName)
			e.c.journalLimit = 1 // the next save rewrites
			e.next("E3")
			if got := e.snapshotFileRevision(); got != 3 {
				t.Fatalf("snapshot file at %d, want 3", got)
			}
			e.write(journalFileName, stale) // as if emptying it never reached the disk
			return 3
		}, true},
		{"killed between the rename to previous and the new file", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			e.next("E3")
			if err := os.Rename(e.path(snapshotFileName), e.path(prevSnapshotFileName)); err != nil {
				t.Fatal(err)
			}
			return 3 // the previous file plus the journal
		}, true},
		{"torn tail", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			e.next("E3")
			j := e.read(journalFileName)
			e.write(journalFileName, j[:len(j)-7])
			return 2
		}, true},
		{"torn in the last record's header", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			e.next("E3")
			j := e.read(journalFileName)
			last := bytes.LastIndex(j, []byte(journalMagic))
			e.write(journalFileName, j[:last+5])
			return 2
		}, true},
		{"a flipped byte in the middle record", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			e.next("E3")
			e.write(journalFileName, bytes.Replace(e.read(journalFileName), []byte(`"E2"`), []byte(`"E9"`), 1))
			return 1
		}, true},
		{"a record of a wrong revision sequence", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			// A well-framed record that does not start where the last ended.
			rec, err := EncodeJournalRecord(&Delta{From: 7, Revision: 8, Distributions: []cloudfront.Distribution{{ID: "E8", Revision: 8}}})
			if err != nil {
				t.Fatal(err)
			}
			e.write(journalFileName, append(e.read(journalFileName), rec...))
			return 2
		}, true},
		{"a bad newest file: the previous one and the journals", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			e.c.journalLimit = 1 // the next save rewrites: previous at 1, newest at 3
			e.next("E3")
			e.c.journalLimit = 0
			e.next("E4")
			e.next("E5")
			e.write(snapshotFileName, []byte("openfront-snapshot 2 1 00\n{"))
			return 5
		}, true},
		{"a bad newest file, the first one: its copy and the journal", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			e.next("E3")
			e.write(snapshotFileName, nil)
			return 3
		}, true},
		{"a journal with no snapshot file", func(e *journalEdge) int64 {
			e.next("E1")
			e.next("E2")
			os.Remove(e.path(snapshotFileName))
			os.Remove(e.path(prevSnapshotFileName))
			return 0
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newJournalEdge(t, 0)
			want := tc.crash(e)
			got := e.restart()
			if want == 0 {
				if got != nil {
					t.Fatalf("restored revision %d from a journal alone", got.Revision)
				}
				return
			}
			if got == nil || got.Revision != want {
				t.Fatalf("restored %v, want revision %d", got, want)
			}
			var wantIDs []string
			for i := int64(1); i <= want; i++ {
				wantIDs = append(wantIDs, fmt.Sprint("E", i))
			}
			if !reflect.DeepEqual(distIDs(got), wantIDs) {
				t.Fatalf("restored %v, want %v", distIDs(got), wantIDs)
			}
			// Following on from there: a damaged journal is replaced by a
			// snapshot file at the first save, never appended to.
			e.next("E6")
			if wantRev := want + 1; tc.compacts != (e.snapshotFileRevision() == wantRev) {
				t.Errorf("compacted: snapshot file at %d after revision %d", e.snapshotFileRevision(), wantRev)
			}
			again := e.restart()
			if again.Revision != want+1 || !reflect.DeepEqual(distIDs(again), append(wantIDs, "E6")) {
				t.Errorf("after one more revision and a restart: revision %d, %v", again.Revision, distIDs(again))
			}
		})
	}
}

// TestJournalCompacts: the snapshot file is rewritten when the journal
// outgrows the limit, and the journal starts again empty.
func TestJournalCompacts(t *testing.T) {
	e := newJournalEdge(t, 0)
	e.next("E1")
	rec, _ := EncodeJournalRecord(&Delta{From: 1, Revision: 2, Distributions: []cloudfront.Distribution{{ID: "E2", Revision: 2, ETag: "E2"}}})
	e.c.journalLimit = int64(3*len(rec) + 1) // three records fit
	for i := 2; i <= 4; i++ {
		e.next(fmt.Sprint("E", i))
	}
	if got := e.snapshotFileRevision(); got != 1 {
		t.Fatalf("snapshot file at %d with the journal under its limit, want 1", got)
	}
	e.next("E5")
	if got, j := e.snapshotFileRevision(), e.read(journalFileName); got != 5 || len(j) != 0 {
		t.Fatalf("snapshot file at %d, journal %d bytes; want 5 and empty", got, len(j))
	}
	e.next("E6")
	if got := e.restart(); got.Revision != 6 || len(got.Distributions) != 6 {
		t.Fatalf("restored revision %d with %v", got.Revision, distIDs(got))
	}
}

// TestJournalRestartFromDisk: an edge that followed revisions through
// the journal, restarted with the control plane away, serves the last
// one and registers at it when the control plane is back.
func TestJournalRestartFromDisk(t *testing.T) {
	f := newTestFeed(t)
	dir := t.TempDir()
	a := startEdge(t, f.newClient("edge-a", "100", dir))
	var rev int64
	for _, id := range []string{"EONEEXAMPLE", "ETWOEXAMPLE", "ETHREEEXAMPLE"} {
		rev = f.putDistribution(id, cloudfront.PriceClassAll)
		eventually(t, id+" applied", func() bool { return a.c.Revision() == rev })
	}
	if j, err := os.ReadFile(filepath.Join(dir, journalFileName)); err != nil || len(j) == 0 {
		t.Fatalf("journal: %d bytes, %v; want the revisions' records", len(j), err)
	}
	a.stop()
	f.stop()
	a2 := startEdge(t, f.newClient("edge-a", "100", dir))
	eventually(t, "the journal's revision is served", func() bool { return a2.c.Revision() == rev })
	for _, id := range []string{"EONEEXAMPLE", "ETWOEXAMPLE", "ETHREEEXAMPLE"} {
		if !a2.rec.has(id) {
			t.Errorf("%s not served after the restart", id)
		}
	}
	f.start()
	eventually(t, "registered at the journal's revision", func() bool {
		e, ok := edgeByID(f.edges(), "edge-a")
		return ok && e.AckedRevision == rev
	})
	if got := f.status("ETHREEEXAMPLE"); got != cloudfront.StatusDeployed {
		t.Errorf("status %s, want Deployed", got)
	}
}

// TestComposeDeltasMatchesMerge: replaying a journal composes its
// records into one delta; the result must be what merging them one by
// one gives, for random sequences of upserts and deletes of every kind.
func TestComposeDeltasMatchesMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for round := range 300 {
		base := &Snapshot{Revision: 3}
		for i := range rng.IntN(6) {
			base.Distributions = append(base.Distributions, &cloudfront.Distribution{ID: fmt.Sprint("D", i), ETag: "base"})
		}
		sortSnapshot(base)
		var ds []*Delta
		want := base
		for range 1 + rng.IntN(6) {
			d := randomDelta(rng, want.Revision)
			ds = append(ds, d)
			var err error
			if want, err = Merge(want, d); err != nil {
				t.Fatal(err)
			}
		}
		got, err := Merge(base, composeDeltas(ds))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: composed %+v\nwant %+v", round, got, want)
		}
	}
}

func randomDelta(rng *rand.Rand, from int64) *Delta {
	rev := from + 1 + rng.Int64N(3)
	d := &Delta{From: from, Revision: rev}
	id := func(p string) string { return fmt.Sprint(p, rng.IntN(5)) }
	for range rng.IntN(4) {
		switch rng.IntN(8) {
		case 0:
			d.Distributions = append(d.Distributions, cloudfront.Distribution{ID: id("D"), Revision: rev, ETag: fmt.Sprint(rng.Int())})
		case 1:
			d.DeletedDistributions = append(d.DeletedDistributions, id("D"))
		case 2:
			d.KeyPairs = append(d.KeyPairs, KeyPair{ID: id("K"), PublicKeyPEM: fmt.Sprint(rng.Int())})
		case 3:
			d.DeletedKeyPairs = append(d.DeletedKeyPairs, id("K"))
		case 4:
			d.BucketGrants = append(d.BucketGrants, buckets.Grant{Bucket: id("b"), AccountID: id("a")})
		case 5:
			g := buckets.Grant{Bucket: id("b"), AccountID: id("a")}
			d.DeletedBucketGrants = append(d.DeletedBucketGrants, g.Key())
		case 6:
			d.Certificates = append(d.Certificates, Certificate{ARN: id("arn"), CertificatePEM: fmt.Sprint(rng.Int())})
		case 7:
			d.DeletedCertificates = append(d.DeletedCertificates, id("arn"))
		}
	}
	return d
}

func TestJournalRecordFraming(t *testing.T) {
	good, err := EncodeJournalRecord(&Delta{From: 4, Revision: 5, Distributions: []cloudfront.Distribution{{ID: "EDFDVBD6EXAMPLE", Revision: 5}},
		Invalidations: []cloudfront.Invalidation{{ID: "I1"}}})
	if err != nil {
		t.Fatal(err)
	}
	d, n, err := DecodeJournalRecord(append(good, "openfront-journal"...))
	if err != nil || n != len(good) || d.From != 4 || d.Revision != 5 || len(d.Distributions) != 1 || d.Invalidations != nil {
		t.Fatalf("round trip: %+v, %d of %d bytes, %v", d, n, len(good), err)
	}
	for _, bad := range []*Delta{{Full: true, Revision: 3}, {From: 5, Revision: 5}, {From: 6, Revision: 5}, {From: -1, Revision: 2}} {
		if _, err := EncodeJournalRecord(bad); err == nil {
			t.Errorf("encoded a record from %d to %d (full %v)", bad.From, bad.Revision, bad.Full)
		}
	}
	// A record of this build is the delta as received, invalidations
	// and all; they are dropped when it is read (a purge is done once).
	withInv := frameJournalBody(`{"From":1,"Revision":2,"Invalidations":[{"ID":"I","DistributionID":"E1"}]}`)
	if d, _, err := DecodeJournalRecord([]byte(withInv)); err != nil || d.Revision != 2 || d.Invalidations != nil {
		t.Errorf("a record with invalidations: %+v, %v", d, err)
	}
	nl := bytes.IndexByte(good, '\n')
	header, body := string(good[:nl]), string(good[nl+1:])
	reframe := frameJournalBody
	for _, tc := range []struct{ name, rec string }{
		{"empty", ""},
		{"other magic", "openfront-snapshot" + header[len(journalMagic):] + "\n" + body},
		{"version 2", journalMagic + " 2" + header[len(journalMagic)+2:] + "\n" + body},
		{"no newline", header},
		{"torn body", header + "\n" + body[:len(body)-1]},
		{"length with a sign", journalMagic + " 1 +" + header[len(journalMagic)+3:] + "\n" + body},
		{"huge length", fmt.Sprintf("%s 1 %d %s\n", journalMagic, int64(maxJournalRecord)+1, header[len(header)-64:])},
		{"flipped body byte", header + "\n" + string(bytes.Replace([]byte(body), []byte("EDFD"), []byte("EDFE"), 1))},
		{"a full delta, well framed", reframe(`{"From":0,"Revision":3,"Full":true}`)},
		{"a delta that goes back, well framed", reframe(`{"From":5,"Revision":4}`)},
		{"not JSON, well framed", reframe(`{"From":1,`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d, _, err := DecodeJournalRecord([]byte(tc.rec)); err == nil {
				t.Errorf("accepted: %+v", d)
			}
		})
	}
}

// frameJournalBody frames any body as a record, checksum and all.
func frameJournalBody(body string) string {
	sum := sha256.Sum256([]byte(body))
	return fmt.Sprintf("%s %d %d %s\n%s", journalMagic, journalVersion, len(body), hex.EncodeToString(sum[:]), body)
}

// FuzzJournalRecord: the decoder of journal records (read from disk at
// every start) never panics, and what it accepts encodes back to itself.
func FuzzJournalRecord(f *testing.F) {
	good, err := EncodeJournalRecord(&Delta{From: 4, Revision: 5, Distributions: []cloudfront.Distribution{{ID: "EDFDVBD6EXAMPLE", Revision: 5}},
		DeletedKeyPairs: []string{"APKA"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add([]byte(frameJournalBody(`{"From":1,"Revision":2}`)))
	f.Add([]byte(frameJournalBody(`{"From":0,"Revision":3,"Full":true}`)))
	f.Add([]byte("openfront-journal 1 99999999999999999999 00\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, n, err := DecodeJournalRecord(b)
		if err != nil {
			return
		}
		if n <= 0 || n > len(b) || d.Full || d.Revision <= d.From {
			t.Fatalf("accepted %d of %d bytes: %+v", n, len(b), d)
		}
		// The record decodes again to the same delta once re-encoded
		// (JSON may be spelled differently, the delta may not differ).
		again, err := EncodeJournalRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		d2, _, err := DecodeJournalRecord(again)
		if err != nil || !reflect.DeepEqual(d, d2) {
			t.Fatalf("re-encoded record: %v, %+v != %+v", err, d2, d)
		}
	})
}

// BenchmarkSaveOneChange is an edge's cost of making one revision that
// changes one of 2,000 distributions durable: "rewrite" is the snapshot
// file written whole at every revision (before the journal), "journal"
// the record appended (compactions included, at the default limit).
func BenchmarkSaveOneChange(b *testing.B) {
	const n = 2000
	base := &Snapshot{Revision: n}
	for i := range n {
		base.Distributions = append(base.Distributions, &cloudfront.Distribution{ID: fmt.Sprintf("E%013d", i), Revision: int64(i + 1), ETag: fmt.Sprint("ETAG", i),
			DomainName: fmt.Sprintf("d%013d.cloudfront.test", i),
			Config: cloudfront.DistributionConfig{CallerReference: fmt.Sprint(i), Aliases: []string{fmt.Sprintf("www%d.example.com", i)},
				Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com",
					Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}}}})
	}
	for _, bc := range []struct {
		name  string
		limit int64
	}{{"rewrite", -1}, {"journal", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			c := &Client{EdgeID: "e", StateDir: b.TempDir(), journalLimit: bc.limit}
			snap := base
			if err := c.save(snap, &Delta{Full: true, Revision: snap.Revision, Distributions: values(snap.Distributions)}, nil); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				rev := snap.Revision + 1
				x := *snap.Distributions[int(rev)%n]
				x.Revision, x.ETag = rev, fmt.Sprint("ETAG", rev)
				d := &Delta{From: snap.Revision, Revision: rev, Distributions: []cloudfront.Distribution{x}}
				next, err := Merge(snap, d)
				if err != nil {
					b.Fatal(err)
				}
				if err := c.save(next, d, nil); err != nil {
					b.Fatal(err)
				}
				snap = next
			}
		})
	}
}
