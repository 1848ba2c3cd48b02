package edge

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// TestHostMapPrecedence: an assigned DomainName routes to its owner even
// when a store holds another distribution listing it as an alias (issue
// 6 item 1: the alias used to win whenever its owner's id sorted later);
// exact names beat wildcards, and the nearest wildcard wins. Both
// snapshot orders give the same map.
func TestHostMapPrecedence(t *testing.T) {
	o := newOrigin(t, text("x"))
	owner := distribution(o.Server)
	owner.ID, owner.DomainName = "EAAAAAAAAAAAAA", "downer.cloudfront.test"
	thief := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.Aliases = []string{"downer.cloudfront.test", "*.example.com", "www.shop.example.com"}
	})
	thief.ID, thief.DomainName = "EZZZZZZZZZZZZZ", "dthief.cloudfront.test"
	shop := distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.Aliases = []string{"*.shop.example.com"}
	})
	shop.ID, shop.DomainName = "EMMMMMMMMMMMMM", "dshop.cloudfront.test"

	cases := []struct{ host, want string }{
		{"downer.cloudfront.test", owner.ID},
		{"DOWNER.cloudfront.test:8081", owner.ID},
		{"dthief.cloudfront.test", thief.ID},
		{"www.example.com", thief.ID},
		{"a.b.example.com", thief.ID},
		{"x.shop.example.com", shop.ID},
		{"X.Shop.Example.com.", shop.ID},
		{"www.shop.example.com", thief.ID},
		{"example.com", ""},
		{"shop.example.com", thief.ID},
		{"example.org", ""},
	}
	for _, order := range [][]cloudfront.Distribution{{owner, shop, thief}, {thief, shop, owner}} {
		e := newEdge(t, Options{}, order...)
		c := e.snap.Load()
		for _, tc := range cases {
			got := ""
			if d := c.lookup(tc.host); d != nil {
				got = d.id
			}
			if got != tc.want {
				t.Errorf("order %s…: lookup(%q) = %q, want %q", order[0].ID, tc.host, got, tc.want)
			}
		}
		if n := testing.AllocsPerRun(100, func() { c.lookup("a.b.shop.example.com") }); n != 0 {
			t.Errorf("a wildcard lookup allocates %v times", n)
		}
	}
}
