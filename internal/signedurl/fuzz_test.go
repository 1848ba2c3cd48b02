package signedurl

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParseQuery(f *testing.F) {
	for _, tt := range queryTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, rest := ParseQuery(raw)
		// What is left has no signed parameter, and parsing it again
		// changes nothing.
		if p2, rest2 := ParseQuery(rest); p2 != (Params{}) || rest2 != rest {
			t.Errorf("ParseQuery(%q) left %q, which still parses to %+v, %q", raw, rest, p2, rest2)
		}
		if len(rest) > len(raw) {
			t.Errorf("rest %q longer than the query %q", rest, raw)
		}
		if p.KeyPairID != "" && !strings.Contains(raw, "Key-Pair-Id=") {
			t.Errorf("Key-Pair-Id %q out of nowhere", p.KeyPairID)
		}
	})
}

func FuzzParsePolicy(f *testing.F) {
	for _, tt := range policyTests {
		f.Add([]byte(tt.json))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePolicy(b)
		if err != nil {
			return
		}
		q, err := ParsePolicy(p.JSON())
		if err != nil || q != p {
			t.Errorf("%s parsed to %+v, whose JSON %s gives %+v, %v", b, p, p.JSON(), q, err)
		}
	})
}

// FuzzVerify sends any query, and any policy signed by a trusted key,
// through Verify: it never panics, every error is one of the four codes,
// and a signed policy is MalformedPolicy exactly when it does not parse.
func FuzzVerify(f *testing.F) {
	for _, tt := range verifyCases(f) {
		f.Add(requestFor(f, tt.url).RawQuery, "")
	}
	for _, tt := range policyTests {
		f.Add("a=1", tt.json)
	}
	v := NewVerifier(testPairs(f), nil)
	known := map[Code]bool{MissingKey: true, InvalidKey: true, MalformedPolicy: true, AccessDenied: true}
	f.Fuzz(func(t *testing.T, query, policy string) {
		q := Request{Scheme: "http", Host: "d111111abcdef8.cloudfront.net", Path: "/horizon.jpg", RawQuery: query, Peer: viewer, Time: arrival}
		err := v.Verify(q, []string{owner})
		var e *Error
		if err != nil && (!errors.As(err, &e) || !known[e.Code]) {
			t.Fatalf("Verify(%q) = %v, not one of the four codes", query, err)
		}
		if policy == "" {
			return
		}
		// A custom policy, appended to the viewer's query and signed.
		_, rest := ParseQuery(query)
		signed, err := signCustom(SignedURL("http", q.Host, q.Path, rest), []byte(policy), "APKAOWNER", key(t, 0))
		if err != nil {
			t.Fatal(err)
		}
		_, q.RawQuery, _ = strings.Cut(signed, "?")
		err = v.Verify(q, []string{owner})
		_, perr := ParsePolicy([]byte(policy))
		if got := errors.Is(err, MalformedPolicy); got != (perr != nil) {
			t.Fatalf("policy %q (parse error %v): Verify = %v", policy, perr, err)
		}
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("Verify = %v, not an *Error", err)
		}
	})
}
