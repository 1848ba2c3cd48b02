package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// membersBoto3Script sends every DistributionConfig member openfront
// stores without acting on (README, "What the edge does not act on")
// through boto3 and checks that each comes back as sent, that sending
// back what Get returned changes nothing but Enabled, and that a
// reference to a resource that cannot exist is CloudFront's not-found
// error.
const membersBoto3Script = `
import sys, boto3, botocore
cf = boto3.client("cloudfront", endpoint_url=sys.argv[1])
methods = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
def config(ref):
    return {"Enabled": True, "Comment": "members", "CallerReference": ref,
        "DefaultCacheBehavior": {"ViewerProtocolPolicy": "https-only", "TargetOriginId": "o",
            "ForwardedValues": {"Cookies": {"Forward": "none"}, "QueryString": False}, "MinTTL": 0},
        "Origins": {"Items": [{"Id": "o", "DomainName": "origin.example.com",
            "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "HTTPSPort": 443, "HTTPPort": 80}}], "Quantity": 1}}
cfg = config("members-1")
stored = {"WebACLId": "473e64fd-f30b-4765-81a0-62ad96dd167a", "Staging": True, "ConnectionMode": "direct",
    "ViewerMtlsConfig": {"Mode": "passthrough"}, "CacheTagConfig": {"HeaderName": "Cache-Tag"}}
cfg.update(stored)
cfg["DefaultCacheBehavior"]["GrpcConfig"] = {"Enabled": True}
cfg["DefaultCacheBehavior"]["AllowedMethods"] = {"Quantity": 7, "Items": methods,
    "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}}
d = cf.create_distribution(DistributionConfig=cfg)["Distribution"]
got = cf.get_distribution_config(Id=d["Id"])
conf = got["DistributionConfig"]
for k, v in stored.items():
    assert conf.get(k) == v, (k, conf.get(k), v)
assert conf["DefaultCacheBehavior"]["GrpcConfig"] == {"Enabled": True}, conf["DefaultCacheBehavior"]
summary = cf.list_distributions()["DistributionList"]["Items"][0]
assert summary["ConnectionMode"] == "direct" and summary["ViewerMtlsConfig"] == {"Mode": "passthrough"}, summary
conf["Enabled"] = False
upd = cf.update_distribution(Id=d["Id"], IfMatch=got["ETag"], DistributionConfig=conf)
after = upd["Distribution"]["DistributionConfig"]
assert after == conf, (after, conf)

tenant = config("members-tenant")
tenant["ConnectionMode"] = "tenant-only"
tenant["TenantConfig"] = {"ParameterDefinitions": [{"Name": "tenant-name",
    "Definition": {"StringSchema": {"Required": True, "DefaultValue": "acme", "Comment": "who"}}}]}
t = cf.create_distribution(DistributionConfig=tenant)["Distribution"]
assert t["DistributionConfig"]["TenantConfig"] == tenant["TenantConfig"], t["DistributionConfig"].get("TenantConfig")

for name, extra, code in [("anycast", {"AnycastIpListId": "aip_1"}, "EntityNotFound"),
        ("cd policy", {"ContinuousDeploymentPolicyId": "cd-1"}, "NoSuchContinuousDeploymentPolicy"),
        ("web ACL", {"WebACLId": "my-acl"}, "InvalidWebACLId")]:
    bad = config("members-" + name)
    bad.update(extra)
    try:
        cf.create_distribution(DistributionConfig=bad)
        sys.exit(name + " was accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, (name, e.response["Error"])
print("members ok")
`

// TestMembersAPI2020Boto3: boto3 (botocore's own serializer, members in
// the caller's order) stores and gets back the members the edge does not
// act on, against the real binary.
func TestMembersAPI2020Boto3(t *testing.T) {
	if exec.Command("python3", "-c", "import boto3").Run() != nil {
		t.Skip("python3 with boto3 is not installed")
	}
	apiURL, _, env := api2020Serve(t)
	cmd := exec.Command("python3", "-c", membersBoto3Script, apiURL)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "members ok") {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
}
