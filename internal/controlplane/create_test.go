package controlplane

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// TestCreateDecoratedAsGet: a create's answer is decorated without
// looking up the new distribution's invalidations (it has none), and is
// what a Get of it says at once: Status from the edges (none, one behind,
// one in this node's overlay already), and its active trusted signers.
func TestCreateDecoratedAsGet(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC)
	const account = "111122223333"
	var ahead int64 // what the overlay says every edge has acknowledged
	s, st := statusService(t, now, 15*time.Second, func(store.Edge) int64 { return ahead })
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, id := range []string{account, "444455556666"} {
			if err := tx.InsertAccount(store.Account{ID: id, Name: "a", Created: now}); err != nil {
				return err
			}
		}
		if err := tx.InsertKeyPair(store.KeyPair{ID: "APKAEXAMPLE000000002", AccountID: "444455556666", PublicKeyPEM: "-", Created: now}); err != nil {
			return err
		}
		return tx.InsertKeyPair(store.KeyPair{ID: "APKAEXAMPLE000000001", AccountID: account, PublicKeyPEM: "-", Active: true, Created: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	edge := store.Edge{ID: "EDGE01", PriceClass: cloudfront.PriceClassAll, Registered: now, LastSeen: now}
	cases := []struct {
		name    string
		edges   []store.Edge
		ahead   int64
		signers []string
		want    string
	}{
		{"no edge", nil, 0, nil, cloudfront.StatusDeployed},
		{"an edge behind", []store.Edge{edge}, 0, nil, cloudfront.StatusInProgress},
		{"an edge ahead in the overlay", []store.Edge{edge}, 1 << 40, nil, cloudfront.StatusDeployed},
		{"trusted signers", []store.Edge{edge}, 0, []string{cloudfront.SelfSigner, "444455556666"}, cloudfront.StatusInProgress},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			setEdges(t, st, c.edges)
			ahead = c.ahead
			cfg := cloudfront.DistributionConfig{
				CallerReference: fmt.Sprint("create-", i),
				Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example",
					Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
				DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", Cookies: cloudfront.CookiePreference{Forward: cloudfront.ForwardNone},
					ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
					TrustedSigners:       cloudfront.TrustedSigners{Enabled: len(c.signers) > 0, Items: c.signers}},
				PriceClass: cloudfront.PriceClassAll,
				Enabled:    true,
			}
			created, ok, err := s.Distributions().Create(ctx, account, cfg, nil)
			if err != nil || !ok {
				t.Fatalf("Create: %v (created %v)", err, ok)
			}
			got, err := s.Distributions().Get(ctx, account, created.ID)
			if err != nil {
				t.Fatal(err)
			}
			if created.Status != c.want {
				t.Errorf("Create's Status %s, want %s", created.Status, c.want)
			}
			if !reflect.DeepEqual(created, got) {
				t.Errorf("Create answered\n%+v\nGet answers\n%+v", created, got)
			}
			if len(c.signers) > 0 && len(created.ActiveTrustedSigners.Items) != len(c.signers) {
				t.Errorf("ActiveTrustedSigners %+v, want one per signer of %v", created.ActiveTrustedSigners, c.signers)
			}
		})
	}
}
