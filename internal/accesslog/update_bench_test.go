package accesslog

import (
	"fmt"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// BenchmarkUpdateOneChange is an edge's access-log work per revision: one
// distribution of 10,000 (all logging, 100 accounts) changes, alternately
// to and from the same two records, as feed.Merge hands them on.
func BenchmarkUpdateOneChange(b *testing.B) {
	const n = 10000
	full := &feed.Delta{Revision: 1, Full: true}
	for i := range n {
		acct := fmt.Sprintf("%012d", i%100)
		full.Distributions = append(full.Distributions, cloudfront.Distribution{ID: fmt.Sprintf("E%08d", i),
			DomainName: fmt.Sprintf("d%08d.cloudfront.test", i), AccountID: acct,
			Config: cloudfront.DistributionConfig{Logging: cloudfront.Logging{Enabled: true, Bucket: "logs-" + acct + ".s3.amazonaws.com"}}})
		if i < 100 {
			full.BucketGrants = append(full.BucketGrants, buckets.Grant{Bucket: "logs-" + acct, AccountID: acct})
		}
	}
	a, err := feed.Merge(nil, full)
	if err != nil {
		b.Fatal(err)
	}
	changed := *a.Distributions[n/2]
	changed.Config.Logging.Prefix = "changed/"
	bb, err := feed.Merge(a, &feed.Delta{From: 1, Revision: 2, Distributions: []cloudfront.Distribution{changed}})
	if err != nil {
		b.Fatal(err)
	}
	w, err := New(Options{Sink: &FolderSink{Root: b.TempDir()}, FlushEvery: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { w.Close(b.Context()) })
	w.Update(a.Distributions, a.BucketGrants)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s := bb
		if i%2 == 1 {
			s = a
		}
		w.Update(s.Distributions, s.BucketGrants)
	}
}
