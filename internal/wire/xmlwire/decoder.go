package xmlwire

import (
	"slices"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Decoder turns a parsed tree into model values. It keeps the first
// structural error and stops reporting after it, so conversion code reads
// as a straight list of fields; helpers given a nil node return zero
// values. Two kinds of error are kept apart and reported only when the
// document has no structural error: a Quantity mismatch, then a refusal
// (a member the codec parses but the service refuses, such as an
// unsupported feature).
type Decoder struct {
	err          *cloudfront.Error
	refused      *cloudfront.Error
	inconsistent *cloudfront.Error
}

// Fail records a structural (MalformedXML) error unless one is recorded.
func (d *Decoder) Fail(format string, args ...any) {
	if d.err == nil {
		d.err = Malformed(format, args...)
	}
}

// Failed reports whether a structural error is recorded, after which
// every helper returns zero values.
func (d *Decoder) Failed() bool { return d.err != nil }

// Refuse records a semantic error found while decoding; a structural
// error or a Quantity mismatch found earlier or later wins, as
// MalformedXML and InconsistentQuantities do at CloudFront.
func (d *Decoder) Refuse(e *cloudfront.Error) {
	if d.refused == nil {
		d.refused = e
	}
}

// Result is the error to return once decoding is done, if any.
func (d *Decoder) Result() error {
	if d.err != nil {
		return d.err
	}
	if d.inconsistent != nil {
		return d.inconsistent
	}
	if d.refused != nil {
		return d.refused
	}
	return nil
}

// Fields are the children of one container element, by local name.
type Fields struct {
	d *Decoder
	n *Node
	m map[string]*Node
}

// Open checks that n is a container whose children are all named in
// allowed and none repeats.
func (d *Decoder) Open(n *Node, allowed ...string) Fields {
	f := Fields{d: d, n: n}
	if n == nil || d.err != nil {
		return f
	}
	if n.NonSpace {
		d.Fail("element %s holds text where elements are expected", n.Path)
		return f
	}
	f.m = make(map[string]*Node, len(n.Kids))
	for _, k := range n.Kids {
		if !slices.Contains(allowed, k.Name) {
			d.Fail("unknown element %s", k.Path)
			return f
		}
		if f.m[k.Name] != nil {
			d.Fail("element %s is repeated", k.Path)
			return f
		}
		f.m[k.Name] = k
	}
	return f
}

// Req returns the required child name; its absence is an error.
func (f Fields) Req(name string) *Node {
	if f.n == nil || f.d.err != nil {
		return nil
	}
	k := f.m[name]
	if k == nil {
		f.d.Fail("element %s is missing its required child %s", f.n.Path, name)
	}
	return k
}

// Opt returns the optional child name, or nil.
func (f Fields) Opt(name string) *Node {
	if f.n == nil || f.d.err != nil {
		return nil
	}
	return f.m[name]
}

// List decodes a container that holds just a Quantity/Items pair.
func (d *Decoder) List(n *Node, item string) []*Node {
	return d.Items(d.Open(n, "Quantity", "Items"), item)
}

// Items decodes the Quantity/Items pair of an opened container and returns
// the children of Items, which must all be named item. Items may be
// absent; a Quantity that does not match the number of items is recorded
// as InconsistentQuantities.
func (d *Decoder) Items(f Fields, item string) []*Node {
	qn := f.Req("Quantity")
	items := f.Opt("Items")
	q := d.Integer(qn, 64)
	if d.err != nil || f.n == nil {
		return nil
	}
	kids := d.ItemsOnly(items, item)
	if d.err != nil {
		return nil
	}
	if q != int64(len(kids)) && d.inconsistent == nil {
		d.inconsistent = cloudfront.Errorf(cloudfront.InconsistentQuantities,
			"%s/Quantity is %d but %s/Items holds %d %s elements.", f.n.Path, q, f.n.Path, len(kids), item)
	}
	return kids
}

// ItemsOnly returns the children of an Items element (nil for none),
// which must all be named item; for lists that have no Quantity beside
// their Items.
func (d *Decoder) ItemsOnly(items *Node, item string) []*Node {
	if items == nil || d.err != nil {
		return nil
	}
	if items.NonSpace {
		d.Fail("element %s holds text where elements are expected", items.Path)
		return nil
	}
	for _, k := range items.Kids {
		if k.Name != item {
			d.Fail("unknown element %s", k.Path)
			return nil
		}
	}
	return items.Kids
}

// Strings decodes a Quantity/Items list of strings; nil when empty.
func (d *Decoder) Strings(n *Node, item string) []string {
	return d.Texts(d.List(n, item))
}

// Texts decodes string elements; nil when there are none.
func (d *Decoder) Texts(ns []*Node) []string {
	var out []string
	for _, k := range ns {
		out = append(out, d.Str(k))
	}
	return out
}
