package v20200531

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// writer builds one compact XML document. Element names are constants of
// this package, so only text needs escaping.
type writer struct{ b []byte }

// newDoc starts a document with the prolog and opens root in Namespace.
func newDoc(root string) *writer {
	w := &writer{b: make([]byte, 0, 1024)}
	w.b = append(w.b, prolog...)
	w.b = append(w.b, '<')
	w.b = append(w.b, root...)
	w.b = append(w.b, ` xmlns="`+Namespace+`">`...)
	return w
}

func (w *writer) open(name string) {
	w.b = append(w.b, '<')
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

func (w *writer) close(name string) {
	w.b = append(w.b, "</"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// text writes <name>s</name>, always with both tags, as the service did
// for empty strings.
func (w *writer) text(name, s string) {
	w.open(name)
	w.b = appendEscaped(w.b, s)
	w.close(name)
}

func (w *writer) int(name string, v int64) {
	w.open(name)
	w.b = strconv.AppendInt(w.b, v, 10)
	w.close(name)
}

func (w *writer) bool(name string, v bool) {
	w.open(name)
	w.b = strconv.AppendBool(w.b, v)
	w.close(name)
}

func (w *writer) time(name string, t time.Time) { w.text(name, formatTime(t)) }

// strings writes a Quantity/Items list of strings, omitting Items when
// empty.
func (w *writer) strings(name, item string, items []string) {
	w.open(name)
	w.int("Quantity", int64(len(items)))
	if len(items) > 0 {
		w.open("Items")
		for _, s := range items {
			w.text(item, s)
		}
		w.close("Items")
	}
	w.close(name)
}

// bytes ends the document.
func (w *writer) bytes(root string) []byte {
	w.close(root)
	return w.b
}

// appendEscaped appends s as XML character data. A carriage return is
// written as a reference because a parser would turn a literal one into a
// newline. Characters XML cannot carry (which a decoded value never holds)
// become U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == utf8.RuneError && size == 1, !isXMLChar(r):
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// isXMLChar reports whether r is in XML 1.0's Char production.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
