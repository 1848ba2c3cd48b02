package api

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

const simpleCORS = "60669652-455b-4ae9-85a4-c4c02393f86c"

// TestSDK2020ResponseHeadersPolicies drives the response headers policy
// operations with the real SDK on both stores: managed policies by name,
// a custom policy's lifecycle with every part of the config, behaviours
// that name one, and the typed errors.
func TestSDK2020ResponseHeadersPolicies(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020ResponseHeadersPolicies(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020ResponseHeadersPolicies(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()

	managed, err := c.ListResponseHeadersPolicies(ctx, &cf.ListResponseHeadersPoliciesInput{Type: types.ResponseHeadersPolicyTypeManaged})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, s := range managed.ResponseHeadersPolicyList.Items {
		byName[aws.ToString(s.ResponseHeadersPolicy.ResponseHeadersPolicyConfig.Name)] = aws.ToString(s.ResponseHeadersPolicy.Id)
	}
	if byName["Managed-SimpleCORS"] != simpleCORS {
		t.Fatalf("managed response headers policies by name = %v", byName)
	}

	cfg := func(name string) *types.ResponseHeadersPolicyConfig {
		return &types.ResponseHeadersPolicyConfig{Name: aws.String(name), Comment: aws.String("api test"),
			CorsConfig: &types.ResponseHeadersPolicyCorsConfig{
				AccessControlAllowOrigins:     &types.ResponseHeadersPolicyAccessControlAllowOrigins{Quantity: aws.Int32(1), Items: []string{"https://app.example.com"}},
				AccessControlAllowHeaders:     &types.ResponseHeadersPolicyAccessControlAllowHeaders{Quantity: aws.Int32(1), Items: []string{"*"}},
				AccessControlAllowMethods:     &types.ResponseHeadersPolicyAccessControlAllowMethods{Quantity: aws.Int32(2), Items: []types.ResponseHeadersPolicyAccessControlAllowMethodsValues{"GET", "HEAD"}},
				AccessControlAllowCredentials: aws.Bool(false),
				AccessControlExposeHeaders:    &types.ResponseHeadersPolicyAccessControlExposeHeaders{Quantity: aws.Int32(1), Items: []string{"X-Request-Id"}},
				AccessControlMaxAgeSec:        aws.Int32(600),
				OriginOverride:                aws.Bool(true),
			},
			SecurityHeadersConfig: &types.ResponseHeadersPolicySecurityHeadersConfig{
				FrameOptions:       &types.ResponseHeadersPolicyFrameOptions{Override: aws.Bool(true), FrameOption: types.FrameOptionsListDeny},
				ContentTypeOptions: &types.ResponseHeadersPolicyContentTypeOptions{Override: aws.Bool(true)},
				StrictTransportSecurity: &types.ResponseHeadersPolicyStrictTransportSecurity{Override: aws.Bool(false),
					AccessControlMaxAgeSec: aws.Int32(31536000), IncludeSubdomains: aws.Bool(true), Preload: aws.Bool(false)},
			},
			ServerTimingHeadersConfig: &types.ResponseHeadersPolicyServerTimingHeadersConfig{Enabled: aws.Bool(true), SamplingRate: aws.Float64(12.5)},
			CustomHeadersConfig: &types.ResponseHeadersPolicyCustomHeadersConfig{Quantity: aws.Int32(1), Items: []types.ResponseHeadersPolicyCustomHeader{
				{Header: aws.String("X-Tenant"), Value: aws.String("api"), Override: aws.Bool(true)}}},
			RemoveHeadersConfig: &types.ResponseHeadersPolicyRemoveHeadersConfig{Quantity: aws.Int32(1), Items: []types.ResponseHeadersPolicyRemoveHeader{
				{Header: aws.String("X-Powered-By")}}},
		}
	}
	created, err := c.CreateResponseHeadersPolicy(ctx, &cf.CreateResponseHeadersPolicyInput{ResponseHeadersPolicyConfig: cfg("rhp-test")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.ResponseHeadersPolicy.Id)
	back, err := c.GetResponseHeadersPolicyConfig(ctx, &cf.GetResponseHeadersPolicyConfigInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.ResponseHeadersPolicyConfig, cfg("rhp-test")) {
		t.Fatalf("config read back differs:\n got %+v\nwant %+v", back.ResponseHeadersPolicyConfig, cfg("rhp-test"))
	}
	_, err = c.CreateResponseHeadersPolicy(ctx, &cf.CreateResponseHeadersPolicyInput{ResponseHeadersPolicyConfig: cfg("rhp-test")})
	wantSDKError(t, "same name again", err, new(*types.ResponseHeadersPolicyAlreadyExists))

	dc := sdkPolicyDistribution("rhp-1", cachingOptimized)
	dc.DefaultCacheBehavior.ResponseHeadersPolicyId = aws.String(id)
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: dc})
	if err != nil {
		t.Fatal(err)
	}
	missing := sdkPolicyDistribution("rhp-2", cachingOptimized)
	missing.DefaultCacheBehavior.ResponseHeadersPolicyId = aws.String("nope")
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: missing})
	wantSDKError(t, "a missing policy", err, new(*types.NoSuchResponseHeadersPolicy))
	ids, err := c.ListDistributionsByResponseHeadersPolicyId(ctx, &cf.ListDistributionsByResponseHeadersPolicyIdInput{ResponseHeadersPolicyId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{aws.ToString(d.Distribution.Id)}; !reflect.DeepEqual(ids.DistributionIdList.Items, want) {
		t.Fatalf("distributions by response headers policy = %v, want %v", ids.DistributionIdList.Items, want)
	}
	_, err = c.DeleteResponseHeadersPolicy(ctx, &cf.DeleteResponseHeadersPolicyInput{Id: aws.String(id), IfMatch: created.ETag})
	wantSDKError(t, "delete in use", err, new(*types.ResponseHeadersPolicyInUse))
	_, err = c.DeleteResponseHeadersPolicy(ctx, &cf.DeleteResponseHeadersPolicyInput{Id: aws.String(simpleCORS), IfMatch: created.ETag})
	wantSDKError(t, "delete a managed policy", err, new(*types.IllegalDelete))
}
