package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestLegacySignature checks HMAC-SHA1 vectors computed independently with
// openssl dgst -sha1 -hmac <secret> -binary | base64.
func TestLegacySignature(t *testing.T) {
	cases := []struct{ name, date, want string }{
		{"RFC 1123", "Thu, 17 May 2012 19:37:58 GMT", "jGLfmt4ZqkI5eKDsOIztQe1cGIg="},
		{"ISO 8601 basic", "20120517T193758Z", "XmlAxj0aMCqnt/T2VKJQHRP60qo="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := legacySignature(testSecret, tc.date); got != tc.want {
				t.Fatalf("legacySignature = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseLegacyDate(t *testing.T) {
	cases := []struct {
		name, value string
		ok          bool
	}{
		{"RFC 1123 GMT", "Thu, 17 May 2012 19:37:58 GMT", true},
		{"RFC 1123 UTC", "Thu, 17 May 2012 19:37:58 UTC", true},
		{"RFC 1123 one-digit day", "Mon, 7 May 2012 19:37:58 GMT", true},
		{"RFC 1123 numeric zone", "Thu, 17 May 2012 21:37:58 +0200", true},
		{"RFC 850", "Thursday, 17-May-12 19:37:58 GMT", true},
		{"ANSI C", "Thu May 17 19:37:58 2012", true},
		{"ISO 8601 basic", "20120517T193758Z", true},
		{"other zone name", "Thu, 17 May 2012 19:37:58 EST", false},
		{"ISO 8601 extended", "2012-05-17T19:37:58Z", false},
		{"garbage", "yesterday", false},
		{"empty", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseLegacyDate(tc.value)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if ok && tc.name != "RFC 1123 one-digit day" && !got.Equal(time.Date(2012, 5, 17, 19, 37, 58, 0, time.UTC)) {
				t.Fatalf("parsed %v", got)
			}
		})
	}
}

// TestVerifyLegacyDates sends every accepted date format through Verify,
// signed by hand as the old clients did, in X-Amz-Date and in Date.
func TestVerifyLegacyDates(t *testing.T) {
	dates := []string{
		"Thu, 17 May 2012 19:37:58 GMT",
		"Thu, 17 May 2012 19:37:58 UTC",
		"Thursday, 17-May-12 19:37:58 GMT",
		"Thu May 17 19:37:58 2012",
		"20120517T193758Z",
		"Thu, 17 May 2012 19:23:00 GMT", // 14:58 early, inside the window
	}
	for _, date := range dates {
		for _, header := range []string{"X-Amz-Date", "Date"} {
			t.Run(header+" "+date, func(t *testing.T) {
				r := httptest.NewRequest("GET", "/2012-07-01/distribution", nil)
				r.Header.Set(header, date)
				r.Header.Set("Authorization", "AWS "+testKeyID+":"+legacySignature(testSecret, date))
				c, err := testVerifier().Verify(r, nil)
				if err != nil {
					t.Fatal(err)
				}
				if c.AccountID != testAccount {
					t.Fatalf("account = %q", c.AccountID)
				}
			})
		}
	}
}

func TestSignLegacy(t *testing.T) {
	r := httptest.NewRequest("POST", "/2012-07-01/distribution", nil)
	SignLegacy(r, testKeyID, testSecret, testNow.In(time.FixedZone("PDT", -7*3600)))
	if got, want := r.Header.Get("X-Amz-Date"), "Thu, 17 May 2012 19:37:58 GMT"; got != want {
		t.Errorf("X-Amz-Date = %q, want %q", got, want)
	}
	if got, want := r.Header.Get("Authorization"), "AWS "+testKeyID+":jGLfmt4ZqkI5eKDsOIztQe1cGIg="; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
	// X-Amz-Date wins over Date, which is then not signed.
	r.Header.Set("Date", "Fri, 18 May 2012 00:00:00 GMT")
	if _, err := testVerifier().Verify(r, nil); err != nil {
		t.Fatal(err)
	}
	r2 := &http.Request{}
	SignLegacy(r2, testKeyID, testSecret, testNow) // no header map yet
	if r2.Header.Get("Authorization") == "" {
		t.Fatal("no Authorization on a request without headers")
	}
}
