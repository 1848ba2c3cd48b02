package auth

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// TestSigV4Vectors runs the step functions over cases of AWS's published
// Signature Version 4 test suite (credentials AKIDEXAMPLE, service
// "service", 2015-08-30T12:36:00Z).
func TestSigV4Vectors(t *testing.T) {
	const (
		secret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
		amzDate = "20150830T123600Z"
		scope   = "20150830/us-east-1/service/aws4_request"
	)
	cases := []struct {
		name, method, target string
		canonical            string // "" when the suite's file is not reproduced here
		canonicalHash        string
		signature            string
	}{
		{
			name: "get-vanilla", method: "GET", target: "https://example.amazonaws.com/",
			canonical:     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptySHA256,
			canonicalHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
			signature:     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		},
		{
			name: "get-vanilla-query-order-key-case", method: "GET", target: "https://example.amazonaws.com/?Param2=value2&Param1=value1",
			canonical:     "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptySHA256,
			canonicalHash: "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
			signature:     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
		},
		{
			name: "post-vanilla", method: "POST", target: "https://example.amazonaws.com/",
			signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest(tc.method, tc.target, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("X-Amz-Date", amzDate)
			canonical := canonicalRequest(r, r.URL.Query(), []string{"host", "x-amz-date"}, emptySHA256)
			if tc.canonical != "" && canonical != tc.canonical {
				t.Errorf("canonical request\n%s\nwant\n%s", canonical, tc.canonical)
			}
			sts := stringToSign(v4Algorithm, amzDate, scope, canonical)
			if tc.canonicalHash != "" && !strings.HasSuffix(sts, "\n"+tc.canonicalHash) {
				t.Errorf("string to sign\n%s\nwant hash %s", sts, tc.canonicalHash)
			}
			if got := signature(signingKey(secret, "20150830", "us-east-1", "service"), sts); got != tc.signature {
				t.Errorf("signature = %s, want %s", got, tc.signature)
			}
		})
	}
}

// TestSigningKey checks the derivation example of AWS's documentation.
func TestSigningKey(t *testing.T) {
	got := signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
	const want = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
	if h := hex.EncodeToString(got); h != want {
		t.Fatalf("signing key = %s, want %s", h, want)
	}
}

func TestCanonicalURI(t *testing.T) {
	cases := []struct{ name, target, want string }{
		{"root", "http://h", "/"},
		{"plain", "http://h/2012-07-01/distribution", "/2012-07-01/distribution"},
		{"space is escaped twice", "http://h/a%20b", "/a%2520b"},
		{"escaped slash stays escaped", "http://h/a%2Fb", "/a%252Fb"},
		{"reserved kept in path, escaped in canonical form", "http://h/a+b$c", "/a%2Bb%24c"},
		{"utf-8", "http://h/%C3%BC", "/%25C3%25BC"},
		{"unreserved", "http://h/A-Za-z0-9._~", "/A-Za-z0-9._~"},
		{"dot segments are not normalised", "http://h/a/./b/../c//d", "/a/./b/../c//d"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			if got := canonicalURI(u); got != tc.want {
				t.Fatalf("canonicalURI(%s) = %s, want %s", tc.target, got, tc.want)
			}
		})
	}
	t.Run("opaque", func(t *testing.T) {
		u := &url.URL{Scheme: "https", Opaque: "//h/a%20b?x=1"}
		if got := canonicalURI(u); got != "/a%2520b" {
			t.Fatalf("got %s", got)
		}
	})
}

func TestCanonicalQuery(t *testing.T) {
	cases := []struct{ name, query, want string }{
		{"empty", "", ""},
		{"sorted by key", "b=2&a=1&A=0", "A=0&a=1&b=2"},
		{"sorted by value", "a=2&a=1", "a=1&a=2"},
		{"sorted after encoding", "k=a-b&k=a/b", "k=a%2Fb&k=a-b"},
		{"space as %20", "a=x+y&b=x%20y", "a=x%20y&b=x%20y"},
		{"plus kept", "a=x%2By", "a=x%2By"},
		{"no value", "a", "a="},
		{"utf-8", "%E1%88%B4=v", "%E1%88%B4=v"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := canonicalQuery(q); got != tc.want {
				t.Fatalf("canonicalQuery(%s) = %s, want %s", tc.query, got, tc.want)
			}
		})
	}
}

func TestCanonicalHeaderValue(t *testing.T) {
	cases := []struct {
		name   string
		header http.Header
		want   string
	}{
		{"trimmed", http.Header{"X-A": {"  v  "}}, "v"},
		{"inner spaces collapsed", http.Header{"X-A": {"a   b  c"}}, "a b c"},
		{"values joined", http.Header{"X-A": {"1", " 2 "}}, "1,2"},
		{"commas kept", http.Header{"X-A": {"value2,value2,value1"}}, "value2,value2,value1"},
		{"non-canonical key", http.Header{"x-a": {"v"}}, "v"},
		{"absent", http.Header{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &http.Request{Header: tc.header, URL: &url.URL{}}
			if got := canonicalHeaderValue(r, "x-a"); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
