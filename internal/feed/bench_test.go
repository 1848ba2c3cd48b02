package feed

import (
	"context"
	"net/http"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// signaller is an Applier that reports each applied revision.
type signaller chan int64

func (s signaller) Apply(snap *Snapshot, _ []cloudfront.Invalidation) error {
	s <- snap.Revision
	return nil
}

// BenchmarkWriteToApply measures a change's trip: store write and Notify
// on the control plane, to Apply on an edge.
func BenchmarkWriteToApply(b *testing.B) {
	for _, mode := range []string{"http", "in-process"} {
		b.Run(mode, func(b *testing.B) {
			f := newTestFeed(b)
			c := f.newClient("bench", "100", b.TempDir())
			if mode == "in-process" {
				c.HTTPClient = &http.Client{Transport: HandlerTransport(f.srv.Handler())}
			}
			applied := make(signaller, 1)
			c.Applier = applied
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- c.Run(ctx) }()
			defer func() { cancel(); <-done }()
			// Wait for the first full snapshot before timing.
			want := f.putDistribution("EBENCHEXAMPLE", cloudfront.PriceClassAll)
			for rev := <-applied; rev < want; rev = <-applied {
			}
			for b.Loop() {
				want := f.putDistribution("EBENCHEXAMPLE", cloudfront.PriceClassAll)
				for rev := <-applied; rev < want; rev = <-applied {
				}
			}
		})
	}
}
