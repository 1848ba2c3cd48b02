package api

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cf "github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// publicKeyPEM is a new key's public half in the PEM form CloudFront
// takes ("PUBLIC KEY", PKIX).
func publicKeyPEM(t *testing.T, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func newRSAKeyPEM(t *testing.T, bits int) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return publicKeyPEM(t, &k.PublicKey)
}

func newECDSAKeyPEM(t *testing.T, curve elliptic.Curve) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return publicKeyPEM(t, &k.PublicKey)
}

// sdkKeyGroupDistribution is a distribution whose default behaviour
// trusts the key groups ids.
func sdkKeyGroupDistribution(ref string, ids ...string) *types.DistributionConfig {
	c := sdkPolicyDistribution(ref, cachingOptimized)
	c.DefaultCacheBehavior.TrustedKeyGroups = &types.TrustedKeyGroups{
		Enabled: aws.Bool(true), Quantity: aws.Int32(int32(len(ids))), Items: ids}
	return c
}

// TestSDK2020KeyGroups drives the public key and key group operations
// with the real SDK, as Terraform's aws_cloudfront_public_key and
// aws_cloudfront_key_group do, on both stores, and distributions whose
// behaviours trust key groups.
func TestSDK2020KeyGroups(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testSDK2020KeyGroups(t, newTestEnvOn(t, b.open)) })
	}
}

func testSDK2020KeyGroups(t *testing.T, e *testEnv) {
	c := e.sdkClient()
	ctx := context.Background()
	rsaPEM, ecPEM := newRSAKeyPEM(t, 2048), newECDSAKeyPEM(t, elliptic.P256())
	keyCfg := func(ref, name, encoded string) *types.PublicKeyConfig {
		return &types.PublicKeyConfig{CallerReference: aws.String(ref), Name: aws.String(name),
			EncodedKey: aws.String(encoded), Comment: aws.String("api test")}
	}

	// Public keys: RSA 2048 and ECDSA P-256; a repeated CallerReference
	// with the same config is the same key.
	start := time.Now().Add(-time.Second)
	k1, err := c.CreatePublicKey(ctx, &cf.CreatePublicKeyInput{PublicKeyConfig: keyCfg("ref-1", "rsa-key", rsaPEM)})
	if err != nil {
		t.Fatal(err)
	}
	id1 := aws.ToString(k1.PublicKey.Id)
	if len(id1) != 14 || id1[0] != 'K' || aws.ToString(k1.Location) != e.url+"/2020-05-31/public-key/"+id1 ||
		k1.PublicKey.CreatedTime.Before(start) {
		t.Fatalf("created %q at %v, Location %q", id1, k1.PublicKey.CreatedTime, aws.ToString(k1.Location))
	}
	again, err := c.CreatePublicKey(ctx, &cf.CreatePublicKeyInput{PublicKeyConfig: keyCfg("ref-1", "rsa-key", rsaPEM)})
	if err != nil || aws.ToString(again.PublicKey.Id) != id1 {
		t.Fatalf("repeated create: %v, %v", again, err)
	}
	k2, err := c.CreatePublicKey(ctx, &cf.CreatePublicKeyInput{PublicKeyConfig: keyCfg("ref-2", "ec-key", ecPEM)})
	if err != nil {
		t.Fatal(err)
	}
	id2 := aws.ToString(k2.PublicKey.Id)
	back, err := c.GetPublicKeyConfig(ctx, &cf.GetPublicKeyConfigInput{Id: aws.String(id2)})
	if err != nil || !reflect.DeepEqual(back.PublicKeyConfig, keyCfg("ref-2", "ec-key", ecPEM)) {
		t.Fatalf("config read back: %+v, %v", back.PublicKeyConfig, err)
	}
	for _, tt := range []struct {
		name string
		cfg  *types.PublicKeyConfig
		want any
	}{
		{"the CallerReference again, another config", keyCfg("ref-1", "rsa-key-2", rsaPEM), new(*types.PublicKeyAlreadyExists)},
		{"the name again", keyCfg("ref-3", "rsa-key", newRSAKeyPEM(t, 2048)), new(*types.PublicKeyAlreadyExists)},
		{"not PEM", keyCfg("ref-4", "junk", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"), new(*types.InvalidArgument)},
		// The API reference: "RSA 2048 or ECDSA 256".
		{"RSA 1024", keyCfg("ref-5", "short", newRSAKeyPEM(t, 1024)), new(*types.InvalidArgument)},
		{"ECDSA P-384", keyCfg("ref-6", "p384", newECDSAKeyPEM(t, elliptic.P384())), new(*types.InvalidArgument)},
		{"a private key", keyCfg("ref-7", "private", strings.ReplaceAll(rsaPEM, "PUBLIC KEY", "PRIVATE KEY")), new(*types.InvalidArgument)},
		{"a name with a space", keyCfg("ref-8", "my key", newRSAKeyPEM(t, 2048)), new(*types.InvalidArgument)},
	} {
		_, err := c.CreatePublicKey(ctx, &cf.CreatePublicKeyInput{PublicKeyConfig: tt.cfg})
		wantSDKError(t, tt.name, err, tt.want)
	}

	// Only the Comment changes.
	comment := keyCfg("ref-1", "rsa-key", rsaPEM)
	comment.Comment = aws.String("rotated next month")
	updated, err := c.UpdatePublicKey(ctx, &cf.UpdatePublicKeyInput{Id: aws.String(id1), IfMatch: k1.ETag, PublicKeyConfig: comment})
	if err != nil || aws.ToString(updated.PublicKey.PublicKeyConfig.Comment) != "rotated next month" ||
		!updated.PublicKey.CreatedTime.Equal(*k1.PublicKey.CreatedTime) {
		t.Fatalf("comment update: %+v, %v", updated, err)
	}
	_, err = c.UpdatePublicKey(ctx, &cf.UpdatePublicKeyInput{Id: aws.String(id1), IfMatch: updated.ETag, PublicKeyConfig: keyCfg("ref-1", "rsa-key", ecPEM)})
	wantSDKError(t, "a new EncodedKey", err, new(*types.CannotChangeImmutablePublicKeyFields))
	_, err = c.UpdatePublicKey(ctx, &cf.UpdatePublicKeyInput{Id: aws.String(id1), IfMatch: updated.ETag, PublicKeyConfig: keyCfg("ref-1", "renamed", rsaPEM)})
	wantSDKError(t, "a new Name", err, new(*types.CannotChangeImmutablePublicKeyFields))
	_, err = c.UpdatePublicKey(ctx, &cf.UpdatePublicKeyInput{Id: aws.String(id1), IfMatch: k1.ETag, PublicKeyConfig: comment})
	wantSDKError(t, "a stale If-Match", err, new(*types.PreconditionFailed))

	// Key groups list the account's keys.
	groupCfg := func(name string, ids ...string) *types.KeyGroupConfig {
		return &types.KeyGroupConfig{Name: aws.String(name), Items: ids, Comment: aws.String("signers")}
	}
	g, err := c.CreateKeyGroup(ctx, &cf.CreateKeyGroupInput{KeyGroupConfig: groupCfg("signers", id1)})
	if err != nil {
		t.Fatal(err)
	}
	gid := aws.ToString(g.KeyGroup.Id)
	if aws.ToString(g.Location) != e.url+"/2020-05-31/key-group/"+gid {
		t.Fatalf("Location %q", aws.ToString(g.Location))
	}
	other := e.otherSDKClient(t)
	theirs, err := other.CreatePublicKey(ctx, &cf.CreatePublicKeyInput{PublicKeyConfig: keyCfg("ref-1", "rsa-key", rsaPEM)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		cfg  *types.KeyGroupConfig
		want any
	}{
		{"the name again", groupCfg("signers", id2), new(*types.KeyGroupAlreadyExists)},
		{"no keys", &types.KeyGroupConfig{Name: aws.String("empty"), Items: []string{}}, new(*types.InvalidArgument)},
		// CreateKeyGroup lists no NoSuchPublicKey: InvalidArgument is
		// the model's code for a key that does not exist (unconfirmed).
		{"a missing key", groupCfg("missing", "K00000000000000"), new(*types.InvalidArgument)},
		{"another account's key", groupCfg("theirs", aws.ToString(theirs.PublicKey.Id)), new(*types.InvalidArgument)},
		{"six keys", groupCfg("six", id1, id2, "K3", "K4", "K5", "K6"), new(*types.TooManyPublicKeysInKeyGroup)},
	} {
		_, err := c.CreateKeyGroup(ctx, &cf.CreateKeyGroupInput{KeyGroupConfig: tt.cfg})
		wantSDKError(t, tt.name, err, tt.want)
	}
	gback, err := c.GetKeyGroupConfig(ctx, &cf.GetKeyGroupConfigInput{Id: aws.String(gid)})
	if err != nil || !reflect.DeepEqual(gback.KeyGroupConfig, groupCfg("signers", id1)) {
		t.Fatalf("key group read back: %+v, %v", gback.KeyGroupConfig, err)
	}
	_, err = other.GetKeyGroup(ctx, &cf.GetKeyGroupInput{Id: aws.String(gid)})
	wantSDKError(t, "another account's Get", err, new(*types.NoSuchResource))

	// A behaviour trusts it; ActiveTrustedKeyGroups shows its keys.
	d, err := c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkKeyGroupDistribution("kg-1", gid)})
	if err != nil {
		t.Fatal(err)
	}
	atkg := d.Distribution.ActiveTrustedKeyGroups
	if !aws.ToBool(atkg.Enabled) || aws.ToInt32(atkg.Quantity) != 1 || aws.ToString(atkg.Items[0].KeyGroupId) != gid ||
		!reflect.DeepEqual(atkg.Items[0].KeyPairIds.Items, []string{id1}) {
		t.Fatalf("ActiveTrustedKeyGroups %+v", atkg)
	}
	if got := d.Distribution.DistributionConfig.DefaultCacheBehavior.TrustedKeyGroups.Items; !reflect.DeepEqual(got, []string{gid}) {
		t.Fatalf("TrustedKeyGroups read back %v", got)
	}
	_, err = c.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkKeyGroupDistribution("kg-2", "00000000-0000-4000-8000-000000000000")})
	wantSDKError(t, "a missing key group", err, new(*types.TrustedKeyGroupDoesNotExist))
	_, err = other.CreateDistribution(ctx, &cf.CreateDistributionInput{DistributionConfig: sdkKeyGroupDistribution("kg-3", gid)})
	wantSDKError(t, "another account's key group", err, new(*types.TrustedKeyGroupDoesNotExist))
	ids, err := c.ListDistributionsByKeyGroup(ctx, &cf.ListDistributionsByKeyGroupInput{KeyGroupId: aws.String(gid)})
	if err != nil || !reflect.DeepEqual(ids.DistributionIdList.Items, []string{aws.ToString(d.Distribution.Id)}) {
		t.Fatalf("ListDistributionsByKeyGroup: %+v, %v", ids, err)
	}

	// Adding a key to the group shows in the distribution; neither the
	// key nor the group can go while used.
	gu, err := c.UpdateKeyGroup(ctx, &cf.UpdateKeyGroupInput{Id: aws.String(gid), IfMatch: g.ETag, KeyGroupConfig: groupCfg("signers", id1, id2)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetDistribution(ctx, &cf.GetDistributionInput{Id: d.Distribution.Id})
	if err != nil || !reflect.DeepEqual(got.Distribution.ActiveTrustedKeyGroups.Items[0].KeyPairIds.Items, []string{id1, id2}) {
		t.Fatalf("after the group's update: %+v, %v", got.Distribution.ActiveTrustedKeyGroups, err)
	}
	if aws.ToString(got.ETag) != aws.ToString(d.ETag) {
		t.Fatal("the group's update changed the distribution's ETag")
	}
	_, err = c.DeletePublicKey(ctx, &cf.DeletePublicKeyInput{Id: aws.String(id2), IfMatch: k2.ETag})
	wantSDKError(t, "a key in a group", err, new(*types.PublicKeyInUse))
	_, err = c.DeleteKeyGroup(ctx, &cf.DeleteKeyGroupInput{Id: aws.String(gid), IfMatch: gu.ETag})
	wantSDKError(t, "a group in use", err, new(*types.ResourceInUse))

	list, err := c.ListKeyGroups(ctx, &cf.ListKeyGroupsInput{})
	if err != nil || aws.ToInt32(list.KeyGroupList.Quantity) != 1 || aws.ToString(list.KeyGroupList.Items[0].KeyGroup.Id) != gid {
		t.Fatalf("ListKeyGroups: %+v, %v", list, err)
	}
	keys, err := c.ListPublicKeys(ctx, &cf.ListPublicKeysInput{MaxItems: aws.Int32(1)})
	if err != nil || aws.ToInt32(keys.PublicKeyList.Quantity) != 1 || keys.PublicKeyList.NextMarker == nil {
		t.Fatalf("ListPublicKeys page 1: %+v, %v", keys, err)
	}
	rest, err := c.ListPublicKeys(ctx, &cf.ListPublicKeysInput{Marker: keys.PublicKeyList.NextMarker})
	if err != nil || aws.ToInt32(rest.PublicKeyList.Quantity) != 1 || aws.ToString(rest.PublicKeyList.Items[0].EncodedKey) == "" {
		t.Fatalf("ListPublicKeys page 2: %+v, %v", rest, err)
	}

	// Once nothing trusts the group, it goes, then its keys.
	upd := got.Distribution.DistributionConfig
	upd.DefaultCacheBehavior.TrustedKeyGroups = &types.TrustedKeyGroups{Enabled: aws.Bool(false), Quantity: aws.Int32(0)}
	if _, err := c.UpdateDistribution(ctx, &cf.UpdateDistributionInput{Id: d.Distribution.Id, IfMatch: got.ETag, DistributionConfig: upd}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteKeyGroup(ctx, &cf.DeleteKeyGroupInput{Id: aws.String(gid), IfMatch: gu.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetKeyGroup(ctx, &cf.GetKeyGroupInput{Id: aws.String(gid)})
	wantSDKError(t, "Get after delete", err, new(*types.NoSuchResource))
	if _, err := c.DeletePublicKey(ctx, &cf.DeletePublicKeyInput{Id: aws.String(id2), IfMatch: k2.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetPublicKey(ctx, &cf.GetPublicKeyInput{Id: aws.String(id2)})
	wantSDKError(t, "Get after delete", err, new(*types.NoSuchPublicKey))
}
