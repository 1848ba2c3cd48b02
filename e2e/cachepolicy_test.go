package e2e

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestCachePolicyAWSCLI: cache policies made and changed with the AWS
// CLI decide what the real edge keys and forwards. A custom policy that
// keys one query parameter; its update, which redeploys the distribution
// using it (InProgress until the edge has it, then Deployed) and changes
// what the edge forwards; a behaviour on the managed CachingDisabled,
// which the edge never caches, with the managed SecurityHeadersPolicy's
// headers on every answer; and the policy's delete refused while used.
func TestCachePolicyAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	apiURL, edgeAddr, env := api2020Serve(t)
	o := newOrigin(t)
	aws := func(args ...string) map[string]any { t.Helper(); return api2020AWS(t, apiURL, env, args...) }

	policy := func(name, queryBehavior string, names ...string) string {
		qs := fmt.Sprintf(`{"QueryStringBehavior":%q}`, queryBehavior)
		if len(names) > 0 {
			items, _ := json.Marshal(names)
			qs = fmt.Sprintf(`{"QueryStringBehavior":%q,"QueryStrings":{"Quantity":%d,"Items":%s}}`, queryBehavior, len(names), items)
		}
		return fmt.Sprintf(`{"Name":%q,"Comment":"e2e","MinTTL":0,"DefaultTTL":3600,"MaxTTL":86400,
			"ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":false,
				"HeadersConfig":{"HeaderBehavior":"none"},"CookiesConfig":{"CookieBehavior":"none"},
				"QueryStringsConfig":%s}}`, name, qs)
	}
	created := aws("create-cache-policy", "--cache-policy-config", policy("keys-v", "whitelist", "v"))
	policyID := api2020Get(created, "CachePolicy", "Id").(string)
	etag := api2020Get(created, "ETag").(string)

	host, port := hostPort(t, o.http.URL)
	cfg := fmt.Sprintf(`{"CallerReference":"cp-e2e","Comment":"","Enabled":true,
		"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":%q,
			"CustomOriginConfig":{"HTTPPort":%d,"HTTPSPort":443,"OriginProtocolPolicy":"http-only"}}]},
		"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all","CachePolicyId":%q},
		"CacheBehaviors":{"Quantity":1,"Items":[{"PathPattern":"/dynamic/*","TargetOriginId":"o",
			"ViewerProtocolPolicy":"allow-all","CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
			"ResponseHeadersPolicyId":"67f7725c-6f97-4210-82d7-5512b31e9d03"}]}}`, host, port, policyID)
	dist := aws("create-distribution", "--distribution-config", cfg)
	id := api2020Get(dist, "Distribution", "Id").(string)
	domain := api2020Get(dist, "Distribution", "DomainName").(string)
	waitStatus := func(want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if api2020Get(aws("get-distribution", "--id", id), "Distribution", "Status") == want {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s not %s within 20s", id, want)
	}
	waitStatus("Deployed")

	get := func(path string) string {
		t.Helper()
		res, body := viewer(t, "http", edgeAddr, domain, "GET", path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
		}
		return body
	}
	// Only v is keyed and forwarded: x neither reaches the origin nor
	// makes another object.
	first := get("/p?v=1&x=1")
	if !strings.Contains(first, "query=v=1 ") {
		t.Fatalf("the origin saw %q, want only v=1", first)
	}
	if again := get("/p?x=2&v=1"); again != first {
		t.Fatalf("another x made another object: %q, then %q", first, again)
	}
	if other := get("/p?v=2"); other == first || o.count("/p") != 2 {
		t.Fatalf("v=2 answered %q with %d origin requests, want a second fetch", other, o.count("/p"))
	}

	// The update redeploys the distribution; once Deployed, the edge
	// forwards and keys every parameter.
	cp := aws("get-cache-policy", "--id", policyID)
	if api2020Get(cp, "ETag") != etag {
		t.Fatalf("get-cache-policy ETag %v, create gave %s", api2020Get(cp, "ETag"), etag)
	}
	updated := aws("update-cache-policy", "--id", policyID, "--if-match", etag, "--cache-policy-config", policy("keys-all", "all"))
	if api2020Get(updated, "CachePolicy", "CachePolicyConfig", "Name") != "keys-all" {
		t.Fatalf("update-cache-policy: %v", updated)
	}
	waitStatus("Deployed")
	if body := get("/p?v=1&x=3"); !strings.Contains(body, "query=v=1&x=3 ") {
		t.Fatalf("after the update the origin saw %q, want v=1&x=3", body)
	}

	// The managed CachingDisabled: every request reaches the origin; the
	// managed SecurityHeadersPolicy adds its headers to each answer.
	for i := 1; i <= 3; i++ {
		get("/dynamic/a")
		if n := o.count("/dynamic/a"); n != i {
			t.Fatalf("request %d under CachingDisabled: %d origin requests", i, n)
		}
	}
	res, _ := viewer(t, "http", edgeAddr, domain, "GET", "/dynamic/a")
	for k, v := range map[string]string{"Strict-Transport-Security": "max-age=31536000", "X-Content-Type-Options": "nosniff",
		"X-Frame-Options": "SAMEORIGIN", "Referrer-Policy": "strict-origin-when-cross-origin"} {
		if got := res.Header.Get(k); got != v {
			t.Errorf("SecurityHeadersPolicy: %s = %q, want %q", k, got, v)
		}
	}

	// The policy cannot go while the distribution uses it.
	cmd := exec.Command("aws", "cloudfront", "--endpoint-url", apiURL, "delete-cache-policy", "--id", policyID,
		"--if-match", api2020Get(updated, "ETag").(string))
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "CachePolicyInUse") {
		t.Fatalf("delete-cache-policy in use: %v\n%s", err, out)
	}
}
