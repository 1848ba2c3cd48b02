package signedurl

import (
	"regexp"
	"strings"
	"testing"
)

var matchTests = []struct {
	pattern, s string
	want       bool
}{
	{"http://d.net/a.jpg", "http://d.net/a.jpg", true},
	{"http://d.net/a.jpg", "http://d.net/a.jpgx", false},
	{"http://d.net/training/*", "http://d.net/training/", true},
	{"http://d.net/training/*", "http://d.net/training/a/b.mp4?x=1", true},
	{"http://d.net/training/*", "http://d.net/trainin", false},
	{"http*://d.net/*", "https://d.net/a", true},
	{"http*://d.net/*", "http://d.net/a", true},
	{"*", "", true},
	{"*", "anything", true},
	{"*.jpg", "http://d.net/a.jpg", true},
	{"*.jpg", "http://d.net/a.jpg?v=1", false},
	{"http://d.net/?.jpg", "http://d.net/a.jpg", true},
	{"http://d.net/?.jpg", "http://d.net/.jpg", false},
	{"http://d.net/?.jpg", "http://d.net/ab.jpg", false},
	{"http://*/a*b*c", "http://x/aXbYc", true},
	{"http://*/a*b*c", "http://x/aXbYcZ", false},
	{"a**b", "ab", true},
	{"a*?", "a", false},
	{"a*?", "ab", true},
	{"HTTP://D.NET/A", "http://d.net/a", false},
	{"", "", true},
	{"", "a", false},
	{strings.Repeat("*a", 40) + "b", strings.Repeat("a", 200), false},
}

func TestMatch(t *testing.T) {
	for _, tt := range matchTests {
		t.Run(tt.pattern+" "+tt.s, func(t *testing.T) {
			if got := match(tt.pattern, tt.s); got != tt.want {
				t.Errorf("match(%q, %q) = %v", tt.pattern, tt.s, got)
			}
			if got := referenceMatch(tt.pattern, tt.s); got != tt.want {
				t.Errorf("the reference disagrees with the table: %v", got)
			}
		})
	}
}

// referenceMatch is an independent matcher: the pattern as an anchored
// regular expression.
func referenceMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String()).MatchString(s)
}

func FuzzMatch(f *testing.F) {
	for _, tt := range matchTests {
		f.Add(tt.pattern, tt.s)
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 200 || len(s) > 400 {
			return
		}
		// The reference works on runes; '?' is one byte here, so compare on
		// ASCII only.
		for i := 0; i < len(pattern); i++ {
			if pattern[i] >= 0x80 {
				return
			}
		}
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return
			}
		}
		if got, want := match(pattern, s), referenceMatch(pattern, s); got != want {
			t.Errorf("match(%q, %q) = %v, reference %v", pattern, s, got, want)
		}
	})
}
