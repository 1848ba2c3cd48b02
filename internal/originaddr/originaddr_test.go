package originaddr

import (
	"net/netip"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		addr string
		want Class
	}{
		// Public.
		{"93.184.215.14", Public},
		{"8.8.8.8", Public},
		{"100.63.255.255", Public}, // just below CGNAT
		{"100.128.0.0", Public},    // just above CGNAT
		{"172.32.0.1", Public},     // just above 172.16/12
		{"2606:4700::1111", Public},
		{"64:ff9b::808:808", Public},     // NAT64 of 8.8.8.8
		{"2002:808:808::1", Public},      // 6to4 of 8.8.8.8
		{"::ffff:93.184.215.14", Public}, // IPv4-mapped public

		// Loopback, unspecified, "this network".
		{"127.0.0.1", Private},
		{"127.255.255.254", Private},
		{"0.0.0.0", Private},
		{"0.1.2.3", Private},
		{"::1", Private},
		{"::", Private},
		// RFC 1918, CGNAT, unique-local.
		{"10.0.0.1", Private},
		{"172.16.0.1", Private},
		{"172.31.255.255", Private},
		{"192.168.1.1", Private},
		{"100.64.0.1", Private},
		{"100.127.255.255", Private},
		{"fc00::1", Private},
		{"fd12:3456::1", Private},
		// Special-purpose and reserved ranges.
		{"192.0.0.8", Private},      // IETF protocol assignments
		{"192.0.2.10", Private},     // TEST-NET-1
		{"198.51.100.7", Private},   // TEST-NET-2
		{"203.0.113.9", Private},    // TEST-NET-3
		{"198.18.0.1", Private},     // benchmarking
		{"198.19.255.255", Private}, // benchmarking, last
		{"192.88.99.1", Private},    // 6to4 relay anycast
		{"240.0.0.1", Private},      // class E
		{"2001:db8::1", Private},    // documentation
		{"3fff::1", Private},        // documentation (RFC 9637)
		{"2001::1", Private},        // Teredo
		{"2001:2::1", Private},      // benchmarking
		{"100::1", Private},         // discard-only
		{"64:ff9b:1::1", Private},   // local-use NAT64
		{"fec0::1", Private},        // deprecated site-local
		{"::7f00:1", Private},       // IPv4-compatible ::127.0.0.1
		{"4000::1", Private},        // outside 2000::/3
		// IPv4 inside IPv6.
		{"::ffff:127.0.0.1", Private},
		{"::ffff:10.1.2.3", Private},
		{"64:ff9b::7f00:1", Private},      // NAT64 of 127.0.0.1
		{"64:ff9b::a00:1", Private},       // NAT64 of 10.0.0.1
		{"2002:7f00:1::1", Private},       // 6to4 of 127.0.0.1
		{"2002:c0a8:101::", Private},      // 6to4 of 192.168.1.1
		{"64:ff9b::a9fe:a9fe", LinkLocal}, // NAT64 of 169.254.169.254
		{"::ffff:169.254.169.254", LinkLocal},
		{"2002:a9fe:a9fe::1", LinkLocal}, // 6to4 of 169.254.169.254

		// Link-local and metadata.
		{"169.254.169.254", LinkLocal},
		{"169.254.0.1", LinkLocal},
		{"fe80::1", LinkLocal},
		{"fe80::1%eth0", LinkLocal},
		{"fd00:ec2::254", LinkLocal},
		{"100.100.100.200", LinkLocal},
		{"168.63.129.16", LinkLocal},

		// Multicast and broadcast.
		{"224.0.0.1", Unroutable},
		{"239.255.255.250", Unroutable},
		{"255.255.255.255", Unroutable},
		{"ff02::1", Unroutable},
		{"ff0e::1", Unroutable},
		{"::ffff:224.0.0.1", Unroutable},
	}
	for _, c := range cases {
		a := netip.MustParseAddr(c.addr)
		if got := Classify(a); got != c.want {
			t.Errorf("Classify(%s) = %v, want %v", c.addr, got, c.want)
		}
	}
}

func TestPolicyAllow(t *testing.T) {
	addrs := map[Class]string{Public: "8.8.8.8", Private: "127.0.0.1", LinkLocal: "169.254.169.254", Unroutable: "224.0.0.1"}
	cases := []struct {
		name string
		p    Policy
		want map[Class]bool
	}{
		{"multi-tenant", Policy{}, map[Class]bool{Public: true}},
		{"quick start", Policy{AllowPrivate: true}, map[Class]bool{Public: true, Private: true}},
		{"link-local only", Policy{AllowLinkLocal: true}, map[Class]bool{Public: true, LinkLocal: true}},
		{"everything", Policy{AllowPrivate: true, AllowLinkLocal: true}, map[Class]bool{Public: true, Private: true, LinkLocal: true}},
	}
	for _, c := range cases {
		for class, s := range addrs {
			if got := c.p.Allow(netip.MustParseAddr(s)); got != c.want[class] {
				t.Errorf("%s: Allow(%s) = %t, want %t", c.name, s, got, c.want[class])
			}
		}
	}
}

func TestPolicyCheckHost(t *testing.T) {
	cases := []struct {
		host  string
		p     Policy
		error string // "" for allowed
	}{
		{"origin.example.com", Policy{}, ""},
		{"93.184.215.14", Policy{}, ""},
		{"127.0.0.1", Policy{}, "private"},
		{"127.0.0.1", Policy{AllowPrivate: true}, ""},
		{"localhost", Policy{}, "loopback"},
		{"LOCALHOST.", Policy{}, "loopback"},
		{"www.example.localhost", Policy{}, "loopback"},
		{"www.example.localhost", Policy{AllowPrivate: true}, ""},
		{"169.254.169.254", Policy{AllowPrivate: true}, "link-local"},
		{"169.254.169.254", Policy{AllowLinkLocal: true}, ""},
		{"[fd00:ec2::254]", Policy{AllowPrivate: true}, "link-local"},
		{"224.0.0.1", Policy{AllowPrivate: true, AllowLinkLocal: true}, "unroutable"},
		{"notlocalhost", Policy{}, ""},
	}
	for _, c := range cases {
		err := c.p.CheckHost(c.host)
		switch {
		case c.error == "" && err != nil:
			t.Errorf("CheckHost(%q, %+v) = %v, want nil", c.host, c.p, err)
		case c.error != "" && (err == nil || !strings.Contains(err.Error(), c.error)):
			t.Errorf("CheckHost(%q, %+v) = %v, want an error about %q", c.host, c.p, err, c.error)
		}
	}
}
