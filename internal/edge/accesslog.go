package edge

import (
	"net/http"
	"strings"
	"time"
)

// LogRecord carries the inputs of one 2012 access-log line (15 fields);
// formatting and delivery belong to the access-log writer.
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
}

// logWriter counts what a response sends, headers included.
type logWriter struct {
	http.ResponseWriter
	status int
	header int64
	body   int64
}

func (l *logWriter) WriteHeader(status int) {
	if l.status == 0 {
		l.status = status
		l.header = int64(len("HTTP/1.1 000 ") + len(http.StatusText(status)) + 2 + 2)
		for k, vs := range l.Header() {
			for _, v := range vs {
				l.header += int64(len(k) + 2 + len(v) + 2)
			}
		}
	}
	l.ResponseWriter.WriteHeader(status)
}

func (l *logWriter) Write(p []byte) (int, error) {
	if l.status == 0 {
		l.WriteHeader(http.StatusOK)
	}
	n, err := l.ResponseWriter.Write(p)
	l.body += int64(n)
	return n, err
}

func (l *logWriter) Flush() {
	if f, ok := l.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) logRequest(lw *logWriter, r *http.Request, d *dist, res result, pr *perRequest) {
	path, query := splitRequestURI(r)
	rec := LogRecord{
		Time:       s.now(),
		Location:   s.opts.Location,
		BytesSent:  lw.header + lw.body,
		ClientIP:   clientIP(r.RemoteAddr),
		Method:     r.Method,
		URIStem:    path,
		Status:     lw.status,
		Referer:    r.Header.Get("Referer"),
		UserAgent:  r.Header.Get("User-Agent"),
		Query:      query,
		Cookie:     strings.Join(r.Header["Cookie"], "; "),
		ResultType: res.String(),
		RequestID:  pr.reqID(),
	}
	if d != nil {
		rec.Host = d.domain
		rec.Distribution = d.id
		rec.IncludeCookies = d.src.Config.Logging.IncludeCookies
	}
	s.opts.AccessLog(rec)
}
