package auth

import "time"

// iso8601Basic is SigV4's X-Amz-Date format, also accepted by the 2012 scheme.
const iso8601Basic = "20060102T150405Z"

// legacyDateLayouts are the date formats the 2012 scheme accepts. The zone
// is spelled out literally: time.Parse gives an unknown abbreviation such as
// "EST" a zero offset, which would silently misread the time.
var legacyDateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 GMT", // RFC 1123, what http.TimeFormat writes
	"Mon, 2 Jan 2006 15:04:05 UTC", // sent by Ruby clients and accepted by AWS
	time.RFC1123Z,
	"Monday, 02-Jan-06 15:04:05 GMT", // RFC 850
	time.ANSIC,
	iso8601Basic,
}

// parseLegacyDate parses the value of X-Amz-Date or Date for the 2012 scheme.
func parseLegacyDate(s string) (time.Time, bool) {
	for _, layout := range legacyDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseV4Date parses SigV4's X-Amz-Date.
func parseV4Date(s string) (time.Time, bool) {
	t, err := time.Parse(iso8601Basic, s)
	return t, err == nil
}
