package api

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

const addHeaderFunction = `function handler(event) {
    var request = event.request;
    request.headers['x-tenant'] = {value: 'a'};
    return request;
}`

// sdkFunctionDistribution is a distribution whose default behaviour runs
// the function arn on viewer requests.
func sdkFunctionDistribution(ref, arn string) *types.DistributionConfig {
	c := sdkPolicyDistribution(ref, cachingOptimized)
	c.DefaultCacheBehavior.FunctionAssociations = &types.FunctionAssociations{Quantity: aws.Int32(1),
		Items: []types.FunctionAssociation{{FunctionARN: aws.String(arn), EventType: types.EventTypeViewerRequest}}}
	return c
}

// TestSDK2020Functions drives the CloudFront Functions operations with
// the real SDK, as Terraform's aws_cloudfront_function does (create,
// publish, describe LIVE, update, publish again, delete), on both stores,
// and a distribution that runs one.
func TestSDK2020Functions(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020Functions(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020Functions(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()
	cfg := &types.FunctionConfig{Comment: aws.String("adds x-tenant"), Runtime: types.FunctionRuntimeCloudfrontJs20}
	created, err := c.CreateFunction(ctx, &cf.CreateFunctionInput{Name: aws.String("add-header"), FunctionConfig: cfg,
		FunctionCode: []byte(addHeaderFunction)})
	if err != nil {
		t.Fatal(err)
	}
	sum := created.FunctionSummary
	arn := aws.ToString(sum.FunctionMetadata.FunctionARN)
	if aws.ToString(sum.Status) != "UNPUBLISHED" || sum.FunctionMetadata.Stage != types.FunctionStageDevelopment ||
		!strings.HasSuffix(arn, ":function/add-header") || aws.ToString(created.ETag) == "" ||
		aws.ToString(created.Location) != e.url+"/2020-05-31/function/"+arn {
		t.Fatalf("created %+v %+v, ETag %q, Location %q", sum, sum.FunctionMetadata, aws.ToString(created.ETag), aws.ToString(created.Location))
	}
	for _, tt := range []struct {
		name string
		in   *cf.CreateFunctionInput
		want any
	}{
		{"the name again", &cf.CreateFunctionInput{Name: aws.String("add-header"), FunctionConfig: cfg, FunctionCode: []byte(addHeaderFunction)},
			new(*types.FunctionAlreadyExists)},
		{"a syntax error", &cf.CreateFunctionInput{Name: aws.String("broken"), FunctionConfig: cfg, FunctionCode: []byte("function handler(event) {")},
			new(*types.InvalidArgument)},
		{"no handler", &cf.CreateFunctionInput{Name: aws.String("nohandler"), FunctionConfig: cfg, FunctionCode: []byte("var x = 1;")},
			new(*types.InvalidArgument)},
		{"too large", &cf.CreateFunctionInput{Name: aws.String("large"), FunctionConfig: cfg,
			FunctionCode: []byte(addHeaderFunction + "\n//" + strings.Repeat("x", 10*1024))}, new(*types.FunctionSizeLimitExceeded)},
		{"a bad name", &cf.CreateFunctionInput{Name: aws.String("add.header"), FunctionConfig: cfg, FunctionCode: []byte(addHeaderFunction)},
			new(*types.InvalidArgument)},
	} {
		_, err := c.CreateFunction(ctx, tt.in)
		wantSDKError(t, tt.name, err, tt.want)
	}

	// Not yet published: no LIVE stage, and no behaviour may run it.
	_, err = c.DescribeFunction(ctx, &cf.DescribeFunctionInput{Name: aws.String("add-header"), Stage: types.FunctionStageLive})
	wantSDKError(t, "LIVE before publishing", err, new(*types.NoSuchFunctionExists))
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkFunctionDistribution("fn-0", arn)})
	wantSDKError(t, "an unpublished function", err, new(*types.InvalidFunctionAssociation))

	code, err := c.GetFunction(ctx, &cf.GetFunctionInput{Name: aws.String("add-header")})
	if err != nil || string(code.FunctionCode) != addHeaderFunction || aws.ToString(code.ETag) != aws.ToString(created.ETag) {
		t.Fatalf("GetFunction: %q, %v", code.FunctionCode, err)
	}

	// TestFunction runs DEVELOPMENT on the caller's event.
	event, _ := json.Marshal(map[string]any{"version": "1.0", "context": map[string]any{"eventType": "viewer-request"},
		"viewer": map[string]any{"ip": "192.0.2.1"}, "request": map[string]any{"method": "GET", "uri": "/index.html",
			"querystring": map[string]any{}, "headers": map[string]any{}, "cookies": map[string]any{}}})
	tested, err := c.TestFunction(ctx, &cf.TestFunctionInput{Name: aws.String("add-header"), IfMatch: created.ETag, EventObject: event})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(tested.TestResult.FunctionOutput)), &out); err != nil {
		t.Fatalf("FunctionOutput %q: %v", aws.ToString(tested.TestResult.FunctionOutput), err)
	}
	if !strings.Contains(aws.ToString(tested.TestResult.FunctionOutput), `"x-tenant"`) || aws.ToString(tested.TestResult.FunctionErrorMessage) != "" {
		t.Fatalf("TestResult %+v", tested.TestResult)
	}

	// Publish makes LIVE; a behaviour may run it now.
	pub, err := c.PublishFunction(ctx, &cf.PublishFunctionInput{Name: aws.String("add-header"), IfMatch: created.ETag})
	if err != nil || pub.FunctionSummary.FunctionMetadata.Stage != types.FunctionStageLive {
		t.Fatalf("PublishFunction: %+v, %v", pub, err)
	}
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkFunctionDistribution("fn-1", arn)})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Distribution.DistributionConfig.DefaultCacheBehavior.FunctionAssociations.Items; len(got) != 1 || aws.ToString(got[0].FunctionARN) != arn {
		t.Fatalf("FunctionAssociations read back %+v", got)
	}
	live, err := c.DescribeFunction(ctx, &cf.DescribeFunctionInput{Name: aws.String("add-header"), Stage: types.FunctionStageLive})
	if err != nil || aws.ToString(live.FunctionSummary.Status) != "DEPLOYED" {
		t.Fatalf("DescribeFunction LIVE: %+v, %v", live, err)
	}
	other := e.otherSDKClient(t)
	_, err = other.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkFunctionDistribution("fn-2", arn)})
	wantSDKError(t, "another account's function", err, new(*types.InvalidFunctionAssociation))
	_, err = other.DescribeFunction(ctx, &cf.DescribeFunctionInput{Name: aws.String("add-header")})
	wantSDKError(t, "another account's Describe", err, new(*types.NoSuchFunctionExists))

	// UpdateFunction changes DEVELOPMENT; the SDK reads its ETag from
	// the ETtag header.
	cfg2 := &types.FunctionConfig{Comment: aws.String("v2"), Runtime: types.FunctionRuntimeCloudfrontJs20}
	updated, err := c.UpdateFunction(ctx, &cf.UpdateFunctionInput{Name: aws.String("add-header"), IfMatch: created.ETag,
		FunctionConfig: cfg2, FunctionCode: []byte(strings.Replace(addHeaderFunction, "'a'", "'b'", 1))})
	if err != nil || aws.ToString(updated.ETag) == "" || aws.ToString(updated.ETag) == aws.ToString(created.ETag) {
		t.Fatalf("UpdateFunction: %+v, %v", updated, err)
	}
	_, err = c.UpdateFunction(ctx, &cf.UpdateFunctionInput{Name: aws.String("add-header"), IfMatch: created.ETag,
		FunctionConfig: cfg2, FunctionCode: []byte(addHeaderFunction)})
	wantSDKError(t, "a stale If-Match", err, new(*types.PreconditionFailed))
	liveCode, err := c.GetFunction(ctx, &cf.GetFunctionInput{Name: aws.String("add-header"), Stage: types.FunctionStageLive})
	if err != nil || string(liveCode.FunctionCode) != addHeaderFunction {
		t.Fatalf("LIVE changed with the update: %q, %v", liveCode.FunctionCode, err)
	}

	list, err := c.ListFunctions(ctx, &cf.ListFunctionsInput{Stage: types.FunctionStageLive})
	if err != nil || aws.ToInt32(list.FunctionList.Quantity) != 1 || aws.ToString(list.FunctionList.Items[0].Name) != "add-header" {
		t.Fatalf("ListFunctions LIVE: %+v, %v", list, err)
	}
	all, err := c.ListFunctions(ctx, &cf.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var stages []types.FunctionStage
	for _, s := range all.FunctionList.Items {
		stages = append(stages, s.FunctionMetadata.Stage)
	}
	if !reflect.DeepEqual(stages, []types.FunctionStage{types.FunctionStageDevelopment, types.FunctionStageLive}) {
		t.Fatalf("ListFunctions: stages %v", stages)
	}

	_, err = c.DeleteFunction(ctx, &cf.DeleteFunctionInput{Name: aws.String("add-header"), IfMatch: updated.ETag})
	wantSDKError(t, "delete in use", err, new(*types.FunctionInUse))
	upd := d.Distribution.DistributionConfig
	upd.DefaultCacheBehavior.FunctionAssociations = &types.FunctionAssociations{Quantity: aws.Int32(0)}
	if _, err := c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: d.Distribution.Id, IfMatch: d.ETag, DistributionConfig: upd}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteFunction(ctx, &cf.DeleteFunctionInput{Name: aws.String("add-header"), IfMatch: updated.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeFunction(ctx, &cf.DescribeFunctionInput{Name: aws.String("add-header")})
	wantSDKError(t, "Describe after delete", err, new(*types.NoSuchFunctionExists))
}
