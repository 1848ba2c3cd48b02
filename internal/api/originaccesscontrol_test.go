package api

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// sdkOACDistribution is a distribution whose one S3 origin signs with
// the origin access control id (an empty OriginAccessIdentity, as the
// SDKs and Terraform send beside an OAC).
func sdkOACDistribution(ref, oacID string) *types.DistributionConfig {
	c := sdkPolicyDistribution(ref, cachingOptimized)
	c.Origins = &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{
		Id: aws.String("web"), DomainName: aws.String("tenant-bucket.s3.eu-west-1.amazonaws.com"),
		S3OriginConfig:        &types.S3OriginConfig{OriginAccessIdentity: aws.String("")},
		OriginAccessControlId: aws.String(oacID),
	}}}
	return c
}

// TestSDK2020OriginAccessControls drives the OAC operations with the real
// SDK, as Terraform's aws_cloudfront_origin_access_control does, on both
// stores, and distributions whose S3 origins name one.
func TestSDK2020OriginAccessControls(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020OriginAccessControls(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020OriginAccessControls(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()
	cfg := func(name string, typ types.OriginAccessControlOriginTypes) *types.OriginAccessControlConfig {
		return &types.OriginAccessControlConfig{Name: aws.String(name), Description: aws.String("api test"),
			SigningProtocol: types.OriginAccessControlSigningProtocolsSigv4, SigningBehavior: types.OriginAccessControlSigningBehaviorsAlways,
			OriginAccessControlOriginType: typ}
	}
	created, err := c.CreateOriginAccessControl(ctx, &cf.CreateOriginAccessControlInput{OriginAccessControlConfig: cfg("oac", types.OriginAccessControlOriginTypesS3)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.OriginAccessControl.Id)
	if aws.ToString(created.ETag) == "" || aws.ToString(created.Location) != e.url+"/2020-05-31/origin-access-control/"+id {
		t.Fatalf("ETag %q, Location %q", aws.ToString(created.ETag), aws.ToString(created.Location))
	}
	back, err := c.GetOriginAccessControlConfig(ctx, &cf.GetOriginAccessControlConfigInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.OriginAccessControlConfig, cfg("oac", types.OriginAccessControlOriginTypesS3)) {
		t.Fatalf("config read back differs: %+v", back.OriginAccessControlConfig)
	}
	_, err = c.CreateOriginAccessControl(ctx, &cf.CreateOriginAccessControlInput{OriginAccessControlConfig: cfg("oac", types.OriginAccessControlOriginTypesS3)})
	wantSDKError(t, "same name again", err, new(*types.OriginAccessControlAlreadyExists))
	bad := cfg("bad", types.OriginAccessControlOriginTypesS3)
	bad.SigningBehavior = "sometimes"
	_, err = c.CreateOriginAccessControl(ctx, &cf.CreateOriginAccessControlInput{OriginAccessControlConfig: bad})
	wantSDKError(t, "a bad SigningBehavior", err, new(*types.InvalidArgument))
	lambda, err := c.CreateOriginAccessControl(ctx, &cf.CreateOriginAccessControlInput{OriginAccessControlConfig: cfg("fn", types.OriginAccessControlOriginTypesLambda)})
	if err != nil {
		t.Fatal(err)
	}

	// An S3 origin names it; a missing one, another account's, one of
	// another origin type, and an OAC beside an OAI are refused.
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkOACDistribution("oac-1", id)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(d.Distribution.DistributionConfig.Origins.Items[0].OriginAccessControlId); got != id {
		t.Fatalf("OriginAccessControlId read back %q", got)
	}
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkOACDistribution("oac-2", "E000000000000")})
	wantSDKError(t, "a missing OAC", err, new(*types.InvalidOriginAccessControl))
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkOACDistribution("oac-3", aws.ToString(lambda.OriginAccessControl.Id))})
	wantSDKError(t, "a Lambda OAC on an S3 origin", err, new(*types.InvalidOriginAccessControl))
	both := sdkOACDistribution("oac-4", id)
	both.Origins.Items[0].S3OriginConfig.OriginAccessIdentity = aws.String("origin-access-identity/cloudfront/E2QWRUHAPOMQZL")
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: both})
	wantSDKError(t, "an OAC beside an OAI", err, new(*types.IllegalOriginAccessConfiguration))
	other := e.otherSDKClient(t)
	_, err = other.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkOACDistribution("oac-5", id)})
	wantSDKError(t, "another account's OAC", err, new(*types.InvalidOriginAccessControl))
	_, err = other.GetOriginAccessControl(ctx, &cf.GetOriginAccessControlInput{Id: aws.String(id)})
	wantSDKError(t, "another account's Get", err, new(*types.NoSuchOriginAccessControl))

	list, err := c.ListOriginAccessControls(ctx, &cf.ListOriginAccessControlsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := aws.ToInt32(list.OriginAccessControlList.Quantity); n != 2 || aws.ToString(list.OriginAccessControlList.Items[0].Name) == "" {
		t.Fatalf("list: %d items %+v", n, list.OriginAccessControlList.Items)
	}

	// Update on /config with If-Match; delete refused while used.
	changed := cfg("oac-renamed", types.OriginAccessControlOriginTypesS3)
	changed.SigningBehavior = types.OriginAccessControlSigningBehaviorsNoOverride
	updated, err := c.UpdateOriginAccessControl(ctx, &cf.UpdateOriginAccessControlInput{Id: aws.String(id), IfMatch: created.ETag, OriginAccessControlConfig: changed})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(updated.ETag) == aws.ToString(created.ETag) {
		t.Fatal("the update kept the ETag")
	}
	_, err = c.DeleteOriginAccessControl(ctx, &cf.DeleteOriginAccessControlInput{Id: aws.String(id), IfMatch: updated.ETag})
	wantSDKError(t, "delete in use", err, new(*types.OriginAccessControlInUse))
	upd := d.Distribution.DistributionConfig
	upd.Origins.Items[0].OriginAccessControlId = aws.String("")
	if _, err := c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: d.Distribution.Id, IfMatch: d.ETag, DistributionConfig: upd}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteOriginAccessControl(ctx, &cf.DeleteOriginAccessControlInput{Id: aws.String(id), IfMatch: updated.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetOriginAccessControl(ctx, &cf.GetOriginAccessControlInput{Id: aws.String(id)})
	wantSDKError(t, "Get after delete", err, new(*types.NoSuchOriginAccessControl))
}
