package edge

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// body is where a response's bytes come from: a cached entry, a fill
// still arriving, or a large object's parts.
type body interface {
	// copyRange writes n bytes from off to w (n < 0: to the end). An
	// error other than w's means the body broke.
	copyRange(ctx context.Context, w io.Writer, off, n int64) (int64, error)
}

func (e *entry) copyRange(_ context.Context, w io.Writer, off, n int64) (int64, error) {
	if n < 0 {
		n = e.size() - off
	}
	return e.writeBody(w, off, n)
}

func (f *fill) copyRange(ctx context.Context, w io.Writer, off, n int64) (int64, error) {
	return f.copyTo(ctx, w, off, n)
}

// maxRanges is the most ranges one request may name; past it the whole
// object is sent. RFC 9110 §14.2 lets a server ignore a Range of many
// small ranges, which costs more to serve than the object (nginx's
// max_ranges does the same); 32 covers the byte-serving clients (PDF
// readers, download managers) that ask for several.
const maxRanges = 32

// byteRange is bytes start through end, inclusive.
type byteRange struct{ start, end int64 }

// parseRanges reads a Range header against a representation of size
// bytes. ok=false means it is ignored and the whole object is sent: a
// header that is not one valid "bytes=" set, more than maxRanges ranges,
// or ranges that are not in ascending order or overlap, which CloudFront
// answers with the whole object (developer guide, "How CloudFront
// processes partial requests for an object (range GETs)": ranges "must
// be listed in ascending order", "must not overlap", every range
// specification "must be valid"). ok with no ranges is unsatisfiable
// (416). Unsatisfiable ranges among satisfiable ones are dropped (RFC
// 9110 §14.1.1).
func parseRanges(values []string, size int64) (rs []byteRange, ok bool) {
	if len(values) != 1 || size < 0 {
		return nil, false
	}
	unit, set, found := strings.Cut(strings.TrimSpace(values[0]), "=")
	if !found || !strings.EqualFold(strings.TrimSpace(unit), "bytes") {
		return nil, false
	}
	prevEnd := int64(-1)
	count := 0
	for spec := range strings.SplitSeq(set, ",") {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue // empty list elements are allowed (RFC 9110 §5.6.1)
		}
		if count++; count > maxRanges {
			return nil, false
		}
		first, last, found := strings.Cut(spec, "-")
		if !found {
			return nil, false
		}
		first, last = strings.TrimSpace(first), strings.TrimSpace(last)
		var start, end int64
		if first == "" {
			// Suffix range: the last N bytes.
			n, good := parseDigits(last)
			if !good {
				return nil, false
			}
			if n == 0 {
				start, end = size, size // unsatisfiable
			} else {
				start, end = max(size-n, 0), size-1
			}
		} else {
			s, good := parseDigits(first)
			if !good {
				return nil, false
			}
			start, end = s, size-1
			if last != "" {
				v, good := parseDigits(last)
				if !good || v < s {
					return nil, false
				}
				end = min(v, size-1)
			}
		}
		if start <= prevEnd {
			return nil, false // out of order or overlapping
		}
		if start >= size {
			// Unsatisfiable; it still counts for the order of the others.
			prevEnd = max(prevEnd, start)
			continue
		}
		prevEnd = end
		rs = append(rs, byteRange{start, end})
	}
	if count == 0 {
		return nil, false
	}
	return rs, true
}

// parseDigits reads a non-negative decimal number.
func parseDigits(s string) (int64, bool) {
	if !digits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// writeObject answers a GET or HEAD for a representation of size bytes
// (-1: not known yet) from src, after its headers are in w: 304 when the
// viewer's validators match, the ranges it asked for (206, one range or
// multipart/byteranges; 416 when none can be satisfied), or status with
// the whole body. It returns the body bytes written and the error that
// stopped the body.
func (s *Server) writeObject(w http.ResponseWriter, r *http.Request, status int, size int64, etag, lastMod string, src body) (int64, error) {
	h := w.Header()
	off, n := int64(0), size
	if status == http.StatusOK {
		if notModified(r, etag, lastMod) {
			delete(h, "Content-Length")
			w.WriteHeader(http.StatusNotModified)
			return 0, nil
		}
		// A body of unknown length (chunked from the origin) is sent
		// whole, as CloudFront does.
		if rh := r.Header["Range"]; len(rh) > 0 && size >= 0 && ifRangeMatches(r, etag, lastMod) {
			if rs, ok := parseRanges(rh, size); ok {
				switch len(rs) {
				case 0:
					h["Content-Range"] = []string{"bytes */" + strconv.FormatInt(size, 10)}
					h["Content-Length"] = []string{"0"}
					status, n = http.StatusRequestedRangeNotSatisfiable, 0
				case 1:
					off, n = rs[0].start, rs[0].end+1-rs[0].start
					h["Content-Range"] = []string{contentRange(rs[0], size)}
					h["Content-Length"] = []string{strconv.FormatInt(n, 10)}
					status = http.StatusPartialContent
				default:
					return writeMultipart(w, r, rs, size, src)
				}
			}
		}
	}
	if lw := logWriterOf(w); lw != nil && status == http.StatusOK && size >= 0 {
		if _, ok := h["Content-Length"]; !ok {
			// serveEntry left a small body's length to net/http.
			lw.impliedLen = size // for sc-content-len and the header bytes
		}
	}
	w.WriteHeader(status)
	if r.Method == http.MethodHead || n == 0 {
		return 0, nil
	}
	return src.copyRange(r.Context(), w, off, n)
}

func contentRange(br byteRange, size int64) string {
	return "bytes " + strconv.FormatInt(br.start, 10) + "-" + strconv.FormatInt(br.end, 10) + "/" + strconv.FormatInt(size, 10)
}

// writeMultipart sends several ranges as multipart/byteranges (RFC 9110
// §14.6), each part with the object's Content-Type and its Content-Range.
// The length is known beforehand, so the response has a Content-Length.
func writeMultipart(w http.ResponseWriter, r *http.Request, rs []byteRange, size int64, src body) (int64, error) {
	h := w.Header()
	boundary := rand.Text()
	ctype := ""
	if v := h["Content-Type"]; len(v) > 0 {
		ctype = "Content-Type: " + v[0] + "\r\n"
	}
	heads := make([]string, len(rs))
	total := int64(0)
	for i, br := range rs {
		sep := "\r\n--"
		if i == 0 {
			sep = "--"
		}
		heads[i] = sep + boundary + "\r\n" + ctype + "Content-Range: " + contentRange(br, size) + "\r\n\r\n"
		total += int64(len(heads[i])) + br.end + 1 - br.start
	}
	tail := "\r\n--" + boundary + "--\r\n"
	total += int64(len(tail))
	h["Content-Type"] = []string{"multipart/byteranges; boundary=" + boundary}
	h["Content-Length"] = []string{strconv.FormatInt(total, 10)}
	delete(h, "Content-Range")
	w.WriteHeader(http.StatusPartialContent)
	if r.Method == http.MethodHead {
		return 0, nil
	}
	var written int64
	for i, br := range rs {
		m, err := io.WriteString(w, heads[i])
		written += int64(m)
		if err != nil {
			return written, err
		}
		k, err := src.copyRange(r.Context(), w, br.start, br.end+1-br.start)
		written += k
		if err != nil {
			return written, err
		}
	}
	m, err := io.WriteString(w, tail)
	return written + int64(m), err
}

// notModified evaluates the viewer's If-None-Match (only against a cached
// ETag) and, without it, If-Modified-Since.
func notModified(r *http.Request, etag, lastMod string) bool {
	if inm := r.Header["If-None-Match"]; len(inm) > 0 {
		if etag == "" {
			return false
		}
		for _, v := range inm {
			for t := range strings.SplitSeq(v, ",") {
				t = strings.TrimSpace(t)
				if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
					return true
				}
			}
		}
		return false
	}
	if ims := r.Header["If-Modified-Since"]; len(ims) > 0 && lastMod != "" {
		since, err1 := http.ParseTime(ims[0])
		mod, err2 := http.ParseTime(lastMod)
		return err1 == nil && err2 == nil && !mod.After(since)
	}
	return false
}

// ifRangeMatches reports whether a Range applies: no If-Range, or one
// that names the object's strong ETag or its Last-Modified date exactly
// (RFC 9110 §13.1.5: a weak ETag never matches).
func ifRangeMatches(r *http.Request, etag, lastMod string) bool {
	ir := r.Header.Get("If-Range")
	if ir == "" {
		return true
	}
	if strings.HasPrefix(ir, `"`) || strings.HasPrefix(ir, "W/") {
		return etag != "" && ir == etag && !strings.HasPrefix(ir, "W/")
	}
	if lastMod == "" {
		return false
	}
	since, err1 := http.ParseTime(ir)
	mod, err2 := http.ParseTime(lastMod)
	return err1 == nil && err2 == nil && since.Equal(mod)
}
