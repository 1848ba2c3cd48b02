package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/sqlstore"
	"github.com/openfront/openfront/internal/store/storetest"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "openfront.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestReopen checks that Open on an existing database keeps its data and
// applies no migration twice.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "openfront.db")
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var rev int64
		err = s.Update(ctx, func(tx store.Tx) error {
			rev, err = tx.NextRevision()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if rev != int64(i) {
			t.Errorf("open %d: revision %d, want %d", i, rev, i)
		}
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(sqlstore.Migrations) {
			t.Errorf("open %d: %d migrations recorded, want %d", i, n, len(sqlstore.Migrations))
		}
		s.Close()
	}
}
