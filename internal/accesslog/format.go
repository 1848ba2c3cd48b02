package accesslog

import (
	"strconv"
	"time"

	"github.com/openfront/openfront/internal/edge"
)

// Header opens every log file: the W3C version and the 2012 field list
// (15 fields).
const Header = "#Version: 1.0\n" +
	"#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id\n"

// AppendLine appends r's log line, newline included, to dst. t is the
// request's time (converted to UTC); host replaces an empty r.Host and
// location an empty r.Location. The cookie is logged only when
// r.IncludeCookies is set.
func AppendLine(dst []byte, r *edge.LogRecord, t time.Time, host, location string) []byte {
	t = t.UTC()
	dst = t.AppendFormat(dst, "2006-01-02\t15:04:05")
	dst = append(dst, '\t')
	if r.Location != "" {
		location = r.Location
	}
	dst = AppendField(dst, location)
	dst = append(dst, '\t')
	dst = strconv.AppendInt(dst, r.BytesSent, 10)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.ClientIP)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.Method)
	dst = append(dst, '\t')
	if r.Host != "" {
		host = r.Host
	}
	dst = AppendField(dst, host)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.URIStem)
	dst = append(dst, '\t')
	dst = appendStatus(dst, r.Status)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.Referer)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.UserAgent)
	dst = append(dst, '\t')
	q := r.Query
	if len(q) > 0 && q[0] == '?' {
		q = q[1:] // the '?' is never logged (spec §10.3)
	}
	dst = AppendField(dst, q)
	dst = append(dst, '\t')
	if r.IncludeCookies {
		dst = AppendField(dst, r.Cookie)
	} else {
		dst = append(dst, '-')
	}
	dst = append(dst, '\t')
	dst = AppendField(dst, r.ResultType)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.RequestID)
	return append(dst, '\n')
}

// appendStatus writes three digits; 0 (no response sent) becomes "000",
// as later CloudFront logs write it. Out-of-range values are logged as
// they are rather than rejected.
func appendStatus(dst []byte, status int) []byte {
	if status >= 0 && status < 100 {
		dst = append(dst, '0')
		if status < 10 {
			dst = append(dst, '0')
		}
	}
	return strconv.AppendInt(dst, int64(status), 10)
}

const upperHex = "0123456789ABCDEF"

// escaped marks the bytes that are percent-encoded (spec §10.3, after
// RFC 1738): controls, space, bytes 127 and above, and < > " # % { } | \
// ^ ~ [ ] ` '. Encoding '%' too keeps the encoding reversible: one decode
// gives back exactly the value received.
var escaped = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	for c := 127; c < 256; c++ {
		t[c] = true
	}
	for _, c := range []byte("<>\"#%{}|\\^~[]`'") {
		t[c] = true
	}
	return t
}()

// AppendField appends s encoded once (spec §10.3), or "-" when s is empty.
// The result never holds a space, tab or newline.
func AppendField(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, '-')
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escaped[c] {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}
