package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/openfront/openfront/internal/store"
)

func BenchmarkUpdateInsertDistribution(b *testing.B) {
	s := openTemp(b)
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
			return tx.InsertDistribution(durable(id, rev))
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkViewDistribution(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	const id = "E0000000000001"
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.InsertDistribution(durable(id, 1)) }); err != nil {
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
}
