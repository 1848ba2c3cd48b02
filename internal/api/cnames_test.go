package api

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

var domainNameRE = regexp.MustCompile(`<DomainName>([ds][a-z0-9]{13}\.[^<]+)</DomainName>`)

// TestAssignedDomainNamesNotClaimable: another account cannot list a
// distribution's assigned domain name, or anything under the domain
// suffix, as a CNAME, on create or update, for either kind of
// distribution. CloudFront: a CNAME belongs to one distribution across all
// accounts (CNAMEAlreadyExists, 409).
func TestAssignedDomainNamesNotClaimable(t *testing.T) {
	e := newTestEnv(t)
	a := e.do("POST", "/2012-07-01/distribution", distConfig("ref", "owner"))
	sa := e.do("POST", "/2012-07-01/streaming-distribution", streamingConfig("ref", "owner"))
	if a.status != 201 || sa.status != 201 {
		t.Fatalf("owner: %d %s / %d %s", a.status, a.body, sa.status, sa.body)
	}
	domain := domainNameRE.FindSubmatch(a.body)[1]
	streamDomain := domainNameRE.FindSubmatch(sa.body)[1]
	_, other, err := e.svc.CreateAccount(t.Context(), "", "other")
	if err != nil {
		t.Fatal(err)
	}
	// The other account's distribution to update.
	b := e.doAs(other, "POST", "/2012-07-01/distribution", distConfig("ref", "other"))
	sb := e.doAs(other, "POST", "/2012-07-01/streaming-distribution", streamingConfig("ref", "other"))
	if b.status != 201 || sb.status != 201 {
		t.Fatalf("other: %d %s / %d %s", b.status, b.body, sb.status, sb.body)
	}
	cases := []struct {
		alias  string
		status int
		code   string
	}{
		{string(domain), 409, "CNAMEAlreadyExists"},
		{string(streamDomain), 409, "CNAMEAlreadyExists"},
		{"d0000000000000.cloudfront.localhost", 400, "InvalidArgument"}, // not assigned, but under the suffix
		{"*.cloudfront.localhost", 400, "InvalidArgument"},
		{"cloudfront.localhost", 400, "InvalidArgument"},
		{"127.0.0.1", 400, "InvalidArgument"},
		{"localhost", 400, "InvalidArgument"},
		{"www.example.localhost", 201, ""},
	}
	for _, tc := range cases {
		t.Run(tc.alias, func(t *testing.T) {
			for i, op := range []struct {
				name, method, path, body string
				header                   []string
			}{
				{"create", "POST", "/2012-07-01/distribution", distConfig("ref", "new-"+tc.alias, "aliases", aliases(tc.alias)), nil},
				{"update", "PUT", "/2012-07-01/distribution/" + firstID(b.body) + "/config", distConfig("ref", "other", "aliases", aliases(tc.alias)),
					[]string{"If-Match", b.header.Get("ETag")}},
				{"streaming create", "POST", "/2012-07-01/streaming-distribution", streamingConfig("ref", "new-"+tc.alias, "aliases", aliases(tc.alias)), nil},
				{"streaming update", "PUT", "/2012-07-01/streaming-distribution/" + firstID(sb.body) + "/config", streamingConfig("ref", "other", "aliases", aliases(tc.alias)),
					[]string{"If-Match", sb.header.Get("ETag")}},
			} {
				if tc.status == 201 {
					// A fresh valid name for each operation: the first one holds it.
					op.body = strings.Replace(op.body, ">"+tc.alias+"<", fmt.Sprint(">op", i, ".", tc.alias, "<"), 1)
				}
				res := e.doAs(other, op.method, op.path, op.body, op.header...)
				want := tc.status
				if want == 201 && op.method == "PUT" {
					want = 200
				}
				if res.status != want || errorCode(res.body) != tc.code {
					t.Errorf("%s: %d %s, want %d %s", op.name, res.status, errorCode(res.body), want, tc.code)
				}
				if res.status == 200 {
					// Later updates need the new ETag.
					if strings.Contains(op.path, "streaming") {
						sb.header.Set("ETag", res.header.Get("ETag"))
					} else {
						b.header.Set("ETag", res.header.Get("ETag"))
					}
				}
			}
		})
	}
}
