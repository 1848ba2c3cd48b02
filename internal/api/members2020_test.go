package api

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/openfront/openfront/internal/certs/certstest"
	"github.com/openfront/openfront/internal/controlplane"
)

// TestSDK2020StoredMembers: the members openfront stores without acting
// on them (web ACL, staging, connection mode, viewer and origin mTLS,
// cache tags, gRPC, multi-tenant parameters) travel through the real SDK
// and come back exactly as sent; Terraform's disable (Update with what
// Get returned) changes nothing else, byte for byte; a 2012-07-01 update
// keeps them.
func TestSDK2020StoredMembers(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020StoredMembers(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020StoredMembers(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()
	certPEM, keyPEM := certstest.Pair(t, "origin-client", "client.example.com")
	cert, err := e.svc.ImportCertificate(ctx, e.account.ID, certPEM, keyPEM, nil)
	if err != nil {
		t.Fatal(err)
	}

	sent := sdkConfig("members-1")
	sent.WebACLId = aws.String("473e64fd-f30b-4765-81a0-62ad96dd167a")
	sent.Staging = aws.Bool(true)
	sent.ConnectionMode = types.ConnectionModeDirect
	sent.ViewerMtlsConfig = &types.ViewerMtlsConfig{Mode: types.ViewerMtlsModePassthrough}
	sent.CacheTagConfig = &types.CacheTagConfig{HeaderName: aws.String("Cache-Tag")}
	sent.Origins.Items[0].CustomOriginConfig.OriginMtlsConfig = &types.OriginMtlsConfig{ClientCertificateArn: aws.String(cert.ARN)}
	b := sent.DefaultCacheBehavior
	b.ViewerProtocolPolicy = types.ViewerProtocolPolicyHttpsOnly // one 2012-07-01 can express
	b.GrpcConfig = &types.GrpcConfig{Enabled: aws.Bool(true)}
	all := []types.Method{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
	b.AllowedMethods = &types.AllowedMethods{Quantity: aws.Int32(7), Items: all,
		CachedMethods: &types.CachedMethods{Quantity: aws.Int32(2), Items: []types.Method{"HEAD", "GET"}}}

	created, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sent})
	if err != nil {
		t.Fatal(err)
	}
	id := created.Distribution.Id
	got, err := c.GetDistributionConfig(ctx, &cf.GetDistributionConfigInput{Id: id})
	if err != nil {
		t.Fatal(err)
	}
	g := got.DistributionConfig
	for _, m := range []struct {
		name       string
		sent, back any
	}{
		{"WebACLId", sent.WebACLId, g.WebACLId},
		{"Staging", sent.Staging, g.Staging},
		{"ConnectionMode", sent.ConnectionMode, g.ConnectionMode},
		{"ViewerMtlsConfig", sent.ViewerMtlsConfig, g.ViewerMtlsConfig},
		{"CacheTagConfig", sent.CacheTagConfig, g.CacheTagConfig},
		{"OriginMtlsConfig", sent.Origins.Items[0].CustomOriginConfig.OriginMtlsConfig, g.Origins.Items[0].CustomOriginConfig.OriginMtlsConfig},
		{"GrpcConfig", b.GrpcConfig, g.DefaultCacheBehavior.GrpcConfig},
	} {
		if !reflect.DeepEqual(m.sent, m.back) {
			t.Errorf("%s: sent %+v, got back %+v", m.name, m.sent, m.back)
		}
	}

	list, err := c.ListDistributions(ctx, &cf.ListDistributionsInput{})
	if err != nil || len(list.DistributionList.Items) != 1 {
		t.Fatalf("ListDistributions = %+v, %v", list, err)
	}
	if s := list.DistributionList.Items[0]; s.ConnectionMode != types.ConnectionModeDirect || !aws.ToBool(s.Staging) ||
		!reflect.DeepEqual(s.ViewerMtlsConfig, sent.ViewerMtlsConfig) || aws.ToString(s.WebACLId) != aws.ToString(sent.WebACLId) {
		t.Errorf("the summary lost members: %+v", s)
	}

	// Terraform's disable, through the SDK: nothing but Enabled changes.
	before := *g
	g.Enabled = aws.Bool(false)
	updated, err := c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: id, IfMatch: got.ETag, DistributionConfig: g})
	if err != nil {
		t.Fatal(err)
	}
	after := *updated.Distribution.DistributionConfig
	after.Enabled = before.Enabled
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("the round trip changed the config:\n%+v\n%+v", before, after)
	}

	// Byte for byte: the document Get returns, sent back, is what Get
	// returns next; and a 2012-07-01 update, which cannot express these
	// members, keeps them.
	path := prefix2020 + "/distribution/" + aws.ToString(id) + "/config"
	doc := e.do("GET", path, "")
	mustStatus(t, doc, http.StatusOK)
	mustStatus(t, e.do("PUT", path, string(doc.body), "If-Match", doc.header.Get("ETag")), http.StatusOK)
	again := e.do("GET", path, "")
	if string(again.body) != string(doc.body) {
		t.Fatalf("Get → Update → Get changed the document:\n%s\n%s", doc.body, again.body)
	}
	old := e.do("GET", "/2012-07-01/distribution/"+aws.ToString(id)+"/config", "")
	if strings.Contains(string(old.body), "Staging") || strings.Contains(string(old.body), "Mtls") {
		t.Fatalf("the 2012 view shows 2020 members: %s", old.body)
	}
	mustStatus(t, e.do("PUT", "/2012-07-01/distribution/"+aws.ToString(id)+"/config", string(old.body), "If-Match", old.header.Get("ETag")), http.StatusOK)
	if after2012 := e.do("GET", path, ""); string(after2012.body) != string(doc.body) {
		t.Fatalf("a 2012-07-01 update changed the 2020 config:\n%s\n%s", doc.body, after2012.body)
	}

	// ACM refuses deleting a certificate in use, as an origin's client
	// certificate too.
	if err := e.svc.DeleteCertificate(ctx, cert.ARN); !errors.Is(err, controlplane.ErrCertificateInUse) {
		t.Errorf("deleting the origin's client certificate: %v, want ErrCertificateInUse", err)
	}

	// A multi-tenant distribution and its parameters.
	tenant := sdkConfig("tenant-1")
	tenant.ConnectionMode = types.ConnectionModeTenantOnly
	tenant.WebACLId = aws.String("arn:aws:wafv2:us-east-1:123456789012:global/webacl/ExampleWebACL/473e64fd-f30b-4765-81a0-62ad96dd167a")
	tenant.TenantConfig = &types.TenantConfig{ParameterDefinitions: []types.ParameterDefinition{
		{Name: aws.String("tenant-name"), Definition: &types.ParameterDefinitionSchema{StringSchema: &types.StringSchemaConfig{
			Required: aws.Bool(true), DefaultValue: aws.String("acme"), Comment: aws.String("the tenant's name")}}},
		{Name: aws.String("origin_path"), Definition: &types.ParameterDefinitionSchema{}},
	}}
	tc, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: tenant})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := c.GetDistributionConfig(ctx, &cf.GetDistributionConfigInput{Id: tc.Distribution.Id})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tg.DistributionConfig.TenantConfig, tenant.TenantConfig) || tg.DistributionConfig.ConnectionMode != types.ConnectionModeTenantOnly {
		t.Fatalf("TenantConfig: sent %+v, got back %+v (%s)", tenant.TenantConfig, tg.DistributionConfig.TenantConfig, tg.DistributionConfig.ConnectionMode)
	}
}

// TestStoredMembersRefused: what CloudFront refuses of these members. A
// reference to a kind of resource openfront has no operations for (its
// operations answer UnsupportedOperation) names one that cannot exist,
// so it gets CloudFront's not-found code rather than being stored
// silently; EntityNotFound is the code the model lists for
// CreateDistribution and the one those kinds' own operations answer.
func TestStoredMembersRefused(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	other, _, err := e.svc.CreateAccount(ctx, "", "other")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM := certstest.Pair(t, "theirs", "client.example.com")
	theirs, err := e.svc.ImportCertificate(ctx, other.ID, certPEM, keyPEM, nil)
	if err != nil {
		t.Fatal(err)
	}
	const originEnd = "<OriginProtocolPolicy>http-only</OriginProtocolPolicy>"
	top := func(xml string) [2]string { return [2]string{"</DistributionConfig>", xml + "</DistributionConfig>"} }
	for i, tt := range []struct {
		name   string
		edit   [2]string
		status int
		code   string
	}{
		{"continuous deployment policy", top("<ContinuousDeploymentPolicyId>cd-1</ContinuousDeploymentPolicyId>"), 404, "NoSuchContinuousDeploymentPolicy"},
		{"Anycast IP list", top("<AnycastIpListId>aip_1</AnycastIpListId>"), 404, "EntityNotFound"},
		{"trust store", top("<ViewerMtlsConfig><Mode>required</Mode><TrustStoreConfig><TrustStoreId>ts_1</TrustStoreId></TrustStoreConfig></ViewerMtlsConfig>"), 404, "EntityNotFound"},
		{"connection function", top("<ConnectionFunctionAssociation><Id>cf_1</Id></ConnectionFunctionAssociation>"), 404, "EntityNotFound"},
		{"VPC origin", [2]string{"<CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>" + originEnd + "</CustomOriginConfig>",
			"<VpcOriginConfig><VpcOriginId>vo_1</VpcOriginId></VpcOriginConfig>"}, 404, "EntityNotFound"},
		{"origin client certificate of another account", [2]string{originEnd, originEnd + "<OriginMtlsConfig><ClientCertificateArn>" + theirs.ARN + "</ClientCertificateArn></OriginMtlsConfig>"}, 404, "EntityNotFound"},
		{"web ACL that is no web ACL", top("<WebACLId>my-acl</WebACLId>"), 400, "InvalidWebACLId"},
		{"staging multi-tenant distribution", top("<Staging>true</Staging><ConnectionMode>tenant-only</ConnectionMode>"), 400, "InvalidArgument"},
		{"tenant parameters on a standard distribution", top("<TenantConfig/>"), 400, "InvalidArgument"},
		{"viewer mTLS required without a trust store", top("<ViewerMtlsConfig><Mode>required</Mode></ViewerMtlsConfig>"), 400, "InvalidArgument"},
		{"gRPC without POST", [2]string{"<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><GrpcConfig><Enabled>true</Enabled></GrpcConfig>"}, 400, "InvalidArgument"},
		{"Lambda@Edge (no Lambda function exists)", [2]string{"<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><LambdaFunctionAssociations><Quantity>1</Quantity><Items><LambdaFunctionAssociation><LambdaFunctionARN>arn:aws:lambda:us-east-1:111122223333:function:f:1</LambdaFunctionARN><EventType>origin-request</EventType></LambdaFunctionAssociation></Items></LambdaFunctionAssociations>"}, 400, "InvalidLambdaFunctionAssociation"},
		{"empty references are absent", top("<ContinuousDeploymentPolicyId></ContinuousDeploymentPolicyId><AnycastIpListId></AnycastIpListId><WebACLId></WebACLId>"), 201, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := strings.ReplaceAll(distConfig("ref", "refused-"+string(rune('a'+i))), "2012-07-01", "2020-05-31")
			if !strings.Contains(cfg, tt.edit[0]) {
				t.Fatalf("test edit: %s not in the config", tt.edit[0])
			}
			cfg = strings.Replace(cfg, tt.edit[0], tt.edit[1], 1)
			res := e.do("POST", prefix2020+"/distribution", cfg)
			if res.status != tt.status || errorCode(res.body) != tt.code {
				t.Fatalf("status %d, body %s; want %d %s", res.status, res.body, tt.status, tt.code)
			}
		})
	}
}
