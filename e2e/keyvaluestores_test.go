package e2e

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	kvs "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore"
	kvstypes "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore/types"

	"github.com/openfront/openfront/internal/testpeer"
)

// keysClient is the SDK's keys API client for the tenant. The SDK calls
// <account>.<endpoint host>; its transport dials the API whatever the
// name, as a wildcard DNS name would.
func keysClient(c *apiClient, apiAddr string) *kvs.Client {
	d := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, apiAddr)
	}}
	return kvs.New(kvs.Options{Region: "us-east-1", BaseEndpoint: aws.String(c.base), RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Transport: tr}, Credentials: awscreds.NewStaticCredentialsProvider(c.id, c.secret, "")})
}

// TestKeyValueStoresAtTheEdge: a key value store made and filled with
// the real SDKs (the keys with SigV4A) against the real binary, read at
// the edge by a CloudFront function that redirects by key, the
// developer guide's example. A write of keys reaches the edge without
// redeploying the distribution; tenant B can neither read nor write A's
// store, nor make a function that reads it.
func TestKeyValueStoresAtTheEdge(t *testing.T) {
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	_, a := tenant(t, data, "http://"+apiAddr, "tenant-a")
	_, b := tenant(t, data, "http://"+apiAddr, "tenant-b")
	ca, cb := oacClient(a), oacClient(b)
	ka, kb := keysClient(a, apiAddr), keysClient(b, apiAddr)
	ctx := context.Background()
	o := newOrigin(t)

	store, err := ca.CreateKeyValueStore(ctx, &cf.CreateKeyValueStoreInput{Name: aws.String("redirects")})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(store.KeyValueStore.ARN)
	d, err := ka.DescribeKeyValueStore(ctx, &kvs.DescribeKeyValueStoreInput{KvsARN: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	put, err := ka.PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(arn), Key: aws.String("/old"), Value: aws.String("/new"), IfMatch: d.ETag})
	if err != nil {
		t.Fatal(err)
	}
	code := []byte(`import cf from 'cloudfront';
const kvsHandle = cf.kvs();
async function handler(event) {
    if (await kvsHandle.exists(event.request.uri)) {
        const target = await kvsHandle.get(event.request.uri);
        return {statusCode: 302, statusDescription: 'Found', headers: {location: {value: target}}};
    }
    return event.request;
}`)
	fcfg := &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20,
		KeyValueStoreAssociations: &types.KeyValueStoreAssociations{Quantity: aws.Int32(1),
			Items: []types.KeyValueStoreAssociation{{KeyValueStoreARN: aws.String(arn)}}}}
	fn, err := ca.CreateFunction(ctx, &cf.CreateFunctionInput{Name: aws.String("redirect"), FunctionConfig: fcfg, FunctionCode: code})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.PublishFunction(ctx, &cf.PublishFunctionInput{Name: aws.String("redirect"), IfMatch: fn.ETag}); err != nil {
		t.Fatal(err)
	}
	host, port := hostPort(t, o.http.URL)
	dist, err := ca.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
		CallerReference: aws.String("kvs"), Comment: aws.String(""), Enabled: aws.Bool(true),
		Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{Id: aws.String("o"), DomainName: aws.String(host),
			CustomOriginConfig: &types.CustomOriginConfig{HTTPPort: aws.Int32(int32(port)), HTTPSPort: aws.Int32(443),
				OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly}}}},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{TargetOriginId: aws.String("o"), ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll,
			CachePolicyId: aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6"),
			FunctionAssociations: &types.FunctionAssociations{Quantity: aws.Int32(1), Items: []types.FunctionAssociation{{
				FunctionARN: fn.FunctionSummary.FunctionMetadata.FunctionARN, EventType: types.EventTypeViewerRequest}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	domain, id := aws.ToString(dist.Distribution.DomainName), aws.ToString(dist.Distribution.Id)
	waiter := cf.NewDistributionDeployedWaiter(ca, func(o *cf.DistributionDeployedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := waiter.Wait(ctx, &cf.GetDistributionInput{Id: aws.String(id)}, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	client := noFollow()
	if loc := redirectOf(t, client, edgeAddr, domain); loc != "/new" {
		t.Fatalf("/old redirects to %q, want /new", loc)
	}
	res, body := viewer(t, "http", edgeAddr, domain, "GET", "/kept")
	if res.StatusCode != 200 || o.count("/kept") != 1 {
		t.Fatalf("/kept: %d %q", res.StatusCode, body)
	}

	// Tenant B: nothing of A's store, through either API.
	_, err = kb.GetKey(ctx, &kvs.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("/old")})
	wantKeysError(t, "B reads A's keys", err)
	_, err = kb.PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(arn), Key: aws.String("/old"), Value: aws.String("https://evil.example"), IfMatch: put.ETag})
	wantKeysError(t, "B writes A's keys", err)
	_, err = cb.CreateFunction(ctx, &cf.CreateFunctionInput{Name: aws.String("steal"), FunctionConfig: fcfg, FunctionCode: code})
	if err == nil {
		t.Fatal("B made a function that reads A's store")
	}

	// A write of keys reaches the edge, with no redeploy.
	if _, err := ka.PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(arn), Key: aws.String("/old"), Value: aws.String("/newer"), IfMatch: put.ETag}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for loc := ""; loc != "/newer"; loc = redirectOf(t, client, edgeAddr, domain) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("after the write, /old still redirects to %q", loc)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the write reached the edge within %v", time.Since(start).Round(time.Millisecond))
}

// wantKeysError fails unless err is the keys API's not-found: another
// account's store is not there for the caller.
func wantKeysError(t *testing.T, what string, err error) {
	t.Helper()
	var nf *kvstypes.ResourceNotFoundException
	if err == nil || !errors.As(err, &nf) {
		t.Fatalf("%s: err = %v, want ResourceNotFoundException", what, err)
	}
}

// TestKeyValueStoreImport: CreateKeyValueStore with an ImportSource reads
// the object from an S3-compatible server (moto_server) with the
// operator's key, only for an account the bucket is granted to; the
// store starts with the object's keys. Another tenant naming the same
// object is AccessDenied, and a malformed object is InvalidArgument.
func TestKeyValueStoreImport(t *testing.T) {
	moto := testpeer.MotoServer(t)
	bucketsMotoPut(t, moto, "/imports", "")
	bucketsMotoPut(t, moto, "/imports/keys.json", `{"data":[{"key":"/a","value":"1"},{"key":"/b","value":"{\"x\":2}"}]}`)
	bucketsMotoPut(t, moto, "/imports/bad.json", `{"data":[{"key":"/a"}]}`)
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr,
		"--s3-endpoint", moto, "--s3-access-key", "AKIDOPERATOR", "--s3-secret-key", "operator-secret")
	accountA, a := tenant(t, data, "http://"+apiAddr, "tenant-a")
	_, b := tenant(t, data, "http://"+apiAddr, "tenant-b")
	bucketsAdmin(t, data, "bucket", "grant", "--bucket", "imports", "--account", accountA)
	ctx := context.Background()
	source := func(key string) *types.ImportSource {
		return &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String("arn:aws:s3:::imports/" + key)}
	}
	_, err := oacClient(b).CreateKeyValueStore(ctx, &cf.CreateKeyValueStoreInput{Name: aws.String("s"), ImportSource: source("keys.json")})
	var denied *types.AccessDenied
	if !errors.As(err, &denied) {
		t.Fatalf("B imports from A's bucket: %v, want AccessDenied", err)
	}
	ca := oacClient(a)
	_, err = ca.CreateKeyValueStore(ctx, &cf.CreateKeyValueStoreInput{Name: aws.String("bad"), ImportSource: source("bad.json")})
	var invalid *types.InvalidArgument
	if !errors.As(err, &invalid) {
		t.Fatalf("a malformed import: %v, want InvalidArgument", err)
	}
	s, err := ca.CreateKeyValueStore(ctx, &cf.CreateKeyValueStoreInput{Name: aws.String("s"), ImportSource: source("keys.json")})
	if err != nil {
		t.Fatal(err)
	}
	k := keysClient(a, apiAddr)
	got, err := k.GetKey(ctx, &kvs.GetKeyInput{KvsARN: s.KeyValueStore.ARN, Key: aws.String("/b")})
	if err != nil || aws.ToString(got.Value) != `{"x":2}` || aws.ToInt32(got.ItemCount) != 2 {
		t.Fatalf("imported /b: %+v, %v", got, err)
	}
}
