package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// methods2020Config is a 2020-05-31 distribution whose default behaviour
// allows every method, caches OPTIONS, keys on X-Product and on the query
// parameter v only, with DefaultTTL 60 and MaxTTL 120; /secure/* redirects
// HTTP viewers to HTTPS.
func methods2020Config(originHost string, originPort int) string {
	behavior := func(viewer string) string {
		return `<TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>` + viewer + `</ViewerProtocolPolicy>` +
			`<AllowedMethods><Quantity>7</Quantity><Items><Method>GET</Method><Method>HEAD</Method><Method>OPTIONS</Method>` +
			`<Method>PUT</Method><Method>PATCH</Method><Method>POST</Method><Method>DELETE</Method></Items>` +
			`<CachedMethods><Quantity>3</Quantity><Items><Method>GET</Method><Method>HEAD</Method><Method>OPTIONS</Method></Items></CachedMethods></AllowedMethods>` +
			`<ForwardedValues><QueryString>true</QueryString><Cookies><Forward>none</Forward></Cookies>` +
			`<Headers><Quantity>1</Quantity><Items><Name>X-Product</Name></Items></Headers>` +
			`<QueryStringCacheKeys><Quantity>1</Quantity><Items><Name>v</Name></Items></QueryStringCacheKeys></ForwardedValues>` +
			`<MinTTL>0</MinTTL><DefaultTTL>60</DefaultTTL><MaxTTL>120</MaxTTL>`
	}
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>methods-e2e</CallerReference>` +
		fmt.Sprintf(`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>%s</DomainName><CustomOriginConfig>`+
			`<HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>`, originHost, originPort) +
		`<DefaultCacheBehavior>` + behavior("allow-all") + `</DefaultCacheBehavior>` +
		`<CacheBehaviors><Quantity>1</Quantity><Items><CacheBehavior><PathPattern>/secure/*</PathPattern>` + behavior("redirect-to-https") +
		`</CacheBehavior></Items></CacheBehaviors>` +
		`<Comment /><Enabled>true</Enabled></DistributionConfig>`
}

// TestMethods2020Edge: a distribution created through the 2020-05-31 API
// of the real binary is served with its AllowedMethods and CachedMethods,
// redirect-to-https, forwarded header and query-string cache keys.
func TestMethods2020Edge(t *testing.T) {
	var hits atomic.Int64
	o := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s?%s product=%s body=%s n=%d", r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("X-Product"), body, n)
	}))
	t.Cleanup(o.Close)
	host, port := hostPort(t, o.URL)

	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	api := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}

	cfg := methods2020Config(host, port)
	res := api.must(t, "POST", "/2020-05-31/distribution", cfg)
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	domain := field(domainRE, res.body)

	// The embedded edge has it within moments.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, _ := viewer(t, "http", edgeAddr, domain, "GET", "/ready")
		if r.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edge does not serve %s: %d", domain, r.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}

	steps := []struct {
		name, method, path, body string
		hdr                      []string
		status                   int
		want                     string // prefix of the answer, or the Location
		xcache                   string
	}{
		{"GET keyed on v", "GET", "/p?v=1&utm=a", "", []string{"X-Product", "Acme"}, 200, "GET /p?v=1&utm=a product=Acme", "Miss from cloudfront"},
		{"other utm: same object", "GET", "/p?utm=b&v=1", "", []string{"X-Product", "Acme"}, 200, "GET /p?v=1&utm=a product=Acme", "Hit from cloudfront"},
		{"other product: other object", "GET", "/p?v=1", "", []string{"X-Product", "Apex"}, 200, "GET /p?v=1 product=Apex", "Miss from cloudfront"},
		{"OPTIONS cached", "OPTIONS", "/p", "", nil, 200, "OPTIONS /p?", "Miss from cloudfront"},
		{"OPTIONS hit", "OPTIONS", "/p", "", nil, 200, "OPTIONS /p?", "Hit from cloudfront"},
		{"POST with body", "POST", "/p?v=1", "payload", []string{"X-Product", "Acme"}, 200, "POST /p?v=1 product=Acme body=payload", "Miss from cloudfront"},
		{"POST never cached", "POST", "/p?v=1", "again", []string{"X-Product", "Acme"}, 200, "POST /p?v=1 product=Acme body=again", "Miss from cloudfront"},
		{"DELETE", "DELETE", "/p", "", nil, 200, "DELETE /p?", "Miss from cloudfront"},
		{"redirect", "GET", "/secure/x?y=1", "", nil, 301, "https://" + domain + "/secure/x?y=1", "Redirect from cloudfront"},
		{"unknown method", "PROPFIND", "/p", "", nil, 403, "", "Error from cloudfront"},
	}
	for _, s := range steps {
		req, _ := http.NewRequest(s.method, "http://"+edgeAddr+s.path, strings.NewReader(s.body))
		req.Host = domain
		for i := 0; i+1 < len(s.hdr); i += 2 {
			req.Header.Set(s.hdr[i], s.hdr[i+1])
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		r, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		got := string(b)
		if s.status == 301 {
			got = r.Header.Get("Location")
		}
		if r.StatusCode != s.status || !strings.HasPrefix(got, s.want) || r.Header.Get("X-Cache") != s.xcache {
			t.Errorf("%s: %d %q X-Cache %q, want %d %q %q", s.name, r.StatusCode, got, r.Header.Get("X-Cache"), s.status, s.want, s.xcache)
		}
	}
}
