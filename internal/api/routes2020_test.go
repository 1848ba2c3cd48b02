package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/wire/v20200531"
)

// modelOperations is the number of operations in the CloudFront
// 2020-05-31 service model that unsupported2020.go was generated from.
const modelOperations = 167

var wildcardRE = regexp.MustCompile(`\{[A-Za-z]+(\.\.\.)?\}`)

// concrete fills a route's path wildcards with a plausible id.
func concrete(path string) string {
	return prefix2020 + wildcardRE.ReplaceAllString(path, "EXAMPLE123")
}

// TestRoutes2020Complete: every operation of the model has a row, either
// implemented or in the generated table, and no operation has two.
func TestRoutes2020Complete(t *testing.T) {
	s := &Server{}
	seen := map[string]bool{}
	for _, r := range s.routes2020() {
		seen[r.name] = true
	}
	for _, u := range unsupported2020 {
		if seen[u.name] {
			t.Errorf("%s is both implemented and in unsupported2020; regenerate it", u.name)
		}
		seen[u.name] = true
	}
	if len(seen) != modelOperations {
		t.Fatalf("%d operations have a row, the model has %d", len(seen), modelOperations)
	}
}

// TestUnsupported2020: each operation openfront does not implement answers
// 400 UnsupportedOperation naming itself, in 2020-05-31's namespace, after
// authentication; none answers InvalidURI.
func TestUnsupported2020(t *testing.T) {
	e := newTestEnv(t)
	for _, u := range unsupported2020 {
		t.Run(u.name, func(t *testing.T) {
			path := concrete(u.path)
			if u.query != "" {
				path += "?" + u.query
			}
			res := e.do(u.method, path, "")
			if res.status != http.StatusBadRequest || errorCode(res.body) != "UnsupportedOperation" {
				t.Fatalf("%s %s: %d %s", u.method, path, res.status, res.body)
			}
			if !strings.Contains(string(res.body), " "+u.name+" ") || !strings.Contains(string(res.body), v20200531.Namespace) {
				t.Fatalf("the error does not name %s in the 2020-05-31 namespace: %s", u.name, res.body)
			}
		})
	}
	t.Run("unauthenticated", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.url+prefix2020+"/field-level-encryption", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403: unsupported operations authenticate first", res.StatusCode)
		}
	})
}

// TestRoutes2020Dispatch: the implemented rows reach their operation (no
// InvalidURI, no UnsupportedOperation), query-selected rows included, and
// a wrong method or an unknown path gets CloudFront's XML.
func TestRoutes2020Dispatch(t *testing.T) {
	e := newTestEnv(t)
	for _, r := range (&Server{}).routes2020() {
		path := concrete(r.path)
		if r.query != "" {
			path += "?" + r.query
		}
		res := e.do(r.method, path, "")
		if c := errorCode(res.body); c == "InvalidURI" || c == "UnsupportedOperation" || c == "MethodNotAllowed" {
			t.Errorf("%s %s (%s): %s", r.method, path, r.name, c)
		}
	}
	// The error's detail tells which operation decoded the body: each
	// names the root it wants.
	plain := "<DistributionConfig/>"
	tagged := "<DistributionConfigWithTags/>"
	for _, tt := range []struct{ method, path, body, want, detail string }{
		{"PATCH", "/distribution/EXAMPLE123", "", "MethodNotAllowed", ""},
		{"GET", "/no-such-thing", "", "InvalidURI", ""},
		{"POST", "/tagging?Operation=Retag", "", "InvalidURI", ""},
		{"POST", "/distribution?WithTags=", plain, "MalformedXML", "want DistributionConfigWithTags"}, // Go and JS SDKs
		{"POST", "/distribution?WithTags", plain, "MalformedXML", "want DistributionConfigWithTags"},  // botocore
		{"POST", "/distribution", tagged, "MalformedXML", "want DistributionConfig in"},
	} {
		res := e.do(tt.method, prefix2020+tt.path, tt.body)
		if got := errorCode(res.body); got != tt.want || !strings.Contains(string(res.body), tt.detail) {
			t.Errorf("%s %s: %s, want %s with %q", tt.method, tt.path, res.body, tt.want, tt.detail)
		}
	}
}
