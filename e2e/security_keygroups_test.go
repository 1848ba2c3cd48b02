package e2e

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// signer is a private key and the id CloudFront gave its public half.
type signer struct {
	id  string
	key crypto.Signer
}

// uploadKey makes a key (RSA 2048, or ECDSA P-256 when ec), uploads its
// public half with the SDK and returns it with its id and the key's ETag.
func uploadKey(t *testing.T, c *cf.Client, name string, ec bool) (signer, string) {
	t.Helper()
	var priv crypto.Signer
	var err error
	if ec {
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	} else {
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	}
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.CreatePublicKey(context.Background(), &cf.CreatePublicKeyInput{PublicKeyConfig: &types.PublicKeyConfig{
		CallerReference: aws.String(name), Name: aws.String(name),
		EncodedKey: aws.String(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))}})
	if err != nil {
		t.Fatal(err)
	}
	return signer{aws.ToString(out.PublicKey.Id), priv}, aws.ToString(out.ETag)
}

// TestSecurityKeyGroupsSignedURLs: a behaviour that trusts a key group,
// all made with aws-sdk-go-v2 against the real binary, serves only what
// a key of that group signed, as the SDK's own URL and cookie signers
// sign it. Tenant B's key, in B's own key group, signs nothing of A's;
// nor does a key of A's that the group does not list. Taking a key out of
// the group, once the distribution is Deployed again, stops it signing;
// an ECDSA P-256 key put in its place signs.
func TestSecurityKeyGroupsSignedURLs(t *testing.T) {
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	_, a := tenant(t, data, "http://"+apiAddr, "tenant-a")
	_, b := tenant(t, data, "http://"+apiAddr, "tenant-b")
	ca, cb := oacClient(a), oacClient(b)
	ctx := context.Background()
	o := newOrigin(t)

	keyA, _ := uploadKey(t, ca, "a-rsa", false)
	keyA2, _ := uploadKey(t, ca, "a-ec", true)
	keyB, _ := uploadKey(t, cb, "b-rsa", false)
	group, err := ca.CreateKeyGroup(ctx, &cf.CreateKeyGroupInput{KeyGroupConfig: &types.KeyGroupConfig{
		Name: aws.String("signers"), Items: []string{keyA.id}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cb.CreateKeyGroup(ctx, &cf.CreateKeyGroupInput{KeyGroupConfig: &types.KeyGroupConfig{
		Name: aws.String("signers"), Items: []string{keyB.id}}}); err != nil {
		t.Fatal(err)
	}
	host, port := hostPort(t, o.http.URL)
	d, err := ca.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
		CallerReference: aws.String("kg"), Comment: aws.String(""), Enabled: aws.Bool(true),
		Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{
			Id: aws.String("o"), DomainName: aws.String(host),
			CustomOriginConfig: &types.CustomOriginConfig{HTTPPort: aws.Int32(int32(port)), HTTPSPort: aws.Int32(443),
				OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly},
		}}},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{TargetOriginId: aws.String("o"),
			ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll, CachePolicyId: aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6"),
			TrustedKeyGroups: &types.TrustedKeyGroups{Enabled: aws.Bool(true), Quantity: aws.Int32(1),
				Items: []string{aws.ToString(group.KeyGroup.Id)}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	id, domain := aws.ToString(d.Distribution.Id), aws.ToString(d.Distribution.DomainName)
	oacWaitDeployed(t, ca, id)

	expires := time.Now().Add(time.Hour)
	signURL := func(s signer, path string) string {
		t.Helper()
		u, err := sign.NewURLSigner(s.id, s.key).Sign("http://"+domain+path, expires)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, "http://"+domain)
	}
	get := func(path string, header ...string) (int, string) {
		t.Helper()
		res, body := viewer(t, "http", edgeAddr, domain, "GET", path, header...)
		return res.StatusCode, body
	}
	wantStatus := func(what string, status int, body string, want int, code string) {
		t.Helper()
		if status != want || !strings.Contains(body, code) {
			t.Errorf("%s: %d %.200s, want %d %s", what, status, body, want, code)
		}
	}

	status, body := get("/private.txt")
	wantStatus("unsigned", status, body, 403, "MissingKey")
	status, body = get(signURL(keyA, "/private.txt"))
	wantStatus("signed by the group's key", status, body, 200, "")
	status, body = get(signURL(keyB, "/private.txt"))
	wantStatus("signed by tenant B's key", status, body, 403, "InvalidKey")
	status, body = get(signURL(keyA2, "/private.txt"))
	wantStatus("signed by A's key outside the group", status, body, 403, "InvalidKey")

	// A signed cookie, from the SDK's cookie signer (RSA keys only).
	cookies, err := sign.NewCookieSigner(keyA.id, keyA.key.(*rsa.PrivateKey)).Sign("http://"+domain+"/private.txt", expires)
	if err != nil {
		t.Fatal(err)
	}
	var jar []string
	for _, c := range cookies {
		jar = append(jar, (&http.Cookie{Name: c.Name, Value: c.Value}).String())
	}
	status, body = get("/private.txt", "Cookie", strings.Join(jar, "; "))
	wantStatus("a signed cookie", status, body, 200, "")
	status, body = get("/other.txt", "Cookie", strings.Join(jar, "; "))
	wantStatus("a canned cookie for another object", status, body, 403, "AccessDenied")

	// The group now lists only the ECDSA key: once Deployed, keyA's URL
	// is refused and keyA2's served.
	cur, err := ca.GetKeyGroup(ctx, &cf.GetKeyGroupInput{Id: group.KeyGroup.Id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.UpdateKeyGroup(ctx, &cf.UpdateKeyGroupInput{Id: group.KeyGroup.Id, IfMatch: cur.ETag,
		KeyGroupConfig: &types.KeyGroupConfig{Name: aws.String("signers"), Items: []string{keyA2.id}}}); err != nil {
		t.Fatal(err)
	}
	oacWaitDeployed(t, ca, id)
	status, body = get(signURL(keyA, "/private.txt"))
	wantStatus("the key taken out of the group", status, body, 403, "InvalidKey")
	status, body = get(signURL(keyA2, "/private.txt"))
	wantStatus("the ECDSA key put in", status, body, 200, "")
	if n := o.count("/private.txt"); n != 1 {
		t.Errorf("origin fetches of /private.txt: %d, want 1 (the object is cached; signing decides access only)", n)
	}
}
