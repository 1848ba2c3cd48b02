package edge

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/quic-go/quic-go/http3"

	"github.com/openfront/openfront/internal/certs/certstest"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// TestHTTP3: a distribution with HttpVersion http2and3 answers quic-go's
// HTTP/3 client on the edge's UDP listener and advertises it (Alt-Svc) over
// TCP; one with http2 gets no QUIC handshake and no Alt-Svc.
func TestHTTP3(t *testing.T) {
	defC, defK := certstest.Pair(t, "default", "*.cloudfront.test")
	def, err := tls.X509KeyPair(defC, defK)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(defC)
	origin := newOrigin(t, text("hello"))
	dist := func(id, domain, hv string) cloudfront.Distribution {
		d := distribution(origin.Server, func(c *cloudfront.DistributionConfig) { c.HTTPVersion = hv })
		d.ID, d.DomainName = id, domain
		return d
	}
	e := newEdgeSnapshot(t, Options{}, &feed.Snapshot{Revision: 1, Distributions: records(
		dist("E3", "d3.cloudfront.test", cloudfront.HTTPVersion2And3),
		dist("E2", "d2.cloudfront.test", cloudfront.HTTPVersion2),
	)})
	base := &tls.Config{Certificates: []tls.Certificate{def}, MinVersion: tls.VersionTLS12}
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := udp.LocalAddr().(*net.UDPAddr).Port
	h3 := &http3.Server{Handler: e.Server, TLSConfig: e.HTTP3Config(base, port)}
	go h3.Serve(udp)
	t.Cleanup(func() { h3.Close() })
	tcpAddr := viewerTLSEdge(t, e.Server, base)

	for _, tc := range []struct {
		host      string
		wantH3    bool
		wantAltSv string
	}{
		{"d3.cloudfront.test", true, `h3=":` + itoa(port) + `"; ma=86400`},
		{"d2.cloudfront.test", false, ""},
	} {
		t.Run(tc.host, func(t *testing.T) {
			tr := &http3.Transport{TLSClientConfig: &tls.Config{ServerName: tc.host, RootCAs: roots}}
			defer tr.Close()
			req, _ := http.NewRequest("GET", "https://"+udp.LocalAddr().String()+"/x", nil)
			req.Host = tc.host
			c := &http.Client{Transport: tr, Timeout: 3 * time.Second}
			res, err := c.Do(req)
			if !tc.wantH3 {
				if err == nil {
					res.Body.Close()
					t.Fatalf("HTTP/3 served (%s) for a distribution without it", res.Proto)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.Proto != "HTTP/3.0" || string(b) != "hello" || res.Header.Get("X-Cache") == "" {
					t.Errorf("HTTP/3: %s %q, X-Cache %q", res.Proto, b, res.Header.Get("X-Cache"))
				}
			}
			tcp, _, err := viewerTLSGet(t, tcpAddr, tc.host, roots, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := tcp.Header.Get("Alt-Svc"); got != tc.wantAltSv {
				t.Errorf("Alt-Svc %q, want %q", got, tc.wantAltSv)
			}
		})
	}
	// Plain HTTP never advertises HTTP/3: QUIC is HTTPS only.
	if r := e.get(t, "d3.cloudfront.test", "/x"); r.Header.Get("Alt-Svc") != "" {
		t.Errorf("Alt-Svc over plain HTTP: %q", r.Header.Get("Alt-Svc"))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
