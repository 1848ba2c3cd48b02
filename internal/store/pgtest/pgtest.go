// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the server named by OPENFRONT_TEST_POSTGRES, dropped when the
// test ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DSN returns the database the tests may use, from OPENFRONT_TEST_POSTGRES.
// Without it the test skips, except in CI (CI=true), which must run it.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("OPENFRONT_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("OPENFRONT_TEST_POSTGRES is not set (source .ci/postgres.sh)")
		}
		t.Skip("OPENFRONT_TEST_POSTGRES is not set")
	}
	return dsn
}

// FreshSchema creates an empty schema, dropped when the test ends, and
// returns dsn with search_path set to it.
func FreshSchema(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "openfront_test_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	return WithParam(t, dsn, "search_path", schema)
}

// WithParam adds a run-time parameter to a URL or key=value DSN.
func WithParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}
