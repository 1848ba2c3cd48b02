package feed

import (
	"context"
	"errors"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// completeEvery is how often Run looks for invalidations to complete
// without being woken by an ack (acks may reach another node).
const completeEvery = time.Second

// Complete marks Completed every InProgress invalidation that all live
// edges covered by its distribution's price class have acknowledged. An
// invalidation whose distribution is gone has nothing left to purge and
// is completed too. It returns how many it completed.
func (s *Server) Complete(ctx context.Context) (int, error) {
	var done []cloudfront.Invalidation
	now := s.now()
	err := s.Store.View(ctx, func(tx store.Tx) error {
		done = done[:0]
		pending, err := tx.InvalidationsWithStatus("", cloudfront.StatusInProgress)
		if err != nil || len(pending) == 0 {
			return err
		}
		edges, err := tx.Edges()
		if err != nil {
			return err
		}
		edges = s.Overlay(edges)
		classes := map[string]string{}
		for _, inv := range pending {
			pc, ok := classes[inv.DistributionID]
			if !ok {
				d, err := tx.Distribution(inv.DistributionID)
				switch {
				case errors.Is(err, store.ErrNotFound):
					pc = ""
				case err != nil:
					return err
				default:
					pc = d.Config.PriceClass
				}
				classes[inv.DistributionID] = pc
			}
			if InvalidationDone(inv, pc, edges, now, s.timeout()) {
				done = append(done, inv)
			}
		}
		return nil
	})
	if err != nil || len(done) == 0 {
		return 0, err
	}
	n := 0
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		n = 0
		for _, inv := range done {
			cur, err := tx.Invalidation(inv.DistributionID, inv.ID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if cur.Status != cloudfront.StatusInProgress {
				continue
			}
			cur.Status = cloudfront.StatusCompleted
			if err := tx.UpdateInvalidation(cur); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Run completes invalidations until ctx is done: after each ack this
// server receives, and every second for acks received by other nodes and
// edges that stopped being live. It returns ctx's error.
//
// Run also listens for other nodes' writes when the store is a
// RevisionWatcher, and writes the pending acknowledgements when ctx ends.
func (s *Server) Run(ctx context.Context) error {
	s.init()
	if w, ok := s.Store.(RevisionWatcher); ok {
		go w.WatchRevisions(ctx, s.Notify, func(on bool) {
			if s.listening.Swap(on) != on && !on && ctx.Err() == nil {
				s.logger().Warn("feed: not listening for other nodes' writes; polling until listening again")
			}
		})
	}
	defer func() {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.Flush(fctx); err != nil {
			s.logger().Warn("feed: writing acknowledgements at shutdown", "err", err)
		}
	}()
	t := time.NewTicker(completeEvery)
	defer t.Stop()
	for {
		n, err := s.Complete(ctx)
		if err != nil && ctx.Err() == nil {
			s.logger().Warn("feed: completing invalidations", "err", err)
		} else if n > 0 {
			s.logger().Info("feed: invalidations completed", "count", n)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-s.acked:
			// Acks of every edge arrive after each change: one pass per
			// completeAfterAck covers them all, where one per ack cost a
			// store read per edge per change.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(completeAfterAck):
			}
		}
	}
}

// completeAfterAck is how long Run lets acknowledgements gather before it
// looks for invalidations they complete.
const completeAfterAck = 20 * time.Millisecond

// wakeRun makes Run look again soon; it never blocks.
func (s *Server) wakeRun() {
	s.init()
	select {
	case s.acked <- struct{}{}:
	default:
	}
}
