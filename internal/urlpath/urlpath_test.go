package urlpath

import (
	"errors"
	"strings"
	"testing"
)

// CloudFront's Developer Guide (Cache behavior settings, "Path pattern"):
// "CloudFront normalizes URI paths consistent with RFC 3986 and then
// matches the path with the correct cache behavior", and "some characters
// are normalized and removed from the path, such as multiple slashes (//)
// or periods (..)". AWS Support adds (re:Post, "cloudfront behaviour path
// pattern matching") that this is RFC 3986 §2.4 decoding and §5.2.4 dot
// segment removal. CloudFront then sends the raw path to the origin; the
// edge sends the canonical one instead, so that origin and edge cannot
// disagree (see the README).
var canonicalTests = []struct {
	name, in, want string
	err            error
}{
	// Already canonical: returned as is.
	{"root", "/", "/", nil},
	{"plain object", "/images/a.jpg", "/images/a.jpg", nil},
	{"trailing slash names a directory object", "/images/", "/images/", nil},
	{"sub-delims, ':' and '@' stand for themselves", "/a!$&'()*+,;=:@b", "/a!$&'()*+,;=:@b", nil},
	{"dots inside a segment are not dot segments", "/a..b/.c/..d/x.", "/a..b/.c/..d/x.", nil},
	{"escaped reserved character kept", "/a%20b%3F%23%25", "/a%20b%3F%23%25", nil},

	// The attack paths.
	{"fragment", "/report.pdf#", "", ErrFragment},
	{"dot-dot", "/public/../private/x", "/private/x", nil},
	{"dot", "/./private/x", "/private/x", nil},
	{"double slash (CloudFront merges //)", "//private/x", "/private/x", nil},
	{"encoded unreserved letter", "/%70rivate/x", "/private/x", nil},
	{"encoded slash", "/private%2Fx", "", ErrEncodedSlash},
	{"encoded dot-dot", "/public/%2e%2e/private/x", "/private/x", nil},
	{"encoded dot", "/report%2Epdf", "/report.pdf", nil},

	// Dot segments and slashes.
	{"upper-case encoded dot-dot", "/public/%2E%2E/private/x", "/private/x", nil},
	{"mixed encoded and raw dot", "/public/.%2e/private/x", "/private/x", nil},
	{"dot-dot above the root stays at the root (RFC 3986 5.2.4)", "/../../private/x", "/private/x", nil},
	{"only dot-dot", "/..", "/", nil},
	{"trailing dot-dot keeps the slash", "/a/b/..", "/a/", nil},
	{"trailing dot keeps the slash", "/a/.", "/a/", nil},
	{"many slashes", "/a///b////", "/a/b/", nil},
	{"only slashes", "////", "/", nil},
	{"S3 bucket escape", "/../bucket-b/key", "/bucket-b/key", nil},
	{"dot-dot with parameters (Java)", "/public/..;/private/x", "", ErrDotParams},
	{"encoded dot-dot with parameters", "/public/%2e%2e;x=1/private/x", "", ErrDotParams},
	{"dot with parameters", "/.;/private/x", "", ErrDotParams},
	{"encoded backslash", "/public/..%5Cprivate/x", "", ErrEncodedSlash},
	{"lower-case encoded slash", "/private%2fx", "", ErrEncodedSlash},
	{"raw backslash", "/public\\..\\private/x", "", ErrBackslash},

	// Escapes.
	{"mixed-case hex is upper-cased", "/a%3fb%3Fc%e2%82%ac", "/a%3Fb%3Fc%E2%82%AC", nil},
	{"encoded tilde decoded", "/%7Euser/", "/~user/", nil},
	{"encoded digit and hyphen decoded", "/%31%2D%5F", "/1-_", nil},
	{"double encoding is not decoded twice", "/%252e%252e/x", "/%252e%252e/x", nil},
	{"NUL", "/x.pdf%00.txt", "", ErrNUL},
	{"bad escape: not hex", "/a%zzb", "", ErrBadEscape},
	{"bad escape: one digit at the end", "/a%4", "", ErrBadEscape},
	{"bad escape: '%' at the end", "/a%", "", ErrBadEscape},
	{"bad escape: '%' before slash", "/a%2/b", "", ErrBadEscape},
	{"overlong UTF-8 dot", "/%C0%AE%C0%AE/private/x", "", ErrInvalidUTF8},
	{"invalid UTF-8 escape", "/a%FF", "", ErrInvalidUTF8},
	{"truncated UTF-8 escape", "/a%E2%82", "", ErrInvalidUTF8},
	{"raw UTF-8 is encoded", "/caf\xc3\xa9", "/caf%C3%A9", nil},
	{"raw invalid UTF-8", "/a\xff", "", ErrInvalidUTF8},
	{"raw characters a path cannot hold are encoded", "/a\"<>[]^`{|}", "/a%22%3C%3E%5B%5D%5E%60%7B%7C%7D", nil},
	{"encoded question mark stays encoded", "/report.pdf%3F.txt", "/report.pdf%3F.txt", nil},
	{"encoded hash stays encoded", "/report.pdf%23", "/report.pdf%23", nil},
	{"control character", "/a\x01b", "", ErrControl},
	{"encoded control character is kept encoded", "/a%0Ab", "/a%0Ab", nil},
	{"space", "/a b", "", ErrControl},
	{"DEL", "/a\x7f", "", ErrControl},

	// Shape.
	{"empty", "", "", ErrNotAbsolute},
	{"relative", "a/b", "", ErrNotAbsolute},
	{"asterisk form", "*", "", ErrNotAbsolute},
	{"longest", "/" + strings.Repeat("a", MaxLength-1), "/" + strings.Repeat("a", MaxLength-1), nil},
	{"overlong", "/" + strings.Repeat("a", MaxLength), "", ErrTooLong},
	{"overlong once encoded", "/" + strings.Repeat("a", MaxLength-2) + "^", "", ErrTooLong},
}

func TestCanonical(t *testing.T) {
	for _, tt := range canonicalTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("Canonical(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
			if err != nil {
				return
			}
			again, err := Canonical(got)
			if err != nil || again != got {
				t.Errorf("Canonical(%q) = %q, %v; not idempotent", got, again, err)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in, path, query string
		err             error
	}{
		{"/a", "/a", "", nil},
		{"/a?", "/a", "", nil},
		{"/a/../b?x=1&y=%2F", "/b", "x=1&y=%2F", nil},
		{"/a?x=1/../y", "/a", "x=1/../y", nil}, // a query is not a path
		{"/a?x=1#frag", "", "", ErrFragment},   // the origin would see "x=1"
		{"/a#frag?x=1", "", "", ErrFragment},
		{"/%2F?x", "", "", ErrEncodedSlash},
	}
	for _, tt := range tests {
		p, q, err := Split(tt.in)
		if p != tt.path || q != tt.query || !errors.Is(err, tt.err) {
			t.Errorf("Split(%q) = %q, %q, %v; want %q, %q, %v", tt.in, p, q, err, tt.path, tt.query, tt.err)
		}
	}
}

// TestCanonicalDoesNotAllocate keeps the hit path free of allocations for
// the paths that need no work.
func TestCanonicalDoesNotAllocate(t *testing.T) {
	for _, p := range []string{"/", "/obj", "/images/2012/a.jpg", "/a/", "/a%20b"} {
		if n := testing.AllocsPerRun(100, func() { Canonical(p) }); n != 0 {
			t.Errorf("Canonical(%q): %v allocations", p, n)
		}
		if n := testing.AllocsPerRun(100, func() { Split(p + "?x=1") }); n != 0 {
			t.Errorf("Split(%q): %v allocations", p+"?x=1", n)
		}
	}
}

func BenchmarkCanonical(b *testing.B) {
	for _, p := range []string{"/images/2012/photo-0001.jpg", "/images/./2012/%70hoto-0001.jpg"} {
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				Canonical(p)
			}
		})
	}
}
