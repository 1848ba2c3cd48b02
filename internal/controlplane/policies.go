package controlplane

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// The kinds distributions name by id (cache, origin request and response
// headers policies, origin access controls) are written once here. An
// account's own records go through the lifecycle, with the Name where
// other kinds keep a CallerReference: unique in the account, and no
// idempotency (their Create operations have no CallerReference).
// CloudFront's managed policies are in every account, read-only, and kept
// in package cloudfront, not in the store.
//
// Edges never see such a record itself: the distribution carries the
// config of each one it names (CacheBehavior.CachePolicy,
// .OriginRequestPolicy, .ResponseHeadersPolicy,
// Origin.OriginAccessControl), resolved whenever the distribution is
// written. A record's update rewrites the account's distributions that
// name it at the update's revision, so they are InProgress until every
// edge has them, as CloudFront's are; a record is not deleted while a
// distribution names it.

// policy is one such kind. R is its record, C its config.
type policy[R, C any] struct {
	*kind[R, C]
	what  string          // "cache policy", in messages
	inUse cloudfront.Code // a delete while a distribution names it
	// missing is the code for a distribution that names a record that
	// does not exist (optional: noSuch).
	missing cloudfront.Code
	// lookup is the name of its ListDistributionsBy… operation, if any.
	lookup string
	// managed and allManaged are CloudFront's own records of the kind
	// (optional).
	managed    func(id string) (R, bool)
	allManaged func() []R
	// refs calls f for every place cfg names a record of the kind: its
	// id, and set, which stores the resolved config there (nil clears).
	refs func(cfg *cloudfront.DistributionConfig, f func(id string, set func(*C)))
	// prepare checks a resolved config, and completes it, before it is
	// stored in a distribution (optional): an OAC's type, a key group's
	// keys.
	prepare func(tx store.Tx, accountID string, c *C) error
}

// names reports whether cfg names the record id.
func (p *policy[R, C]) names(cfg *cloudfront.DistributionConfig, id string) bool {
	found := false
	p.refs(cfg, func(ref string, _ func(*C)) { found = found || ref == id })
	return found
}

// newPolicy completes a policy kind's lifecycle hooks.
func newPolicy[R, C any](p *policy[R, C]) *policy[R, C] {
	if p.missing == "" {
		p.missing = p.noSuch
	}
	if p.managed == nil {
		p.managed = func(string) (R, bool) { var zero R; return zero, false }
		p.allManaged = func() []R { return nil }
	}
	p.uniqueName = true
	if p.check == nil {
		p.check = func(*Service, store.Tx, string, *C, *C) error { return nil }
	}
	if p.decorate == nil {
		p.decorate = func(*Service, store.Tx, *R) error { return nil }
	}
	p.deletable = func(_ *Service, tx store.Tx, r *R) error {
		m := p.members(r)
		ds, err := p.using(tx, *m.AccountID, *m.ID)
		if err != nil {
			return err
		}
		if len(ds) > 0 {
			return cloudfront.NewError(p.inUse)
		}
		return nil
	}
	if p.onUpdate == nil {
		p.onUpdate = func(_ *Service, tx store.Tx, r *R) error { return p.redeploy(tx, r) }
	}
	return p
}

// redeploy rewrites, at the record's revision, each distribution of its
// account that names it with its newly resolved config, so that they are
// InProgress until every edge has it; their ETags stay.
func (p *policy[R, C]) redeploy(tx store.Tx, r *R) error {
	m := p.members(r)
	ds, err := p.using(tx, *m.AccountID, *m.ID)
	if err != nil {
		return err
	}
	resolved := *m.Config
	if p.prepare != nil {
		if err := p.prepare(tx, *m.AccountID, &resolved); err != nil {
			return err
		}
	}
	for _, d := range ds {
		p.refs(&d.Config, func(ref string, set func(*C)) {
			if ref == *m.ID {
				c := resolved
				set(&c)
			}
		})
		d.Revision = *m.Revision
		if err := tx.DistributionRecords().Update(d); err != nil {
			return err
		}
	}
	return nil
}

// using lists the account's distributions that name the record id. An
// account holds at most a few hundred distributions, and this runs only
// on a record's update and delete and on the ListDistributionsBy…
// lookups.
func (p *policy[R, C]) using(tx store.Tx, accountID, id string) ([]cloudfront.Distribution, error) {
	all, err := tx.Distributions(accountID, "", 0)
	if err != nil {
		return nil, err
	}
	var out []cloudfront.Distribution
	for _, d := range all {
		if p.names(&d.Config, id) {
			out = append(out, d)
		}
	}
	return out, nil
}

// find is the managed policy id, or the account's own; another
// account's policy is as absent as a missing one.
func (p *policy[R, C]) find(tx store.Tx, accountID, id string) (R, error) {
	if r, ok := p.managed(id); ok {
		return r, nil
	}
	r, err := p.own(tx, accountID, id)
	var cfErr *cloudfront.Error
	if errors.As(err, &cfErr) {
		return r, cloudfront.Errorf(p.noSuch, "The %s %s does not exist.", p.what, id)
	}
	return r, err
}

// resolveIn stores, at every place cfg names a record of the kind, the
// record's config.
func (p *policy[R, C]) resolveIn(tx store.Tx, accountID string, cfg *cloudfront.DistributionConfig) error {
	var err error
	p.refs(cfg, func(id string, set func(*C)) {
		set(nil)
		if id == "" || err != nil {
			return
		}
		var r R
		if r, err = p.find(tx, accountID, id); err != nil {
			if errors.As(err, new(*cloudfront.Error)) {
				err = cloudfront.Errorf(p.missing, "The %s %s does not exist.", p.what, id)
			}
			return
		}
		c := *p.members(&r).Config
		if p.prepare != nil {
			if err = p.prepare(tx, accountID, &c); err != nil {
				return
			}
		}
		set(&c)
	})
	return err
}

// resolveReferences stores in cfg the configs of the records it names.
func resolveReferences(tx store.Tx, accountID string, cfg *cloudfront.DistributionConfig) error {
	for _, resolve := range []func(store.Tx, string, *cloudfront.DistributionConfig) error{
		cachePolicies.resolveIn, originRequestPolicies.resolveIn, responseHeadersPolicies.resolveIn,
		originAccessControls.resolveIn, keyGroups.resolveIn, functions.resolveIn,
	} {
		if err := resolve(tx, accountID, cfg); err != nil {
			return err
		}
	}
	return nil
}

// Policies are the operations of one kind this file serves (a policy
// kind, or origin access controls), as the API layer calls them.
type Policies[R, C any] struct {
	s *Service
	p *policy[R, C]
}

// Create creates a custom policy. There are no tags: CloudFront does not
// tag policies.
func (ps Policies[R, C]) Create(ctx context.Context, accountID string, cfg C, _ []cloudfront.Tag) (R, bool, error) {
	if err := ps.refuseManagedName(&cfg); err != nil {
		var zero R
		return zero, false, err
	}
	return createResource(ctx, ps.s, ps.p.kind, accountID, cfg, nil)
}

// Get returns a managed policy or one of the account's.
func (ps Policies[R, C]) Get(ctx context.Context, accountID, id string) (R, error) {
	if r, ok := ps.p.managed(id); ok {
		return r, nil
	}
	return getResource(ctx, ps.s, ps.p.kind, accountID, id)
}

// Update replaces a custom policy's config and redeploys the
// distributions that use it. Managed policies are IllegalUpdate.
func (ps Policies[R, C]) Update(ctx context.Context, accountID, id, ifMatch string, cfg C) (R, error) {
	var zero R
	if _, ok := ps.p.managed(id); ok {
		return zero, cloudfront.Errorf(cloudfront.IllegalUpdate, "The managed %s %s cannot be updated.", ps.p.what, id)
	}
	if err := ps.refuseManagedName(&cfg); err != nil {
		return zero, err
	}
	return updateResource(ctx, ps.s, ps.p.kind, accountID, id, ifMatch, cfg, nil)
}

// Delete deletes a custom policy no behaviour of the account names.
// Managed policies are IllegalDelete.
func (ps Policies[R, C]) Delete(ctx context.Context, accountID, id, ifMatch string) error {
	if _, ok := ps.p.managed(id); ok {
		return cloudfront.Errorf(cloudfront.IllegalDelete, "The managed %s %s cannot be deleted.", ps.p.what, id)
	}
	return deleteResource(ctx, ps.s, ps.p.kind, accountID, id, ifMatch)
}

// List lists one page of the records of type typ ("managed", "custom",
// or "" for both) in id order. An account has few custom ones (20
// policies, 100 OACs by default), so both kinds are merged in memory.
func (ps Policies[R, C]) List(ctx context.Context, accountID, typ string, p Page) (cloudfront.ListPage, []R, error) {
	switch typ {
	case "", cloudfront.CachePolicyManaged, cloudfront.CachePolicyCustom:
	default:
		return cloudfront.ListPage{}, nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The value of Type must be managed or custom, not %q.", typ)
	}
	id := func(r R) string { return *ps.p.members(&r).ID }
	return list(ctx, ps.s, "List"+ps.p.name+"s", p, id, func(tx store.Tx, limit int) ([]R, error) {
		var all []R
		if typ != cloudfront.CachePolicyCustom {
			all = ps.p.allManaged()
		}
		if typ != cloudfront.CachePolicyManaged {
			own, err := ps.p.records(tx).List(accountID, "", 0)
			if err != nil {
				return nil, err
			}
			all = append(all, own...)
		}
		slices.SortFunc(all, func(a, b R) int { return cmp.Compare(id(a), id(b)) })
		all = slices.DeleteFunc(all, func(r R) bool { return id(r) <= p.Marker })
		return all[:min(limit, len(all))], nil
	})
}

// DistributionIDs lists one page of the ids of the account's
// distributions with a behaviour that names the policy, managed or the
// account's own (the ListDistributionsBy…Id operations).
func (ps Policies[R, C]) DistributionIDs(ctx context.Context, accountID, id string, p Page) (cloudfront.ListPage, []string, error) {
	return list(ctx, ps.s, ps.p.lookup, p, func(id string) string { return id },
		func(tx store.Tx, limit int) ([]string, error) {
			if _, err := ps.p.find(tx, accountID, id); err != nil {
				return nil, err
			}
			ds, err := ps.p.using(tx, accountID, id)
			if err != nil {
				return nil, err
			}
			var ids []string
			for _, d := range ds {
				if d.ID > p.Marker {
					ids = append(ids, d.ID)
				}
			}
			return ids[:min(limit, len(ids))], nil
		})
}

// refuseManagedName: a custom policy may not take a managed policy's
// name, so that a lookup by name (Terraform's data sources) finds one.
func (ps Policies[R, C]) refuseManagedName(cfg *C) error {
	name := ps.p.callerReference(cfg)
	for _, m := range ps.p.allManaged() {
		if ps.p.callerReference(ps.p.members(&m).Config) == name {
			return cloudfront.NewError(ps.p.alreadyExists)
		}
	}
	return nil
}
