package cloudfront

import (
	"fmt"
	"net"
	"strings"
	"testing"
)

// aliasNames returns n distinct valid CNAMEs.
func aliasNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("a%d.example.com", i)
	}
	return out
}

// TestAliasesCannotClaimSharedNames: the CNAMEs a tenant may not claim on a
// shared CDN (security review, issue 6 item 1), and the ones it may.
// Wildcards follow CloudFront's alternate-domain-name rules (developer
// guide, "Using wildcards in alternate domain names": the * must be the
// whole first label; *.example.com does not cover example.com).
func TestAliasesCannotClaimSharedNames(t *testing.T) {
	rules := DefaultRules()
	rules.DomainSuffix = "cdn.example.net"
	cases := []struct {
		alias string
		want  Code
	}{
		// Valid.
		{"www.example.com", ""},
		{"www.example.localhost", ""}, // the README's quick start
		{"WWW.Example.COM", ""},
		{"*.example.com", ""},
		{"*.www.example.com", ""},
		{"cdn.example.net.evil.com", ""},
		{"example.net", ""},      // the suffix's parent, exactly: no d-name is example.net
		{"xcdn.example.net", ""}, // not under the suffix, just alike
		{"a1.example.com", ""},   // digits in a label
		{"www.example.c0m", ""},  // a last label with a digit is not a number
		{"123.example.com", ""},  // only the last label makes an IPv4 address
		// Single labels.
		{"localhost", InvalidArgument},
		{"intranet", InvalidArgument},
		{"*.localhost", InvalidArgument},
		{"*.com", InvalidArgument},
		// IP literals.
		{"127.0.0.1", InvalidArgument},
		{"10.1.2.3", InvalidArgument},
		{"127.1", InvalidArgument},
		{"0x7f.1", InvalidArgument},
		{"www.0x7f", InvalidArgument},
		{"::1", InvalidArgument},
		{"[::1]", InvalidArgument},
		// The assigned domain names' suffix.
		{"cdn.example.net", InvalidArgument},
		{"d111111abcdef8.cdn.example.net", InvalidArgument},
		{"D111111ABCDEF8.CDN.Example.NET", InvalidArgument},
		{"x.y.cdn.example.net", InvalidArgument},
		{"*.cdn.example.net", InvalidArgument},
		{"*.example.net", InvalidArgument}, // would cover every d-name
		// Wildcards elsewhere.
		{"www.*.example.com", InvalidArgument},
		{"*example.com", InvalidArgument},
		{"*", InvalidArgument},
		{"*.*.example.com", InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.alias, func(t *testing.T) {
			// What the control plane runs: validation, then (after the
			// database check for held names) the suffix.
			c := seedDistributionConfig()
			c.Aliases = []string{tc.alias}
			err := rules.ValidateDistributionConfig(c)
			if err == nil {
				err = rules.CheckAliasesUnderSuffix(c.Aliases)
			}
			if got := validationCode(t, err); got != tc.want {
				t.Errorf("distribution: %q: code %q, want %q", tc.alias, got, tc.want)
			}
			s := testStreamingConfig()
			s.Aliases = []string{tc.alias}
			err = rules.ValidateStreamingDistributionConfig(s)
			if err == nil {
				err = rules.CheckAliasesUnderSuffix(s.Aliases)
			}
			if got := validationCode(t, err); got != tc.want {
				t.Errorf("streaming distribution: %q: code %q, want %q", tc.alias, got, tc.want)
			}
			if got := validationCode(t, rules.CheckAlias(tc.alias)); got != tc.want {
				t.Errorf("CheckAlias(%q): code %q, want %q", tc.alias, got, tc.want)
			}
		})
	}
}

// FuzzCheckAlias: CheckAlias never panics, answers nil or InvalidArgument,
// and what it accepts holds the invariants the edge relies on: no IP
// address (checked with net.ParseIP and a numeric last label), at least two
// labels, '*' only as "*." in front, nothing at or under the suffix.
func FuzzCheckAlias(f *testing.F) {
	for _, s := range []string{"www.example.com", "*.example.com", "localhost", "127.0.0.1", "0x7f.1", "d1.cdn.example.net",
		"*.cdn.example.net", "*.example.net", "[::1]", "a..b", "", "*", "www.example.localhost"} {
		f.Add(s)
	}
	r := DefaultRules()
	r.DomainSuffix = "cdn.example.net"
	f.Fuzz(func(t *testing.T, alias string) {
		err := r.CheckAlias(alias)
		checkValidationError(t, err)
		if err != nil {
			if err.(*Error).Code != InvalidArgument {
				t.Fatalf("CheckAlias(%q) = %v, want InvalidArgument", alias, err)
			}
			return
		}
		name := strings.TrimPrefix(strings.ToLower(alias), "*.")
		last := name[strings.LastIndexByte(name, '.')+1:]
		switch {
		case net.ParseIP(alias) != nil, numericLabel(last):
			t.Fatalf("accepted IP literal %q", alias)
		case !strings.Contains(name, "."):
			t.Fatalf("accepted single label %q", alias)
		case strings.Contains(name, "*"):
			t.Fatalf("accepted a '*' outside the first label: %q", alias)
		case name == "cdn.example.net", strings.HasSuffix(name, ".cdn.example.net"), name == "example.net" && strings.HasPrefix(alias, "*."):
			t.Fatalf("accepted %q under the suffix", alias)
		}
	})
}
