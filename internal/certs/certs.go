// Package certs holds viewer certificates: it checks an imported
// certificate and key (as ACM's ImportCertificate does), and chooses, per
// TLS ClientHello, the certificate, minimum protocol, cipher suites and
// ALPN protocols of the distribution the viewer names by SNI.
package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
)

// maxPEM bounds each PEM input: ACM takes certificates of up to 32 KiB and
// chains of up to 2 MiB; a key is a few KiB.
const (
	maxCertPEM  = 32 << 10
	maxKeyPEM   = 16 << 10
	maxChainPEM = 2 << 20
)

// Parsed is a certificate with its key, ready to serve.
type Parsed struct {
	TLS      tls.Certificate // Leaf set; chain after the leaf
	Names    []string        // the leaf's DNS names, lower case
	NotAfter time.Time
}

// Parse checks a PEM certificate, its PEM private key and an optional PEM
// chain: one certificate, a key that matches it, chain certificates that
// parse. It does not look at the validity period (Check does), so an edge
// keeps serving a certificate that expired after its import, as CloudFront
// serves the imported certificate it has until it is replaced.
func Parse(certPEM, keyPEM, chainPEM []byte) (*Parsed, error) {
	if len(certPEM) > maxCertPEM || len(keyPEM) > maxKeyPEM || len(chainPEM) > maxChainPEM {
		return nil, errors.New("certificate, key or chain too large")
	}
	leafDER, err := onlyCerts(certPEM)
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	if len(leafDER) != 1 {
		return nil, errors.New("certificate: want exactly one certificate (put the others in the chain)")
	}
	leaf, err := x509.ParseCertificate(leafDER[0])
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	chain, err := onlyCerts(chainPEM)
	if err != nil {
		return nil, fmt.Errorf("chain: %w", err)
	}
	for i, der := range chain {
		if _, err := x509.ParseCertificate(der); err != nil {
			return nil, fmt.Errorf("chain certificate %d: %w", i+1, err)
		}
	}
	key, err := parseKey(keyPEM)
	if err != nil {
		return nil, err
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(leaf.PublicKey) {
		return nil, errors.New("the private key does not match the certificate")
	}
	names := make([]string, 0, len(leaf.DNSNames))
	for _, n := range leaf.DNSNames {
		names = append(names, strings.ToLower(n))
	}
	return &Parsed{
		TLS:      tls.Certificate{Certificate: append(leafDER, chain...), PrivateKey: key, Leaf: leaf},
		Names:    names,
		NotAfter: leaf.NotAfter,
	}, nil
}

// Check refuses a certificate outside its validity period at now: ACM
// imports only a certificate that is valid when imported.
func (p *Parsed) Check(now time.Time) error {
	l := p.TLS.Leaf
	if now.Before(l.NotBefore) {
		return fmt.Errorf("the certificate is not valid before %s", l.NotBefore.UTC().Format(time.RFC3339))
	}
	if now.After(l.NotAfter) {
		return fmt.Errorf("the certificate expired at %s", l.NotAfter.UTC().Format(time.RFC3339))
	}
	if len(p.Names) == 0 {
		return errors.New("the certificate names no DNS name (subject alternative names)")
	}
	return nil
}

// Covers reports whether the certificate is good for the CNAME alias. A
// wildcard alias needs the same wildcard in the certificate (CloudFront:
// "*.example.com" is covered only by a "*.example.com" name); an exact
// alias is covered by itself or by a wildcard one label above it.
func (p *Parsed) Covers(alias string) bool {
	alias = strings.ToLower(strings.TrimSuffix(alias, "."))
	for _, n := range p.Names {
		if n == alias {
			return true
		}
		if rest, ok := strings.CutPrefix(n, "*."); ok && !strings.HasPrefix(alias, "*.") {
			if _, parent, ok := strings.Cut(alias, "."); ok && parent == rest {
				return true
			}
		}
	}
	return false
}

// onlyCerts returns the DER of every CERTIFICATE block in b and refuses
// any other block or trailing non-space bytes.
func onlyCerts(b []byte) ([][]byte, error) {
	var out [][]byte
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("unexpected PEM block %q", blk.Type)
		}
		out = append(out, blk.Bytes)
	}
	if len(bytes.TrimSpace(b)) != 0 {
		return nil, errors.New("not PEM")
	}
	return out, nil
}

// parseKey reads one PKCS#1, PKCS#8 or SEC 1 key: RSA (2048 bits or more)
// or ECDSA, the kinds ACM imports.
func parseKey(b []byte) (crypto.Signer, error) {
	blk, rest := pem.Decode(b)
	if blk == nil || len(bytes.TrimSpace(rest)) != 0 {
		return nil, errors.New("private key: want exactly one PEM block")
	}
	var key any
	var err error
	switch blk.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(blk.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
	default:
		return nil, fmt.Errorf("private key: unexpected PEM block %q (encrypted keys are not accepted)", blk.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, errors.New("private key: RSA keys need at least 2048 bits")
		}
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, errors.New("private key: not RSA or ECDSA (what ACM imports)")
}
