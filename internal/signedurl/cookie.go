package signedurl

import "net/http"

// Names of the signed cookies: CloudFront-Policy (custom policy) or
// CloudFront-Expires (canned), CloudFront-Signature, CloudFront-Key-Pair-Id
// and, optionally, CloudFront-Hash-Algorithm ("You can optionally include
// a fourth name-value pair, CloudFront-Hash-Algorithm, to specify the hash
// algorithm used for the signature"). Names are case-sensitive.
const (
	CookieExpires       = "CloudFront-Expires"
	CookiePolicy        = "CloudFront-Policy"
	CookieSignature     = "CloudFront-Signature"
	CookieKeyPairID     = "CloudFront-Key-Pair-Id"
	CookieHashAlgorithm = "CloudFront-Hash-Algorithm"
)

// CookieParams finds the signed cookies among r's Cookie headers, which
// net/http parses (cookies it finds malformed are skipped). As in a query,
// the first non-empty value of a name counts and an empty one is absent;
// values are percent-decoded the same way (base64 as CloudFront writes it
// has no '%', so this only undoes a framework that escaped '~').
func CookieParams(r *http.Request) Params {
	var p Params
	if len(r.Header["Cookie"]) == 0 {
		return p
	}
	for _, c := range r.Cookies() {
		var field *string
		switch c.Name {
		case CookieExpires:
			field = &p.Expires
		case CookiePolicy:
			field = &p.Policy
		case CookieSignature:
			field = &p.Signature
		case CookieKeyPairID:
			field = &p.KeyPairID
		case CookieHashAlgorithm:
			field = &p.HashAlgorithm
		default:
			continue
		}
		if *field == "" {
			*field = unescape(c.Value)
		}
	}
	return p
}
