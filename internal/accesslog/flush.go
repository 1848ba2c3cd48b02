package accesslog

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// putParallelism bounds concurrent deliveries in one flush.
const putParallelism = 4

// file is a batch on its way to the sink: its lines until the flush
// compresses them, then the gzip body. Its key is chosen once, so a retry
// after a failure that in fact succeeded replaces the same object instead
// of duplicating the lines.
type file struct {
	dist        string // distribution id
	bucket, key string
	lines       int
	raw         int64  // uncompressed line bytes, counted in Writer.buffered
	buf         []byte // the lines, until compressed
	body        []byte // the gzip file, once compressed
	// evicted: makeRoom dropped it while it was being delivered; its
	// bytes are no longer counted. Under Writer.mu.
	evicted bool
}

func (w *Writer) loop() {
	defer close(w.done)
	t := time.NewTicker(w.opts.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		case <-w.kick:
		}
		ctx, cancel := context.WithTimeout(context.Background(), max(w.opts.FlushEvery, time.Minute))
		if err := w.Flush(ctx); err != nil {
			w.log.Warn("access log delivery failed; will retry", "err", err)
		}
		cancel()
	}
}

// Flush delivers every buffered line now, and retries the files whose
// delivery failed before. Files that fail again stay buffered for the
// next flush; their errors are returned, joined.
func (w *Writer) Flush(ctx context.Context) error {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()

	// Batches become files under w.mu, and every file stays visible to
	// makeRoom (w.inflight) until its delivery ends, so lines in a flush
	// can still make way for other distributions' lines.
	w.mu.Lock()
	files := w.pending
	w.pending = nil
	for k, b := range w.batches {
		files = append(files, &file{
			dist:   k.d.id,
			bucket: k.d.bucket,
			key:    ObjectKey(k.d.prefix, k.d.id, time.Unix(k.hour*3600, 0), uniqueID()),
			lines:  b.lines,
			raw:    int64(len(b.buf)),
			buf:    b.buf,
		})
	}
	w.batches = make(map[batchKey]*batch)
	w.inBatches = 0
	w.inflight = files
	w.mu.Unlock()
	if len(files) == 0 {
		return nil
	}

	var (
		mu     sync.Mutex
		failed []*file
		errs   []error
	)
	g := errgroup.Group{}
	g.SetLimit(putParallelism)
	for _, f := range files {
		g.Go(func() error {
			w.mu.Lock()
			buf, evicted := f.buf, f.evicted
			f.buf = nil
			w.mu.Unlock()
			if evicted {
				return nil // dropped and counted by makeRoom
			}
			if buf != nil {
				f.body = compress(w.opts.Format.Header(), buf)
			}
			err := w.opts.Sink.Put(ctx, f.bucket, f.key, f.body)
			w.mu.Lock()
			defer w.mu.Unlock()
			switch {
			case err != nil && f.evicted:
			case err != nil:
				w.failedPuts.Add(1)
				mu.Lock()
				failed = append(failed, f)
				errs = append(errs, err)
				mu.Unlock()
			case f.evicted:
				// Delivered after all: not lost.
				w.files.Add(1)
				w.dropped.Add(-int64(f.lines))
			default:
				w.files.Add(1)
				w.release(f.dist, f.raw)
			}
			return nil
		})
	}
	g.Wait()
	// Lines logged during the flush may have made room by dropping
	// others' pending files; the failed ones go before them, oldest first.
	w.mu.Lock()
	w.inflight = nil
	// A failed file may have been dropped by makeRoom since its failure.
	failed = slices.DeleteFunc(failed, func(f *file) bool { return f.evicted })
	w.pending = append(failed, w.pending...)
	w.mu.Unlock()
	return errors.Join(errs...)
}

var gzipPool = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// compress makes a gzip file: the header lines, then the lines.
func compress(header string, lines []byte) []byte {
	var zbuf bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	zw.Reset(&zbuf)
	// Writes to a bytes.Buffer cannot fail.
	zw.Write([]byte(header))
	zw.Write(lines)
	zw.Close()
	return zbuf.Bytes()
}

// uniqueID tells apart the files of one distribution and hour, from this
// and other edges: 64 random bits.
func uniqueID() string {
	var b [8]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// Close stops the background flusher and delivers everything buffered,
// retrying failed files once more. Lines that still cannot be delivered
// are counted as dropped and the errors returned. Log calls after Close
// are dropped.
func (w *Writer) Close(ctx context.Context) error {
	first := false
	w.closeOnce.Do(func() {
		first = true
		w.mu.Lock()
		w.closed = true
		w.mu.Unlock()
		close(w.stop)
	})
	if !first {
		return nil
	}
	<-w.done
	err := w.Flush(ctx)
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.pending {
		w.dropped.Add(int64(f.lines))
		w.release(f.dist, f.raw)
	}
	if n := len(w.pending); n > 0 {
		err = fmt.Errorf("accesslog: %d file(s) not delivered: %w", n, err)
	}
	w.pending = nil
	return err
}
