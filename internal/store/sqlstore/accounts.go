package sqlstore

import (
	"fmt"

	"github.com/openfront/openfront/internal/store"
)

// Accounts.

func (t *Tx) InsertAccount(a store.Account) error {
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = $1`, a.ID); err != nil || ok {
		return existsErr(err, ok, "account", a.ID)
	}
	_, err := t.exec(`INSERT INTO accounts (id, name, disabled, created) VALUES ($1, $2, $3, $4)`,
		a.ID, a.Name, a.Disabled, t.time(a.Created))
	return t.constraint(err)
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
	err := s.Scan(&a.ID, &a.Name, &a.Disabled, at(&a.Created))
	return a, err
}

func (t *Tx) Account(id string) (store.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountCols+` FROM accounts WHERE id = $1`, id))
	return a, notFound(err, "account", id)
}

func (t *Tx) Accounts() ([]store.Account, error) {
	return collect(t, scanAccount, `SELECT `+accountCols+` FROM accounts ORDER BY id`)
}

func (t *Tx) UpdateAccount(a store.Account) error {
	res, err := t.exec(`UPDATE accounts SET name = $1, disabled = $2, created = $3 WHERE id = $4`,
		a.Name, a.Disabled, t.time(a.Created), a.ID)
	return t.mustAffect(res, err, "account", a.ID)
}

// DeleteAccount deletes the account; its access keys and key pairs go with
// it (ON DELETE CASCADE), and its bucket grants. Edges must learn that the
// key pairs and grants are gone, so they get tombstones at a new revision.
func (t *Tx) DeleteAccount(id string) error {
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
	if err := t.dropBucketGrants("account_id", id); err != nil {
		return err
	}
	if err := t.dropCertificates(id); err != nil {
		return err
	}
	res, err := t.exec(`DELETE FROM accounts WHERE id = $1`, id)
	return t.mustAffect(res, err, "account", id)
}

func scanString(s interface{ Scan(...any) error }) (string, error) {
	var v string
	err := s.Scan(&v)
	return v, err
}

// collect runs query and scans every row with scan.
func collect[T any](t *Tx, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
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

func (t *Tx) InsertAccessKey(k store.AccessKey) error {
	if ok, err := t.exists(`SELECT 1 FROM access_keys WHERE id = $1`, k.ID); err != nil || ok {
		return existsErr(err, ok, "access key", k.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = $1`, k.AccountID); err != nil || !ok {
		return notFoundIf(err, ok, "account", k.AccountID)
	}
	_, err := t.exec(`INSERT INTO access_keys (id, account_id, secret, disabled, created) VALUES ($1, $2, $3, $4, $5)`,
		k.ID, k.AccountID, k.Secret, k.Disabled, t.time(k.Created))
	return t.constraint(err)
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
	err := s.Scan(&k.ID, &k.AccountID, &k.Secret, &k.Disabled, at(&k.Created))
	return k, err
}

func (t *Tx) AccessKey(id string) (store.AccessKey, error) {
	k, err := scanAccessKey(t.queryRow(`SELECT `+accessKeyCols+` FROM access_keys WHERE id = $1`, id))
	return k, notFound(err, "access key", id)
}

func (t *Tx) AccessKeys(accountID string) ([]store.AccessKey, error) {
	return collect(t, scanAccessKey, `SELECT `+accessKeyCols+` FROM access_keys
		WHERE $1 = '' OR account_id = $2 ORDER BY id`, accountID, accountID)
}

func (t *Tx) UpdateAccessKey(k store.AccessKey) error {
	res, err := t.exec(`UPDATE access_keys SET disabled = $1 WHERE id = $2`, k.Disabled, k.ID)
	return t.mustAffect(res, err, "access key", k.ID)
}

func (t *Tx) DeleteAccessKey(id string) error {
	res, err := t.exec(`DELETE FROM access_keys WHERE id = $1`, id)
	return t.mustAffect(res, err, "access key", id)
}

// The feed revision counter: one row, so the UPDATE holds the write lock
// until commit.

func (t *Tx) NextRevision() (int64, error) {
	t.bumped = true
	var v int64
	err := t.queryRow(`UPDATE feed_revision SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&v)
	return v, err
}

func (t *Tx) Revision() (int64, error) {
	var v int64
	err := t.queryRow(`SELECT value FROM feed_revision WHERE id = 1`).Scan(&v)
	return v, err
}
