package postgres

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/pgtest"
)

// TestMigrationGolden holds the shared migration template, filled in for
// PostgreSQL, to the exact SQL that databases in the field were created
// with (testdata/migration1.sql, the script as it stood before the
// template).
func TestMigrationGolden(t *testing.T) {
	scripts, err := dialect.Scripts()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "migration1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	got, wantLines := strings.Split(scripts[0], "\n"), strings.Split(string(want), "\n")
	for i := range max(len(got), len(wantLines)) {
		if i >= len(got) || i >= len(wantLines) || got[i] != wantLines[i] {
			t.Fatalf("migration 1 differs from testdata/migration1.sql at line %d", i+1)
		}
	}
}

// TestOpenExisting opens a database made the way the first version made
// it, with data in it: Open must apply the later migrations, leave the
// schema exactly as a fresh database's, and read the data back.
func TestOpenExisting(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.FreshSchema(t, pgtest.DSN(t))
	script, err := os.ReadFile(filepath.Join("testdata", "migration1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	created := time.Date(2012, 7, 1, 12, 30, 45, 123456000, time.UTC)
	for _, stmt := range []string{
		`CREATE TABLE schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`,
		string(script),
		`INSERT INTO schema_migrations (version) VALUES (1)`,
		`INSERT INTO accounts (id, name, disabled, created) VALUES ('111111111111', 'old', true, '2012-07-01 12:30:45.123456Z')`,
		`INSERT INTO accounts (id, name, disabled, created) VALUES ('222222222222', 'bootstrap', false, '2012-07-01 13:30:45Z')`,
		`INSERT INTO edge_keys (id, secret, created) VALUES ('EKold', 's', now())`,
		`UPDATE feed_revision SET value = 7`,
		`INSERT INTO distributions (id, account_id, caller_reference, domain_name, etag, last_modified, revision, config) VALUES ('EOLD1', '111111111111', 'EOLD1', 'eold1.example.com', 'E', now(), 1, '{}')`,
		`INSERT INTO distributions (id, account_id, caller_reference, domain_name, etag, last_modified, revision, config) VALUES ('EOLD2', '111111111111', 'EOLD2', 'eold2.example.com', 'E', now(), 1, '{}')`,
		`INSERT INTO distributions (id, account_id, caller_reference, domain_name, etag, last_modified, revision, config) VALUES ('EOLD3', '222222222222', 'EOLD3', 'eold3.example.com', 'E', now(), 1, '{}')`,
		`INSERT INTO oais (id, account_id, caller_reference, comment, s3_canonical_user_id, etag) VALUES ('EOAI1', '111111111111', 'r', '', 'c', 'E')`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	freshDSN := pgtest.FreshSchema(t, pgtest.DSN(t))
	fresh, err := Open(ctx, freshDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	freshConn, err := pgx.Connect(ctx, freshDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer freshConn.Close(ctx)
	// Index definitions name their schema; the two schemas' names differ.
	var name, freshName string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if err := freshConn.QueryRow(ctx, `SELECT current_schema()`).Scan(&freshName); err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(schemaOf(t, conn), name+".", "")
	want := strings.ReplaceAll(schemaOf(t, freshConn), freshName+".", "")
	if got != want {
		t.Errorf("migrated schema differs from a fresh one:\nmigrated:\n%s\nfresh:\n%s", got, want)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		a, err := tx.Account("111111111111")
		if err != nil {
			return err
		}
		if want := (store.Account{ID: "111111111111", Name: "old", Disabled: true, Created: created}); a != want {
			t.Errorf("account %+v, want %+v", a, want)
		}
		// A store with accounts was bootstrapped (by a start before the
		// marker existed): no later start makes another account.
		if b, err := tx.Bootstrap(); err != nil || b.AccountID != "222222222222" || !b.Created.Equal(created) {
			t.Errorf("bootstrap marker %+v, %v; want the bootstrap account, at the first account's creation", b, err)
		}
		// An edge key made before binding has no price class (the feed refuses it).
		if k, err := tx.EdgeKey("EKold"); err != nil || k.PriceClass != "" {
			t.Errorf("old edge key %+v, %v", k, err)
		}
		// Migration 8 counted the records already there.
		for _, c := range []struct {
			what    string
			count   func(string) (int, error)
			account string
			want    int
		}{
			{"distributions", tx.CountDistributions, "111111111111", 2},
			{"distributions", tx.CountDistributions, "222222222222", 1},
			{"distributions", tx.CountDistributions, "", 3},
			{"OAIs", tx.CountOAIs, "111111111111", 1},
			{"streaming distributions", tx.CountStreamingDistributions, "", 0},
		} {
			if n, err := c.count(c.account); err != nil || n != c.want {
				t.Errorf("%s of %q: %d, %v; want %d", c.what, c.account, n, err, c.want)
			}
		}
		rev, err := tx.Revision()
		if rev != 7 {
			t.Errorf("revision %d, want 7", rev)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// schemaOf describes the tables, columns, constraints and indexes of the
// connection's schema, and the applied migrations.
func schemaOf(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1`,
		`SELECT conname || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c
			JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() ORDER BY 1`,
		`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`,
		`SELECT 'migration ' || version FROM schema_migrations ORDER BY version`,
	} {
		rows, err := conn.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, lines...)
	}
	return strings.Join(out, "\n")
}
