package accesslog

import (
	"net/url"
	"path"
	"strconv"
	"strings"
	"testing"
)

// FuzzAppendField checks that an encoded field never breaks the line
// apart and that one decode gives the value back.
func FuzzAppendField(f *testing.F) {
	for _, tt := range fieldTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(AppendField(nil, s))
		if out == "" || strings.ContainsAny(out, " \t\n\r") {
			t.Fatalf("AppendField(%q) = %q", s, out)
		}
		for i := 0; i < len(out); i++ {
			if out[i] < 0x21 || out[i] >= 0x7f {
				t.Fatalf("AppendField(%q) = %q: byte %#x", s, out, out[i])
			}
		}
		if s == "" || s == "-" {
			return // both log as "-"
		}
		back, err := url.PathUnescape(out)
		if err != nil || back != s {
			t.Fatalf("AppendField(%q) = %q, decodes to %q, %v", s, out, back, err)
		}
	})
}

// FuzzFolderName checks that every bucket and key the folder sink accepts
// (they come from distribution configs) stays inside the bucket's folder.
func FuzzFolderName(f *testing.F) {
	for _, tt := range folderNameTests {
		f.Add(tt.bucket, tt.key)
	}
	f.Fuzz(func(t *testing.T, bucket, key string) {
		if checkFolderName(bucket, key) != nil {
			return
		}
		if p := path.Clean(bucket + "/" + key); !strings.HasPrefix(p, bucket+"/") || len(p) == len(bucket)+1 {
			t.Fatalf("accepted %q %q, which cleans to %q", bucket, key, p)
		}
	})
}

// FuzzParseContentRange checks that a Content-Range from an origin never
// yields a range that is not in the header: start <= end, both the
// header's numbers as strconv reads them.
func FuzzParseContentRange(f *testing.F) {
	for _, tt := range contentRangeTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, v string) {
		start, end, ok := ParseContentRange(v)
		if !ok {
			return
		}
		span, _, _ := strings.Cut(strings.TrimPrefix(v, "bytes "), "/")
		a, b, _ := strings.Cut(span, "-")
		wantStart, err1 := strconv.ParseUint(a, 10, 63)
		wantEnd, err2 := strconv.ParseUint(b, 10, 63)
		if !strings.HasPrefix(v, "bytes ") || err1 != nil || err2 != nil ||
			start != int64(wantStart) || end != int64(wantEnd) || end < start {
			t.Fatalf("ParseContentRange(%q) = %d-%d", v, start, end)
		}
	})
}
