package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTagging2020: CloudFront's tag rules and who may tag what, through
// the HTTP API. Another account's distribution is NoSuchResource, exactly
// like one that does not exist, so an ARN reveals nothing.
func TestTagging2020(t *testing.T) {
	e := newTestEnv(t)
	res := e.do("POST", prefix2020+"/distribution", strings.ReplaceAll(distConfig("ref", "tagged"), "2012-07-01", "2020-05-31"))
	mustStatus(t, res, http.StatusCreated)
	arn := "arn:aws:cloudfront::" + e.account.ID + ":distribution/" + firstID(res.body)
	tagURL := func(op, resource string) string {
		u := prefix2020 + "/tagging?Resource=" + url.QueryEscape(resource)
		if op != "" {
			u += "&Operation=" + op
		}
		return u
	}
	tags := func(kv ...string) string {
		var b strings.Builder
		b.WriteString("<Tags><Items>")
		for i := 0; i+1 < len(kv); i += 2 {
			b.WriteString("<Tag><Key>" + kv[i] + "</Key><Value>" + kv[i+1] + "</Value></Tag>")
		}
		b.WriteString("</Items></Tags>")
		return b.String()
	}
	many := []string{}
	for i := range 51 {
		many = append(many, "k"+strings.Repeat("x", i), "v")
	}

	_, other, err := e.svc.CreateAccount(context.Background(), "", "other")
	if err != nil {
		t.Fatal(err)
	}
	otherARN := strings.Replace(arn, e.account.ID, "999999999999", 1)

	for _, tt := range []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"tag", "POST", tagURL("Tag", arn), tags("env", "prod", "team", "a b_c.d:e/f=g+h-i@j"), 204, ""},
		{"list", "GET", tagURL("", arn), "", 200, ""},
		{"key too long", "POST", tagURL("Tag", arn), tags(strings.Repeat("k", 129), "v"), 400, "InvalidTagging"},
		{"value too long", "POST", tagURL("Tag", arn), tags("k", strings.Repeat("v", 257)), 400, "InvalidTagging"},
		{"empty key", "POST", tagURL("Tag", arn), tags("", "v"), 400, "InvalidTagging"},
		{"bad character", "POST", tagURL("Tag", arn), tags("k", "a;b"), 400, "InvalidTagging"},
		{"reserved prefix", "POST", tagURL("Tag", arn), tags("AWS:k", "v"), 400, "InvalidTagging"},
		{"duplicate key", "POST", tagURL("Tag", arn), tags("k", "1", "k", "2"), 400, "InvalidTagging"},
		{"over 50", "POST", tagURL("Tag", arn), tags(many...), 400, "InvalidTagging"},
		{"no ARN", "GET", prefix2020 + "/tagging", "", 400, "InvalidArgument"},
		{"not an ARN", "GET", tagURL("", "E123"), "", 400, "InvalidArgument"},
		{"unknown distribution", "GET", tagURL("", strings.Replace(arn, ":distribution/E", ":distribution/X", 1)), "", 404, "NoSuchResource"},
		{"another account's ARN", "POST", tagURL("Tag", otherARN), tags("k", "v"), 404, "NoSuchResource"},
		{"untag", "POST", tagURL("Untag", arn), "<TagKeys><Items><Key>team</Key><Key>absent</Key></Items></TagKeys>", 204, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(tt.method, tt.path, tt.body)
			if res.status != tt.status || errorCode(res.body) != tt.code {
				t.Fatalf("%d %s, want %d %s", res.status, res.body, tt.status, tt.code)
			}
		})
	}
	res = e.do("GET", tagURL("", arn), "")
	if want := `<Tags xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Items><Tag><Key>env</Key><Value>prod</Value></Tag></Items></Tags>`; !strings.HasSuffix(string(res.body), want) {
		t.Fatalf("tags at the end: %s, want %s", res.body, want)
	}
	// The other account sees this account's distribution as nothing.
	res = e.doAs(other, "GET", tagURL("", arn), "")
	if res.status != 404 || errorCode(res.body) != "NoSuchResource" {
		t.Fatalf("another account listing the tags: %d %s", res.status, res.body)
	}
}
