package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/openfront/openfront/internal/store/sqlstore"
)

// dialect: times are timestamptz, whose precision is a microsecond;
// truncating before writing (rather than letting the server round) makes
// the stored value predictable.
var dialect = sqlstore.Dialect{
	Time:      func(t time.Time) any { return t.UTC().Truncate(time.Microsecond) },
	Violation: violation,
	Schema: sqlstore.Schema{
		Bool:             "BOOLEAN",
		Time:             "TIMESTAMPTZ",
		Int64:            "BIGINT",
		Seq:              "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
		NamedConstraints: true,
	},
	// A transaction-scoped advisory lock for the first schema on the
	// search_path, so nodes starting together apply each migration once.
	MigrationLock: `SELECT pg_advisory_xact_lock(hashtext('openfront schema'), hashtext(coalesce(current_schema(), '')))`,
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`,
}

// violation recognises constraint errors by SQLSTATE, and the alias index
// by its name.
func violation(err error) sqlstore.Violation {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return sqlstore.NoViolation
	}
	switch pe.Code {
	case "23505": // unique_violation
		if pe.ConstraintName == "distribution_aliases_cname" {
			return sqlstore.AliasViolation
		}
		return sqlstore.UniqueViolation
	case "23503": // foreign_key_violation
		return sqlstore.ForeignKeyViolation
	}
	return sqlstore.NoViolation
}

// querier adapts a pgx transaction to sqlstore.Querier, and notes the
// errors that mean "run the transaction again".
type querier struct {
	ctx context.Context
	tx  pgx.Tx
	// conflict is set when a statement failed with a serialization failure
	// or deadlock: PostgreSQL has aborted the transaction, and Update runs
	// fn again whatever fn made of the error.
	conflict bool
}

func (q *querier) note(err error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
		q.conflict = true
	}
}

func (q *querier) Exec(query string, args ...any) (int64, error) {
	tag, err := q.tx.Exec(q.ctx, query, args...)
	q.note(err)
	return tag.RowsAffected(), err
}

func (q *querier) Query(query string, args ...any) (sqlstore.Rows, error) {
	r, err := q.tx.Query(q.ctx, query, args...)
	if err != nil {
		q.note(err)
		return nil, err
	}
	return rows{r, q}, nil
}

func (q *querier) QueryRow(query string, args ...any) sqlstore.Row {
	return row{q.tx.QueryRow(q.ctx, query, args...), q}
}

// rows notes the error of Err, which is where pgx reports most failures
// of a query.
type rows struct {
	pgx.Rows
	q *querier
}

func (r rows) Err() error {
	err := r.Rows.Err()
	r.q.note(err)
	return err
}

// row notes the error of Scan, which is when pgx reports a query's failure.
type row struct {
	pgx.Row
	q *querier
}

func (r row) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	r.q.note(err)
	return err
}
