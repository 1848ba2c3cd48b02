package signedurl

import (
	"net/url"
	"strings"
)

// Names of the signed-URL query parameters (spec §9.2).
const (
	paramExpires   = "Expires"
	paramPolicy    = "Policy"
	paramSignature = "Signature"
	paramKeyPairID = "Key-Pair-Id"
)

// Params are the signed-URL parameters of a query. An empty field means the
// parameter was absent (or empty, which is treated the same).
type Params struct {
	Expires   string
	Policy    string // URL-safe base64, as sent
	Signature string // URL-safe base64, as sent
	KeyPairID string
}

// ParseQuery finds the signed-URL parameters in a raw query by name,
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
		var field *string
		switch name {
		case paramExpires:
			field = &p.Expires
		case paramPolicy:
			field = &p.Policy
		case paramSignature:
			field = &p.Signature
		case paramKeyPairID:
			field = &p.KeyPairID
		default:
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
