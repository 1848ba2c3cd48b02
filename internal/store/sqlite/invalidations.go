package sqlite

import (
	"encoding/json"
	"fmt"

	"github.com/openfront/openfront/internal/cloudfront"
)

const invalidationCols = `id, distribution_id, caller_reference, status, create_time, paths, revision`

func scanInvalidation(s interface{ Scan(...any) error }) (cloudfront.Invalidation, error) {
	var inv cloudfront.Invalidation
	var created int64
	var paths string
	if err := s.Scan(&inv.ID, &inv.DistributionID, &inv.Batch.CallerReference, &inv.Status, &created, &paths, &inv.Revision); err != nil {
		return inv, err
	}
	inv.CreateTime = fromMicros(created)
	if err := json.Unmarshal([]byte(paths), &inv.Batch.Paths); err != nil {
		return inv, fmt.Errorf("invalidation %q: decode paths: %w", inv.ID, err)
	}
	return inv, nil
}

func (t *tx) InsertInvalidation(inv cloudfront.Invalidation) error {
	if ok, err := t.exists(`SELECT 1 FROM invalidations WHERE id = ?`, inv.ID); err != nil || ok {
		return existsErr(err, ok, "invalidation", inv.ID)
	}
	if ok, err := t.exists(`SELECT 1 FROM invalidations WHERE distribution_id = ? AND caller_reference = ?`,
		inv.DistributionID, inv.Batch.CallerReference); err != nil || ok {
		return existsErr(err, ok, "invalidation caller reference", inv.Batch.CallerReference)
	}
	paths, err := json.Marshal(inv.Batch.Paths)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO invalidations (`+invalidationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		inv.ID, inv.DistributionID, inv.Batch.CallerReference, inv.Status, micros(inv.CreateTime), string(paths), inv.Revision)
	return constraint(err)
}

func (t *tx) Invalidation(distID, id string) (cloudfront.Invalidation, error) {
	inv, err := scanInvalidation(t.queryRow(`SELECT `+invalidationCols+` FROM invalidations
		WHERE distribution_id = ? AND id = ?`, distID, id))
	return inv, notFound(err, "invalidation", id)
}

func (t *tx) InvalidationByCallerReference(distID, callerReference string) (cloudfront.Invalidation, error) {
	inv, err := scanInvalidation(t.queryRow(`SELECT `+invalidationCols+` FROM invalidations
		WHERE distribution_id = ? AND caller_reference = ?`, distID, callerReference))
	return inv, notFound(err, "invalidation caller reference", callerReference)
}

func (t *tx) Invalidations(distID, after string, limit int) ([]cloudfront.Invalidation, error) {
	if limit <= 0 {
		limit = -1
	}
	if after == "" {
		return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
			WHERE distribution_id = ? ORDER BY create_time DESC, seq DESC LIMIT ?`, distID, limit)
	}
	var created, seq int64
	err := t.queryRow(`SELECT create_time, seq FROM invalidations WHERE distribution_id = ? AND id = ?`,
		distID, after).Scan(&created, &seq)
	if err != nil {
		return nil, notFound(err, "invalidation", after)
	}
	return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
		WHERE distribution_id = ? AND (create_time < ? OR (create_time = ? AND seq < ?))
		ORDER BY create_time DESC, seq DESC LIMIT ?`, distID, created, created, seq, limit)
}

func (t *tx) InvalidationsWithStatus(status string) ([]cloudfront.Invalidation, error) {
	return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
		WHERE status = ? ORDER BY seq`, status)
}

func (t *tx) UpdateInvalidation(inv cloudfront.Invalidation) error {
	res, err := t.exec(`UPDATE invalidations SET status = ? WHERE distribution_id = ? AND id = ?`,
		inv.Status, inv.DistributionID, inv.ID)
	return mustAffect(res, err, "invalidation", inv.ID)
}

func (t *tx) InvalidationsChangedSince(rev int64) ([]cloudfront.Invalidation, error) {
	return collect(t, scanInvalidation, `SELECT `+invalidationCols+` FROM invalidations
		WHERE revision > ? ORDER BY revision, seq`, rev)
}
