package xmlwire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Limits on the parser's work, whatever the document. Real documents are
// about 9 levels deep and a distribution at every limit of spec §7 has
// well under 1,000 elements.
const (
	MaxDepth    = 32
	MaxElements = 10000
)

// Node is one element of a request document. Request children may come in
// any order, so decoding first builds this tree and then looks children up
// by local name.
type Node struct {
	Name     string // local name
	Path     string // slash-separated local names from the root, for messages
	Text     []byte // all character data, concatenated exactly
	NonSpace bool   // Text holds more than XML whitespace
	Kids     []*Node
}

// Parse reads body into a tree whose root must be the element root in
// namespace or in none.
func Parse(body []byte, namespace, root string) (*Node, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if len(bytes.Trim(body, Space)) == 0 {
		return nil, cloudfront.NewError(cloudfront.MissingBody)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	var (
		top      *Node
		stack    []*Node
		elements int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, Malformed("the document is not well-formed: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			elements++
			if elements > MaxElements {
				return nil, Malformed("more than %d elements", MaxElements)
			}
			if len(stack) >= MaxDepth {
				return nil, Malformed("elements nested deeper than %d levels", MaxDepth)
			}
			n := &Node{Name: t.Name.Local, Path: t.Name.Local}
			if len(stack) == 0 {
				if top != nil {
					return nil, Malformed("more than one root element")
				}
				if t.Name.Local != root || (t.Name.Space != "" && t.Name.Space != namespace) {
					return nil, Malformed("root element is {%s}%s, want %s in namespace %s", t.Name.Space, t.Name.Local, root, namespace)
				}
				top = n
			} else {
				parent := stack[len(stack)-1]
				n.Path = parent.Path + "/" + n.Name
				parent.Kids = append(parent.Kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			// The decoder has already checked that it matches.
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.Trim(t, Space)) != 0 {
					return nil, Malformed("text outside the root element")
				}
				continue
			}
			n := stack[len(stack)-1]
			n.Text = append(n.Text, t...)
			if !n.NonSpace && len(bytes.Trim(t, Space)) != 0 {
				n.NonSpace = true
			}
		}
		// Comments, processing instructions and directives carry nothing.
	}
	if top == nil {
		return nil, Malformed("no root element")
	}
	return top, nil
}

// Space is XML's whitespace (production S), the only characters allowed
// around elements in a container and around numbers and booleans.
const Space = " \t\r\n"

// Malformed is a MalformedXML error with a detail appended to the
// standard message.
func Malformed(format string, args ...any) *cloudfront.Error {
	e := cloudfront.NewError(cloudfront.MalformedXML)
	detail := fmt.Sprintf(format, args...)
	if detail != "" {
		// Details are written lower-case to read well in Go; the message
		// is shown to API clients as sentences.
		detail = strings.ToUpper(detail[:1]) + detail[1:]
	}
	e.Message += " " + detail + "."
	return e
}
