package accesslog

import (
	"crypto/tls"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/edge"
)

// Format is the layout of the log files a Writer delivers.
type Format uint8

const (
	// FormatStandard is CloudFront's current standard log file format: 33
	// fields, the 2012 ones first (CloudFront developer guide, "Standard
	// logging reference", log file fields).
	FormatStandard Format = iota
	// Format2012 is the 15-field layout of API 2012-07-01's time.
	Format2012
)

// ParseFormat reads a --log-format value: "standard" or "2012".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "standard", "":
		return FormatStandard, nil
	case "2012":
		return Format2012, nil
	}
	return 0, fmt.Errorf("log format %q: want standard or 2012", s)
}

func (f Format) String() string {
	if f == Format2012 {
		return "2012"
	}
	return "standard"
}

// Header2012 opens every log file of Format2012: the W3C version and the
// 2012 field list (15 fields).
const Header2012 = "#Version: 1.0\n" +
	"#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id\n"

// HeaderStandard opens every log file of FormatStandard (33 fields).
const HeaderStandard = "#Version: 1.0\n" +
	"#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end\n"

// Header is the two header lines of f's files.
func (f Format) Header() string {
	if f == Format2012 {
		return Header2012
	}
	return HeaderStandard
}

// AppendLine appends r's line in layout f, newline included, to dst (see
// the package function AppendLine for t, host and location).
func (f Format) AppendLine(dst []byte, r *edge.LogRecord, t time.Time, host, location string) []byte {
	if f == Format2012 {
		return AppendLine(dst, r, t, host, location)
	}
	return AppendStandardLine(dst, r, t, host, location)
}

// AppendLine appends r's log line, newline included, to dst. t is the
// request's time (converted to UTC); host replaces an empty r.Host and
// location an empty r.Location. The cookie is logged only when
// r.IncludeCookies is set.
func AppendLine(dst []byte, r *edge.LogRecord, t time.Time, host, location string) []byte {
	dst = append2012(dst, r, t, host, location)
	return append(dst, '\n')
}

// AppendStandardLine appends r's line in CloudFront's standard layout (33
// fields), newline included: the 2012 fields, then the 18 that followed.
func AppendStandardLine(dst []byte, r *edge.LogRecord, t time.Time, host, location string) []byte {
	dst = append2012(dst, r, t, host, location)
	dst = append(dst, '\t')
	// x-host-header: what the viewer sent, a CNAME say, where cs(Host) is
	// the distribution's own domain name.
	hostHeader := r.HostHeader
	if hostHeader == "" {
		hostHeader = host
	}
	dst = AppendField(dst, hostHeader)
	dst = append(dst, '\t')
	if r.HTTPS {
		dst = append(dst, "https"...)
	} else {
		dst = append(dst, "http"...)
	}
	dst = append(dst, '\t')
	dst = strconv.AppendInt(dst, r.BytesReceived, 10)
	dst = append(dst, '\t')
	dst = appendSeconds(dst, r.TimeTaken)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.ForwardedFor)
	dst = append(dst, '\t')
	if r.TLSVersion != 0 {
		dst = append(dst, tlsVersionName(r.TLSVersion)...)
		dst = append(dst, '\t')
		dst = AppendField(dst, cipherName(r.CipherSuite))
	} else {
		dst = append(dst, "-\t-"...)
	}
	dst = append(dst, '\t')
	dst = AppendField(dst, r.ResponseResultType)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.ProtocolVersion)
	// fle-status and fle-encrypted-fields: no field-level encryption.
	dst = append(dst, "\t-\t-\t"...)
	dst = AppendField(dst, r.ClientPort)
	dst = append(dst, '\t')
	dst = appendSeconds(dst, r.TimeToFirstByte)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.DetailedResultType)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.ContentType)
	dst = append(dst, '\t')
	dst = AppendField(dst, r.ContentLength)
	dst = append(dst, '\t')
	if start, end, ok := ParseContentRange(r.ContentRange); ok {
		dst = strconv.AppendInt(dst, start, 10)
		dst = append(dst, '\t')
		dst = strconv.AppendInt(dst, end, 10)
	} else {
		dst = append(dst, "-\t-"...)
	}
	return append(dst, '\n')
}

// append2012 writes the 15 fields of the 2012 layout, without a newline.
func append2012(dst []byte, r *edge.LogRecord, t time.Time, host, location string) []byte {
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
	return AppendField(dst, r.RequestID)
}

// appendSeconds writes d in seconds to the thousandth, as CloudFront
// writes time-taken and time-to-first-byte ("0.082"). A negative d (a
// clock step) is written as 0.000.
func appendSeconds(dst []byte, d time.Duration) []byte {
	ms := d.Milliseconds()
	if ms < 0 {
		ms = 0
	}
	dst = strconv.AppendInt(dst, ms/1000, 10)
	ms %= 1000
	return append(dst, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
}

// tlsVersionName is ssl-protocol as CloudFront writes it (OpenSSL's
// names): SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.
func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionSSL30: //nolint:staticcheck // named only to log it
		return "SSLv3"
	case tls.VersionTLS10:
		return "TLSv1"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return "-"
}

// openSSLCiphers maps Go's cipher suites to the OpenSSL names CloudFront
// logs in ssl-cipher (ECDHE-RSA-AES128-GCM-SHA256); TLS 1.3 suites keep
// their IANA names, as OpenSSL does.
var openSSLCiphers = map[uint16]string{
	tls.TLS_AES_128_GCM_SHA256:                        "TLS_AES_128_GCM_SHA256",
	tls.TLS_AES_256_GCM_SHA384:                        "TLS_AES_256_GCM_SHA384",
	tls.TLS_CHACHA20_POLY1305_SHA256:                  "TLS_CHACHA20_POLY1305_SHA256",
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:       "ECDHE-ECDSA-AES128-GCM-SHA256",
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:         "ECDHE-RSA-AES128-GCM-SHA256",
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:       "ECDHE-ECDSA-AES256-GCM-SHA384",
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:         "ECDHE-RSA-AES256-GCM-SHA384",
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-ECDSA-CHACHA20-POLY1305",
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:   "ECDHE-RSA-CHACHA20-POLY1305",
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:          "ECDHE-ECDSA-AES128-SHA",
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:            "ECDHE-RSA-AES128-SHA",
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:          "ECDHE-ECDSA-AES256-SHA",
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:            "ECDHE-RSA-AES256-SHA",
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256:       "ECDHE-ECDSA-AES128-SHA256",
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256:         "ECDHE-RSA-AES128-SHA256",
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256:               "AES128-GCM-SHA256",
	tls.TLS_RSA_WITH_AES_256_GCM_SHA384:               "AES256-GCM-SHA384",
	tls.TLS_RSA_WITH_AES_128_CBC_SHA:                  "AES128-SHA",
	tls.TLS_RSA_WITH_AES_256_CBC_SHA:                  "AES256-SHA",
	tls.TLS_RSA_WITH_AES_128_CBC_SHA256:               "AES128-SHA256",
	tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA:                 "DES-CBC3-SHA",
	tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA:           "ECDHE-RSA-DES-CBC3-SHA",
}

func cipherName(id uint16) string {
	if n, ok := openSSLCiphers[id]; ok {
		return n
	}
	return tls.CipherSuiteName(id) // Go's name, or 0x… for an unknown one
}

// ParseContentRange reads the first and last byte of a Content-Range
// header the edge sent ("bytes 0-99/1000"), for sc-range-start and
// sc-range-end. Anything else, "bytes */1000" included, is not a range.
// The value may come from an origin, so it is parsed strictly.
func ParseContentRange(v string) (start, end int64, ok bool) {
	rest, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, false
	}
	span, _, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, false
	}
	start, err1 := parseDigits(a)
	end, err2 := parseDigits(b)
	if !err1 || !err2 || end < start {
		return 0, 0, false
	}
	return start, end, true
}

// parseDigits accepts only ASCII digits (no sign, no spaces) that fit in
// an int64.
func parseDigits(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
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
