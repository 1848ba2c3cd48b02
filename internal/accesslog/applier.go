package accesslog

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// WrapApplier returns an Applier that passes each snapshot's distributions
// and bucket grants to w.Update and then applies the snapshot to next. Updating first means
// the first requests the new snapshot serves already find their logging
// settings.
func WrapApplier(next feed.Applier, w *Writer) feed.Applier {
	return applier{next: next, w: w}
}

type applier struct {
	next feed.Applier
	w    *Writer
}

func (a applier) Apply(s *feed.Snapshot, invalidations []cloudfront.Invalidation) error {
	if s != nil {
		a.w.Update(s.Distributions, s.BucketGrants)
	}
	return a.next.Apply(s, invalidations)
}
