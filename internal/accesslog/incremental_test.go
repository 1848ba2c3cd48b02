package accesslog

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// TestUpdateIncrementalMatchesFull applies random sequences of creates,
// updates and deletes of distributions (logging on and off, buckets
// granted or not, names that are not safe) and of bucket grants and
// revocations (to the account, to every bucket, to an OAI), and after
// every revision compares the Writer updated revision by revision with
// one given that snapshot alone: which distributions log where, each
// one's share of the buffer, the refusals. A distribution whose settings
// did not change keeps its distLog (a batch in progress continues).
func TestUpdateIncrementalMatchesFull(t *testing.T) {
	accounts := []string{"111111111111", "222222222222", "333333333333"}
	bucketNames := []string{"logs-a", "logs-b", "Bad_Bucket"}
	for seed := range uint64(10) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 3))
			w := updateWriter(t)
			var snap *feed.Snapshot
			var prev map[string]*distLog
			for step := range 300 {
				d := &feed.Delta{Revision: int64(step + 1)}
				if snap != nil {
					d.From = snap.Revision
				}
				for range 1 + r.IntN(3) {
					switch r.IntN(10) {
					case 0, 1:
						d.DeletedDistributions = append(d.DeletedDistributions, fmt.Sprintf("E%02d", r.IntN(20)))
					case 2:
						g := buckets.Grant{Bucket: []string{"logs-a", "logs-b", buckets.Every}[r.IntN(3)]}
						if r.IntN(4) == 0 {
							g.OAIID = "EOAI"
						} else {
							g.AccountID = accounts[r.IntN(len(accounts))]
						}
						if r.IntN(2) == 0 {
							d.DeletedBucketGrants = append(d.DeletedBucketGrants, g.Key())
						} else {
							d.BucketGrants = append(d.BucketGrants, g)
						}
					default:
						id := r.IntN(20)
						dist := cloudfront.Distribution{ID: fmt.Sprintf("E%02d", id), DomainName: fmt.Sprintf("d%02d.cloudfront.test", id),
							AccountID: accounts[r.IntN(len(accounts))]}
						dist.Config.Logging = cloudfront.Logging{Enabled: r.IntN(4) > 0,
							Bucket: bucketNames[r.IntN(len(bucketNames))] + ".s3.amazonaws.com",
							Prefix: []string{"", "p/", "../up"}[r.IntN(3)]}
						d.Distributions = append(d.Distributions, dist)
					}
				}
				next, err := feed.Merge(snap, d)
				if err != nil {
					t.Fatal(err)
				}
				snap = next
				w.Update(snap.Distributions, snap.BucketGrants)
				full := updateWriter(t)
				full.Update(snap.Distributions, snap.BucketGrants)
				got, want := logState(w), logState(full)
				if !maps.Equal(got, want) {
					t.Fatalf("step %d: incremental\n%v\nfull rebuild\n%v", step, got, want)
				}
				if !maps.Equal(w.refused, full.refused) {
					t.Fatalf("step %d: refused %v, full rebuild %v", step, w.refused, full.refused)
				}
				now := maps.Collect(w.conf.Load().dists.All())
				for id, dl := range now {
					if o := prev[id]; o != nil && *o == *dl && o != dl {
						t.Fatalf("step %d: %s's settings did not change but its distLog did", step, id)
					}
				}
				prev = now
			}
		})
	}
}

func updateWriter(t *testing.T) *Writer {
	w, err := New(Options{Sink: &FolderSink{Root: t.TempDir()}, FlushEvery: time.Hour, MaxBufferedBytes: 3 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(t.Context()) })
	return w
}

// logState is where each logging distribution's lines go and its share.
func logState(w *Writer) map[string]string {
	c := w.conf.Load()
	out := map[string]string{}
	for id, d := range c.dists.All() {
		out[id] = fmt.Sprintf("%+v share %d", *d, c.share(id, w.opts.MaxBufferedBytes))
	}
	return out
}
