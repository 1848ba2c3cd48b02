package sqlstore

import (
	"time"

	"encoding/json"
	"fmt"

	"github.com/openfront/openfront/internal/cloudfront"
)

const invalidationCols = `id, distribution_id, caller_reference, status, create_time, paths, revision`

func scanInvalidation(s interface{ Scan(...any) error }) (cloudfront.Invalidation, error) {
	var inv cloudfront.Invalidation
	var paths string
	if err := s.Scan(&inv.ID, &inv.DistributionID, &inv.Batch.CallerReference, &inv.Status, at(&inv.CreateTime), &paths, &inv.Revision); err != nil {
		return inv, err
	}
	if err := json.Unmarshal([]byte(paths), &inv.Batch.Paths); err != nil {
		return inv, fmt.Errorf("invalidation %q: decode paths: %w", inv.ID, err)
	}
	return inv, nil
}

func (t *Tx) InsertInvalidation(inv cloudfront.Invalidation) error {
	if ok, err := t.exists(`SELECT 1 FROM invalidations WHERE id = $1`, inv.ID); err != nil || ok {
		return existsErr(err, ok, "invalidation", inv.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM invalidations WHERE distribution_id = $1 AND caller_reference = $2`,
		inv.DistributionID, inv.Batch.CallerReference); err != nil || ok {
		return existsErr(err, ok, "invalidation caller reference", inv.Batch.CallerReference)
	}
	paths, err := json.Marshal(inv.Batch.Paths)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO invalidations (`+invalidationCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		inv.ID, inv.DistributionID, inv.Batch.CallerReference, inv.Status, t.time(inv.CreateTime), string(paths), inv.Revision)
	return t.constraint(err)
}

func (t *Tx) Invalidation(distID, id string) (cloudfront.Invalidation, error) {
	inv, err := scanInvalidation(t.queryRow(`SELECT `+invalidationCols+` FROM invalidations
		WHERE distribution_id = $1 AND id = $2`, distID, id))
	return inv, notFound(err, "invalidation", id)
}

func (t *Tx) InvalidationByCallerReference(distID, callerReference string) (cloudfront.Invalidation, error) {
	inv, err := scanInvalidation(t.queryRow(`SELECT `+invalidationCols+` FROM invalidations
		WHERE distribution_id = $1 AND caller_reference = $2`, distID, callerReference))
	return inv, notFound(err, "invalidation caller reference", callerReference)
}

func (t *Tx) Invalidations(distID, after string, limit int) ([]cloudfront.Invalidation, error) {
	if after == "" {
		return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
			WHERE distribution_id = $1 ORDER BY create_time DESC, seq DESC LIMIT $2`, distID, noLimit(limit))
	}
	var created time.Time
	var seq int64
	err := t.queryRow(`SELECT create_time, seq FROM invalidations WHERE distribution_id = $1 AND id = $2`,
		distID, after).Scan(at(&created), &seq)
	if err != nil {
		return nil, notFound(err, "invalidation", after)
	}
	return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
		WHERE distribution_id = $1 AND (create_time < $2 OR (create_time = $3 AND seq < $4))
		ORDER BY create_time DESC, seq DESC LIMIT $5`, distID, t.time(created), t.time(created), seq, noLimit(limit))
}

func (t *Tx) InvalidationsWithStatus(distID, status string) ([]cloudfront.Invalidation, error) {
	if distID == "" {
		return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
		WHERE status = $1 ORDER BY seq`, status)
	}
	// Two statements rather than one with "$2 = '' OR": a plan must serve
	// both, so neither database used the distribution's index.
	return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
		WHERE distribution_id = $1 AND status = $2 ORDER BY seq`, distID, status)
}

func (t *Tx) UpdateInvalidation(inv cloudfront.Invalidation) error {
	res, err := t.exec(`UPDATE invalidations SET status = $1 WHERE distribution_id = $2 AND id = $3`,
		inv.Status, inv.DistributionID, inv.ID)
	return t.mustAffect(res, err, "invalidation", inv.ID)
}

func (t *Tx) InvalidationsChangedSince(rev int64) ([]cloudfront.Invalidation, error) {
	return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
		WHERE revision > $1 ORDER BY revision, seq`, rev)
}
