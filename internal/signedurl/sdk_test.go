package signedurl

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"
)

// The AWS SDK's signer is the independent peer: what it signs must
// verify, and SignCanned must write the same bytes.

func TestSDKCanned(t *testing.T) {
	v := NewVerifier(testPairs(t), nil)
	sdk := sign.NewURLSigner("APKAOWNER", key(t, 0))
	for _, u := range []string{
		base,
		"http://d111111abcdef8.cloudfront.net/horizon.jpg",
		"https://cdn.example.com/a/b%20c.mp4?v=2&w",
		"http://d111111abcdef8.cloudfront.net/",
	} {
		t.Run(u, func(t *testing.T) {
			theirs, err := sdk.Sign(u, expires)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := SignCanned(u, expires, "APKAOWNER", key(t, 0))
			if err != nil {
				t.Fatal(err)
			}
			if ours != theirs {
				t.Errorf("SignCanned\n%s\nSDK\n%s", ours, theirs)
			}
			if err := v.Verify(requestFor(t, theirs), []string{owner}); err != nil {
				t.Errorf("SDK's URL refused: %v", err)
			}
			q := requestFor(t, theirs)
			q.Time = expires
			if err := v.Verify(q, []string{owner}); !errors.Is(err, AccessDenied) {
				t.Errorf("at expiry: %v", err)
			}
		})
	}
}

func TestSDKCustom(t *testing.T) {
	v := NewVerifier(testPairs(t), nil)
	sdk := sign.NewURLSigner("APKAOWNER", key(t, 0))
	window := func(resource, ip string) *sign.Policy {
		c := sign.Condition{
			DateLessThan:    sign.NewAWSEpochTime(expires),
			DateGreaterThan: sign.NewAWSEpochTime(arrival.Add(-time.Minute)),
		}
		if ip != "" {
			c.IPAddress = &sign.IPAddress{SourceIP: ip}
		}
		return &sign.Policy{Statements: []sign.Statement{{Resource: resource, Condition: c}}}
	}
	tests := []struct {
		name   string
		url    string
		policy *sign.Policy
		edit   func(*Request)
		want   Code
	}{
		{"exact resource", base, window(base, ""), nil, ""},
		{"wildcard path", "http://d111111abcdef8.cloudfront.net/training/intro.mp4", window("http://d111111abcdef8.cloudfront.net/training/*", ""), nil, ""},
		{"wildcard scheme and host", "https://cdn.example.com/x.jpg?size=1", window("http*://*/x.jpg?size=?", ""), nil, ""},
		{"wildcard mismatch", "http://d111111abcdef8.cloudfront.net/private/intro.mp4", window("http://d111111abcdef8.cloudfront.net/training/*", ""), nil, AccessDenied},
		{"IP range", base, window(base, "192.0.2.0/24"), nil, ""},
		{"single IP", base, window(base, "192.0.2.10/32"), nil, ""},
		{"IP outside", base, window(base, "192.0.2.10/32"), func(q *Request) { q.Peer = netip.MustParseAddr("192.0.2.11") }, AccessDenied},
		{"not yet valid", base, window(base, ""), func(q *Request) { q.Time = arrival.Add(-2 * time.Minute) }, AccessDenied},
		{"expired", base, window(base, ""), func(q *Request) { q.Time = expires.Add(time.Second) }, AccessDenied},
		{"no DateLessThan", base, &sign.Policy{Statements: []sign.Statement{{Resource: base}}}, nil, MalformedPolicy},
		{"two statements", base, &sign.Policy{Statements: []sign.Statement{window(base, "").Statements[0], window(base, "").Statements[0]}}, nil, MalformedPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed, err := sdk.SignWithPolicy(tt.url, tt.policy)
			if err != nil {
				t.Fatal(err)
			}
			q := requestFor(t, signed)
			if tt.edit != nil {
				tt.edit(&q)
			}
			err = v.Verify(q, []string{owner})
			if tt.want == "" && err != nil || tt.want != "" && !errors.Is(err, tt.want) {
				t.Fatalf("%s: got %v, want %q", signed, err, tt.want)
			}
			if tt.want == MalformedPolicy {
				return
			}
			// Our encoding of the parsed policy is the SDK's, byte for byte,
			// and so is the URL SignCustom builds.
			p, _ := ParseQuery(q.RawQuery)
			raw, err := decodeURLSafe(p.Policy)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := ParsePolicy(raw)
			if err != nil {
				t.Fatal(err)
			}
			if string(parsed.JSON()) != string(raw) {
				t.Errorf("Policy.JSON\n%s\nSDK\n%s", parsed.JSON(), raw)
			}
			ours, err := SignCustom(tt.url, string(raw), "APKAOWNER", key(t, 0))
			if err != nil || ours != signed {
				t.Errorf("SignCustom\n%s (%v)\nSDK\n%s", ours, err, signed)
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	k := key(t, 0)
	tests := []struct {
		name, url, keyID, policy string
	}{
		{"relative URL", "/horizon.jpg", "K", ""},
		{"ftp URL", "ftp://d.net/a", "K", ""},
		{"no host", "http:///a", "K", ""},
		{"already signed", base + "&Expires=1", "K", ""},
		{"already has Hash-Algorithm", base + "&Hash-Algorithm=SHA256", "K", ""},
		{"no key id", base, "", ""},
		{"malformed policy", base, "K", `{"Statement":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.policy != "" {
				_, err = SignCustom(tt.url, tt.policy, tt.keyID, k)
			} else {
				_, err = SignCanned(tt.url, expires, tt.keyID, k)
			}
			if err == nil {
				t.Error("signed")
			}
		})
	}
	if _, err := SignCanned(base, expires, "K", nil); err == nil {
		t.Error("signed without a key")
	}
}
