package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// pair makes a self-signed certificate for names valid from nb to na, as
// PEM certificate and PEM key.
func pair(t testing.TB, cn string, names []string, nb, na time.Time) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    nb, NotAfter: na,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    names,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})
}

func valid(t testing.TB, cn string, names ...string) *Parsed {
	t.Helper()
	c, k := pair(t, cn, names, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	p, err := Parse(c, k, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseAndCheck(t *testing.T) {
	now := time.Now()
	goodC, goodK := pair(t, "a", []string{"a.example.com"}, now.Add(-time.Hour), now.Add(time.Hour))
	_, otherK := pair(t, "b", []string{"b.example.com"}, now.Add(-time.Hour), now.Add(time.Hour))
	oldC, oldK := pair(t, "old", []string{"old.example.com"}, now.Add(-48*time.Hour), now.Add(-time.Hour))
	newC, newK := pair(t, "new", []string{"new.example.com"}, now.Add(time.Hour), now.Add(48*time.Hour))
	noneC, noneK := pair(t, "none", nil, now.Add(-time.Hour), now.Add(time.Hour))
	weak, _ := rsa.GenerateKey(rand.Reader, 1024)
	weakK := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(weak)})
	for _, tc := range []struct {
		name             string
		cert, key, chain []byte
		parseErr         string // "" parses
		checkErr         string // "" passes Check
	}{
		{"good", goodC, goodK, nil, "", ""},
		{"good with chain", goodC, goodK, oldC, "", ""},
		{"key of another certificate", goodC, otherK, nil, "does not match", ""},
		{"weak RSA key", goodC, weakK, nil, "2048", ""},
		{"two certificates", append(goodC, oldC...), goodK, nil, "exactly one", ""},
		{"key as certificate", goodK, goodK, nil, "unexpected PEM block", ""},
		{"garbage chain", goodC, goodK, []byte("nope"), "not PEM", ""},
		{"no key", goodC, nil, nil, "exactly one PEM block", ""},
		// ACM imports only a certificate valid at import time.
		{"expired", oldC, oldK, nil, "", "expired"},
		{"not yet valid", newC, newK, nil, "", "not valid before"},
		{"no DNS names", noneC, noneK, nil, "", "no DNS name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(tc.cert, tc.key, tc.chain)
			if tc.parseErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.parseErr) {
					t.Fatalf("Parse error %v, want %q", err, tc.parseErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			err = p.Check(now)
			if tc.checkErr == "" && err != nil || tc.checkErr != "" && (err == nil || !strings.Contains(err.Error(), tc.checkErr)) {
				t.Fatalf("Check error %v, want %q", err, tc.checkErr)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	p := valid(t, "x", "www.example.com", "*.img.example.com", "*.wild.example.org")
	for alias, want := range map[string]bool{
		"www.example.com":     true,
		"WWW.Example.COM":     true,
		"a.img.example.com":   true,
		"a.b.img.example.com": false, // a wildcard covers one label
		"img.example.com":     false,
		"*.img.example.com":   true,
		"*.wild.example.org":  true,
		"*.example.com":       false, // a wildcard alias needs the same wildcard
		"other.example.com":   false,
	} {
		if got := p.Covers(alias); got != want {
			t.Errorf("Covers(%q) = %v, want %v", alias, got, want)
		}
	}
}

// serveTLS accepts handshakes on a loopback listener with cfg until the
// test ends.
func serveTLS(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				c.SetDeadline(time.Now().Add(5 * time.Second))
				c.(*tls.Conn).Handshake()
				c.Close()
			}()
		}
	}()
	return ln.Addr().String()
}

func handshake(addr string, cfg *tls.Config) (tls.ConnectionState, error) {
	cfg.InsecureSkipVerify = true // the test compares the certificate itself
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer c.Close()
	return c.ConnectionState(), nil
}

func TestSelectorBySNI(t *testing.T) {
	def := valid(t, "default", "*.cdn.test")
	a := valid(t, "a", "a.example.com")
	b := valid(t, "b", "b.example.com")
	w := valid(t, "wild", "*.wild.example.com")
	strict, _ := PolicyFor("TLSv1.2_2021")
	legacy, _ := PolicyFor("TLSv1")
	tls13, _ := PolicyFor("TLSv1.3_2025")
	s := NewSelector(&tls.Config{Certificates: []tls.Certificate{def.TLS}, MinVersion: tls.VersionTLS12})
	s.Set([]Site{
		{Names: []string{"d1.cdn.test", "a.example.com"}, Cert: &a.TLS, Policy: strict, HTTPVersion: "http2"},
		{Names: []string{"d2.cdn.test", "b.example.com"}, Cert: &b.TLS, Policy: legacy, HTTPVersion: "http1.1"},
		{Names: []string{"d3.cdn.test", "*.wild.example.com"}, Cert: &w.TLS, Policy: tls13},
		{Names: []string{"d4.cdn.test"}, HTTPVersion: "http1.1"},
		{Names: []string{"legacy.example.com"}, Cert: &a.TLS, Policy: legacy, HTTPVersion: "http2and3"},
	})
	addr := serveTLS(t, s.Config())
	for _, tc := range []struct {
		name, sni  string
		min, max   uint16
		alpn       []string
		wantCN     string // "" means the handshake fails
		wantProto  string
		wantMaxVer uint16
	}{
		{"exact name, first certificate", "a.example.com", 0, 0, []string{"h2", "http/1.1"}, "a", "h2", tls.VersionTLS13},
		{"exact name, second certificate", "b.example.com", 0, 0, []string{"h2", "http/1.1"}, "b", "http/1.1", tls.VersionTLS13},
		{"case-insensitive", "A.Example.COM", 0, 0, nil, "a", "", tls.VersionTLS13},
		{"wildcard CNAME", "x.wild.example.com", 0, 0, nil, "wild", "", tls.VersionTLS13},
		{"every name of a site gets its certificate", "d1.cdn.test", 0, 0, nil, "a", "", tls.VersionTLS13},
		{"default certificate distribution, http1.1", "d4.cdn.test", 0, 0, []string{"h2", "http/1.1"}, "default", "http/1.1", tls.VersionTLS13},
		{"unknown name gets the default certificate", "nobody.example.net", 0, 0, []string{"h2", "http/1.1"}, "default", "h2", tls.VersionTLS13},
		{"no SNI gets the default certificate", "", 0, 0, nil, "default", "", tls.VersionTLS13},
		// MinimumProtocolVersion: below it the handshake fails.
		{"TLSv1.2_2021 refuses TLS 1.1", "a.example.com", tls.VersionTLS10, tls.VersionTLS11, nil, "", "", 0},
		{"TLSv1.2_2021 takes TLS 1.2", "a.example.com", tls.VersionTLS12, tls.VersionTLS12, nil, "a", "", tls.VersionTLS12},
		{"TLSv1 takes TLS 1.0", "b.example.com", tls.VersionTLS10, tls.VersionTLS10, nil, "b", "", tls.VersionTLS10},
		{"TLSv1.3_2025 refuses TLS 1.2", "y.wild.example.com", tls.VersionTLS12, tls.VersionTLS12, nil, "", "", 0},
		{"the operator's default refuses TLS 1.1", "nobody.example.net", tls.VersionTLS10, tls.VersionTLS11, nil, "", "", 0},
		// HTTP/2 forbids TLS below 1.2 (RFC 9113 §9.2): h2 is not offered.
		{"TLS 1.0 viewer of an h2 site gets http/1.1", "legacy.example.com", tls.VersionTLS10, tls.VersionTLS10, []string{"h2", "http/1.1"}, "a", "http/1.1", tls.VersionTLS10},
		{"TLS 1.2 viewer of the same site gets h2", "legacy.example.com", tls.VersionTLS12, tls.VersionTLS12, []string{"h2", "http/1.1"}, "a", "h2", tls.VersionTLS12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := handshake(addr, &tls.Config{ServerName: tc.sni, MinVersion: tc.min, MaxVersion: tc.max, NextProtos: tc.alpn})
			if tc.wantCN == "" {
				if err == nil {
					t.Fatalf("handshake succeeded with version %x, want refused", st.Version)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cn := st.PeerCertificates[0].Subject.CommonName; cn != tc.wantCN {
				t.Errorf("certificate %q, want %q", cn, tc.wantCN)
			}
			if st.NegotiatedProtocol != tc.wantProto {
				t.Errorf("ALPN %q, want %q", st.NegotiatedProtocol, tc.wantProto)
			}
			if st.Version != tc.wantMaxVer {
				t.Errorf("version %x, want %x", st.Version, tc.wantMaxVer)
			}
		})
	}
}

// TestPolicySuites: a TLS 1.2 client offering only a suite a policy drops
// is refused, one offering a suite it keeps is served.
func TestPolicySuites(t *testing.T) {
	a := valid(t, "a", "a.example.com")
	for _, tc := range []struct {
		policy string
		suite  uint16
		ok     bool
	}{
		{"TLSv1.2_2021", tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true},
		{"TLSv1.2_2021", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, false},
		{"TLSv1.2_2019", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, true},
		{"TLSv1.2_2019", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, false},
		{"TLSv1_2016", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, true},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			p, err := PolicyFor(tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			s := NewSelector(&tls.Config{Certificates: []tls.Certificate{a.TLS}})
			s.Set([]Site{{Names: []string{"a.example.com"}, Cert: &a.TLS, Policy: p}})
			addr := serveTLS(t, s.Config())
			_, err = handshake(addr, &tls.Config{ServerName: "a.example.com", MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tc.suite}})
			if (err == nil) != tc.ok {
				t.Fatalf("%s with %s: err %v, want ok=%v", tc.policy, tls.CipherSuiteName(tc.suite), err, tc.ok)
			}
		})
	}
}

func TestPolicyForEveryValue(t *testing.T) {
	// Every value the control plane accepts maps to a policy.
	for _, v := range []string{"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025", "TLSv1.2_2025"} {
		if _, err := PolicyFor(v); err != nil {
			t.Error(err)
		}
	}
	if _, err := PolicyFor("TLSv9"); err == nil {
		t.Error("TLSv9 accepted")
	}
}

func FuzzParse(f *testing.F) {
	c, k := pair(f, "a", []string{"a.example.com"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	f.Add(c, k, []byte(nil))
	f.Add(c, k, c)
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), k, []byte("x"))
	f.Fuzz(func(t *testing.T, cert, key, chain []byte) {
		p, err := Parse(cert, key, chain)
		if err != nil {
			return
		}
		// A parsed pair must be usable: names and Check never panic.
		_ = p.Check(time.Now())
		_ = p.Covers("a.example.com")
	})
}
