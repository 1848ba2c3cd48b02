package sqlstore

// PurgeInvalidations deletes, in one statement, distID's invalidations
// after its newest keep, or after its newest that reach keepBytes of
// stored paths, whose revision is at most maxRevision. The window numbers
// the rows in Invalidations' order and sums their paths' sizes up to each.
func (t *Tx) PurgeInvalidations(distID string, keep int, keepBytes, maxRevision int64) (int, error) {
	n, err := t.exec(`DELETE FROM invalidations WHERE seq IN (
		SELECT seq FROM (
			SELECT seq, revision,
				row_number() OVER w AS n,
				sum(length(paths)) OVER w AS bytes
			FROM invalidations WHERE distribution_id = $1
			WINDOW w AS (ORDER BY create_time DESC, seq DESC)
		) ranked
		WHERE n > 1 AND (n > $2 OR bytes > $3) AND revision <= $4)`,
		distID, int64(max(keep, 1)), keepBytes, maxRevision)
	return int(n), err
}

func (t *Tx) DeleteInvalidations(distID string) error {
	_, err := t.exec(`DELETE FROM invalidations WHERE distribution_id = $1`, distID)
	return err
}
