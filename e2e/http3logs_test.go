package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/certs/certstest"
)

// TestHTTP3AccessLog: the real binary's access-log files for a viewer on
// HTTP/3 (quic-go's client) and one on HTTP/2 over TLS: the standard
// layout's cs-protocol (17) https, ssl-protocol (21) TLSv1.3, ssl-cipher
// (22) the suite the client negotiated, cs-protocol-version (24)
// HTTP/3.0 and HTTP/2.0 (CloudFront's "Standard logging reference").
func TestHTTP3AccessLog(t *testing.T) {
	data := t.TempDir()
	logs := filepath.Join(data, "logs")
	apiAddr, edgeAddr, tlsAddr, h3Addr := freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr,
		"--edge-tls-addr", tlsAddr, "--edge-h3-addr", h3Addr, "--log-dir", logs, "--log-flush", "100ms")
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	api := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	var accounts []struct {
		AccountID string `json:"account_id"`
	}
	if err := json.Unmarshal([]byte(edgeTLSAdmin(t, data, "--json", "account", "list")), &accounts); err != nil || len(accounts) != 1 {
		t.Fatalf("account list: %v %v", err, accounts)
	}
	const alias = "www.h3logs.example"
	certPEM, keyPEM := certstest.Pair(t, "h3logs", alias)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	dir := t.TempDir()
	cf, kf := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cf, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kf, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	arn := strings.TrimSpace(edgeTLSAdmin(t, data, "certificate", "import", "--account", accounts[0].AccountID, "--cert", cf, "--key", kf))

	o := newOrigin(t)
	host, port := hostPort(t, o.http.URL)
	body := fmt.Sprintf(`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>h3logs</CallerReference>`+
		`<Aliases><Quantity>1</Quantity><Items><CNAME>%s</CNAME></Items></Aliases>`+
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>%s</DomainName><CustomOriginConfig><HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>`+
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues><MinTTL>0</MinTTL></DefaultCacheBehavior>`+
		`<Comment /><Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>logs.s3.amazonaws.com</Bucket><Prefix>h3/</Prefix></Logging><Enabled>true</Enabled>`+
		`<ViewerCertificate><ACMCertificateArn>%s</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>`+
		`<HttpVersion>http2and3</HttpVersion></DistributionConfig>`, alias, host, port, arn)
	r := api.must(t, "POST", "/2020-05-31/distribution", body)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	distID := field(idRE, r.body)

	// The edge has the distribution once a TLS handshake for its name works.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, _, err := edgeTLSGet(tlsAddr, alias, roots, 0, false); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the edge never served the distribution over TLS")
		}
		time.Sleep(50 * time.Millisecond)
	}
	res3, _, err := edgeTLSGet(h3Addr, alias, roots, 0, true)
	if err != nil || res3.Proto != "HTTP/3.0" {
		t.Fatalf("HTTP/3: %v %v", err, res3)
	}
	res2, _, err := edgeTLSGet(tlsAddr, alias, roots, 0, false)
	if err != nil || res2.Proto != "HTTP/2.0" {
		t.Fatalf("HTTP/2: %v %v", err, res2)
	}

	// The first line is the TLS probe's; the last two are the viewers'.
	lines := edgeLogsLines(t, filepath.Join(logs, "logs", "h3"), distID, 3)
	byProto := map[string][]string{}
	for _, f := range lines {
		if len(f) != 33 {
			t.Fatalf("log line with %d fields: %q", len(f), f)
		}
		byProto[f[23]] = f
	}
	for _, c := range []struct {
		proto  string
		cipher uint16
	}{{"HTTP/3.0", res3.TLS.CipherSuite}, {"HTTP/2.0", res2.TLS.CipherSuite}} {
		f, ok := byProto[c.proto]
		if !ok {
			t.Fatalf("no log line with cs-protocol-version %s: %q", c.proto, lines)
		}
		if f[16] != "https" || f[20] != "TLSv1.3" || f[21] != tls.CipherSuiteName(c.cipher) || f[8] != "200" {
			t.Errorf("%s: cs-protocol %q, ssl-protocol %q, ssl-cipher %q (want %s), status %q", c.proto, f[16], f[20], f[21], tls.CipherSuiteName(c.cipher), f[8])
		}
	}
}
