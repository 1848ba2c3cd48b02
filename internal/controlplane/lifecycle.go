package controlplane

import (
	"context"
	"errors"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// The lifecycle most resource kinds of API 2020-05-31 share, written once:
// create (idempotent by CallerReference), get, update guarded by If-Match,
// delete guarded by If-Match and the kind's own condition, list with
// Marker/MaxItems. A kind supplies its validation, references, store
// access and derived fields (kind); the order of the checks, the
// transactions, the feed revisions, the tags and the error codes are the
// lifecycle's, so every kind answers alike.

// members points at the members every record of the lifecycle has, so
// that one implementation can read and set them whatever the record type.
type members[C any] struct {
	ID, AccountID, ETag *string
	DomainName          *string // nil for kinds without one
	Status              *string // nil for kinds without one
	LastModified        *time.Time
	Created             *time.Time // nil for kinds without one; set on create only
	Revision            *int64
	Config              *C
}

// kind is one resource kind's part in the lifecycle: R is its record, C
// its config. Hooks marked optional may be nil.
type kind[R, C any] struct {
	name string // "Distribution": operations are Create<name>, Get<name>, …

	noSuch        cloudfront.Code // the record does not exist (or is another account's)
	alreadyExists cloudfront.Code // a CallerReference reused with another config
	tooMany       cloudfront.Code // the per-account limit is reached

	members         func(*R) members[C]
	callerReference func(*C) string
	// uniqueName: callerReference is a name the account's records must
	// not share (a cache policy's Name), not an idempotency token: a
	// create that repeats it is alreadyExists whatever its config, and
	// an update may change it to a name no other record has.
	uniqueName bool
	aliases    func(*C) []string // names that must be free (optional)

	normalize func(*C)
	validate  func(*cloudfront.Rules, *C) error
	equal     func(a, b *C) bool
	// check checks what cfg names in the database, in the write
	// transaction; old is nil on create.
	check func(s *Service, tx store.Tx, accountID string, cfg, old *C) error
	// limit is the per-account limit and count what counts against it.
	limit func(cloudfront.Limits) int
	count func(tx store.Tx, accountID string) (int, error)
	// newID makes a new record's id (optional: NewResourceID).
	newID func(accountID string, cfg *C) string
	// newDomainLabel makes the first label of a new record's DomainName
	// (optional).
	newDomainLabel func() string
	arn            func(accountID, id string) string
	// enabled, for kinds that must be disabled and Deployed before they
	// are deleted (optional; then notDisabled and status are set).
	enabled     func(*C) bool
	notDisabled cloudfront.Code
	// deletable refuses a delete for the kind's own reasons, such as a
	// policy still in use (optional). If-Match is checked before it.
	deletable func(s *Service, tx store.Tx, r *R) error
	// onUpdate carries an updated record to what depends on it, in the
	// update's transaction and at its feed revision (optional).
	onUpdate func(s *Service, tx store.Tx, r *R) error
	// onDelete removes what the record owns besides its tags (optional).
	onDelete func(tx store.Tx, id string) error
	// decorate derives the record's computed members.
	decorate func(s *Service, tx store.Tx, r *R) error
	// decorateCreated is decorate for a record its create just made
	// (optional; decorate otherwise): nothing refers to it yet, so what
	// decorate would look up about it (a distribution's invalidations)
	// is known to be empty.
	decorateCreated func(s *Service, tx store.Tx, r *R) error
	// status derives a listed record's Status (optional; then
	// members.Status is not nil).
	status func(s *Service, r R, es []store.Edge) string

	// records are the kind's records in the store.
	records func(store.Tx) store.Records[R]
}

// own loads a record of the account; another account's record is simply
// not found.
func (k *kind[R, C]) own(tx store.Tx, accountID, id string) (R, error) {
	r, err := k.records(tx).Get(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && *k.members(&r).AccountID != accountID) {
		var zero R
		return zero, cloudfront.NewError(k.noSuch)
	}
	return r, err
}

func (k *kind[R, C]) checkAliases(s *Service, tx store.Tx, cfg *C) error {
	if k.aliases == nil {
		return nil
	}
	return s.checkAliasesFree(tx, k.aliases(cfg))
}

// storeError is the kind's answer to a write the store refused: a CNAME
// another record holds, or (for kinds with uniqueName) a name another
// record of the account has.
func (k *kind[R, C]) storeError(err error) error {
	if k.uniqueName && errors.Is(err, store.ErrExists) {
		return cloudfront.NewError(k.alreadyExists)
	}
	return cnameError(err)
}

// createResource creates a record for the account, tagged with tags in
// the same transaction. A repeated CallerReference with an equal config
// answers with the existing record (created false) and leaves its tags as
// they are; with another config it is the kind's alreadyExists.
func createResource[R, C any](ctx context.Context, s *Service, k *kind[R, C], accountID string, cfg C, tags []cloudfront.Tag) (r R, created bool, err error) {
	var zero R
	if err := cloudfront.ValidateTags(tags); err != nil {
		return zero, false, err
	}
	k.normalize(&cfg)
	if err := k.validate(s.rules(), &cfg); err != nil {
		return zero, false, err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		created = false
		prev, err := k.records(tx).ByCallerReference(accountID, k.callerReference(&cfg))
		switch {
		case err == nil:
			if k.uniqueName || !k.equal(k.members(&prev).Config, &cfg) {
				return cloudfront.NewError(k.alreadyExists)
			}
			r = prev
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		n, err := k.count(tx, accountID)
		if err != nil {
			return err
		}
		if n >= k.limit(s.limits()) {
			return cloudfront.NewError(k.tooMany)
		}
		if err := k.check(s, tx, accountID, &cfg, nil); err != nil {
			return err
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		r = zero
		m := k.members(&r)
		*m.ID = cloudfront.NewResourceID()
		if k.newID != nil {
			*m.ID = k.newID(accountID, &cfg)
		}
		*m.AccountID = accountID
		*m.LastModified = s.now()
		if k.newDomainLabel != nil {
			*m.DomainName = k.newDomainLabel() + "." + s.DomainSuffix
		}
		*m.Config = cfg
		if m.Created != nil {
			*m.Created = *m.LastModified
		}
		*m.ETag = cloudfront.NewETag()
		*m.Revision = rev
		if err := k.checkAliases(s, tx, &cfg); err != nil {
			return err
		}
		if err := k.records(tx).Insert(r); err != nil {
			return k.storeError(err)
		}
		if len(tags) > 0 {
			if err := tx.SetTags(k.arn(accountID, *m.ID), tags); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	if err != nil {
		return zero, false, s.internal("Create"+k.name, err)
	}
	decorate := k.decorate
	if created {
		s.changed()
		if k.decorateCreated != nil {
			decorate = k.decorateCreated
		}
	}
	r, err = decorateResource(ctx, s, k, r, decorate)
	return r, created, err
}

// getResource returns one of the account's records, decorated.
func getResource[R, C any](ctx context.Context, s *Service, k *kind[R, C], accountID, id string) (R, error) {
	var r R
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if r, err = k.own(tx, accountID, id); err != nil {
			return err
		}
		return k.decorate(s, tx, &r)
	})
	if err != nil {
		var zero R
		return zero, s.internal("Get"+k.name, err)
	}
	return r, nil
}

// updateResource replaces a record's config. ifMatch must be its current
// ETag and the CallerReference must not change (spec §5.2); keep, when
// not nil, first carries over from the old config what the request's API
// version cannot express.
func updateResource[R, C any](ctx context.Context, s *Service, k *kind[R, C], accountID, id, ifMatch string, cfg C, keep func(old, cfg *C) error) (R, error) {
	var zero R
	if ifMatch == "" {
		return zero, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	k.normalize(&cfg)
	var r R
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if r, err = k.own(tx, accountID, id); err != nil {
			return err
		}
		m := k.members(&r)
		oldRef := k.callerReference(m.Config)
		if k.uniqueName {
			oldRef = k.callerReference(&cfg) // the name may change
		}
		if err := checkUpdate(ifMatch, *m.ETag, oldRef, k.callerReference(&cfg)); err != nil {
			return err
		}
		if keep != nil {
			if err := keep(m.Config, &cfg); err != nil {
				return err
			}
		}
		if err := k.validate(s.rules(), &cfg); err != nil {
			return err
		}
		if err := k.check(s, tx, accountID, &cfg, m.Config); err != nil {
			return err
		}
		if *m.Revision, err = tx.NextRevision(); err != nil {
			return err
		}
		if err := k.checkAliases(s, tx, &cfg); err != nil {
			return err
		}
		*m.Config = cfg
		*m.ETag = cloudfront.NewETag()
		*m.LastModified = s.now()
		if err := k.records(tx).Update(r); err != nil {
			return k.storeError(err)
		}
		if k.onUpdate != nil {
			return k.onUpdate(s, tx, &r)
		}
		return nil
	})
	if err != nil {
		return zero, s.internal("Update"+k.name, err)
	}
	s.changed()
	return decorateResource(ctx, s, k, r, k.decorate)
}

// deleteResource deletes a record: ifMatch must be its current ETag, then
// the kind must allow it. Its tags go with it, in the same transaction.
func deleteResource[R, C any](ctx context.Context, s *Service, k *kind[R, C], accountID, id, ifMatch string) error {
	if ifMatch == "" {
		return cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		r, err := k.own(tx, accountID, id)
		if err != nil {
			return err
		}
		if ifMatch != *k.members(&r).ETag {
			return cloudfront.NewError(cloudfront.PreconditionFailed)
		}
		if k.enabled != nil {
			es, err := s.edges(tx)
			if err != nil {
				return err
			}
			if err := checkDisabled(k.enabled(k.members(&r).Config), k.status(s, r, es), k.notDisabled); err != nil {
				return err
			}
		}
		if k.deletable != nil {
			if err := k.deletable(s, tx, &r); err != nil {
				return err
			}
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		if k.onDelete != nil {
			if err := k.onDelete(tx, id); err != nil {
				return err
			}
		}
		if err := tx.SetTags(k.arn(accountID, id), nil); err != nil {
			return err
		}
		return k.records(tx).Delete(id, rev)
	})
	if err != nil {
		return s.internal("Delete"+k.name, err)
	}
	s.changed()
	return nil
}

// listResources lists one page of the account's records.
func listResources[R, C any](ctx context.Context, s *Service, k *kind[R, C], accountID string, p Page) (cloudfront.ListPage, []R, error) {
	return list(ctx, s, "List"+k.name+"s", p, func(r R) string { return *k.members(&r).ID },
		func(tx store.Tx, limit int) ([]R, error) {
			items, err := k.records(tx).List(accountID, p.Marker, limit)
			if err != nil || k.status == nil {
				return items, err
			}
			es, err := s.edges(tx)
			if err != nil {
				return nil, err
			}
			for i := range items {
				*k.members(&items[i]).Status = k.status(s, items[i], es)
			}
			return items, nil
		})
}

// decorateResource derives r's computed members by decorate (k's
// decorate, or decorateCreated) in a fresh read transaction.
func decorateResource[R, C any](ctx context.Context, s *Service, k *kind[R, C], r R, decorate func(*Service, store.Tx, *R) error) (R, error) {
	err := s.Store.View(ctx, func(tx store.Tx) error { return decorate(s, tx, &r) })
	if err != nil {
		var zero R
		return zero, s.internal("decorate"+k.name, err)
	}
	return r, nil
}

// Resources are one kind's lifecycle operations, as the API layer calls
// them: Service.Distributions(), Service.StreamingDistributions().
type Resources[R, C any] struct {
	s *Service
	k *kind[R, C]
}

// Create creates a record for the account, tagged with tags in the same
// transaction. A repeated CallerReference with an equal config answers
// with the existing record (created false) and leaves its tags as they
// are; with another config it is the kind's AlreadyExists code.
func (r Resources[R, C]) Create(ctx context.Context, accountID string, cfg C, tags []cloudfront.Tag) (rec R, created bool, err error) {
	return createResource(ctx, r.s, r.k, accountID, cfg, tags)
}

// Get returns one of the account's records.
func (r Resources[R, C]) Get(ctx context.Context, accountID, id string) (R, error) {
	return getResource(ctx, r.s, r.k, accountID, id)
}

// Replace replaces a record's config whole; ifMatch must be its current
// ETag.
func (r Resources[R, C]) Replace(ctx context.Context, accountID, id, ifMatch string, cfg C) (R, error) {
	return updateResource(ctx, r.s, r.k, accountID, id, ifMatch, cfg, nil)
}

// Delete deletes one of the account's records; ifMatch must be its
// current ETag.
func (r Resources[R, C]) Delete(ctx context.Context, accountID, id, ifMatch string) error {
	return deleteResource(ctx, r.s, r.k, accountID, id, ifMatch)
}

// List lists one page of the account's records.
func (r Resources[R, C]) List(ctx context.Context, accountID string, p Page) (cloudfront.ListPage, []R, error) {
	return listResources(ctx, r.s, r.k, accountID, p)
}
