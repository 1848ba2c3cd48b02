package accesslog

import (
	"testing"
	"time"
)

// benchWriter never flushes during the run, so Log's own cost is measured.
func benchWriter(tb testing.TB) *Writer {
	w, err := New(Options{Sink: &FolderSink{Root: tb.TempDir()}, FlushEvery: time.Hour, MaxBufferedBytes: 1 << 40})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.Close(tb.Context()) })
	w.Update(records(loggingDist("EDFDVBD6EXAMPLE", "logs.s3.amazonaws.com", "")), allBuckets)
	return w
}

// TestLogAllocs keeps the request path free of allocations once the
// hour's buffer exists (its growth is amortised).
func TestLogAllocs(t *testing.T) {
	w := benchWriter(t)
	r := specRecord()
	w.Log(r)
	if n := testing.AllocsPerRun(1000, func() { w.Log(r) }); n != 0 {
		t.Fatalf("Log: %v allocations, want 0", n)
	}
}

func BenchmarkLog(b *testing.B) {
	w := benchWriter(b)
	r := specRecord()
	b.ReportAllocs()
	for b.Loop() {
		w.Log(r)
	}
}

func BenchmarkLogParallel(b *testing.B) {
	w := benchWriter(b)
	r := specRecord()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w.Log(r)
		}
	})
}

func BenchmarkFlush(b *testing.B) {
	w := benchWriter(b)
	r := specRecord()
	b.ReportAllocs()
	for b.Loop() {
		for range 1000 {
			w.Log(r)
		}
		if err := w.Flush(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
