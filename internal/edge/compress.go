package edge

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Compression of a behaviour with Compress (developer guide, "Serve
// compressed files"): the edge compresses an object when the viewer
// accepts gzip, or br where the behaviour offers Brotli (behavior.brotli;
// br preferred there), the origin did not encode it, sent a
// Content-Length of 1,000 to 10,000,000 bytes, and a content type from
// CloudFront's list, with status 200, 403 or 404. The object is cached
// once per encoding: the cache key ends in 'b', 'g' or 'i', the
// normalised Accept-Encoding.

const (
	compressMin = 1000
	compressMax = 10_000_000

	// brotliLevel: BenchmarkCompressLevels (compress_test.go, 1 MB of
	// HTML-like text, on a loaded 2-core machine, so speeds are relative)
	// gives output sizes of 30.3% (level 1), 28.0% (4), 26.9% (5), 26.1%
	// (6), 24.5% (9), 21.2% (11) in 0.10, 0.32, 0.55, 0.79, 1.76 and 26
	// times gzip level 6's time, which gives 26.9%. Every collapsed viewer
	// of a miss waits for the compression, so level 5: as small as gzip's
	// default in about half its time. 9 doubles gzip's time for 2 points;
	// 11 would hold a miss 26 times longer.
	brotliLevel = 5
	// gzipLevel: the default, 6 (26.9%); level 9 takes 1.6 times as long
	// for 26.3%, level 1 a sixth of the time for 32.5%.
	gzipLevel = gzip.DefaultCompression
)

// Encoding bytes of the cache key.
const (
	encIdentity = 'i'
	encGzip     = 'g'
	encBrotli   = 'b'
)

// compressibleTypes is CloudFront's list of the media types it compresses
// (developer guide, "Serve compressed files", "File types that CloudFront
// compresses").
var compressibleTypes = map[string]bool{
	"application/dash+xml": true, "application/eot": true, "application/font": true,
	"application/font-sfnt": true, "application/javascript": true, "application/json": true,
	"application/opentype": true, "application/otf": true, "application/pkcs7-mime": true,
	"application/protobuf": true, "application/rss+xml": true, "application/truetype": true,
	"application/ttf": true, "application/vnd.apple.mpegurl": true,
	"application/vnd.mapbox-vector-tile": true, "application/vnd.ms-fontobject": true,
	"application/wasm": true, "application/xhtml+xml": true, "application/xml": true,
	"application/x-font-opentype": true, "application/x-font-truetype": true,
	"application/x-font-ttf": true, "application/x-httpd-cgi": true,
	"application/x-javascript": true, "application/x-mpegurl": true,
	"application/x-opentype": true, "application/x-otf": true, "application/x-perl": true,
	"application/x-ttf": true, "font/eot": true, "font/opentype": true, "font/otf": true,
	"font/ttf": true, "image/svg+xml": true, "text/css": true, "text/csv": true,
	"text/html": true, "text/javascript": true, "text/js": true, "text/plain": true,
	"text/richtext": true, "text/tab-separated-values": true, "text/xml": true,
	"text/x-script": true, "text/x-component": true, "text/x-java-source": true,
}

// viewerEncoding is the normalised Accept-Encoding of a Compress behaviour:
// br when the viewer accepts it and the behaviour offers Brotli (withBr),
// else gzip when accepted, else identity. A coding is accepted when named (gzip also as x-gzip)
// with a q-value above 0; "*" is not read as either, so only a viewer that
// names a coding gets it. It does not allocate.
func viewerEncoding(values []string, withBr bool) byte {
	gz, br := false, false
	for _, v := range values {
		for len(v) > 0 {
			var item string
			if i := strings.IndexByte(v, ','); i >= 0 {
				item, v = v[:i], v[i+1:]
			} else {
				item, v = v, ""
			}
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.TrimSpace(coding)
			var isGzip, isBr bool
			switch {
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				isGzip = true
			case strings.EqualFold(coding, "br"):
				isBr = true
			default:
				continue
			}
			if !qAccepts(params) {
				// An explicit q=0 refuses the coding even if named again.
				if isGzip {
					gz = false
				} else {
					br = false
				}
				continue
			}
			gz = gz || isGzip
			br = br || isBr
		}
	}
	switch {
	case br && withBr:
		return encBrotli
	case gz:
		return encGzip
	}
	return encIdentity
}

// qAccepts reports whether a coding's parameters (after its ';') leave it
// acceptable: no q, or a q that is not zero (RFC 9110 §12.4.2: "0",
// "0.", "0.0" … refuse). A malformed q accepts, as most servers read it.
func qAccepts(params string) bool {
	for len(params) > 0 {
		var p string
		if i := strings.IndexByte(params, ';'); i >= 0 {
			p, params = params[:i], params[i+1:]
		} else {
			p, params = params, ""
		}
		name, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		val = strings.TrimSpace(val)
		if val == "" || val[0] != '0' {
			return true
		}
		val = val[1:]
		if val == "" {
			return false
		}
		if val[0] != '.' {
			return true
		}
		for i := 1; i < len(val); i++ {
			if val[i] != '0' {
				return true
			}
		}
		return false
	}
	return true
}

// compressible reports whether the edge may compress this origin response
// for some viewer, whatever the viewer accepts: the Vary it gets and the
// encoding choice both follow from it.
func compressible(resp *http.Response, n int) bool {
	switch resp.StatusCode {
	case http.StatusOK, http.StatusForbidden, http.StatusNotFound:
	default:
		return false
	}
	// CloudFront compresses only when the origin sent Content-Length, so it
	// knows the size before deciding.
	if resp.ContentLength < 0 || n < compressMin || n > compressMax {
		return false
	}
	if _, encoded := resp.Header["Content-Encoding"]; encoded {
		return false
	}
	// no-transform (RFC 9111 §5.2.2.6) forbids intermediaries to change
	// the content; an operator's edge honours it.
	for _, v := range resp.Header["Cache-Control"] {
		if strings.Contains(strings.ToLower(v), "no-transform") {
			return false
		}
	}
	ct := resp.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return compressibleTypes[strings.ToLower(strings.TrimSpace(ct))]
}

// compressFor is the hook where a response is stored: for a Compress
// behaviour it returns the body to cache (compressed when allowed) and
// adjusts the viewer header: Content-Encoding, Content-Length, a weak
// ETag, Vary: Accept-Encoding. It reports whether it compressed.
func compressFor(b *behavior, enc byte, resp *http.Response, body []byte, h http.Header) ([]byte, bool) {
	if !b.compress || !compressible(resp, len(body)) {
		return body, false
	}
	// Every variant of a compressible object says it varies, identity
	// included, so that caches after the edge keep them apart.
	h["Vary"] = varyAcceptEncoding
	if enc == encIdentity {
		return body, false
	}
	var out []byte
	coding := "gzip"
	if enc == encBrotli {
		out, coding = brotliEncode(body), "br"
	} else {
		out = gzipEncode(body)
	}
	h["Content-Encoding"] = []string{coding}
	h["Content-Length"] = []string{strconv.Itoa(len(out))}
	weakenETag(h)
	return out, true
}

var varyAcceptEncoding = []string{"Accept-Encoding"}

// weakenETag makes a strong ETag weak, as CloudFront does when it
// compresses ("ETag header conversion"): the compressed bytes are not the
// origin's, so a strong validator would let If-Range splice ranges of two
// representations.
func weakenETag(h http.Header) {
	if v, ok := h["Etag"]; ok && len(v) == 1 && strings.HasPrefix(v[0], `"`) {
		h["Etag"] = []string{"W/" + v[0]}
	}
}

var (
	gzipWriters   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w }}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, brotliLevel) }}
)

// The writers are pooled: a brotli writer holds large tables, which a
// miss should not allocate anew. Writing to a bytes.Buffer cannot fail.
func gzipEncode(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body)/3 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&buf)
	w.Write(body)
	w.Close()
	w.Reset(nil)
	gzipWriters.Put(w)
	return trim(buf.Bytes())
}

func brotliEncode(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body)/3 + 64)
	w := brotliWriters.Get().(*brotli.Writer)
	w.Reset(&buf)
	w.Write(body)
	w.Close()
	w.Reset(nil)
	brotliWriters.Put(w)
	return trim(buf.Bytes())
}

// trim drops a buffer's growth slack: cached bodies live long.
func trim(b []byte) []byte {
	if cap(b)-len(b) > len(b)/16 {
		return bytes.Clone(b)
	}
	return b
}
