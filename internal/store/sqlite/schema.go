package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations are applied in order, each in its own transaction, and
// recorded in schema_migrations by their index + 1. Append only: never edit
// a migration that has shipped.
var migrations = []string{
	// 1: the initial schema.
	`
CREATE TABLE accounts (
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	disabled INTEGER NOT NULL,
	created  INTEGER NOT NULL
);
CREATE TABLE access_keys (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	secret     TEXT NOT NULL,
	disabled   INTEGER NOT NULL,
	created    INTEGER NOT NULL
);
CREATE INDEX access_keys_account ON access_keys (account_id);

CREATE TABLE feed_revision (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
);
INSERT INTO feed_revision (id, value) VALUES (1, 0);

CREATE TABLE distributions (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    INTEGER NOT NULL,
	revision         INTEGER NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.DistributionConfig
	UNIQUE (account_id, caller_reference)
);
CREATE INDEX distributions_revision ON distributions (revision);
CREATE TABLE distribution_aliases (
	distribution_id TEXT NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
	cname           TEXT NOT NULL
);
CREATE UNIQUE INDEX distribution_aliases_cname ON distribution_aliases (lower(cname));
CREATE INDEX distribution_aliases_distribution ON distribution_aliases (distribution_id);
CREATE TABLE distribution_tombstones (
	id       TEXT PRIMARY KEY,
	revision INTEGER NOT NULL
);
CREATE INDEX distribution_tombstones_revision ON distribution_tombstones (revision);

CREATE TABLE oais (
	id                   TEXT PRIMARY KEY,
	account_id           TEXT NOT NULL,
	caller_reference     TEXT NOT NULL,
	comment              TEXT NOT NULL,
	s3_canonical_user_id TEXT NOT NULL,
	etag                 TEXT NOT NULL,
	UNIQUE (account_id, caller_reference)
);

CREATE TABLE invalidations (
	seq              INTEGER PRIMARY KEY AUTOINCREMENT, -- insertion order
	id               TEXT NOT NULL UNIQUE,
	distribution_id  TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	status           TEXT NOT NULL,
	create_time      INTEGER NOT NULL,
	paths            TEXT NOT NULL, -- JSON array
	revision         INTEGER NOT NULL,
	UNIQUE (distribution_id, caller_reference)
);
CREATE INDEX invalidations_distribution ON invalidations (distribution_id, create_time, seq);
CREATE INDEX invalidations_status ON invalidations (status, seq);
CREATE INDEX invalidations_revision ON invalidations (revision, seq);

CREATE TABLE key_pairs (
	id             TEXT PRIMARY KEY,
	account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	public_key_pem TEXT NOT NULL,
	active         INTEGER NOT NULL,
	created        INTEGER NOT NULL,
	revision       INTEGER NOT NULL
);
CREATE INDEX key_pairs_account ON key_pairs (account_id);
CREATE INDEX key_pairs_revision ON key_pairs (revision);
CREATE TABLE key_pair_tombstones (
	id       TEXT PRIMARY KEY,
	revision INTEGER NOT NULL
);
CREATE INDEX key_pair_tombstones_revision ON key_pair_tombstones (revision);

CREATE TABLE edges (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	price_class    TEXT NOT NULL,
	registered     INTEGER NOT NULL,
	last_seen      INTEGER NOT NULL,
	acked_revision INTEGER NOT NULL
);
CREATE TABLE edge_keys (
	id      TEXT PRIMARY KEY,
	secret  TEXT NOT NULL,
	created INTEGER NOT NULL
);
`,
}

// migrate applies the migrations db lacks. The writer holds SQLite's write
// lock for each (BEGIN IMMEDIATE), so two processes opening one file
// cannot both apply a migration.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at INTEGER NOT NULL
)`); err != nil {
		return err
	}
	for i, m := range migrations {
		version := i + 1
		if err := applyMigration(ctx, db, version, m); err != nil {
			return fmt.Errorf("migration %d: %w", version, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, version int, script string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, script); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		version, time.Now().UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}
