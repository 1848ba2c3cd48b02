package signedurl

import (
	"errors"
	"net/http"
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
		if got := querySigned(raw); got != (p != Params{}) {
			t.Errorf("querySigned(%q) = %v, but ParseQuery finds %+v", raw, got, p)
		}
	})
}

// cookieNames are the signed cookies in the order of Params' fields.
var cookieNames = [...]string{CookieExpires, CookiePolicy, CookieSignature, CookieKeyPairID, CookieHashAlgorithm}

func (p *Params) cookieFields() [len(cookieNames)]*string {
	return [...]*string{&p.Expires, &p.Policy, &p.Signature, &p.KeyPairID, &p.HashAlgorithm}
}

// FuzzCookieParams sends any Cookie header, and a signed cookie of any
// value after it, through CookieParams: it agrees with net/http's own
// lookup by name (the first non-empty value of each name counts), a value
// net/http carries unchanged comes back as set, and Verify on what it
// found answers one of the four codes.
func FuzzCookieParams(f *testing.F) {
	f.Add("", 3, "K1")
	f.Add("session=1; CloudFront-Key-Pair-Id=K2", 3, "K1")
	f.Add(`CloudFront-Policy="eyJ9"; CloudFront-Signature=a~b-c_`, 2, "x%7Ey")
	f.Add("CloudFront-Expires=1357034400;CloudFront-Signature=; CloudFront-Key-Pair-Id=APKAOWNER", 0, "")
	f.Add("a=1;;; =; CloudFront-Hash-Algorithm=SHA256", 4, "SHA1")
	v := NewVerifier(testPairs(f), nil)
	known := map[Code]bool{MissingKey: true, InvalidKey: true, MalformedPolicy: true, AccessDenied: true}
	f.Fuzz(func(t *testing.T, header string, which int, value string) {
		name := cookieNames[uint(which)%uint(len(cookieNames))]
		r := &http.Request{Header: http.Header{"Cookie": {header}}}
		r.AddCookie(&http.Cookie{Name: name, Value: value})
		p := CookieParams(r)
		fields := p.cookieFields()
		for i, n := range cookieNames {
			want := ""
			for _, c := range r.CookiesNamed(n) {
				if c.Value != "" {
					want = unescape(c.Value)
					break
				}
			}
			if *fields[i] != want {
				t.Fatalf("%s in %q: got %q, net/http has %q", n, r.Header.Get("Cookie"), *fields[i], want)
			}
		}
		alone := &http.Request{Header: http.Header{}}
		alone.AddCookie(&http.Cookie{Name: name, Value: value})
		if (&http.Cookie{Name: name, Value: value}).Valid() == nil && !strings.ContainsAny(value, " ,") {
			pa := CookieParams(alone)
			if got := *pa.cookieFields()[uint(which)%uint(len(cookieNames))]; got != unescape(value) {
				t.Fatalf("%s=%q came back as %q", name, value, got)
			}
		}
		q := Request{Scheme: "http", Host: "d111111abcdef8.cloudfront.net", Path: "/horizon.jpg", Cookies: p, Peer: viewer, Time: arrival}
		err := v.Verify(q, []string{owner})
		var e *Error
		if err != nil && (!errors.As(err, &e) || !known[e.Code]) {
			t.Fatalf("Verify(cookies %+v) = %v, not one of the four codes", p, err)
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
