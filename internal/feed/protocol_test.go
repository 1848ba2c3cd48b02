package feed

import (
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

var authTests = []struct {
	in            string
	keyID, secret string
	err           bool
}{
	{"Edge shared:s3cret", "shared", "s3cret", false},
	{"edge EK123:abc:def", "EK123", "abc:def", false},
	{"EDGE  k:s", "k", "s", false},
	{"Edge :secret", "", "", true},
	{"Edge key:", "", "", true},
	{"Edge keyonly", "", "", true},
	{"Bearer shared:s3cret", "", "", true},
	{"Edge", "", "", true},
	{"", "", "", true},
}

func TestParseAuthorization(t *testing.T) {
	for _, tt := range authTests {
		t.Run(tt.in, func(t *testing.T) {
			k, s, err := ParseAuthorization(tt.in)
			if (err != nil) != tt.err || k != tt.keyID || s != tt.secret {
				t.Errorf("ParseAuthorization(%q) = %q, %q, %v", tt.in, k, s, err)
			}
		})
	}
}

func FuzzParseAuthorization(f *testing.F) {
	for _, tt := range authTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, h string) {
		k, s, err := ParseAuthorization(h)
		if err != nil {
			return
		}
		if k == "" || s == "" || strings.Contains(k, ":") {
			t.Errorf("ParseAuthorization(%q) = %q, %q", h, k, s)
		}
	})
}

var registerTests = []struct {
	name string
	body string
	want RegisterRequest
	err  bool
}{
	{"minimal", `{"ID":"edge-1","PriceClass":"100"}`,
		RegisterRequest{ID: "edge-1", PriceClass: cloudfront.PriceClass100}, false},
	{"full", `{"ProtocolVersion":1,"ID":"fra.1","Name":"Frankfurt 1","PriceClass":"PriceClass_All","Revision":42}`,
		RegisterRequest{ProtocolVersion: 1, ID: "fra.1", Name: "Frankfurt 1", PriceClass: cloudfront.PriceClassAll, Revision: 42}, false},
	{"unknown fields ignored", `{"ID":"e","PriceClass":"200","Future":true}`,
		RegisterRequest{ID: "e", PriceClass: cloudfront.PriceClass200}, false},
	{"no id", `{"PriceClass":"100"}`, RegisterRequest{}, true},
	{"bad id", `{"ID":"a/b","PriceClass":"100"}`, RegisterRequest{}, true},
	{"long id", `{"ID":"` + strings.Repeat("a", 129) + `","PriceClass":"100"}`, RegisterRequest{}, true},
	{"bad class", `{"ID":"e","PriceClass":"50"}`, RegisterRequest{}, true},
	{"no class", `{"ID":"e"}`, RegisterRequest{}, true},
	{"control in name", `{"ID":"e","Name":"a\nb","PriceClass":"100"}`, RegisterRequest{}, true},
	{"negative revision", `{"ID":"e","PriceClass":"100","Revision":-1}`, RegisterRequest{}, true},
	{"trailing data", `{"ID":"e","PriceClass":"100"}{}`, RegisterRequest{}, true},
	{"not JSON", `ID=e`, RegisterRequest{}, true},
	{"empty", ``, RegisterRequest{}, true},
	{"wrong type", `{"ID":1,"PriceClass":"100"}`, RegisterRequest{}, true},
}

func TestDecodeRegister(t *testing.T) {
	for _, tt := range registerTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeRegister([]byte(tt.body))
			if (err != nil) != tt.err {
				t.Fatalf("error = %v, want error %v", err, tt.err)
			}
			if err == nil && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzDecodeRegister(f *testing.F) {
	for _, tt := range registerTests {
		f.Add([]byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeRegister(body)
		if err != nil {
			return
		}
		if validEdgeID(req.ID) != nil || req.Revision < 0 {
			t.Errorf("accepted %+v", req)
		}
		if _, err := NormalizeEdgePriceClass(req.PriceClass); err != nil {
			t.Errorf("accepted price class %q", req.PriceClass)
		}
	})
}

var ackTests = []struct {
	name string
	body string
	want AckRequest
	err  bool
}{
	{"ack", `{"Edge":"e1","Revision":7}`, AckRequest{Edge: "e1", Revision: 7}, false},
	{"heartbeat", `{"Edge":"e1"}`, AckRequest{Edge: "e1"}, false},
	{"no edge", `{"Revision":7}`, AckRequest{}, true},
	{"negative", `{"Edge":"e1","Revision":-7}`, AckRequest{}, true},
	{"float", `{"Edge":"e1","Revision":1.5}`, AckRequest{}, true},
	{"huge", `{"Edge":"e1","Revision":99999999999999999999}`, AckRequest{}, true},
	{"array", `[]`, AckRequest{}, true},
}

func TestDecodeAck(t *testing.T) {
	for _, tt := range ackTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeAck([]byte(tt.body))
			if (err != nil) != tt.err {
				t.Fatalf("error = %v, want error %v", err, tt.err)
			}
			if err == nil && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzDecodeAck(f *testing.F) {
	for _, tt := range ackTests {
		f.Add([]byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeAck(body)
		if err == nil && (validEdgeID(req.Edge) != nil || req.Revision < 0) {
			t.Errorf("accepted %+v", req)
		}
	})
}
