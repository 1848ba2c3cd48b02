package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// Bench runs the store benchmarks against a store from open: one durable
// write transaction that inserts a distribution, and one read by id. Both
// implementations run the same code, so their numbers compare.
func Bench(b *testing.B, open func(testing.TB) store.Store) {
	b.Run("UpdateInsertDistribution", func(b *testing.B) {
		s := open(b)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			i++
			id := fmt.Sprintf("E%013d", i)
			err := s.Update(ctx, func(tx store.Tx) error {
				rev, err := tx.NextRevision()
				if err != nil {
					return err
				}
				return tx.InsertDistribution(benchDistribution(id, rev))
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ViewDistribution", func(b *testing.B) {
		s := open(b)
		ctx := context.Background()
		const id = "E0000000000001"
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.InsertDistribution(benchDistribution(id, 1)) }); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			err := s.View(ctx, func(tx store.Tx) error {
				_, err := tx.Distribution(id)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	// A create checks the account's limit: the count of its
	// distributions, with 10,000 in place.
	b.Run("CountDistributions", func(b *testing.B) {
		benchRead(b, open(b), func(tx store.Tx) error {
			for i := range 10000 {
				if err := tx.InsertDistribution(benchDistribution(fmt.Sprintf("E%013d", i), 1)); err != nil {
					return err
				}
			}
			return nil
		}, func(tx store.Tx) error {
			n, err := tx.CountDistributions("111111111111")
			if err == nil && n != 10000 {
				err = fmt.Errorf("counted %d", n)
			}
			return err
		})
	})
	// A Get of a distribution counts its in-progress invalidations, with
	// 10,000 in progress across 1,000 distributions (10 of them its own).
	b.Run("InProgressInvalidationsOfOne", func(b *testing.B) {
		benchRead(b, open(b), func(tx store.Tx) error {
			for i := range 10000 {
				inv := invalidation(fmt.Sprintf("I%013d", i), fmt.Sprintf("E%013d", i%1000), fmt.Sprint("ref-", i), i, int64(i+1))
				if err := tx.InsertInvalidation(inv); err != nil {
					return err
				}
			}
			return nil
		}, func(tx store.Tx) error {
			invs, err := tx.InvalidationsWithStatus("E0000000000500", cloudfront.StatusInProgress)
			if err == nil && len(invs) != 10 {
				err = fmt.Errorf("%d in progress", len(invs))
			}
			return err
		})
	})
	// A create's answer reads the edges behind its new revision, the 8
	// seen last first: with 50 and 1,000 edges, all behind.
	for _, n := range []int{50, 1000} {
		b.Run(fmt.Sprint("EdgesBehindProbe/edges=", n), func(b *testing.B) {
			t0 := time.UnixMilli(1_800_000_000_000).UTC()
			benchRead(b, open(b), func(tx store.Tx) error {
				for i := range n {
					e := store.Edge{ID: fmt.Sprintf("edge-%04d", i), Name: "edge", PriceClass: cloudfront.PriceClassAll,
						Registered: t0, LastSeen: t0.Add(time.Duration(i) * time.Second), AckedRevision: 10}
					if err := tx.UpsertEdge(e); err != nil {
						return err
					}
				}
				return nil
			}, func(tx store.Tx) error {
				es, err := tx.EdgesBehind(11, 8)
				if err == nil && len(es) != 8 {
					err = fmt.Errorf("%d edges", len(es))
				}
				return err
			})
		})
	}
}

// benchRead times read, in a View of its own per op, after fill wrote
// what it reads in one Update.
func benchRead(b *testing.B, s store.Store, fill, read func(store.Tx) error) {
	ctx := context.Background()
	if err := s.Update(ctx, fill); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.View(ctx, read); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDistribution is a small distribution with one alias.
func benchDistribution(id string, rev int64) cloudfront.Distribution {
	return cloudfront.Distribution{
		ID: id, AccountID: "111111111111", DomainName: id + ".cloudfront.net", ETag: "ETAG" + id,
		LastModifiedTime: time.UnixMilli(1_800_000_000_000).UTC(), Revision: rev,
		Config: cloudfront.DistributionConfig{
			CallerReference: "ref-" + id, Aliases: []string{id + ".example.com"},
			Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com", Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80}}},
		},
	}
}
