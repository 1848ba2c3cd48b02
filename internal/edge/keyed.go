package edge

import (
	"net/http"
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
)

// edgeOwnedHeaders are never copied from the viewer, whatever the
// behaviour forwards: hop-by-hop and framing headers, which belong to the
// viewer's connection; Via, X-Amz-Cf-Id and X-Forwarded-For, which the
// edge writes itself; Cookie, which follows ForwardedValues/Cookies; and
// Expect and Proxy-Authorization, which are addressed to the edge.
var edgeOwnedHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Content-Length": true, "Host": true, "Via": true, "X-Amz-Cf-Id": true,
	"X-Forwarded-For": true, "Cookie": true, "Expect": true,
	"Proxy-Authorization": true, "Proxy-Authenticate": true,
}

// compileHeaders adds ForwardedValues/Headers to f: "*" forwards every
// header and caches nothing; a list forwards the listed headers and keys
// on them. Host is forwarded to custom origins only: an S3 origin needs
// its own Host, and CloudFront does not cache on Host for S3 either
// (developer guide, "Caching content based on request headers").
func compileHeaders(f *forwarding, cb *cloudfront.CacheBehavior, g *origin) {
	if slices.Contains(cb.Headers, "*") {
		f.allHeaders = true
		f.forwardHost = !g.s3
		f.headers = nil
		f.extraKey = false
		return
	}
	keyHeaders(f, cb.Headers, g)
}

// keyHeaders adds a list of headers to f, each forwarded and in the cache
// key (canonical names, sorted, each once); Host forwards the viewer's
// Host to a custom origin and keys it. ForwardedValues/Headers without
// "*" and a cache policy's HeadersConfig whitelist both come here.
func keyHeaders(f *forwarding, names []string, g *origin) {
	for _, h := range names {
		k := http.CanonicalHeaderKey(h)
		if k == "Host" {
			f.forwardHost = !g.s3
			continue
		}
		if edgeOwnedHeaders[k] || contains(f.headers, k) {
			continue
		}
		// A CloudFront-* header is keyed, and forwarded, with the value
		// the edge gives it, never the viewer's (generatedHeader).
		f.keysGenerated = f.keysGenerated || cloudFrontHeader(k)
		f.headers = append(f.headers, k)
	}
	slices.Sort(f.headers)
	f.extraKey = len(f.headers) > 0 || f.forwardHost
}

// appendExtraKey appends the key parts that 2012 did not have, after the
// encoding class, so that purge prefixes still match: the method when it
// is not GET or HEAD (a cached OPTIONS is not the GET's object), then,
// when the behaviour keys on them, whether the viewer sent Authorization
// (keysAuthorization), the Host and the whitelisted headers.
// Each header is present ('+', its values separated by '\n') or absent
// ('-'): values cannot hold NUL or newlines, so no two requests share a
// key unless they send the origin the same keyed headers. A keyed
// CloudFront-* header is keyed with the value the edge generates for the
// viewer (cc locates it), which is the value the origin gets.
func appendExtraKey(dst []byte, b *behavior, r *http.Request, m methodSet, cc CountryLookup) []byte {
	if m&(mGET|mHEAD) == 0 {
		dst = append(dst, 0, 'm')
		dst = append(dst, r.Method...)
	}
	if !b.extraKey {
		return dst
	}
	if b.keysAuthorization {
		// Present or not, as the origin request is signed or not
		// (keyViewerAuth).
		if _, ok := r.Header["Authorization"]; ok {
			dst = append(dst, 0, 'a', '+')
		} else {
			dst = append(dst, 0, 'a', '-')
		}
	}
	if b.forwardHost {
		dst = append(dst, 0, 'h')
		dst = append(dst, r.Host...)
	}
	for _, k := range b.headers {
		dst = append(dst, 0)
		if b.keysGenerated && cloudFrontHeader(k) {
			if v, ok := generatedHeader(k, r, cc); ok {
				dst = append(dst, '+')
				dst = append(dst, v...)
			} else {
				dst = append(dst, '-')
			}
			continue
		}
		vs, ok := r.Header[k]
		if !ok {
			dst = append(dst, '-')
			continue
		}
		dst = append(dst, '+')
		for i, v := range vs {
			if i > 0 {
				dst = append(dst, '\n')
			}
			dst = append(dst, v...)
		}
	}
	return dst
}

// keyedQuery is the part of a forwarded query in the cache key: all of it,
// or with QueryStringCacheKeys only the listed parameters, in the order
// the viewer sent them (the order matters to the key as it does for a
// whole query). Names are compared exactly, as CloudFront's are
// case-sensitive; a parameter is "name", "name=" or "name=value".
func keyedQuery(query string, keys []string) string {
	if keys == nil || query == "" {
		return query
	}
	var b strings.Builder
	for part := range strings.SplitSeq(query, "&") {
		name, _, _ := strings.Cut(part, "=")
		if !contains(keys, name) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}
