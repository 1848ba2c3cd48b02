package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

const (
	v4Service          = "cloudfront"
	v4Terminator       = "aws4_request"
	unsignedPayload    = "UNSIGNED-PAYLOAD"
	headerAmzDate      = "X-Amz-Date"
	headerAmzContent   = "X-Amz-Content-Sha256"
	headerAmzRegionSet = "X-Amz-Region-Set"
)

// One function per step of the SigV4 algorithm, in AWS's order. The AWS SDK
// for Go v2 signer is the reference for every detail the docs leave open.
// SigV4A shares steps 1 and 2; sigv4a.go has its key and signature.

// canonicalRequest is step 1: method, URI, query, headers, signed header
// names and payload hash, one per line.
func canonicalRequest(r *http.Request, query url.Values, signedHeaders []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// stringToSign is step 2; algorithm is v4Algorithm or v4aAlgorithm.
func stringToSign(algorithm, amzDate, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// signingKey is step 3: HMAC the scope into the secret, part by part.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, v4Terminator)
}

// signature is step 4: the hex HMAC of the string to sign.
func signature(key []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}

func hmacSHA256(key []byte, data string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}

func credentialScope(date, region, service string) string {
	return date + "/" + region + "/" + service + "/" + v4Terminator
}

// canonicalURI is the escaped path escaped once more, '/' kept: the rule
// for every service but S3. Like the SDK it honours a client-side
// URL.Opaque of the form "//host/path".
func canonicalURI(u *url.URL) string {
	path := u.EscapedPath()
	if u.Opaque != "" {
		path = ""
		opaque, _, _ := strings.Cut(u.Opaque, "?")
		opaque = strings.TrimPrefix(opaque, "//")
		if i := strings.IndexByte(opaque, '/'); i >= 0 {
			path = opaque[i:]
		}
	}
	if path == "" {
		return "/"
	}
	return uriEncode(path, false)
}

// canonicalQuery encodes each name and value, then sorts: AWS sorts after
// encoding, and the two orders differ ("a/b" vs "a-b").
func canonicalQuery(q url.Values) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(q))
	for k, vs := range q {
		ek := uriEncode(k, true)
		for _, v := range vs {
			pairs = append(pairs, pair{ek, uriEncode(v, true)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// uriEncode percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ with
// upper-case hex; '/' too when encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) && (encodeSlash || s[i] != '/') {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (!encodeSlash && c == '/') {
			b = append(b, c)
		} else {
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// canonicalHeaderValue is the value of one signed header: all its values,
// each trimmed with inner runs of spaces collapsed, joined with commas.
// Host and Content-Length come from the request's fields, where net/http
// keeps them.
func canonicalHeaderValue(r *http.Request, name string) string {
	switch name {
	case "host":
		return collapseSpaces(requestHost(r))
	case "content-length":
		if r.ContentLength > 0 {
			return strconv.FormatInt(r.ContentLength, 10)
		}
	}
	values := headerValues(r.Header, name)
	if len(values) == 1 {
		return strings.TrimSpace(collapseSpaces(values[0]))
	}
	cleaned := make([]string, len(values))
	for i, v := range values {
		cleaned[i] = strings.TrimSpace(collapseSpaces(v))
	}
	return strings.Join(cleaned, ",")
}

func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// headerValues finds a header by its lower-case name under the canonical
// key first, then under any other spelling a client-side map may hold.
func headerValues(h http.Header, lower string) []string {
	canonical := http.CanonicalHeaderKey(lower)
	values := h[canonical]
	for k, vs := range h {
		if k != canonical && strings.EqualFold(k, lower) {
			values = append(values[:len(values):len(values)], vs...)
		}
	}
	return values
}

// collapseSpaces trims leading and trailing spaces and turns each run of
// inner spaces into one, as the SDK does (spaces only, not tabs).
func collapseSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// verifyV4Headers checks a SigV4 or SigV4A request as far as its headers
// allow. With X-Amz-Content-Sha256 the signature covers the stated hash, so
// it is checked now and the body only has to match the hash later; without
// it the signature covers the body's hash, and is checked in VerifyBody.
func (v *Verifier) verifyV4Headers(r *http.Request, a authorization) (*Pending, error) {
	amzDate := r.Header.Get(headerAmzDate)
	if amzDate == "" {
		return nil, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t, ok := parseV4Date(amzDate)
	if !ok {
		return nil, incomplete("X-Amz-Date %q is not of the form YYYYMMDD'T'HHMMSS'Z'.", amzDate)
	}
	if err := checkScope(a, amzDate, v.service()); err != nil {
		return nil, err
	}
	if a.scheme == schemeV4A {
		if err := checkRegionSet(r); err != nil {
			return nil, err
		}
	}
	if now := v.now(); v.skewed(t, now) {
		return nil, expired(t, now, v.maxSkew())
	}
	if r.URL == nil {
		return nil, cloudfront.NewError(cloudfront.InvalidURI)
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		// Pairs that fail to parse would be left out of the canonical query
		// and so reach the handler unsigned.
		return nil, cloudfront.NewError(cloudfront.InvalidURI)
	}
	c, err := v.credential(r.Context(), a.accessKeyID)
	if err != nil {
		return nil, err
	}
	check := func(payloadHash string) error {
		canonical := canonicalRequest(r, query, a.signedHeaders, payloadHash)
		sts := stringToSign(a.algorithm(), amzDate, a.scope(), canonical)
		if a.scheme == schemeV4A {
			return v.checkV4ASignature(c, sts, a.signature)
		}
		want := signature(signingKey(c.Secret, a.date, a.region, a.service), sts)
		if !hmac.Equal([]byte(want), []byte(a.signature)) {
			return cloudfront.NewError(cloudfront.SignatureDoesNotMatch)
		}
		return nil
	}
	p := &Pending{cred: c, statedHash: r.Header.Get(headerAmzContent)}
	if p.statedHash == "" {
		p.finish = check
		return p, nil
	}
	if err := check(p.statedHash); err != nil {
		return nil, err
	}
	p.verified = true
	return p, nil
}

// checkScope checks the credential scope and signed headers against the
// request and the service the verifier serves, with the messages AWS gives.
func checkScope(a authorization, amzDate, service string) error {
	if a.date != amzDate[:8] {
		return cloudfront.Errorf(cloudfront.SignatureDoesNotMatch,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			a.date, amzDate[:8], headerAmzDate)
	}
	if a.service != service {
		return cloudfront.Errorf(cloudfront.SignatureDoesNotMatch, "Credential should be scoped to correct service: '%s'.", service)
	}
	if a.terminator != v4Terminator {
		return cloudfront.Errorf(cloudfront.SignatureDoesNotMatch,
			"Credential should be scoped with a valid terminator: '%s', not '%s'.", v4Terminator, a.terminator)
	}
	if !slices.Contains(a.signedHeaders, "host") {
		return incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if !slices.Contains(a.signedHeaders, "x-amz-date") {
		return incomplete("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if a.scheme == schemeV4A && !slices.Contains(a.signedHeaders, "x-amz-region-set") {
		return incomplete("'X-Amz-Region-Set' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return nil
}

// expired is AWS's SigV4 answer to a request outside the skew window.
func expired(t, now time.Time, skew time.Duration) error {
	ts := t.UTC().Format(iso8601Basic)
	if t.Before(now) {
		return cloudfront.Errorf(cloudfront.SignatureDoesNotMatch, "Signature expired: %s is now earlier than %s (%s - %s.)",
			ts, now.Add(-skew).UTC().Format(iso8601Basic), now.UTC().Format(iso8601Basic), formatSkew(skew))
	}
	return cloudfront.Errorf(cloudfront.SignatureDoesNotMatch, "Signature not yet current: %s is still later than %s (%s + %s.)",
		ts, now.Add(skew).UTC().Format(iso8601Basic), now.UTC().Format(iso8601Basic), formatSkew(skew))
}

// formatSkew writes whole minutes as AWS does ("15 min"), anything else as
// a Go duration.
func formatSkew(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	}
	return d.String()
}

// SignV4 signs r with Signature Version 4 for service "cloudfront" in
// region, as the AWS SDK for Go v2 signer does: it sets X-Amz-Date,
// X-Amz-Content-Sha256 (the hash of body) and Authorization, signs every
// header but the few the SDK leaves out, and rewrites r.URL.RawQuery into
// its canonical form so what is sent is exactly what was signed.
func SignV4(r *http.Request, body []byte, accessKeyID, secret, region string, now time.Time) {
	amzDate, signed, canonical := prepareSigning(r, body, now)
	date := amzDate[:8]
	scope := credentialScope(date, region, v4Service)
	sig := signature(signingKey(secret, date, region, v4Service), stringToSign(v4Algorithm, amzDate, scope, canonical))
	r.Header.Set("Authorization", authorization{
		scheme: schemeV4, accessKeyID: accessKeyID, signature: sig,
		date: date, region: region, service: v4Service, terminator: v4Terminator,
		signedHeaders: signed,
	}.String())
}

// prepareSigning does what SignV4 and SignV4A share: it sets X-Amz-Date
// and X-Amz-Content-Sha256, puts the host and query in the form that is
// sent, and returns the date, the signed header names and the canonical
// request over everything in r.Header at the time.
func prepareSigning(r *http.Request, body []byte, now time.Time) (amzDate string, signed []string, canonical string) {
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	amzDate = now.UTC().Format(iso8601Basic)
	delete(r.Header, "Authorization")
	r.Header.Set(headerAmzDate, amzDate)
	r.Header.Set(headerAmzContent, sha256Hex(body))
	dropDefaultPort(r)

	query := r.URL.Query()
	r.URL.RawQuery = canonicalQuery(query)
	signed = headersToSign(r)
	return amzDate, signed, canonicalRequest(r, query, signed, sha256Hex(body))
}

// unsignedHeaders are the headers the SDK never signs: proxies and the
// transport may change them. Matched by exact key, as the SDK does.
var unsignedHeaders = map[string]bool{
	"Authorization":     true,
	"User-Agent":        true,
	"X-Amzn-Trace-Id":   true,
	"Expect":            true,
	"Transfer-Encoding": true,
}

// headersToSign lists, sorted and lower-cased, host, content-length when
// there is a body, and every header in r.Header not in unsignedHeaders.
func headersToSign(r *http.Request) []string {
	names := []string{"host"}
	if r.ContentLength > 0 {
		names = append(names, "content-length")
	}
	for k := range r.Header {
		lower := strings.ToLower(k)
		if unsignedHeaders[k] || lower == "content-length" || lower == "host" || slices.Contains(names, lower) {
			continue
		}
		names = append(names, lower)
	}
	slices.Sort(names)
	return names
}

// dropDefaultPort removes :80 from an http Host and :443 from an https one,
// as the SDK does, since net/http sends the Host header without it.
func dropDefaultPort(r *http.Request) {
	host := requestHost(r)
	h, port, ok := strings.Cut(host, ":")
	if i := strings.LastIndex(host, "]:"); i >= 0 {
		h, port, ok = strings.TrimPrefix(host[:i], "["), host[i+2:], true
	} else if strings.Contains(host, "]") {
		ok = false
	}
	if !ok {
		return
	}
	scheme := strings.ToLower(r.URL.Scheme)
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		r.Host = h
	}
}
