package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/pgtest"
	"github.com/openfront/openfront/internal/store/sqlstore"
	"github.com/openfront/openfront/internal/store/storetest"
)

func openFresh(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.FreshSchema(t, pgtest.DSN(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openFresh(t) })
}

// TestConcurrentOpen has several nodes open one fresh database at once:
// the migrations must be applied exactly once, and every Open succeed.
func TestConcurrentOpen(t *testing.T) {
	dsn := pgtest.FreshSchema(t, pgtest.DSN(t))
	const nodes = 5
	errs := make(chan error, nodes)
	for range nodes {
		go func() {
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range nodes {
		if err := <-errs; err != nil {
			t.Errorf("Open: %v", err)
		}
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(sqlstore.Migrations) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(sqlstore.Migrations))
	}
}
