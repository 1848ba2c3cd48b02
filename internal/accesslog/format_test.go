package accesslog

import (
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/edge"
)

var fieldTests = []struct {
	name, in, want string
}{
	{"empty is a dash", "", "-"},
	{"plain", "/images/logo.jpg", "/images/logo.jpg"},
	{"space", "Mozilla/5.0 (Windows NT 6.1; WOW64)", "Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)"},
	{"tab and newline", "a\tb\nc\r", "a%09b%0Ac%0D"},
	{"quotes", `say "hi" it's`, "say%20%22hi%22%20it%27s"},
	{"percent is encoded once more", "/a%20b", "/a%2520b"},
	{"RFC 1738 unsafe set", "<>\"#%{}|\\^~[]`'", "%3C%3E%22%23%25%7B%7D%7C%5C%5E%7E%5B%5D%60%27"},
	{"safe punctuation", "a=b&c=d;e,f:g@h!i$j*k(l)m+n-o.p_q/r?s", "a=b&c=d;e,f:g@h!i$j*k(l)m+n-o.p_q/r?s"},
	{"non-ASCII UTF-8", "/caf\u00e9/\u65e5\u672c", "/caf%C3%A9/%E6%97%A5%E6%9C%AC"},
	{"invalid UTF-8 and DEL", "\xff\x7f\x00", "%FF%7F%00"},
	{"a lone dash stays", "-", "-"},
}

func TestAppendField(t *testing.T) {
	for _, tt := range fieldTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendField(nil, tt.in)); got != tt.want {
				t.Fatalf("AppendField(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// specRecord is the example record of spec §10.3.
func specRecord() edge.LogRecord {
	return edge.LogRecord{
		Time:           time.Date(2012, 10, 2, 21, 6, 9, 500, time.UTC),
		Location:       "SEA4",
		BytesSent:      2390,
		ClientIP:       "192.0.2.10",
		Method:         "GET",
		Host:           "d111111abcdef8.cloudfront.net",
		URIStem:        "/images/logo.jpg",
		Status:         200,
		Referer:        "http://www.example.com/",
		UserAgent:      "Mozilla/5.0 (Windows NT 6.1; WOW64)",
		Query:          "size=large",
		Cookie:         "example-cookie=abc",
		ResultType:     "Miss",
		RequestID:      "Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE==",
		Distribution:   "EDFDVBD6EXAMPLE",
		IncludeCookies: true,
	}
}

func TestAppendLine(t *testing.T) {
	tests := []struct {
		name           string
		edit           func(*edge.LogRecord)
		host, location string
		want           string // fields joined by "→" for readability
	}{
		{"spec example", nil, "", "",
			"2012-10-02→21:06:09→SEA4→2390→192.0.2.10→GET→d111111abcdef8.cloudfront.net→/images/logo.jpg→200→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→size=large→example-cookie=abc→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
		{"cookie omitted without IncludeCookies", func(r *edge.LogRecord) { r.IncludeCookies = false }, "", "",
			"2012-10-02→21:06:09→SEA4→2390→192.0.2.10→GET→d111111abcdef8.cloudfront.net→/images/logo.jpg→200→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→size=large→-→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
		{"empty values are dashes", func(r *edge.LogRecord) {
			*r = edge.LogRecord{Time: r.Time, Status: 403, IncludeCookies: true}
		}, "", "",
			"2012-10-02→21:06:09→-→0→-→-→-→-→403→-→-→-→-→-→-"},
		{"host and location fall back", func(r *edge.LogRecord) { r.Host, r.Location = "", "" }, "d2.cloudfront.net", "LOC1",
			"2012-10-02→21:06:09→LOC1→2390→192.0.2.10→GET→d2.cloudfront.net→/images/logo.jpg→200→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→size=large→example-cookie=abc→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
		{"the record's host wins", nil, "d2.cloudfront.net", "LOC1",
			"2012-10-02→21:06:09→SEA4→2390→192.0.2.10→GET→d111111abcdef8.cloudfront.net→/images/logo.jpg→200→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→size=large→example-cookie=abc→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
		{"query without '?', encoded", func(r *edge.LogRecord) { r.Query = "?q=a b&x=\"y\"" }, "", "",
			"2012-10-02→21:06:09→SEA4→2390→192.0.2.10→GET→d111111abcdef8.cloudfront.net→/images/logo.jpg→200→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→q=a%20b&x=%22y%22→example-cookie=abc→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
		{"stem with tab, non-ASCII and escapes", func(r *edge.LogRecord) { r.URIStem = "/a\tb/\u00e9/%41" }, "", "",
			"2012-10-02→21:06:09→SEA4→2390→192.0.2.10→GET→d111111abcdef8.cloudfront.net→/a%09b/%C3%A9/%2541→200→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→size=large→example-cookie=abc→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
		{"status 0 is 000, small status padded", func(r *edge.LogRecord) { r.Status = 0 }, "", "",
			"2012-10-02→21:06:09→SEA4→2390→192.0.2.10→GET→d111111abcdef8.cloudfront.net→/images/logo.jpg→000→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→size=large→example-cookie=abc→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
		{"time in UTC", func(r *edge.LogRecord) {
			r.Time = time.Date(2012, 10, 3, 0, 30, 0, 0, time.FixedZone("CEST", 2*3600))
		}, "", "",
			"2012-10-02→22:30:00→SEA4→2390→192.0.2.10→GET→d111111abcdef8.cloudfront.net→/images/logo.jpg→200→http://www.example.com/→Mozilla/5.0%20(Windows%20NT%206.1;%20WOW64)→size=large→example-cookie=abc→Miss→Ov8K2EXAMPLEbmQqJ3EXAMPLEs0VbE6EXAMPLEvlMAHUfG7EXAMPLE=="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := specRecord()
			if tt.edit != nil {
				tt.edit(&r)
			}
			got := string(AppendLine(nil, &r, r.Time, tt.host, tt.location))
			want := strings.ReplaceAll(tt.want, "→", "\t") + "\n"
			if got != want {
				t.Fatalf("got  %q\nwant %q", got, want)
			}
			if n := strings.Count(got, "\t"); n != 14 {
				t.Fatalf("%d tabs, want 14 (15 fields)", n)
			}
		})
	}
}

func TestAppendStatus(t *testing.T) {
	for _, tt := range []struct {
		in   int
		want string
	}{{0, "000"}, {7, "007"}, {42, "042"}, {200, "200"}, {1000, "1000"}, {-1, "-1"}} {
		t.Run(tt.want, func(t *testing.T) {
			if got := string(appendStatus(nil, tt.in)); got != tt.want {
				t.Fatalf("appendStatus(%d) = %q", tt.in, got)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	for _, tt := range []struct {
		f      Format
		fields int
	}{{Format2012, 15}, {FormatStandard, 33}} {
		t.Run(tt.f.String(), func(t *testing.T) {
			h := tt.f.Header()
			lines := strings.Split(strings.TrimSuffix(h, "\n"), "\n")
			if len(lines) != 2 || lines[0] != "#Version: 1.0" || !strings.HasPrefix(lines[1], "#Fields: ") {
				t.Fatalf("header %q", h)
			}
			if fields := strings.Fields(strings.TrimPrefix(lines[1], "#Fields: ")); len(fields) != tt.fields {
				t.Fatalf("%d fields, want %d", len(fields), tt.fields)
			}
		})
	}
}
