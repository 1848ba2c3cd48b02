package sqlstore

import (
	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/store"
)

const bucketGrantCols = `bucket, account_id, oai_id, can_write, created, revision`

func scanBucketGrant(s interface{ Scan(...any) error }) (store.BucketGrant, error) {
	var g store.BucketGrant
	err := s.Scan(&g.Bucket, &g.AccountID, &g.OAIID, &g.Write, at(&g.Created), &g.Revision)
	return g, err
}

func (t *Tx) InsertBucketGrant(g store.BucketGrant) error {
	key := g.Key()
	if ok, err := t.exists(`SELECT 1 FROM bucket_grants WHERE id = $1`, key); err != nil || ok {
		return existsErr(err, ok, "bucket grant", key)
	}
	if g.OAIID != "" {
		if ok, err := t.exists(`SELECT 1 FROM oais WHERE id = $1`, g.OAIID); err != nil || !ok {
			return notFoundIf(err, ok, "origin access identity", g.OAIID)
		}
	} else if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = $1`, g.AccountID); err != nil || !ok {
		return notFoundIf(err, ok, "account", g.AccountID)
	}
	if _, err := t.exec(`INSERT INTO bucket_grants (id, `+bucketGrantCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		key, g.Bucket, g.AccountID, g.OAIID, g.Write, t.time(g.Created), g.Revision); err != nil {
		return t.constraint(err)
	}
	_, err := t.exec(`DELETE FROM bucket_grant_tombstones WHERE id = $1`, key)
	return err
}

func (t *Tx) UpdateBucketGrant(g store.BucketGrant) error {
	key := g.Key()
	res, err := t.exec(`UPDATE bucket_grants SET can_write = $1, revision = $2 WHERE id = $3`, g.Write, g.Revision, key)
	return t.mustAffect(res, err, "bucket grant", key)
}

func (t *Tx) BucketGrants(bucket string) ([]store.BucketGrant, error) {
	return collect(t, scanBucketGrant, `SELECT `+bucketGrantCols+` FROM bucket_grants
		WHERE $1 = '' OR bucket = $2 ORDER BY bucket, id`, bucket, bucket)
}

func (t *Tx) DeleteBucketGrant(g buckets.Grant, revision int64) error {
	key := g.Key()
	res, err := t.exec(`DELETE FROM bucket_grants WHERE id = $1`, key)
	if err := t.mustAffect(res, err, "bucket grant", key); err != nil {
		return err
	}
	return t.tombstoneBucketGrant(key, revision)
}

func (t *Tx) tombstoneBucketGrant(key string, revision int64) error {
	_, err := t.exec(`INSERT INTO bucket_grant_tombstones (id, revision) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET revision = excluded.revision`, key, revision)
	return err
}

// dropBucketGrants deletes the grants whose column (account_id or oai_id)
// is id, leaving tombstones at a new revision when there were any.
func (t *Tx) dropBucketGrants(column, id string) error {
	keys, err := collect(t, scanString, `SELECT id FROM bucket_grants WHERE `+column+` = $1`, id)
	if err != nil || len(keys) == 0 {
		return err
	}
	rev, err := t.NextRevision()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := t.exec(`DELETE FROM bucket_grants WHERE id = $1`, k); err != nil {
			return err
		}
		if err := t.tombstoneBucketGrant(k, rev); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) BucketGrantsChangedSince(rev int64) ([]store.BucketGrant, []string, error) {
	changed, err := collect(t, scanBucketGrant, `SELECT `+bucketGrantCols+` FROM bucket_grants
		WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	deleted, err := collect(t, scanString, `SELECT id FROM bucket_grant_tombstones WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	return changed, deleted, nil
}
