package v20120701

import "github.com/openfront/openfront/internal/wire/xmlwire"

// The shared XML toolkit, under the short names this codec is written in.
type (
	node   = xmlwire.Node
	fields = xmlwire.Fields
)

// decoder and writer are xmlwire's, so that this codec can add its own
// methods (one per shape) to them.
type (
	decoder struct{ xmlwire.Decoder }
	writer  struct{ *xmlwire.Writer }
)

// parse reads a request document whose root is root, in this version's
// namespace or in none.
func parse(body []byte, root string) (*node, error) {
	return xmlwire.Parse(body, Namespace, root)
}

// newDoc starts a response document whose root is root in Namespace.
func newDoc(root string) *writer { return &writer{xmlwire.NewDoc(Namespace, root)} }
