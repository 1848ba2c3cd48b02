// Package postgres is the shared store: a PostgreSQL database that several
// control-plane nodes can use at once.
//
// Update runs at SERIALIZABLE isolation and retries fn on serialization
// failures and deadlocks. Times are kept as timestamptz, whose precision
// is a microsecond: they read back equal to the value written after
// .UTC().Truncate(time.Microsecond). The Tx methods and the schema are
// shared with the SQLite store (package sqlstore).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/sqlstore"
)

// maxAttempts bounds how often Update runs fn when transactions keep
// conflicting.
const maxAttempts = 20

// Store is a store.Store on a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at dsn (a postgres:// URL or key=value
// string; search_path may be set in it) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Update runs fn in a SERIALIZABLE transaction, again (after a short
// random pause) when PostgreSQL aborts it to keep transactions
// serializable.
//
// Every transaction that bumps the revision counter updates the same row,
// so concurrent ones conflict on it. Rather than let them collide again
// and again, a retry of an attempt that bumped it takes the counter's
// lock first, before its snapshot, and so queues behind the others.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	var lockRevision bool
	for attempt := 1; ; attempt++ {
		conflict, bumped, err := s.attempt(ctx, fn, lockRevision)
		if err == nil || !conflict {
			return noSpace(err)
		}
		if attempt == maxAttempts {
			return fmt.Errorf("postgres: gave up after %d conflicting attempts: %w", attempt, err)
		}
		lockRevision = lockRevision || bumped
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// attempt runs fn once. It reports whether the attempt failed on a
// serialization conflict, and whether fn bumped the revision counter.
func (s *Store) attempt(ctx context.Context, fn func(store.Tx) error, lockRevision bool) (conflict, bumped bool, err error) {
	pgTx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return false, false, fmt.Errorf("postgres: begin: %w", err)
	}
	q := &querier{ctx: ctx, tx: pgTx}
	t := sqlstore.NewTx(q, &dialect)
	committed := false
	defer func() {
		// Also runs when fn panics: roll back, then let the panic go on.
		if !committed {
			pgTx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if lockRevision {
		// EXCLUSIVE blocks other writers of the counter, not its readers.
		if _, err := q.Exec(`LOCK TABLE feed_revision IN EXCLUSIVE MODE`); err != nil {
			return q.conflict, false, err
		}
	}
	if err := fn(t); err != nil {
		return q.conflict, t.Bumped(), err
	}
	if t.Bumped() {
		// Delivered at commit, never for a rolled-back attempt: wakes the
		// other nodes' feeds (WatchRevisions).
		if _, err := q.Exec(`SELECT pg_notify('` + revisionChannel + `', current_schema())`); err != nil {
			return q.conflict, true, err
		}
	}
	if err := pgTx.Commit(ctx); err != nil {
		q.note(err)
		return q.conflict, t.Bumped(), fmt.Errorf("postgres: commit: %w", err)
	}
	committed = true
	return false, t.Bumped(), nil
}

// backoff sleeps a random time that grows with attempt, up to 100ms.
func backoff(ctx context.Context, attempt int) error {
	limit := min(time.Millisecond<<min(attempt, 7), 100*time.Millisecond)
	timer := time.NewTimer(time.Duration(rand.Int64N(int64(limit))) + time.Millisecond)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// View runs fn in a read-only REPEATABLE READ transaction: one snapshot,
// and never a serialization failure.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	pgTx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer pgTx.Rollback(context.WithoutCancel(ctx))
	if err := fn(sqlstore.NewTx(&querier{ctx: ctx, tx: pgTx}, &dialect)); err != nil {
		return err
	}
	if err := pgTx.Commit(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// migrate applies the migrations the database (the first schema on the
// search_path) lacks, each in its own transaction.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return dialect.Migrate(func(fn func(sqlstore.Querier) error) error {
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return fn(&querier{ctx: ctx, tx: tx}) })
	})
}

// noSpace marks disk_full (53100) as store.ErrNoSpace.
func noSpace(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "53100" {
		return fmt.Errorf("%w: %w", store.ErrNoSpace, err)
	}
	return err
}
