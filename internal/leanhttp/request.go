package leanhttp

import (
	"net/http"
	"net/textproto"
	"net/url"

	"golang.org/x/net/http/httpguts"
)

// parseHead turns one request head (request line to the empty line,
// CRLFs included) into a request, or reports false for anything this
// server leaves to net/http: another method or version, a body, an
// upgrade, a target not in origin form, or any byte net/http might read
// otherwise (bare LF, line folding, control characters). So whatever
// this accepts, net/http's parser would accept and read the same way;
// what it refuses, net/http answers, errors included.
func parseHead(r *http.Request, b []byte) bool {
	// One string for the whole head: the method, target, names and
	// values below are all slices of it.
	s := string(b)
	line, rest, ok := cutLine(s)
	if !ok {
		return false
	}
	var method string
	switch {
	case len(line) > 4 && line[:4] == "GET ":
		method, line = "GET", line[4:]
	case len(line) > 5 && line[:5] == "HEAD ":
		method, line = "HEAD", line[5:]
	default:
		return false
	}
	const proto = " HTTP/1.1"
	if len(line) <= len(proto) || line[len(line)-len(proto):] != proto {
		return false
	}
	target := line[:len(line)-len(proto)]
	if target[0] != '/' {
		return false
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}

	lines := 0
	for i := 0; i < len(rest); i++ {
		if rest[i] == '\n' {
			lines++
		}
	}
	h := make(http.Header, lines)
	vals := make([]string, lines)
	var host string
	hosts := 0
	for {
		line, rest, ok = cutLine(rest)
		if !ok {
			return false
		}
		if line == "" {
			break
		}
		colon := -1
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c == ':' {
				colon = i
				break
			}
			if !httpguts.IsTokenRune(rune(c)) {
				// Folding (a leading space), a space before the
				// colon, or a byte no name has.
				return false
			}
		}
		if colon <= 0 {
			return false
		}
		v := trimOWS(line[colon+1:])
		for i := 0; i < len(v); i++ {
			if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
				return false
			}
		}
		k := textproto.CanonicalMIMEHeaderKey(line[:colon])
		switch k {
		case "Host":
			host = v
			hosts++
			continue
		case "Content-Length", "Transfer-Encoding", "Expect", "Upgrade":
			return false
		}
		if vv := h[k]; vv != nil {
			h[k] = append(vv, v)
		} else {
			vals[0] = v
			h[k] = vals[:1:1]
			vals = vals[1:]
		}
	}
	if hosts != 1 || !httpguts.ValidHostHeader(host) {
		return false
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return false
	}
	// As net/http: an HTTP/1.0 cache's Pragma stands for Cache-Control.
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" {
		if _, ok := h["Cache-Control"]; !ok {
			h["Cache-Control"] = []string{"no-cache"}
		}
	}
	*r = http.Request{
		Method:     method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       http.NoBody,
		Host:       host,
		RequestURI: target,
		Close:      httpguts.HeaderValuesContainsToken(h["Connection"], "close"),
	}
	return true
}

// cutLine splits s after its first CRLF; a bare LF or CR is refused.
func cutLine(s string) (line, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				return s[:i], s[i+2:], true
			}
			return "", "", false
		case '\n':
			return "", "", false
		}
	}
	return "", "", false
}

func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// headEnd is the length of the request head at the start of b (up to
// and including the empty line), 0 if b does not hold it whole yet, or
// -1 if b has a bare LF, which net/http reads as a line end and this
// server does not.
func headEnd(b []byte, from int) int {
	if from < 0 {
		from = 0
	}
	for i := from; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		if i == 0 || b[i-1] != '\r' {
			return -1
		}
		if i >= 3 && b[i-2] == '\n' && b[i-3] == '\r' {
			return i + 1
		}
	}
	return 0
}
