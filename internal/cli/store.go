package cli

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/postgres"
	"github.com/openfront/openfront/internal/store/sqlite"
)

// openStore opens the store named by dsn: a postgres:// or postgresql://
// URL selects PostgreSQL; anything else is a SQLite file path ("" means
// openfront.db in the data folder).
//
// The data folder, which holds the credentials file and edge state, is
// tightened to 0700 if it exists (and made so for the default database);
// a SQLite database and its -wal and -shm files are 0600 (see
// privateSQLite). logger nil: no logs.
func openStore(ctx context.Context, dsn, dataDir string, logger *slog.Logger) (store.Store, error) {
	if err := tighten(dataDir, privateDirMode, logger); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn)
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		if err := privateDir(dataDir, logger); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
		path = filepath.Join(dataDir, "openfront.db")
	}
	if err := privateSQLite(path, logger); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	// SQLite has made -wal and -shm by now, with the database's mode;
	// check, in case an older SQLite did not.
	for _, p := range sqliteFiles(path)[1:] {
		if err := tighten(p, privateFileMode, logger); err != nil {
			st.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	return st, nil
}
