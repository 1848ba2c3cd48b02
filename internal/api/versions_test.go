package api

import (
	"net/http"
	"strings"
	"testing"
)

// A distribution is one resource whichever API version made it; each
// version shows the subset it has, and an update through 2012-07-01 keeps
// what only 2020-05-31 can express.

func mustStatus(t *testing.T, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status %d, want %d: %s", res.status, want, res.body)
	}
}

func TestCreatedThrough2012SeenThrough2020(t *testing.T) {
	e := newTestEnv(t)
	res := e.do("POST", "/2012-07-01/distribution", distConfig("ref", "ref-2012"))
	mustStatus(t, res, http.StatusCreated)
	id := firstID(res.body)
	before2012 := e.do("GET", "/2012-07-01/distribution/"+id+"/config", "")

	got := e.do("GET", prefix2020+"/distribution/"+id+"/config", "")
	mustStatus(t, got, http.StatusOK)
	for _, want := range []string{"<AllowedMethods><Quantity>2</Quantity>", "<DefaultTTL>86400</DefaultTTL>",
		"<HttpVersion>http2</HttpVersion>", "<CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>"} {
		if !strings.Contains(string(got.body), want) {
			t.Errorf("the 2020 view lacks %s: %s", want, got.body)
		}
	}
	// Terraform's disable: exactly what was returned, with Enabled=false.
	disabled := strings.Replace(string(got.body), "<Enabled>true</Enabled><ViewerCertificate>", "<Enabled>false</Enabled><ViewerCertificate>", 1)
	if disabled == string(got.body) {
		t.Fatal("test edit: Enabled not found in the 2020 config")
	}
	upd := e.do("PUT", prefix2020+"/distribution/"+id+"/config", disabled, "If-Match", got.header.Get("ETag"))
	mustStatus(t, upd, http.StatusOK)
	again := e.do("GET", prefix2020+"/distribution/"+id+"/config", "")
	if string(again.body) != disabled {
		t.Fatalf("the 2020 round trip changed the config:\n%s\n%s", disabled, again.body)
	}
	// The 2012 view is the old one, but disabled.
	after2012 := e.do("GET", "/2012-07-01/distribution/"+id+"/config", "")
	want := strings.Replace(string(before2012.body), "<Enabled>true</Enabled></DistributionConfig>", "<Enabled>false</Enabled></DistributionConfig>", 1)
	if want == string(before2012.body) {
		t.Fatal("test edit: Enabled not found in the 2012 config")
	}
	if string(after2012.body) != want {
		t.Fatalf("the 2012 view changed beyond Enabled:\n%s\n%s", want, after2012.body)
	}
}

func TestUpdateThrough2012KeepsLaterMembers(t *testing.T) {
	e := newTestEnv(t)
	cfg := strings.NewReplacer(
		"2012-07-01", "2020-05-31",
		"<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><Compress>true</Compress><DefaultTTL>600</DefaultTTL>",
		"<Comment>", "<CustomErrorResponses><Quantity>1</Quantity><Items><CustomErrorResponse><ErrorCode>404</ErrorCode><ResponsePagePath>/404.html</ResponsePagePath><ResponseCode>404</ResponseCode></CustomErrorResponse></Items></CustomErrorResponses><HttpVersion>http3</HttpVersion><Comment>",
	).Replace(distConfig("ref", "ref-2020"))
	res := e.do("POST", prefix2020+"/distribution", cfg)
	mustStatus(t, res, http.StatusCreated)
	id := firstID(res.body)
	want2020 := e.do("GET", prefix2020+"/distribution/"+id+"/config", "")

	old := e.do("GET", "/2012-07-01/distribution/"+id+"/config", "")
	if strings.Contains(string(old.body), "Compress") || strings.Contains(string(old.body), "CustomErrorResponses") {
		t.Fatalf("the 2012 view shows 2020 members: %s", old.body)
	}
	edited := strings.Replace(string(old.body), "<Comment></Comment>", "<Comment>edited in 2012</Comment>", 1)
	if edited == string(old.body) || !strings.Contains(string(want2020.body), "<Compress>true</Compress>") {
		t.Fatal("test edit: Comment not found, or the config lacks the 2020 members")
	}
	mustStatus(t, e.do("PUT", "/2012-07-01/distribution/"+id+"/config", edited, "If-Match", old.header.Get("ETag")), http.StatusOK)

	got := e.do("GET", prefix2020+"/distribution/"+id+"/config", "")
	want := strings.Replace(string(want2020.body), "<Comment></Comment>", "<Comment>edited in 2012</Comment>", 1)
	if string(got.body) != want {
		t.Fatalf("a 2012 update changed 2020 members:\nwant %s\n got %s", want, got.body)
	}
}

// A 2020-only enum value shows in the 2012 view as it is; sending it back
// through 2012-07-01 is refused (its schema lacks the value) rather than
// changed silently.
func TestLaterEnumThrough2012(t *testing.T) {
	e := newTestEnv(t)
	cfg := strings.NewReplacer("2012-07-01", "2020-05-31", "<ViewerProtocolPolicy>allow-all", "<ViewerProtocolPolicy>redirect-to-https").
		Replace(distConfig("ref", "ref-enum"))
	res := e.do("POST", prefix2020+"/distribution", cfg)
	mustStatus(t, res, http.StatusCreated)
	id := firstID(res.body)
	old := e.do("GET", "/2012-07-01/distribution/"+id+"/config", "")
	if !strings.Contains(string(old.body), "redirect-to-https") {
		t.Fatalf("the 2012 view hides the policy: %s", old.body)
	}
	res = e.do("PUT", "/2012-07-01/distribution/"+id+"/config", string(old.body), "If-Match", old.header.Get("ETag"))
	if res.status != http.StatusBadRequest || errorCode(res.body) != "InvalidArgument" {
		t.Fatalf("%d %s, want InvalidArgument", res.status, res.body)
	}
}
