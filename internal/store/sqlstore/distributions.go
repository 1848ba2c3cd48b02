package sqlstore

import (
	"fmt"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

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

// Distributions are a recordTable (records.go).

func (t *Tx) InsertDistribution(d cloudfront.Distribution) error {
	return distributionTable.insert(t, d)
}

func (t *Tx) Distribution(id string) (cloudfront.Distribution, error) {
	return distributionTable.get(t, id)
}

func (t *Tx) DistributionByCallerReference(accountID, callerReference string) (cloudfront.Distribution, error) {
	return distributionTable.byCallerReference(t, accountID, callerReference)
}

func (t *Tx) Distributions(accountID, after string, limit int) ([]cloudfront.Distribution, error) {
	return distributionTable.list(t, accountID, after, limit)
}

func (t *Tx) CountDistributions(accountID string) (int, error) {
	return distributionTable.count(t, accountID)
}

func (t *Tx) UpdateDistribution(d cloudfront.Distribution) error {
	return distributionTable.update(t, d)
}

func (t *Tx) DeleteDistribution(id string, revision int64) error {
	return distributionTable.delete(t, id, revision)
}

func (t *Tx) DistributionsChangedSince(rev int64) ([]cloudfront.Distribution, []string, error) {
	return distributionTable.changedSince(t, rev)
}
