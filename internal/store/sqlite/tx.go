package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/store"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// tx implements store.Tx on one database/sql transaction.
type tx struct {
	ctx context.Context
	tx  *sql.Tx
}

var _ store.Tx = (*tx)(nil)

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.ctx, query, args...)
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.ctx, query, args...)
}

func (t *tx) queryRow(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, query, args...)
}

// exists reports whether query (a SELECT 1 ...) returns a row.
func (t *tx) exists(query string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// mustAffect turns "no row changed" into ErrNotFound.
func mustAffect(res sql.Result, err error, what, id string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound)
	}
	return nil
}

// notFound maps sql.ErrNoRows to ErrNotFound.
func notFound(err error, what, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", what, id, store.ErrNotFound)
	}
	return err
}

// constraint maps a constraint violation that slipped past the explicit
// checks to the store's errors. Writes are serialized, so the checks see
// everything committed; this is a backstop.
func constraint(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		if strings.Contains(se.Error(), "distribution_aliases") {
			return fmt.Errorf("%w: %w", store.ErrCNAMEInUse, err)
		}
		return fmt.Errorf("%w: %w", store.ErrExists, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	return err
}

// Times are stored as Unix microseconds in UTC.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// Accounts.

func (t *tx) InsertAccount(a store.Account) error {
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = ?`, a.ID); err != nil || ok {
		return existsErr(err, ok, "account", a.ID)
	}
	_, err := t.exec(`INSERT INTO accounts (id, name, disabled, created) VALUES (?, ?, ?, ?)`,
		a.ID, a.Name, a.Disabled, micros(a.Created))
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
	var created int64
	err := s.Scan(&a.ID, &a.Name, &a.Disabled, &created)
	a.Created = fromMicros(created)
	return a, err
}

func (t *tx) Account(id string) (store.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
	return a, notFound(err, "account", id)
}

func (t *tx) Accounts() ([]store.Account, error) {
	return collect(t, scanAccount, `SELECT `+accountCols+` FROM accounts ORDER BY id`)
}

func (t *tx) UpdateAccount(a store.Account) error {
	res, err := t.exec(`UPDATE accounts SET name = ?, disabled = ?, created = ? WHERE id = ?`,
		a.Name, a.Disabled, micros(a.Created), a.ID)
	return mustAffect(res, err, "account", a.ID)
}

// DeleteAccount deletes the account; its access keys and key pairs go with
// it (ON DELETE CASCADE). Edges must learn that the key pairs are gone, so
// they get tombstones at a new revision.
func (t *tx) DeleteAccount(id string) error {
	ids, err := collect(t, scanString, `SELECT id FROM key_pairs WHERE account_id = ?`, id)
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
	res, err := t.exec(`DELETE FROM accounts WHERE id = ?`, id)
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
	if ok, err := t.exists(`SELECT 1 FROM access_keys WHERE id = ?`, k.ID); err != nil || ok {
		return existsErr(err, ok, "access key", k.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = ?`, k.AccountID); err != nil || !ok {
		return notFoundIf(err, ok, "account", k.AccountID)
	}
	_, err := t.exec(`INSERT INTO access_keys (id, account_id, secret, disabled, created) VALUES (?, ?, ?, ?, ?)`,
		k.ID, k.AccountID, k.Secret, k.Disabled, micros(k.Created))
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
	var created int64
	err := s.Scan(&k.ID, &k.AccountID, &k.Secret, &k.Disabled, &created)
	k.Created = fromMicros(created)
	return k, err
}

func (t *tx) AccessKey(id string) (store.AccessKey, error) {
	k, err := scanAccessKey(t.queryRow(`SELECT `+accessKeyCols+` FROM access_keys WHERE id = ?`, id))
	return k, notFound(err, "access key", id)
}

func (t *tx) AccessKeys(accountID string) ([]store.AccessKey, error) {
	return collect(t, scanAccessKey, `SELECT `+accessKeyCols+` FROM access_keys
		WHERE ? = '' OR account_id = ? ORDER BY id`, accountID, accountID)
}

func (t *tx) UpdateAccessKey(k store.AccessKey) error {
	res, err := t.exec(`UPDATE access_keys SET disabled = ? WHERE id = ?`, k.Disabled, k.ID)
	return mustAffect(res, err, "access key", k.ID)
}

func (t *tx) DeleteAccessKey(id string) error {
	res, err := t.exec(`DELETE FROM access_keys WHERE id = ?`, id)
	return mustAffect(res, err, "access key", id)
}

// The feed revision counter: one row, so the UPDATE holds the write lock
// (in SQLite, the whole database's) until commit.

func (t *tx) NextRevision() (int64, error) {
	var v int64
	err := t.queryRow(`UPDATE feed_revision SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&v)
	return v, err
}

func (t *tx) Revision() (int64, error) {
	var v int64
	err := t.queryRow(`SELECT value FROM feed_revision WHERE id = 1`).Scan(&v)
	return v, err
}
