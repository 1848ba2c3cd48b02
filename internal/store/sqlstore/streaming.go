package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Streaming distributions mirror distributions.go, table for table; their
// aliases live in distribution_aliases under streaming_distribution_id.

const streamingCols = `id, account_id, domain_name, etag, last_modified, revision, config`

func scanStreaming(s interface{ Scan(...any) error }) (cloudfront.StreamingDistribution, error) {
	var d cloudfront.StreamingDistribution
	var config string
	if err := s.Scan(&d.ID, &d.AccountID, &d.DomainName, &d.ETag, at(&d.LastModifiedTime), &d.Revision, &config); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(config), &d.Config); err != nil {
		return d, fmt.Errorf("streaming distribution %q: decode config: %w", d.ID, err)
	}
	return d, nil
}

// checkStreaming returns ErrExists or ErrCNAMEInUse when d would break a
// uniqueness rule; self is the id whose own rows do not count (on update).
func (t *Tx) checkStreaming(d cloudfront.StreamingDistribution, self string) error {
	if ok, err := t.exists(`SELECT 1 FROM streaming_distributions WHERE account_id = $1 AND caller_reference = $2 AND id <> $3`,
		d.AccountID, d.Config.CallerReference, self); err != nil || ok {
		return existsErr(err, ok, "streaming distribution caller reference", d.Config.CallerReference)
	}
	return t.checkAliases(d.Config.Aliases, "streaming_distribution_id", self)
}

func (t *Tx) InsertStreamingDistribution(d cloudfront.StreamingDistribution) error {
	if ok, err := t.exists(`SELECT 1 FROM streaming_distributions WHERE id = $1`, d.ID); err != nil || ok {
		return existsErr(err, ok, "streaming distribution", d.ID)
	}
	if err := t.checkStreaming(d, ""); err != nil {
		return err
	}
	config, err := json.Marshal(d.Config)
	if err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO streaming_distributions (`+streamingCols+`, caller_reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		d.ID, d.AccountID, d.DomainName, d.ETag, t.time(d.LastModifiedTime), d.Revision, string(config), d.Config.CallerReference); err != nil {
		return t.constraint(err)
	}
	if _, err := t.exec(`DELETE FROM streaming_distribution_tombstones WHERE id = $1`, d.ID); err != nil {
		return err
	}
	return t.insertAliasRows(d.Config.Aliases, "streaming_distribution_id", d.ID)
}

func (t *Tx) StreamingDistribution(id string) (cloudfront.StreamingDistribution, error) {
	d, err := scanStreaming(t.queryRow(`SELECT `+streamingCols+` FROM streaming_distributions WHERE id = $1`, id))
	return d, notFound(err, "streaming distribution", id)
}

func (t *Tx) StreamingDistributionByCallerReference(accountID, callerReference string) (cloudfront.StreamingDistribution, error) {
	d, err := scanStreaming(t.queryRow(`SELECT `+streamingCols+` FROM streaming_distributions
		WHERE account_id = $1 AND caller_reference = $2`, accountID, callerReference))
	return d, notFound(err, "streaming distribution caller reference", callerReference)
}

func (t *Tx) StreamingDistributions(accountID, after string, limit int) ([]cloudfront.StreamingDistribution, error) {
	return collect(t, scanStreaming, `SELECT `+streamingCols+` FROM streaming_distributions
		WHERE ($1 = '' OR account_id = $2) AND id > $3 ORDER BY id LIMIT $4`, accountID, accountID, after, noLimit(limit))
}

func (t *Tx) CountStreamingDistributions(accountID string) (int, error) {
	var n int
	err := t.queryRow(`SELECT count(*) FROM streaming_distributions WHERE $1 = '' OR account_id = $2`, accountID, accountID).Scan(&n)
	return n, err
}

func (t *Tx) UpdateStreamingDistribution(d cloudfront.StreamingDistribution) error {
	if ok, err := t.exists(`SELECT 1 FROM streaming_distributions WHERE id = $1`, d.ID); err != nil || !ok {
		return notFoundIf(err, ok, "streaming distribution", d.ID)
	}
	if err := t.checkStreaming(d, d.ID); err != nil {
		return err
	}
	config, err := json.Marshal(d.Config)
	if err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE streaming_distributions SET account_id = $1, caller_reference = $2, domain_name = $3, etag = $4,
		last_modified = $5, revision = $6, config = $7 WHERE id = $8`,
		d.AccountID, d.Config.CallerReference, d.DomainName, d.ETag, t.time(d.LastModifiedTime), d.Revision, string(config), d.ID); err != nil {
		return t.constraint(err)
	}
	if _, err := t.exec(`DELETE FROM distribution_aliases WHERE streaming_distribution_id = $1`, d.ID); err != nil {
		return err
	}
	return t.insertAliasRows(d.Config.Aliases, "streaming_distribution_id", d.ID)
}

func (t *Tx) DeleteStreamingDistribution(id string, revision int64) error {
	res, err := t.exec(`DELETE FROM streaming_distributions WHERE id = $1`, id)
	if err := t.mustAffect(res, err, "streaming distribution", id); err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO streaming_distribution_tombstones (id, revision) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET revision = excluded.revision`, id, revision)
	return err
}

func (t *Tx) StreamingDistributionsChangedSince(rev int64) ([]cloudfront.StreamingDistribution, []string, error) {
	changed, err := collect(t, scanStreaming, `SELECT `+streamingCols+` FROM streaming_distributions
		WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	deleted, err := collect(t, scanString, `SELECT id FROM streaming_distribution_tombstones WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	return changed, deleted, nil
}
