package api

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	kvs "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore"
	kvstypes "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore/types"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/store"
)

// keysClient is the real SDK's client of the keys API, signing with
// SigV4A as every SDK does, for the key. The SDK calls
// <account>.<endpoint host>, so its transport dials the test server
// whatever the name.
func (e *testEnv) keysClient(key store.AccessKey) *kvs.Client {
	u, err := url.Parse(e.url)
	if err != nil {
		e.t.Fatal(err)
	}
	dialer := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, u.Host)
	}}
	e.t.Cleanup(tr.CloseIdleConnections)
	return kvs.New(kvs.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.url), RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Transport: tr}, Credentials: credentials.NewStaticCredentialsProvider(key.ID, key.Secret, "")})
}

const kvsFunction = `import cf from 'cloudfront';
const kvsHandle = cf.kvs();
async function handler(event) {
    const target = await kvsHandle.get(event.request.uri, {format: 'string'});
    return {statusCode: 302, statusDescription: 'Found', headers: {location: {value: target}}};
}`

// TestSDK2020KeyValueStores drives key value stores with the real SDKs:
// the store's five operations (aws-sdk-go-v2's CloudFront client), its
// keys (the cloudfrontkeyvaluestore client, SigV4A), a function reading
// it in TestFunction, and the rules that keep stores to their account.
func TestSDK2020KeyValueStores(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020KeyValueStores(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020KeyValueStores(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()
	created, err := c.CreateKeyValueStore(ctx, &cf.CreateKeyValueStoreInput{Name: aws.String("redirects"), Comment: aws.String("paths"),
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}}}})
	if err != nil {
		t.Fatal(err)
	}
	s := created.KeyValueStore
	arn := aws.ToString(s.ARN)
	if !regexp.MustCompile(`^arn:aws:cloudfront::`+e.account.ID+`:key-value-store/[0-9a-f-]{36}$`).MatchString(arn) ||
		!strings.HasSuffix(arn, aws.ToString(s.Id)) || aws.ToString(s.Status) != "READY" || aws.ToString(s.Comment) != "paths" ||
		aws.ToString(created.ETag) == "" || aws.ToString(created.Location) != e.url+"/2020-05-31/key-value-store/redirects" {
		t.Fatalf("created %+v, ETag %q, Location %q", s, aws.ToString(created.ETag), aws.ToString(created.Location))
	}
	for _, tt := range []struct {
		name string
		in   *cf.CreateKeyValueStoreInput
		want any
	}{
		{"the name again", &cf.CreateKeyValueStoreInput{Name: aws.String("redirects")}, new(*types.EntityAlreadyExists)},
		{"a bad name", &cf.CreateKeyValueStoreInput{Name: aws.String("re.directs")}, new(*types.InvalidArgument)},
		{"an import, with no S3 access configured", &cf.CreateKeyValueStoreInput{Name: aws.String("imported"),
			ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String("arn:aws:s3:::granted/keys.json")}},
			new(*types.InvalidArgument)},
	} {
		_, err := c.CreateKeyValueStore(ctx, tt.in)
		wantSDKError(t, tt.name, err, tt.want)
	}

	// Tags: those given at create, through the tagging operations too.
	if _, err := c.TagResource(ctx, &cf.TagResourceInput{Resource: created.KeyValueStore.ARN,
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &cf.ListTagsForResourceInput{Resource: created.KeyValueStore.ARN})
	if err != nil || len(tags.Tags.Items) != 2 {
		t.Fatalf("the store's tags: %+v, %v", tags, err)
	}

	// Describe, List, Update (If-Match).
	got, err := c.DescribeKeyValueStore(ctx, &cf.DescribeKeyValueStoreInput{Name: aws.String("redirects")})
	if err != nil || aws.ToString(got.KeyValueStore.ARN) != arn || aws.ToString(got.ETag) != aws.ToString(created.ETag) {
		t.Fatalf("describe: %+v, %v", got, err)
	}
	list, err := c.ListKeyValueStores(ctx, &cf.ListKeyValueStoresInput{Status: aws.String("READY")})
	if err != nil || aws.ToInt32(list.KeyValueStoreList.Quantity) != 1 || aws.ToString(list.KeyValueStoreList.Items[0].Name) != "redirects" {
		t.Fatalf("list: %+v, %v", list, err)
	}
	_, err = c.UpdateKeyValueStore(ctx, &cf.UpdateKeyValueStoreInput{Name: aws.String("redirects"), Comment: aws.String("x"), IfMatch: aws.String("E0000")})
	wantSDKError(t, "update with a stale ETag", err, new(*types.PreconditionFailed))
	upd, err := c.UpdateKeyValueStore(ctx, &cf.UpdateKeyValueStoreInput{Name: aws.String("redirects"), Comment: aws.String("redirect map"), IfMatch: got.ETag})
	if err != nil || aws.ToString(upd.KeyValueStore.Comment) != "redirect map" || aws.ToString(upd.ETag) == aws.ToString(got.ETag) {
		t.Fatalf("update: %+v, %v", upd, err)
	}

	// The keys, with the keys API.
	k := e.keysClient(e.key)
	d, err := k.DescribeKeyValueStore(ctx, &kvs.DescribeKeyValueStoreInput{KvsARN: aws.String(arn)})
	if err != nil || aws.ToInt32(d.ItemCount) != 0 || aws.ToString(d.ETag) == "" || aws.ToString(d.KvsARN) != arn || d.Created == nil {
		t.Fatalf("keys describe: %+v, %v", d, err)
	}
	put, err := k.PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(arn), Key: aws.String("/old"), Value: aws.String("/new"), IfMatch: d.ETag})
	if err != nil || aws.ToInt32(put.ItemCount) != 1 || aws.ToInt64(put.TotalSizeInBytes) != 8 {
		t.Fatalf("put: %+v, %v", put, err)
	}
	_, err = k.PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(arn), Key: aws.String("/x"), Value: aws.String("/y"), IfMatch: d.ETag})
	wantSDKError(t, "put with a stale ETag", err, new(*kvstypes.ConflictException))
	upk, err := k.UpdateKeys(ctx, &kvs.UpdateKeysInput{KvsARN: aws.String(arn), IfMatch: put.ETag,
		Puts: []kvstypes.PutKeyRequestListItem{{Key: aws.String("/a"), Value: aws.String("1")}, {Key: aws.String("/b"), Value: aws.String("2")},
			{Key: aws.String("/c/ü"), Value: aws.String("3")}},
		Deletes: []kvstypes.DeleteKeyRequestListItem{{Key: aws.String("/gone")}}})
	if err != nil || aws.ToInt32(upk.ItemCount) != 4 {
		t.Fatalf("update keys: %+v, %v", upk, err)
	}
	gk, err := k.GetKey(ctx, &kvs.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("/c/ü")})
	if err != nil || aws.ToString(gk.Value) != "3" || aws.ToInt32(gk.ItemCount) != 4 {
		t.Fatalf("get: %+v, %v", gk, err)
	}
	_, err = k.GetKey(ctx, &kvs.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("/none")})
	wantSDKError(t, "a missing key", err, new(*kvstypes.ResourceNotFoundException))
	_, err = k.PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(arn), Key: aws.String("/big"), Value: aws.String(strings.Repeat("v", 1025)), IfMatch: upk.ETag})
	wantSDKError(t, "a value over 1 KB", err, new(*kvstypes.ValidationException))
	var keys []string
	for p := kvs.NewListKeysPaginator(k, &kvs.ListKeysInput{KvsARN: aws.String(arn), MaxResults: aws.Int32(3)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			keys = append(keys, aws.ToString(it.Key)+"="+aws.ToString(it.Value))
		}
	}
	if strings.Join(keys, " ") != "/a=1 /b=2 /c/ü=3 /old=/new" {
		t.Errorf("listed %v", keys)
	}

	// Another account sees none of it, through either API, and cannot
	// associate its function with the store.
	other := e.otherSDKClient(t)
	_, err = other.DescribeKeyValueStore(ctx, &cf.DescribeKeyValueStoreInput{Name: aws.String("redirects")})
	wantSDKError(t, "another account's store by name", err, new(*types.EntityNotFound))
	_, err = other.ListTagsForResource(ctx, &cf.ListTagsForResourceInput{Resource: aws.String(arn)})
	wantSDKError(t, "another account's store's tags", err, new(*types.NoSuchResource))
	otherKey := e.otherKey(t)
	_, err = e.keysClient(otherKey).GetKey(ctx, &kvs.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("/a")})
	wantSDKError(t, "another account's keys", err, new(*kvstypes.ResourceNotFoundException))
	_, err = e.keysClient(otherKey).PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(arn), Key: aws.String("/a"), Value: aws.String("evil"), IfMatch: upk.ETag})
	wantSDKError(t, "a write to another account's keys", err, new(*kvstypes.ResourceNotFoundException))
	fcfg := func(arns ...string) *types.FunctionConfig {
		items := make([]types.KeyValueStoreAssociation, len(arns))
		for i, a := range arns {
			items[i] = types.KeyValueStoreAssociation{KeyValueStoreARN: aws.String(a)}
		}
		return &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20,
			KeyValueStoreAssociations: &types.KeyValueStoreAssociations{Quantity: aws.Int32(int32(len(arns))), Items: items}}
	}
	_, err = other.CreateFunction(ctx, &cf.CreateFunctionInput{Name: aws.String("steal"), FunctionConfig: fcfg(arn), FunctionCode: []byte(kvsFunction)})
	wantSDKError(t, "a function with another account's store", err, new(*types.InvalidArgument))
	_, err = c.CreateFunction(ctx, &cf.CreateFunctionInput{Name: aws.String("two"), FunctionConfig: fcfg(arn, arn), FunctionCode: []byte(kvsFunction)})
	wantSDKError(t, "a function with two stores", err, new(*types.InvalidArgument))

	// A function of the account reads it, in TestFunction.
	fn, err := c.CreateFunction(ctx, &cf.CreateFunctionInput{Name: aws.String("redirect"), FunctionConfig: fcfg(arn), FunctionCode: []byte(kvsFunction)})
	if err != nil {
		t.Fatal(err)
	}
	fnARN := fn.FunctionSummary.FunctionMetadata.FunctionARN
	if _, err := c.TagResource(ctx, &cf.TagResourceInput{Resource: fnARN,
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}}); err != nil {
		t.Fatal(err)
	}
	if tags, err := c.ListTagsForResource(ctx, &cf.ListTagsForResourceInput{Resource: fnARN}); err != nil || len(tags.Tags.Items) != 1 {
		t.Fatalf("the function's tags: %+v, %v", tags, err)
	}
	res, err := c.TestFunction(ctx, &cf.TestFunctionInput{Name: aws.String("redirect"), IfMatch: fn.ETag,
		EventObject: []byte(`{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"1.2.3.4"},"request":{"method":"GET","uri":"/old","querystring":{},"headers":{},"cookies":{}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out := aws.ToString(res.TestResult.FunctionOutput); !strings.Contains(out, `"/new"`) || aws.ToString(res.TestResult.FunctionErrorMessage) != "" {
		t.Errorf("TestFunction: output %s, error %q", out, aws.ToString(res.TestResult.FunctionErrorMessage))
	}

	// In use, the store cannot go; once the function is gone, it can.
	cur, err := c.DescribeKeyValueStore(ctx, &cf.DescribeKeyValueStoreInput{Name: aws.String("redirects")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteKeyValueStore(ctx, &cf.DeleteKeyValueStoreInput{Name: aws.String("redirects"), IfMatch: cur.ETag})
	wantSDKError(t, "a store in use", err, new(*types.CannotDeleteEntityWhileInUse))
	if _, err := c.DeleteFunction(ctx, &cf.DeleteFunctionInput{Name: aws.String("redirect"), IfMatch: fn.ETag}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteKeyValueStore(ctx, &cf.DeleteKeyValueStoreInput{Name: aws.String("redirects"), IfMatch: cur.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeKeyValueStore(ctx, &cf.DescribeKeyValueStoreInput{Name: aws.String("redirects")})
	wantSDKError(t, "a deleted store", err, new(*types.EntityNotFound))
	_, err = k.GetKey(ctx, &kvs.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("/a")})
	wantSDKError(t, "a deleted store's keys", err, new(*kvstypes.ResourceNotFoundException))
}

// otherKey is an access key of a second account of its own.
func (e *testEnv) otherKey(t *testing.T) store.AccessKey {
	t.Helper()
	_, key, err := e.svc.CreateAccount(context.Background(), "", "third", buckets.Every)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// FuzzDecodeUpdateKeys: UpdateKeys' body never panics the decoder, and
// what it accepts names every key it puts or deletes.
func FuzzDecodeUpdateKeys(f *testing.F) {
	for _, s := range []string{`{"Puts":[{"Key":"a","Value":"b"}],"Deletes":[{"Key":"c"}]}`, `{}`, `{"Puts":null}`, `[]`, `{"Puts":[{"Key":"a"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		puts, deletes, err := decodeUpdateKeys(b)
		if err != nil {
			return
		}
		if puts == nil || deletes == nil {
			t.Fatalf("accepted %q as nil lists", b)
		}
	})
}
