package controlplane

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// checkAliasesFree refuses an alias that is some distribution's assigned
// DomainName with CNAMEAlreadyExists: CloudFront's rule that a CNAME
// belongs to one distribution across all accounts (spec §5.6) covers the
// names it assigns too. Then any other name under the domain suffix is
// InvalidArgument: it may be assigned tomorrow.
func (s *Service) checkAliasesFree(tx store.Tx, aliases []string) error {
	for _, a := range aliases {
		taken, err := tx.DomainNameTaken(a)
		if err != nil {
			return err
		}
		if taken {
			return cloudfront.Errorf(cloudfront.CNAMEAlreadyExists,
				"The CNAME %q is the domain name of another distribution.", a)
		}
	}
	return s.rules().CheckAliasesUnderSuffix(aliases)
}

// HostConflict is an alias, stored before the rules that refuse it, that
// could route another distribution's viewers.
type HostConflict struct {
	Alias string
	// Owner is the id of the distribution (or streaming distribution) that
	// lists the alias; OwnerAccount its account.
	Owner, OwnerAccount string
	// Holder is the id of the distribution whose DomainName the alias is,
	// or "" when the alias is only under the domain suffix.
	Holder string
	Reason string
}

func (c HostConflict) String() string {
	if c.Holder != "" {
		return fmt.Sprintf("alias %s of %s (account %s) is the domain name of %s", c.Alias, c.Owner, c.OwnerAccount, c.Holder)
	}
	return fmt.Sprintf("alias %s of %s (account %s) %s", c.Alias, c.Owner, c.OwnerAccount, c.Reason)
}

// HostConflicts lists the stored aliases that today's rules refuse: the
// DomainName of another distribution, a name under the domain suffix, an
// IP literal or a single label. The edge routes an assigned DomainName to
// its owner whatever the aliases say; these are reported so an operator
// can remove them. Ordered by owner id, then alias.
func (s *Service) HostConflicts(ctx context.Context) ([]HostConflict, error) {
	type owner struct {
		id, account string
		aliases     []string
	}
	var owners []owner
	domains := map[string]string{} // lower-case DomainName → id
	err := s.Store.View(ctx, func(tx store.Tx) error {
		owners, domains = nil, map[string]string{}
		ds, err := tx.Distributions("", "", 0)
		if err != nil {
			return err
		}
		for _, d := range ds {
			domains[strings.ToLower(d.DomainName)] = d.ID
			owners = append(owners, owner{d.ID, d.AccountID, d.Config.Aliases})
		}
		sds, err := tx.StreamingDistributions("", "", 0)
		if err != nil {
			return err
		}
		for _, d := range sds {
			domains[strings.ToLower(d.DomainName)] = d.ID
			owners = append(owners, owner{d.ID, d.AccountID, d.Config.Aliases})
		}
		return nil
	})
	if err != nil {
		return nil, s.internal("HostConflicts", err)
	}
	slices.SortFunc(owners, func(a, b owner) int { return strings.Compare(a.id, b.id) })
	var out []HostConflict
	rules := s.rules()
	for _, o := range owners {
		for _, a := range o.aliases {
			c := HostConflict{Alias: a, Owner: o.id, OwnerAccount: o.account}
			if holder, ok := domains[strings.ToLower(a)]; ok && holder != o.id {
				c.Holder = holder
			} else if err := rules.CheckAlias(a); err != nil {
				c.Reason = "is refused today: " + cloudfront.AsError(err).Message
			} else {
				continue
			}
			out = append(out, c)
		}
	}
	return out, nil
}
