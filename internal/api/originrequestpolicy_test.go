package api

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

const allViewer = "216adef6-5c7f-47e4-b989-5492eafa07d3"

// TestSDK2020OriginRequestPolicies drives the origin request policy
// operations with the real SDK on both stores: managed policies by name,
// a custom policy's lifecycle, behaviours that name one beside a cache
// policy, and the typed errors.
func TestSDK2020OriginRequestPolicies(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020OriginRequestPolicies(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020OriginRequestPolicies(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()

	managed, err := c.ListOriginRequestPolicies(ctx, &cf.ListOriginRequestPoliciesInput{Type: types.OriginRequestPolicyTypeManaged})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, s := range managed.OriginRequestPolicyList.Items {
		byName[aws.ToString(s.OriginRequestPolicy.OriginRequestPolicyConfig.Name)] = aws.ToString(s.OriginRequestPolicy.Id)
	}
	if byName["Managed-AllViewer"] != allViewer {
		t.Fatalf("managed origin request policies by name = %v", byName)
	}
	got, err := c.GetOriginRequestPolicy(ctx, &cf.GetOriginRequestPolicyInput{Id: aws.String(allViewer)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteOriginRequestPolicy(ctx, &cf.DeleteOriginRequestPolicyInput{Id: aws.String(allViewer), IfMatch: got.ETag})
	wantSDKError(t, "delete a managed policy", err, new(*types.IllegalDelete))

	cfg := func(name string) *types.OriginRequestPolicyConfig {
		return &types.OriginRequestPolicyConfig{Name: aws.String(name), Comment: aws.String("api test"),
			HeadersConfig: &types.OriginRequestPolicyHeadersConfig{HeaderBehavior: types.OriginRequestPolicyHeaderBehaviorAllViewerAndWhitelistCloudFront,
				Headers: &types.Headers{Quantity: aws.Int32(1), Items: []string{"CloudFront-Viewer-Country"}}},
			CookiesConfig: &types.OriginRequestPolicyCookiesConfig{CookieBehavior: types.OriginRequestPolicyCookieBehaviorAllExcept,
				Cookies: &types.CookieNames{Quantity: aws.Int32(1), Items: []string{"tracking"}}},
			QueryStringsConfig: &types.OriginRequestPolicyQueryStringsConfig{QueryStringBehavior: types.OriginRequestPolicyQueryStringBehaviorAll},
		}
	}
	created, err := c.CreateOriginRequestPolicy(ctx, &cf.CreateOriginRequestPolicyInput{OriginRequestPolicyConfig: cfg("orp-test")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.OriginRequestPolicy.Id)
	back, err := c.GetOriginRequestPolicyConfig(ctx, &cf.GetOriginRequestPolicyConfigInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.OriginRequestPolicyConfig, cfg("orp-test")) {
		t.Fatalf("config read back differs:\n got %+v\nwant %+v", back.OriginRequestPolicyConfig, cfg("orp-test"))
	}
	_, err = c.CreateOriginRequestPolicy(ctx, &cf.CreateOriginRequestPolicyInput{OriginRequestPolicyConfig: cfg("orp-test")})
	wantSDKError(t, "same name again", err, new(*types.OriginRequestPolicyAlreadyExists))

	// Beside a cache policy, custom or managed; without one it is refused.
	dc := sdkPolicyDistribution("orp-1", cachingOptimized)
	dc.DefaultCacheBehavior.OriginRequestPolicyId = aws.String(id)
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: dc})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(d.Distribution.DistributionConfig.DefaultCacheBehavior.OriginRequestPolicyId); got != id {
		t.Fatalf("OriginRequestPolicyId read back %q", got)
	}
	legacy := sdkConfig("orp-2")
	legacy.DefaultCacheBehavior.OriginRequestPolicyId = aws.String(allViewer)
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: legacy})
	wantSDKError(t, "without a cache policy", err, new(*types.InvalidArgument))
	missing := sdkPolicyDistribution("orp-3", cachingOptimized)
	missing.DefaultCacheBehavior.OriginRequestPolicyId = aws.String("nope")
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: missing})
	wantSDKError(t, "a missing policy", err, new(*types.NoSuchOriginRequestPolicy))

	ids, err := c.ListDistributionsByOriginRequestPolicyId(ctx, &cf.ListDistributionsByOriginRequestPolicyIdInput{OriginRequestPolicyId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{aws.ToString(d.Distribution.Id)}; !reflect.DeepEqual(ids.DistributionIdList.Items, want) {
		t.Fatalf("distributions by origin request policy = %v, want %v", ids.DistributionIdList.Items, want)
	}

	updated, err := c.UpdateOriginRequestPolicy(ctx, &cf.UpdateOriginRequestPolicyInput{Id: aws.String(id), IfMatch: created.ETag,
		OriginRequestPolicyConfig: cfg("orp-renamed")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteOriginRequestPolicy(ctx, &cf.DeleteOriginRequestPolicyInput{Id: aws.String(id), IfMatch: updated.ETag})
	wantSDKError(t, "delete in use", err, new(*types.OriginRequestPolicyInUse))
	upd := d.Distribution.DistributionConfig
	upd.DefaultCacheBehavior.OriginRequestPolicyId = nil
	if _, err := c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: d.Distribution.Id, IfMatch: d.ETag, DistributionConfig: upd}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteOriginRequestPolicy(ctx, &cf.DeleteOriginRequestPolicyInput{Id: aws.String(id), IfMatch: updated.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetOriginRequestPolicy(ctx, &cf.GetOriginRequestPolicyInput{Id: aws.String(id)})
	wantSDKError(t, "Get after delete", err, new(*types.NoSuchOriginRequestPolicy))
}
