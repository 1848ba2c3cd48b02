package leanhttp

import (
	"bufio"
	"bytes"
	"net/http"
	"net/textproto"
	"reflect"
	"testing"

	"golang.org/x/net/http/httpguts"
)

// A head parseHead accepts must read the same through net/http's own
// parser; what it refuses goes to net/http whole, so refusing is always
// safe.
func checkAgainstNetHTTP(t *testing.T, head []byte) {
	t.Helper()
	got := new(http.Request)
	if !parseHead(got, head) {
		return
	}
	want, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
	if err != nil {
		t.Fatalf("accepted %q, which net/http refuses: %v", head, err)
	}
	// net/http's server also refuses a request without exactly one
	// valid Host field; ReadRequest has removed it from the header.
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	tp.ReadLine()
	mh, err := tp.ReadMIMEHeader()
	if err != nil || len(mh["Host"]) != 1 || !httpguts.ValidHostHeader(mh["Host"][0]) {
		t.Fatalf("accepted %q, whose Host fields are %q (%v)", head, mh["Host"], err)
	}
	for k, vv := range want.Header {
		if len(vv) == 0 {
			delete(want.Header, k)
		}
	}
	if want.Method != got.Method || want.RequestURI != got.RequestURI || want.Host != got.Host ||
		want.Proto != got.Proto || want.Close != got.Close || want.ContentLength != got.ContentLength ||
		want.URL.String() != got.URL.String() || want.URL.Path != got.URL.Path ||
		want.URL.RawPath != got.URL.RawPath || want.URL.RawQuery != got.URL.RawQuery {
		t.Fatalf("%q read differently:\nnet/http %+v\nleanhttp %+v", head, want, got)
	}
	if !reflect.DeepEqual(map[string][]string(want.Header), map[string][]string(got.Header)) {
		t.Fatalf("%q headers differ:\nnet/http %v\nleanhttp %v", head, want.Header, got.Header)
	}
	if got.Body != http.NoBody || want.Body != http.NoBody {
		t.Fatalf("%q: bodies %v and %v", head, want.Body, got.Body)
	}
}

var heads = []struct {
	name   string
	head   string
	accept bool
}{
	{"plain", "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n", true},
	{"head", "HEAD /x?y=1 HTTP/1.1\r\nHost: a.example:8080\r\nAccept: */*\r\n\r\n", true},
	{"lower-case names", "GET / HTTP/1.1\r\nhost: a\r\nuser-agent: x\r\naccept-encoding: gzip\r\n\r\n", true},
	{"repeated field", "GET / HTTP/1.1\r\nHost: a\r\nCookie: a=1\r\nX: 1\r\nCookie: b=2\r\n\r\n", true},
	{"ows", "GET / HTTP/1.1\r\nHost: a\r\nX:\t v w \t\r\nY:\r\n\r\n", true},
	{"pragma", "GET / HTTP/1.1\r\nHost: a\r\nPragma: no-cache\r\n\r\n", true},
	{"pragma and cache-control", "GET / HTTP/1.1\r\nHost: a\r\nPragma: no-cache\r\nCache-Control: max-age=1\r\n\r\n", true},
	{"connection close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n", true},
	{"escapes", "GET /a%20b/%2F?q=%zz HTTP/1.1\r\nHost: a\r\n\r\n", true},
	{"hash in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", true},
	{"obs-text value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n", true},
	{"post", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx", false},
	{"get with length", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", false},
	{"chunked", "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", false},
	{"expect", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", false},
	{"upgrade", "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", false},
	{"http/1.0", "GET / HTTP/1.0\r\nHost: a\r\n\r\n", false},
	{"absolute form", "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", false},
	{"asterisk", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", false},
	{"no host", "GET / HTTP/1.1\r\nX: 1\r\n\r\n", false},
	{"two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", false},
	{"bad host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", false},
	{"folding", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", false},
	{"space before colon", "GET / HTTP/1.1\r\nHost: a\r\nX : 1\r\n\r\n", false},
	{"bare lf", "GET / HTTP/1.1\nHost: a\n\n", false},
	{"control in value", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\x012\r\n\r\n", false},
	{"non-ascii target", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", false},
	{"bad escape in path", "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", false},
	{"lower-case method", "get / HTTP/1.1\r\nHost: a\r\n\r\n", false},
	{"two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", false},
}

func TestParseHead(t *testing.T) {
	for _, tc := range heads {
		t.Run(tc.name, func(t *testing.T) {
			head := []byte(tc.head)
			if n := headEnd(head, 0); n > 0 {
				head = head[:n]
			}
			ok := parseHead(new(http.Request), head)
			if ok != tc.accept {
				t.Fatalf("accepted %v, want %v", ok, tc.accept)
			}
			checkAgainstNetHTTP(t, head)
		})
	}
}

func TestHeadEnd(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET", 27},
		{"GET / HTTP/1.1\r\nHost: a\r\n\r", 0},
		{"GET / HTTP/1.1\r\nHost: a\n\n", -1},
		{"", 0},
	} {
		if got := headEnd([]byte(tc.in), 0); got != tc.want {
			t.Errorf("headEnd(%q) = %d, want %d", tc.in, got, tc.want)
		}
		// Scanning in pieces finds the same end.
		b := []byte(tc.in)
		got := 0
		for i := 1; i <= len(b) && got == 0; i++ {
			got = headEnd(b[:i], i-4)
		}
		if got != tc.want {
			t.Errorf("headEnd(%q) in pieces = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func FuzzParseHead(f *testing.F) {
	for _, tc := range heads {
		f.Add([]byte(tc.head))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n := headEnd(b, 0)
		if n <= 0 {
			return
		}
		checkAgainstNetHTTP(t, b[:n])
	})
}
