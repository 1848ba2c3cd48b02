package feed

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// TestJournalKeepsTheReceivedDelta: an edge following a real control
// plane journals each delta as the bytes it received, invalidations
// included, and a restart replays the journal without purging any of
// them again (what was cached since the purge must stay).
func TestJournalKeepsTheReceivedDelta(t *testing.T) {
	f := newTestFeed(t)
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- f.srv.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-runDone })

	dir := t.TempDir()
	a := startEdge(t, f.newClient("edge-a", "All", dir))
	f.putDistribution("EFIRSTEXAMPLE1", cloudfront.PriceClassAll) // the full delta: the snapshot file
	eventually(t, "the edge has the first distribution", func() bool { return a.rec.has("EFIRSTEXAMPLE1") })
	f.putDistribution("ESECONDEXAMPLE", cloudfront.PriceClassAll)
	rev := f.write(func(tx store.Tx, rev int64) error {
		return tx.InsertInvalidation(cloudfront.Invalidation{ID: "IJOURNALEDEXAM", DistributionID: "ESECONDEXAMPLE",
			Status: cloudfront.StatusInProgress, CreateTime: f.clock.Now(), Revision: rev,
			Batch: cloudfront.InvalidationBatch{Paths: []string{"/a.jpg"}, CallerReference: "inv-journal"}})
	})
	eventually(t, "the edge purges", func() bool { return a.rec.invalidated("IJOURNALEDEXAM") })
	eventually(t, "the edge applies the invalidation's revision", func() bool { return a.c.Revision() == rev })
	a.stop()

	j, err := os.ReadFile(filepath.Join(dir, journalFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(j, []byte(`"IJOURNALEDEXAM"`)) {
		t.Fatalf("the journal does not hold the delta as received (no invalidation in it):\n%s", j)
	}

	rec := &recorder{}
	c := f.newClient("edge-a", "All", dir)
	c.Applier = rec
	if !c.Restore() {
		t.Fatal("nothing restored")
	}
	if got := rec.snapshot(); got.Revision != rev || !rec.has("ESECONDEXAMPLE") {
		t.Fatalf("restored revision %d (want %d), distributions %v", got.Revision, rev, distIDs(got))
	}
	if len(rec.invalidations) != 0 {
		t.Fatalf("a restart purged again: %+v", rec.invalidations)
	}
}

// TestJournalLimitSlack: each client's journal limit is the snapshot
// file's size (at least journalMin) times a slack in [1, 1.5) drawn once,
// so that edges sharing a machine rewrite their snapshot files at
// different revisions, spread over the whole range.
func TestJournalLimitSlack(t *testing.T) {
	for _, snapBytes := range []int64{0, journalMin / 2, 2 << 20} {
		base := max(snapBytes, journalMin)
		lo, hi := float64(2), float64(0)
		for range 200 {
			c := &Client{journal: journalState{snapBytes: snapBytes}}
			limit := c.defaultJournalLimit()
			if limit < base || float64(limit) >= 1.5*float64(base) {
				t.Fatalf("snapshot of %d bytes: limit %d, want in [%d, %d)", snapBytes, limit, base, base*3/2)
			}
			if again := c.defaultJournalLimit(); again != limit {
				t.Fatalf("the slack was drawn again: %d, then %d", limit, again)
			}
			r := float64(limit) / float64(base)
			lo, hi = min(lo, r), max(hi, r)
		}
		if lo > 1.1 || hi < 1.4 {
			t.Errorf("snapshot of %d bytes: 200 clients' limits span only [%.2f, %.2f] of it", snapBytes, lo, hi)
		}
	}
}

// TestReadResponse: a body is read whole within the limit, whether its
// length was announced or not, and one over the limit or shorter than
// announced is an error, not a truncated delta.
func TestReadResponse(t *testing.T) {
	body := []byte(`{"From":1,"Revision":2}`)
	n := int64(len(body))
	for _, tc := range []struct {
		name        string
		size, limit int64
		ok          bool
	}{
		{"announced", n, 100, true},
		{"not announced", -1, 100, true},
		{"exactly the limit", n, n, true},
		{"not announced, exactly the limit", -1, n, true},
		{"over the limit, announced", n, n - 1, false},
		{"over the limit, not announced", -1, n - 1, false},
		{"shorter than announced", n + 5, 100, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readResponse(bytes.NewReader(body), tc.size, tc.limit)
			if tc.ok && (err != nil || !bytes.Equal(got, body)) {
				t.Fatalf("%q, %v; want the body", got, err)
			}
			if !tc.ok && err == nil {
				t.Fatalf("%q accepted", got)
			}
		})
	}
}
