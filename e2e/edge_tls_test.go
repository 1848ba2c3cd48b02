package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quic-go/quic-go/http3"

	"github.com/openfront/openfront/internal/certs/certstest"
)

// edgeTLSAdmin runs `openfront admin --data data args…` and returns stdout.
func edgeTLSAdmin(t *testing.T, data string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"admin", "--data", data}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("admin %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// edgeTLSGet fetches https://host/x from addr with SNI host, verifying the
// certificate against roots, over HTTP/3 when h3 is set.
func edgeTLSGet(addr, host string, roots *x509.CertPool, maxVersion uint16, h3 bool) (*http.Response, string, error) {
	cfg := &tls.Config{ServerName: host, RootCAs: roots, MinVersion: tls.VersionTLS10, MaxVersion: maxVersion}
	var rt http.RoundTripper = &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true}
	if h3 {
		rt = &http3.Transport{TLSClientConfig: cfg}
	}
	defer func() {
		if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
			c.CloseIdleConnections()
		}
	}()
	req, _ := http.NewRequest("GET", "https://"+addr+"/x", nil)
	req.Host = host
	res, err := (&http.Client{Transport: rt, Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, string(b), err
}

// TestEdgeTLSCertificates: certificates imported with `admin certificate
// import` reach the edge of the real binary through the feed; viewers get
// each distribution's certificate by SNI, its HttpVersion (HTTP/2 with
// Go's client, HTTP/3 with quic-go's) and its MinimumProtocolVersion; a
// certificate that does not cover a CNAME is refused by the API.
func TestEdgeTLSCertificates(t *testing.T) {
	data := t.TempDir()
	apiAddr, edgeAddr, tlsAddr, h3Addr := freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr,
		"--edge-tls-addr", tlsAddr, "--edge-h3-addr", h3Addr)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	api := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	var accounts []struct {
		AccountID string `json:"account_id"`
	}
	if err := json.Unmarshal([]byte(edgeTLSAdmin(t, data, "--json", "account", "list")), &accounts); err != nil || len(accounts) != 1 {
		t.Fatalf("account list: %v %v", err, accounts)
	}
	dir := t.TempDir()
	roots := x509.NewCertPool()
	imp := func(cn string, names ...string) string {
		c, k := certstest.Pair(t, cn, names...)
		roots.AppendCertsFromPEM(c)
		cf, kf := filepath.Join(dir, cn+".pem"), filepath.Join(dir, cn+"-key.pem")
		if err := os.WriteFile(cf, c, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(kf, k, 0o600); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(edgeTLSAdmin(t, data, "certificate", "import", "--account", accounts[0].AccountID, "--cert", cf, "--key", kf))
	}
	arnA := imp("cert-a", "www.tls-a.example")
	arnB := imp("cert-b", "*.tls-b.example")

	o := newOrigin(t)
	host, port := hostPort(t, o.http.URL)
	create := func(ref, alias, arn, policy, httpVersion string) apiResponse {
		cfg := strings.Replace(distConfig(ref, host, port, "PriceClass_All", true, alias), "2012-07-01", "2020-05-31", 1)
		cfg = strings.Replace(cfg, "</DistributionConfig>", "<ViewerCertificate><ACMCertificateArn>"+arn+
			"</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>"+policy+
			"</MinimumProtocolVersion></ViewerCertificate><HttpVersion>"+httpVersion+"</HttpVersion></DistributionConfig>", 1)
		return api.must(t, "POST", "/2020-05-31/distribution", cfg)
	}
	if r := create("tls-a", "www.tls-a.example", arnA, "TLSv1", "http2and3"); r.status != http.StatusCreated {
		t.Fatalf("create a: %d %s", r.status, r.body)
	}
	if r := create("tls-b", "shop.tls-b.example", arnB, "TLSv1.2_2021", "http1.1"); r.status != http.StatusCreated {
		t.Fatalf("create b: %d %s", r.status, r.body)
	}
	// CloudFront: a certificate must cover every CNAME.
	if r := create("tls-c", "www.other.example", arnA, "TLSv1", "http2"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "<Code>InvalidViewerCertificate</Code>") {
		t.Fatalf("uncovered CNAME: %d %s", r.status, r.body)
	}

	// The edge has both once a handshake with the second certificate works.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, _, err := edgeTLSGet(tlsAddr, "shop.tls-b.example", roots, 0, false)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edge never served the imported certificate: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, tc := range []struct {
		name, addr, host string
		maxVersion       uint16
		h3               bool
		wantCN, proto    string // wantCN "" means refused
	}{
		{"first certificate over HTTP/2", tlsAddr, "www.tls-a.example", 0, false, "cert-a", "HTTP/2.0"},
		{"second certificate by wildcard over HTTP/1.1", tlsAddr, "shop.tls-b.example", 0, false, "cert-b", "HTTP/1.1"},
		{"TLSv1.2_2021 refuses TLS 1.1", tlsAddr, "shop.tls-b.example", tls.VersionTLS11, false, "", ""},
		{"TLSv1 takes TLS 1.1", tlsAddr, "www.tls-a.example", tls.VersionTLS11, false, "cert-a", "HTTP/1.1"},
		{"HTTP/3 for http2and3", h3Addr, "www.tls-a.example", 0, true, "cert-a", "HTTP/3.0"},
		{"no HTTP/3 for http1.1", h3Addr, "shop.tls-b.example", 0, true, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body, err := edgeTLSGet(tc.addr, tc.host, roots, tc.maxVersion, tc.h3)
			if tc.wantCN == "" {
				if err == nil {
					t.Fatalf("served over %s, want refused", res.Proto)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cn := res.TLS.PeerCertificates[0].Subject.CommonName; cn != tc.wantCN || res.Proto != tc.proto || res.StatusCode != http.StatusOK || body == "" {
				t.Errorf("got %s over %s, status %d, body %q; want %s over %s", cn, res.Proto, res.StatusCode, body, tc.wantCN, tc.proto)
			}
			if !tc.h3 && tc.host == "www.tls-a.example" && !strings.HasPrefix(res.Header.Get("Alt-Svc"), `h3=":`) {
				t.Errorf("no Alt-Svc for an http2and3 distribution: %q", res.Header.Get("Alt-Svc"))
			}
		})
	}
}
