package controlplane

import (
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/store"
)

// invalidationStatus is Completed once every live edge the distribution's
// price class covers has acknowledged the invalidation's revision (and so
// purged its paths). The feed also records that in the store; deriving it
// here keeps reads exact between two passes of the feed.
func (s *Service) invalidationStatus(inv cloudfront.Invalidation, priceClass string, es []store.Edge) string {
	if inv.Status == cloudfront.StatusInProgress && feed.InvalidationDone(inv, priceClass, es, s.now(), s.edgeTimeout()) {
		return cloudfront.StatusCompleted
	}
	return inv.Status
}

// A distribution keeps its newest InvalidationsKept batches, and of those
// only the newest whose paths add up to InvalidationBytesKept; older ones
// are deleted in the transaction that creates a new batch. CloudFront
// keeps a distribution's history for the current and previous billing
// cycle (spec §3.1) and its console shows the last 100; a count rather
// than an age is what bounds storage under a create loop. 100 is one full
// ListInvalidations page at MaxItems' maximum. A batch can be 1 MiB (the
// API's body limit), so the count alone would allow 100 MiB per
// distribution and 10 GB per account; 4 MiB keeps 100 batches of 400
// paths of 100 characters, and bounds an account to 400 MiB. The newest
// batch always stays, and a batch some edge has not applied yet is never
// purged (purgeHorizon), whatever its age.
const (
	InvalidationsKept     = 100
	InvalidationBytesKept = 4 << 20
)

// purgeHorizon is the highest revision every edge still in service has
// applied: an edge purges its cache for an invalidation it receives in its
// feed delta, so a batch may only be forgotten once no such edge still has
// to receive it. With no edge, everything is applied.
//
// An edge not heard from for staleEdgeAfter does not hold purges back:
// otherwise one dead but registered edge would let every tenant's batches
// pile up for ever (the unbounded growth this rule exists to stop). Should
// it come back, it may serve objects whose invalidation it missed until
// their TTL ends (24 h by default, as long as it was away); an operator
// retires dead edges with `openfront admin edge delete`.
func purgeHorizon(es []store.Edge, now time.Time) int64 {
	h := int64(math.MaxInt64)
	for _, e := range es {
		if now.Sub(e.LastSeen) > staleEdgeAfter {
			continue
		}
		h = min(h, e.AckedRevision)
	}
	return h
}

// staleEdgeAfter: see purgeHorizon.
const staleEdgeAfter = 24 * time.Hour

// CreateInvalidation starts an invalidation batch for one of the account's
// distributions. A repeated CallerReference with the same paths answers with
// the existing batch (created is then false).
func (s *Service) CreateInvalidation(ctx context.Context, accountID, distID string, batch cloudfront.InvalidationBatch) (inv cloudfront.Invalidation, created bool, err error) {
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		created = false
		d, err := ownDistribution(tx, accountID, distID)
		if err != nil {
			return err
		}
		if err := s.rules().ValidateInvalidationBatch(&batch); err != nil {
			return err
		}
		es, err := s.edges(tx)
		if err != nil {
			return err
		}
		prev, err := tx.InvalidationByCallerReference(distID, batch.CallerReference)
		switch {
		case err == nil:
			if !slices.Equal(prev.Batch.Paths, batch.Paths) {
				return cloudfront.NewError(cloudfront.InvalidationBatchAlreadyExists)
			}
			inv = prev
			inv.Status = s.invalidationStatus(inv, d.Config.PriceClass, es)
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		// Only those stored InProgress can still be in progress.
		all, err := tx.InvalidationsWithStatus(distID, cloudfront.StatusInProgress)
		if err != nil {
			return err
		}
		inProgress := 0
		for _, i := range all {
			if s.invalidationStatus(i, d.Config.PriceClass, es) == cloudfront.StatusInProgress {
				inProgress++
			}
		}
		if inProgress >= s.limits().InvalidationBatchesInProgress {
			return cloudfront.NewError(cloudfront.TooManyInvalidationsInProgress)
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		inv = cloudfront.Invalidation{
			ID:             cloudfront.NewInvalidationID(),
			DistributionID: distID,
			Status:         cloudfront.StatusInProgress,
			CreateTime:     s.now(),
			Batch:          batch,
			Revision:       rev,
		}
		if err := tx.InsertInvalidation(inv); err != nil {
			return err
		}
		created = true
		_, err = tx.PurgeInvalidations(distID, InvalidationsKept, InvalidationBytesKept, purgeHorizon(es, s.now()))
		return err
	})
	if err != nil {
		return cloudfront.Invalidation{}, false, s.internal("CreateInvalidation", err)
	}
	if created {
		s.changed()
	}
	return inv, created, nil
}

// GetInvalidation returns one invalidation of one of the account's
// distributions.
func (s *Service) GetInvalidation(ctx context.Context, accountID, distID, id string) (cloudfront.Invalidation, error) {
	var inv cloudfront.Invalidation
	err := s.Store.View(ctx, func(tx store.Tx) error {
		d, err := ownDistribution(tx, accountID, distID)
		if err != nil {
			return err
		}
		inv, err = tx.Invalidation(distID, id)
		if errors.Is(err, store.ErrNotFound) {
			return cloudfront.NewError(cloudfront.NoSuchInvalidation)
		}
		if err != nil {
			return err
		}
		es, err := s.edges(tx)
		if err != nil {
			return err
		}
		inv.Status = s.invalidationStatus(inv, d.Config.PriceClass, es)
		return nil
	})
	if err != nil {
		return cloudfront.Invalidation{}, s.internal("GetInvalidation", err)
	}
	return inv, nil
}

// ListInvalidations lists a distribution's invalidations, newest first.
func (s *Service) ListInvalidations(ctx context.Context, accountID, distID string, p Page) (cloudfront.ListPage, []cloudfront.Invalidation, error) {
	return list(ctx, s, "ListInvalidations", p, func(i cloudfront.Invalidation) string { return i.ID },
		func(tx store.Tx, limit int) ([]cloudfront.Invalidation, error) {
			d, err := ownDistribution(tx, accountID, distID)
			if err != nil {
				return nil, err
			}
			items, err := tx.Invalidations(distID, p.Marker, limit)
			if errors.Is(err, store.ErrNotFound) {
				return nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The Marker does not name an invalidation of this distribution.")
			}
			if err != nil {
				return nil, err
			}
			es, err := s.edges(tx)
			if err != nil {
				return nil, err
			}
			for i := range items {
				items[i].Status = s.invalidationStatus(items[i], d.Config.PriceClass, es)
			}
			return items, nil
		})
}
