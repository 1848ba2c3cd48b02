package edge

import (
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Origin request policies (API 2020-05-31). A behaviour with a cache
// policy may also have an OriginRequestPolicyId, which the control plane
// resolves into CacheBehavior.OriginRequestPolicy. The policy adds to what
// the origin gets, beyond the cache policy's parameters, without adding to
// the cache key (developer guide, "Control origin requests with a
// policy": "All URL query strings, HTTP headers, and cookies that you
// include in the cache key (using a cache policy) are automatically
// included in origin requests. Use the origin request policy to specify
// the information that you want to include in origin requests, but not
// include in the cache key"; "Understand origin request policies": "The
// values that you specify are included in origin requests, but are not
// included in the cache key"). So the key stays the cache policy's, and
// viewers who differ only in what the origin request policy adds share
// one object, as on CloudFront: the owner's choice, which the rule of
// forwarding (compile.go) then does not cover. "To use an origin request
// policy, the cache behavior must also use a cache policy": one without
// is ignored.
//
// What reaches the origin of such a behaviour:
//
//   - the query: the viewer's parameters that the cache policy keys or
//     the origin request policy names (whitelist), does not name
//     (allExcept) or takes all of (all), in the viewer's order;
//   - the cookies: likewise, sorted by name as every forwarded Cookie;
//   - the headers: the cache policy's keyed ones, and the origin request
//     policy's: the listed ones (whitelist), or every viewer header
//     (allViewer, allViewerAndWhitelistCloudFront) but those listed
//     (allExcept). Host among them sends the viewer's Host to a custom
//     origin (so the managed AllViewerExceptHostHeader, allExcept Host,
//     exists for origins that answer to their own name only). An S3
//     origin keeps the bucket's: S3 finds the bucket by it, the edge signs
//     it, and the guide lists "Host (for Amazon S3 origins)" among the
//     headers CloudFront will not forward and cache on ("Selecting the
//     headers to base caching on"); it says nothing more of AllViewer and
//     S3's Host.
//
// The edge keeps these from the viewer whatever the policy says:
//
//   - its own headers (edgeOwnedHeaders: framing, hop-by-hop, Via,
//     X-Forwarded-For, which it appends to, and Cookie, which it builds
//     from the cookies above);
//   - CloudFront-* headers, which CloudFront adds itself "with header
//     values that are determined automatically based on the viewer
//     request" ("Control origin requests with a policy"): a viewer's
//     would reach the origin as if the edge had located the viewer, so
//     viewers' are dropped for every behaviour, and the edge adds the ones
//     a policy names with values of its own (generatedHeader);
//   - Accept-Encoding: the cache key's encoding class decides what the
//     origin is asked for (cachepolicy.go); the viewer's, unkeyed, would
//     have the origin store a coding other viewers cannot read;
//   - Authorization on a request whose answer is cached: CloudFront
//     refuses an origin request policy that lists it (the header "must be
//     a part of the cache key to prevent the cache from satisfying
//     unauthorized requests", knowledge center, "cloudfront-authorization-
//     header"), and forwards it under AllViewer only where caching is
//     disabled. So here it goes from the policy only to an uncached
//     request;
//   - X-Real-IP and X-Forwarded-Proto, which CloudFront removes
//     (removedRequestHeaders, forward.go), unless the policy lists them;
//   - under the all-viewer modes, on a behaviour that caches, the other
//     routing headers (X-Forwarded-Host, X-Original-URL, ...) unless
//     listed: an origin acts on them unasked, and unkeyed they would let
//     one viewer choose the links every viewer gets. A whitelist names
//     them on purpose, and a behaviour that caches nothing serves each
//     answer to its own viewer, so both forward them;
//   - for S3 origins, x-amz-* headers (amzHeader: the edge signs with its
//     own key) and the query parameters that override S3's response
//     headers (response-content-type, ...), unless the cache policy keys
//     them: signed, S3 honours them, and unkeyed one viewer would choose
//     every viewer's Content-Type. CloudFront drops three of them with its
//     managed all-viewer policies for this reason ("Use managed origin
//     request policies"); the edge drops them under any.
//
// Of the CloudFront-* headers ("Add CloudFront request headers"), the
// edge generates:
//
//   - CloudFront-Forwarded-Proto: http or https, the viewer's protocol;
//   - CloudFront-Viewer-Address: the viewer's address and source port
//     (198.51.100.10:46532; an IPv6 address unbracketed, as CloudFront
//     sends it);
//   - CloudFront-Viewer-Country: the viewer's ISO 3166-1 alpha-2 code,
//     from the GeoIP database (Options.Countries, geo.go), left out
//     without one or for an address it does not know;
//   - CloudFront-Viewer-Http-Version: 1.0, 1.1, 2.0 or 3.0.
//
// It leaves out the ones it cannot compute: the device types
// (CloudFront-Is-{Android,Desktop,IOS,Mobile,SmartTV,Tablet}-Viewer, from
// CloudFront's own User-Agent classification), the location beyond the
// country (-Viewer-ASN, -City, -Country-Name, -Country-Region[-Name],
// -Latitude, -Longitude, -Metro-Code, -Postal-Code, -Time-Zone: the
// database has countries only), the TLS details and fingerprints
// (-Viewer-TLS, -JA3-Fingerprint, -JA4-Fingerprint) and the header
// structure (-Viewer-Header-Order, -Header-Count: net/http keeps no
// order of the viewer's header lines).
//
// A CloudFront-* header a cache policy (or ForwardedValues) keys gets the
// same treatment, and its generated value is the one keyed (appendExtraKey),
// so that a viewer cannot claim another country's object either.
//
// Everything here is computed on a miss (originReq) or as the origin
// request is built: a hit of a behaviour with an origin request policy
// costs what one without does.

// originPolicy is a behaviour's origin request policy, compiled: what it
// adds to the origin request beyond the cache policy's parameters.
type originPolicy struct {
	// The query parameters it adds: all of them (queryAll), or the listed
	// ones (queryNames), or all but them (queryExcept). Names are
	// compared exactly, as a cache policy's.
	queryAll    bool
	queryNames  []string
	queryExcept bool
	// cookies are the cookies it adds.
	cookies cookieFilter
	// allViewer: every viewer header but except (allViewer,
	// allViewerAndWhitelistCloudFront, allExcept); otherwise headers, the
	// whitelist. Both canonical, without Host, Authorization, CloudFront-*
	// and the headers the edge keeps.
	allViewer bool
	headers   []string
	except    []string
	// guardRouting: an all-viewer mode on a behaviour that caches, which
	// keeps the routing headers from the origin.
	guardRouting bool
	// host: the viewer's Host goes to a custom origin, unkeyed.
	host bool
	// authorization: the viewer's Authorization goes to the origin of an
	// uncached request.
	authorization bool
	// generated are the CloudFront-* headers the edge adds (canonical).
	generated []string
}

// compileOriginRequestPolicy adds c, b's origin request policy, to b's
// recipe (b's cache policy compiled already). A policy that adds nothing
// leaves b as it was.
func compileOriginRequestPolicy(b *behavior, c *cloudfront.OriginRequestPolicyConfig) {
	if c == nil {
		return
	}
	p := &originPolicy{}
	switch qs := c.QueryStrings; qs.Behavior {
	case cloudfront.ParamsWhitelist:
		if len(qs.Names) > 0 {
			p.queryNames = slices.Clone(qs.Names)
		}
	case cloudfront.ParamsAllExcept:
		if len(qs.Names) > 0 {
			p.queryNames, p.queryExcept = slices.Clone(qs.Names), true
		} else {
			p.queryAll = true
		}
	case cloudfront.ParamsAll:
		p.queryAll = true
	}

	switch ck := c.Cookies; ck.Behavior {
	case cloudfront.ParamsWhitelist:
		if len(ck.Names) > 0 {
			p.cookies = cookieFilter{cookiesWhitelist, slices.Sorted(slices.Values(ck.Names))}
		}
	case cloudfront.ParamsAllExcept:
		p.cookies.mode = cookiesAll
		if len(ck.Names) > 0 {
			p.cookies = cookieFilter{cookiesAllExcept, slices.Sorted(slices.Values(ck.Names))}
		}
	case cloudfront.ParamsAll:
		p.cookies.mode = cookiesAll
	}

	switch hs := c.Headers; hs.Behavior {
	case cloudfront.ParamsWhitelist:
		for _, n := range hs.Names {
			p.listHeader(http.CanonicalHeaderKey(n))
		}
	case cloudfront.ParamsAllViewer, cloudfront.ParamsAllViewerAndWhitelistCloudFront:
		p.allViewer, p.host, p.authorization = true, true, true
		if hs.Behavior == cloudfront.ParamsAllViewerAndWhitelistCloudFront {
			// Its list names the CloudFront headers to add; the viewer's
			// are all there already.
			for _, n := range hs.Names {
				if k := http.CanonicalHeaderKey(n); cloudFrontHeader(k) && !contains(p.generated, k) {
					p.generated = append(p.generated, k)
				}
			}
		}
	case cloudfront.ParamsAllExcept:
		p.allViewer, p.host, p.authorization = true, true, true
		for _, n := range hs.Names {
			switch k := http.CanonicalHeaderKey(n); k {
			case "Host":
				p.host = false
			case "Authorization":
				p.authorization = false
			default:
				p.except = append(p.except, k)
			}
		}
	}
	p.guardRouting = p.allViewer && b.cached != 0

	if !p.queryAll && p.queryNames == nil && p.cookies.mode == cookiesNone && !p.allViewer &&
		p.headers == nil && !p.host && !p.authorization && p.generated == nil {
		return // none, none, none: the cache policy's recipe as it is
	}
	b.orp = p
}

// listHeader adds a whitelisted header k (canonical) to p.
func (p *originPolicy) listHeader(k string) {
	switch {
	case k == "Host":
		p.host = true
	case k == "Authorization":
		p.authorization = true
	case cloudFrontHeader(k):
		if !contains(p.generated, k) {
			p.generated = append(p.generated, k)
		}
	case edgeOwnedHeaders[k] || k == "Accept-Encoding" || contains(p.headers, k):
	default:
		p.headers = append(p.headers, k)
	}
}

// forwardsHeader reports whether p adds the viewer's header k (canonical)
// to the origin request. Host, Authorization and CloudFront-* headers
// have their own ways (newOriginRequest), so this is never true of them.
func (p *originPolicy) forwardsHeader(k string) bool {
	name := k
	if strings.IndexByte(k, '_') >= 0 {
		// As forwarding.forwardsHeader: X_Forwarded_For is read as
		// X-Forwarded-For by CGI, PHP and nginx.
		name = http.CanonicalHeaderKey(strings.ReplaceAll(k, "_", "-"))
	}
	if edgeOwnedHeaders[name] || name == "Authorization" || name == "Accept-Encoding" || cloudFrontHeader(name) {
		return false
	}
	if !p.allViewer {
		return contains(p.headers, k)
	}
	if contains(p.except, k) || contains(p.except, name) {
		return false
	}
	if name == "X-Real-Ip" || name == "X-Forwarded-Proto" {
		return false // CloudFront removes them
	}
	return !p.guardRouting || !routingHeader(name)
}

// cloudFrontHeader reports whether a header is CloudFront's to add:
// CloudFront-* (or CloudFront_*, which CGI reads as the same), in any case.
func cloudFrontHeader(k string) bool {
	return len(k) > len("cloudfront-") && strings.EqualFold(k[:len("cloudfront")], "cloudfront") &&
		(k[len("cloudfront")] == '-' || k[len("cloudfront")] == '_')
}

// generatedHeader is the value the edge gives the CloudFront header k
// (canonical) for the viewer's request r, and false for one it does not
// add: not one of those it computes, or the country without a database
// (cc) or for an address it does not know. The values a cache key can
// hold cost no allocation.
func generatedHeader(k string, r *http.Request, cc CountryLookup) (string, bool) {
	switch k {
	case "Cloudfront-Forwarded-Proto":
		if r.TLS != nil {
			return "https", true
		}
		return "http", true
	case "Cloudfront-Viewer-Http-Version":
		switch {
		case r.ProtoMajor == 1 && r.ProtoMinor == 0:
			return "1.0", true
		case r.ProtoMajor == 1:
			return "1.1", true
		case r.ProtoMajor == 2:
			return "2.0", true
		case r.ProtoMajor == 3:
			return "3.0", true
		}
	case "Cloudfront-Viewer-Address":
		if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
			return ap.Addr().Unmap().WithZone("").String() + ":" + strconv.Itoa(int(ap.Port())), true
		}
	case "Cloudfront-Viewer-Country":
		if cc == nil {
			return "", false
		}
		if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
			c := cc.Country(ap.Addr().Unmap())
			return c, c != ""
		}
	}
	return "", false
}

// addGeneratedHeaders adds to h the CloudFront headers o's behaviour
// keys or its origin request policy names, with the edge's values.
func (s *Server) addGeneratedHeaders(h http.Header, o *originRequest) {
	add := func(k string) {
		if v, ok := generatedHeader(k, o.viewer, s.opts.Countries); ok {
			h[k] = []string{v}
		}
	}
	if o.b.keysGenerated {
		for _, k := range o.b.headers {
			if cloudFrontHeader(k) {
				add(k)
			}
		}
	}
	if o.b.orp != nil {
		for _, k := range o.b.orp.generated {
			add(k)
		}
	}
}

// keysParam reports whether f's query in the key (a cache policy's) has
// the parameter name.
func (f *forwarding) keysParam(name string) bool {
	return f.queryString && (f.queryFilter == nil || contains(f.queryFilter, name) != f.queryExcept)
}

// forwardsParam reports whether p adds the parameter name.
func (p *originPolicy) forwardsParam(name string) bool {
	return p.queryAll || p.queryNames != nil && contains(p.queryNames, name) != p.queryExcept
}

// originQuery is the query the origin gets under f's origin request
// policy: the viewer's parameters (raw, signed-URL ones removed) that the
// key has or the policy adds, in the viewer's order. keyed is the key's
// query, what the origin gets when the policy adds none.
func (f *forwarding) originQuery(raw, keyed string) string {
	p := f.orp
	switch {
	case !p.queryAll && p.queryNames == nil:
		return keyed
	case p.queryAll || f.queryString && f.queryFilter == nil:
		return raw
	}
	return filterQueryFunc(raw, func(name string) bool { return f.keysParam(name) || p.forwardsParam(name) })
}

// s3ResponseParams are the query parameters of a GetObject that override
// the response's headers (S3 API reference, GetObject); S3 honours them on
// signed requests, and the edge signs object reads.
var s3ResponseParams = [...]string{
	"response-cache-control", "response-content-disposition", "response-content-encoding",
	"response-content-language", "response-content-type", "response-expires",
}

// s3OriginQuery is query without the S3 response-header overrides that f's
// key does not have: those an origin request policy alone would forward.
// A name is compared as S3 reads it, unescaped and in any case.
func (f *forwarding) s3OriginQuery(query string) string {
	return filterQueryFunc(query, func(name string) bool {
		if f.keysParam(name) {
			return true
		}
		n, err := url.QueryUnescape(name)
		if err != nil {
			n = name
		}
		for _, r := range s3ResponseParams {
			if strings.EqualFold(n, r) {
				return false
			}
		}
		return true
	})
}

// filterQueryFunc is the part of a raw query whose parameters keep keeps
// (by name), in their order; the query itself when it keeps all of it.
// Empty parameters ("a&&b") are left out once anything is.
func filterQueryFunc(query string, keep func(name string) bool) string {
	if query == "" {
		return query
	}
	all := true
	for part := range strings.SplitSeq(query, "&") {
		if name, _, _ := strings.Cut(part, "="); !keep(name) {
			all = false
			break
		}
	}
	if all {
		return query
	}
	var b strings.Builder
	for part := range strings.SplitSeq(query, "&") {
		if name, _, _ := strings.Cut(part, "="); part == "" || !keep(name) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}

// originCookies is the Cookie value the origin gets under f's origin
// request policy: the viewer's cookies (headers) that the key has or the
// policy adds, sorted by name. keyed is the key's, what the origin gets
// when the policy adds none.
func (f *forwarding) originCookies(headers []string, keyed string) string {
	if f.orp.cookies.mode == cookiesNone {
		return keyed
	}
	return matchingCookies(headers, cookieFilter{f.cookies, f.whitelist}, f.orp.cookies)
}

// forwardsCookies reports whether any of the viewer's cookies may reach
// the origin: the key has cookies or the origin request policy adds some.
func (f *forwarding) forwardsCookies() bool {
	return f.cookies != cookiesNone || f.orp != nil && f.orp.cookies.mode != cookiesNone
}
