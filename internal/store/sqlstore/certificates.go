package sqlstore

import (
	"encoding/json"

	"github.com/openfront/openfront/internal/store"
)

const certificateCols = `arn, account_id, certificate_pem, chain_pem, private_key_pem, names, not_before, not_after, created, revision`

func scanCertificate(s interface{ Scan(...any) error }) (store.Certificate, error) {
	var c store.Certificate
	var names string
	err := s.Scan(&c.ARN, &c.AccountID, &c.CertificatePEM, &c.ChainPEM, &c.PrivateKeyPEM, &names,
		at(&c.NotBefore), at(&c.NotAfter), at(&c.Created), &c.Revision)
	if err == nil {
		err = json.Unmarshal([]byte(names), &c.Names)
	}
	return c, err
}

func (t *Tx) InsertCertificate(c store.Certificate) error {
	if ok, err := t.exists(`SELECT 1 FROM certificates WHERE arn = $1`, c.ARN); err != nil || ok {
		return existsErr(err, ok, "certificate", c.ARN)
	}
	if ok, err := t.exists(`SELECT 1 FROM accounts WHERE id = $1`, c.AccountID); err != nil || !ok {
		return notFoundIf(err, ok, "account", c.AccountID)
	}
	names, err := json.Marshal(append([]string{}, c.Names...))
	if err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO certificates (`+certificateCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.ARN, c.AccountID, c.CertificatePEM, c.ChainPEM, c.PrivateKeyPEM, string(names),
		t.time(c.NotBefore), t.time(c.NotAfter), t.time(c.Created), c.Revision); err != nil {
		return t.constraint(err)
	}
	_, err = t.exec(`DELETE FROM certificate_tombstones WHERE arn = $1`, c.ARN)
	return err
}

func (t *Tx) Certificate(arn string) (store.Certificate, error) {
	c, err := scanCertificate(t.queryRow(`SELECT `+certificateCols+` FROM certificates WHERE arn = $1`, arn))
	return c, notFound(err, "certificate", arn)
}

func (t *Tx) Certificates(accountID string) ([]store.Certificate, error) {
	return collect(t, scanCertificate, `SELECT `+certificateCols+` FROM certificates
		WHERE $1 = '' OR account_id = $2 ORDER BY arn`, accountID, accountID)
}

func (t *Tx) DeleteCertificate(arn string, revision int64) error {
	res, err := t.exec(`DELETE FROM certificates WHERE arn = $1`, arn)
	if err := t.mustAffect(res, err, "certificate", arn); err != nil {
		return err
	}
	return t.tombstoneCertificate(arn, revision)
}

func (t *Tx) tombstoneCertificate(arn string, revision int64) error {
	_, err := t.exec(`INSERT INTO certificate_tombstones (arn, revision) VALUES ($1, $2)
		ON CONFLICT (arn) DO UPDATE SET revision = excluded.revision`, arn, revision)
	return err
}

// dropCertificates tombstones the account's certificates at a new
// revision; the rows go with the account (ON DELETE CASCADE).
func (t *Tx) dropCertificates(accountID string) error {
	arns, err := collect(t, scanString, `SELECT arn FROM certificates WHERE account_id = $1`, accountID)
	if err != nil || len(arns) == 0 {
		return err
	}
	rev, err := t.NextRevision()
	if err != nil {
		return err
	}
	for _, a := range arns {
		if err := t.tombstoneCertificate(a, rev); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) CertificatesChangedSince(rev int64) ([]store.Certificate, []string, error) {
	changed, err := collect(t, scanCertificate, `SELECT `+certificateCols+` FROM certificates
		WHERE revision > $1 ORDER BY revision, arn`, rev)
	if err != nil {
		return nil, nil, err
	}
	deleted, err := collect(t, scanString, `SELECT arn FROM certificate_tombstones WHERE revision > $1 ORDER BY revision, arn`, rev)
	if err != nil {
		return nil, nil, err
	}
	return changed, deleted, nil
}
