package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// oacClient is aws-sdk-go-v2's CloudFront client acting as c's account.
func oacClient(c *apiClient) *cf.Client {
	return cf.New(cf.Options{Region: "us-east-1", BaseEndpoint: aws.String(c.base), RetryMaxAttempts: 1,
		Credentials: awscreds.NewStaticCredentialsProvider(c.id, c.secret, "")})
}

// oacDistribution creates, with the SDK, an OAC of the signing behaviour
// and a distribution whose S3 origin is bucket under it (the managed
// CachingOptimized policy), waits until it is Deployed and returns the
// OAC's id and ETag and the distribution's domain name.
func oacDistribution(t *testing.T, c *cf.Client, name, bucket string, behavior types.OriginAccessControlSigningBehaviors) (oacID, oacETag, domain, distID string) {
	t.Helper()
	ctx := context.Background()
	oac, err := c.CreateOriginAccessControl(ctx, &cf.CreateOriginAccessControlInput{OriginAccessControlConfig: &types.OriginAccessControlConfig{
		Name: aws.String(name), SigningProtocol: types.OriginAccessControlSigningProtocolsSigv4, SigningBehavior: behavior,
		OriginAccessControlOriginType: types.OriginAccessControlOriginTypesS3}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
		CallerReference: aws.String(name), Comment: aws.String(""), Enabled: aws.Bool(true),
		Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{
			Id: aws.String("s3"), DomainName: aws.String(bucket + ".s3.amazonaws.com"),
			S3OriginConfig:        &types.S3OriginConfig{OriginAccessIdentity: aws.String("")},
			OriginAccessControlId: oac.OriginAccessControl.Id,
		}}},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{TargetOriginId: aws.String("s3"),
			ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll, CachePolicyId: aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	oacWaitDeployed(t, c, aws.ToString(d.Distribution.Id))
	return aws.ToString(oac.OriginAccessControl.Id), aws.ToString(oac.ETag), aws.ToString(d.Distribution.DomainName), aws.ToString(d.Distribution.Id)
}

func oacWaitDeployed(t *testing.T, c *cf.Client, id string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		got, err := c.GetDistribution(context.Background(), &cf.GetDistributionInput{Id: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(got.Distribution.Status) == "Deployed" {
			return
		}
	}
	t.Fatalf("%s not Deployed within 10s", id)
}

// TestSecurityOACSignsOnlyForItsAccountsBuckets: an origin access
// control signs S3 requests with the operator's key only for buckets
// granted to the distribution's account (an OAI's grant does not cover
// it), only object reads, and as its SigningBehavior says, against a
// moto_server that checks every signature. Tenant B naming A's bucket
// behind B's own OAC gets S3's refusal; SigningBehavior never, set by an
// update that redeploys the distribution, stops the signing; no-override
// leaves a viewer's own Authorization to S3.
func TestSecurityOACSignsOnlyForItsAccountsBuckets(t *testing.T) {
	const secret = "tenant A's private bytes"
	s := bucketsStartOnMoto(t, "/abucket", "", "/abucket/secret.txt", secret, "/abucket/later.txt", secret,
		"/abucket/viewer.txt", secret)
	accountA, a := tenant(t, s.data, s.base, "tenant-a")
	_, b := tenant(t, s.data, s.base, "tenant-b")
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "abucket", "--account", accountA)
	ca, cb := oacClient(a), oacClient(b)

	oacA, etagA, domainA, _ := oacDistribution(t, ca, "a", "abucket", types.OriginAccessControlSigningBehaviorsAlways)
	_, _, domainB, _ := oacDistribution(t, cb, "b", "abucket", types.OriginAccessControlSigningBehaviorsAlways)
	_, _, domainNoOverride, _ := oacDistribution(t, ca, "a-no-override", "abucket", types.OriginAccessControlSigningBehaviorsNoOverride)

	cases := []struct {
		name, domain, path string
		header             []string
		status             int // -1: any refusal (moto_server answers some with 500)
		body               string
	}{
		{"A reads its bucket through its OAC", domainA, "/secret.txt", nil, 200, secret},
		{"B names A's bucket behind B's OAC", domainB, "/secret.txt", nil, 403, ""},
		{"A's OAC does not list the bucket", domainA, "/", nil, -1, ""},
		{"no-override signs a viewer without Authorization", domainNoOverride, "/secret.txt", nil, 200, secret},
		{"no-override leaves a viewer's Authorization unsigned", domainNoOverride, "/viewer.txt",
			[]string{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDVIEWER/20261202/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"}, -1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, body := viewer(t, "http", s.edgeAddr, tc.domain, "GET", tc.path, tc.header...)
			if tc.status == -1 && r.StatusCode >= 400 {
				tc.status = r.StatusCode
			}
			if r.StatusCode != tc.status || !strings.Contains(body, tc.body) {
				t.Fatalf("got %d %q, want %d containing %q", r.StatusCode, body, tc.status, tc.body)
			}
			if tc.status != 200 && (strings.Contains(body, secret) || strings.Contains(body, "secret.txt")) {
				t.Fatalf("the private object or its name leaked: %q", body)
			}
		})
	}

	// SigningBehavior never: the update redeploys A's distribution, and an
	// object not cached yet is then fetched unsigned and refused.
	got, err := ca.GetOriginAccessControlConfig(context.Background(), &cf.GetOriginAccessControlConfigInput{Id: aws.String(oacA)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := got.OriginAccessControlConfig
	cfg.SigningBehavior = types.OriginAccessControlSigningBehaviorsNever
	if _, err := ca.UpdateOriginAccessControl(context.Background(), &cf.UpdateOriginAccessControlInput{
		Id: aws.String(oacA), IfMatch: aws.String(etagA), OriginAccessControlConfig: cfg}); err != nil {
		t.Fatal(err)
	}
	dists, err := ca.ListDistributions(context.Background(), &cf.ListDistributionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dists.DistributionList.Items {
		oacWaitDeployed(t, ca, aws.ToString(d.Id))
	}
	if r, body := viewer(t, "http", s.edgeAddr, domainA, "GET", "/later.txt"); r.StatusCode < 400 || strings.Contains(body, secret) {
		t.Fatalf("after SigningBehavior never: %d %q", r.StatusCode, body)
	}
}
