package v20200531

import (
	"bytes"
	"strconv"
	"time"
)

// Strict scalars. encoding/xml would accept "True", "1" and padded
// numbers alike; the API takes only "true"/"false" and decimal integers.
// Strings are kept exactly as sent; numbers and booleans may be padded
// with XML whitespace.

// leaf returns the text of n, which must hold no elements.
func (d *decoder) leaf(n *node) ([]byte, bool) {
	if n == nil || d.err != nil {
		return nil, false
	}
	if len(n.kids) > 0 {
		d.fail("element %s holds elements where text is expected", n.path)
		return nil, false
	}
	return n.text, true
}

// str decodes a string element exactly as sent.
func (d *decoder) str(n *node) string {
	t, ok := d.leaf(n)
	if !ok {
		return ""
	}
	return string(t)
}

// boolean decodes "true" or "false".
func (d *decoder) boolean(n *node) bool {
	t, ok := d.leaf(n)
	if !ok {
		return false
	}
	switch string(bytes.Trim(t, xmlSpace)) {
	case "true":
		return true
	case "false":
		return false
	}
	d.fail("element %s must be true or false", n.path)
	return false
}

// integer decodes a decimal integer that fits in bits bits. Negative
// values pass, so that validation can reject them with its own code.
func (d *decoder) integer(n *node, bits int) int64 {
	t, ok := d.leaf(n)
	if !ok {
		return 0
	}
	s := string(bytes.Trim(t, xmlSpace))
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" || !allDigits(digits) {
		d.fail("element %s must be a decimal integer", n.path)
		return 0
	}
	v, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		d.fail("element %s is out of range", n.path)
		return 0
	}
	return v
}

// integerInt is integer for a Go int field.
func (d *decoder) integerInt(n *node) int {
	return int(d.integer(n, strconv.IntSize))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// timeLayout is how the service wrote timestamps: UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }
