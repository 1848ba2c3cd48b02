package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store"
)

// TestMigrationGolden holds the shared migration template, filled in for
// SQLite, to the exact SQL that databases in the field were created with
// (testdata/migration1.sql, the script as it stood before the template).
func TestMigrationGolden(t *testing.T) {
	scripts, err := dialect.Scripts()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "migration1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if line, got, want := firstDiff(scripts[0], string(want)); line > 0 {
		t.Errorf("migration 1, line %d: got %q, want %q (testdata/migration1.sql)", line, got, want)
	}
}

// TestOpenExisting opens a database made the way the first version made
// it, with data in it: Open must apply the later migrations, leave the
// schema exactly as a fresh database's, and read the data back.
func TestOpenExisting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	script, err := os.ReadFile(filepath.Join("testdata", "migration1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2012, 7, 1, 12, 30, 45, 123456000, time.UTC)
	for _, stmt := range []string{
		`CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at INTEGER NOT NULL
)`,
		string(script),
		`INSERT INTO schema_migrations (version, applied_at) VALUES (1, 1)`,
		`INSERT INTO accounts (id, name, disabled, created) VALUES ('111111111111', 'old', 1, ` +
			itoa(created.UnixMicro()) + `)`,
		`UPDATE feed_revision SET value = 7`,
		`INSERT INTO edge_keys (id, secret, created) VALUES ('EKold', 's', 1)`,
		`INSERT INTO accounts (id, name, disabled, created) VALUES ('222222222222', 'bootstrap', 0, ` +
			itoa(created.Add(time.Hour).UnixMicro()) + `)`,
		`INSERT INTO distributions (id, account_id, caller_reference, domain_name, etag, last_modified, revision, config) VALUES ('EOLD1', '111111111111', 'EOLD1', 'eold1.example.com', 'E', 1, 1, '{}')`,
		`INSERT INTO distributions (id, account_id, caller_reference, domain_name, etag, last_modified, revision, config) VALUES ('EOLD2', '111111111111', 'EOLD2', 'eold2.example.com', 'E', 1, 1, '{}')`,
		`INSERT INTO distributions (id, account_id, caller_reference, domain_name, etag, last_modified, revision, config) VALUES ('EOLD3', '222222222222', 'EOLD3', 'eold3.example.com', 'E', 1, 1, '{}')`,
		`INSERT INTO oais (id, account_id, caller_reference, comment, s3_canonical_user_id, etag) VALUES ('EOAI1', '111111111111', 'r', '', 'c', 'E')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fresh, err := Open(ctx, filepath.Join(t.TempDir(), "fresh.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got, want := schemaOf(t, s.r), schemaOf(t, fresh.r); got != want {
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

// schemaOf lists every table and index with its SQL, and the applied
// migrations.
func schemaOf(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		out += line + "\n"
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var versions string
	if err := db.QueryRow(`SELECT group_concat(version) FROM schema_migrations`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	return out + "migrations: " + versions + "\n"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// firstDiff returns the first line (from 1) where a and b differ, or 0.
func firstDiff(a, b string) (line int, la, lb string) {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(as), len(bs)) {
		la, lb = "", ""
		if i < len(as) {
			la = as[i]
		}
		if i < len(bs) {
			lb = bs[i]
		}
		if la != lb || i >= len(as) || i >= len(bs) {
			return i + 1, la, lb
		}
	}
	return 0, "", ""
}
