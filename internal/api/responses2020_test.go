package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// arnForm hides the generated parts of an ARN (account and id) for
// golden files.
var (
	arnForm         = regexp.MustCompile(`<ARN>arn:aws:cloudfront::\d{12}:(distribution|streaming-distribution)/E[A-Z0-9]{13}</ARN>`)
	summaryETagForm = regexp.MustCompile(`<ETag>E[A-Z0-9]{13}</ETag>`)
)

func golden2020(t *testing.T, name string, body []byte) {
	t.Helper()
	body = arnForm.ReplaceAll(body, []byte("<ARN>arn:aws:cloudfront::{account}:$1/{E+13 upper alnum}</ARN>"))
	golden(t, name, summaryETagForm.ReplaceAll(body, []byte("<ETag>{E+13 upper alnum}</ETag>")))
}

// TestResponses2020: status, headers and body of each 2020-05-31 answer,
// bodies against golden files (generated values by their form).
func TestResponses2020(t *testing.T) {
	e := newTestEnv(t)
	cfg := strings.ReplaceAll(distConfig("ref", "golden-2020"), "2012-07-01", "2020-05-31")
	create := e.do("POST", prefix2020+"/distribution?WithTags", "<DistributionConfigWithTags>"+
		strings.Replace(cfg, `<?xml version="1.0" encoding="UTF-8"?>`, "", 1)+"<Tags><Items/></Tags></DistributionConfigWithTags>")
	mustStatus(t, create, http.StatusCreated)
	id := firstID(create.body)
	etag := create.header.Get("ETag")
	for name, want := range map[string]string{
		"Location":         e.url + prefix2020 + "/distribution/" + id,
		"Content-Type":     "text/xml",
		"x-amz-request-id": create.header.Get("x-amzn-RequestId"),
	} {
		if got := create.header.Get(name); got != want || got == "" {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if !regexp.MustCompile(`^E[A-Z0-9]{13}$`).MatchString(etag) {
		t.Errorf("ETag %q", etag)
	}
	golden2020(t, "create2020.response.xml", create.body)

	get := e.do("GET", prefix2020+"/distribution/"+id, "")
	mustStatus(t, get, http.StatusOK)
	if get.header.Get("ETag") != etag || string(get.body) != string(create.body) {
		t.Errorf("Get differs from Create: ETag %q, body\n%s", get.header.Get("ETag"), get.body)
	}
	list := e.do("GET", prefix2020+"/distribution?MaxItems=1", "")
	mustStatus(t, list, http.StatusOK)
	golden2020(t, "list2020.response.xml", list.body)

	tag := e.do("POST", prefix2020+"/tagging?Operation=Tag&Resource=arn:aws:cloudfront::"+e.account.ID+":distribution/"+id,
		"<Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags>")
	if tag.status != http.StatusNoContent || len(tag.body) != 0 || tag.header.Get("x-amz-request-id") == "" {
		t.Errorf("TagResource: %d %q", tag.status, tag.body)
	}

	missing := e.do("GET", prefix2020+"/distribution/ENOSUCH", "")
	if missing.status != http.StatusNotFound {
		t.Errorf("missing: %d", missing.status)
	}
	golden2020(t, "nosuch2020.error.xml", missing.body)
}
