package edge

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// BenchmarkApplyOneChange is an edge's cost of one revision that changes
// one distribution of 2,000, as a create burst brings: the feed client's
// merge and the edge's Apply (the snapshot file is the feed package's:
// BenchmarkJournalAppend).
func BenchmarkApplyOneChange(b *testing.B) {
	const n = 2000
	var full feed.Delta
	if err := json.Unmarshal(snapshotJSON(b, n), &full); err != nil {
		b.Fatal(err)
	}
	for i := range full.Distributions {
		full.Distributions[i].Revision = int64(i + 1)
	}
	s, err := New(Options{Registerer: prometheus.NewRegistry(), CacheSize: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	snap, err := feed.Merge(nil, &full)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Apply(snap, nil); err != nil {
		b.Fatal(err)
	}
	rev := snap.Revision
	for b.Loop() {
		rev++
		d := *snap.Distributions[int(rev)%n] // a copy: the snapshot stays as applied
		d.Revision, d.ETag = rev, fmt.Sprintf("ETAG%d", rev)
		d.Config.Comment = d.ETag
		next, err := feed.Merge(snap, &feed.Delta{From: snap.Revision, Revision: rev, Distributions: []cloudfront.Distribution{d}})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Apply(next, nil); err != nil {
			b.Fatal(err)
		}
		snap = next
	}
}
