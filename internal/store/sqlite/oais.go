package sqlite

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

const oaiCols = `id, account_id, caller_reference, comment, s3_canonical_user_id, etag`

func scanOAI(s interface{ Scan(...any) error }) (cloudfront.OriginAccessIdentity, error) {
	var o cloudfront.OriginAccessIdentity
	err := s.Scan(&o.ID, &o.AccountID, &o.Config.CallerReference, &o.Config.Comment, &o.S3CanonicalUserID, &o.ETag)
	return o, err
}

func (t *tx) InsertOAI(o cloudfront.OriginAccessIdentity) error {
	if ok, err := t.exists(`SELECT 1 FROM oais WHERE id = ?`, o.ID); err != nil || ok {
		return existsErr(err, ok, "origin access identity", o.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM oais WHERE account_id = ? AND caller_reference = ?`,
		o.AccountID, o.Config.CallerReference); err != nil || ok {
		return existsErr(err, ok, "origin access identity caller reference", o.Config.CallerReference)
	}
	_, err := t.exec(`INSERT INTO oais (`+oaiCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		o.ID, o.AccountID, o.Config.CallerReference, o.Config.Comment, o.S3CanonicalUserID, o.ETag)
	return constraint(err)
}

func (t *tx) OAI(id string) (cloudfront.OriginAccessIdentity, error) {
	o, err := scanOAI(t.queryRow(`SELECT `+oaiCols+` FROM oais WHERE id = ?`, id))
	return o, notFound(err, "origin access identity", id)
}

func (t *tx) OAIByCallerReference(accountID, callerReference string) (cloudfront.OriginAccessIdentity, error) {
	o, err := scanOAI(t.queryRow(`SELECT `+oaiCols+` FROM oais WHERE account_id = ? AND caller_reference = ?`,
		accountID, callerReference))
	return o, notFound(err, "origin access identity caller reference", callerReference)
}

func (t *tx) OAIs(accountID, after string, limit int) ([]cloudfront.OriginAccessIdentity, error) {
	if limit <= 0 {
		limit = -1
	}
	return collect(t, scanOAI, `SELECT `+oaiCols+` FROM oais
		WHERE (? = '' OR account_id = ?) AND id > ? ORDER BY id LIMIT ?`, accountID, accountID, after, limit)
}

func (t *tx) CountOAIs(accountID string) (int, error) {
	var n int
	err := t.queryRow(`SELECT count(*) FROM oais WHERE ? = '' OR account_id = ?`, accountID, accountID).Scan(&n)
	return n, err
}

func (t *tx) UpdateOAI(o cloudfront.OriginAccessIdentity) error {
	if ok, err := t.exists(`SELECT 1 FROM oais WHERE id = ?`, o.ID); err != nil || !ok {
		return notFoundIf(err, ok, "origin access identity", o.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM oais WHERE account_id = ? AND caller_reference = ? AND id <> ?`,
		o.AccountID, o.Config.CallerReference, o.ID); err != nil || ok {
		return existsErr(err, ok, "origin access identity caller reference", o.Config.CallerReference)
	}
	_, err := t.exec(`UPDATE oais SET account_id = ?, caller_reference = ?, comment = ?, s3_canonical_user_id = ?, etag = ?
		WHERE id = ?`, o.AccountID, o.Config.CallerReference, o.Config.Comment, o.S3CanonicalUserID, o.ETag, o.ID)
	return constraint(err)
}

func (t *tx) DeleteOAI(id string) error {
	res, err := t.exec(`DELETE FROM oais WHERE id = ?`, id)
	return mustAffect(res, err, "origin access identity", id)
}
