// Package urlpath decides, once per request, which path a request target
// means. The edge matches behaviours, checks signed URLs, keys its cache
// and asks the origin with that one path, so that no part of the edge and
// no origin can read a different object out of the same request.
//
// The canonical form follows RFC 3986 §6.2.2, as CloudFront does before it
// matches behaviours: percent-encoded unreserved characters are decoded,
// other escapes are upper-cased, dot segments are removed (§5.2.4, a ".."
// above the root stays at the root), and runs of '/' are merged into one,
// which CloudFront documents too. Bytes that RFC 3986 does not allow in a
// path (space excepted, which is refused) are percent-encoded.
//
// What cannot be normalised safely is refused, because origins disagree
// about it: a fragment ('#'), an encoded '/' or '\' (%2F, %5C) or a raw
// '\' (a separator for some servers, a literal for others), %00 (truncates
// paths in C origins), an escape that is not two hex digits, bytes that do
// not decode to UTF-8 (overlong forms such as %C0%AE are how ".." has been
// smuggled past decoders), control characters, a dot segment with
// parameters ("..;", which Java servers read as ".."), and paths longer
// than MaxLength.
//
// The standard library's path.Clean neither decodes nor refuses and drops
// a trailing '/', which names another object; hence this package.
package urlpath

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// MaxLength is the longest path accepted, in bytes, as received and once
// canonical: CloudFront documents 8,192 bytes for a URL.
const MaxLength = 8192

// Reasons for a refusal. ErrTooLong is answered with 414, the others with
// 400.
var (
	ErrNotAbsolute  = errors.New("urlpath: path does not begin with '/'")
	ErrTooLong      = errors.New("urlpath: path is too long")
	ErrFragment     = errors.New("urlpath: request target has a fragment ('#')")
	ErrEncodedSlash = errors.New("urlpath: encoded '/' or '\\' in the path")
	ErrBackslash    = errors.New("urlpath: '\\' in the path")
	ErrBadEscape    = errors.New("urlpath: '%' not followed by two hex digits")
	ErrNUL          = errors.New("urlpath: %00 in the path")
	ErrControl      = errors.New("urlpath: control character or space in the request target")
	ErrInvalidUTF8  = errors.New("urlpath: path does not decode to UTF-8")
	ErrDotParams    = errors.New("urlpath: dot segment with parameters (\"..;\")")
)

// Split cuts a request target in origin form ("/path?query") into its
// canonical path and its raw query. The query is returned as received; it
// is refused only if it holds a '#', which would make the origin see
// another query than the cache key.
func Split(target string) (path, query string, err error) {
	path, query, hasQuery := strings.Cut(target, "?")
	if hasQuery && strings.IndexByte(query, '#') >= 0 {
		return "", "", ErrFragment
	}
	if path, err = Canonical(path); err != nil {
		return "", "", err
	}
	return path, query, nil
}

// Canonical returns the canonical form of path (without its query). A
// path already in canonical form is returned as is, without allocating.
func Canonical(path string) (string, error) {
	if len(path) == 0 || path[0] != '/' {
		return "", ErrNotAbsolute
	}
	if len(path) > MaxLength {
		return "", ErrTooLong
	}
	if isCanonical(path) {
		return path, nil
	}
	return normalize(path)
}

// isCanonical reports whether path needs no work: only characters that
// stand for themselves and upper-case escapes of ASCII that is neither
// unreserved nor refused, no empty segment but a trailing one, no dot
// segment.
func isCanonical(path string) bool {
	seg := 1 // start of the current segment
	for i := 1; i < len(path); i++ {
		switch class[path[i]] {
		case classPlain:
		case classSlash:
			if i == seg || path[seg] == '.' && dotSegment(path[seg:i]) {
				return false // "//" or a dot segment
			}
			seg = i + 1
		case classPercent:
			if !keptEscape(path, i) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return seg == len(path) || path[seg] != '.' || !dotSegment(path[seg:])
}

// keptEscape reports whether path[i:] begins with an escape the canonical
// form keeps as it is. Escapes of bytes ≥ 0x80 take the slow path, which
// checks that they decode to UTF-8.
func keptEscape(path string, i int) bool {
	if path[i] != '%' || i+2 >= len(path) {
		return false
	}
	hi, lo := path[i+1], path[i+2]
	if !('0' <= hi && hi <= '7') || !('0' <= lo && lo <= '9' || 'A' <= lo && lo <= 'F') {
		return false
	}
	v := (hi-'0')<<4 | hexValue(lo)
	return v != 0 && v != '/' && v != '\\' && !unreserved(v)
}

func hexValue(c byte) byte {
	v, _ := unhex(c)
	return v
}

// dotSegment reports whether s, a decoded segment, is "." or "..", with or
// without ";parameters".
func dotSegment(s string) bool {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return s == "." || s == ".."
}

// normalize is the slow path: decode, refuse, encode, resolve.
func normalize(path string) (string, error) {
	out := make([]byte, 0, len(path)+8)
	// decoded holds the bytes the escapes stand for, to check UTF-8.
	var decoded []byte
	// ends[i] is where out stood before segment i was appended, for "..".
	var ends []int
	trailing := false
	seg := make([]byte, 0, 64)
	rest := path[1:]
	for {
		raw, next, more := strings.Cut(rest, "/")
		seg = seg[:0]
		for i := 0; i < len(raw); i++ {
			c := raw[i]
			switch {
			case c == '%':
				if i+2 >= len(raw) {
					return "", ErrBadEscape
				}
				hi, ok1 := unhex(raw[i+1])
				lo, ok2 := unhex(raw[i+2])
				if !ok1 || !ok2 {
					return "", ErrBadEscape
				}
				v := hi<<4 | lo
				i += 2
				switch {
				case v == '/' || v == '\\':
					return "", ErrEncodedSlash
				case v == 0:
					return "", ErrNUL
				case unreserved(v):
					seg = append(seg, v)
				default:
					seg = append(seg, '%', upperHex[v>>4], upperHex[v&15])
				}
				decoded = append(decoded, v)
			case c == '#':
				return "", ErrFragment
			case c == '\\':
				return "", ErrBackslash
			case c <= ' ' || c == 0x7f:
				return "", ErrControl
			case plain(c):
				seg = append(seg, c)
				decoded = append(decoded, c)
			default:
				// Not allowed raw in a path ('"', '<', '[', bytes ≥ 0x80…):
				// encoded, as a browser would have.
				seg = append(seg, '%', upperHex[c>>4], upperHex[c&15])
				decoded = append(decoded, c)
			}
		}
		s := string(seg)
		switch {
		case s == "" || s == ".":
			trailing = !more
		case s == "..":
			if n := len(ends); n > 0 {
				out = out[:ends[n-1]]
				ends = ends[:n-1]
			}
			trailing = !more
		case dotSegment(s):
			return "", ErrDotParams
		default:
			ends = append(ends, len(out))
			out = append(out, '/')
			out = append(out, seg...)
			trailing = false
		}
		if !more {
			break
		}
		rest = next
	}
	if !utf8.Valid(decoded) {
		return "", ErrInvalidUTF8
	}
	if len(out) == 0 || trailing {
		out = append(out, '/')
	}
	if len(out) > MaxLength {
		// Encoding can lengthen a path; the bound holds for the result
		// too, so that the result is canonical itself.
		return "", ErrTooLong
	}
	return string(out), nil
}

const upperHex = "0123456789ABCDEF"

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3).
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// plain reports the bytes a canonical segment holds as themselves: pchar
// without pct-encoded (RFC 3986 §3.3).
func plain(c byte) bool {
	return class[c] == classPlain
}

// Byte classes of the fast path.
const (
	classOther = iota
	classPlain
	classSlash
	classPercent
)

var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		if unreserved(byte(c)) || strings.IndexByte("!$&'()*+,;=:@", byte(c)) >= 0 {
			t[c] = classPlain
		}
	}
	t['/'] = classSlash
	t['%'] = classPercent
	return t
}()
