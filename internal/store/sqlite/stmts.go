package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxStmts bounds a pool's prepared statements. The store's queries are
// a few dozen fixed texts; the bound only keeps a text built from data
// (none today) from growing the cache without end.
const maxStmts = 256

// stmtCache keeps one pool's statements prepared, by query text. The
// driver otherwise prepares every statement it runs and finalizes it
// after: SQLite parsing the same SQL again, about a fifth of a create's
// CPU (0.6 ms of 3.1 with 4,000 distributions), and the control plane's
// CPU is what many edges on one machine leave it short of.
//
// A statement is prepared on the pool (database/sql then prepares it on
// each connection the first time a transaction there uses it, and keeps
// it). The pool's Prepare needs a free connection, which the writer's
// only one is not while its transaction runs: a text first seen in a
// transaction runs unprepared there and is prepared after the
// transaction ends (prepareSeen).
type stmtCache struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	seen  map[string]struct{} // run unprepared, to be prepared
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, seen: map[string]struct{}{}}
}

// stmt returns query's statement bound to tx, or nil when it is not
// prepared yet (it is then noted, to be prepared by prepareSeen).
func (c *stmtCache) stmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	if c == nil || strings.Contains(query, ";") { // one statement per text
		return nil
	}
	c.mu.Lock()
	s := c.stmts[query]
	if s == nil && len(c.stmts)+len(c.seen) < maxStmts {
		c.seen[query] = struct{}{}
	}
	c.mu.Unlock()
	if s == nil {
		return nil
	}
	return tx.StmtContext(ctx, s)
}

// prepareSeen prepares the texts noted since the last call; a text that
// fails to prepare (its transaction failed on it too) is dropped.
func (c *stmtCache) prepareSeen(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.seen) == 0 {
		c.mu.Unlock()
		return
	}
	seen := c.seen
	c.seen = map[string]struct{}{}
	c.mu.Unlock()
	for query := range seen {
		s, err := c.db.PrepareContext(ctx, query)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if c.stmts[query] == nil {
			c.stmts[query], s = s, nil
		}
		c.mu.Unlock()
		if s != nil { // prepared meanwhile by another transaction's end
			s.Close()
		}
	}
}

// close closes the prepared statements; the pool closes after.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
}
