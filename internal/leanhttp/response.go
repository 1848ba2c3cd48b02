package leanhttp

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// holdSize is what a response holds back before it commits its header:
// a handler that returns within it gets a Content-Length (net/http's
// bufferBeforeChunkingSize).
const holdSize = 2048

// response is the http.ResponseWriter of one request.
type response struct {
	c   *conn
	req *http.Request

	header      http.Header
	wroteHeader bool // the status is set and the header taken
	committed   bool // the status line and header are in c.bw
	status      int
	isHEAD      bool
	wantsClose  bool // the request's Connection: close, read before the handler ran
	handlerDone bool
	chunking    bool
	closeAfter  bool

	contentLength int64 // declared, or -1
	written       int64

	// What WriteHeader took of the handler's header (net/http clones it
	// then): its lines, and what commit needs to know of the fields it
	// may drop or add.
	lines           []byte
	cl, te, connHdr string // first values
	haveCL, haveTE  bool   // the keys are there, even with no value
	haveType        bool
	haveCE          bool
	haveDate        bool
	deadlineSet     bool // the handler set a write deadline

	hold    []byte // the body held before commit, in the connection's buffer
	scratch [64]byte
}

// Header is the connection's map, cleared after each response: a
// response's header has a dozen fields, and a fresh map would be made and
// then grown into a table at its ninth (bench/README.md).
func (w *response) Header() http.Header {
	if w.header == nil {
		w.header = w.c.header
	}
	return w.header
}

func (w *response) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		// Informational: sent at once, the header kept for the final
		// response (RFC 8297).
		bw := w.c.bw
		writeStatusLine(bw, code, w.scratch[:0])
		for _, k := range sortedKeys(w.header) {
			if k == "Content-Length" || k == "Transfer-Encoding" {
				continue
			}
			w.lines = appendField(w.lines[:0], k, w.header[k])
			bw.Write(w.lines)
		}
		w.lines = w.lines[:0]
		bw.WriteString("\r\n")
		w.c.noteWrite(bw.Flush())
		return
	}
	w.wroteHeader = true
	w.status = code
	for _, k := range sortedKeys(w.header) {
		vv := w.header[k]
		switch k {
		case "Content-Length":
			// An invalid value is kept (net/http deletes it from the
			// handler's header after cloning it): it goes out unless
			// the response is chunked, as net/http's.
			w.cl = first(vv)
			w.haveCL = true
			if v, err := strconv.ParseInt(w.cl, 10, 64); err == nil && v >= 0 {
				w.contentLength = v
			} else if w.cl != "" {
				w.c.s.logf("http: invalid Content-Length of %q", w.cl)
			}
		case "Transfer-Encoding":
			w.te = first(vv)
			w.haveTE = true
		case "Connection":
			w.connHdr = first(vv)
		case "Content-Type":
			w.haveType = true
		case "Content-Encoding":
			w.haveCE = first(vv) != ""
		case "Date":
			w.haveDate = true
		}
		w.lines = appendField(w.lines, k, vv)
	}
}

func first(vv []string) string {
	if len(vv) == 0 {
		return ""
	}
	return vv[0]
}

// sortedKeys is h's keys in order, as net/http writes them. A response
// header has a dozen keys or so: insertion sort, on the stack when few.
func sortedKeys(h http.Header) []string {
	var a [16]string
	keys := a[:0]
	for k := range h {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// appendField appends the lines of one header field as net/http writes
// them: invalid names dropped, CR and LF in values turned into spaces,
// values trimmed.
func appendField(b []byte, k string, vv []string) []byte {
	if !validName(k) {
		return b
	}
	for _, v := range vv {
		if !plainValue(v) {
			v = textproto.TrimString(strings.NewReplacer("\n", " ", "\r", " ").Replace(v))
		}
		b = append(b, k...)
		b = append(b, ':', ' ')
		b = append(b, v...)
		b = append(b, '\r', '\n')
	}
	return b
}

// tokenByte marks the bytes of a header name (RFC 9110 tchar).
var tokenByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = httpguts.IsTokenRune(rune(c))
	}
	return t
}()

func validName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !tokenByte[k[i]] {
			return false
		}
	}
	return true
}

// plainValue: v needs neither net/http's newline replacement nor its
// trimming, which is the case of about every value.
func plainValue(v string) bool {
	if v == "" {
		return true
	}
	if isSpace(v[0]) || isSpace(v[len(v)-1]) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == '\r' || c == '\n' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func bodyAllowed(status int) bool {
	return !(status >= 100 && status <= 199 || status == 204 || status == 304)
}

// commit writes the status line and header to c.bw; p is the body held
// so far, whose length becomes the Content-Length if the handler is
// done. Follows net/http's chunkWriter.writeHeader.
func (w *response) commit(p []byte) {
	if w.committed {
		return
	}
	w.committed = true
	s := w.c.s
	hasTE := w.te != ""
	dropCL, dropTE, dropConn := false, false, false
	var autoCL, contentType, connection, transferEncoding string
	if w.handlerDone && !hasTE && bodyAllowed(w.status) && !w.haveCL && (!w.isHEAD || len(p) > 0) {
		w.contentLength = int64(len(p))
		autoCL = strconv.Itoa(len(p))
	}
	hasCL := w.contentLength != -1
	if w.wantsClose || w.connHdr == "close" || s.shutting.Load() {
		w.closeAfter = true
	}
	if bodyAllowed(w.status) {
		if !w.haveCE && !w.haveType && !hasTE && len(p) > 0 {
			contentType = http.DetectContentType(p)
		}
	} else {
		// suppressedHeaders: a 304 has no Content-Type either.
		if w.status == http.StatusNotModified {
			w.lines = dropField(w.lines, "Content-Type")
		}
		dropCL, dropTE = true, true
	}
	if hasCL && hasTE && w.te != "identity" {
		// As net/http: the field goes, the declared length still
		// bounds the writes and a short body still ends the connection.
		dropCL, hasCL = true, false
	}
	switch {
	case w.isHEAD || !bodyAllowed(w.status) || w.status == http.StatusNoContent:
		dropTE = true
	case hasCL:
		dropTE = true
	case w.te == "identity":
		w.closeAfter = true
		dropTE = true
	default:
		w.chunking = true
		transferEncoding = "chunked"
		// As net/http: another coding the handler set (gzip) is
		// sent, in a field of its own.
		dropTE = w.te == "chunked"
	}
	if w.chunking {
		dropCL = true
	}
	// Keep-alives are off while shutting down: then net/http writes its
	// own Connection: close even if the handler's says close.
	if w.closeAfter && (s.shutting.Load() || !httpguts.HeaderValuesContainsToken([]string{w.connHdr}, "close")) {
		dropConn = true
		connection = "close"
	}

	bw := w.c.bw
	writeStatusLine(bw, w.status, w.scratch[:0])
	if dropCL && w.haveCL {
		w.lines = dropField(w.lines, "Content-Length")
	}
	if dropTE && w.haveTE {
		w.lines = dropField(w.lines, "Transfer-Encoding")
	}
	if dropConn {
		w.lines = dropField(w.lines, "Connection")
	}
	bw.Write(w.lines)
	if !w.haveDate {
		bw.WriteString("Date: ")
		bw.Write(appendDate(w.scratch[:0]))
		bw.WriteString("\r\n")
	}
	if autoCL != "" {
		bw.WriteString("Content-Length: ")
		bw.WriteString(autoCL)
		bw.WriteString("\r\n")
	}
	for _, f := range [...]struct{ k, v string }{{"Content-Type", contentType}, {"Connection", connection}, {"Transfer-Encoding", transferEncoding}} {
		if f.v != "" {
			bw.WriteString(f.k)
			bw.WriteString(": ")
			bw.WriteString(f.v)
			bw.WriteString("\r\n")
		}
	}
	bw.WriteString("\r\n")
}

// dropField removes the lines of field k (written by appendField) from b.
func dropField(b []byte, k string) []byte {
	out := b[:0]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n') + 1
		line := b[:i]
		b = b[i:]
		if len(line) > len(k) && line[len(k)] == ':' && string(line[:len(k)]) == k {
			continue
		}
		out = append(out, line...)
	}
	return out
}

func writeStatusLine(bw interface {
	WriteString(string) (int, error)
	Write([]byte) (int, error)
}, code int, scratch []byte) {
	bw.WriteString("HTTP/1.1 ")
	scratch = strconv.AppendInt(scratch, int64(code), 10)
	scratch = append(scratch, ' ')
	if text := http.StatusText(code); text != "" {
		scratch = append(scratch, text...)
	} else {
		scratch = append(scratch, "status code "...)
		scratch = strconv.AppendInt(scratch, int64(code), 10)
	}
	scratch = append(scratch, '\r', '\n')
	bw.Write(scratch)
}

// dateStamp is the Date header's value for one second, formatted once.
type dateStamp struct {
	sec int64
	b   []byte
}

var lastDate atomic.Pointer[dateStamp]

func appendDate(b []byte) []byte {
	now := time.Now()
	d := lastDate.Load()
	if d == nil || d.sec != now.Unix() {
		d = &dateStamp{sec: now.Unix(), b: now.UTC().AppendFormat(nil, http.TimeFormat)}
		lastDate.Store(d)
	}
	return append(b, d.b...)
}

func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	w.written += int64(len(p))
	if w.contentLength != -1 && w.written > w.contentLength {
		return 0, http.ErrContentLength
	}
	if !w.committed {
		if w.hold == nil {
			w.hold = w.c.hold[:0]
		}
		if len(w.hold)+len(p) <= holdSize {
			w.hold = append(w.hold, p...)
			return len(p), nil
		}
		// As net/http's bufio.Writer in front of its chunkWriter: the
		// header is sniffed from what is held topped up to holdSize,
		// or from all of p if nothing is held.
		if len(w.hold) == 0 {
			w.commit(p)
		} else {
			n := holdSize - len(w.hold)
			w.hold = append(w.hold, p[:n]...)
			w.commit(w.hold)
			w.writeBody(w.hold)
			w.hold = w.hold[:0]
			w.writeBody(p[n:])
			return w.wrote(len(p))
		}
	}
	w.writeBody(p)
	return w.wrote(len(p))
}

// wrote is what Write returns once it has passed n bytes on.
func (w *response) wrote(n int) (int, error) {
	if w.c.werr != nil {
		return 0, w.c.werr
	}
	return n, nil
}

// writeBody sends p after the header, framed if chunking.
func (w *response) writeBody(p []byte) {
	if len(p) == 0 || w.isHEAD || w.c.werr != nil {
		return
	}
	bw := w.c.bw
	if w.chunking {
		bw.Write(strconv.AppendInt(w.scratch[:0], int64(len(p)), 16))
		bw.WriteString("\r\n")
		bw.Write(p)
		_, err := bw.WriteString("\r\n")
		w.c.noteWrite(err)
		return
	}
	_, err := bw.Write(p)
	w.c.noteWrite(err)
}

func (c *conn) noteWrite(err error) {
	if err != nil && c.werr == nil {
		c.werr = err
	}
}

// Flush sends the header and what is held, as net/http's does.
func (w *response) Flush() {
	w.FlushError()
}

// FlushError is Flush for http.ResponseController.
func (w *response) FlushError() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.committed {
		w.commit(w.hold)
		w.writeBody(w.hold)
		w.hold = w.hold[:0]
	}
	w.c.noteWrite(w.c.bw.Flush())
	return w.c.werr
}

// ReadFrom sends a body from src, with sendfile or splice where the
// body needs no framing: the edge's disk tier sends files this way.
func (w *response) ReadFrom(src io.Reader) (n int64, err error) {
	if !w.committed {
		// As net/http: the first 512 bytes go through Write, for the
		// sniffing and so that nothing is sent before the source reads.
		n0, err := io.Copy(writerOnly{w}, io.LimitReader(src, 512))
		n += n0
		if err != nil || n0 < 512 {
			return n, err
		}
	}
	if err := w.FlushError(); err != nil {
		return n, err
	}
	tc, ok := w.c.rwc.(*net.TCPConn)
	if !ok || w.chunking || !bodyAllowed(w.status) || w.isHEAD {
		n0, err := io.Copy(writerOnly{w}, src)
		return n + n0, err
	}
	n0, err := tc.ReadFrom(src)
	w.written += n0
	w.c.noteWrite(err)
	return n + n0, err
}

type writerOnly struct{ io.Writer }

// SetWriteDeadline is for http.ResponseController, as net/http's.
func (w *response) SetWriteDeadline(t time.Time) error {
	w.deadlineSet = true
	return w.c.rwc.SetWriteDeadline(t)
}

// SetReadDeadline is for http.ResponseController, as net/http's. A
// request here has no body; the deadline bounds the connection watch,
// if any, and the next request's head sets its own.
func (w *response) SetReadDeadline(t time.Time) error {
	return w.c.rwc.SetReadDeadline(t)
}

// EnableFullDuplex is for http.ResponseController: a request here has
// no body to read while writing, so there is nothing to enable.
func (w *response) EnableFullDuplex() error { return nil }

// finish completes the response once the handler has returned.
func (w *response) finish() {
	w.handlerDone = true
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.committed {
		w.commit(w.hold)
		w.writeBody(w.hold)
	}
	if w.chunking && !w.isHEAD {
		_, err := w.c.bw.WriteString("0\r\n\r\n")
		w.c.noteWrite(err)
	}
	w.c.noteWrite(w.c.bw.Flush())
	if w.contentLength != -1 && w.written != w.contentLength && !w.isHEAD && bodyAllowed(w.status) {
		// The viewer waits for bytes that will not come.
		w.closeAfter = true
	}
}
