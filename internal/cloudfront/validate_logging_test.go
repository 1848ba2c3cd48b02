package cloudfront

import (
	"strings"
	"testing"
)

// Log buckets follow S3's bucket naming rules (Amazon S3 User Guide,
// "Bucket naming rules"); prefixes are kept to safe object-key characters
// and a bounded folder depth (checkLogPrefix says why). Both apply to
// download and streaming distributions alike.
func TestLoggingNames(t *testing.T) {
	cases := []struct {
		name, bucket, prefix string
		want                 Code
	}{
		{"documentation example", "myawslogbucket.s3.amazonaws.com", "myprefix/", ""},
		{"2012 seed prefix", "myawslogbucket.s3.amazonaws.com", "example.com.", ""},
		{"folders and unicode letters", "logs.s3.amazonaws.com", "café/2012/edge-1_a/", ""},
		{"bucket upper case in host", "MyLogs.s3.amazonaws.com", "", ""}, // host names ignore case
		{"bucket 3 chars", "abc.s3.amazonaws.com", "", ""},
		{"bucket 63 chars", strings.Repeat("a", 63) + ".s3.amazonaws.com", "", ""},

		{"bucket 2 chars", "ab.s3.amazonaws.com", "", InvalidArgument},
		{"bucket 64 chars", strings.Repeat("a", 64) + ".s3.amazonaws.com", "", InvalidArgument},
		{"bucket underscore", "my_logs.s3.amazonaws.com", "", InvalidArgument},
		{"bucket adjacent dots", "my..logs.s3.amazonaws.com", "", InvalidArgument},
		{"bucket hyphen at end", "logs-.s3.amazonaws.com", "", InvalidArgument},
		{"bucket IP address", "192.168.5.4.s3.amazonaws.com", "", InvalidArgument},
		{"bucket xn-- prefix", "xn--logs.s3.amazonaws.com", "", InvalidArgument},
		{"bucket sthree- prefix", "sthree-logs.s3.amazonaws.com", "", InvalidArgument},
		{"bucket -s3alias suffix", "logs-s3alias.s3.amazonaws.com", "", InvalidArgument},
		{"bucket newline", "lo\ngs.s3.amazonaws.com", "", InvalidArgument},
		{"bucket shell characters", "$(rm -rf).s3.amazonaws.com", "", InvalidArgument},
		{"bucket path", "../etc.s3.amazonaws.com", "", InvalidArgument},

		{"prefix 256 chars", "logs.s3.amazonaws.com", strings.Repeat("p", 256), ""},
		{"prefix 257 chars", "logs.s3.amazonaws.com", strings.Repeat("p", 257), InvalidArgument},
		// 240 four-byte letters: 240 characters but 960 bytes, over 1024 with the generated part.
		{"prefix over 960 bytes", "logs.s3.amazonaws.com", strings.Repeat("𝒜", 241), InvalidArgument},
		{"prefix 8 folders", "logs.s3.amazonaws.com", strings.Repeat("a/", 8), ""},
		{"prefix 9 folders", "logs.s3.amazonaws.com", strings.Repeat("a/", 9), InvalidArgument},
		{"prefix 120 folders", "logs.s3.amazonaws.com", strings.Repeat("a/", 120), InvalidArgument},
		{"prefix segment 200 bytes", "logs.s3.amazonaws.com", strings.Repeat("s", 200) + "/", ""},
		{"prefix segment 201 bytes", "logs.s3.amazonaws.com", strings.Repeat("s", 201) + "/", InvalidArgument},
		{"prefix last part 256 bytes", "logs.s3.amazonaws.com", "a/" + strings.Repeat("s", 254), ""},
		{"prefix newline", "logs.s3.amazonaws.com", "a\nb/", InvalidArgument},
		{"prefix carriage return", "logs.s3.amazonaws.com", "a\r", InvalidArgument},
		{"prefix NUL", "logs.s3.amazonaws.com", "a\x00", InvalidArgument},
		{"prefix tab", "logs.s3.amazonaws.com", "a\tb", InvalidArgument},
		{"prefix C1 control", "logs.s3.amazonaws.com", "a\u0085b", InvalidArgument},
		{"prefix space", "logs.s3.amazonaws.com", "my logs/", InvalidArgument},
		{"prefix command substitution", "logs.s3.amazonaws.com", "$(id)/", InvalidArgument},
		{"prefix backquote", "logs.s3.amazonaws.com", "`id`", InvalidArgument},
		{"prefix semicolon", "logs.s3.amazonaws.com", "a;b", InvalidArgument},
		{"prefix wildcard", "logs.s3.amazonaws.com", "a*", InvalidArgument},
		{"prefix quote", "logs.s3.amazonaws.com", "a'b", InvalidArgument},
		{"prefix backslash", "logs.s3.amazonaws.com", `a\b`, InvalidArgument},
		{"prefix leading slash", "logs.s3.amazonaws.com", "/logs/", InvalidArgument},
		{"prefix empty folder", "logs.s3.amazonaws.com", "a//b", InvalidArgument},
		{"prefix dot folder", "logs.s3.amazonaws.com", "a/./b", InvalidArgument},
		{"prefix dot-dot folder", "logs.s3.amazonaws.com", "../b/", InvalidArgument},
		{"prefix ends in dot-dot", "logs.s3.amazonaws.com", "a/..", InvalidArgument},
		{"prefix dots inside a name", "logs.s3.amazonaws.com", "a..b/", ""},
		{"prefix not UTF-8", "logs.s3.amazonaws.com", "a\xffb", InvalidArgument},
	}
	rules := DefaultRules()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := seedDistributionConfig()
			c.Logging = Logging{Enabled: true, Bucket: tc.bucket, Prefix: tc.prefix}
			if got := validationCode(t, rules.ValidateDistributionConfig(c)); got != tc.want {
				t.Errorf("distribution: got %q, want %q", got, tc.want)
			}
			s := testStreamingConfig()
			s.Logging = StreamingLogging{Enabled: true, Bucket: tc.bucket, Prefix: tc.prefix}
			if got := validationCode(t, rules.ValidateStreamingDistributionConfig(s)); got != tc.want {
				t.Errorf("streaming distribution: got %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzLogPrefix: whatever a prefix holds, validation answers nil or
// InvalidArgument, and a prefix it accepts is safe as a key and as a
// relative path: valid UTF-8, no control or shell character, no "." or ".."
// segment, bounded depth and length.
func FuzzLogPrefix(f *testing.F) {
	for _, s := range []string{"", "myprefix/", "example.com.", "a/../b", "a\nb", "$(id)", "/x", strings.Repeat("a/", 20), "𝒜𝒜/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prefix string) {
		err := checkLogPrefix(prefix)
		checkValidationError(t, err)
		if err != nil {
			return
		}
		if !strings.HasPrefix(prefix, "/") && len(prefix)+maxLogGeneratedPart <= maxLogKeyBytes &&
			!strings.ContainsAny(prefix, "\x00\r\n\t $`;&|<>*?'\"\\") && strings.Count(prefix, "/") <= maxLogPrefixDepth {
			for _, seg := range strings.Split(prefix, "/") {
				if seg == "." || seg == ".." {
					t.Fatalf("accepted %q with a %q segment", prefix, seg)
				}
			}
			return
		}
		t.Fatalf("accepted unsafe prefix %q", prefix)
	})
}
