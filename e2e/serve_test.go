package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store/pgtest"
)

// TestServeBootstrapAndRestart: the first start creates an account and
// writes its key to <data>/credentials (0600); a graceful stop (SIGINT)
// and a restart reuse it; the distribution survives.
func TestServeBootstrapAndRestart(t *testing.T) {
	data := t.TempDir()
	apiAddr := freeAddr(t)
	args := []string{"serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", freeAddr(t)}
	p := start(t, `^\(saved in `, args...)
	credPath := filepath.Join(data, "credentials")
	st, err := os.Stat(credPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("credentials mode %v, want 0600", st.Mode().Perm())
	}
	id, secret := credentials(t, credPath)
	if !strings.Contains(p.output(), "aws_access_key_id = "+id) || !strings.Contains(p.output(), "aws_secret_access_key = "+secret) {
		t.Errorf("serve did not print the credentials:\n%s", p.output())
	}
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("boot", "origin.example.com", 80, "PriceClass_All", true))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	p.stop(t)

	p2 := start(t, `^\(saved in `, args...)
	if id2, secret2 := credentials(t, credPath); id2 != id || secret2 != secret {
		t.Errorf("restart made new credentials")
	}
	// The secret is shown by the first start only.
	if strings.Contains(p2.output(), secret) || !strings.Contains(p2.output(), credPath) {
		t.Errorf("restart printed the secret, or not where it is:\n%s", p2.output())
	}
	if g := c.must(t, "GET", "/2012-07-01/distribution/"+field(idRE, r.body), ""); g.status != 200 {
		t.Errorf("after restart: %d %s", g.status, g.body)
	}
}

// TestServeAPIOverTLS: with --tls-cert/--tls-key the API speaks HTTPS.
func TestServeAPIOverTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t, dir)
	data := filepath.Join(dir, "data")
	apiAddr := freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", freeAddr(t),
		"--tls-cert", certFile, "--tls-key", keyFile)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "https://" + apiAddr, id: id, secret: secret,
		http: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("tls", "origin.example.com", 80, "PriceClass_All", true))
	if r.status != 201 || !strings.HasPrefix(r.header.Get("Location"), "https://"+apiAddr+"/2012-07-01/distribution/") {
		t.Fatalf("create over TLS: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	// Plain HTTP on the TLS port gets nowhere.
	plain := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	if r, err := plain.do(t.Context(), "GET", "/2012-07-01/distribution", ""); err == nil && r.status == 200 {
		t.Fatalf("plain HTTP on the TLS listener answered 200")
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1.
func writeCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "openfront test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestRequestCommand: the README's quick start, `openfront request` with
// the example config, then a fetch through the embedded edge.
func TestRequestCommand(t *testing.T) {
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	origin := httptestOrigin(t, "hello from the origin")
	cfg, err := os.ReadFile("../examples/distribution.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, port := hostPort(t, origin)
	cfgFile := filepath.Join(data, "distribution.xml")
	os.WriteFile(cfgFile, []byte(strings.Replace(string(cfg), "<HTTPPort>9000</HTTPPort>", "<HTTPPort>"+strconv.Itoa(port)+"</HTTPPort>", 1)), 0o600)
	out, err := exec.Command(binary(t), "request", "--endpoint", "http://"+apiAddr, "--credentials", filepath.Join(data, "credentials"),
		"POST", "/2012-07-01/distribution", cfgFile).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "201 Created") {
		t.Fatalf("request: %v\n%s", err, out)
	}
	var body string
	for i := 0; i < 200; i++ {
		res, b := viewer(t, "http", edgeAddr, "www.example.localhost", "GET", "/")
		if body = b; res.StatusCode == 200 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if body != "hello from the origin" {
		t.Fatalf("through the edge: %q", body)
	}
}

func httptestOrigin(t *testing.T, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestServeOnPostgres: `serve --store postgres://…` keeps everything in
// PostgreSQL; a distribution created there is served by the edge, and a
// second control plane on the same database sees it.
func TestServeOnPostgres(t *testing.T) {
	dsn := pgtest.FreshSchema(t, pgtest.DSN(t))
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--store", dsn, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	host, port := hostPort(t, httptestOrigin(t, "from postgres"))
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("pg", host, port, "PriceClass_All", true, "pg.e2e.test"))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var body string
	for i := 0; i < 200 && body != "from postgres"; i++ {
		_, body = viewer(t, "http", edgeAddr, "pg.e2e.test", "GET", "/")
		time.Sleep(10 * time.Millisecond)
	}
	if body != "from postgres" {
		t.Fatalf("through the edge: %q", body)
	}
	// Another control-plane node on the same database.
	api2 := freeAddr(t)
	start(t, `^api: `, "api", "--data", t.TempDir(), "--store", dsn, "--api-addr", api2)
	c2 := &apiClient{base: "http://" + api2, id: id, secret: secret}
	if g := c2.must(t, "GET", "/2012-07-01/distribution/"+field(idRE, r.body), ""); g.status != 200 {
		t.Fatalf("second node: %d %s", g.status, g.body)
	}
}

// TestMetricsEndpoint: serve's /metrics on --admin-addr has the control
// plane's and the edge's series.
func TestMetricsEndpoint(t *testing.T) {
	data := t.TempDir()
	apiAddr, edgeAddr, adminAddr := freeAddr(t), freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr, "--admin-addr", adminAddr)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	host, port := hostPort(t, httptestOrigin(t, "metrics"))
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("m", host, port, "PriceClass_All", true, "m.e2e.test"))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	for i := 0; i < 200; i++ {
		if res, _ := viewer(t, "http", edgeAddr, "m.e2e.test", "GET", "/x"); res.StatusCode == 200 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	viewer(t, "http", edgeAddr, "m.e2e.test", "GET", "/x") // a hit
	res, err := http.Get("http://" + adminAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`openfront_api_requests_total{operation="CreateDistribution",status="201"} 1`,
		`openfront_edge_requests_total{distribution="` + field(idRE, r.body) + `",result="hit"}`,
		"openfront_edge_origin_response_seconds", "openfront_edge_cache_bytes", "openfront_edge_snapshot_revision",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestEdgeFollowsTLSControlPlane: an edge follows a control plane whose
// API (and feed) speak HTTPS with a private CA, given --control-plane-ca.
func TestEdgeFollowsTLSControlPlane(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t, dir)
	data := filepath.Join(dir, "data")
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "api", "--data", data, "--api-addr", apiAddr, "--tls-cert", certFile, "--tls-key", keyFile, "--allow-private-origins")
	out, err := exec.Command(binary(t), "admin", "--data", data, "--json", "edge-key", "create").Output()
	if err != nil {
		t.Fatal(err)
	}
	var key map[string]string
	json.Unmarshal(out, &key)
	start(t, `^openfront edge `, "edge", "--control-plane", "https://"+apiAddr, "--control-plane-ca", certFile,
		"--feed-auth", key["feed_auth"], "--state", filepath.Join(dir, "edge"), "--edge-addr", edgeAddr, "--admin-addr", "", "--allow-private-origins")
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "https://" + apiAddr, id: id, secret: secret,
		http: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	host, port := hostPort(t, httptestOrigin(t, "over tls"))
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("tlsfeed", host, port, "PriceClass_All", true, "tls.e2e.test"))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var body string
	for i := 0; i < 300 && body != "over tls"; i++ {
		_, body = viewer(t, "http", edgeAddr, "tls.e2e.test", "GET", "/")
		time.Sleep(10 * time.Millisecond)
	}
	if body != "over tls" {
		t.Fatalf("through the edge: %q", body)
	}
}
