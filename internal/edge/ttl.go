package edge

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// defaultTTL is 2012's fixed TTL for objects without caching headers.
const defaultTTL = 24 * time.Hour

// errorTTL is how long 2012 cached the error statuses in errorCached.
const errorTTL = 5 * time.Minute

// cacheControl is what the edge reads from an origin's Cache-Control.
type cacheControl struct {
	noCache, noStore, private bool
	noCacheSetCookie          bool  // no-cache="Set-Cookie": cache, but without cookies
	maxAge, sMaxAge           int64 // -1 when absent
}

// parseCacheControl reads the directives the edge honours. Unknown or
// malformed directives are ignored.
func parseCacheControl(values []string) cacheControl {
	cc := cacheControl{maxAge: -1, sMaxAge: -1}
	for _, v := range values {
		for d := range strings.SplitSeq(v, ",") {
			name, arg, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "no-cache":
				// With field names it only forbids caching those fields.
				if arg == "" {
					cc.noCache = true
				} else if strings.Contains(strings.ToLower(arg), "set-cookie") {
					cc.noCacheSetCookie = true
				}
			case "no-store":
				cc.noStore = true
			case "private":
				if arg == "" {
					cc.private = true
				} else if strings.Contains(strings.ToLower(arg), "set-cookie") {
					cc.noCacheSetCookie = true
				}
			case "max-age":
				if n, ok := parseSeconds(arg); ok {
					cc.maxAge = n
				}
			case "s-maxage":
				if n, ok := parseSeconds(arg); ok {
					cc.sMaxAge = n
				}
			}
		}
	}
	return cc
}

// parseSeconds reads a delta-seconds value, quoted or not; huge values
// saturate at about 68 years.
func parseSeconds(s string) (int64, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > 1<<31 {
		n = 1 << 31
	}
	return n, true
}

// ttl2012 is the object's TTL under the 2012 rules: s-maxage, max-age,
// Expires, or 24 h, never below minTTL; no-cache, no-store and private give
// minTTL (0: revalidate on every request).
func ttl2012(h http.Header, now time.Time, minTTL time.Duration) time.Duration {
	return objectTTL(h, now, minTTL, defaultTTL, math.MaxInt64)
}

// ttl is the object's TTL under the behaviour's MinTTL, DefaultTTL and
// MaxTTL (spec §4.1, "Later"): the origin's s-maxage, max-age or Expires,
// or DefaultTTL without them, raised to MinTTL and capped at MaxTTL.
// CloudFront's developer guide, "Managing how long content stays in the
// cache (expiration)", table for MinTTL, DefaultTTL and MaxTTL.
func (b *behavior) ttl(h http.Header, now time.Time) time.Duration {
	return objectTTL(h, now, b.minTTL, b.defaultTTL, b.maxTTL)
}

// objectTTL is min(max(t, minTTL), maxTTL) for the origin's TTL t, or
// defTTL when the origin sends none; no-cache, no-store and private give
// minTTL (0: revalidate on every request).
func objectTTL(h http.Header, now time.Time, minTTL, defTTL, maxTTL time.Duration) time.Duration {
	cc := parseCacheControl(h["Cache-Control"])
	if cc.noCache || cc.noStore || cc.private {
		return min(minTTL, maxTTL)
	}
	var t time.Duration
	switch {
	case cc.sMaxAge >= 0:
		t = time.Duration(cc.sMaxAge) * time.Second
	case cc.maxAge >= 0:
		t = time.Duration(cc.maxAge) * time.Second
	case len(h["Expires"]) > 0:
		if exp, err := http.ParseTime(h.Get("Expires")); err == nil && exp.After(now) {
			t = exp.Sub(now)
		}
	default:
		t = defTTL
	}
	return min(max(t, minTTL), maxTTL)
}

// errorCached reports the statuses 2012 cached for errorTTL.
func errorCached(status int) bool {
	switch status {
	case 204, 305, 400, 403, 404, 405, 414, 500, 501, 502, 503, 504:
		return true
	}
	return false
}

// cacheableStatus reports the other statuses kept under the normal TTL.
func cacheableStatus(status int) bool {
	switch status {
	case 200, 203, 300, 301, 302, 307, 308, 410:
		return true
	}
	return false
}
