package api

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"

	"github.com/openfront/openfront/internal/buckets"
)

// sdkClient is aws-sdk-go-v2's CloudFront client (API 2020-05-31) pointed
// at the test server, signing with the account's key (SigV4, region
// eu-west-1 as clients with an overridden endpoint often send).
func (e *testEnv) sdkClient() *cf.Client {
	return cf.New(cf.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String(e.url),
		Credentials:      credentials.NewStaticCredentialsProvider(e.key.ID, e.key.Secret, ""),
		RetryMaxAttempts: 1,
	})
}

// otherSDKClient is sdkClient for a second account of its own.
func (e *testEnv) otherSDKClient(t *testing.T) *cf.Client {
	t.Helper()
	_, key, err := e.svc.CreateAccount(context.Background(), "", "other", buckets.Every)
	if err != nil {
		t.Fatal(err)
	}
	return cf.New(cf.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(key.ID, key.Secret, "")})
}

// wantSDKError fails unless err is the SDK's typed error target points
// to (new(*types.NoSuchCachePolicy)…).
func wantSDKError(t *testing.T, what string, err error, target any) {
	t.Helper()
	if !errors.As(err, target) {
		t.Fatalf("%s: err = %v, want %T", what, err, target)
	}
}

func sdkConfig(ref string, aliases ...string) *types.DistributionConfig {
	return &types.DistributionConfig{
		CallerReference: aws.String(ref),
		Comment:         aws.String(""),
		Enabled:         aws.Bool(true),
		Aliases:         &types.Aliases{Quantity: aws.Int32(int32(len(aliases))), Items: aliases},
		Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{
			Id: aws.String("web"), DomainName: aws.String("origin.example.com"),
			CustomOriginConfig: &types.CustomOriginConfig{HTTPPort: aws.Int32(80), HTTPSPort: aws.Int32(443),
				OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly},
		}}},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{
			TargetOriginId:       aws.String("web"),
			ViewerProtocolPolicy: types.ViewerProtocolPolicyRedirectToHttps,
			Compress:             aws.Bool(true),
			ForwardedValues: &types.ForwardedValues{QueryString: aws.Bool(false),
				Cookies: &types.CookiePreference{Forward: types.ItemSelectionNone}},
			MinTTL: aws.Int64(0),
		},
	}
}

// TestSDK2020Lifecycle drives the whole distribution lifecycle as
// Terraform does, through the real SDK: CreateDistributionWithTags, Get,
// then UpdateDistribution with exactly the config Get returned and
// Enabled=false, Delete with If-Match; plus list, invalidation, OAI, tags
// and the typed errors the SDK decodes.
func TestSDK2020Lifecycle(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020Lifecycle(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020Lifecycle(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()

	created, err := c.CreateDistributionWithTags(ctx, &cf.CreateDistributionWithTagsInput{
		DistributionConfigWithTags: &types.DistributionConfigWithTags{
			DistributionConfig: sdkConfig("tf-1", "www.example.com"),
			Tags:               &types.Tags{Items: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	d := created.Distribution
	if aws.ToString(created.ETag) == "" || aws.ToString(created.Location) == "" {
		t.Fatalf("ETag %q, Location %q", aws.ToString(created.ETag), aws.ToString(created.Location))
	}
	if want := "arn:aws:cloudfront::" + e.account.ID + ":distribution/" + aws.ToString(d.Id); aws.ToString(d.ARN) != want {
		t.Fatalf("ARN = %q, want %q", aws.ToString(d.ARN), want)
	}

	got, err := c.GetDistribution(ctx, &cf.GetDistributionInput{Id: d.Id})
	if err != nil {
		t.Fatal(err)
	}
	if got.Distribution.Status == nil || !aws.ToBool(got.Distribution.DistributionConfig.DefaultCacheBehavior.Compress) ||
		got.Distribution.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy != types.ViewerProtocolPolicyRedirectToHttps {
		t.Fatalf("Get lost 2020 members: %+v", got.Distribution.DistributionConfig.DefaultCacheBehavior)
	}

	tags, err := c.ListTagsForResource(ctx, &cf.ListTagsForResourceInput{Resource: d.ARN})
	if err != nil || len(tags.Tags.Items) != 1 || aws.ToString(tags.Tags.Items[0].Key) != "env" {
		t.Fatalf("ListTagsForResource = %+v, %v", tags, err)
	}
	if _, err := c.TagResource(ctx, &cf.TagResourceInput{Resource: d.ARN,
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("team"), Value: aws.String("cdn")}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &cf.UntagResourceInput{Resource: d.ARN, TagKeys: &types.TagKeys{Items: []string{"env"}}}); err != nil {
		t.Fatal(err)
	}
	tags, err = c.ListTagsForResource(ctx, &cf.ListTagsForResourceInput{Resource: d.ARN})
	if err != nil || len(tags.Tags.Items) != 1 || aws.ToString(tags.Tags.Items[0].Key) != "team" {
		t.Fatalf("tags after tag and untag = %+v, %v", tags, err)
	}
	_, err = c.TagResource(ctx, &cf.TagResourceInput{Resource: d.ARN,
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("")}}}})
	if !errors.As(err, new(*types.InvalidTagging)) {
		t.Fatalf("reserved tag key: %v, want InvalidTagging", err)
	}

	// Terraform's delete: send back exactly what Get returned, disabled.
	cfg := got.Distribution.DistributionConfig
	before := *cfg
	cfg.Enabled = aws.Bool(false)
	updated, err := c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: d.Id, IfMatch: got.ETag, DistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	after := *updated.Distribution.DistributionConfig
	after.Enabled = before.Enabled
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("the round trip changed the config:\n%+v\n%+v", before, after)
	}

	// Errors, decoded by the SDK as typed errors.
	_, err = c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: d.Id, IfMatch: got.ETag, DistributionConfig: cfg})
	if !errors.As(err, new(*types.PreconditionFailed)) {
		t.Fatalf("stale If-Match: %v, want PreconditionFailed", err)
	}
	_, err = c.DeleteDistribution(ctx, &cf.DeleteDistributionInput{Id: d.Id})
	if !errors.As(err, new(*types.InvalidIfMatchVersion)) {
		t.Fatalf("no If-Match: %v, want InvalidIfMatchVersion", err)
	}
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkConfig("tf-2", "WWW.example.com")})
	if !errors.As(err, new(*types.CNAMEAlreadyExists)) {
		t.Fatalf("taken alias: %v, want CNAMEAlreadyExists", err)
	}
	_, err = c.GetDistribution(ctx, &cf.GetDistributionInput{Id: aws.String("ENOSUCHDIST")})
	if !errors.As(err, new(*types.NoSuchDistribution)) {
		t.Fatalf("unknown id: %v, want NoSuchDistribution", err)
	}
	_, err = c.ListFieldLevelEncryptionConfigs(ctx, &cf.ListFieldLevelEncryptionConfigsInput{})
	// The operation's modeled errors do not include
	// UnsupportedOperation, so the SDK gives the generic API error with
	// the code.
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnsupportedOperation" {
		t.Fatalf("ListFieldLevelEncryptionConfigs: %v, want UnsupportedOperation", err)
	}

	list, err := c.ListDistributions(ctx, &cf.ListDistributionsInput{})
	if err != nil || aws.ToInt32(list.DistributionList.Quantity) != 1 || aws.ToString(list.DistributionList.Items[0].Id) != aws.ToString(d.Id) {
		t.Fatalf("ListDistributions = %+v, %v", list, err)
	}

	inv, err := c.CreateInvalidation(ctx, &cf.CreateInvalidationInput{DistributionId: d.Id, InvalidationBatch: &types.InvalidationBatch{
		CallerReference: aws.String("inv-1"), Paths: &types.Paths{Quantity: aws.Int32(1), Items: []string{"/index.html"}}}})
	if err != nil {
		t.Fatal(err)
	}
	gi, err := c.GetInvalidation(ctx, &cf.GetInvalidationInput{DistributionId: d.Id, Id: inv.Invalidation.Id})
	if err != nil || aws.ToString(gi.Invalidation.Status) != "Completed" {
		t.Fatalf("GetInvalidation = %+v, %v (no edge is registered, so it completes at once)", gi, err)
	}

	oai, err := c.CreateCloudFrontOriginAccessIdentity(ctx, &cf.CreateCloudFrontOriginAccessIdentityInput{
		CloudFrontOriginAccessIdentityConfig: &types.CloudFrontOriginAccessIdentityConfig{CallerReference: aws.String("oai-1"), Comment: aws.String("c")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteCloudFrontOriginAccessIdentity(ctx, &cf.DeleteCloudFrontOriginAccessIdentityInput{Id: oai.CloudFrontOriginAccessIdentity.Id, IfMatch: oai.ETag}); err != nil {
		t.Fatal(err)
	}

	if _, err := c.DeleteDistribution(ctx, &cf.DeleteDistributionInput{Id: d.Id, IfMatch: updated.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ListTagsForResource(ctx, &cf.ListTagsForResourceInput{Resource: d.ARN})
	if !errors.As(err, new(*types.NoSuchResource)) {
		t.Fatalf("tags of a deleted distribution: %v, want NoSuchResource", err)
	}
}

// TestSDK2020Streaming: streaming distributions through the SDK, with
// tags, and their ARN.
func TestSDK2020Streaming(t *testing.T) {
	e := newTestEnv(t)
	c := e.sdkClient()
	ctx := context.Background()
	created, err := c.CreateStreamingDistributionWithTags(ctx, &cf.CreateStreamingDistributionWithTagsInput{
		StreamingDistributionConfigWithTags: &types.StreamingDistributionConfigWithTags{
			StreamingDistributionConfig: &types.StreamingDistributionConfig{
				CallerReference: aws.String("rtmp-1"), Comment: aws.String("media"), Enabled: aws.Bool(true),
				S3Origin:       &types.S3Origin{DomainName: aws.String("media.s3.amazonaws.com"), OriginAccessIdentity: aws.String("")},
				TrustedSigners: &types.TrustedSigners{Enabled: aws.Bool(false), Quantity: aws.Int32(0)},
			},
			Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("kind"), Value: aws.String("rtmp")}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	sd := created.StreamingDistribution
	if want := "arn:aws:cloudfront::" + e.account.ID + ":streaming-distribution/" + aws.ToString(sd.Id); aws.ToString(sd.ARN) != want {
		t.Fatalf("ARN = %q, want %q", aws.ToString(sd.ARN), want)
	}
	tags, err := c.ListTagsForResource(ctx, &cf.ListTagsForResourceInput{Resource: sd.ARN})
	if err != nil || len(tags.Tags.Items) != 1 || aws.ToString(tags.Tags.Items[0].Value) != "rtmp" {
		t.Fatalf("ListTagsForResource = %+v, %v", tags, err)
	}
	got, err := c.GetStreamingDistributionConfig(ctx, &cf.GetStreamingDistributionConfigInput{Id: sd.Id})
	if err != nil {
		t.Fatal(err)
	}
	cfg := got.StreamingDistributionConfig
	cfg.Enabled = aws.Bool(false)
	upd, err := c.UpdateStreamingDistribution(ctx, &cf.UpdateStreamingDistributionInput{Id: sd.Id, IfMatch: got.ETag, StreamingDistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteStreamingDistribution(ctx, &cf.DeleteStreamingDistributionInput{Id: sd.Id, IfMatch: upd.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetStreamingDistribution(ctx, &cf.GetStreamingDistributionInput{Id: sd.Id})
	if !errors.As(err, new(*types.NoSuchStreamingDistribution)) {
		t.Fatalf("after delete: %v, want NoSuchStreamingDistribution", err)
	}
}
