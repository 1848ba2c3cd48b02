package xmlwire

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// Writer builds one compact XML document. Element names are constants of
// the codecs, so only text needs escaping.
type Writer struct{ b []byte }

// NewDoc starts a document with the prolog and opens root in namespace.
func NewDoc(namespace, root string) *Writer {
	w := &Writer{b: make([]byte, 0, 1024)}
	w.b = append(w.b, Prolog...)
	w.b = append(w.b, '<')
	w.b = append(w.b, root...)
	w.b = append(w.b, ` xmlns="`...)
	w.b = append(w.b, namespace...) // a codec's constant
	w.b = append(w.b, `">`...)
	return w
}

// Open writes the start tag of name.
func (w *Writer) Open(name string) {
	w.b = append(w.b, '<')
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// Close writes the end tag of name.
func (w *Writer) Close(name string) {
	w.b = append(w.b, "</"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// Text writes <name>s</name>, always with both tags, as the service does
// for empty strings.
func (w *Writer) Text(name, s string) {
	w.Open(name)
	w.b = appendEscaped(w.b, s)
	w.Close(name)
}

// Int writes <name>v</name> in decimal.
func (w *Writer) Int(name string, v int64) {
	w.Open(name)
	w.b = strconv.AppendInt(w.b, v, 10)
	w.Close(name)
}

// Bool writes <name>true</name> or <name>false</name>.
func (w *Writer) Bool(name string, v bool) {
	w.Open(name)
	w.b = strconv.AppendBool(w.b, v)
	w.Close(name)
}

// Time writes t as the service writes timestamps.
func (w *Writer) Time(name string, t time.Time) { w.Text(name, FormatTime(t)) }

// Strings writes a Quantity/Items list of strings, omitting Items when
// empty.
func (w *Writer) Strings(name, item string, items []string) {
	w.Open(name)
	QuantityItems(w, items, func(s string) { w.Text(item, s) })
	w.Close(name)
}

// QuantityItems writes the Quantity of items and, unless there are none,
// their Items element, each item written by write: the body of every list
// of the service's XML (a method, as Go's are, could not take T).
func QuantityItems[T any](w *Writer, items []T, write func(T)) {
	w.Int("Quantity", int64(len(items)))
	if len(items) > 0 {
		w.Open("Items")
		for _, it := range items {
			write(it)
		}
		w.Close("Items")
	}
}

// Bytes ends the document and returns it.
func (w *Writer) Bytes(root string) []byte {
	w.Close(root)
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
