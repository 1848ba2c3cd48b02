package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/postgres"
	"github.com/openfront/openfront/internal/store/sqlite"
)

// openStore opens the store named by dsn: a postgres:// or postgresql://
// URL selects PostgreSQL; anything else is a SQLite file path ("" means
// openfront.db in the data folder).
func openStore(ctx context.Context, dsn, dataDir string) (store.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn)
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
		path = filepath.Join(dataDir, "openfront.db")
	}
	return sqlite.Open(ctx, path)
}
