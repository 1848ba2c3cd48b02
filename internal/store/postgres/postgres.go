// Package postgres is the shared store: a PostgreSQL database that several
// control-plane nodes can use at once.
//
// Update runs at SERIALIZABLE isolation and retries fn on serialization
// failures and deadlocks. Times are kept as timestamptz, whose precision
// is a microsecond: they read back equal to the value written after
// .UTC().Truncate(time.Microsecond).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/openfront/openfront/internal/store"
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
		t, err := s.attempt(ctx, fn, lockRevision)
		if err == nil || t == nil || !t.conflict {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("postgres: gave up after %d conflicting attempts: %w", attempt, err)
		}
		lockRevision = lockRevision || t.bumped
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// attempt runs fn once. It returns the transaction so that Update can see
// why it failed.
func (s *Store) attempt(ctx context.Context, fn func(store.Tx) error, lockRevision bool) (t *tx, err error) {
	pgTx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return nil, fmt.Errorf("postgres: begin: %w", err)
	}
	t = &tx{ctx: ctx, tx: pgTx}
	committed := false
	defer func() {
		// Also runs when fn panics: roll back, then let the panic go on.
		if !committed {
			pgTx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if lockRevision {
		// EXCLUSIVE blocks other writers of the counter, not its readers.
		if _, err := t.exec(`LOCK TABLE feed_revision IN EXCLUSIVE MODE`); err != nil {
			return t, err
		}
	}
	if err := fn(t); err != nil {
		return t, err
	}
	if err := pgTx.Commit(ctx); err != nil {
		t.note(err)
		return t, fmt.Errorf("postgres: commit: %w", err)
	}
	committed = true
	return t, nil
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
	if err := fn(&tx{ctx: ctx, tx: pgTx}); err != nil {
		return err
	}
	if err := pgTx.Commit(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}
