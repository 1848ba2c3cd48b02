// Package sqlstore implements store.Tx once, in SQL that SQLite and
// PostgreSQL both accept, over a small Querier that each driver package
// (store/sqlite, store/postgres) adapts from its own transaction type.
// What must differ between the two databases is a Dialect: how times are
// encoded, how a constraint violation is recognised, and the column types
// of the schema. How a transaction begins, commits and retries stays with
// the driver package.
//
// Statements use $1, $2, ... placeholders: PostgreSQL's own, and SQLite
// (modernc.org/sqlite) binds $N to the N-th argument.
package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/openfront/openfront/internal/store"
)

// Querier runs statements inside one transaction, under the context the
// transaction was begun with.
type Querier interface {
	// Exec runs a statement and returns how many rows it changed.
	Exec(query string, args ...any) (int64, error)
	Query(query string, args ...any) (Rows, error)
	// QueryRow returns a row whose Scan reports the query's error, and
	// sql.ErrNoRows when there is no row.
	QueryRow(query string, args ...any) Row
}

// Row is one result row; *sql.Row and pgx.Row have this method.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set; pgx.Rows has these methods.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Violation is the kind of constraint violation an error reports.
type Violation int

const (
	NoViolation         Violation = iota
	UniqueViolation               // a unique or primary key: ErrExists
	AliasViolation                // the unique index on lower(cname): ErrCNAMEInUse
	ForeignKeyViolation           // ErrNotFound
)

// Dialect is what differs between the databases.
type Dialect struct {
	// Time encodes a time for a timestamp column, at microsecond
	// precision. Scanning accepts what either encoding reads back as
	// (int64 Unix microseconds or time.Time).
	Time func(time.Time) any
	// Violation classifies a statement's error. A violation that slips past
	// the explicit checks before each write (a race between concurrent
	// transactions) becomes the store error it stands for.
	Violation func(error) Violation
	// Schema fills in the migrations' templates.
	Schema Schema
	// MigrationLock, if not empty, is run first in each migration's
	// transaction, to keep concurrent Opens from applying it twice.
	MigrationLock string
	// MigrationsTable creates schema_migrations if it does not exist.
	MigrationsTable string
}

// Tx implements store.Tx on one transaction.
type Tx struct {
	q      Querier
	d      *Dialect
	bumped bool
}

var _ store.Tx = (*Tx)(nil)

// NewTx returns a store.Tx whose statements run on q.
func NewTx(q Querier, d *Dialect) *Tx { return &Tx{q: q, d: d} }

// Bumped reports whether NextRevision ran in this transaction.
func (t *Tx) Bumped() bool { return t.bumped }

func (t *Tx) exec(query string, args ...any) (int64, error) { return t.q.Exec(query, args...) }

func (t *Tx) query(query string, args ...any) (Rows, error) { return t.q.Query(query, args...) }

func (t *Tx) queryRow(query string, args ...any) Row { return t.q.QueryRow(query, args...) }

func (t *Tx) time(v time.Time) any { return t.d.Time(v) }

// exists reports whether query (a SELECT 1 ...) returns a row.
func (t *Tx) exists(query string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// countRows counts table's rows of accountID ("" for every account), as
// record_counts keeps them (migration 8): table is one of its counted
// tables, whose inserts and deletes go through counted.
func (t *Tx) countRows(table, accountID string) (int, error) {
	var n int64
	var err error
	if accountID == "" {
		err = t.queryRow(`SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM record_counts WHERE record_table = $1`, table).Scan(&n)
	} else {
		err = t.queryRow(`SELECT n FROM record_counts WHERE record_table = $1 AND account_id = $2`, table, accountID).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
	}
	return int(n), err
}

// counted adds by (1 or -1) to table's count of accountID's rows, in the
// transaction that inserts or deletes the row.
func (t *Tx) counted(table, accountID string, by int) error {
	_, err := t.exec(`INSERT INTO record_counts (record_table, account_id, n) VALUES ($1, $2, $3)
		ON CONFLICT (record_table, account_id) DO UPDATE SET n = record_counts.n + excluded.n`, table, accountID, by)
	return err
}

// moveCounted is the start of an update of table's row id to accountID:
// ErrNotFound (of what) when there is no such row, and the counts
// follow the row when the update gives it another account.
func (t *Tx) moveCounted(table, what, id, accountID string) error {
	var was string
	err := t.queryRow(`SELECT account_id FROM `+table+` WHERE id = $1`, id).Scan(&was)
	if err != nil {
		return notFound(err, what, id)
	}
	if was == accountID {
		return nil
	}
	if err := t.counted(table, was, -1); err != nil {
		return err
	}
	return t.counted(table, accountID, 1)
}

// deleteCounted deletes table's row id and counts it off its account;
// ErrNotFound (of what) when there is none.
func (t *Tx) deleteCounted(table, what, id string) error {
	var accountID string
	err := t.queryRow(`DELETE FROM `+table+` WHERE id = $1 RETURNING account_id`, id).Scan(&accountID)
	if err != nil {
		return notFound(t.constraint(err), what, id)
	}
	return t.counted(table, accountID, -1)
}

// mustAffect turns "no row changed" into ErrNotFound.
func (t *Tx) mustAffect(n int64, err error, what, id string) error {
	if err != nil {
		return t.constraint(err)
	}
	if n == 0 {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound)
	}
	return nil
}

// constraint maps a constraint violation to the store's errors.
func (t *Tx) constraint(err error) error {
	if err == nil {
		return nil
	}
	switch t.d.Violation(err) {
	case UniqueViolation:
		return fmt.Errorf("%w: %w", store.ErrExists, err)
	case AliasViolation:
		return fmt.Errorf("%w: %w", store.ErrCNAMEInUse, err)
	case ForeignKeyViolation:
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	return err
}

// notFound maps sql.ErrNoRows to ErrNotFound.
func notFound(err error, what, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound)
	}
	return err
}

// noLimit turns limit <= 0 into the largest LIMIT both databases accept
// (SQLite wants a negative one for none, PostgreSQL NULL or ALL).
func noLimit(limit int) int64 {
	if limit <= 0 {
		return math.MaxInt64
	}
	return int64(limit)
}

// timeDest scans a timestamp column, however the dialect stored it, into
// a UTC time.
type timeDest struct{ t *time.Time }

func at(t *time.Time) timeDest { return timeDest{t} }

func (d timeDest) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*d.t = time.UnixMicro(v).UTC()
	case time.Time:
		*d.t = v.UTC()
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a time", src)
	}
	return nil
}
