package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/openfront/openfront/internal/store/sqlstore"
)

// dialect: times are integer Unix microseconds (UTC); columns are
// INTEGER, which SQLite stores in as few bytes as the value needs.
var dialect = sqlstore.Dialect{
	Time:      func(t time.Time) any { return t.UnixMicro() },
	Violation: violation,
	Schema: sqlstore.Schema{
		Bool:  "INTEGER",
		Time:  "INTEGER",
		Int64: "INTEGER",
		Seq:   "INTEGER PRIMARY KEY AUTOINCREMENT",
	},
	// No lock statement: the writer's BEGIN IMMEDIATE takes SQLite's write
	// lock, so two processes opening one file cannot both apply a migration.
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at INTEGER NOT NULL
)`,
}

// violation recognises constraint errors by SQLite's extended result code.
// SQLite does not report an index's name, only its table and columns, so
// the alias index is told apart by its table.
func violation(err error) sqlstore.Violation {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return sqlstore.NoViolation
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		if strings.Contains(se.Error(), "distribution_aliases") {
			return sqlstore.AliasViolation
		}
		return sqlstore.UniqueViolation
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlstore.ForeignKeyViolation
	}
	return sqlstore.NoViolation
}

// querier adapts a database/sql transaction to sqlstore.Querier, running
// each statement prepared when stmts has it.
type querier struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts *stmtCache // nil: prepare nothing (migrations)
}

func (q *querier) Exec(query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if s := q.stmts.stmt(q.ctx, q.tx, query); s != nil {
		res, err = s.ExecContext(q.ctx, args...)
	} else {
		res, err = q.tx.ExecContext(q.ctx, query, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q *querier) Query(query string, args ...any) (sqlstore.Rows, error) {
	var rows *sql.Rows
	var err error
	if s := q.stmts.stmt(q.ctx, q.tx, query); s != nil {
		rows, err = s.QueryContext(q.ctx, args...)
	} else {
		rows, err = q.tx.QueryContext(q.ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (q *querier) QueryRow(query string, args ...any) sqlstore.Row {
	if s := q.stmts.stmt(q.ctx, q.tx, query); s != nil {
		return s.QueryRowContext(q.ctx, args...)
	}
	return q.tx.QueryRowContext(q.ctx, query, args...)
}

// sqlRows drops the error of Close: rows.Err has reported what matters.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }
