package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFunctionsAWSCLI: CloudFront Functions made, tested, published and
// associated with the AWS CLI run on the real edge: a viewer-request
// function that redirects one path and rewrites directory URLs to
// index.html, and a viewer-response function that adds a header to hits
// and misses alike. Publishing a new version redeploys the distribution,
// and once it is Deployed the edge runs the new code; a function in use
// cannot be deleted.
func TestFunctionsAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	apiURL, edgeAddr, env := api2020Serve(t)
	o := newOrigin(t)
	aws := func(args ...string) map[string]any { t.Helper(); return api2020AWS(t, apiURL, env, args...) }
	dir := t.TempDir()
	file := func(name, code string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		return "fileb://" + p
	}
	const rewrite = `function handler(event) {
    var request = event.request;
    if (request.uri === '/old') {
        return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/new' } } };
    }
    if (request.uri.endsWith('/')) {
        request.uri += 'index.html';
    }
    return request;
}`
	created := aws("create-function", "--name", "rewrite", "--function-config", `{"Comment":"e2e","Runtime":"cloudfront-js-2.0"}`,
		"--function-code", file("rewrite.js", rewrite))
	etag := api2020Get(created, "ETag").(string)
	arn := api2020Get(created, "FunctionSummary", "FunctionMetadata", "FunctionARN").(string)

	// test-function runs DEVELOPMENT on the CLI's event.
	event := `{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"192.0.2.1"},
		"request":{"method":"GET","uri":"/docs/","querystring":{},"headers":{},"cookies":{}}}`
	tested := aws("test-function", "--name", "rewrite", "--if-match", etag, "--event-object", file("event.json", event))
	if out, _ := api2020Get(tested, "TestResult", "FunctionOutput").(string); !strings.Contains(out, `"/docs/index.html"`) {
		t.Fatalf("test-function: %v", tested)
	}
	aws("publish-function", "--name", "rewrite", "--if-match", etag)

	headers := aws("create-function", "--name", "headers", "--function-config", `{"Comment":"","Runtime":"cloudfront-js-1.0"}`,
		"--function-code", file("headers.js", `function handler(event) {
    var response = event.response;
    response.headers['x-frame-options'] = { value: 'DENY' };
    return response;
}`))
	aws("publish-function", "--name", "headers", "--if-match", api2020Get(headers, "ETag").(string))
	headersARN := api2020Get(headers, "FunctionSummary", "FunctionMetadata", "FunctionARN").(string)

	host, port := hostPort(t, o.http.URL)
	cfg := fmt.Sprintf(`{"CallerReference":"fn-e2e","Comment":"","Enabled":true,
		"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":%q,
			"CustomOriginConfig":{"HTTPPort":%d,"HTTPSPort":443,"OriginProtocolPolicy":"http-only"}}]},
		"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all",
			"CachePolicyId":"658327ea-f89d-4fab-a63d-7e88639e58f6",
			"FunctionAssociations":{"Quantity":2,"Items":[{"FunctionARN":%q,"EventType":"viewer-request"},
				{"FunctionARN":%q,"EventType":"viewer-response"}]}}}`, host, port, arn, headersARN)
	dist := aws("create-distribution", "--distribution-config", cfg)
	id := api2020Get(dist, "Distribution", "Id").(string)
	domain := api2020Get(dist, "Distribution", "DomainName").(string)
	waitDeployed := func() {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if api2020Get(aws("get-distribution", "--id", id), "Distribution", "Status") == "Deployed" {
				return
			}
		}
		t.Fatalf("%s not Deployed within 20s", id)
	}
	waitDeployed()

	res, body := viewer(t, "http", edgeAddr, domain, "GET", "/docs/")
	if res.StatusCode != 200 || !strings.Contains(body, "path=/docs/index.html") || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("/docs/: %d %q %v", res.StatusCode, body, res.Header)
	}
	res, _ = viewer(t, "http", edgeAddr, domain, "GET", "/docs/")
	if res.Header.Get("X-Cache") != "Hit from cloudfront" || res.Header.Get("X-Frame-Options") != "DENY" || o.count("/docs/index.html") != 1 {
		t.Fatalf("/docs/ again: %v, %d origin requests", res.Header, o.count("/docs/index.html"))
	}
	client := noFollow()
	req := viewerRequest(t, edgeAddr, domain, "/old")
	r, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 302 || r.Header.Get("Location") != "/new" || r.Header.Get("X-Cache") != "FunctionGeneratedResponse from cloudfront" || o.count("/old") != 0 {
		t.Fatalf("/old: %d %v", r.StatusCode, r.Header)
	}

	// A new version: UpdateFunction changes DEVELOPMENT only; publishing
	// redeploys the distribution, then the edge runs it.
	desc := aws("describe-function", "--name", "rewrite")
	v2 := strings.Replace(rewrite, "'/new'", "'/v2'", 1)
	updated := aws("update-function", "--name", "rewrite", "--if-match", api2020Get(desc, "ETag").(string),
		"--function-config", `{"Comment":"v2","Runtime":"cloudfront-js-2.0"}`, "--function-code", file("v2.js", v2))
	if loc := redirectOf(t, client, edgeAddr, domain); loc != "/new" {
		t.Fatalf("before publishing, the edge ran DEVELOPMENT: %q", loc)
	}
	aws("publish-function", "--name", "rewrite", "--if-match", api2020Get(updated, "ETag").(string))
	waitDeployed()
	if loc := redirectOf(t, client, edgeAddr, domain); loc != "/v2" {
		t.Fatalf("after publishing: %q", loc)
	}

	code := exec.Command("aws", "cloudfront", "--endpoint-url", apiURL, "delete-function", "--name", "rewrite",
		"--if-match", api2020Get(updated, "ETag").(string))
	code.Env = env
	if out, err := code.CombinedOutput(); err == nil || !strings.Contains(string(out), "FunctionInUse") {
		t.Fatalf("delete-function in use: %v\n%s", err, out)
	}
}

// redirectOf is where the edge redirects /old.
func redirectOf(t *testing.T, c *http.Client, edgeAddr, domain string) string {
	t.Helper()
	r, err := c.Do(viewerRequest(t, edgeAddr, domain, "/old"))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	return r.Header.Get("Location")
}

func viewerRequest(t *testing.T, edgeAddr, domain, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+edgeAddr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = domain
	return req
}

func noFollow() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
