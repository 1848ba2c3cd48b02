package accesslog

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quic-go/quic-go/http3"

	"github.com/openfront/openfront/internal/certs/certstest"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
)

// TestProtocolFields: the standard log's protocol fields for a request
// over HTTP/3 (quic-go's client on the edge's QUIC listener), HTTP/2 over
// TLS and HTTP/1.1 in the clear, each line made by the real edge and laid
// out by AppendStandardLine. CloudFront's "Standard logging reference":
// cs-protocol (17) http or https, ssl-protocol (21) and ssl-cipher (22)
// "-" without TLS, cs-protocol-version (24) HTTP/3.0, HTTP/2.0, HTTP/1.1;
// c-port (27) the viewer's port. The cipher expected is the one the
// client negotiated, named as OpenSSL names it (IANA's for TLS 1.3).
func TestProtocolFields(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}))
	defer origin.Close()
	u, _ := url.Parse(origin.URL)
	port, _ := strconv.Atoi(u.Port())

	var mu sync.Mutex
	var recs []edge.LogRecord
	e, err := edge.New(edge.Options{Location: "TST1", AccessLog: func(r edge.LogRecord) {
		mu.Lock()
		recs = append(recs, r)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	d := cloudfront.Distribution{
		ID: "EH3", DomainName: "d3.cloudfront.test", Status: cloudfront.StatusDeployed,
		Config: cloudfront.DistributionConfig{
			Origins: []cloudfront.Origin{{ID: "o", DomainName: u.Hostname(),
				Custom: &cloudfront.CustomOriginConfig{HTTPPort: port, HTTPSPort: port, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
			DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
				Cookies: cloudfront.CookiePreference{Forward: cloudfront.ForwardNone}},
			HTTPVersion: cloudfront.HTTPVersion2And3,
			Logging:     cloudfront.Logging{Enabled: true, Bucket: "logs.s3.amazonaws.com"},
			Enabled:     true,
		},
	}
	if err := e.Apply(&feed.Snapshot{Revision: 1, Distributions: records(d)}, nil); err != nil {
		t.Fatal(err)
	}

	certPEM, keyPEM := certstest.Pair(t, "default", "*.cloudfront.test")
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	base := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h3 := &http3.Server{Handler: e, TLSConfig: e.HTTP3Config(base, udp.LocalAddr().(*net.UDPAddr).Port)}
	go h3.Serve(udp)
	defer h3.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tcp := &http.Server{Handler: e}
	go tcp.Serve(tls.NewListener(ln, e.TLSConfig(base)))
	defer tcp.Close()
	plain := httptest.NewServer(e)
	defer plain.Close()

	clientTLS := &tls.Config{ServerName: "d3.cloudfront.test", RootCAs: roots}
	cases := []struct {
		name         string
		transport    http.RoundTripper
		url          string
		wantProto    string
		wantScheme   string
		wantTLS      string
		wantCipherOf bool // ssl-cipher is the negotiated suite's name
	}{
		{"HTTP/3", &http3.Transport{TLSClientConfig: clientTLS}, "https://" + udp.LocalAddr().String(), "HTTP/3.0", "https", "TLSv1.3", true},
		{"HTTP/2 over TLS 1.3", &http.Transport{TLSClientConfig: clientTLS, ForceAttemptHTTP2: true}, "https://" + ln.Addr().String(), "HTTP/2.0", "https", "TLSv1.3", true},
		{"HTTP/1.1 in the clear", &http.Transport{}, plain.URL, "HTTP/1.1", "http", "-", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if tr, ok := c.transport.(io.Closer); ok {
				defer tr.Close()
			}
			req, _ := http.NewRequest(http.MethodGet, c.url+"/a.txt", nil)
			req.Host = "d3.cloudfront.test"
			res, err := (&http.Client{Transport: c.transport, Timeout: 5 * time.Second}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || string(body) != "hello" || res.Proto != c.wantProto {
				t.Fatalf("%d %q over %s, want 200 hello over %s", res.StatusCode, body, res.Proto, c.wantProto)
			}
			// The record is logged after the response is written: wait for it.
			var rec edge.LogRecord
			for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				mu.Lock()
				n := len(recs)
				if n > 0 {
					rec, recs = recs[n-1], recs[:0]
				}
				mu.Unlock()
				if n > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("no access-log record")
				}
			}
			line := string(AppendStandardLine(nil, &rec, rec.Time, "", ""))
			f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
			if len(f) != 33 {
				t.Fatalf("%d fields: %q", len(f), line)
			}
			wantCipher := "-"
			if c.wantCipherOf {
				if res.TLS == nil {
					t.Fatal("the client saw no TLS state")
				}
				wantCipher = tls.CipherSuiteName(res.TLS.CipherSuite)
			}
			for _, w := range []struct {
				n          int // 1-based field number, as CloudFront's reference counts
				name, want string
			}{
				{5, "c-ip", "127.0.0.1"},
				{9, "sc-status", "200"},
				{17, "cs-protocol", c.wantScheme},
				{21, "ssl-protocol", c.wantTLS},
				{22, "ssl-cipher", wantCipher},
				{24, "cs-protocol-version", c.wantProto},
			} {
				if got := f[w.n-1]; got != w.want {
					t.Errorf("%s (field %d) = %q, want %q\n%s", w.name, w.n, got, w.want, line)
				}
			}
			if p, err := strconv.Atoi(f[26]); err != nil || p <= 0 || p > 65535 {
				t.Errorf("c-port (field 27) = %q, want the viewer's port", f[26])
			}
		})
	}
}
