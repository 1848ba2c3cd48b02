// Package originaddr decides which IP addresses an edge may connect to as
// an origin. A multi-tenant CDN fetches URLs its tenants chose, so an origin
// must not be a way into the operator's own network: loopback, private
// ranges, link-local addresses and cloud metadata services.
//
// The ranges are those of the IANA IPv4 and IPv6 special-purpose address
// registries, plus the standard library's predicates; an IPv6 address that
// embeds an IPv4 one (IPv4-mapped, NAT64 well-known prefix, 6to4) is judged
// by the embedded address, so ::ffff:127.0.0.1 is loopback.
package originaddr

import (
	"fmt"
	"net/netip"
	"strings"
)

// Class is what an address is, for the policy.
type Class uint8

const (
	// Public is a globally routable unicast address.
	Public Class = iota
	// Private is loopback, unspecified, RFC 1918, carrier-grade NAT,
	// unique-local and every other non-global special-purpose range
	// (documentation, benchmarking, reserved, deprecated).
	Private
	// LinkLocal is 169.254.0.0/16, fe80::/10 and the cloud metadata
	// services (AWS fd00:ec2::254, Alibaba 100.100.100.200, Azure
	// 168.63.129.16), whatever range they sit in.
	LinkLocal
	// Unroutable is multicast and broadcast: never an origin.
	Unroutable
)

func (c Class) String() string {
	return [...]string{"public", "private", "link-local", "unroutable"}[c]
}

// metadata are instance-metadata and host-agent endpoints outside
// 169.254.0.0/16; they answer with credentials, so they are link-local
// for the policy even where their range is private or public.
var metadata = []netip.Addr{
	netip.MustParseAddr("fd00:ec2::254"),   // AWS IMDS over IPv6
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud metadata
	netip.MustParseAddr("168.63.129.16"),   // Azure WireServer
}

// private4 are the IPv4 special-purpose ranges that are not globally
// reachable (IANA IPv4 special-purpose registry) and not link-local.
var private4 = prefixes(
	"0.0.0.0/8",       // "this network"; 0.0.0.0 reaches the local host
	"10.0.0.0/8",      // RFC 1918
	"100.64.0.0/10",   // carrier-grade NAT
	"127.0.0.0/8",     // loopback
	"172.16.0.0/12",   // RFC 1918
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation (TEST-NET-1)
	"192.88.99.0/24",  // deprecated 6to4 relay anycast
	"192.168.0.0/16",  // RFC 1918
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation (TEST-NET-2)
	"203.0.113.0/24",  // documentation (TEST-NET-3)
	"240.0.0.0/4",     // reserved (class E), used inside some clouds
)

// private6 are the IPv6 ranges inside global unicast space (2000::/3)
// that are not globally reachable; everything outside 2000::/3 that is
// not handled explicitly is reserved and counts as private too.
var private6 = prefixes(
	"2001::/23",     // IETF protocol assignments: Teredo, benchmarking, ORCHID
	"2001:db8::/32", // documentation
	"3fff::/20",     // documentation (RFC 9637)
)

var global6 = netip.MustParsePrefix("2000::/3")

func prefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

func inAny(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Classify returns the class of a.
func Classify(a netip.Addr) Class {
	a = a.WithZone("")
	if !a.IsValid() {
		return Unroutable
	}
	for _, m := range metadata {
		if a == m || a.Unmap() == m {
			return LinkLocal
		}
	}
	if a.Is4In6() {
		return Classify(a.Unmap())
	}
	if a.Is4() {
		return classify4(a)
	}
	return classify6(a)
}

func classify4(a netip.Addr) Class {
	switch {
	case a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return Unroutable
	case a.IsLinkLocalUnicast():
		return LinkLocal
	case inAny(a, private4):
		return Private
	}
	return Public
}

func classify6(a netip.Addr) Class {
	b := a.As16()
	switch {
	case a.IsMulticast():
		return Unroutable
	case a.IsLinkLocalUnicast():
		return LinkLocal
	case a.IsLoopback() || a.IsUnspecified() || a.IsPrivate():
		return Private
	case b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && isZero(b[4:12]):
		// 64:ff9b::/96, the NAT64 well-known prefix: the translator
		// connects to the embedded IPv4 address.
		return Classify(netip.AddrFrom4([4]byte(b[12:16])))
	case b[0] == 0x20 && b[1] == 0x02:
		// 2002::/16, 6to4: the relay forwards to the embedded IPv4 address.
		return Classify(netip.AddrFrom4([4]byte(b[2:6])))
	case !global6.Contains(a) || inAny(a, private6):
		// Outside 2000::/3: IPv4-compatible, discard-only, local-use
		// NAT64, site-local, unique-local and the unassigned rest.
		return Private
	}
	return Public
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// Policy says which classes an edge may connect to. Public addresses are
// always allowed and unroutable ones never.
type Policy struct {
	AllowPrivate   bool // loopback, RFC 1918, unique-local, reserved ranges
	AllowLinkLocal bool // 169.254.0.0/16, fe80::/10, cloud metadata services
}

// Allow reports whether the policy lets an edge connect to a.
func (p Policy) Allow(a netip.Addr) bool {
	switch Classify(a) {
	case Public:
		return true
	case Private:
		return p.AllowPrivate
	case LinkLocal:
		return p.AllowLinkLocal
	}
	return false
}

// CheckHost refuses, before any DNS lookup, an origin host name that the
// policy refuses whatever DNS says: an IP literal in a refused range, or
// "localhost" and its subdomains (RFC 6761 keeps them on loopback). Other
// names can only be judged on the address they resolve to, when the edge
// dials. The error says why, for the tenant.
func (p Policy) CheckHost(host string) error {
	lower := strings.ToLower(host)
	h := strings.TrimSuffix(lower, ".")
	// As given first: "::%." is "::" with the zone ".", which trimming the
	// dot would turn into something that no longer parses.
	literals := []string{lower, h}
	if len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' {
		literals = append(literals, h[1:len(h)-1])
	}
	for _, literal := range literals {
		if a, err := netip.ParseAddr(literal); err == nil {
			if !p.Allow(a) {
				return fmt.Errorf("%s is a %s address", host, Classify(a))
			}
			return nil
		}
	}
	// No host name holds these; an address that does not parse is refused
	// rather than passed on to a resolver that might read it differently.
	if strings.ContainsAny(h, ":%[]") {
		return fmt.Errorf("%s is neither a host name nor an address", host)
	}
	if !p.AllowPrivate && (h == "localhost" || strings.HasSuffix(h, ".localhost")) {
		return fmt.Errorf("%s resolves to loopback", host)
	}
	return nil
}
