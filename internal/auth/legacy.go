package auth

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// legacyStringToSign is the 2012 scheme's whole string to sign: the value of
// X-Amz-Date if the request has one, else that of Date.
func legacyStringToSign(h http.Header) string {
	if d := h.Get("X-Amz-Date"); d != "" {
		return d
	}
	return h.Get("Date")
}

// legacySignature is Base64(HMAC-SHA1(secret, stringToSign)).
func legacySignature(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (v *Verifier) verifyLegacy(r *http.Request, a authorization) (Credential, error) {
	date := legacyStringToSign(r.Header)
	if date == "" {
		return Credential{}, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t, ok := parseLegacyDate(date)
	if !ok {
		return Credential{}, incomplete("Date %q is not an RFC 1123, RFC 850, ANSI C or ISO 8601 basic date.", date)
	}
	if now := v.now(); v.skewed(t, now) {
		return Credential{}, cloudfront.Errorf(cloudfront.RequestExpired,
			"Request timestamp %s is more than %s away from the server time %s.",
			t.UTC().Format(http.TimeFormat), formatSkew(v.maxSkew()), now.UTC().Format(http.TimeFormat))
	}
	c, err := v.credential(r.Context(), a.accessKeyID)
	if err != nil {
		return Credential{}, err
	}
	if !hmac.Equal([]byte(legacySignature(c.Secret, date)), []byte(a.signature)) {
		return Credential{}, cloudfront.NewError(cloudfront.SignatureDoesNotMatch)
	}
	return c, nil
}

// SignLegacy signs r with the 2012 scheme: it sets X-Amz-Date to now in RFC
// 1123 form (GMT) and Authorization to "AWS accessKeyID:signature".
func SignLegacy(r *http.Request, accessKeyID, secret string, now time.Time) {
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	date := now.UTC().Format(http.TimeFormat)
	r.Header.Set("X-Amz-Date", date)
	r.Header.Set("Authorization", legacyPrefix+accessKeyID+":"+legacySignature(secret, date))
}
