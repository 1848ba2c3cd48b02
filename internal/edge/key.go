package edge

import (
	"strings"
	"sync"

	"github.com/openfront/openfront/internal/urlpath"
)

// Cache key layout, NUL-separated so that a purge can match by prefix:
//
//	distribution ID \0 path \0 query \0 cookies \0 encoding
//
// The query is empty unless the behaviour forwards it; cookies are the
// forwarded ones, sorted by name; encoding is 'g' (gzip), 'b' (Brotli,
// behaviours with Compress only) or 'i'.
func appendKey(dst []byte, distID, path, query, cookies string, enc byte) []byte {
	dst = append(dst, distID...)
	dst = append(dst, 0)
	dst = append(dst, path...)
	dst = append(dst, 0)
	dst = append(dst, query...)
	dst = append(dst, 0)
	dst = append(dst, cookies...)
	dst = append(dst, 0)
	return append(dst, enc)
}

// invalidationPrefix is the key prefix an invalidation path removes: every
// query, cookie and encoding variant of the path, or only the variants of
// one query when the path names one. The path is made canonical, as keys
// are, so that "/a/./b" or "/%61" invalidates what a viewer reaches with
// it; a path the edge would refuse is kept as written and matches nothing.
func invalidationPrefix(distID, p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	path, query, hasQuery := strings.Cut(p, "?")
	if c, err := urlpath.Canonical(path); err == nil {
		path = c
	}
	if hasQuery {
		return distID + "\x00" + path + "\x00" + query + "\x00"
	}
	return distID + "\x00" + path + "\x00"
}

var keyPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// acceptsGzip reports whether an Accept-Encoding value lists gzip.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		if strings.Contains(v, "gzip") {
			return true
		}
	}
	return false
}

// signedParams are the query parameters of a signed URL, which are
// removed before forwarding and from the cache key.
var signedParams = [...]string{"Expires", "Signature", "Policy", "Key-Pair-Id", "Hash-Algorithm"}

// stripSignedParams removes the signed-URL parameters from a raw query.
func stripSignedParams(q string) string {
	if q == "" {
		return q
	}
	var b strings.Builder
	for part := range strings.SplitSeq(q, "&") {
		name, _, _ := strings.Cut(part, "=")
		drop := false
		for _, s := range signedParams {
			if name == s {
				drop = true
				break
			}
		}
		if drop {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}

// cookie is one name=value pair of a Cookie header.
type cookie struct{ name, value string }

// forwardedCookies returns the cookies a behaviour forwards (all, the
// whitelisted names, or all but them), sorted by name, as one Cookie
// header value ("a=1; b=2"); "" when none.
func forwardedCookies(mode cookieMode, whitelist []string, headers []string) string {
	return matchingCookies(headers, cookieFilter{mode, whitelist}, cookieFilter{})
}

// cookieFilter is one set of cookie names: none, all, the listed names
// (cookiesWhitelist) or all but them (cookiesAllExcept).
type cookieFilter struct {
	mode  cookieMode
	names []string
}

func (c cookieFilter) keeps(name string) bool {
	switch c.mode {
	case cookiesAll:
		return true
	case cookiesWhitelist:
		return contains(c.names, name)
	case cookiesAllExcept:
		return !contains(c.names, name)
	}
	return false
}

// matchingCookies is forwardedCookies for the cookies f or g keeps:
// a cache policy's keyed ones and, for the origin request, those an origin
// request policy adds (originrequestpolicy.go).
func matchingCookies(headers []string, f, g cookieFilter) string {
	if f.mode == cookiesNone && g.mode == cookiesNone || len(headers) == 0 {
		return ""
	}
	var stack [16]cookie
	list := stack[:0]
	for _, h := range headers {
		for part := range strings.SplitSeq(h, ";") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			name, value, _ := strings.Cut(part, "=")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			// whitelist keeps the listed names, allExcept the others.
			if !f.keeps(name) && !g.keeps(name) {
				continue
			}
			list = append(list, cookie{name, strings.TrimSpace(value)})
		}
	}
	if len(list) == 0 {
		return ""
	}
	// Insertion sort: stable, and lists are short.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].name < list[j-1].name; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	n := 0
	for _, c := range list {
		n += len(c.name) + len(c.value) + 3
	}
	var b strings.Builder
	b.Grow(n)
	for i, c := range list {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.name)
		b.WriteByte('=')
		b.WriteString(c.value)
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// setCookieName is the cookie name of a Set-Cookie value.
func setCookieName(v string) string {
	name, _, _ := strings.Cut(v, "=")
	return strings.TrimSpace(name)
}

// cookieNames lists the names in a forwarded Cookie value.
func cookieNames(forwarded string) []string {
	if forwarded == "" {
		return nil
	}
	var names []string
	for part := range strings.SplitSeq(forwarded, "; ") {
		name, _, _ := strings.Cut(part, "=")
		names = append(names, name)
	}
	return names
}
