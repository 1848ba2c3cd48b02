package accesslog

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/testpeer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// standardRecord is the example line of CloudFront's "Standard logging
// reference" (log file fields), as the edge would capture it.
func standardRecord() edge.LogRecord {
	r := specRecord()
	r.Time = time.Date(2019, 12, 4, 21, 2, 31, 0, time.UTC)
	r.Location, r.BytesSent, r.ClientIP = "LAX1", 392, "192.0.2.100"
	r.Host, r.HostHeader, r.URIStem = "d111111abcdef8.cloudfront.net", "d111111abcdef8.cloudfront.net", "/index.html"
	r.Referer, r.UserAgent = "", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
	r.Query, r.Cookie, r.ResultType = "", "", "Hit"
	r.RequestID = "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ=="
	r.HTTPS, r.BytesReceived, r.TimeTaken = true, 23, time.Millisecond
	r.TLSVersion, r.CipherSuite = tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	r.ResponseResultType, r.ProtocolVersion, r.ClientPort = "Hit", "HTTP/2.0", "11040"
	r.TimeToFirstByte, r.DetailedResultType = time.Millisecond, "Hit"
	r.ContentType, r.ContentLength = "text/html", "78"
	return r
}

// standardCases are the golden file's lines, one per case, in order.
var standardCases = []struct {
	name string
	edit func(*edge.LogRecord)
}{
	{"the developer guide's example", nil},
	{"plain HTTP has no TLS fields", func(r *edge.LogRecord) {
		r.HTTPS, r.TLSVersion, r.CipherSuite, r.ProtocolVersion = false, 0, 0, "HTTP/1.1"
	}},
	{"a CNAME is x-host-header, cs(Host) stays the domain", func(r *edge.LogRecord) { r.HostHeader = "www.example.com" }},
	{"TLS 1.3 keeps the IANA suite name", func(r *edge.LogRecord) {
		r.TLSVersion, r.CipherSuite, r.ProtocolVersion = tls.VersionTLS13, tls.TLS_AES_128_GCM_SHA256, "HTTP/3.0"
	}},
	{"a suite without an OpenSSL name keeps Go's", func(r *edge.LogRecord) { r.CipherSuite = 0xfefe }},
	{"a range response", func(r *edge.LogRecord) {
		r.Status, r.ContentRange, r.ContentLength = 206, "bytes 100-199/1000", "100"
		r.ResultType, r.ResponseResultType, r.DetailedResultType = "Miss", "Miss", "Miss"
	}},
	{"an unsatisfiable range has no start or end", func(r *edge.LogRecord) {
		r.Status, r.ContentRange, r.ContentLength = 416, "bytes */1000", "0"
	}},
	{"timings round down to the millisecond; seconds above one", func(r *edge.LogRecord) {
		r.TimeTaken, r.TimeToFirstByte = 12345678*time.Microsecond, 999999*time.Microsecond
	}},
	{"a negative time (clock step) is zero", func(r *edge.LogRecord) { r.TimeTaken = -time.Second }},
	{"x-forwarded-for as sent, encoded", func(r *edge.LogRecord) { r.ForwardedFor = "198.51.100.7, 203.0.113.9" }},
	{"an origin failure", func(r *edge.LogRecord) {
		r.Status, r.ResultType, r.ResponseResultType, r.DetailedResultType = 502, "Error", "Error", "OriginConnectError"
	}},
	{"the viewer hung up", func(r *edge.LogRecord) {
		r.Status, r.BytesSent, r.ContentType, r.ContentLength = 0, 0, "", ""
		r.ResultType, r.ResponseResultType, r.DetailedResultType = "Miss", "Error", "ClientHungUpRequest"
	}},
	{"IPv6 peer and a hostile content type", func(r *edge.LogRecord) {
		r.ClientIP, r.ClientPort, r.ContentType = "2001:db8::1", "443", "text/html; charset=\"utf-8\"\t"
	}},
	{"empty values are dashes", func(r *edge.LogRecord) {
		*r = edge.LogRecord{Time: r.Time, Status: 403}
	}},
}

// TestAppendStandardLineGolden compares the standard layout with
// testdata/standard.log (go test -update rewrites it), and checks that
// every line has 33 fields.
func TestAppendStandardLineGolden(t *testing.T) {
	out := []byte(HeaderStandard)
	for _, tc := range standardCases {
		r := standardRecord()
		if tc.edit != nil {
			tc.edit(&r)
		}
		line := FormatStandard.AppendLine(nil, &r, r.Time, "", "")
		if n := strings.Count(string(line), "\t"); n != 32 || !bytes.HasSuffix(line, []byte("\n")) || strings.Count(string(line), "\n") != 1 {
			t.Errorf("%s: %d tabs, want 32 (33 fields): %q", tc.name, n, line)
		}
		out = append(out, line...)
	}
	golden := filepath.Join("testdata", "standard.log")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		gl, wl := strings.Split(string(out), "\n"), strings.Split(string(want), "\n")
		for i := range gl {
			if i >= len(wl) || gl[i] != wl[i] {
				t.Fatalf("line %d differs:\ngot  %q\nwant %q", i+1, gl[i], wl[min(i, len(wl)-1)])
			}
		}
		t.Fatalf("golden file differs")
	}
}

// TestStandardStartsWith2012 checks that the standard layout's first 15
// fields are exactly the 2012 line, so that a reader of either can read
// them the same way.
func TestStandardStartsWith2012(t *testing.T) {
	r := standardRecord()
	old := strings.TrimSuffix(string(Format2012.AppendLine(nil, &r, r.Time, "", "")), "\n")
	std := strings.Split(string(FormatStandard.AppendLine(nil, &r, r.Time, "", "")), "\t")
	if got := strings.Join(std[:15], "\t"); got != old {
		t.Fatalf("first 15 fields\n%q\nwant\n%q", got, old)
	}
}

func TestParseContentRange(t *testing.T) {
	for _, tt := range contentRangeTests {
		t.Run(tt.in, func(t *testing.T) {
			s, e, ok := ParseContentRange(tt.in)
			if ok != tt.ok || s != tt.start || e != tt.end {
				t.Fatalf("ParseContentRange(%q) = %d, %d, %v; want %d, %d, %v", tt.in, s, e, ok, tt.start, tt.end, tt.ok)
			}
		})
	}
}

var contentRangeTests = []struct {
	in         string
	start, end int64
	ok         bool
}{
	{"bytes 0-99/1000", 0, 99, true},
	{"bytes 100-100/*", 100, 100, true},
	{"bytes 0-00/", 0, 0, true}, // leading zeros are digits too (RFC 9110 1*DIGIT)
	{"bytes 999999999999999999-999999999999999999/*", 999999999999999999, 999999999999999999, true},
	{"bytes */1000", 0, 0, false},
	{"bytes 5-4/10", 0, 0, false},
	{"bytes -1-4/10", 0, 0, false},
	{"bytes +1-4/10", 0, 0, false},
	{"bytes 1-4", 0, 0, false},
	{"bytes 1 -4/10", 0, 0, false},
	{"items 1-4/10", 0, 0, false},
	{"bytes 9999999999999999999-1/*", 0, 0, false},
	{"", 0, 0, false},
}

func TestParseFormat(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Format
		ok   bool
	}{{"standard", FormatStandard, true}, {"", FormatStandard, true}, {"2012", Format2012, true}, {"w3c", 0, false}, {"2012 ", 0, false}} {
		got, err := ParseFormat(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseFormat(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// TestGoaccessCloudFront has goaccess read a standard-format file the
// Writer produced with its predefined CLOUDFRONT format, unmodified:
// every line must count as a valid request, and the fields goaccess reads
// from the later columns (time-taken, TLS version and cipher, protocol)
// must come through.
func TestGoaccessCloudFront(t *testing.T) {
	bin := testpeer.Need(t, "goaccess")
	root := t.TempDir()
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
	w.Update(records(loggingDist("EONE", "one.s3.amazonaws.com", "")), allBuckets)
	n := 0
	for i, tc := range standardCases {
		r := standardRecord()
		if tc.edit != nil {
			tc.edit(&r)
		}
		r.Distribution = "EONE"
		// goaccess needs a method and a path, and counts status 000 (the
		// viewer hung up; CloudFront's sc-status writes it so) as invalid.
		if r.Method == "" || r.Status == 0 {
			continue
		}
		r.Time = time.Date(2019, 12, 4, 21, i, 0, 0, time.UTC)
		w.Log(r)
		n++
	}
	if err := w.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	files := logFiles(t, root)
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	for name, lines := range files {
		if lines[0]+"\n"+lines[1]+"\n" != HeaderStandard {
			t.Fatalf("%s: header %q", name, lines[:2])
		}
		var out, stderr bytes.Buffer
		cmd := exec.Command(bin, "-", "--log-format=CLOUDFRONT", "--http-protocol=yes", "-o", "json", "--no-global-config")
		cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("goaccess: %v\n%s", err, stderr.String())
		}
		var report struct {
			General struct {
				Total  int `json:"total_requests"`
				Valid  int `json:"valid_requests"`
				Failed int `json:"failed_requests"`
			} `json:"general"`
			TLS struct {
				Data []struct {
					Data string `json:"data"`
				} `json:"data"`
			} `json:"tls_type"`
			Requests struct {
				Data []struct {
					Protocol string `json:"protocol"`
					MaxTS    int64  `json:"maxts"` // microseconds, from time-taken
				} `json:"data"`
			} `json:"requests"`
		}
		if err := json.Unmarshal(out.Bytes(), &report); err != nil {
			t.Fatalf("goaccess output: %v\n%.500s", err, out.String())
		}
		if g := report.General; g.Total != n || g.Valid != n || g.Failed != 0 {
			t.Fatalf("goaccess counted %+v, want %d valid requests", g, n)
		}
		var tlsSeen, protoSeen []string
		var maxTS int64
		for _, d := range report.TLS.Data {
			tlsSeen = append(tlsSeen, d.Data)
		}
		for _, d := range report.Requests.Data {
			protoSeen = append(protoSeen, d.Protocol)
			maxTS = max(maxTS, d.MaxTS)
		}
		tlsAll, protoAll := strings.Join(tlsSeen, " "), strings.Join(protoSeen, " ")
		if !strings.Contains(tlsAll, "TLSv1.2") || !strings.Contains(tlsAll, "TLSv1.3") ||
			!strings.Contains(protoAll, "HTTP/2") || !strings.Contains(protoAll, "HTTP/1.1") {
			t.Errorf("goaccess read TLS versions %q and protocols %q", tlsSeen, protoSeen)
		}
		// The slowest case's time-taken, 12.345 s.
		if maxTS != 12345000 {
			t.Errorf("goaccess read a longest time-taken of %d µs, want 12345000", maxTS)
		}
	}
}

// BenchmarkAppendLine compares the two layouts' formatting alone, into a
// reused buffer.
func BenchmarkAppendLine(b *testing.B) {
	r := standardRecord()
	for _, f := range []Format{Format2012, FormatStandard} {
		b.Run(f.String(), func(b *testing.B) {
			buf := make([]byte, 0, 1024)
			b.ReportAllocs()
			for b.Loop() {
				buf = f.AppendLine(buf[:0], &r, r.Time, "", "")
			}
		})
	}
}
