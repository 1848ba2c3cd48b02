package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestEdgeOriginsSPAFailover: a distribution made through the 2020-05-31
// API with an origin group (primary failing with 500, secondary holding a
// single-page app) and the SPA's custom error response (404 ->
// /index.html, 200), served by the real binary's edge: every route of the
// app answers the app's page with 200, through the secondary, and the
// origins' custom headers and OriginPath arrive.
func TestEdgeOriginsSPAFailover(t *testing.T) {
	var primaryHits atomic.Int64
	primary := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		primaryHits.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "primary is down")
	}))
	t.Cleanup(primary.Close)
	var secret atomic.Value
	secret.Store("")
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret.Store(r.Header.Get("X-Origin-Secret"))
		if r.URL.Path == "/site/index.html" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<app>")
			return
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "no such file "+r.URL.Path)
	}))
	t.Cleanup(app.Close)

	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	id, key := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: key}

	ph, pp := hostPort(t, primary.URL)
	ah, ap := hostPort(t, app.URL)
	cfg := fmt.Sprintf(`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`+
		`<CallerReference>edge-origins-spa</CallerReference>`+
		`<Origins><Quantity>2</Quantity><Items>`+
		`<Origin><Id>primary</Id><DomainName>%s</DomainName><ConnectionAttempts>1</ConnectionAttempts>`+
		`<CustomOriginConfig><HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin>`+
		`<Origin><Id>app</Id><DomainName>%s</DomainName><OriginPath>/site</OriginPath>`+
		`<CustomHeaders><Quantity>1</Quantity><Items><OriginCustomHeader><HeaderName>X-Origin-Secret</HeaderName><HeaderValue>s3cr3t</HeaderValue></OriginCustomHeader></Items></CustomHeaders>`+
		`<CustomOriginConfig><HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy>`+
		`<OriginReadTimeout>5</OriginReadTimeout><OriginKeepaliveTimeout>2</OriginKeepaliveTimeout></CustomOriginConfig></Origin>`+
		`</Items></Origins>`+
		`<OriginGroups><Quantity>1</Quantity><Items><OriginGroup><Id>group</Id>`+
		`<FailoverCriteria><StatusCodes><Quantity>2</Quantity><Items><StatusCode>500</StatusCode><StatusCode>502</StatusCode></Items></StatusCodes></FailoverCriteria>`+
		`<Members><Quantity>2</Quantity><Items><OriginGroupMember><OriginId>primary</OriginId></OriginGroupMember><OriginGroupMember><OriginId>app</OriginId></OriginGroupMember></Items></Members>`+
		`</OriginGroup></Items></OriginGroups>`+
		`<DefaultCacheBehavior><TargetOriginId>group</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>`+
		`<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues><MinTTL>0</MinTTL></DefaultCacheBehavior>`+
		`<CustomErrorResponses><Quantity>1</Quantity><Items><CustomErrorResponse><ErrorCode>404</ErrorCode>`+
		`<ResponsePagePath>/index.html</ResponsePagePath><ResponseCode>200</ResponseCode><ErrorCachingMinTTL>30</ErrorCachingMinTTL></CustomErrorResponse></Items></CustomErrorResponses>`+
		`<Comment /><Enabled>true</Enabled></DistributionConfig>`, ph, pp, ah, ap)
	r := c.must(t, http.MethodPost, "/2020-05-31/distribution", cfg)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	domain := field(domainRE, r.body)
	if domain == "" {
		t.Fatalf("no DomainName in %s", r.body)
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		res, _ := viewer(t, "http", edgeAddr, domain, http.MethodGet, "/index.html")
		if res.StatusCode == http.StatusOK || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cases := []struct{ path, wantBody string }{
		{"/index.html", "<app>"},
		{"/users/42", "<app>"},
		{"/users/42", "<app>"}, // the cached error and the cached page
		{"/settings/profile", "<app>"},
	}
	for _, cs := range cases {
		res, body := viewer(t, "http", edgeAddr, domain, http.MethodGet, cs.path)
		if res.StatusCode != http.StatusOK || body != cs.wantBody {
			t.Fatalf("GET %s: %d %q, want 200 %q", cs.path, res.StatusCode, body, cs.wantBody)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", cs.path, ct)
		}
	}
	if got := secret.Load().(string); got != "s3cr3t" {
		t.Errorf("the app origin got X-Origin-Secret %q", got)
	}
	// /index.html, /users/42 and /settings/profile each reached the
	// primary once (the failed-over answers are cached), nothing more.
	if n := primaryHits.Load(); n < 3 || n > 4 {
		t.Errorf("primary asked %d times, want 3 (4 if the first poll raced the deployment)", n)
	}
}
