package signedurl

import "testing"

var queryTests = []struct {
	name, raw string
	want      Params
	rest      string
}{
	{"empty", "", Params{}, ""},
	{"no signed parameters", "a=1&b=2", Params{}, "a=1&b=2"},
	{"canned at the end", "size=large&Expires=1357034400&Signature=abc~_-&Key-Pair-Id=APKA",
		Params{Expires: "1357034400", Signature: "abc~_-", KeyPairID: "APKA"}, "size=large"},
	{"custom alone", "Policy=eyJ9&Signature=s&Key-Pair-Id=K", Params{Policy: "eyJ9", Signature: "s", KeyPairID: "K"}, ""},
	{"viewer parameter after Key-Pair-Id", "a=1&Expires=5&Signature=s&Key-Pair-Id=K&b=2",
		Params{Expires: "5", Signature: "s", KeyPairID: "K"}, "a=1&b=2"},
	{"signed parameters first", "Key-Pair-Id=K&Signature=s&Expires=5&a=1", Params{Expires: "5", Signature: "s", KeyPairID: "K"}, "a=1"},
	{"first value wins, all removed", "Key-Pair-Id=A&x&Key-Pair-Id=B", Params{KeyPairID: "A"}, "x"},
	{"empty value counts as absent", "Key-Pair-Id=&Key-Pair-Id=B", Params{KeyPairID: "B"}, ""},
	{"names are case-sensitive", "key-pair-id=K&EXPIRES=1", Params{}, "key-pair-id=K&EXPIRES=1"},
	{"percent-decoded, + kept", "Signature=a%7Eb+c&Key-Pair-Id=K", Params{Signature: "a~b+c", KeyPairID: "K"}, ""},
	{"bad escape kept as sent", "Signature=a%zz", Params{Signature: "a%zz"}, ""},
	{"name without value", "Key-Pair-Id&a", Params{}, "a"},
	{"empty parts kept", "a=1&&Expires=1", Params{Expires: "1"}, "a=1&"},
	{"Hash-Algorithm removed", "a=1&Expires=1&Signature=s&Key-Pair-Id=K&Hash-Algorithm=SHA256", Params{Expires: "1", Signature: "s", KeyPairID: "K", HashAlgorithm: "SHA256"}, "a=1"},
	{"Hash-Algorithm alone", "Hash-Algorithm=SHA1&b", Params{HashAlgorithm: "SHA1"}, "b"},
}

func TestParseQuery(t *testing.T) {
	for _, tt := range queryTests {
		t.Run(tt.name, func(t *testing.T) {
			p, rest := ParseQuery(tt.raw)
			if p != tt.want || rest != tt.rest {
				t.Errorf("ParseQuery(%q) = %+v, %q; want %+v, %q", tt.raw, p, rest, tt.want, tt.rest)
			}
		})
	}
}

func TestSignedURL(t *testing.T) {
	tests := []struct{ scheme, host, path, rest, want string }{
		{"http", "d111111abcdef8.cloudfront.net", "/horizon.jpg", "size=large&license=yes",
			"http://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes"},
		{"https", "cdn.example.com:8443", "/a%20b", "", "https://cdn.example.com:8443/a%20b"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := SignedURL(tt.scheme, tt.host, tt.path, tt.rest); got != tt.want {
				t.Errorf("got %q", got)
			}
		})
	}
}
