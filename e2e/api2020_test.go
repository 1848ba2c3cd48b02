package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// api2020Serve starts `openfront serve` and returns its API URL, its edge
// address and the environment under which the AWS CLI and boto3 use the
// bootstrap credentials. The region is not CloudFront's on purpose: clients
// with an overridden endpoint sign with the region they are configured for.
func api2020Serve(t *testing.T) (apiURL, edgeAddr string, env []string) {
	t.Helper()
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	env = append(os.Environ(),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(data, "credentials"),
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_DEFAULT_REGION=eu-west-1", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
	return "http://" + apiAddr, edgeAddr, env
}

// api2020AWS runs the AWS CLI against the API and decodes its JSON output.
func api2020AWS(t *testing.T, apiURL string, env []string, args ...string) map[string]any {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"cloudfront", "--endpoint-url", apiURL, "--output", "json"}, args...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws cloudfront %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var v map[string]any
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("aws cloudfront %s: %v\n%s", args[0], err, out)
		}
	}
	return v
}

func api2020Get(v any, path ...string) any {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	return v
}

// TestAPI2020AWSCLI: the AWS CLI v1, which speaks only 2020-05-31, against
// the real binary: its create-distribution --origin-domain-name and
// update-distribution --default-root-object shortcuts, its
// distribution-deployed and invalidation-completed waiters, and a
// distribution made through 2020-05-31 with legacy members only served by
// the edge as before.
func TestAPI2020AWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	apiURL, edgeAddr, env := api2020Serve(t)
	o := newOrigin(t)

	// The shortcut builds its own config (origin on port 80).
	short := api2020AWS(t, apiURL, env, "create-distribution", "--origin-domain-name", "origin.example.com")
	if id, _ := api2020Get(short, "Distribution", "Id").(string); id == "" {
		t.Fatalf("create-distribution --origin-domain-name: %v", short)
	}

	host, port := hostPort(t, o.http.URL)
	cfg := fmt.Sprintf(`{"CallerReference":"cli-e2e","Comment":"","Enabled":true,
		"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":%q,
			"CustomOriginConfig":{"HTTPPort":%d,"HTTPSPort":443,"OriginProtocolPolicy":"http-only"}}]},
		"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all","MinTTL":0,
			"ForwardedValues":{"QueryString":false,"Cookies":{"Forward":"none"}}}}`, host, port)
	created := api2020AWS(t, apiURL, env, "create-distribution", "--distribution-config", cfg)
	id := api2020Get(created, "Distribution", "Id").(string)
	domain := api2020Get(created, "Distribution", "DomainName").(string)
	api2020AWS(t, apiURL, env, "wait", "distribution-deployed", "--id", id)

	updated := api2020AWS(t, apiURL, env, "update-distribution", "--id", id, "--default-root-object", "index.html")
	if got := api2020Get(updated, "Distribution", "DistributionConfig", "DefaultRootObject"); got != "index.html" {
		t.Fatalf("update-distribution --default-root-object: DefaultRootObject = %v", got)
	}
	api2020AWS(t, apiURL, env, "wait", "distribution-deployed", "--id", id)

	res, body := viewer(t, "http", edgeAddr, domain, "GET", "/")
	if res.StatusCode != 200 || !strings.Contains(body, "path=/index.html") {
		t.Fatalf("edge: %d %s, want the origin's /index.html", res.StatusCode, body)
	}

	inv := api2020AWS(t, apiURL, env, "create-invalidation", "--distribution-id", id, "--paths", "/index.html")
	invID := api2020Get(inv, "Invalidation", "Id").(string)
	api2020AWS(t, apiURL, env, "wait", "invalidation-completed", "--distribution-id", id, "--id", invID)
	res, body = viewer(t, "http", edgeAddr, domain, "GET", "/")
	if res.StatusCode != 200 || o.count("/index.html") != 2 {
		t.Fatalf("after the invalidation: %d %s, origin hits %d, want 2", res.StatusCode, body, o.count("/index.html"))
	}

	// An operation openfront lacks names itself.
	cmd := exec.Command("aws", "cloudfront", "--endpoint-url", apiURL, "list-field-level-encryption-configs")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "UnsupportedOperation") || !strings.Contains(string(out), "ListFieldLevelEncryptionConfigs") {
		t.Fatalf("list-field-level-encryption-configs: %v\n%s", err, out)
	}
}

// api2020Boto3Script is Terraform's distribution lifecycle in boto3, which
// sends members in the caller's dict order: create with tags, read with
// tags, disable by sending back exactly what was returned, wait, delete;
// and a cache policy's, with the managed ones looked up by name as
// Terraform's data source does.
const api2020Boto3Script = `
import sys, boto3
cf = boto3.client("cloudfront", endpoint_url=sys.argv[1])
cfg = {"Enabled": True, "Comment": "boto3", "CallerReference": "boto3-1",
       "DefaultCacheBehavior": {"ViewerProtocolPolicy": "redirect-to-https", "TargetOriginId": "o",
           "CachePolicyId": "00000000-0000-4000-8000-000000000000"},
       "Origins": {"Items": [{"Id": "o", "DomainName": "origin.example.com",
           "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "HTTPSPort": 443, "HTTPPort": 80}}], "Quantity": 1}}
try:
    cf.create_distribution(DistributionConfig=cfg)
    sys.exit("a cache policy that does not exist was accepted")
except cf.exceptions.NoSuchCachePolicy:
    pass
managed = {p["CachePolicy"]["CachePolicyConfig"]["Name"]: p["CachePolicy"]["Id"]
           for p in cf.list_cache_policies(Type="managed")["CachePolicyList"]["Items"]}
assert managed["Managed-CachingOptimized"] == "658327ea-f89d-4fab-a63d-7e88639e58f6", managed
pol = cf.create_cache_policy(CachePolicyConfig={"Name": "boto3-policy", "MinTTL": 0,
    "ParametersInCacheKeyAndForwardedToOrigin": {"QueryStringsConfig": {"QueryStringBehavior": "none"},
        "EnableAcceptEncodingGzip": True, "CookiesConfig": {"CookieBehavior": "none"},
        "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": {"Items": ["Origin"], "Quantity": 1}}}})
pconf = cf.get_cache_policy_config(Id=pol["CachePolicy"]["Id"])["CachePolicyConfig"]
assert (pconf["DefaultTTL"], pconf["MaxTTL"]) == (86400, 31536000), pconf
cfg["DefaultCacheBehavior"]["CachePolicyId"] = pol["CachePolicy"]["Id"]
pd = cf.create_distribution(DistributionConfig=cfg)
try:
    cf.delete_cache_policy(Id=pol["CachePolicy"]["Id"], IfMatch=pol["ETag"])
    sys.exit("a cache policy in use was deleted")
except cf.exceptions.CachePolicyInUse:
    pass
cfg["CallerReference"] = "boto3-2"
del cfg["DefaultCacheBehavior"]["CachePolicyId"]
cfg["DefaultCacheBehavior"]["ForwardedValues"] = {"Cookies": {"Forward": "none"}, "QueryString": False}
cfg["DefaultCacheBehavior"]["MinTTL"] = 0
d = cf.create_distribution_with_tags(DistributionConfigWithTags={"DistributionConfig": cfg,
    "Tags": {"Items": [{"Key": "owner", "Value": "boto3"}]}})["Distribution"]
tags = cf.list_tags_for_resource(Resource=d["ARN"])["Tags"]["Items"]
assert tags == [{"Key": "owner", "Value": "boto3"}], tags
cf.get_waiter("distribution_deployed").wait(Id=d["Id"], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
got = cf.get_distribution_config(Id=d["Id"])
conf = got["DistributionConfig"]
conf["Enabled"] = False
upd = cf.update_distribution(Id=d["Id"], IfMatch=got["ETag"], DistributionConfig=conf)
after = upd["Distribution"]["DistributionConfig"]
assert after == conf, (after, conf)
cf.get_waiter("distribution_deployed").wait(Id=d["Id"], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
cf.delete_distribution(Id=d["Id"], IfMatch=upd["ETag"])
try:
    cf.get_distribution(Id=d["Id"])
    sys.exit("the distribution survived its delete")
except cf.exceptions.NoSuchDistribution:
    pass
print("boto3 ok")
`

// TestAPI2020Boto3: boto3 drives the real binary through Terraform's
// lifecycle (see api2020Boto3Script).
func TestAPI2020Boto3(t *testing.T) {
	if exec.Command("python3", "-c", "import boto3").Run() != nil {
		t.Skip("python3 with boto3 is not installed")
	}
	apiURL, _, env := api2020Serve(t)
	cmd := exec.Command("python3", "-c", api2020Boto3Script, apiURL)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "boto3 ok") {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
}
