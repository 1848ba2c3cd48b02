package signedurl

import (
	"net/netip"
	"testing"
	"time"
)

var policyTests = []struct {
	name, json string
	want       Policy
	bad        bool
}{
	{name: "canned", json: `{"Statement":[{"Resource":"http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes","Condition":{"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`,
		want: Policy{Resource: "http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes", DateLessThan: expires}},
	{name: "custom, every condition, any order", json: `{"Statement":[{"Resource":"http://d.net/training/*",
  "Condition":{"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"},"DateGreaterThan":{"AWS:EpochTime":1356998400},"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`,
		want: Policy{Resource: "http://d.net/training/*", DateLessThan: expires, DateGreaterThan: time.Unix(1356998400, 0).UTC(), SourceIP: netip.MustParsePrefix("192.0.2.0/24")}},
	{name: "no resource", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`,
		want: Policy{DateLessThan: expires}},
	{name: "single address", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1357034400},"IpAddress":{"AWS:SourceIp":"192.0.2.7"}}}]}`,
		want: Policy{DateLessThan: expires, SourceIP: netip.MustParsePrefix("192.0.2.7/32")}},
	{name: "range with host bits is masked", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1357034400},"IpAddress":{"AWS:SourceIp":"192.0.2.7/24"}}}]}`,
		want: Policy{DateLessThan: expires, SourceIP: netip.MustParsePrefix("192.0.2.0/24")}},
	{name: "not JSON", json: `Statement`, bad: true},
	{name: "empty", json: ``, bad: true},
	{name: "no statement", json: `{"Statement":[]}`, bad: true},
	{name: "two statements", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1}}},{"Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}`, bad: true},
	{name: "no condition", json: `{"Statement":[{"Resource":"*"}]}`, bad: true},
	{name: "no DateLessThan", json: `{"Statement":[{"Condition":{"DateGreaterThan":{"AWS:EpochTime":1}}}]}`, bad: true},
	{name: "DateLessThan without epoch", json: `{"Statement":[{"Condition":{"DateLessThan":{}}}]}`, bad: true},
	{name: "epoch as a string", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":"1357034400"}}}]}`, bad: true},
	{name: "epoch with a fraction", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1.5}}}]}`, bad: true},
	{name: "epoch beyond int64", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":99999999999999999999}}}]}`, bad: true},
	{name: "DateGreaterThan without epoch", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1},"DateGreaterThan":{}}}]}`, bad: true},
	{name: "IPv6 source", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1},"IpAddress":{"AWS:SourceIp":"2001:db8::/32"}}}]}`, bad: true},
	{name: "list of sources", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1},"IpAddress":{"AWS:SourceIp":["192.0.2.0/24"]}}}]}`, bad: true},
	{name: "bad source", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1},"IpAddress":{"AWS:SourceIp":"192.0.2.0/33"}}}]}`, bad: true},
	{name: "IpAddress without source", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1},"IpAddress":{}}}]}`, bad: true},
	{name: "unknown condition", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1},"NotIpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}]}`, bad: true},
	{name: "unknown field", json: `{"Statement":[{"Effect":"Allow","Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}`, bad: true},
	{name: "empty resource", json: `{"Statement":[{"Resource":"","Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}`, bad: true},
	{name: "trailing data", json: `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}{}`, bad: true},
}

func TestParsePolicy(t *testing.T) {
	for _, tt := range policyTests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(tt.json))
			if tt.bad {
				if err == nil {
					t.Fatalf("parsed %+v, want an error", p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p != tt.want {
				t.Fatalf("got %+v\nwant %+v", p, tt.want)
			}
			// JSON gives back a policy that parses to the same thing.
			if q, err := ParsePolicy(p.JSON()); err != nil || q != p {
				t.Errorf("round trip of %s: %+v %v", p.JSON(), q, err)
			}
		})
	}
}

func TestCannedPolicyBytes(t *testing.T) {
	// The spec's example, byte for byte (§9.2).
	want := `{"Statement":[{"Resource":"http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes","Condition":{"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`
	got := cannedPolicy("http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes", "1357034400")
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	p := Policy{Resource: "http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes", DateLessThan: expires}
	if string(p.JSON()) != want {
		t.Errorf("Policy.JSON = %s", p.JSON())
	}
	// Quotes and backslashes are escaped as encoding/json does, '<' is not.
	if got := string(appendJSONString(nil, `a"b\c<d`+"\x01é")); got != `"a\"b\\c<d\u0001é"` {
		t.Errorf("appendJSONString = %s", got)
	}
}

func TestAllows(t *testing.T) {
	p := Policy{Resource: "http://d.net/training/*", DateLessThan: expires, DateGreaterThan: expires.Add(-2 * time.Hour),
		SourceIP: netip.MustParsePrefix("192.0.2.0/24")}
	tests := []struct {
		name string
		url  string
		now  time.Time
		peer netip.Addr
		want bool
	}{
		{"inside every condition", "http://d.net/training/a.mp4", arrival, viewer, true},
		{"IPv4-mapped peer", "http://d.net/training/a.mp4", arrival, netip.MustParseAddr("::ffff:192.0.2.10"), true},
		{"resource mismatch", "http://d.net/other/a.mp4", arrival, viewer, false},
		{"at DateLessThan", "http://d.net/training/a", expires, viewer, false},
		{"a nanosecond before DateLessThan", "http://d.net/training/a", expires.Add(-1), viewer, true},
		{"at DateGreaterThan", "http://d.net/training/a", expires.Add(-2 * time.Hour), viewer, false},
		{"before DateGreaterThan", "http://d.net/training/a", expires.Add(-3 * time.Hour), viewer, false},
		{"peer outside the range", "http://d.net/training/a", arrival, netip.MustParseAddr("198.51.100.1"), false},
		{"IPv6 peer", "http://d.net/training/a", arrival, netip.MustParseAddr("2001:db8::1"), false},
		{"unknown peer", "http://d.net/training/a", arrival, netip.Addr{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ok, why := p.Allows(tt.url, tt.now, tt.peer); ok != tt.want {
				t.Errorf("Allows = %v (%s)", ok, why)
			}
		})
	}
}

func TestURLSafeBase64(t *testing.T) {
	b := []byte{0xfb, 0xff, 0xfe, 0x00}
	enc := encodeURLSafe(b)
	if enc != "-~~-AA__" {
		t.Fatalf("encodeURLSafe = %q", enc)
	}
	for _, s := range []string{enc, "-~~-AA", "+//+AA==", "-~~-AA=="} {
		got, err := decodeURLSafe(s)
		if err != nil || string(got) != string(b) {
			t.Errorf("decodeURLSafe(%q) = %x, %v", s, got, err)
		}
	}
	if _, err := decodeURLSafe("a*b"); err == nil {
		t.Error("decoded a non-base64 string")
	}
}
