package controlplane

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// TestKeyGroupsResolvedForEdges: a behaviour that trusts a key group
// carries, in the stored distribution edges get, the group's config with
// each key's PEM; a group's update (a key added, then one taken out)
// rewrites the distribution at the update's revision, so a key taken out
// stops signing once the distribution is Deployed again.
func TestKeyGroupsResolvedForEdges(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	s, st := statusService(t, now, 15*time.Second, func(store.Edge) int64 { return 0 })
	rules := cloudfront.DefaultRules()
	s.Rules = &rules
	acct, _, err := s.CreateAccount(ctx, "", "t", buckets.Every)
	if err != nil {
		t.Fatal(err)
	}
	newKey := func(ref string) cloudfront.PublicKey {
		t.Helper()
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
		pk, _, err := s.PublicKeys().Create(ctx, acct.ID, cloudfront.PublicKeyConfig{CallerReference: ref, Name: ref,
			EncodedKey: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return pk
	}
	k1, k2 := newKey("k1"), newKey("k2")
	g, _, err := s.KeyGroups().Create(ctx, acct.ID, cloudfront.KeyGroupConfig{Name: "g", Items: []string{k1.ID}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g.Config.Keys != nil {
		t.Fatalf("the key group's own record carries keys: %+v", g.Config.Keys)
	}
	d, _, err := s.Distributions().Create(ctx, acct.ID, cloudfront.DistributionConfig{CallerReference: "d", Enabled: true,
		PriceClass: cloudfront.PriceClassAll,
		Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com", Custom: &cloudfront.CustomOriginConfig{
			HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
		DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
			CachePolicyID:    "658327ea-f89d-4fab-a63d-7e88639e58f6",
			TrustedKeyGroups: cloudfront.TrustedKeyGroups{Enabled: true, Items: []string{g.ID}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored := func() cloudfront.Distribution {
		t.Helper()
		var d2 cloudfront.Distribution
		if err := st.View(ctx, func(tx store.Tx) error { var err error; d2, err = tx.Distribution(d.ID); return err }); err != nil {
			t.Fatal(err)
		}
		return d2
	}
	keysOf := func(d cloudfront.Distribution) []cloudfront.TrustedPublicKey {
		t.Helper()
		gs := d.Config.DefaultCacheBehavior.TrustedKeyGroups.Groups
		if len(gs) != 1 || gs[0] == nil {
			t.Fatalf("resolved groups %+v, want one", gs)
		}
		return gs[0].Keys
	}
	if ks := keysOf(stored()); len(ks) != 1 || ks[0].ID != k1.ID || ks[0].EncodedKey != k1.Config.EncodedKey {
		t.Fatalf("resolved keys %+v, want k1's", ks)
	}

	for _, step := range []struct {
		items []string
		want  []cloudfront.PublicKey
	}{
		{[]string{k1.ID, k2.ID}, []cloudfront.PublicKey{k1, k2}},
		{[]string{k2.ID}, []cloudfront.PublicKey{k2}},
	} {
		up, err := s.KeyGroups().Update(ctx, acct.ID, g.ID, g.ETag, cloudfront.KeyGroupConfig{Name: "g", Items: step.items})
		if err != nil {
			t.Fatal(err)
		}
		g = up
		after := stored()
		ks := keysOf(after)
		if after.Revision != up.Revision || len(ks) != len(step.want) {
			t.Fatalf("after the update to %v: revision %d (group's %d), keys %+v", step.items, after.Revision, up.Revision, ks)
		}
		for i, k := range step.want {
			if ks[i].ID != k.ID || ks[i].EncodedKey != k.Config.EncodedKey {
				t.Fatalf("after the update to %v: key %d is %s, want %s", step.items, i, ks[i].ID, k.ID)
			}
		}
	}
	// The key taken out can go now; the one in use cannot.
	if err := s.PublicKeys().Delete(ctx, acct.ID, k1.ID, k1.ETag); err != nil {
		t.Fatalf("deleting the key no group lists: %v", err)
	}
	if err := s.PublicKeys().Delete(ctx, acct.ID, k2.ID, k2.ETag); !errors.Is(err, cloudfront.NewError(cloudfront.PublicKeyInUse)) {
		t.Fatalf("deleting the key in use: %v", err)
	}
}
