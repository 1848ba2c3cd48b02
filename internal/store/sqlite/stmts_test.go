package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestPreparedStatements: a text runs unprepared the first time and
// prepared from its next transaction on, on the writer and on the
// readers, with the same results; failures and scripts are not kept; a
// rolled-back transaction leaves the statement usable.
func TestPreparedStatements(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	update := func(fn func(q *querier) error) error { return run(ctx, s.w, s.wStmts, false, fn) }
	view := func(fn func(q *querier) error) error { return run(ctx, s.r, s.rStmts, true, fn) }
	cached := func(c *stmtCache, query string) bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.stmts[query] != nil
	}

	if err := update(func(q *querier) error {
		_, err := q.Exec(`CREATE TABLE scratch (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO scratch (k, v) VALUES ($1, $2)`
	const get = `SELECT v FROM scratch WHERE k = $1`
	const list = `SELECT k FROM scratch ORDER BY k`

	for i := range 5 { // i == 0 unprepared, then prepared
		if err := update(func(q *querier) error {
			n, err := q.Exec(insert, i, fmt.Sprint("v", i))
			if err == nil && n != 1 {
				err = fmt.Errorf("%d rows inserted", n)
			}
			return err
		}); err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
		if !cached(s.wStmts, insert) {
			t.Fatalf("after transaction %d: the insert is not prepared", i)
		}
	}

	// A rolled-back transaction that ran the prepared statement: its row
	// is gone, and the statement still serves the next transaction.
	rollback := errors.New("roll back")
	if err := update(func(q *querier) error {
		if _, err := q.Exec(insert, 100, "gone"); err != nil {
			return err
		}
		return rollback
	}); !errors.Is(err, rollback) {
		t.Fatalf("rolled-back transaction: %v", err)
	}
	if err := update(func(q *querier) error { _, err := q.Exec(insert, 5, "v5"); return err }); err != nil {
		t.Fatalf("insert after a rollback: %v", err)
	}
	// A constraint error through the prepared statement is the driver's,
	// as unprepared.
	if err := update(func(q *querier) error { _, err := q.Exec(insert, 5, "again"); return err }); violation(err) == 0 {
		t.Fatalf("duplicate key through a prepared statement: %v, want a unique violation", err)
	}

	// Readers, concurrently: each of the pool's connections prepares the
	// text on its first use there.
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			k := g % 6
			errs <- view(func(q *querier) error {
				var v string
				if err := q.QueryRow(get, k).Scan(&v); err != nil {
					return err
				}
				if v != fmt.Sprint("v", k) {
					return fmt.Errorf("key %d: %q", k, v)
				}
				rows, err := q.Query(list)
				if err != nil {
					return err
				}
				defer rows.Close()
				var ks []int
				for rows.Next() {
					var k int
					if err := rows.Scan(&k); err != nil {
						return err
					}
					ks = append(ks, k)
				}
				if fmt.Sprint(ks) != "[0 1 2 3 4 5]" {
					return fmt.Errorf("listed %v", ks)
				}
				return rows.Err()
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !cached(s.rStmts, get) || !cached(s.rStmts, list) {
		t.Error("the readers' statements are not prepared")
	}

	// Not kept: a text that does not prepare, and a script.
	const bad = `SELECT nothing FROM nowhere`
	const script = `UPDATE scratch SET v = 'x' WHERE k = 0; UPDATE scratch SET v = 'y' WHERE k = 1`
	for range 2 {
		if err := view(func(q *querier) error { _, err := q.Query(bad); return err }); err == nil {
			t.Fatal("a query of a missing table ran")
		}
		if err := update(func(q *querier) error { _, err := q.Exec(script); return err }); err != nil {
			t.Fatalf("script: %v", err)
		}
	}
	if cached(s.rStmts, bad) || cached(s.wStmts, script) {
		t.Error("a failing text or a script was kept prepared")
	}
}
