package sqlstore

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

const oaiCols = `id, account_id, caller_reference, comment, s3_canonical_user_id, etag`

func scanOAI(s interface{ Scan(...any) error }) (cloudfront.OriginAccessIdentity, error) {
	var o cloudfront.OriginAccessIdentity
	err := s.Scan(&o.ID, &o.AccountID, &o.Config.CallerReference, &o.Config.Comment, &o.S3CanonicalUserID, &o.ETag)
	return o, err
}

func (t *Tx) InsertOAI(o cloudfront.OriginAccessIdentity) error {
	if ok, err := t.exists(`SELECT 1 FROM oais WHERE id = $1`, o.ID); err != nil || ok {
		return existsErr(err, ok, "origin access identity", o.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM oais WHERE account_id = $1 AND caller_reference = $2`,
		o.AccountID, o.Config.CallerReference); err != nil || ok {
		return existsErr(err, ok, "origin access identity caller reference", o.Config.CallerReference)
	}
	if _, err := t.exec(`INSERT INTO oais (`+oaiCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		o.ID, o.AccountID, o.Config.CallerReference, o.Config.Comment, o.S3CanonicalUserID, o.ETag); err != nil {
		return t.constraint(err)
	}
	return t.counted("oais", o.AccountID, 1)
}

func (t *Tx) OAI(id string) (cloudfront.OriginAccessIdentity, error) {
	o, err := scanOAI(t.queryRow(`SELECT `+oaiCols+` FROM oais WHERE id = $1`, id))
	return o, notFound(err, "origin access identity", id)
}

func (t *Tx) OAIByCallerReference(accountID, callerReference string) (cloudfront.OriginAccessIdentity, error) {
	o, err := scanOAI(t.queryRow(`SELECT `+oaiCols+` FROM oais WHERE account_id = $1 AND caller_reference = $2`,
		accountID, callerReference))
	return o, notFound(err, "origin access identity caller reference", callerReference)
}

func (t *Tx) OAIs(accountID, after string, limit int) ([]cloudfront.OriginAccessIdentity, error) {
	return collect(t, scanOAI, `SELECT `+oaiCols+` FROM oais
		WHERE ($1 = '' OR account_id = $2) AND id > $3 ORDER BY id LIMIT $4`, accountID, accountID, after, noLimit(limit))
}

func (t *Tx) CountOAIs(accountID string) (int, error) { return t.countRows("oais", accountID) }

func (t *Tx) UpdateOAI(o cloudfront.OriginAccessIdentity) error {
	if err := t.moveCounted("oais", "origin access identity", o.ID, o.AccountID); err != nil {
		return err
	}
	if ok, err := t.exists(`SELECT 1 FROM oais WHERE account_id = $1 AND caller_reference = $2 AND id <> $3`,
		o.AccountID, o.Config.CallerReference, o.ID); err != nil || ok {
		return existsErr(err, ok, "origin access identity caller reference", o.Config.CallerReference)
	}
	_, err := t.exec(`UPDATE oais SET account_id = $1, caller_reference = $2, comment = $3, s3_canonical_user_id = $4, etag = $5
		WHERE id = $6`, o.AccountID, o.Config.CallerReference, o.Config.Comment, o.S3CanonicalUserID, o.ETag, o.ID)
	return t.constraint(err)
}

// DeleteOAI deletes the identity and its bucket grants.
func (t *Tx) DeleteOAI(id string) error {
	if err := t.deleteCounted("oais", "origin access identity", id); err != nil {
		return err
	}
	return t.dropBucketGrants("oai_id", id)
}
