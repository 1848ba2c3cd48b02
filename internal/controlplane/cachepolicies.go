package controlplane

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// cachePolicies is the custom cache policy's part in the lifecycle. Its
// Name stands where other kinds have a CallerReference: unique in the
// account, and no idempotency (CreateCachePolicy has no CallerReference).
// Edges never see a policy itself: each distribution carries the config
// of the policies its behaviours name (CacheBehavior.CachePolicy), so an
// update rewrites those distributions at its revision, and they are
// InProgress until every edge has them, as CloudFront's are.
var cachePolicies = &kind[cloudfront.CachePolicy, cloudfront.CachePolicyConfig]{
	name:          "CachePolicy",
	noSuch:        cloudfront.NoSuchCachePolicy,
	alreadyExists: cloudfront.CachePolicyAlreadyExists,
	tooMany:       cloudfront.TooManyCachePolicies,
	members: func(p *cloudfront.CachePolicy) members[cloudfront.CachePolicyConfig] {
		return members[cloudfront.CachePolicyConfig]{ID: &p.ID, AccountID: &p.AccountID, ETag: &p.ETag,
			LastModified: &p.LastModifiedTime, Revision: &p.Revision, Config: &p.Config}
	},
	callerReference: func(c *cloudfront.CachePolicyConfig) string { return c.Name },
	uniqueName:      true,
	normalize:       cloudfront.NormalizeCachePolicyConfig,
	validate:        (*cloudfront.Rules).ValidateCachePolicyConfig,
	equal:           cloudfront.EqualCachePolicyConfigs,
	check: func(*Service, store.Tx, string, *cloudfront.CachePolicyConfig, *cloudfront.CachePolicyConfig) error {
		return nil
	},
	limit: func(l cloudfront.Limits) int { return l.CachePoliciesPerAccount },
	count: func(tx store.Tx, accountID string) (int, error) { return tx.CachePolicyRecords().Count(accountID) },
	arn:   cloudfront.CachePolicyARN,
	deletable: func(_ *Service, tx store.Tx, p *cloudfront.CachePolicy) error {
		ds, err := distributionsUsing(tx, p.AccountID, p.ID)
		if err != nil {
			return err
		}
		if len(ds) > 0 {
			return cloudfront.NewError(cloudfront.CachePolicyInUse)
		}
		return nil
	},
	onUpdate: func(_ *Service, tx store.Tx, p *cloudfront.CachePolicy) error {
		ds, err := distributionsUsing(tx, p.AccountID, p.ID)
		if err != nil {
			return err
		}
		for _, d := range ds {
			resolveInto(&d.Config, p)
			d.Revision = p.Revision
			if err := tx.DistributionRecords().Update(d); err != nil {
				return err
			}
		}
		return nil
	},
	decorate: func(*Service, store.Tx, *cloudfront.CachePolicy) error { return nil },
	records:  store.Tx.CachePolicyRecords,
}

// distributionsUsing lists the account's distributions with a behaviour
// that names the cache policy id. An account holds at most a few hundred
// distributions, and this runs only on a policy's update and delete.
func distributionsUsing(tx store.Tx, accountID, id string) ([]cloudfront.Distribution, error) {
	all, err := tx.Distributions(accountID, "", 0)
	if err != nil {
		return nil, err
	}
	var out []cloudfront.Distribution
	for _, d := range all {
		if slices.ContainsFunc(d.Config.Behaviors(), func(b *cloudfront.CacheBehavior) bool { return b.CachePolicyID == id }) {
			out = append(out, d)
		}
	}
	return out, nil
}

// resolveInto sets the config of policy p on every behaviour of cfg that
// names it.
func resolveInto(cfg *cloudfront.DistributionConfig, p *cloudfront.CachePolicy) {
	for _, b := range cfg.Behaviors() {
		if b.CachePolicyID == p.ID {
			c := p.Config
			b.CachePolicy = &c
		}
	}
}

// resolveCachePolicies gives every behaviour of cfg the config of the
// cache policy it names: one of CloudFront's managed policies or one of
// the account's own. Another account's policy is as absent as a missing
// one.
func resolveCachePolicies(tx store.Tx, accountID string, cfg *cloudfront.DistributionConfig) error {
	for _, b := range cfg.Behaviors() {
		b.CachePolicy = nil
		if b.CachePolicyID == "" {
			continue
		}
		p, err := cachePolicyOf(tx, accountID, b.CachePolicyID)
		if err != nil {
			return err
		}
		c := p.Config
		b.CachePolicy = &c
	}
	return nil
}

// cachePolicyOf is the managed policy id, or the account's own.
func cachePolicyOf(tx store.Tx, accountID, id string) (cloudfront.CachePolicy, error) {
	if p, ok := cloudfront.ManagedCachePolicy(id); ok {
		return p, nil
	}
	p, err := cachePolicies.own(tx, accountID, id)
	var cfErr *cloudfront.Error
	if errors.As(err, &cfErr) {
		return p, cloudfront.Errorf(cloudfront.NoSuchCachePolicy, "The cache policy %s does not exist.", id)
	}
	return p, err
}

// CachePolicies are the cache policies' operations: the account's own
// through the lifecycle, and CloudFront's managed ones, which every
// account can read and none can change.
type CachePolicies struct{ s *Service }

// CachePolicies returns the cache policies' operations.
func (s *Service) CachePolicies() CachePolicies { return CachePolicies{s} }

// Create creates a custom cache policy. There are no tags: CloudFront
// does not tag cache policies.
func (c CachePolicies) Create(ctx context.Context, accountID string, cfg cloudfront.CachePolicyConfig, _ []cloudfront.Tag) (cloudfront.CachePolicy, bool, error) {
	if err := refuseManagedName(cfg.Name); err != nil {
		return cloudfront.CachePolicy{}, false, err
	}
	return createResource(ctx, c.s, cachePolicies, accountID, cfg, nil)
}

// Get returns a managed policy or one of the account's.
func (c CachePolicies) Get(ctx context.Context, accountID, id string) (cloudfront.CachePolicy, error) {
	if p, ok := cloudfront.ManagedCachePolicy(id); ok {
		return p, nil
	}
	return getResource(ctx, c.s, cachePolicies, accountID, id)
}

// Update replaces a custom policy's config and redeploys the
// distributions that use it. Managed policies are IllegalUpdate.
func (c CachePolicies) Update(ctx context.Context, accountID, id, ifMatch string, cfg cloudfront.CachePolicyConfig) (cloudfront.CachePolicy, error) {
	if _, ok := cloudfront.ManagedCachePolicy(id); ok {
		return cloudfront.CachePolicy{}, cloudfront.Errorf(cloudfront.IllegalUpdate, "The managed cache policy %s cannot be updated.", id)
	}
	if err := refuseManagedName(cfg.Name); err != nil {
		return cloudfront.CachePolicy{}, err
	}
	return updateResource(ctx, c.s, cachePolicies, accountID, id, ifMatch, cfg, nil)
}

// Delete deletes a custom policy no behaviour of the account names.
// Managed policies are IllegalDelete.
func (c CachePolicies) Delete(ctx context.Context, accountID, id, ifMatch string) error {
	if _, ok := cloudfront.ManagedCachePolicy(id); ok {
		return cloudfront.Errorf(cloudfront.IllegalDelete, "The managed cache policy %s cannot be deleted.", id)
	}
	return deleteResource(ctx, c.s, cachePolicies, accountID, id, ifMatch)
}

// List lists one page of the policies of type typ ("managed", "custom",
// or "" for both) in id order. An account has few custom policies (the
// limit is 20 by default), so both kinds are merged in memory.
func (c CachePolicies) List(ctx context.Context, accountID, typ string, p Page) (cloudfront.ListPage, []cloudfront.CachePolicy, error) {
	switch typ {
	case "", cloudfront.CachePolicyManaged, cloudfront.CachePolicyCustom:
	default:
		return cloudfront.ListPage{}, nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The value of Type must be managed or custom, not %q.", typ)
	}
	return list(ctx, c.s, "ListCachePolicies", p, func(p cloudfront.CachePolicy) string { return p.ID },
		func(tx store.Tx, limit int) ([]cloudfront.CachePolicy, error) {
			var all []cloudfront.CachePolicy
			if typ != cloudfront.CachePolicyCustom {
				all = cloudfront.ManagedCachePolicies()
			}
			if typ != cloudfront.CachePolicyManaged {
				own, err := tx.CachePolicyRecords().List(accountID, "", 0)
				if err != nil {
					return nil, err
				}
				all = append(all, own...)
			}
			slices.SortFunc(all, func(a, b cloudfront.CachePolicy) int { return cmp.Compare(a.ID, b.ID) })
			i, _ := slices.BinarySearchFunc(all, p.Marker, func(x cloudfront.CachePolicy, m string) int {
				if cmp.Compare(x.ID, m) <= 0 {
					return -1
				}
				return 1
			})
			all = all[i:]
			return all[:min(limit, len(all))], nil
		})
}

// DistributionIDs lists one page of the ids of the account's
// distributions with a behaviour that names the policy, managed or the
// account's own (ListDistributionsByCachePolicyId).
func (c CachePolicies) DistributionIDs(ctx context.Context, accountID, id string, p Page) (cloudfront.ListPage, []string, error) {
	return list(ctx, c.s, "ListDistributionsByCachePolicyId", p, func(id string) string { return id },
		func(tx store.Tx, limit int) ([]string, error) {
			if _, err := cachePolicyOf(tx, accountID, id); err != nil {
				return nil, err
			}
			ds, err := distributionsUsing(tx, accountID, id)
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
// name, so that a lookup by name (Terraform's data source) finds one.
func refuseManagedName(name string) error {
	for _, m := range cloudfront.ManagedCachePolicies() {
		if m.Config.Name == name {
			return cloudfront.NewError(cloudfront.CachePolicyAlreadyExists)
		}
	}
	return nil
}
