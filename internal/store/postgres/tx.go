package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/openfront/openfront/internal/store"
)

// tx implements store.Tx on one pgx transaction.
type tx struct {
	ctx context.Context
	tx  pgx.Tx
	// conflict is set when a statement failed with a serialization failure
	// or deadlock: PostgreSQL has aborted the transaction, and Update runs
	// fn again whatever fn made of the error.
	conflict bool
	// bumped is set when NextRevision ran.
	bumped bool
}

var _ store.Tx = (*tx)(nil)

// note records whether err means "try the transaction again".
func (t *tx) note(err error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
		t.conflict = true
	}
}

func (t *tx) exec(query string, args ...any) (pgconn.CommandTag, error) {
	tag, err := t.tx.Exec(t.ctx, query, args...)
	t.note(err)
	return tag, err
}

func (t *tx) query(query string, args ...any) (pgx.Rows, error) {
	rows, err := t.tx.Query(t.ctx, query, args...)
	t.note(err)
	return rows, err
}

// row notes the error of Scan, which is when pgx reports a query's failure.
type row struct {
	t   *tx
	row pgx.Row
}

func (r row) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	r.t.note(err)
	return err
}

func (t *tx) queryRow(query string, args ...any) row {
	return row{t, t.tx.QueryRow(t.ctx, query, args...)}
}

// exists reports whether query (a SELECT 1 ...) returns a row.
func (t *tx) exists(query string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(query, args...).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// mustAffect turns "no row changed" into ErrNotFound.
func mustAffect(tag pgconn.CommandTag, err error, what, id string) error {
	if err != nil {
		return constraint(err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound)
	}
	return nil
}

// notFound maps pgx.ErrNoRows to ErrNotFound.
func notFound(err error, what, id string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound)
	}
	return err
}

// constraint maps a constraint violation to the store's errors. The
// explicit checks before each write catch the usual cases; this catches
// the races between concurrent transactions, by constraint name.
func constraint(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505": // unique_violation
		if pe.ConstraintName == "distribution_aliases_cname" {
			return fmt.Errorf("%w: %w", store.ErrCNAMEInUse, err)
		}
		return fmt.Errorf("%w: %w", store.ErrExists, err)
	case "23503": // foreign_key_violation
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	return err
}

// ts is how times are written: timestamptz keeps microseconds, and
// truncating here (rather than letting the server round) makes the stored
// value predictable.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// noLimit turns limit <= 0 into LIMIT NULL, which is no limit.
func noLimit(limit int) any {
	if limit <= 0 {
		return nil
	}
	return limit
}

// Accounts.

func (t *tx) InsertAccount(a store.Account) error {
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = $1`, a.ID); err != nil || ok {
		return existsErr(err, ok, "account", a.ID)
	}
	_, err := t.exec(`INSERT INTO accounts (id, name, disabled, created) VALUES ($1, $2, $3, $4)`,
		a.ID, a.Name, a.Disabled, ts(a.Created))
	return constraint(err)
}

func existsErr(err error, ok bool, what, id string) error {
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrExists)
	}
	return nil
}

const accountCols = `id, name, disabled, created`

func scanAccount(s interface{ Scan(...any) error }) (store.Account, error) {
	var a store.Account
	var created time.Time
	err := s.Scan(&a.ID, &a.Name, &a.Disabled, &created)
	a.Created = created.UTC()
	return a, err
}

func (t *tx) Account(id string) (store.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountCols+` FROM accounts WHERE id = $1`, id))
	return a, notFound(err, "account", id)
}

func (t *tx) Accounts() ([]store.Account, error) {
	return collect(t, scanAccount, `SELECT `+accountCols+` FROM accounts ORDER BY id`)
}

func (t *tx) UpdateAccount(a store.Account) error {
	res, err := t.exec(`UPDATE accounts SET name = $1, disabled = $2, created = $3 WHERE id = $4`,
		a.Name, a.Disabled, ts(a.Created), a.ID)
	return mustAffect(res, err, "account", a.ID)
}

// DeleteAccount deletes the account; its access keys and key pairs go with
// it (ON DELETE CASCADE). Edges must learn that the key pairs are gone, so
// they get tombstones at a new revision.
func (t *tx) DeleteAccount(id string) error {
	ids, err := collect(t, scanString, `SELECT id FROM key_pairs WHERE account_id = $1`, id)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		rev, err := t.NextRevision()
		if err != nil {
			return err
		}
		for _, kp := range ids {
			if err := t.tombstoneKeyPair(kp, rev); err != nil {
				return err
			}
		}
	}
	res, err := t.exec(`DELETE FROM accounts WHERE id = $1`, id)
	return mustAffect(res, err, "account", id)
}

func scanString(s interface{ Scan(...any) error }) (string, error) {
	var v string
	err := s.Scan(&v)
	return v, err
}

// collect runs query and scans every row with scan.
func collect[T any](t *tx, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Access keys.

func (t *tx) InsertAccessKey(k store.AccessKey) error {
	if ok, err := t.exists(`SELECT 1 FROM access_keys WHERE id = $1`, k.ID); err != nil || ok {
		return existsErr(err, ok, "access key", k.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = $1`, k.AccountID); err != nil || !ok {
		return notFoundIf(err, ok, "account", k.AccountID)
	}
	_, err := t.exec(`INSERT INTO access_keys (id, account_id, secret, disabled, created) VALUES ($1, $2, $3, $4, $5)`,
		k.ID, k.AccountID, k.Secret, k.Disabled, ts(k.Created))
	return constraint(err)
}

func notFoundIf(err error, ok bool, what, id string) error {
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound)
	}
	return nil
}

const accessKeyCols = `id, account_id, secret, disabled, created`

func scanAccessKey(s interface{ Scan(...any) error }) (store.AccessKey, error) {
	var k store.AccessKey
	var created time.Time
	err := s.Scan(&k.ID, &k.AccountID, &k.Secret, &k.Disabled, &created)
	k.Created = created.UTC()
	return k, err
}

func (t *tx) AccessKey(id string) (store.AccessKey, error) {
	k, err := scanAccessKey(t.queryRow(`SELECT `+accessKeyCols+` FROM access_keys WHERE id = $1`, id))
	return k, notFound(err, "access key", id)
}

func (t *tx) AccessKeys(accountID string) ([]store.AccessKey, error) {
	return collect(t, scanAccessKey, `SELECT `+accessKeyCols+` FROM access_keys
		WHERE $1 = '' OR account_id = $2 ORDER BY id`, accountID, accountID)
}

func (t *tx) UpdateAccessKey(k store.AccessKey) error {
	res, err := t.exec(`UPDATE access_keys SET disabled = $1 WHERE id = $2`, k.Disabled, k.ID)
	return mustAffect(res, err, "access key", k.ID)
}

func (t *tx) DeleteAccessKey(id string) error {
	res, err := t.exec(`DELETE FROM access_keys WHERE id = $1`, id)
	return mustAffect(res, err, "access key", id)
}

// The feed revision counter: one row, so the UPDATE holds the write lock
// until commit.

func (t *tx) NextRevision() (int64, error) {
	t.bumped = true
	var v int64
	err := t.queryRow(`UPDATE feed_revision SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&v)
	return v, err
}

func (t *tx) Revision() (int64, error) {
	var v int64
	err := t.queryRow(`SELECT value FROM feed_revision WHERE id = 1`).Scan(&v)
	return v, err
}
