package auth

import (
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
)

type scheme uint8

const (
	schemeLegacy scheme = iota + 1 // AWS id:signature
	schemeV4                       // AWS4-HMAC-SHA256
	schemeV4A                      // AWS4-ECDSA-P256-SHA256
)

const (
	legacyPrefix = "AWS "
	v4Algorithm  = "AWS4-HMAC-SHA256"
	v4aAlgorithm = "AWS4-ECDSA-P256-SHA256"
)

// authorization is a parsed Authorization header. The scope fields and
// signedHeaders are set for SigV4 and SigV4A only; region for SigV4 only,
// since a SigV4A scope has none (the region set is a signed header).
type authorization struct {
	scheme        scheme
	accessKeyID   string
	signature     string
	date          string // credential scope: YYYYMMDD
	region        string
	service       string
	terminator    string
	signedHeaders []string
}

// parseAuthorization parses any scheme's header. It checks syntax only;
// what the scope says is checked against the request by the verifier.
func parseAuthorization(h string) (authorization, error) {
	if rest, ok := strings.CutPrefix(h, v4Algorithm+" "); ok {
		return parseV4Authorization(rest, schemeV4)
	}
	if rest, ok := strings.CutPrefix(h, v4aAlgorithm+" "); ok {
		return parseV4Authorization(rest, schemeV4A)
	}
	if rest, ok := strings.CutPrefix(h, legacyPrefix); ok {
		return parseLegacyAuthorization(rest)
	}
	return authorization{}, incomplete("Authorization header is neither 'AWS AccessKeyId:Signature' nor 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...' nor 'AWS4-ECDSA-P256-SHA256 Credential=..., SignedHeaders=..., Signature=...'.")
}

func parseLegacyAuthorization(s string) (authorization, error) {
	id, sig, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || id == "" || sig == "" || strings.ContainsAny(id, " \t") || strings.ContainsAny(sig, " \t") {
		return authorization{}, incomplete("Authorization header must be 'AWS AccessKeyId:Signature'.")
	}
	return authorization{scheme: schemeLegacy, accessKeyID: id, signature: sig}, nil
}

// parseV4Authorization parses "Credential=…, SignedHeaders=…, Signature=…"
// in any order, with or without spaces after the commas, for SigV4 or
// SigV4A: the two differ only in the credential scope.
func parseV4Authorization(s string, sch scheme) (authorization, error) {
	a := authorization{scheme: sch}
	var credential, signedHeaders string
	var seen [3]bool
	for part := range strings.SplitSeq(s, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || value == "" {
			return authorization{}, incomplete("Authorization header element %q is not of the form key=value.", part)
		}
		var i int
		switch key {
		case "Credential":
			i, credential = 0, value
		case "SignedHeaders":
			i, signedHeaders = 1, value
		case "Signature":
			i, a.signature = 2, value
		default:
			return authorization{}, incomplete("Authorization header has an unknown element %q.", key)
		}
		if seen[i] {
			return authorization{}, incomplete("Authorization header repeats %s.", key)
		}
		seen[i] = true
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return authorization{}, incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.")
	}
	form, parts := "AccessKeyId/YYYYMMDD/region/service/aws4_request", 5
	if sch == schemeV4A {
		form, parts = "AccessKeyId/YYYYMMDD/service/aws4_request", 4
	}
	scope := strings.Split(credential, "/")
	if len(scope) != parts || slices.Contains(scope, "") {
		return authorization{}, incomplete("Credential must have the form %s.", form)
	}
	if sch == schemeV4A {
		a.accessKeyID, a.date, a.service, a.terminator = scope[0], scope[1], scope[2], scope[3]
	} else {
		a.accessKeyID, a.date, a.region, a.service, a.terminator = scope[0], scope[1], scope[2], scope[3], scope[4]
	}
	a.signedHeaders = strings.Split(signedHeaders, ";")
	for _, name := range a.signedHeaders {
		if name == "" || name != strings.ToLower(name) || strings.ContainsAny(name, " \t") {
			return authorization{}, incomplete("SignedHeaders must be lower-case header names separated by ';'.")
		}
	}
	return a, nil
}

// String formats the header back; parsing the result gives a equal a.
func (a authorization) String() string {
	if a.scheme == schemeLegacy {
		return legacyPrefix + a.accessKeyID + ":" + a.signature
	}
	return a.algorithm() + " Credential=" + a.accessKeyID + "/" + a.scope() +
		", SignedHeaders=" + strings.Join(a.signedHeaders, ";") + ", Signature=" + a.signature
}

// algorithm is the SigV4 or SigV4A algorithm name, which starts both the
// header and the string to sign.
func (a authorization) algorithm() string {
	if a.scheme == schemeV4A {
		return v4aAlgorithm
	}
	return v4Algorithm
}

// scope is the credential scope as signed: the Credential less the key id.
func (a authorization) scope() string {
	if a.scheme == schemeV4A {
		return a.date + "/" + a.service + "/" + a.terminator
	}
	return a.date + "/" + a.region + "/" + a.service + "/" + a.terminator
}

func incomplete(format string, args ...any) *cloudfront.Error {
	return cloudfront.Errorf(cloudfront.IncompleteSignature, format, args...)
}
