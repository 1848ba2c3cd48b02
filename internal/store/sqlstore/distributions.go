package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

const distributionCols = `id, account_id, domain_name, etag, last_modified, revision, config`

func scanDistribution(s interface{ Scan(...any) error }) (cloudfront.Distribution, error) {
	var d cloudfront.Distribution
	var config string
	if err := s.Scan(&d.ID, &d.AccountID, &d.DomainName, &d.ETag, at(&d.LastModifiedTime), &d.Revision, &config); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(config), &d.Config); err != nil {
		return d, fmt.Errorf("distribution %q: decode config: %w", d.ID, err)
	}
	return d, nil
}

// checkDistribution returns ErrExists or ErrCNAMEInUse when d would break
// a uniqueness rule; self is the id whose own rows do not count (on
// update).
func (t *Tx) checkDistribution(d cloudfront.Distribution, self string) error {
	if ok, err := t.exists(`SELECT 1 FROM distributions WHERE account_id = $1 AND caller_reference = $2 AND id <> $3`,
		d.AccountID, d.Config.CallerReference, self); err != nil || ok {
		return existsErr(err, ok, "distribution caller reference", d.Config.CallerReference)
	}
	return t.checkAliases(d.Config.Aliases, "distribution_id", self)
}

// checkAliases returns ErrCNAMEInUse if any of aliases belongs to a
// distribution of either kind other than self, whose id is in the column
// owner of distribution_aliases. Rows of the other kind have NULL there.
func (t *Tx) checkAliases(aliases []string, owner, self string) error {
	for _, cname := range aliases {
		ok, err := t.exists(`SELECT 1 FROM distribution_aliases WHERE lower(cname) = lower($1) AND (`+owner+` IS NULL OR `+owner+` <> $2)`, cname, self)
		if err != nil {
			return err
		}
		if ok {
			return fmt.Errorf("CNAME %q: %w", cname, store.ErrCNAMEInUse)
		}
	}
	return nil
}

// insertAliases stores d's aliases.
func (t *Tx) insertAliases(d cloudfront.Distribution) error {
	return t.insertAliasRows(d.Config.Aliases, "distribution_id", d.ID)
}

// insertAliasRows stores aliases for the distribution id of the kind whose
// column is owner, each lower-cased name once (a distribution may list one
// name in two cases; it still owns it once).
func (t *Tx) insertAliasRows(aliases []string, owner, id string) error {
	seen := make(map[string]bool, len(aliases))
	for _, cname := range aliases {
		key := strings.ToLower(cname)
		if seen[key] {
			continue
		}
		seen[key] = true
		if _, err := t.exec(`INSERT INTO distribution_aliases (`+owner+`, cname) VALUES ($1, $2)`, id, cname); err != nil {
			return t.constraint(err)
		}
	}
	return nil
}

func (t *Tx) InsertDistribution(d cloudfront.Distribution) error {
	if ok, err := t.exists(`SELECT 1 FROM distributions WHERE id = $1`, d.ID); err != nil || ok {
		return existsErr(err, ok, "distribution", d.ID)
	}
	if err := t.checkDistribution(d, ""); err != nil {
		return err
	}
	config, err := json.Marshal(d.Config)
	if err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO distributions (`+distributionCols+`, caller_reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		d.ID, d.AccountID, d.DomainName, d.ETag, t.time(d.LastModifiedTime), d.Revision, string(config), d.Config.CallerReference); err != nil {
		return t.constraint(err)
	}
	if _, err := t.exec(`DELETE FROM distribution_tombstones WHERE id = $1`, d.ID); err != nil {
		return err
	}
	return t.insertAliases(d)
}

func (t *Tx) Distribution(id string) (cloudfront.Distribution, error) {
	d, err := scanDistribution(t.queryRow(`SELECT `+distributionCols+` FROM distributions WHERE id = $1`, id))
	return d, notFound(err, "distribution", id)
}

func (t *Tx) DistributionByCallerReference(accountID, callerReference string) (cloudfront.Distribution, error) {
	d, err := scanDistribution(t.queryRow(`SELECT `+distributionCols+` FROM distributions
		WHERE account_id = $1 AND caller_reference = $2`, accountID, callerReference))
	return d, notFound(err, "distribution caller reference", callerReference)
}

func (t *Tx) Distributions(accountID, after string, limit int) ([]cloudfront.Distribution, error) {
	return collect(t, scanDistribution, `SELECT `+distributionCols+` FROM distributions
		WHERE ($1 = '' OR account_id = $2) AND id > $3 ORDER BY id LIMIT $4`, accountID, accountID, after, noLimit(limit))
}

func (t *Tx) CountDistributions(accountID string) (int, error) {
	var n int
	err := t.queryRow(`SELECT count(*) FROM distributions WHERE $1 = '' OR account_id = $2`, accountID, accountID).Scan(&n)
	return n, err
}

func (t *Tx) UpdateDistribution(d cloudfront.Distribution) error {
	if ok, err := t.exists(`SELECT 1 FROM distributions WHERE id = $1`, d.ID); err != nil || !ok {
		return notFoundIf(err, ok, "distribution", d.ID)
	}
	if err := t.checkDistribution(d, d.ID); err != nil {
		return err
	}
	config, err := json.Marshal(d.Config)
	if err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE distributions SET account_id = $1, caller_reference = $2, domain_name = $3, etag = $4,
		last_modified = $5, revision = $6, config = $7 WHERE id = $8`,
		d.AccountID, d.Config.CallerReference, d.DomainName, d.ETag, t.time(d.LastModifiedTime), d.Revision, string(config), d.ID); err != nil {
		return t.constraint(err)
	}
	if _, err := t.exec(`DELETE FROM distribution_aliases WHERE distribution_id = $1`, d.ID); err != nil {
		return err
	}
	return t.insertAliases(d)
}

func (t *Tx) DeleteDistribution(id string, revision int64) error {
	res, err := t.exec(`DELETE FROM distributions WHERE id = $1`, id)
	if err := t.mustAffect(res, err, "distribution", id); err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO distribution_tombstones (id, revision) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET revision = excluded.revision`, id, revision)
	return err
}

func (t *Tx) DistributionsChangedSince(rev int64) ([]cloudfront.Distribution, []string, error) {
	changed, err := collect(t, scanDistribution, `SELECT `+distributionCols+` FROM distributions
		WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	deleted, err := collect(t, scanString, `SELECT id FROM distribution_tombstones WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	return changed, deleted, nil
}
