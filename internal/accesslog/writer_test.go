package accesslog

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// TestWriterHourBoundary logs across an hour boundary with an injected
// clock: one file per UTC hour, named after the hour the requests occurred.
func TestWriterHourBoundary(t *testing.T) {
	root := t.TempDir()
	clk := &clock{t: time.Date(2012, 10, 2, 21, 59, 59, 0, time.UTC)}
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}, Now: clk.Now})
	w.Update(records(loggingDist("EDFDVBD6EXAMPLE", "myawslogbucket.s3.amazonaws.com", "example.com.")), allBuckets)

	w.Log(record("EDFDVBD6EXAMPLE", "/a")) // Time zero: taken from the clock
	clk.Set(time.Date(2012, 10, 2, 22, 0, 0, 0, time.UTC))
	w.Log(record("EDFDVBD6EXAMPLE", "/b"))
	w.Log(record("EDFDVBD6EXAMPLE", "/c"))
	late := record("EDFDVBD6EXAMPLE", "/d") // finished late, logged in its own hour
	late.Time = time.Date(2012, 10, 2, 21, 30, 0, 0, time.UTC)
	w.Log(late)
	if err := w.Close(t.Context()); err != nil {
		t.Fatal(err)
	}

	files := logFiles(t, root)
	name := regexp.MustCompile(`^myawslogbucket/example\.com\.EDFDVBD6EXAMPLE\.2012-10-02-(21|22)\.[0-9A-F]{16}\.gz$`)
	byHour := map[string][]string{}
	for n, lines := range files {
		m := name.FindStringSubmatch(n)
		if m == nil {
			t.Fatalf("unexpected file %q", n)
		}
		checkHeader(t, n, lines)
		for _, l := range lines[2:] {
			f := strings.Split(l, "\t")
			byHour[m[1]] = append(byHour[m[1]], f[1]+" "+f[7])
		}
	}
	if len(files) != 2 {
		t.Fatalf("%d files, want 2: %v", len(files), files)
	}
	for _, v := range byHour {
		sort.Strings(v)
	}
	want := map[string][]string{
		"21": {"21:30:00 /d", "21:59:59 /a"},
		"22": {"22:00:00 /b", "22:00:00 /c"},
	}
	for h, lines := range want {
		if strings.Join(byHour[h], ",") != strings.Join(lines, ",") {
			t.Errorf("hour %s: %q, want %q", h, byHour[h], lines)
		}
	}
	if s := w.Stats(); s.Lines != 4 || s.Files != 2 || s.Dropped != 0 || s.BufferedBytes != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestWriterSelectsDistributions logs only distributions with logging
// enabled, each to its own bucket and prefix, and writes no file when
// there were no requests.
func TestWriterSelectsDistributions(t *testing.T) {
	root := t.TempDir()
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
	noLog := loggingDist("ENOLOG", "", "")
	disabled := loggingDist("EDISABLED", "x.s3.amazonaws.com", "")
	disabled.Config.Logging.Enabled = false
	w.Update(records(
		loggingDist("EONE", "one.s3.amazonaws.com", "p1/"),
		loggingDist("ETWO", "two.s3.amazonaws.com", ""),
		loggingDist("EQUIET", "quiet.s3.amazonaws.com", ""),
		noLog, disabled,
	), allBuckets)
	now := time.Date(2012, 10, 2, 21, 0, 0, 0, time.UTC)
	for _, d := range []string{"EONE", "ETWO", "ETWO", "ENOLOG", "EDISABLED", "EUNKNOWN", ""} {
		r := record(d, "/x")
		r.Time = now
		w.Log(r)
	}
	if err := w.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(t.Context()); err != nil { // nothing new: no file
		t.Fatal(err)
	}
	got := map[string]int{}
	for n, lines := range logFiles(t, root) {
		got[regexp.MustCompile(`[0-9A-F]{16}`).ReplaceAllString(n, "ID")] = len(lines) - 2
	}
	want := map[string]int{
		"one/p1/EONE.2012-10-02-21.ID.gz": 1,
		"two/ETWO.2012-10-02-21.ID.gz":    2,
	}
	if len(got) != len(want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	for n, c := range want {
		if got[n] != c {
			t.Fatalf("files %v, want %v", got, want)
		}
	}
	if s := w.Stats(); s.Lines != 3 || s.Files != 2 {
		t.Fatalf("stats %+v", s)
	}
}

// TestWriterHostFromConfig fills cs(Host) from the distribution's
// DomainName when the record has none.
func TestWriterHostFromConfig(t *testing.T) {
	root := t.TempDir()
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}, Location: "OPT1"})
	w.Update(records(loggingDist("EONE", "one", "")), allBuckets)
	r := record("EONE", "/x")
	r.Location = ""
	w.Log(r)
	w.Close(t.Context())
	for _, lines := range logFiles(t, root) {
		f := strings.Split(lines[2], "\t")
		if f[2] != "OPT1" || f[6] != "eone.cloudfront.test" {
			t.Fatalf("location %q host %q", f[2], f[6])
		}
		return
	}
	t.Fatal("no file")
}

// TestWriterDropsWhenFull bounds memory: lines beyond MaxBufferedBytes are
// dropped and counted, never blocking Log.
func TestWriterDropsWhenFull(t *testing.T) {
	root := t.TempDir()
	// Deliveries fail (the root is missing), so nothing leaves the buffer.
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: filepath.Join(root, "missing")}, MaxBufferedBytes: 1000})
	w.Update(records(loggingDist("EONE", "one", "")), allBuckets)
	for range 50 {
		w.Log(record("EONE", "/x"))
	}
	s := w.Stats()
	if s.Lines == 0 || s.Dropped == 0 || s.Lines+s.Dropped != 50 || s.BufferedBytes > 1000 {
		t.Fatalf("stats %+v", s)
	}
	if err := w.Close(t.Context()); err == nil {
		t.Fatal("Close delivered into a missing folder")
	}
	if s := w.Stats(); s.Dropped != 50 || s.BufferedBytes != 0 || s.Files != 0 {
		t.Fatalf("after Close: %+v", s)
	}
	w.Log(record("EONE", "/after-close"))
	if s := w.Stats(); s.Dropped != 51 {
		t.Fatalf("Log after Close: %+v", s)
	}
}

// TestWriterRetries keeps a file whose delivery failed and delivers it,
// under the same name, at the next flush.
func TestWriterRetries(t *testing.T) {
	root := filepath.Join(t.TempDir(), "logs")
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
	w.Update(records(loggingDist("EONE", "one", "")), allBuckets)
	w.Log(record("EONE", "/x"))
	w.Log(record("EONE", "/y"))
	if err := w.Flush(t.Context()); err == nil {
		t.Fatal("Flush into a missing folder succeeded")
	}
	if s := w.Stats(); s.FailedPuts != 1 || s.Files != 0 || s.BufferedBytes == 0 {
		t.Fatalf("stats %+v", s)
	}
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	w.Log(record("EONE", "/z"))
	if err := w.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	files := logFiles(t, root)
	lines := 0
	for _, l := range files {
		lines += len(l) - 2
	}
	if len(files) != 2 || lines != 3 {
		t.Fatalf("%d files with %d lines: %v", len(files), lines, files)
	}
	if s := w.Stats(); s.Files != 2 || s.BufferedBytes != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestWriterUpdate sends lines logged before a change of prefix to the old
// destination and later ones to the new.
func TestWriterUpdate(t *testing.T) {
	root := t.TempDir()
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
	w.Update(records(loggingDist("EONE", "one", "old/")), allBuckets)
	w.Log(record("EONE", "/1"))
	w.Update(records(loggingDist("EONE", "one", "old/")), allBuckets) // unchanged: same batch
	w.Log(record("EONE", "/2"))
	w.Update(records(loggingDist("EONE", "one", "new/")), allBuckets)
	w.Log(record("EONE", "/3"))
	w.Update(nil, allBuckets)
	w.Log(record("EONE", "/4"))
	if err := w.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for n, lines := range logFiles(t, root) {
		got[strings.SplitN(n, "/", 3)[1]] += len(lines) - 2
	}
	if len(got) != 2 || got["old"] != 2 || got["new"] != 1 {
		t.Fatalf("lines per prefix %v", got)
	}
}

func TestNewNeedsSink(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("New without a Sink succeeded")
	}
}

// applyRecorder is the next Applier in TestWrapApplier.
type applyRecorder struct {
	snaps []*feed.Snapshot
	err   error
}

func (a *applyRecorder) Apply(s *feed.Snapshot, _ []cloudfront.Invalidation) error {
	a.snaps = append(a.snaps, s)
	return a.err
}

func TestWrapApplier(t *testing.T) {
	root := t.TempDir()
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
	next := &applyRecorder{err: errors.New("next failed")}
	a := WrapApplier(next, w)
	snap := &feed.Snapshot{Revision: 7, Distributions: records(loggingDist("EONE", "one", "")), BucketGrants: allBuckets}
	if err := a.Apply(snap, nil); err != next.err {
		t.Fatalf("Apply = %v, want the next Applier's error", err)
	}
	if len(next.snaps) != 1 || next.snaps[0] != snap {
		t.Fatalf("next got %v", next.snaps)
	}
	w.Log(record("EONE", "/x"))
	if s := w.Stats(); s.Lines != 1 {
		t.Fatalf("the snapshot's logging settings were not applied: %+v", s)
	}
}

// records is ds as a feed snapshot holds them.
func records(ds ...cloudfront.Distribution) []*cloudfront.Distribution { return feed.Records(ds) }
