package edge

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Cache policies (API 2020-05-31): a behaviour with a CachePolicyId has
// no ForwardedValues and no TTLs of its own; the control plane resolves
// the policy into CacheBehavior.CachePolicy, and the edge compiles the
// behaviour from that config. Its ParametersInCacheKeyAndForwardedToOrigin
// are both the cache key and, unless an origin request policy adds to
// them (originrequestpolicy.go), everything of the viewer's request that
// reaches the origin (API reference: "The headers, cookies, and query
// strings that are included in the cache key are also included in
// requests that CloudFront sends to the origin"). The key keeps its
// layout (key.go), so purges and invalidations match policy behaviours'
// objects as any other.

// compileCachePolicy sets b's recipe, TTLs and compression from the cache
// policy config of cb, b's origin already chosen (Host is keyed for
// custom origins only).
func compileCachePolicy(b *behavior, cb *cloudfront.CacheBehavior) {
	p := cb.CachePolicy
	params := &p.Parameters
	f := forwarding{policy: true, keyGzip: params.EnableAcceptEncodingGzip, keyBr: params.EnableAcceptEncodingBrotli}

	switch qs := params.QueryStrings; qs.Behavior {
	case cloudfront.ParamsWhitelist:
		// Only the listed parameters; none listed is no query at all.
		if len(qs.Names) > 0 {
			f.queryString = true
			f.queryFilter = slices.Clone(qs.Names)
		}
	case cloudfront.ParamsAllExcept:
		f.queryString = true
		if len(qs.Names) > 0 {
			f.queryFilter, f.queryExcept = slices.Clone(qs.Names), true
		}
	case cloudfront.ParamsAll:
		f.queryString = true
	}

	switch c := params.Cookies; c.Behavior {
	case cloudfront.ParamsWhitelist:
		f.cookies = cookiesWhitelist
		f.whitelist = slices.Sorted(slices.Values(c.Names))
	case cloudfront.ParamsAllExcept:
		f.cookies = cookiesAll
		if len(c.Names) > 0 {
			f.cookies = cookiesAllExcept
			f.whitelist = slices.Sorted(slices.Values(c.Names))
		}
	case cloudfront.ParamsAll:
		f.cookies = cookiesAll
	}

	if params.Headers.Behavior == cloudfront.ParamsWhitelist {
		names := make([]string, 0, len(params.Headers.Names))
		for _, h := range params.Headers.Names {
			// A policy lists header names, never "*". With either
			// coding enabled, the normalised Accept-Encoding is the key's
			// and the origin's, and a listed one "has no effect" (API
			// reference, EnableAcceptEncodingGzip).
			if h == "*" || (f.keyGzip || f.keyBr) && strings.EqualFold(h, "Accept-Encoding") {
				continue
			}
			names = append(names, h)
		}
		keyHeaders(&f, names, b.origin)
	}
	b.forwarding = f

	minTTL, defTTL, maxTTL := p.EffectiveTTLs()
	b.minTTL = time.Duration(minTTL) * time.Second
	b.defaultTTL = time.Duration(defTTL) * time.Second
	b.maxTTL = time.Duration(maxTTL) * time.Second
	if maxTTL == 0 {
		// MaxTTL 0 (the managed CachingDisabled): nothing is cached, errors
		// included; every request is its viewer's own (serveUncached).
		b.cached = 0
	}

	// Compress needs a coding the key tells apart: gzip only where the
	// policy enables gzip, Brotli only where it enables Brotli ("Serve
	// compressed files"). With neither, the key has no encoding and
	// nothing is compressed.
	b.compress = cb.Compress && (f.keyGzip || f.keyBr)
	b.brotli = b.compress && f.keyBr
}

// policyEncoding is a cache-policy behaviour's encoding class for the
// viewer's Accept-Encoding values: br when the policy enables Brotli and
// the viewer accepts br, else gzip when the policy enables gzip and the
// viewer accepts it, else identity. The API reference
// (ParametersInCacheKeyAndForwardedToOrigin, EnableAcceptEncodingGzip and
// EnableAcceptEncodingBrotli): with one or both enabled CloudFront
// "normalizes the value of the viewer's Accept-Encoding header, includes
// the normalized header in the cache key, includes the normalized header
// in the request to the origin"; "if both of these fields are false, then
// CloudFront treats the Accept-Encoding header the same as any other HTTP
// header in the viewer request. By default, it's not included in the
// cache key and it's not included in origin requests" (the policy may
// then list it among its headers, which forwards and keys it as sent).
// So with neither, every viewer shares the identity object and the origin
// gets no Accept-Encoding from the edge.
func (f *forwarding) policyEncoding(values []string) (gzip, br bool) {
	if !f.keyGzip && !f.keyBr {
		return false, false
	}
	// viewerEncoding prefers br when offered, falling back to gzip: a
	// Brotli-only policy takes identity for a viewer of gzip alone.
	enc := viewerEncoding(values, f.keyBr)
	return enc == encGzip && f.keyGzip, enc == encBrotli
}

// filterQuery is the part of a raw query a cache policy forwards and keys:
// the parameters named in names (except false: whitelist) or the others
// (except true: allExcept), in the order the viewer sent them. Names are
// compared exactly as sent, since CloudFront's query string names are
// case-sensitive; a parameter is "name", "name=" or "name=value". The
// query is returned as it is when the filter keeps all of it.
func filterQuery(query string, names []string, except bool) string {
	if query == "" {
		return query
	}
	keep := func(part string) bool {
		name, _, _ := strings.Cut(part, "=")
		return contains(names, name) != except
	}
	all := true
	for part := range strings.SplitSeq(query, "&") {
		if !keep(part) {
			all = false
			break
		}
	}
	if all {
		return query
	}
	var b strings.Builder
	for part := range strings.SplitSeq(query, "&") {
		if !keep(part) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}

// bodyHeaders describe a request body: they go with a body the edge
// forwards (a method the behaviour does not cache), whatever the policy
// lists, since the body means nothing without them; without a body they
// do not reach the origin.
var bodyHeaders = [...]string{"Content-Type", "Content-Encoding", "Content-Language", "Content-Md5"}

// policyRequestHeaders adds to the origin request of a cache-policy
// behaviour, which carries only the viewer headers its policy keys and its
// origin request policy adds (forwarding.forwardsHeader), the viewer
// headers that belong to the
// exchange rather than choose the answer: the validators and Range of a
// request the edge does not answer itself (passThru), as for every
// behaviour, and a forwarded body's description.
func policyRequestHeaders(h http.Header, o *originRequest) {
	if o.passThru {
		for _, k := range conditionalHeaders {
			if v, ok := o.viewer.Header[k]; ok {
				h[k] = v
			}
		}
	}
	if o.body != nil {
		for _, k := range bodyHeaders {
			if v, ok := o.viewer.Header[k]; ok {
				h[k] = v
			}
		}
	}
}
