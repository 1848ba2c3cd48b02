package v20200531

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Limits on the decoder's work. Real documents are about 9 levels deep and
// a distribution at every limit of spec §7 has well under 1,000 elements.
const (
	maxDepth    = 32
	maxElements = 10000
)

// node is one element of a request document. Request children may come in
// any order, so decoding first builds this tree and then looks children up
// by local name.
type node struct {
	name     string // local name
	path     string // slash-separated local names from the root, for messages
	text     []byte // all character data, concatenated exactly
	nonSpace bool   // text holds more than XML whitespace
	kids     []*node
}

// parse reads body into a tree whose root must be the element root in the
// 2020-05-31 namespace or in none.
func parse(body []byte, root string) (*node, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if len(bytes.Trim(body, xmlSpace)) == 0 {
		return nil, cloudfront.NewError(cloudfront.MissingBody)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	var (
		top      *node
		stack    []*node
		elements int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, malformed("the document is not well-formed: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			elements++
			if elements > maxElements {
				return nil, malformed("more than %d elements", maxElements)
			}
			if len(stack) >= maxDepth {
				return nil, malformed("elements nested deeper than %d levels", maxDepth)
			}
			n := &node{name: t.Name.Local, path: t.Name.Local}
			if len(stack) == 0 {
				if top != nil {
					return nil, malformed("more than one root element")
				}
				if t.Name.Local != root || (t.Name.Space != "" && t.Name.Space != Namespace) {
					return nil, malformed("root element is {%s}%s, want %s in namespace %s", t.Name.Space, t.Name.Local, root, Namespace)
				}
				top = n
			} else {
				parent := stack[len(stack)-1]
				n.path = parent.path + "/" + n.name
				parent.kids = append(parent.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			// The decoder has already checked that it matches.
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.Trim(t, xmlSpace)) != 0 {
					return nil, malformed("text outside the root element")
				}
				continue
			}
			n := stack[len(stack)-1]
			n.text = append(n.text, t...)
			if !n.nonSpace && len(bytes.Trim(t, xmlSpace)) != 0 {
				n.nonSpace = true
			}
		}
		// Comments, processing instructions and directives carry nothing.
	}
	if top == nil {
		return nil, malformed("no root element")
	}
	return top, nil
}

// xmlSpace is XML's whitespace (production S), the only characters allowed
// around elements in a container and around numbers and booleans.
const xmlSpace = " \t\r\n"

// malformed is a MalformedXML error with a detail appended to the
// standard message.
func malformed(format string, args ...any) *cloudfront.Error {
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
