package cloudfront

import "strings"

// checkAliases checks each CNAME, then that none repeats (comparison
// ignores case because DNS does). An alias is a DNS name that routes
// viewers to this distribution alone, so it must name a host that its
// owner can own:
//
//   - at least two labels: a single label (localhost, an intranet name)
//     is nobody's to claim on a shared CDN;
//   - not an IP address: the last label is not numeric (a host whose last
//     label is a number is parsed as an IPv4 address by URL parsers, as in
//     127.1 or 0x7f.1);
//   - a wildcard only as a whole first label, "*." and at least two
//     labels, as CloudFront documents since 2014 (*.example.com covers
//     every name under example.com but not example.com).
//
// Names at or under DomainSuffix are CheckAliasesUnderSuffix's: the control
// plane first answers CNAMEAlreadyExists for a name a distribution holds.
func (r Rules) checkAliases(aliases []string) error {
	for i, a := range aliases {
		if err := r.checkAlias(a); err != nil {
			return err
		}
		for _, b := range aliases[:i] {
			if strings.EqualFold(a, b) {
				return Errorf(InvalidArgument, "The CNAME %q is listed more than once.", a)
			}
		}
	}
	return nil
}

// CheckAlias checks one CNAME by checkAliases's rules and
// CheckAliasesUnderSuffix's; the control plane uses it to find stored
// aliases that older rules let through.
func (r Rules) CheckAlias(a string) error {
	if err := r.checkAlias(a); err != nil {
		return err
	}
	return r.CheckAliasesUnderSuffix([]string{a})
}

// CheckAliasesUnderSuffix refuses (InvalidArgument) an alias at or under
// DomainSuffix, where the assigned dxxxxxxxxxxxxx. names live, whether a
// distribution holds that name yet or not, and a wildcard that covers
// DomainSuffix (*.example.net when the suffix is cdn.example.net).
func (r Rules) CheckAliasesUnderSuffix(aliases []string) error {
	s := strings.ToLower(r.DomainSuffix)
	if s == "" {
		return nil
	}
	for _, a := range aliases {
		lower := strings.ToLower(a)
		name, wildcard := strings.CutPrefix(lower, "*.")
		under := name == s || strings.HasSuffix(name, "."+s)
		covers := wildcard && strings.HasSuffix("."+s, "."+name)
		if under || covers {
			return Errorf(InvalidArgument, "The CNAME %q is under %s, where distributions' own domain names are assigned.", a, s)
		}
	}
	return nil
}

func (r Rules) checkAlias(a string) error {
	name, _ := strings.CutPrefix(a, "*.")
	if !validHostname(name) {
		return Errorf(InvalidArgument, "The CNAME %q is not a valid domain name.", a)
	}
	last := name[strings.LastIndexByte(name, '.')+1:]
	switch {
	case !strings.Contains(name, "."):
		return Errorf(InvalidArgument, "The CNAME %q is a single-label name; a CNAME must be a fully qualified domain name such as www.example.com.", a)
	case numericLabel(last):
		return Errorf(InvalidArgument, "The CNAME %q is an IP address; a CNAME must be a domain name.", a)
	}
	return nil
}

// numericLabel reports whether a URL parser would read the label as a
// number (decimal, or 0x hexadecimal), which makes the host an IPv4
// address (WHATWG URL, "ends in a number").
func numericLabel(l string) bool {
	if h, ok := strings.CutPrefix(strings.ToLower(l), "0x"); ok {
		for i := 0; i < len(h); i++ {
			if !isHex(h[i]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(l); i++ {
		if l[i] < '0' || l[i] > '9' {
			return false
		}
	}
	return l != ""
}
