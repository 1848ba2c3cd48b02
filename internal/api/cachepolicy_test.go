package api

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

const (
	cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	cachingDisabled  = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
)

// sdkPolicyConfig is a custom cache policy as aws-sdk-go-v2 sends it.
func sdkPolicyConfig(name string) *types.CachePolicyConfig {
	return &types.CachePolicyConfig{
		Name: aws.String(name), Comment: aws.String("api test"),
		MinTTL: aws.Int64(1), DefaultTTL: aws.Int64(60), MaxTTL: aws.Int64(3600),
		ParametersInCacheKeyAndForwardedToOrigin: &types.ParametersInCacheKeyAndForwardedToOrigin{
			EnableAcceptEncodingGzip: aws.Bool(true), EnableAcceptEncodingBrotli: aws.Bool(false),
			HeadersConfig: &types.CachePolicyHeadersConfig{HeaderBehavior: types.CachePolicyHeaderBehaviorWhitelist,
				Headers: &types.Headers{Quantity: aws.Int32(1), Items: []string{"Origin"}}},
			CookiesConfig: &types.CachePolicyCookiesConfig{CookieBehavior: types.CachePolicyCookieBehaviorNone},
			QueryStringsConfig: &types.CachePolicyQueryStringsConfig{QueryStringBehavior: types.CachePolicyQueryStringBehaviorAllExcept,
				QueryStrings: &types.QueryStringNames{Quantity: aws.Int32(1), Items: []string{"utm_source"}}},
		},
	}
}

// sdkPolicyDistribution is sdkConfig with its default behaviour on the
// cache policy id and without legacy cache settings.
func sdkPolicyDistribution(ref, policyID string) *types.DistributionConfig {
	c := sdkConfig(ref)
	c.DefaultCacheBehavior.ForwardedValues = nil
	c.DefaultCacheBehavior.MinTTL = nil
	c.DefaultCacheBehavior.CachePolicyId = aws.String(policyID)
	return c
}

// TestSDK2020CachePolicies drives the cache policy operations with the
// real SDK, as Terraform's aws_cloudfront_cache_policy resource and data
// source do, on both stores: managed policies listed and found by name,
// a custom policy's whole lifecycle, distributions that name policies,
// and the typed errors the SDK decodes.
func TestSDK2020CachePolicies(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020CachePolicies(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020CachePolicies(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()

	// The data source: managed policies by name.
	managed, err := c.ListCachePolicies(ctx, &cf.ListCachePoliciesInput{Type: types.CachePolicyTypeManaged})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, s := range managed.CachePolicyList.Items {
		if s.Type != types.CachePolicyTypeManaged {
			t.Errorf("managed list has a %q policy", s.Type)
		}
		byName[aws.ToString(s.CachePolicy.CachePolicyConfig.Name)] = aws.ToString(s.CachePolicy.Id)
	}
	if byName["Managed-CachingOptimized"] != cachingOptimized || byName["Managed-CachingDisabled"] != cachingDisabled {
		t.Fatalf("managed policies by name = %v", byName)
	}
	got, err := c.GetCachePolicy(ctx, &cf.GetCachePolicyInput{Id: aws.String(cachingDisabled)})
	if err != nil {
		t.Fatal(err)
	}
	if p := got.CachePolicy.CachePolicyConfig; aws.ToInt64(p.MaxTTL) != 0 || aws.ToString(got.ETag) == "" {
		t.Fatalf("CachingDisabled: MaxTTL %d, ETag %q", aws.ToInt64(p.MaxTTL), aws.ToString(got.ETag))
	}
	_, err = c.UpdateCachePolicy(ctx, &cf.UpdateCachePolicyInput{Id: aws.String(cachingDisabled), IfMatch: got.ETag,
		CachePolicyConfig: got.CachePolicy.CachePolicyConfig})
	wantSDKError(t, "update a managed policy", err, new(*types.IllegalUpdate))
	_, err = c.DeleteCachePolicy(ctx, &cf.DeleteCachePolicyInput{Id: aws.String(cachingDisabled), IfMatch: got.ETag})
	wantSDKError(t, "delete a managed policy", err, new(*types.IllegalDelete))

	// A custom policy's lifecycle.
	created, err := c.CreateCachePolicy(ctx, &cf.CreateCachePolicyInput{CachePolicyConfig: sdkPolicyConfig("api-test")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.CachePolicy.Id)
	if aws.ToString(created.ETag) == "" || aws.ToString(created.Location) != e.url+"/2020-05-31/cache-policy/"+id {
		t.Fatalf("ETag %q, Location %q", aws.ToString(created.ETag), aws.ToString(created.Location))
	}
	cfg, err := c.GetCachePolicyConfig(ctx, &cf.GetCachePolicyConfigInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.CachePolicyConfig, sdkPolicyConfig("api-test")) {
		t.Fatalf("config read back differs:\n got %+v\nwant %+v", cfg.CachePolicyConfig, sdkPolicyConfig("api-test"))
	}
	_, err = c.CreateCachePolicy(ctx, &cf.CreateCachePolicyInput{CachePolicyConfig: sdkPolicyConfig("api-test")})
	wantSDKError(t, "same name again", err, new(*types.CachePolicyAlreadyExists))
	_, err = c.CreateCachePolicy(ctx, &cf.CreateCachePolicyInput{CachePolicyConfig: sdkPolicyConfig("Managed-CachingOptimized")})
	wantSDKError(t, "a managed policy's name", err, new(*types.CachePolicyAlreadyExists))

	// TTLs left out read back as CloudFront's defaults.
	bare := sdkPolicyConfig("defaults")
	bare.DefaultTTL, bare.MaxTTL = nil, nil
	defaults, err := c.CreateCachePolicy(ctx, &cf.CreateCachePolicyInput{CachePolicyConfig: bare})
	if err != nil {
		t.Fatal(err)
	}
	if p := defaults.CachePolicy.CachePolicyConfig; aws.ToInt64(p.DefaultTTL) != 86400 || aws.ToInt64(p.MaxTTL) != 31536000 {
		t.Fatalf("default TTLs = %d, %d", aws.ToInt64(p.DefaultTTL), aws.ToInt64(p.MaxTTL))
	}

	// Distributions name managed and custom policies; a missing one and
	// another account's are NoSuchCachePolicy.
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkPolicyDistribution("cp-1", id)})
	if err != nil {
		t.Fatal(err)
	}
	d2, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkPolicyDistribution("cp-2", cachingOptimized)})
	if err != nil {
		t.Fatal(err)
	}
	for policy, want := range map[string][]string{id: {aws.ToString(d.Distribution.Id)}, cachingOptimized: {aws.ToString(d2.Distribution.Id)}, cachingDisabled: nil} {
		ids, err := c.ListDistributionsByCachePolicyId(ctx, &cf.ListDistributionsByCachePolicyIdInput{CachePolicyId: aws.String(policy)})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids.DistributionIdList.Items; !reflect.DeepEqual(got, want) || aws.ToInt32(ids.DistributionIdList.Quantity) != int32(len(want)) {
			t.Fatalf("distributions by cache policy %s = %v, want %v", policy, got, want)
		}
	}
	_, err = c.ListDistributionsByCachePolicyId(ctx, &cf.ListDistributionsByCachePolicyIdInput{CachePolicyId: aws.String("nope")})
	wantSDKError(t, "distributions by a missing policy", err, new(*types.NoSuchCachePolicy))
	if got := aws.ToString(d.Distribution.DistributionConfig.DefaultCacheBehavior.CachePolicyId); got != id {
		t.Fatalf("CachePolicyId read back %q", got)
	}
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkPolicyDistribution("cp-3", "00000000-0000-0000-0000-000000000000")})
	wantSDKError(t, "a missing policy", err, new(*types.NoSuchCachePolicy))
	other := e.otherSDKClient(t)
	_, err = other.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkPolicyDistribution("cp-4", id)})
	wantSDKError(t, "another account's policy", err, new(*types.NoSuchCachePolicy))
	_, err = other.GetCachePolicy(ctx, &cf.GetCachePolicyInput{Id: aws.String(id)})
	wantSDKError(t, "another account's Get", err, new(*types.NoSuchCachePolicy))
	if own, err := other.ListCachePolicies(ctx, &cf.ListCachePoliciesInput{Type: types.CachePolicyTypeCustom}); err != nil || aws.ToInt32(own.CachePolicyList.Quantity) != 0 {
		t.Fatalf("another account's custom list: %v, %+v", err, own)
	}

	// Update: If-Match, then a new ETag; the name may change but not to
	// one the account has.
	_, err = c.UpdateCachePolicy(ctx, &cf.UpdateCachePolicyInput{Id: aws.String(id), IfMatch: aws.String("E0000000000000"),
		CachePolicyConfig: sdkPolicyConfig("api-test")})
	wantSDKError(t, "stale If-Match", err, new(*types.PreconditionFailed))
	_, err = c.UpdateCachePolicy(ctx, &cf.UpdateCachePolicyInput{Id: aws.String(id), IfMatch: created.ETag,
		CachePolicyConfig: sdkPolicyConfig("defaults")})
	wantSDKError(t, "rename to a taken name", err, new(*types.CachePolicyAlreadyExists))
	updated, err := c.UpdateCachePolicy(ctx, &cf.UpdateCachePolicyInput{Id: aws.String(id), IfMatch: created.ETag,
		CachePolicyConfig: sdkPolicyConfig("api-test-renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(updated.ETag) == aws.ToString(created.ETag) || aws.ToString(updated.CachePolicy.CachePolicyConfig.Name) != "api-test-renamed" {
		t.Fatalf("update: ETag %q, name %q", aws.ToString(updated.ETag), aws.ToString(updated.CachePolicy.CachePolicyConfig.Name))
	}

	// Lists: Type, none (both kinds), and pages by NextMarker.
	all, err := c.ListCachePolicies(ctx, &cf.ListCachePoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := int(aws.ToInt32(all.CachePolicyList.Quantity)); n != len(managed.CachePolicyList.Items)+2 {
		t.Fatalf("list of both kinds has %d policies", n)
	}
	var paged []string
	marker := (*string)(nil)
	for {
		page, err := c.ListCachePolicies(ctx, &cf.ListCachePoliciesInput{MaxItems: aws.Int32(3), Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.CachePolicyList.Items {
			paged = append(paged, aws.ToString(s.CachePolicy.Id))
		}
		if page.CachePolicyList.NextMarker == nil {
			break
		}
		marker = page.CachePolicyList.NextMarker
	}
	var whole []string
	for _, s := range all.CachePolicyList.Items {
		whole = append(whole, aws.ToString(s.CachePolicy.Id))
	}
	if !reflect.DeepEqual(paged, whole) {
		t.Fatalf("pages of 3 = %v, one list = %v", paged, whole)
	}
	_, err = c.ListCachePolicies(ctx, &cf.ListCachePoliciesInput{Type: "both"})
	wantSDKError(t, "an unknown Type", err, new(*types.InvalidArgument))

	// Delete: refused while a behaviour names it, then allowed.
	_, err = c.DeleteCachePolicy(ctx, &cf.DeleteCachePolicyInput{Id: aws.String(id), IfMatch: updated.ETag})
	wantSDKError(t, "delete in use", err, new(*types.CachePolicyInUse))
	dc := d.Distribution.DistributionConfig
	dc.DefaultCacheBehavior.CachePolicyId = aws.String(cachingOptimized)
	if _, err := c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: d.Distribution.Id, IfMatch: d.ETag, DistributionConfig: dc}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteCachePolicy(ctx, &cf.DeleteCachePolicyInput{Id: aws.String(id), IfMatch: updated.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCachePolicy(ctx, &cf.GetCachePolicyInput{Id: aws.String(id)})
	wantSDKError(t, "Get after delete", err, new(*types.NoSuchCachePolicy))
}

// TestCachePolicyThrough2012: a distribution on a cache policy, read and
// sent back whole through API 2012-07-01 (which shows ForwardedValues
// "none" for it), keeps its policy, and the policy still cannot be
// deleted.
func TestCachePolicyThrough2012(t *testing.T) {
	e := newTestEnv(t)
	c := e.sdkClient()
	ctx := context.Background()
	p, err := c.CreateCachePolicy(ctx, &cf.CreateCachePolicyInput{CachePolicyConfig: sdkPolicyConfig("through-2012")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := sdkPolicyDistribution("2012-keep", aws.ToString(p.CachePolicy.Id))
	cfg.DefaultCacheBehavior.ViewerProtocolPolicy = types.ViewerProtocolPolicyAllowAll // 2012 has no redirect-to-https
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(d.Distribution.Id)
	got := e.do("GET", "/2012-07-01/distribution/"+id+"/config", "")
	if got.status != 200 {
		t.Fatalf("2012 GET config: %d %s", got.status, got.body)
	}
	put := e.do("PUT", "/2012-07-01/distribution/"+id+"/config", string(got.body), "If-Match", got.header.Get("ETag"))
	if put.status != 200 {
		t.Fatalf("2012 PUT config: %d %s", put.status, put.body)
	}
	after, err := c.GetDistributionConfig(ctx, &cf.GetDistributionConfigInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(after.DistributionConfig.DefaultCacheBehavior.CachePolicyId); got != aws.ToString(p.CachePolicy.Id) {
		t.Fatalf("after the 2012 update, CachePolicyId = %q", got)
	}
	_, err = c.DeleteCachePolicy(ctx, &cf.DeleteCachePolicyInput{Id: p.CachePolicy.Id, IfMatch: p.ETag})
	wantSDKError(t, "delete after the 2012 update", err, new(*types.CachePolicyInUse))
}
