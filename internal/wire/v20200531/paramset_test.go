package v20200531

import (
	"strings"
	"testing"
)

// checkParamSetLists: the encoder writes a HeadersConfig, CookiesConfig or
// QueryStringsConfig list only when Names is not nil. doc is a config
// with every behaviour none, Headers and QueryStrings Names nil and
// Cookies Names empty.
func checkParamSetLists(t *testing.T, doc []byte) {
	t.Helper()
	out := string(doc)
	if strings.Contains(out, "<Headers>") || strings.Contains(out, "<QueryStrings>") ||
		!strings.Contains(out, "<CookieBehavior>none</CookieBehavior><Cookies><Quantity>0</Quantity></Cookies>") {
		t.Errorf("lists: %s", out)
	}
}
