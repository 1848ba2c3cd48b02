package urlpath

import (
	"strings"
	"testing"
)

// FuzzCanonical checks the invariants every canonical path holds, for any
// input: it is idempotent, begins with '/', has no "//", no dot segment,
// no escape of an unreserved character, no lower-case escape, nothing but
// pchars and escapes, and is never empty.
func FuzzCanonical(f *testing.F) {
	for _, tt := range canonicalTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := Canonical(in)
		if err != nil {
			if p != "" {
				t.Fatalf("Canonical(%q) refused (%v) but returned %q", in, err, p)
			}
			return
		}
		if again, err := Canonical(p); err != nil || again != p {
			t.Fatalf("Canonical(%q) = %q; Canonical of that = %q, %v", in, p, again, err)
		}
		if p == "" || p[0] != '/' {
			t.Fatalf("Canonical(%q) = %q: not absolute", in, p)
		}
		if strings.Contains(p, "//") {
			t.Fatalf("Canonical(%q) = %q: has //", in, p)
		}
		segs := strings.Split(p[1:], "/")
		for _, s := range segs {
			if dotSegment(s) {
				t.Fatalf("Canonical(%q) = %q: dot segment %q", in, p, s)
			}
		}
		for i := 0; i < len(p); i++ {
			c := p[i]
			switch {
			case c == '/' || plain(c):
			case c == '%':
				if i+2 >= len(p) {
					t.Fatalf("Canonical(%q) = %q: cut escape", in, p)
				}
				hi, ok1 := unhex(p[i+1])
				lo, ok2 := unhex(p[i+2])
				v := hi<<4 | lo
				switch {
				case !ok1 || !ok2:
					t.Fatalf("Canonical(%q) = %q: bad escape at %d", in, p, i)
				case strings.ToUpper(p[i+1:i+3]) != p[i+1:i+3]:
					t.Fatalf("Canonical(%q) = %q: lower-case escape at %d", in, p, i)
				case unreserved(v):
					t.Fatalf("Canonical(%q) = %q: escaped unreserved %q", in, p, v)
				case v == '/' || v == '\\' || v == 0:
					t.Fatalf("Canonical(%q) = %q: escape %%%02X got through", in, p, v)
				}
				i += 2
			default:
				t.Fatalf("Canonical(%q) = %q: raw byte %q", in, p, c)
			}
		}
		// Nothing new: every segment of the output comes from the input
		// (no '/' is made up), so the output has no more segments.
		if strings.Count(p, "/") > strings.Count(in, "/") {
			t.Fatalf("Canonical(%q) = %q: more segments than the input", in, p)
		}
	})
}
