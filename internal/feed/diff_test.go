package feed

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

func TestChanges(t *testing.T) {
	d := func(id string) *cloudfront.Distribution { return &cloudfront.Distribution{ID: id} }
	a, b, c, e := d("A"), d("B"), d("C"), d("E")
	b2 := d("B")
	show := func(cs []Change) string {
		s := ""
		for _, ch := range cs {
			switch {
			case ch.Was == nil:
				s += "+" + ch.Now.ID
			case ch.Now == nil:
				s += "-" + ch.Was.ID
			default:
				s += "~" + ch.Now.ID
			}
		}
		return s
	}
	type list = []*cloudfront.Distribution
	tests := []struct {
		name     string
		was, now list
		want     string
		ok       bool
	}{
		{"nothing", nil, nil, "", true},
		{"the same records", list{a, b, c}, list{a, b, c}, "", true},
		{"created", list{a, c}, list{a, b, c, e}, "+B+E", true},
		{"deleted", list{a, b, c}, list{b}, "-A-C", true},
		{"updated: another record of the same id", list{a, b, c}, list{a, b2, c}, "~B", true},
		{"all at once", list{a, b, e}, list{b2, c}, "-A~B+C-E", true},
		{"now out of order", list{a, b}, list{c, a}, "", false},
		{"now repeats an id", list{a}, list{a, b, b2}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, ok := Changes(tt.was, tt.now)
			if ok != tt.ok || ok && show(cs) != tt.want {
				t.Errorf("Changes = %q, %v; want %q, %v", show(cs), ok, tt.want, tt.ok)
			}
		})
	}
}
