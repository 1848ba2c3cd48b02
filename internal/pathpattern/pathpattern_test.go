package pathpattern

import (
	"regexp"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"*", "/", true},
		{"*", "/anything/at/all.jpg", true},
		{"*.jpg", "/a.jpg", true},
		{"*.jpg", "/images/a/b.jpg", true}, // '*' spans '/'
		{"*.jpg", "/LOGO.JPG", false},      // case-sensitive
		{"images/*.jpg", "/images/x.jpg", true},
		{"/images/*.jpg", "/images/x.jpg", true}, // leading slash optional
		{"images/*.jpg", "images/x.jpg", true},
		{"images/*.jpg", "/images/sub/x.jpg", true},
		{"images/*.jpg", "/img/x.jpg", false},
		{"*.doc?", "/x.doc", false}, // '?' is exactly one byte, whole path anchored
		{"*.doc?", "/x.docx", true},
		{"a?c", "/abc", true},
		{"a?c", "/ac", false},
		{"a*b*c", "/aXXbYYc", true},
		{"a*b*c", "/aXXbYY", false},
		{"exact.html", "/exact.html", true},
		{"exact.html", "/exact.html/more", false},
		{"**", "/", true},
		{"a*", "/a", true},
	}
	for _, c := range cases {
		t.Run(c.pattern+" "+c.path, func(t *testing.T) {
			p, err := Compile(c.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(c.path); got != c.want {
				t.Fatalf("Match(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
			}
		})
	}
}

func TestValid(t *testing.T) {
	cases := []struct {
		pattern string
		ok      bool
	}{
		{"*.jpg", true},
		{"images/*.jpg", true},
		{"a_b-c.d$e/f~g\"h'i@j:k+l&m?n", true},
		{"", false},
		{strings.Repeat("a", 255), true},
		{strings.Repeat("a", 256), false},
		{"a b", false},
		{"a%20b", false},
		{"a\x00b", false},
		{"é.jpg", false},
	}
	for _, c := range cases {
		if err := Valid(c.pattern); (err == nil) != c.ok {
			t.Errorf("Valid(%q) = %v, want ok=%v", c.pattern, err, c.ok)
		}
	}
}

func TestMatchAllocatesNothing(t *testing.T) {
	p, _ := Compile("images/*/thumb-*.jpg")
	allocs := testing.AllocsPerRun(100, func() { p.Match("/images/2012/09/thumb-large.jpg") })
	if allocs != 0 {
		t.Fatalf("Match allocates %v times per run", allocs)
	}
}

// reference matches with a regexp built from the pattern.
func reference(pattern, path string) bool {
	var b strings.Builder
	b.WriteString(`^`)
	for _, c := range []byte(strings.TrimPrefix(pattern, "/")) {
		switch c {
		case '*':
			b.WriteString(`[\x00-\xff]*`)
		case '?':
			b.WriteString(`[\x00-\xff]`)
		default:
			b.WriteString(regexp.QuoteMeta(string([]byte{c})))
		}
	}
	b.WriteString(`$`)
	// Match bytes, not runes: Latin-1 view of the path.
	re := regexp.MustCompile(b.String())
	return re.MatchString(latin1(strings.TrimPrefix(path, "/")))
}

func latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

func FuzzMatch(f *testing.F) {
	f.Add("*.jpg", "/a/b.jpg")
	f.Add("images/*.jpg", "/images/x.jpg")
	f.Add("*.doc?", "/x.doc")
	f.Add("a*b*c", "/aXbXc")
	f.Add("??*", "/a")
	f.Fuzz(func(t *testing.T, pattern, path string) {
		p, err := Compile(pattern)
		if err != nil {
			return
		}
		if got, want := p.Match(path), reference(pattern, path); got != want {
			t.Fatalf("Match(%q, %q) = %v, reference says %v", pattern, path, got, want)
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	p, _ := Compile("images/*/thumb-*.jpg")
	b.ReportAllocs()
	for b.Loop() {
		p.Match("/images/2012/09/thumb-large.jpg")
	}
}
