package edge

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// size is the length of e's body. Code that serves an entry reads its
// body only through size and writeBody, so that a body may live
// elsewhere than in e.body (a disk tier, a part of a large object).
func (e *entry) size() int64 {
	if e.file != nil {
		return e.file.size
	}
	return int64(len(e.body))
}

// writeBody writes n bytes of e's body, starting at off, to w.
func (e *entry) writeBody(w io.Writer, off, n int64) (int64, error) {
	if n <= 0 {
		return 0, nil
	}
	if e.file != nil {
		return e.file.writeTo(w, off, n)
	}
	m, err := w.Write(e.body[off : off+n])
	return int64(m), err
}

// fileBody is a body held in a disk tier file, from off on. The file
// stays readable when the tier deletes or replaces it (Linux keeps an
// unlinked file's data while a descriptor is open); the descriptor is
// closed by os.File's cleanup once no entry refers to it.
type fileBody struct {
	f    *os.File
	off  int64
	size int64
	// busy: one viewer has the descriptor's file position (sendfile reads
	// from it); the others read at an offset, without zero-copy.
	busy atomic.Bool
}

// writeTo gives w's ReadFrom (net/http's response on plain HTTP/1.1,
// whose TCP connection uses sendfile) an *io.LimitedReader over the
// *os.File, so the kernel copies file to socket. On TLS and HTTP/2 the
// bytes pass through user space as they must (encryption, framing).
func (b *fileBody) writeTo(w io.Writer, off, n int64) (int64, error) {
	if _, ok := w.(io.ReaderFrom); !ok {
		// HTTP/2 and test writers: a pooled buffer, not io.Copy's new one.
		buf := copyBufs.Get().(*[]byte)
		defer copyBufs.Put(buf)
		return io.CopyBuffer(struct{ io.Writer }{w}, io.NewSectionReader(b.f, b.off+off, n), *buf)
	}
	if b.busy.CompareAndSwap(false, true) {
		defer b.busy.Store(false)
		if _, err := b.f.Seek(b.off+off, io.SeekStart); err == nil {
			return io.Copy(w, &io.LimitedReader{R: b.f, N: n})
		}
	}
	return io.Copy(w, io.NewSectionReader(b.f, b.off+off, n))
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// ReadFrom lets a body reach net/http's ReadFrom (and sendfile) through
// the access-log wrapper.
func (l *logWriter) ReadFrom(r io.Reader) (int64, error) {
	if l.status == 0 {
		l.WriteHeader(200)
	}
	var n int64
	var err error
	if rf, ok := l.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(struct{ io.Writer }{l.ResponseWriter}, r)
	}
	l.body += n
	if err != nil {
		l.writeErr = true
	}
	return n, err
}
