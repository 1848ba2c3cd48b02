package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/postgres"
	"github.com/openfront/openfront/internal/store/sqlite"
)

func cutKey(auth string) (id, secret string, ok bool) { return strings.Cut(auth, ":") }

// insertEdgeKeys adds n edge keys of price class All in one transaction,
// as n runs of `openfront admin edge-key create` would, without starting
// n processes.
func insertEdgeKeys(ctx context.Context, cp *controlPlane, n int) ([]string, error) {
	var st store.Store
	var err error
	if cp.dsn != "" {
		st, err = postgres.Open(ctx, cp.dsn)
	} else {
		// Opening beside the running control plane has failed now and then
		// with SQLITE_CANTOPEN on a busy machine: try again a few times.
		for i := range 5 {
			if st, err = sqlite.Open(ctx, filepath.Join(cp.data, "openfront.db")); err == nil {
				break
			}
			time.Sleep(time.Duration(i+1) * 200 * time.Millisecond)
		}
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	keys := make([]string, n)
	err = st.Update(ctx, func(tx store.Tx) error {
		for i := range keys {
			var id [6]byte
			var secret [20]byte
			rand.Read(id[:])
			rand.Read(secret[:])
			k := store.EdgeKey{ID: "EK" + hex.EncodeToString(id[:]), Secret: hex.EncodeToString(secret[:]), Created: time.Now().UTC(), PriceClass: "All"}
			if err := tx.InsertEdgeKey(k); err != nil {
				return err
			}
			keys[i] = k.ID + ":" + k.Secret
		}
		return nil
	})
	return keys, err
}

// freshSchema makes a schema of its own in the database of dsn and
// returns dsn with search_path set to it, and a func that drops it.
func freshSchema(ctx context.Context, dsn string) (string, func(), error) {
	if dsn == "" {
		return "", nil, errors.New("-store postgres: set OPENFRONT_TEST_POSTGRES to a postgres:// URL")
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, err
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "fleet_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	drop := func() {
		conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		conn.Close(context.Background())
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("OPENFRONT_TEST_POSTGRES: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}
