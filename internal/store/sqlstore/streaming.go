package sqlstore

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

// Streaming distributions are a recordTable (records.go) like download
// distributions; their aliases live in distribution_aliases under
// streaming_distribution_id.

func (t *Tx) InsertStreamingDistribution(d cloudfront.StreamingDistribution) error {
	return streamingTable.insert(t, d)
}

func (t *Tx) StreamingDistribution(id string) (cloudfront.StreamingDistribution, error) {
	return streamingTable.get(t, id)
}

func (t *Tx) StreamingDistributionByCallerReference(accountID, callerReference string) (cloudfront.StreamingDistribution, error) {
	return streamingTable.byCallerReference(t, accountID, callerReference)
}

func (t *Tx) StreamingDistributions(accountID, after string, limit int) ([]cloudfront.StreamingDistribution, error) {
	return streamingTable.list(t, accountID, after, limit)
}

func (t *Tx) CountStreamingDistributions(accountID string) (int, error) {
	return streamingTable.count(t, accountID)
}

func (t *Tx) UpdateStreamingDistribution(d cloudfront.StreamingDistribution) error {
	return streamingTable.update(t, d)
}

func (t *Tx) DeleteStreamingDistribution(id string, revision int64) error {
	return streamingTable.delete(t, id, revision)
}

func (t *Tx) StreamingDistributionsChangedSince(rev int64) ([]cloudfront.StreamingDistribution, []string, error) {
	return streamingTable.changedSince(t, rev)
}
