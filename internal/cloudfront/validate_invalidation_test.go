package cloudfront

import (
	"strings"
	"testing"
)

func TestValidateInvalidationBatch(t *testing.T) {
	cases := []struct {
		name  string
		paths []string
		ref   string
		want  Code
	}{
		{"one path", []string{"/images/image2.jpg"}, "ref", ""},
		{"root object", []string{"/index.html", "/"}, "ref", ""},
		{"encoded characters", []string{"/a%20b.jpg", "/caf%C3%A9.html"}, "ref", ""},
		{"query string", []string{"/a.jpg?x=1"}, "ref", ""},
		{"star is literal in 2012", []string{"/images/*"}, "ref", ""},
		{"1000 paths", repeatedPaths(1000), "ref", ""},
		{"1001 paths", repeatedPaths(1001), "ref", BatchTooLarge},
		{"no paths", nil, "ref", InvalidArgument},
		// "The maximum length of a path is 4,000 characters" (CloudFront
		// developer guide, invalidation paths).
		{"path of 4,000 characters", []string{"/" + strings.Repeat("a", 3999)}, "ref", ""},
		{"path of 4,001 characters", []string{"/" + strings.Repeat("a", 4000)}, "ref", InvalidArgument},
		{"empty caller reference", []string{"/a"}, "", InvalidArgument},
		{"long caller reference", []string{"/a"}, strings.Repeat("r", 128), InvalidArgument},
		{"no leading slash", []string{"/a", "images/a.jpg"}, "ref", InvalidArgument},
		{"empty path", []string{""}, "ref", InvalidArgument},
		{"space", []string{"/a b.jpg"}, "ref", InvalidArgument},
		{"tab", []string{"/a\tb.jpg"}, "ref", InvalidArgument},
		{"newline", []string{"/a\n"}, "ref", InvalidArgument},
		{"DEL", []string{"/a\x7f"}, "ref", InvalidArgument},
		{"non-ASCII", []string{"/café.html"}, "ref", InvalidArgument},
		{"bad escape", []string{"/a%zz"}, "ref", InvalidArgument},
		{"truncated escape", []string{"/a%2"}, "ref", InvalidArgument},
		{"bare percent", []string{"/100%"}, "ref", InvalidArgument},
		// Limits come before the caller reference and the paths.
		{"order: count before caller reference", repeatedPaths(1001), "", BatchTooLarge},
		{"order: caller reference before paths", []string{"bad"}, "", InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := &InvalidationBatch{Paths: tc.paths, CallerReference: tc.ref}
			if got := validationCode(t, DefaultRules().ValidateInvalidationBatch(b)); got != tc.want {
				t.Fatalf("code = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		if got := validationCode(t, DefaultRules().ValidateInvalidationBatch(nil)); got != MalformedXML {
			t.Fatalf("code = %q, want MalformedXML", got)
		}
	})
}

func repeatedPaths(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "/p"
	}
	return out
}
