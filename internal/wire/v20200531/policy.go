package v20200531

import (
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// The documents the three policy kinds (cache, origin request and
// response headers policies) share, under the kind's name X:
//
//   - <XConfig>: the config's members;
//   - <X>: Id, LastModifiedTime and <XConfig>;
//   - <XList>: NextMarker when the page is truncated, MaxItems, Quantity
//     and Items of <XSummary>, each Type and <X>. Unlike the distribution
//     lists it has no Marker and no IsTruncated.
//
// Key groups are a policy kind without a type: their KeyGroupSummary holds
// <KeyGroup> alone. Public keys share only the list's head (shortList):
// their summary is flat. So do functions (function.go), whose list holds
// whole FunctionSummary documents.
//
// Origin access controls are not policies: their document has no
// LastModifiedTime and their list the distribution lists' head.

// policyKind is one policy kind for the shared encoders: P is the model's
// policy, C its config.
type policyKind[P, C any] struct {
	name   string                                                   // X: CachePolicy, …
	parts  func(p *P) (id string, lastModified time.Time, config C) // what <X> holds
	typ    func(p *P) string                                        // XSummary/Type: managed or custom; nil for none
	config func(w *writer, c C)                                     // the config's members
}

// encodeConfig encodes an <XConfig> document.
func (k policyKind[P, C]) encodeConfig(c C) []byte {
	root := k.name + "Config"
	w := newDoc(root)
	k.config(w, c)
	return w.Bytes(root)
}

// encode encodes an <X> document.
func (k policyKind[P, C]) encode(p *P) []byte {
	w := newDoc(k.name)
	k.body(w, p)
	return w.Bytes(k.name)
}

// encodeList encodes an <XList> of XSummary.
func (k policyKind[P, C]) encodeList(page cloudfront.ListPage, items []P) []byte {
	summary := k.name + "Summary"
	return shortList(k.name+"List", page, items, func(w *writer, p P) {
		w.Open(summary)
		if k.typ != nil {
			w.Text("Type", k.typ(&p))
		}
		w.Open(k.name)
		k.body(w, &p)
		w.Close(k.name)
		w.Close(summary)
	})
}

// shortList encodes a list document with the policy lists' head:
// NextMarker when the page is truncated, MaxItems, Quantity, and Items
// unless there are none, each item written by write.
func shortList[T any](root string, page cloudfront.ListPage, items []T, write func(w *writer, it T)) []byte {
	w := newDoc(root)
	if page.IsTruncated {
		w.Text("NextMarker", page.NextMarker)
	}
	w.Int("MaxItems", int64(page.MaxItems))
	xmlwire.QuantityItems(w.Writer, items, func(it T) { write(w, it) })
	return w.Bytes(root)
}

// body writes the members of <X>.
func (k policyKind[P, C]) body(w *writer, p *P) {
	id, lastModified, c := k.parts(p)
	config := k.name + "Config"
	w.Text("Id", id)
	w.Time("LastModifiedTime", lastModified)
	w.Open(config)
	k.config(w, c)
	w.Close(config)
}
