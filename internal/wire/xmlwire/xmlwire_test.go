package xmlwire

import (
	"errors"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

const (
	ns2012 = "http://cloudfront.amazonaws.com/doc/2012-07-01/"
	ns2020 = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
)

// The namespace is the codec's: a root in another version's namespace is
// refused, a root in none is taken (CloudFront's SDKs all send one, some
// hand-written clients none).
func TestParseNamespace(t *testing.T) {
	for _, tt := range []struct {
		name, ns, body string
		want           cloudfront.Code // "" for success
	}{
		{"2020 in 2020", ns2020, `<Tags xmlns="` + ns2020 + `"/>`, ""},
		{"2012 in 2012", ns2012, `<Tags xmlns="` + ns2012 + `"/>`, ""},
		{"none", ns2020, `<Tags/>`, ""},
		{"2012 in 2020", ns2020, `<Tags xmlns="` + ns2012 + `"/>`, cloudfront.MalformedXML},
		{"2020 in 2012", ns2012, `<Tags xmlns="` + ns2020 + `"/>`, cloudfront.MalformedXML},
		{"other root", ns2020, `<TagKeys/>`, cloudfront.MalformedXML},
		{"empty", ns2020, " \n", cloudfront.MissingBody},
		{"two roots", ns2020, `<Tags/><Tags/>`, cloudfront.MalformedXML},
		{"too deep", ns2020, strings.Repeat("<Tags>", MaxDepth+1) + strings.Repeat("</Tags>", MaxDepth+1), cloudfront.MalformedXML},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.body), tt.ns, "Tags")
			if got := code(err); got != tt.want {
				t.Fatalf("code %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func code(err error) cloudfront.Code {
	var e *cloudfront.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "?"
	}
	return ""
}

func TestWriterNamespace(t *testing.T) {
	for _, ns := range []string{ns2012, ns2020} {
		w := NewDoc(ns, "Tags")
		w.Text("Key", "a&b\r")
		w.Strings("Items", "Key", nil)
		want := Prolog + `<Tags xmlns="` + ns + `"><Key>a&amp;b&#xD;</Key><Items><Quantity>0</Quantity></Items></Tags>`
		if got := string(w.Bytes("Tags")); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

// The decoder's errors rank as CloudFront's: MalformedXML, then
// InconsistentQuantities, then a refused member, whatever the order found.
func TestDecoderErrorOrder(t *testing.T) {
	refusal := cloudfront.Errorf(cloudfront.InvalidArgument, "no")
	root, err := Parse([]byte(`<L><Quantity>2</Quantity><Items><I>a</I></Items><X/></L>`), ns2020, "L")
	if err != nil {
		t.Fatal(err)
	}
	var d Decoder
	d.Refuse(refusal)
	items := d.Items(d.Open(root, "Quantity", "Items", "X"), "I")
	if len(items) != 1 || code(d.Result()) != cloudfront.InconsistentQuantities {
		t.Fatalf("items %d, result %v; want 1 and InconsistentQuantities", len(items), d.Result())
	}
	d.Boolean(root.Kids[2]) // <X/> is not a boolean
	if code(d.Result()) != cloudfront.MalformedXML || !d.Failed() {
		t.Fatalf("result %v, want MalformedXML", d.Result())
	}
	var r Decoder
	r.Refuse(refusal)
	r.Refuse(cloudfront.NewError(cloudfront.MalformedXML))
	if r.Result() != refusal {
		t.Fatalf("result %v, want the first refusal", r.Result())
	}
}

// FuzzParse: no document panics the parser, and any tree it returns
// respects the limits.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<Tags xmlns="` + ns2020 + `"><Items><Tag><Key>k</Key></Tag></Items></Tags>`))
	f.Add([]byte(`<?xml version="1.0"?><Tags><!-- c --></Tags>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		root, err := Parse(body, ns2020, "Tags")
		if err != nil {
			if code(err) == "?" {
				t.Fatalf("error %v is not CloudFront's", err)
			}
			return
		}
		var walk func(n *Node, depth int) int
		walk = func(n *Node, depth int) int {
			if depth > MaxDepth {
				t.Fatalf("depth %d > %d", depth, MaxDepth)
			}
			count := 1
			for _, k := range n.Kids {
				count += walk(k, depth+1)
			}
			return count
		}
		if n := walk(root, 1); n > MaxElements {
			t.Fatalf("%d elements > %d", n, MaxElements)
		}
	})
}
