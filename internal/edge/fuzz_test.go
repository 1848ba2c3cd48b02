package edge

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNormalizeHost(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"d1.cloudfront.net", "d1.cloudfront.net", true},
		{"CDN.Example.COM", "cdn.example.com", true},
		{"cdn.example.com:8080", "cdn.example.com", true},
		{"cdn.example.com.", "cdn.example.com", true},
		{"[::1]:443", "::1", true},
		{"::1", "::1", true},
		{"", "", false},
		{":80", "", false},
		{strings.Repeat("a", 300), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var buf [256]byte
			got, ok := normalizeHost(buf[:0], tt.in)
			if ok != tt.ok || (ok && string(got) != tt.want) {
				t.Fatalf("normalizeHost(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzNormalizeHost(f *testing.F) {
	for _, s := range []string{"d1.cloudfront.net", "CDN.Example.COM:8080", "[::1]:443", "", ":", "[", "a.b."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		var buf [256]byte
		got, ok := normalizeHost(buf[:0], host)
		if plainHost(host) && (!ok || string(got) != host) {
			t.Fatalf("plainHost(%q) but normalizeHost gives %q, %v", host, got, ok)
		}
		if !ok {
			return
		}
		if len(got) == 0 || len(got) > 256 {
			t.Fatalf("normalizeHost(%q) = %q", host, got)
		}
		if string(got) != string(asciiLower(got)) {
			t.Fatalf("not lower-case: %q", got)
		}
		// Normalising is idempotent for names without a port.
		if !strings.Contains(string(got), ":") {
			again, ok := normalizeHost(make([]byte, 0, 256), string(got))
			if !ok || string(again) != string(got) {
				t.Fatalf("not idempotent: %q -> %q", got, again)
			}
		}
	})
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func FuzzCacheControl(f *testing.F) {
	for _, s := range []string{"max-age=60", "max-age=60, s-maxage=600", "no-cache", `no-cache="Set-Cookie"`,
		"private, max-age=600", `max-age="30"`, "max-age=abc", "max-age=99999999999999999999", ",,=,"} {
		f.Add(s)
	}
	now := time.Date(2012, 10, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, cc string) {
		h := http.Header{"Cache-Control": {cc}}
		ttl := ttl2012(h, now, time.Minute)
		if ttl < time.Minute {
			t.Fatalf("ttl %v below MinTTL for %q", ttl, cc)
		}
	})
}

func FuzzForwardedCookies(f *testing.F) {
	for _, s := range []string{"a=1", "b=2; a=1", "t=9; s=1", "S=1", "; ;=x; a", "a=1;b=2;;c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		all := forwardedCookies(cookiesAll, nil, []string{header})
		// Sorted by name, so forwarding the result again is a fixed point.
		if again := forwardedCookies(cookiesAll, nil, []string{all}); again != all && !strings.ContainsAny(header, "\x00") {
			names, againNames := cookieNames(all), cookieNames(again)
			if len(names) == len(againNames) && strings.Join(names, ";") != strings.Join(againNames, ";") {
				t.Fatalf("not stable: %q -> %q -> %q", header, all, again)
			}
		}
		wl := forwardedCookies(cookiesWhitelist, []string{"a"}, []string{header})
		for _, n := range cookieNames(wl) {
			if n != "a" {
				t.Fatalf("whitelist forwarded %q from %q", n, header)
			}
		}
		if forwardedCookies(cookiesNone, nil, []string{header}) != "" {
			t.Fatal("none forwarded cookies")
		}
	})
}

func TestStripSignedParams(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"a=1", "a=1"},
		{"size=large&Expires=1357034400&Signature=abc~&Key-Pair-Id=APKA", "size=large"},
		{"Policy=eyJ&Signature=x&Key-Pair-Id=APKA&z=9", "z=9"},
		{"Expires=1&a=1&expires=2", "a=1&expires=2"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := stripSignedParams(tt.in); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzStripSignedParams(f *testing.F) {
	for _, s := range []string{"", "a=1", "size=large&Expires=1&Signature=abc&Key-Pair-Id=APKA", "&&=&Policy"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := stripSignedParams(q)
		for part := range strings.SplitSeq(out, "&") {
			name, _, _ := strings.Cut(part, "=")
			for _, p := range signedParams {
				if name == p {
					t.Fatalf("%q kept %s", out, p)
				}
			}
		}
	})
}

// FuzzObjectWrite: a write the edge would sign under a write grant is an
// object's PUT, POST or DELETE whose query, as S3 decodes it, names only
// the multipart steps and x-id, and which carries no copy source, ACL,
// grant, tagging, object-lock or KMS key header in any spelling.
func FuzzObjectWrite(f *testing.F) {
	for _, s := range [][3]string{
		{"PUT", "/a.txt", ""}, {"POST", "/big", "uploads"}, {"PUT", "/big", "partNumber=1&uploadId=u"},
		{"DELETE", "/", ""}, {"PUT", "/a", "acl"}, {"POST", "/a", "uploads&restore"}, {"PUT", "/a", "upload%49d=1"},
	} {
		f.Add(s[0], s[1], s[2], "X-Amz-Meta-Color")
		f.Add(s[0], s[1], s[2], "X_Amz_Copy_Source")
	}
	allowed := map[string]bool{"partNumber": true, "uploadId": true, "uploads": true, "x-id": true}
	f.Fuzz(func(t *testing.T, method, path, query, header string) {
		h := http.Header{header: {"v"}}
		if !objectWrite(method, path, query, h) {
			return
		}
		if method != "PUT" && method != "POST" && method != "DELETE" {
			t.Fatalf("signs %q", method)
		}
		if len(path) < 2 || path[0] != '/' {
			t.Fatalf("signs the bucket's own %q", path)
		}
		if vs, err := url.ParseQuery(query); err == nil {
			for name := range vs {
				if !allowed[name] {
					t.Fatalf("signs %q with parameter %q", query, name)
				}
			}
		}
		n := strings.ToLower(strings.ReplaceAll(header, "_", "-"))
		for _, bad := range []string{"x-amz-copy-source", "x-amz-acl", "x-amz-grant-", "x-amz-object-lock-",
			"x-amz-bypass-governance-retention", "x-amz-tagging", "x-amz-server-side-encryption-aws-kms-key-id"} {
			if strings.HasPrefix(n, bad) {
				t.Fatalf("signs a write with %q", header)
			}
		}
	})
}

// FuzzObjectRead: a read the edge signs is a GET or HEAD of an object
// whose query, as S3 decodes it, names none of the subresources S3
// grants with permissions other than s3:GetObject, nor a presigned URL's
// X-Amz-* parameters, in any case.
func FuzzObjectRead(f *testing.F) {
	for _, s := range [][3]string{
		{"GET", "/a.txt", ""}, {"GET", "/", "list-type=2"}, {"HEAD", "/a", "acl"}, {"GET", "/a", "v=2&%61cl"},
		{"GET", "/a", "versionId=x"}, {"GET", "/a", "response-content-type=text/plain"}, {"PUT", "/a", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	refused := []string{"acl", "tagging", "attributes", "retention", "legal-hold", "torrent", "versionid", "uploadid", "versions", "uploads"}
	f.Fuzz(func(t *testing.T, method, path, query string) {
		if !objectRead(method, path, query) {
			return
		}
		if method != "GET" && method != "HEAD" {
			t.Fatalf("signs %q", method)
		}
		if len(path) < 2 || path[0] != '/' {
			t.Fatalf("signs the bucket's own %q", path)
		}
		for _, p := range strings.Split(query, "&") {
			name, _, _ := strings.Cut(p, "=")
			name, err := url.QueryUnescape(name)
			if err != nil {
				t.Fatalf("signs %q, whose parameter %q does not decode", query, p)
			}
			if slices.Contains(refused, strings.ToLower(name)) {
				t.Fatalf("signs %q with subresource %q", query, name)
			}
			if strings.HasPrefix(strings.ToLower(name), "x-amz-") {
				t.Fatalf("signs %q, which carries the viewer's own %q", query, name)
			}
		}
	})
}
