package xmlwire

import (
	"bytes"
	"strconv"
	"time"
)

// Strict scalars. encoding/xml would accept "True", "1" and padded
// numbers alike; the API takes only "true"/"false" and decimal integers.
// Strings are kept exactly as sent; numbers and booleans may be padded
// with XML whitespace.

// Leaf returns the text of n, which must hold no elements.
func (d *Decoder) Leaf(n *Node) ([]byte, bool) {
	if n == nil || d.err != nil {
		return nil, false
	}
	if len(n.Kids) > 0 {
		d.Fail("element %s holds elements where text is expected", n.Path)
		return nil, false
	}
	return n.Text, true
}

// Str decodes a string element exactly as sent.
func (d *Decoder) Str(n *Node) string {
	t, ok := d.Leaf(n)
	if !ok {
		return ""
	}
	return string(t)
}

// Boolean decodes "true" or "false".
func (d *Decoder) Boolean(n *Node) bool {
	t, ok := d.Leaf(n)
	if !ok {
		return false
	}
	switch string(bytes.Trim(t, Space)) {
	case "true":
		return true
	case "false":
		return false
	}
	d.Fail("element %s must be true or false", n.Path)
	return false
}

// Integer decodes a decimal integer that fits in bits bits. Negative
// values pass, so that validation can reject them with its own code.
func (d *Decoder) Integer(n *Node, bits int) int64 {
	t, ok := d.Leaf(n)
	if !ok {
		return 0
	}
	s := string(bytes.Trim(t, Space))
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" || !allDigits(digits) {
		d.Fail("element %s must be a decimal integer", n.Path)
		return 0
	}
	v, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		d.Fail("element %s is out of range", n.Path)
		return 0
	}
	return v
}

// IntegerInt is Integer for a Go int field.
func (d *Decoder) IntegerInt(n *Node) int {
	return int(d.Integer(n, strconv.IntSize))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// TimeLayout is how the service writes timestamps: UTC with milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime writes t as the service does.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }
