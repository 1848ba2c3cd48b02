// Package controlplane implements the CloudFront operations over the store:
// it validates, assigns ids, ETags and domain names, keeps every write in
// one transaction, and derives what CloudFront reports (Status, active
// trusted signers, invalidations in progress).
package controlplane

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/store"
)

// Service is the control plane's operations. Its fields are set once
// before use.
type Service struct {
	Store store.Store
	// Rules validates configurations; the zero value means
	// cloudfront.DefaultRules().
	Rules *cloudfront.Rules
	// DomainSuffix follows the "dxxxxxxxxxxxxx." label of a distribution's
	// domain name.
	DomainSuffix string
	// EdgeTimeout is how long an edge stays live without a heartbeat.
	EdgeTimeout time.Duration
	// Changed is called after every committed write that edges must see;
	// nil means nobody listens (the feed polls the store).
	Changed func()
	// EdgeOverlay, if set, adds to the edges read from the store what
	// this node's feed heard from them and has not written yet
	// (feed.Server.Overlay), so Status on this node need not wait for the
	// feed's batched writes.
	EdgeOverlay func([]store.Edge) []store.Edge
	Logger      *slog.Logger
	// ReadS3Object reads an object through the operator's S3 credentials
	// (a key value store's ImportSource); nil means this control plane
	// has none, and imports are refused.
	ReadS3Object func(ctx context.Context, bucket, key string) ([]byte, error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var defaultRules = cloudfront.DefaultRules()

// rules returns the validation rules, with DomainSuffix set to the
// service's when the rules leave it empty, so that no alias can lie under
// the assigned domain names.
func (s *Service) rules() *cloudfront.Rules {
	r := &defaultRules
	if s.Rules != nil {
		r = s.Rules
	}
	if r.DomainSuffix == "" && s.DomainSuffix != "" {
		c := *r
		c.DomainSuffix = s.DomainSuffix
		return &c
	}
	return r
}

func (s *Service) limits() cloudfront.Limits { return s.rules().EffectiveLimits() }

func (s *Service) edgeTimeout() time.Duration {
	if s.EdgeTimeout > 0 {
		return s.EdgeTimeout
	}
	return 15 * time.Second
}

func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}

// Page is a list request's paging parameters, as received.
type Page struct {
	Marker   string
	MaxItems string
}

// maxListItems is the largest and the default MaxItems (spec §3.1).
const maxListItems = 100

// parse checks MaxItems: a positive integer; values over 100 are lowered to
// 100, the most CloudFront returns in one page.
func (p Page) parse() (int, error) {
	if p.MaxItems == "" {
		return maxListItems, nil
	}
	n, err := strconv.Atoi(p.MaxItems)
	if err != nil || n < 1 {
		return 0, cloudfront.Errorf(cloudfront.InvalidArgument, "MaxItems must be a positive integer.")
	}
	return min(n, maxListItems), nil
}

// list runs one list operation: it checks MaxItems, fetches in one read
// transaction a page and one item more (which tells whether the list goes
// on), and fills in the paging elements. fetch gets the number of items to
// read after p.Marker.
func list[T any](ctx context.Context, s *Service, op string, p Page, id func(T) string,
	fetch func(tx store.Tx, limit int) ([]T, error)) (cloudfront.ListPage, []T, error) {
	max, err := p.parse()
	if err != nil {
		return cloudfront.ListPage{}, nil, err
	}
	var items []T
	err = s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		items, err = fetch(tx, max+1)
		return err
	})
	if err != nil {
		return cloudfront.ListPage{}, nil, s.internal(op, err)
	}
	lp := cloudfront.ListPage{Marker: p.Marker, MaxItems: max}
	if len(items) > max {
		items = items[:max]
		lp.IsTruncated = true
		lp.NextMarker = id(items[max-1])
	}
	return lp, items, nil
}

// internal wraps an unexpected store error so the client sees InternalError
// and the log keeps the cause.
func (s *Service) internal(op string, err error) error {
	var cfErr *cloudfront.Error
	if errors.As(err, &cfErr) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, store.ErrNoSpace) {
		// Nothing was written; the client may retry (SDKs retry 503s).
		if s.Logger != nil {
			s.Logger.Error("store is out of space", "op", op, "err", err)
		}
		return cloudfront.Errorf(cloudfront.ServiceUnavailable, "The service cannot store more data right now. Please try again later.")
	}
	if s.Logger != nil {
		s.Logger.Error("store operation failed", "op", op, "err", err)
	}
	return &internalError{op: op, err: err}
}

type internalError struct {
	op  string
	err error
}

func (e *internalError) Error() string { return e.op + ": " + e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// cnameError turns the store's ErrCNAMEInUse into CNAMEAlreadyExists, for
// distributions of either kind.
func cnameError(err error) error {
	if errors.Is(err, store.ErrCNAMEInUse) {
		return cloudfront.NewError(cloudfront.CNAMEAlreadyExists)
	}
	return err
}

// edges lists the registered edges, for Status, with what this node
// heard from them and has not stored yet (EdgeOverlay).
func (s *Service) edges(tx store.Tx) ([]store.Edge, error) {
	es, err := tx.Edges()
	if err != nil {
		return nil, err
	}
	return s.overlay(es), nil
}

// edgesProbe is how many of the edges behind a revision decorateTx reads
// first: enough to find one that holds a fresh change up.
const edgesProbe = 8

// edgesBehind is what Status and invalidation statuses need of the
// edges for revisions up to rev: the edges behind rev (the others hold
// nothing up, as the overlay only raises what the store has), overlaid.
// With probe, only edgesProbe of them, the most recently seen, when
// those are enough to say that rev is not deployed (an edge among them
// is live, behind and covered by priceClass). Reading every edge was a
// tenth of a create's CPU with 50 edges, for an answer (InProgress) the
// first live edge gives.
func (s *Service) edgesBehind(tx store.Tx, rev int64, priceClass string, probe bool) ([]store.Edge, error) {
	if probe {
		es, err := tx.EdgesBehind(rev, edgesProbe)
		if err != nil || len(es) < edgesProbe {
			return s.overlay(es), err
		}
		es = s.overlay(es)
		if !feed.Acked(rev, priceClass, es, s.now(), s.edgeTimeout()) {
			return es, nil
		}
	}
	es, err := tx.EdgesBehind(rev, 0)
	return s.overlay(es), err
}

func (s *Service) overlay(es []store.Edge) []store.Edge {
	if s.EdgeOverlay == nil {
		return es
	}
	return s.EdgeOverlay(es)
}

// status derives a distribution's Status from the edges' acknowledgements.
func (s *Service) status(d cloudfront.Distribution, es []store.Edge) string {
	return feed.DistributionStatus(d, es, s.now(), s.edgeTimeout())
}
