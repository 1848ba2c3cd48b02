package controlplane

import (
	"context"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// TestCachePolicyUpdateRedeploys: distributions carry the config of the
// policies their behaviours name; a policy's update rewrites each
// distribution of the account that uses it at the update's revision
// (so an edge that has not applied it holds it InProgress), leaves the
// distribution's ETag, and leaves distributions that do not use it.
func TestCachePolicyUpdateRedeploys(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	var acked int64
	s, st := statusService(t, now, 15*time.Second, func(store.Edge) int64 { return acked })
	rules := cloudfront.DefaultRules()
	s.Rules = &rules
	acct, _, err := s.CreateAccount(ctx, "", "t", buckets.Every)
	if err != nil {
		t.Fatal(err)
	}
	setEdges(t, st, []store.Edge{{ID: "EDGE1", PriceClass: cloudfront.PriceClassAll, Registered: now.Add(-time.Hour), LastSeen: now}})

	pcfg := func(name string, ttl int64) cloudfront.CachePolicyConfig {
		return cloudfront.CachePolicyConfig{Name: name, MinTTL: ttl, Parameters: cloudfront.CacheKeyParams{
			Headers: cloudfront.ParamSet{Behavior: cloudfront.ParamsNone}, Cookies: cloudfront.ParamSet{Behavior: cloudfront.ParamsNone},
			QueryStrings: cloudfront.ParamSet{Behavior: cloudfront.ParamsNone}}}
	}
	p, _, err := s.CachePolicies().Create(ctx, acct.ID, pcfg("p", 5), nil)
	if err != nil {
		t.Fatal(err)
	}
	dcfg := func(ref, policyID string) cloudfront.DistributionConfig {
		return cloudfront.DistributionConfig{CallerReference: ref, Enabled: true, PriceClass: cloudfront.PriceClassAll,
			Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com", Custom: &cloudfront.CustomOriginConfig{
				HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
			DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
				CachePolicyID: policyID}}
	}
	using, _, err := s.Distributions().Create(ctx, acct.ID, dcfg("using", p.ID), nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := s.Distributions().Create(ctx, acct.ID, dcfg("other", "658327ea-f89d-4fab-a63d-7e88639e58f6"), nil)
	if err != nil {
		t.Fatal(err)
	}
	stored := func(id string) cloudfront.Distribution {
		t.Helper()
		var d cloudfront.Distribution
		if err := st.View(ctx, func(tx store.Tx) error { var err error; d, err = tx.Distribution(id); return err }); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if got := stored(using.ID).Config.DefaultCacheBehavior.CachePolicy; got == nil || got.MinTTL != 5 {
		t.Fatalf("the stored distribution carries %+v, want the policy's config", got)
	}
	if got := stored(other.ID).Config.DefaultCacheBehavior.CachePolicy; got == nil || got.Name != "Managed-CachingOptimized" {
		t.Fatalf("the managed policy resolved to %+v", got)
	}

	acked = max(stored(using.ID).Revision, stored(other.ID).Revision) // the edge has both
	if d, _ := s.Distributions().Get(ctx, acct.ID, using.ID); d.Status != cloudfront.StatusDeployed {
		t.Fatalf("before the update: %s", d.Status)
	}
	up, err := s.CachePolicies().Update(ctx, acct.ID, p.ID, p.ETag, pcfg("p", 7))
	if err != nil {
		t.Fatal(err)
	}
	after := stored(using.ID)
	if after.Revision != up.Revision || after.Config.DefaultCacheBehavior.CachePolicy.MinTTL != 7 || after.ETag != using.ETag {
		t.Fatalf("after the update: revision %d (policy's %d), MinTTL %d, ETag %s (was %s)", after.Revision, up.Revision,
			after.Config.DefaultCacheBehavior.CachePolicy.MinTTL, after.ETag, using.ETag)
	}
	if stored(other.ID).Revision >= up.Revision {
		t.Fatalf("a distribution on another policy was rewritten")
	}
	if d, _ := s.Distributions().Get(ctx, acct.ID, using.ID); d.Status != cloudfront.StatusInProgress {
		t.Fatalf("while the edge lacks the update: %s", d.Status)
	}
	if d, _ := s.Distributions().Get(ctx, acct.ID, other.ID); d.Status != cloudfront.StatusDeployed {
		t.Fatalf("the other distribution: %s", d.Status)
	}
	acked = up.Revision
	if d, _ := s.Distributions().Get(ctx, acct.ID, using.ID); d.Status != cloudfront.StatusDeployed {
		t.Fatalf("once the edge has it: %s", d.Status)
	}

	// Creating again with the same CallerReference is still the same
	// distribution: the resolved policy is not part of the comparison.
	again, created, err := s.Distributions().Create(ctx, acct.ID, dcfg("using", p.ID), nil)
	if err != nil || created || again.ID != using.ID {
		t.Fatalf("repeated create: %v, created %t, id %s", err, created, again.ID)
	}
}
