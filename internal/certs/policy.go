package certs

import (
	"crypto/tls"
	"fmt"
)

// Policy is what a CloudFront security policy (MinimumProtocolVersion)
// means to Go's TLS server.
type Policy struct {
	MinVersion uint16
	// CipherSuites are the TLS 1.0–1.2 suites; Go does not let TLS 1.3's
	// be chosen, and they are the three CloudFront offers under every
	// policy (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305).
	CipherSuites []uint16
}

// The suites of CloudFront's "Supported protocols and ciphers between
// viewers and CloudFront" table that Go implements, by policy.
// Go lacks the AES-256-CBC-SHA384 suites (TLSv1.2_2018 and _2019) and
// RC4-MD5 (TLSv1); those are simply not offered.
var (
	suites2021 = []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
		tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	}
	suites2019 = append(suites2021[:len(suites2021):len(suites2021)],
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
		tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	)
	suites2018 = append(suites2019[:len(suites2019):len(suites2019)],
		tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
	)
	suites2016 = append(suites2018[:len(suites2018):len(suites2018)],
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
		tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
		tls.TLS_RSA_WITH_AES_128_CBC_SHA,
		tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	)
	suitesTLSv1 = append(suites2016[:len(suites2016):len(suites2016)],
		tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
	)
)

// PolicyFor maps MinimumProtocolVersion to a Policy. SSLv3 (CloudFront
// allows it with vip only) becomes TLSv1: Go has no SSLv3. "" is
// CloudFront's default for a custom certificate, TLSv1.
func PolicyFor(name string) (Policy, error) {
	switch name {
	case "", "TLSv1", "SSLv3":
		return Policy{tls.VersionTLS10, suitesTLSv1}, nil
	case "TLSv1_2016":
		return Policy{tls.VersionTLS10, suites2016}, nil
	case "TLSv1.1_2016":
		return Policy{tls.VersionTLS11, suites2016}, nil
	case "TLSv1.2_2018":
		return Policy{tls.VersionTLS12, suites2018}, nil
	case "TLSv1.2_2019":
		return Policy{tls.VersionTLS12, suites2019}, nil
	case "TLSv1.2_2021", "TLSv1.2_2025":
		// TLSv1.2_2025 narrows TLSv1.2_2021's list to the same six suites
		// Go offers here.
		return Policy{tls.VersionTLS12, suites2021}, nil
	case "TLSv1.3_2025":
		return Policy{tls.VersionTLS13, nil}, nil
	}
	return Policy{}, fmt.Errorf("unknown MinimumProtocolVersion %q", name)
}
