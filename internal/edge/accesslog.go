package edge

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// LogRecord carries the inputs of one access-log line, for CloudFront's
// 2012 layout (the first 15 fields) and its current standard layout (33
// fields); formatting and delivery belong to the access-log writer.
// Values are kept raw (TLS numbers, the Content-Range header) so that the
// edge pays only for copying them; the writer formats them.
type LogRecord struct {
	Time         time.Time // when the response finished
	Location     string    // x-edge-location
	BytesSent    int64     // sc-bytes: headers included
	ClientIP     string    // c-ip: the TCP peer
	Method       string
	Host         string // cs(Host): the distribution's own DomainName, even via a CNAME; empty if unknown
	URIStem      string // path as the viewer sent it (not canonical), without the query
	Status       int
	Referer      string
	UserAgent    string
	Query        string // the full query as received, whatever QueryString says
	Cookie       string // the raw Cookie header
	ResultType   string // Hit, RefreshHit, Miss or Error
	RequestID    string // X-Amz-Cf-Id
	Distribution string // distribution ID, to pick the log destination; empty if unknown
	// Logging is the distribution's logging configuration (IncludeCookies
	// decides whether Cookie is logged).
	IncludeCookies bool

	// Fields 16 to 33 of the standard layout.
	HostHeader         string        // x-host-header: the Host the viewer sent (a CNAME, say)
	HTTPS              bool          // cs-protocol: https rather than http
	BytesReceived      int64         // cs-bytes: request line, headers and body
	TimeTaken          time.Duration // time-taken: request received to last byte sent
	ForwardedFor       string        // x-forwarded-for: the header as the viewer sent it
	TLSVersion         uint16        // ssl-protocol: tls.VersionTLS12…; 0 without TLS
	CipherSuite        uint16        // ssl-cipher: tls.TLS_…; meaningful when TLSVersion != 0
	ResponseResultType string        // x-edge-response-result-type
	ProtocolVersion    string        // cs-protocol-version: HTTP/1.1, HTTP/2.0, HTTP/3.0
	ClientPort         string        // c-port: the TCP (or UDP) peer's port
	TimeToFirstByte    time.Duration // time-to-first-byte: request received to response headers written
	DetailedResultType string        // x-edge-detailed-result-type
	ContentType        string        // sc-content-type
	ContentLength      string        // sc-content-len: the Content-Length header sent, if any
	ContentRange       string        // the Content-Range header sent, for sc-range-start/-end
}

// logWriter counts what a response sends, headers included, and notes
// when the headers went out and whether the viewer stopped reading.
type logWriter struct {
	http.ResponseWriter
	now      func() time.Time
	status   int
	header   int64
	body     int64
	firstAt  time.Time
	writeErr bool
	// generated: the edge wrote the response itself (writeGenerated);
	// detail: CloudFront's detailed result type where a check knows it.
	// Kept here, not in perRequest, so that requests without an access
	// log carry nothing more.
	generated bool
	detail    string
	ctype     string
	clen      string
	crange    string
	// impliedLen is the Content-Length net/http adds itself to a small
	// hit (serveEntry leaves it out of the map); -1 when none.
	impliedLen int64
	logged     bool // logRequest ran: logAborted has nothing to do
}

func (l *logWriter) WriteHeader(status int) {
	if l.status == 0 {
		l.status = status
		l.firstAt = l.now()
		h := l.Header()
		l.header = int64(len("HTTP/1.1 000 ") + len(http.StatusText(status)) + 2 + 2)
		for k, vs := range h {
			for _, v := range vs {
				l.header += int64(len(k) + 2 + len(v) + 2)
			}
		}
		l.ctype = first(h["Content-Type"])
		l.clen = first(h["Content-Length"])
		if l.clen == "" && l.impliedLen >= 0 {
			l.clen = strconv.FormatInt(l.impliedLen, 10)
			l.header += int64(len("Content-Length: ") + len(l.clen) + 2)
		}
		l.crange = first(h["Content-Range"])
	}
	l.ResponseWriter.WriteHeader(status)
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func (l *logWriter) Write(p []byte) (int, error) {
	if l.status == 0 {
		l.WriteHeader(http.StatusOK)
	}
	n, err := l.ResponseWriter.Write(p)
	l.body += int64(n)
	if err != nil {
		l.writeErr = true
	}
	return n, err
}

func (l *logWriter) Flush() {
	if f, ok := l.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) logRequest(lw *logWriter, r *http.Request, d *dist, res result, pr *perRequest, start time.Time) {
	path, query := splitRequestURI(r)
	end := s.now()
	ip, port := splitPeer(r.RemoteAddr)
	rec := LogRecord{
		Time:               end,
		Location:           s.opts.Location,
		BytesSent:          lw.header + lw.body,
		ClientIP:           ip,
		Method:             r.Method,
		URIStem:            path,
		Status:             lw.status,
		Referer:            r.Header.Get("Referer"),
		UserAgent:          r.Header.Get("User-Agent"),
		Query:              query,
		Cookie:             strings.Join(r.Header["Cookie"], "; "),
		ResultType:         res.String(),
		RequestID:          pr.reqID(),
		HostHeader:         r.Host,
		HTTPS:              r.TLS != nil,
		BytesReceived:      requestBytes(r),
		TimeTaken:          end.Sub(start),
		ForwardedFor:       strings.Join(r.Header["X-Forwarded-For"], ", "),
		ResponseResultType: res.String(),
		ProtocolVersion:    r.Proto,
		ClientPort:         port,
		DetailedResultType: detailedResult(res, lw),
		ContentType:        lw.ctype,
		ContentLength:      lw.clen,
		ContentRange:       lw.crange,
	}
	if r.TLS != nil {
		rec.TLSVersion, rec.CipherSuite = r.TLS.Version, r.TLS.CipherSuite
	}
	if !lw.firstAt.IsZero() {
		rec.TimeToFirstByte = lw.firstAt.Sub(start)
	}
	if lw.writeErr || lw.status == 0 {
		// The edge had an answer but the viewer did not take it whole.
		rec.ResponseResultType = resultError.String()
	}
	if d != nil {
		rec.Host = d.domain
		rec.Distribution = d.id
		rec.IncludeCookies = d.src.Config.Logging.IncludeCookies
	}
	s.opts.AccessLog(rec)
}

// detailedResult is x-edge-detailed-result-type: the result type, or for
// an error CloudFront's finer name for it where the edge knows it
// (CloudFront's standard log file fields, field 29).
func detailedResult(res result, lw *logWriter) string {
	switch {
	case lw.detail != "":
		return lw.detail
	case lw.status == 0:
		return "ClientHungUpRequest"
	case lw.writeErr:
		return "ClientCommError"
	case res != resultError || !lw.generated:
		return res.String() // an origin's own error response is "Error" too
	}
	switch lw.status {
	case http.StatusBadRequest, http.StatusRequestURITooLong:
		return "InvalidRequest"
	case http.StatusBadGateway:
		return "OriginConnectError"
	case http.StatusGatewayTimeout:
		return "OriginCommError"
	}
	return res.String()
}

// logAborted logs a request whose handler panicked, then panics on: a
// response cut short (http.ErrAbortHandler, when the origin's body broke
// after the headers went out) is a request CloudFront logs too, as an
// error whose detailed result type is OriginCommError.
func (s *Server) logAborted(lw *logWriter, r *http.Request, d *dist, pr *perRequest, start time.Time) {
	if lw.logged {
		return
	}
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler && lw.detail == "" {
		lw.detail = "OriginCommError"
	}
	s.logRequest(lw, r, d, resultError, pr, start)
	panic(v)
}

// noteDetail sets the detailed result type of the access-log line, when
// there is one.
func noteDetail(w http.ResponseWriter, detail string) {
	if lw := logWriterOf(w); lw != nil {
		lw.detail = detail
	}
}

// logWriterOf is the access log's writer under w, through a
// viewer-response function's writer; nil when the request is not logged.
func logWriterOf(w http.ResponseWriter) *logWriter {
	if fw, ok := w.(*responseFunctionWriter); ok {
		w = fw.ResponseWriter
	}
	lw, _ := w.(*logWriter)
	return lw
}

// requestBytes is cs-bytes: the request as it came on the wire in HTTP/1.1
// form (request line, Host and other headers, blank line) plus the body's
// declared length. HTTP/2 and HTTP/3 compress headers, so theirs is the
// size before compression.
func requestBytes(r *http.Request) int64 {
	n := int64(len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2)
	n += int64(len("Host: ") + len(r.Host) + 2)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += int64(len(k) + 2 + len(v) + 2)
		}
	}
	n += 2
	if r.ContentLength > 0 {
		n += r.ContentLength
	}
	return n
}

// splitPeer splits a RemoteAddr into c-ip and c-port.
func splitPeer(remote string) (string, string) {
	if host, port, err := net.SplitHostPort(remote); err == nil {
		return host, port
	}
	return remote, ""
}
