package accesslog

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// putParallelism bounds concurrent deliveries in one flush.
const putParallelism = 4

// file is a compressed batch. Its key is chosen once, so a retry after a
// failure that in fact succeeded replaces the same object instead of
// duplicating the lines.
type file struct {
	bucket, key string
	body        []byte
	raw         int64 // uncompressed line bytes, counted in Writer.buffered
	lines       int
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

	w.mu.Lock()
	batches := w.batches
	w.batches = make(map[batchKey]*batch)
	w.inBatches = 0
	w.mu.Unlock()

	files := w.pending
	w.pending = nil
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	for k, b := range batches {
		files = append(files, compress(zw, &zbuf, k, b))
	}
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
			err := w.opts.Sink.Put(ctx, f.bucket, f.key, f.body)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				w.failedPuts.Add(1)
				failed = append(failed, f)
				errs = append(errs, err)
				return nil
			}
			w.files.Add(1)
			w.mu.Lock()
			w.buffered -= f.raw
			w.mu.Unlock()
			return nil
		})
	}
	g.Wait()
	w.pending = failed
	return errors.Join(errs...)
}

// compress makes b a gzip file: the header lines, then b's lines.
func compress(zw *gzip.Writer, zbuf *bytes.Buffer, k batchKey, b *batch) *file {
	zbuf.Reset()
	zw.Reset(zbuf)
	// Writes to a bytes.Buffer cannot fail.
	zw.Write([]byte(Header))
	zw.Write(b.buf)
	zw.Close()
	return &file{
		bucket: k.d.bucket,
		key:    ObjectKey(k.d.prefix, k.d.id, time.Unix(k.hour*3600, 0), uniqueID()),
		body:   bytes.Clone(zbuf.Bytes()),
		raw:    int64(len(b.buf)),
		lines:  b.lines,
	}
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
	for _, f := range w.pending {
		w.dropped.Add(int64(f.lines))
		w.mu.Lock()
		w.buffered -= f.raw
		w.mu.Unlock()
	}
	if n := len(w.pending); n > 0 {
		err = fmt.Errorf("accesslog: %d file(s) not delivered: %w", n, err)
	}
	w.pending = nil
	return err
}
