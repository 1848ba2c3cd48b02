package accesslog

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
)

// TestWriterFailingBucketDoesNotStarveOthers: one distribution whose log
// bucket refuses every file floods the buffer; another distribution's
// lines must all be delivered anyway, and memory stays bounded.
func TestWriterFailingBucketDoesNotStarveOthers(t *testing.T) {
	root := t.TempDir()
	// A file where bucket "bad"'s folder should be: every delivery there fails.
	if err := os.WriteFile(filepath.Join(root, "bad"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	const limit = 32 << 10
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}, MaxBufferedBytes: limit, Logger: slog.New(slog.DiscardHandler)})
	w.Update(records(loggingDist("EBAD", "bad", ""), loggingDist("EGOOD", "good", "")), allBuckets)

	// The failing distribution takes the whole buffer while it is free...
	for w.Stats().Dropped == 0 {
		w.Log(record("EBAD", "/flood"))
	}
	if err := w.Flush(t.Context()); err == nil {
		t.Fatal("delivery into bucket bad succeeded")
	}
	// ...then both log, the failing one ten lines for each of the other's,
	// with a flush (and a failed retry) every 20 lines.
	const good = 2000
	for i := range good {
		for range 10 {
			w.Log(record("EBAD", "/flood"))
		}
		w.Log(record("EGOOD", fmt.Sprintf("/good/%d", i)))
		if s := w.Stats(); s.BufferedBytes > limit {
			t.Fatalf("buffered %d bytes, limit %d", s.BufferedBytes, limit)
		}
		if i%20 == 19 {
			w.Flush(t.Context()) // EBAD's error
		}
	}
	w.Close(t.Context()) // EBAD's lines are undeliverable; the flusher stops
	os.Remove(filepath.Join(root, "bad"))

	delivered := map[string]bool{}
	for name, lines := range logFiles(t, root) {
		if !strings.HasPrefix(name, "good/") {
			t.Fatalf("unexpected file %q", name)
		}
		for _, l := range lines[2:] {
			delivered[strings.Split(l, "\t")[7]] = true
		}
	}
	if len(delivered) != good {
		t.Fatalf("%d of %d lines of the healthy distribution delivered", len(delivered), good)
	}
	s := w.Stats()
	if s.Dropped < 10*good/2 {
		t.Errorf("stats %+v: the failing distribution's lines should have been dropped", s)
	}
	t.Logf("healthy: %d/%d delivered; failing: %d lines dropped, %d failed puts", len(delivered), good, s.Dropped, s.FailedPuts)
}

// TestWriterShareIsFair: with the buffer full, a distribution holding its
// share already cannot push out another's lines.
func TestWriterShareIsFair(t *testing.T) {
	const limit = 8 << 10
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: filepath.Join(t.TempDir(), "missing")}, MaxBufferedBytes: limit})
	w.Update(records(loggingDist("EONE", "one", ""), loggingDist("ETWO", "two", "")), allBuckets)
	// Alternate until the buffer is full: both hold about half.
	for w.Stats().Dropped == 0 {
		w.Log(record("EONE", "/1"))
		w.Log(record("ETWO", "/2"))
	}
	before := w.Stats()
	for range 100 {
		w.Log(record("EONE", "/1"))
	}
	after := w.Stats()
	if after.Lines != before.Lines || after.Dropped != before.Dropped+100 {
		t.Fatalf("a distribution at its share displaced another's lines: before %+v, after %+v", before, after)
	}
}

// TestWriterLogsOnlyIntoGrantedBuckets: the edge delivers a distribution's
// logs only into a bucket granted to its account, whatever the stored
// config says (configs made before grants existed, grants revoked since).
func TestWriterLogsOnlyIntoGrantedBuckets(t *testing.T) {
	other := "999988887777"
	tests := []struct {
		name   string
		grants []buckets.Grant
		logged bool
	}{
		{"no grants", nil, false},
		{"bucket granted to the account", []buckets.Grant{{Bucket: "alogs", AccountID: logAccount}}, true},
		{"every bucket granted to the account", allBuckets, true},
		{"bucket granted to another account", []buckets.Grant{{Bucket: "alogs", AccountID: other}}, false},
		{"every bucket granted to another account", []buckets.Grant{{Bucket: buckets.Every, AccountID: other}}, false},
		{"bucket granted to an OAI only", []buckets.Grant{{Bucket: "alogs", OAIID: "E74FTE3AEXAMPLE"}}, false},
		{"another bucket granted", []buckets.Grant{{Bucket: "blogs", AccountID: logAccount}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
			w.Update(records(loggingDist("EONE", "alogs.s3.amazonaws.com", "p/")), tt.grants)
			w.Log(record("EONE", "/x"))
			if err := w.Close(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := len(logFiles(t, root)); (n == 1) != tt.logged || n > 1 {
				t.Fatalf("%d files, want logged=%v", n, tt.logged)
			}
		})
	}
	t.Run("revoked", func(t *testing.T) {
		root := t.TempDir()
		w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
		d := records(loggingDist("EONE", "alogs.s3.amazonaws.com", "p/"))
		w.Update(d, allBuckets)
		w.Log(record("EONE", "/before"))
		w.Update(d, nil)
		w.Log(record("EONE", "/after"))
		if s := w.Stats(); s.Lines != 1 {
			t.Fatalf("stats %+v: want the line before the revoke only", s)
		}
	})
}

// TestWriterRefusesUnsafeNames: configs stored before the control plane
// checked log names still never turn into paths or keys outside S3's
// rules at the edge.
func TestWriterRefusesUnsafeNames(t *testing.T) {
	for _, tc := range []struct{ name, bucket, prefix string }{
		{"newline in prefix", "logs.s3.amazonaws.com", "a\nb/"},
		{"dot-dot folder", "logs.s3.amazonaws.com", "a/../../b/"},
		{"120 folders", "logs.s3.amazonaws.com", strings.Repeat("d/", 120)},
		{"shell characters", "logs.s3.amazonaws.com", "$(id)/"},
		{"bucket outside S3's rules", "lo_gs.s3.amazonaws.com", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
			w.Update(records(loggingDist("EONE", tc.bucket, tc.prefix)), allBuckets)
			w.Log(record("EONE", "/x"))
			w.Close(t.Context())
			if s := w.Stats(); s.Lines != 0 || len(logFiles(t, root)) != 0 {
				t.Fatalf("logged: %+v", s)
			}
		})
	}
}

// TestWriterSharesAreByAccount: a tenant cannot win a larger part of the
// buffer by having more distributions. Tenant A's nine distributions all
// log into failing buckets; tenant B's one distribution gets half the
// buffer (not a tenth), so a burst of a third of the buffer between two
// flushes is delivered whole.
func TestWriterSharesAreByAccount(t *testing.T) {
	root := t.TempDir()
	const limit = 32 << 10
	const tenantB = "999988887777"
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}, MaxBufferedBytes: limit, Logger: slog.New(slog.DiscardHandler)})
	var dists []cloudfront.Distribution
	var bad []string
	for i := range 9 {
		id := fmt.Sprintf("EBAD%d", i)
		bad = append(bad, id)
		bucket := fmt.Sprintf("bad%d", i)
		if err := os.WriteFile(filepath.Join(root, bucket), nil, 0o644); err != nil { // every delivery fails
			t.Fatal(err)
		}
		dists = append(dists, loggingDist(id, bucket, ""))
	}
	good := loggingDist("EGOOD", "good", "")
	good.AccountID = tenantB
	w.Update(records(append(dists, good)...), append([]buckets.Grant{{Bucket: buckets.Every, AccountID: tenantB}}, allBuckets...))

	w.Log(record("EGOOD", "/good/first"))
	line := w.Stats().BufferedBytes
	if err := w.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := 0; w.Stats().Dropped == 0; i++ {
		w.Log(record(bad[i%len(bad)], "/flood"))
	}
	w.Flush(t.Context()) // A's files fail and wait
	burst := int(limit / 3 / line)
	for i := range burst {
		w.Log(record(bad[i%len(bad)], "/flood"))
		w.Log(record("EGOOD", fmt.Sprintf("/good/%d", i)))
	}
	w.Close(t.Context())
	for _, id := range bad {
		os.Remove(filepath.Join(root, strings.ToLower(strings.Replace(id, "EBAD", "bad", 1))))
	}
	n := 0
	for name, lines := range logFiles(t, root) {
		if !strings.HasPrefix(name, "good/") {
			t.Fatalf("unexpected file %q", name)
		}
		n += len(lines) - 2
	}
	if n != 1+burst {
		t.Fatalf("%d of tenant B's %d lines delivered (line %d bytes, burst %d lines)", n, 1+burst, line, burst)
	}
}
