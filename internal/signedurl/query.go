package signedurl

import (
	"net/url"
	"strings"
)

// Names of the signed-URL query parameters (spec §9.2). Hash-Algorithm
// (API 2020-05-31 era) is optional: "SHA1", the default, or "SHA256"
// ("When you use SHA-256, include the Hash-Algorithm=SHA256 query
// parameter in the signed URL"). It is a signing parameter like the
// others: the AWS CLI lists "Expires, Policy, Signature, Key-Pair-Id,
// Hash-Algorithm" as the parameters a URL to be signed must not have, so
// it is not part of the canned policy's resource.
const (
	paramExpires       = "Expires"
	paramPolicy        = "Policy"
	paramSignature     = "Signature"
	paramKeyPairID     = "Key-Pair-Id"
	paramHashAlgorithm = "Hash-Algorithm"
)

// The values of Hash-Algorithm (and of the CloudFront-Hash-Algorithm
// cookie). Any other value is refused (AccessDenied).
const (
	HashSHA1   = "SHA1"
	HashSHA256 = "SHA256"
)

// Params are the signing parameters of a query (ParseQuery) or of the
// signed cookies (CookieParams). An empty field means the parameter was
// absent (or empty, which is treated the same).
type Params struct {
	Expires       string
	Policy        string // URL-safe base64, as sent
	Signature     string // URL-safe base64, as sent
	KeyPairID     string
	HashAlgorithm string // "" (SHA1), HashSHA1, HashSHA256 or anything else, as sent
}

// field returns where the parameter called name goes, nil when name is not
// a signing parameter.
func (p *Params) field(name string) *string {
	switch name {
	case paramExpires:
		return &p.Expires
	case paramPolicy:
		return &p.Policy
	case paramSignature:
		return &p.Signature
	case paramKeyPairID:
		return &p.KeyPairID
	case paramHashAlgorithm:
		return &p.HashAlgorithm
	}
	return nil
}

// ParseQuery finds the signing parameters in a raw query by name,
// wherever they are, and returns them with the rest of the query: the
// other parameters, in order, joined by '&'. When a name repeats, the first
// value counts and all are removed. Values are percent-decoded (without
// turning '+' into a space, which base64 uses); a value that does not
// decode is kept as sent and fails later. It never fails.
func ParseQuery(rawQuery string) (p Params, rest string) {
	if rawQuery == "" {
		return p, ""
	}
	var kept []string
	for part := range strings.SplitSeq(rawQuery, "&") {
		name, value, _ := strings.Cut(part, "=")
		field := p.field(name)
		if field == nil {
			kept = append(kept, part)
			continue
		}
		if *field == "" {
			*field = unescape(value)
		}
	}
	if len(kept) == 1 {
		return p, kept[0]
	}
	return p, strings.Join(kept, "&")
}

// querySigned reports whether ParseQuery(rawQuery) finds any signing
// parameter, without building the rest of the query. A non-empty value
// never unescapes to an empty one, so it is set exactly when it is sent.
func querySigned(rawQuery string) bool {
	var p Params
	for part := range strings.SplitSeq(rawQuery, "&") {
		name, value, _ := strings.Cut(part, "=")
		if value != "" && p.field(name) != nil {
			return true
		}
	}
	return false
}

func unescape(v string) string {
	if !strings.ContainsRune(v, '%') {
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// SignedURL is the URL that was signed: scheme://host path, then '?' and
// the rest of the query unless nothing is left.
func SignedURL(scheme, host, path, rest string) string {
	n := len(scheme) + 3 + len(host) + len(path)
	if rest != "" {
		n += 1 + len(rest)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(path)
	if rest != "" {
		b.WriteByte('?')
		b.WriteString(rest)
	}
	return b.String()
}
