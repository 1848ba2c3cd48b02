package edge

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/certs/certstest"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// viewerTLSEdge serves s on a real TLS listener built the way the CLI
// builds it (tls.NewListener with s.TLSConfig(base), http.Server.Serve), and
// returns its address.
func viewerTLSEdge(t *testing.T, s *Server, base *tls.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s}
	go srv.Serve(tls.NewListener(ln, s.TLSConfig(base)))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// viewerTLSGet asks addr for https://name/ with SNI name, trusting roots,
// HTTP/2 allowed; it returns the response (body read) and its TLS state.
func viewerTLSGet(t *testing.T, addr, name string, roots *x509.CertPool, maxVersion uint16) (*http.Response, string, error) {
	t.Helper()
	return viewerTLSGetHost(t, addr, name, name, roots, maxVersion)
}

// viewerTLSGetHost is viewerTLSGet with a Host other than the SNI name.
func viewerTLSGetHost(t *testing.T, addr, name, host string, roots *x509.CertPool, maxVersion uint16) (*http.Response, string, error) {
	t.Helper()
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{ServerName: name, RootCAs: roots, MinVersion: tls.VersionTLS10, MaxVersion: maxVersion},
		ForceAttemptHTTP2: true,
	}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", "https://"+addr+"/x", nil)
	req.Host = host
	c := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	res, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, string(b), err
}

// TestViewerCertificateBySNI: two distributions with two imported
// certificates; each CNAME gets its own certificate (verified by a real
// client), its HttpVersion's protocol and its MinimumProtocolVersion; the
// distributions' own names get the default certificate.
func TestViewerCertificateBySNI(t *testing.T) {
	const acct = "111111111111"
	defC, defK := certstest.Pair(t, "default", "*.cloudfront.test")
	aC, aK := certstest.Pair(t, "cert-a", "www.a.example")
	bC, bK := certstest.Pair(t, "cert-b", "*.b.example")
	stolenC, stolenK := certstest.Pair(t, "stolen", "www.c.example")
	roots := x509.NewCertPool()
	for _, c := range [][]byte{defC, aC, bC, stolenC} {
		roots.AppendCertsFromPEM(c)
	}
	def, err := tls.X509KeyPair(defC, defK)
	if err != nil {
		t.Fatal(err)
	}
	originA := newOrigin(t, text("from a"))
	originB := newOrigin(t, text("from b"))
	originC := newOrigin(t, text("from c"))
	const arnA, arnB, arnC = "arn:aws:acm:us-east-1:" + acct + ":certificate/a", "arn:aws:acm:us-east-1:" + acct + ":certificate/b", "arn:aws:acm:us-east-1:999999999999:certificate/c"
	withCert := func(id, domain, arn, policy, httpVersion string, srv *testOrigin, aliases ...string) cloudfront.Distribution {
		d := distribution(srv.Server, func(c *cloudfront.DistributionConfig) {
			c.Aliases = aliases
			c.HTTPVersion = httpVersion
			c.ViewerCertificate = &cloudfront.ViewerCertificate{ACMCertificateARN: arn, SSLSupportMethod: "sni-only", MinimumProtocolVersion: policy}
		})
		d.ID, d.DomainName, d.AccountID = id, domain, acct
		return d
	}
	snap := &feed.Snapshot{Revision: 1,
		Distributions: records(
			withCert("EA", "da.cloudfront.test", arnA, "TLSv1", "http2", originA, "www.a.example"),
			withCert("EB", "db.cloudfront.test", arnB, "TLSv1.2_2021", "http1.1", originB, "*.b.example"),
			// Names a certificate of another account: never served.
			withCert("EC", "dc.cloudfront.test", arnC, "TLSv1", "", originC, "www.c.example"),
		),
		Certificates: []feed.Certificate{
			{ARN: arnA, AccountID: acct, CertificatePEM: string(aC), PrivateKeyPEM: string(aK)},
			{ARN: arnB, AccountID: acct, CertificatePEM: string(bC), PrivateKeyPEM: string(bK)},
			{ARN: arnC, AccountID: "999999999999", CertificatePEM: string(stolenC), PrivateKeyPEM: string(stolenK)},
		},
	}
	e := newEdgeSnapshot(t, Options{}, snap)
	addr := viewerTLSEdge(t, e.Server, &tls.Config{Certificates: []tls.Certificate{def}, MinVersion: tls.VersionTLS12})
	for _, tc := range []struct {
		name, sni  string
		maxVersion uint16
		wantCN     string // "" means the handshake or verification fails
		wantProto  string
		wantBody   string
	}{
		{"first CNAME, first certificate, HTTP/2", "www.a.example", 0, "cert-a", "HTTP/2.0", "from a"},
		{"second CNAME by wildcard, second certificate, http1.1", "shop.b.example", 0, "cert-b", "HTTP/1.1", "from b"},
		// HTTP/2 needs TLS 1.2 (RFC 9113 §9.2): a TLS 1.0 viewer of an
		// http2 distribution gets HTTP/1.1.
		{"TLSv1 takes TLS 1.0, over HTTP/1.1", "www.a.example", tls.VersionTLS10, "cert-a", "HTTP/1.1", "from a"},
		{"TLSv1.2_2021 refuses TLS 1.1", "shop.b.example", tls.VersionTLS11, "", "", ""},
		{"own domain name, default certificate, the distribution's protocol", "db.cloudfront.test", 0, "default", "HTTP/1.1", "from b"},
		{"another account's certificate is not served", "www.c.example", 0, "", "", ""},
		{"unknown name, default certificate", "nobody.cloudfront.test", 0, "default", "HTTP/2.0", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body, err := viewerTLSGet(t, addr, tc.sni, roots, tc.maxVersion)
			if tc.wantCN == "" {
				if err == nil {
					t.Fatalf("served with %q, want a failed handshake", res.TLS.PeerCertificates[0].Subject.CommonName)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cn := res.TLS.PeerCertificates[0].Subject.CommonName; cn != tc.wantCN {
				t.Errorf("certificate %q, want %q", cn, tc.wantCN)
			}
			if res.Proto != tc.wantProto {
				t.Errorf("protocol %s, want %s", res.Proto, tc.wantProto)
			}
			if tc.wantBody != "" && body != tc.wantBody {
				t.Errorf("body %q, want %q", body, tc.wantBody)
			}
		})
	}

	// A TLS 1.0 connection made for the TLSv1 distribution cannot ask for
	// the TLSv1.2_2021 one: 421; over TLS 1.2 it may (same edge, both
	// policies met), as a browser coalescing connections would.
	for _, tc := range []struct {
		version uint16
		status  int
	}{{tls.VersionTLS10, http.StatusMisdirectedRequest}, {tls.VersionTLS12, http.StatusOK}} {
		res, _, err := viewerTLSGetHost(t, addr, "www.a.example", "shop.b.example", roots, tc.version)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != tc.status {
			t.Errorf("TLS %x, SNI of the TLSv1 distribution, Host of the TLSv1.2_2021 one: %d, want %d", tc.version, res.StatusCode, tc.status)
		}
	}

	// A new snapshot without the second certificate: its CNAME falls back
	// to the default certificate, which does not cover it.
	snap2 := *snap
	snap2.Revision = 2
	snap2.Certificates = snap.Certificates[:1]
	if err := e.Apply(&snap2, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := viewerTLSGet(t, addr, "shop.b.example", roots, 0); err == nil {
		t.Error("a deleted certificate is still served")
	}
	if _, _, err := viewerTLSGet(t, addr, "www.a.example", roots, 0); err != nil {
		t.Errorf("the other certificate stopped: %v", err)
	}
}
