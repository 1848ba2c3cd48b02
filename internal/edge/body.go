package edge

import "io"

// size is the length of e's body. Code that serves an entry reads its
// body only through size and writeBody, so that a body may live
// elsewhere than in e.body (a disk tier, a part of a large object).
func (e *entry) size() int64 { return int64(len(e.body)) }

// writeBody writes n bytes of e's body, starting at off, to w.
func (e *entry) writeBody(w io.Writer, off, n int64) (int64, error) {
	if n <= 0 {
		return 0, nil
	}
	m, err := w.Write(e.body[off : off+n])
	return int64(m), err
}
