package sqlstore

// PurgeInvalidations deletes, in one statement, distID's invalidations
// beyond its newest keep (the order Invalidations lists) whose revision is
// at most maxRevision.
func (t *Tx) PurgeInvalidations(distID string, keep int, maxRevision int64) (int, error) {
	n, err := t.exec(`DELETE FROM invalidations WHERE distribution_id = $1 AND revision <= $2
		AND seq NOT IN (SELECT seq FROM invalidations WHERE distribution_id = $3
			ORDER BY create_time DESC, seq DESC LIMIT $4)`, distID, maxRevision, distID, int64(max(keep, 0)))
	return int(n), err
}
