package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// decoder turns a parsed tree into model values. It keeps the first
// structural error and stops reporting after it, so conversion code reads
// as a straight list of fields; helpers given a nil node return zero
// values. A Quantity mismatch is kept apart: it is reported only when the
// document has no other error.
type decoder struct {
	err          *cloudfront.Error
	inconsistent *cloudfront.Error
	refused      *cloudfront.Error // a supported-member check (refuse); after inconsistent
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = malformed(format, args...)
	}
}

// result is the error to return once decoding is done, if any.
func (d *decoder) result() error {
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

// fields are the children of one container element, by local name.
type fields struct {
	d *decoder
	n *node
	m map[string]*node
}

// open checks that n is a container whose children are all named in
// allowed and none repeats.
func (d *decoder) open(n *node, allowed ...string) fields {
	f := fields{d: d, n: n}
	if n == nil || d.err != nil {
		return f
	}
	if n.nonSpace {
		d.fail("element %s holds text where elements are expected", n.path)
		return f
	}
	f.m = make(map[string]*node, len(n.kids))
	for _, k := range n.kids {
		if !contains(allowed, k.name) {
			d.fail("unknown element %s", k.path)
			return f
		}
		if f.m[k.name] != nil {
			d.fail("element %s is repeated", k.path)
			return f
		}
		f.m[k.name] = k
	}
	return f
}

// req returns the required child name; its absence is an error.
func (f fields) req(name string) *node {
	if f.n == nil || f.d.err != nil {
		return nil
	}
	k := f.m[name]
	if k == nil {
		f.d.fail("element %s is missing its required child %s", f.n.path, name)
	}
	return k
}

// opt returns the optional child name, or nil.
func (f fields) opt(name string) *node {
	if f.n == nil || f.d.err != nil {
		return nil
	}
	return f.m[name]
}

// list decodes a container that holds just a Quantity/Items pair.
func (d *decoder) list(n *node, item string) []*node {
	return d.items(d.open(n, "Quantity", "Items"), item)
}

// items decodes the Quantity/Items pair of an opened container and returns
// the children of Items, which must all be named item. Items may be
// absent; a Quantity that does not match the number of items is recorded
// as InconsistentQuantities.
func (d *decoder) items(f fields, item string) []*node {
	qn := f.req("Quantity")
	items := f.opt("Items")
	q := d.integer(qn, 64)
	if d.err != nil || f.n == nil {
		return nil
	}
	var kids []*node
	if items != nil {
		if items.nonSpace {
			d.fail("element %s holds text where elements are expected", items.path)
			return nil
		}
		for _, k := range items.kids {
			if k.name != item {
				d.fail("unknown element %s", k.path)
				return nil
			}
		}
		kids = items.kids
	}
	if q != int64(len(kids)) && d.inconsistent == nil {
		d.inconsistent = cloudfront.Errorf(cloudfront.InconsistentQuantities,
			"%s/Quantity is %d but %s/Items holds %d %s elements.", f.n.path, q, f.n.path, len(kids), item)
	}
	return kids
}

// strings decodes a Quantity/Items list of strings; nil when empty.
func (d *decoder) strings(n *node, item string) []string {
	return d.texts(d.list(n, item))
}

// texts decodes string elements; nil when there are none.
func (d *decoder) texts(ns []*node) []string {
	var out []string
	for _, k := range ns {
		out = append(out, d.str(k))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
