package originaddr

import (
	"net/netip"
	"testing"
)

// FuzzCheckHost feeds tenant-chosen origin host names and addresses: no
// panic, and the answers agree with each other: an address the policy
// refuses is refused as a literal, an IPv4 address and its IPv4-mapped and
// NAT64 forms are one class, and nothing unroutable is ever allowed.
func FuzzCheckHost(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::",
		"fe80::1%eth0", "localhost", "a.localhost.", "[fd00:ec2::254]", "origin.example.com", "0.0.0.0", ""} {
		f.Add(s, false, false)
	}
	f.Fuzz(func(t *testing.T, host string, allowPrivate, allowLinkLocal bool) {
		p := Policy{AllowPrivate: allowPrivate, AllowLinkLocal: allowLinkLocal}
		err := p.CheckHost(host)
		a, perr := netip.ParseAddr(host)
		if perr != nil {
			return
		}
		if (err == nil) != p.Allow(a) {
			t.Fatalf("CheckHost(%q) = %v but Allow = %t", host, err, p.Allow(a))
		}
		c := Classify(a)
		if c == Unroutable && p.Allow(a) {
			t.Fatalf("%s is unroutable but allowed", a)
		}
		if a.Is4() {
			b := a.As4()
			mapped := netip.AddrFrom16(a.As16())
			nat64 := netip.AddrFrom16([16]byte{0, 0x64, 0xff, 0x9b, 12: b[0], 13: b[1], 14: b[2], 15: b[3]})
			if Classify(mapped) != c || Classify(nat64) != c {
				t.Fatalf("%s is %v, mapped %v, NAT64 %v", a, c, Classify(mapped), Classify(nat64))
			}
		}
	})
}
