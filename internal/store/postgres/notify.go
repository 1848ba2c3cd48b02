package postgres

import (
	"context"
	"fmt"
	"time"
)

// revisionChannel is the NOTIFY channel of revision bumps; the payload
// is the schema written, so databases shared by several stores (one
// schema each) wake only their own listeners.
const revisionChannel = "openfront_revision"

// WatchRevisions calls wake after every committed transaction that
// bumped the revision counter, on any node, until ctx is done; it
// returns ctx's error. It holds one connection of its own, LISTENing.
// connected reports whether it is listening: while it is not (the
// connection broke and is being made again), wakes may be missed, and
// the caller should look at the revision itself. wake is also called
// each time it starts listening, for what was committed in between.
func (s *Store) WatchRevisions(ctx context.Context, wake func(), connected func(bool)) error {
	delay := 100 * time.Millisecond
	for {
		err := s.listen(ctx, wake, connected)
		connected(false)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = err // the caller's poll covers the gap; retried below
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Second)
	}
}

func (s *Store) listen(ctx context.Context, wake func(), connected func(bool)) error {
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// Taken out of the pool: a LISTENing connection must not serve
	// transactions, and it is closed rather than returned.
	conn := pc.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+revisionChannel); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	connected(true)
	wake()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload == schema {
			wake()
		}
	}
}
