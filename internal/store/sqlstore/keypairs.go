package sqlstore

import (
	"github.com/openfront/openfront/internal/store"
)

const keyPairCols = `id, account_id, public_key_pem, active, created, revision`

func scanKeyPair(s interface{ Scan(...any) error }) (store.KeyPair, error) {
	var k store.KeyPair
	err := s.Scan(&k.ID, &k.AccountID, &k.PublicKeyPEM, &k.Active, at(&k.Created), &k.Revision)
	return k, err
}

func (t *Tx) InsertKeyPair(k store.KeyPair) error {
	if ok, err := t.exists(`SELECT 1 FROM key_pairs WHERE id = $1`, k.ID); err != nil || ok {
		return existsErr(err, ok, "key pair", k.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = $1`, k.AccountID); err != nil || !ok {
		return notFoundIf(err, ok, "account", k.AccountID)
	}
	if _, err := t.exec(`INSERT INTO key_pairs (`+keyPairCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		k.ID, k.AccountID, k.PublicKeyPEM, k.Active, t.time(k.Created), k.Revision); err != nil {
		return t.constraint(err)
	}
	_, err := t.exec(`DELETE FROM key_pair_tombstones WHERE id = $1`, k.ID)
	return err
}

func (t *Tx) KeyPair(id string) (store.KeyPair, error) {
	k, err := scanKeyPair(t.queryRow(`SELECT `+keyPairCols+` FROM key_pairs WHERE id = $1`, id))
	return k, notFound(err, "key pair", id)
}

func (t *Tx) KeyPairs(accountID string) ([]store.KeyPair, error) {
	return collect(t, scanKeyPair, `SELECT `+keyPairCols+` FROM key_pairs
		WHERE $1 = '' OR account_id = $2 ORDER BY id`, accountID, accountID)
}

// UpdateKeyPair changes PublicKeyPEM, Active and Revision; the owner and
// creation time stay.
func (t *Tx) UpdateKeyPair(k store.KeyPair) error {
	res, err := t.exec(`UPDATE key_pairs SET public_key_pem = $1, active = $2, revision = $3 WHERE id = $4`,
		k.PublicKeyPEM, k.Active, k.Revision, k.ID)
	return t.mustAffect(res, err, "key pair", k.ID)
}

func (t *Tx) DeleteKeyPair(id string, revision int64) error {
	res, err := t.exec(`DELETE FROM key_pairs WHERE id = $1`, id)
	if err := t.mustAffect(res, err, "key pair", id); err != nil {
		return err
	}
	return t.tombstoneKeyPair(id, revision)
}

func (t *Tx) tombstoneKeyPair(id string, revision int64) error {
	_, err := t.exec(`INSERT INTO key_pair_tombstones (id, revision) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET revision = excluded.revision`, id, revision)
	return err
}

func (t *Tx) KeyPairsChangedSince(rev int64) ([]store.KeyPair, []string, error) {
	changed, err := collect(t, scanKeyPair, `SELECT `+keyPairCols+` FROM key_pairs
		WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	deleted, err := collect(t, scanString, `SELECT id FROM key_pair_tombstones WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	return changed, deleted, nil
}
