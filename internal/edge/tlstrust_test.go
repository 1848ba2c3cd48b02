package edge

import (
	"crypto/tls"
	"crypto/x509"
	"net/http/httptest"
)

// trustTestCerts trusts the certificate every httptest TLS server uses.
func trustTestCerts() *tls.Config {
	srv := httptest.NewUnstartedServer(nil)
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return &tls.Config{RootCAs: pool}
}
