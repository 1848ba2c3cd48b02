package v20200531

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// The tests every config codec of its own kind (cache, origin request and
// response headers policies, origin access controls, public keys, key
// groups, and the function and key value store request bodies) shares.
// Each kind's test file declares its codecCase (and, for a policy kind,
// its policyCase) and keeps its tests under their own names, calling
// these with its own tables.

// codecCase is a config codec under test and its golden files:
// testdata/<file>-full.request.xml (every member, in alphabetical order,
// as aws-sdk-go-v2 sends them) and <file>-minimal.request.xml (model
// order, the required members only), each encoded to
// <file>-full.config.xml and <file>-minimal.config.xml.
type codecCase[C any] struct {
	file    string // the testdata name: cachepolicy, …
	root    string // the config document's root: CachePolicyConfig, …
	decode  func([]byte) (C, error)
	encode  func(C) []byte
	full    func() C // what the full request says
	minimal func() C // what the minimal request says

	validate func(*C) error // when not nil, both golden requests must pass it
}

// requests returns the minimal and the full golden request.
func (cc codecCase[C]) requests(t testing.TB) (min, full string) {
	t.Helper()
	return string(read(t, cc.file+"-minimal.request.xml")), string(read(t, cc.file+"-full.request.xml"))
}

// checkRoundTrip: c encodes to a document that decodes to exactly c
// (reflect.DeepEqual, so that nil and empty lists and parts differ) and
// encodes back to the same bytes; it returns the document.
func (cc codecCase[C]) checkRoundTrip(t *testing.T, c C) []byte {
	t.Helper()
	out := cc.encode(c)
	again, err := cc.decode(out)
	if err != nil {
		t.Fatalf("the encoded config does not decode: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(c, again) {
		t.Fatalf("round trip changed the config:\n%#v\n%#v\n%s", c, again, out)
	}
	if out2 := cc.encode(again); !bytes.Equal(out, out2) {
		t.Fatalf("round trip changed the document:\n%s\n%s", out, out2)
	}
	return out
}

// testGoldenConfigs decodes each golden request, checks the value, and
// encodes it in model order (the golden config), which round-trips.
func (cc codecCase[C]) testGoldenConfigs(t *testing.T) {
	for _, g := range []struct {
		name string
		want C
	}{{"full", cc.full()}, {"minimal", cc.minimal()}} {
		name, want := g.name, g.want
		t.Run(name, func(t *testing.T) {
			c, err := cc.decode(read(t, cc.file+"-"+name+".request.xml"))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, want) {
				t.Fatalf("decoded\n%#v\nwant\n%#v", c, want)
			}
			if cc.validate != nil {
				if err := cc.validate(&c); err != nil {
					t.Fatalf("golden request is not valid: %v", err)
				}
			}
			golden(t, cc.file+"-"+name+".config.xml", cc.checkRoundTrip(t, c))
		})
	}
}

// testMemberOrder: the full request has its members in alphabetical order
// at every level (aws-sdk-go-v2's), and it and the model-order document
// (the encoder's, as the JS SDK sends it) decode to the same config. It
// returns the request's root.
func (cc codecCase[C]) testMemberOrder(t *testing.T) *xmlwire.Node {
	t.Helper()
	alpha := read(t, cc.file+"-full.request.xml")
	root, err := xmlwire.Parse(alpha, Namespace, cc.root)
	if err != nil {
		t.Fatal(err)
	}
	var sorted func(n *xmlwire.Node)
	sorted = func(n *xmlwire.Node) {
		var names []string
		for _, k := range n.Kids {
			if n.Name != "Items" {
				names = append(names, k.Name)
			}
			sorted(k)
		}
		if !slices.IsSorted(names) {
			t.Fatalf("%s: members %v are not in alphabetical order", n.Path, names)
		}
	}
	sorted(root)
	model := cc.encode(cc.full())
	if bytes.Equal(alpha, model) {
		t.Fatal("the two documents are the same")
	}
	a, err := cc.decode(alpha)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cc.decode(model)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, m) {
		t.Fatalf("alphabetical\n%#v\nmodel order\n%#v", a, m)
	}
	return root
}

// testRoundTrip runs checkRoundTrip on each config, one subtest each.
func (cc codecCase[C]) testRoundTrip(t *testing.T, cases map[string]C) {
	for name, c := range cases {
		t.Run(name, func(t *testing.T) { cc.checkRoundTrip(t, c) })
	}
}

// acceptedBody is a document that must decode, and what it must decode
// to.
type acceptedBody[C any] struct {
	body  string
	check func(c C) bool
}

// testAccepted decodes each accepted body and checks the result.
func (cc codecCase[C]) testAccepted(t *testing.T, cases map[string]acceptedBody[C]) {
	for name, tt := range cases {
		c, err := cc.decode([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !tt.check(c) {
			t.Errorf("%s: decoded %#v", name, c)
		}
	}
}

// badBody is a document that must not decode, and the code it gets.
type badBody struct {
	name string
	body string
	want cloudfront.Code
}

// testBad decodes each bad body, one subtest each, and checks its code.
func (cc codecCase[C]) testBad(t *testing.T, cases []badBody) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cc.decode([]byte(tt.body))
			var e *cloudfront.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *cloudfront.Error %s", err, err, tt.want)
			}
			if e.Code != tt.want {
				t.Fatalf("code %s (%s), want %s", e.Code, e.Message, tt.want)
			}
		})
	}
}

// fuzz: seeded with every golden body, no input panics or gets anything
// but a CloudFront 4xx error, and a config that decodes survives encode
// and decode unchanged.
func (cc codecCase[C]) fuzz(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := cc.decode(body)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		out := cc.encode(c)
		again, err := cc.decode(out)
		if err != nil {
			t.Fatalf("encoded config does not decode: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("round trip changed the config:\n%#v\n%#v", c, again)
		}
		if !bytes.Equal(out, cc.encode(again)) {
			t.Fatal("round trip changed the document")
		}
	})
}

// policyCase adds, for a policy kind, its <X> document and <XList>, from
// a managed and a custom policy: testdata/<file>.response.xml (the
// custom one) and <file>-list.response.xml (both).
type policyCase[P, C any] struct {
	codecCase[C]
	policy       string // X: CachePolicy, …
	encodePolicy func(P) []byte
	encodeList   func(cloudfront.ListPage, []P) []byte
	policies     func() (managed, custom P)
}

func (pc policyCase[P, C]) testGoldenPolicy(t *testing.T) {
	_, custom := pc.policies()
	golden(t, pc.file+".response.xml", pc.encodePolicy(custom))
}

func (pc policyCase[P, C]) testGoldenList(t *testing.T) {
	managed, custom := pc.policies()
	golden(t, pc.file+"-list.response.xml", pc.encodeList(cloudfront.ListPage{MaxItems: 100}, []P{managed, custom}))

	// A truncated page carries NextMarker first; an empty one no Items.
	list := pc.policy + "List"
	page := string(pc.encodeList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true}, []P{custom}))
	if !strings.Contains(page, `<`+list+` xmlns="`+Namespace+`"><NextMarker>b</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items><`+pc.policy+`Summary><Type>custom</Type><`+pc.policy+`><Id>`) {
		t.Errorf("truncated page: %s", page)
	}
	empty := string(pc.encodeList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<` + list + ` xmlns="` + Namespace + `"><MaxItems>100</MaxItems><Quantity>0</Quantity></` + list + `>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
}

func emptyNotNil(s []string) bool { return s != nil && len(s) == 0 }
