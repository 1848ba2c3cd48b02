// Package sqlite is the embedded store: one SQLite file, written through a
// single connection and read through a small pool. The Tx methods and the
// schema are shared with the PostgreSQL store (package sqlstore).
//
// Durability: WAL journal with synchronous=FULL, so a committed Update has
// been fsynced to the WAL before Update returns. Times are kept as integer
// Unix microseconds (UTC): they read back equal to the value written after
// .UTC().Truncate(time.Microsecond).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/sqlstore"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// readers is the size of the read pool. WAL lets readers run alongside the
// writer; a few suffice for a control plane.
const readers = 4

// Store is a store.Store on a SQLite database file.
type Store struct {
	// w is the only connection that writes. Update calls queue for it in
	// database/sql instead of contending for SQLite's write lock, so they
	// never see "database is locked"; BEGIN IMMEDIATE takes the lock up
	// front, so no read-to-write upgrade can deadlock.
	w *sql.DB
	r *sql.DB
	// Each pool's prepared statements.
	wStmts, rStmts *stmtCache
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}

	q.Del("_journal_mode") // set once by the writer; persistent in the file
	q.Set("_query_only", "1")
	r, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &Store{w: w, r: r, wStmts: newStmtCache(w), rStmts: newStmtCache(r)}, nil
}

// Update runs fn in one write transaction. SQLite serializes writers, so
// fn runs exactly once.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return noSpace(run(ctx, s.w, s.wStmts, false, func(q *querier) error { return fn(sqlstore.NewTx(q, &dialect)) }))
}

// noSpace marks SQLITE_FULL (the disk, or max_page_count, is full) as
// store.ErrNoSpace. SQLite rolls the statement or transaction back itself;
// run's Rollback finishes the job, so nothing of it stays.
func noSpace(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return fmt.Errorf("%w: %w", store.ErrNoSpace, err)
	}
	return err
}

// View runs fn in a read transaction; WAL gives it a snapshot as of its
// first read.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return run(ctx, s.r, s.rStmts, true, func(q *querier) error { return fn(sqlstore.NewTx(q, &dialect)) })
}

// Close closes both connection pools.
func (s *Store) Close() error {
	s.rStmts.close()
	s.wStmts.close()
	return errors.Join(s.r.Close(), s.w.Close())
}

// migrate applies the migrations db lacks, each in a write transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	return dialect.Migrate(func(fn func(sqlstore.Querier) error) error {
		return run(ctx, db, nil, false, func(q *querier) error { return fn(q) })
	})
}

// run runs fn in one transaction on db and commits if fn returns nil. On
// the writer, the transaction begins IMMEDIATE (see Open).
func run(ctx context.Context, db *sql.DB, stmts *stmtCache, readOnly bool, fn func(*querier) error) (err error) {
	// After the transaction, which holds the writer's only connection.
	defer stmts.prepareSeen(ctx)
	sqlTx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	committed := false
	defer func() {
		// Also runs when fn panics: roll back, then let the panic go on.
		if !committed {
			sqlTx.Rollback()
		}
	}()
	if err := fn(&querier{ctx: ctx, tx: sqlTx, stmts: stmts}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed = true
	return nil
}
