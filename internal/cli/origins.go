package cli

import (
	"flag"

	"github.com/openfront/openfront/internal/originaddr"
)

// originFlags say which origin addresses are allowed. The defaults differ
// by command: serve is the single-user quick start and allows loopback and
// private origins; api and edge serve tenants and refuse them. No command
// allows link-local addresses (cloud metadata services) by default.
type originFlags struct {
	allowPrivate   bool
	allowLinkLocal bool
}

func (f *originFlags) register(fs *flag.FlagSet, allowPrivate bool) {
	fs.BoolVar(&f.allowPrivate, "allow-private-origins", allowPrivate,
		"allow origins on loopback, private (RFC 1918, unique-local, carrier-grade NAT) and reserved addresses")
	fs.BoolVar(&f.allowLinkLocal, "allow-link-local-origins", false,
		"allow origins on link-local addresses and cloud metadata services (169.254.0.0/16, fe80::/10, fd00:ec2::254)")
}

func (f *originFlags) policy() *originaddr.Policy {
	return &originaddr.Policy{AllowPrivate: f.allowPrivate, AllowLinkLocal: f.allowLinkLocal}
}
