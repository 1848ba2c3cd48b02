package controlplane

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// keyValueStores is the key value store kind. The API names a store by
// Name (CloudFront's DescribeKeyValueStore takes /key-value-store/{Name}),
// functions and the keys API by ARN; the record's id is a UUID. A
// function of the account names the stores it reads
// (FunctionConfig.KeyValueStoreARNs); edges get stores, keys included, by
// the feed, so a write of keys reaches them without redeploying anything.
var keyValueStores = &kind[cloudfront.KeyValueStore, cloudfront.KeyValueStoreConfig]{
	name:          "KeyValueStore",
	noSuch:        cloudfront.EntityNotFound,
	alreadyExists: cloudfront.EntityAlreadyExists,
	tooMany:       cloudfront.EntityLimitExceeded,
	members: func(k *cloudfront.KeyValueStore) members[cloudfront.KeyValueStoreConfig] {
		return members[cloudfront.KeyValueStoreConfig]{ID: &k.ID, AccountID: &k.AccountID, ETag: &k.ETag,
			LastModified: &k.LastModifiedTime, Created: &k.Config.Created, Revision: &k.Revision, Config: &k.Config}
	},
	callerReference: func(c *cloudfront.KeyValueStoreConfig) string { return c.Name },
	uniqueName:      true,
	normalize:       cloudfront.NormalizeKeyValueStoreConfig,
	validate:        (*cloudfront.Rules).ValidateKeyValueStoreConfig,
	equal:           cloudfront.EqualKeyValueStoreConfigs,
	check: func(*Service, store.Tx, string, *cloudfront.KeyValueStoreConfig, *cloudfront.KeyValueStoreConfig) error {
		return nil
	},
	limit: func(l cloudfront.Limits) int { return l.KeyValueStoresPerAccount },
	count: func(tx store.Tx, accountID string) (int, error) { return tx.KeyValueStoreRecords().Count(accountID) },
	newID: func(string, *cloudfront.KeyValueStoreConfig) string { return cloudfront.NewKeyValueStoreID() },
	arn:   cloudfront.KeyValueStoreARN,
	// A store a function is associated with cannot go: the function
	// would fail at every call.
	deletable: func(_ *Service, tx store.Tx, k *cloudfront.KeyValueStore) error {
		fn, err := functionUsing(tx, k.AccountID, cloudfront.KeyValueStoreARN(k.AccountID, k.ID))
		if err != nil || fn == "" {
			return err
		}
		return cloudfront.Errorf(cloudfront.CannotDeleteEntityWhileInUse,
			"The key value store %s is associated with the function %s; remove the association first.", k.Config.Name, fn)
	},
	decorate: func(*Service, store.Tx, *cloudfront.KeyValueStore) error { return nil },
	records:  store.Tx.KeyValueStoreRecords,
}

// functionUsing names a function of the account whose DEVELOPMENT or
// LIVE stage is associated with the store arn, or "".
func functionUsing(tx store.Tx, accountID, arn string) (string, error) {
	after := ""
	for {
		fns, err := tx.FunctionRecords().List(accountID, after, 100)
		if err != nil || len(fns) == 0 {
			return "", err
		}
		for _, f := range fns {
			if slices.Contains(f.Config.Dev.Config.KeyValueStoreARNs, arn) ||
				f.Config.Live != nil && slices.Contains(f.Config.Live.Config.KeyValueStoreARNs, arn) {
				return f.Config.Name, nil
			}
		}
		after = fns[len(fns)-1].ID
	}
}

// checkFunctionStores checks a function's KeyValueStoreAssociations: at
// most one store ("Quotas on CloudFront Functions": key value stores per
// function, 1), of the function's account. CreateFunction and
// UpdateFunction list InvalidArgument for a bad value and no code of
// their own for a missing store (unconfirmed which CloudFront answers).
func checkFunctionStores(tx store.Tx, accountID string, arns []string) error {
	if len(arns) > 1 {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "A function can be associated with at most one key value store, not %d.", len(arns))
	}
	for _, arn := range arns {
		if _, err := ownStore(tx, accountID, arn); err != nil {
			if errors.As(err, new(*cloudfront.Error)) {
				return cloudfront.Errorf(cloudfront.InvalidArgument, "The key value store %s does not exist.", arn)
			}
			return err
		}
	}
	return nil
}

// ownStore loads the store arn names, which must be the account's:
// another account's store, or an ARN that is not a store's, is
// EntityNotFound.
func ownStore(tx store.Tx, accountID, arn string) (cloudfront.KeyValueStore, error) {
	acct, id, ok := cloudfront.ParseKeyValueStoreARN(arn)
	if !ok || acct != accountID {
		return cloudfront.KeyValueStore{}, cloudfront.Errorf(cloudfront.EntityNotFound, "The key value store %s does not exist.", arn)
	}
	return keyValueStores.own(tx, accountID, id)
}

// KeyValueStores are the key value stores' operations (API 2020-05-31),
// by name in the caller's account.
type KeyValueStores struct{ s *Service }

// KeyValueStores returns the key value stores' operations.
func (s *Service) KeyValueStores() KeyValueStores { return KeyValueStores{s} }

// Create creates a store, empty or with the keys of its ImportSource
// (which importKeys reads before the write, so the store is READY at
// once or not made at all).
func (ks KeyValueStores) Create(ctx context.Context, accountID string, cfg cloudfront.KeyValueStoreConfig, tags []cloudfront.Tag) (cloudfront.KeyValueStore, error) {
	if err := ks.s.rules().ValidateKeyValueStoreConfig(&cfg); err != nil {
		return cloudfront.KeyValueStore{}, err
	}
	cfg.Status = cloudfront.KeyValueStoreReady
	cfg.Data = cloudfront.KeyValueItems{ETag: cloudfront.NewETag(), Modified: ks.s.now()}
	if src := cfg.ImportSource; src != nil {
		items, err := ks.s.importKeys(ctx, accountID, src.SourceARN)
		if err != nil {
			return cloudfront.KeyValueStore{}, err
		}
		cfg.Data.Items = items
	}
	k, _, err := createResource(ctx, ks.s, keyValueStores, accountID, cfg, tags)
	return k, err
}

// Describe returns the store named name.
func (ks KeyValueStores) Describe(ctx context.Context, accountID, name string) (cloudfront.KeyValueStore, error) {
	var k cloudfront.KeyValueStore
	err := ks.s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		k, err = ks.byName(tx, accountID, name)
		return err
	})
	if err != nil {
		return k, ks.s.internal("DescribeKeyValueStore", err)
	}
	return k, nil
}

// Update changes a store's Comment, the one setting UpdateKeyValueStore
// takes; its keys are kept.
func (ks KeyValueStores) Update(ctx context.Context, accountID, name, ifMatch, comment string) (cloudfront.KeyValueStore, error) {
	id, err := ks.idOf(ctx, "UpdateKeyValueStore", accountID, name)
	if err != nil {
		return cloudfront.KeyValueStore{}, err
	}
	return updateResource(ctx, ks.s, keyValueStores, accountID, id, ifMatch, cloudfront.KeyValueStoreConfig{Name: name, Comment: comment},
		func(old, c *cloudfront.KeyValueStoreConfig) error {
			c.ImportSource, c.Created, c.Status, c.Data = old.ImportSource, old.Created, old.Status, old.Data
			return nil
		})
}

// Delete deletes a store no function is associated with.
func (ks KeyValueStores) Delete(ctx context.Context, accountID, name, ifMatch string) error {
	id, err := ks.idOf(ctx, "DeleteKeyValueStore", accountID, name)
	if err != nil {
		return err
	}
	return deleteResource(ctx, ks.s, keyValueStores, accountID, id, ifMatch)
}

// List lists one page of the account's stores, those of status only
// when it is not "".
func (ks KeyValueStores) List(ctx context.Context, accountID, status string, p Page) (cloudfront.ListPage, []cloudfront.KeyValueStore, error) {
	switch status {
	case "", cloudfront.KeyValueStoreReady, cloudfront.KeyValueStoreProvisioning, cloudfront.KeyValueStoreFailed:
	default:
		return cloudfront.ListPage{}, nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The Status must be READY, PROVISIONING or FAILED, not %q.", status)
	}
	lp, items, err := listResources(ctx, ks.s, keyValueStores, accountID, p)
	if status != "" {
		items = slices.DeleteFunc(items, func(k cloudfront.KeyValueStore) bool { return k.Config.Status != status })
	}
	return lp, items, err
}

// idOf is the id of the account's store named name.
func (ks KeyValueStores) idOf(ctx context.Context, op, accountID, name string) (string, error) {
	var id string
	err := ks.s.Store.View(ctx, func(tx store.Tx) error {
		k, err := ks.byName(tx, accountID, name)
		id = k.ID
		return err
	})
	if err != nil {
		return "", ks.s.internal(op, err)
	}
	return id, nil
}

// byName loads the account's store named name.
func (ks KeyValueStores) byName(tx store.Tx, accountID, name string) (cloudfront.KeyValueStore, error) {
	k, err := tx.KeyValueStoreRecords().ByCallerReference(accountID, name)
	if errors.Is(err, store.ErrNotFound) {
		return k, cloudfront.Errorf(cloudfront.EntityNotFound, "The key value store %s does not exist.", name)
	}
	return k, err
}

// Keys reads the store arn names, keys included (the keys API's reads).
func (ks KeyValueStores) Keys(ctx context.Context, accountID, arn string) (cloudfront.KeyValueStore, error) {
	var k cloudfront.KeyValueStore
	err := ks.s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		k, err = ownStore(tx, accountID, arn)
		return err
	})
	if err != nil {
		return k, ks.s.internal("DescribeKeys", err)
	}
	return k, nil
}

// UpdateKeys puts and deletes keys of the store arn names, all or none,
// if ifMatch is the keys' ETag (PutKey, DeleteKey and UpdateKeys of the
// keys API). A key both put and deleted, a key or value out of bounds,
// or too large a request is InvalidArgument; a store that would outgrow
// MaxKeyValueStoreBytes is EntitySizeLimitExceeded; a stale ifMatch is
// PreconditionFailed. Deleting a key that is not there is no error.
func (ks KeyValueStores) UpdateKeys(ctx context.Context, accountID, arn, ifMatch string, puts []cloudfront.KeyValue, deletes []string) (cloudfront.KeyValueStore, error) {
	if err := checkKeyUpdate(puts, deletes); err != nil {
		return cloudfront.KeyValueStore{}, err
	}
	var k cloudfront.KeyValueStore
	err := ks.s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if k, err = ownStore(tx, accountID, arn); err != nil {
			return err
		}
		if ifMatch != k.Config.Data.ETag {
			return cloudfront.Errorf(cloudfront.PreconditionFailed, "The If-Match %q is not the key value store's ETag %q.", ifMatch, k.Config.Data.ETag)
		}
		next := cloudfront.KeyValueItems{Items: k.Config.Data.Apply(puts, deletes), ETag: cloudfront.NewETag(), Modified: ks.s.now()}
		if n := next.Size(); n > cloudfront.MaxKeyValueStoreBytes {
			return cloudfront.Errorf(cloudfront.EntitySizeLimitExceeded,
				"The key value store would hold %d bytes of keys and values; at most %d are allowed.", n, cloudfront.MaxKeyValueStoreBytes)
		}
		k.Config.Data = next
		if k.Revision, err = tx.NextRevision(); err != nil {
			return err
		}
		return tx.KeyValueStoreRecords().Update(k)
	})
	if err != nil {
		return cloudfront.KeyValueStore{}, ks.s.internal("UpdateKeys", err)
	}
	ks.s.changed()
	return k, nil
}

// checkKeyUpdate checks one update's keys and values and its size.
func checkKeyUpdate(puts []cloudfront.KeyValue, deletes []string) error {
	if len(puts)+len(deletes) > cloudfront.MaxKeyValueUpdateItems {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "An update may put and delete at most %d keys, not %d.",
			cloudfront.MaxKeyValueUpdateItems, len(puts)+len(deletes))
	}
	size := 0
	put := make(map[string]bool, len(puts))
	for _, kv := range puts {
		if !cloudfront.ValidateKey(kv.Key) {
			return cloudfront.Errorf(cloudfront.InvalidArgument, "A key must be 1 to %d bytes of UTF-8.", cloudfront.MaxKeyBytes)
		}
		if !cloudfront.ValidateValue(kv.Value) {
			return cloudfront.Errorf(cloudfront.InvalidArgument, "The value of %q must be at most %d bytes of UTF-8.", kv.Key, cloudfront.MaxValueBytes)
		}
		if put[kv.Key] {
			return cloudfront.Errorf(cloudfront.InvalidArgument, "The key %q is put twice.", kv.Key)
		}
		put[kv.Key] = true
		size += len(kv.Key) + len(kv.Value)
	}
	for _, key := range deletes {
		if !cloudfront.ValidateKey(key) {
			return cloudfront.Errorf(cloudfront.InvalidArgument, "A key must be 1 to %d bytes of UTF-8.", cloudfront.MaxKeyBytes)
		}
		if put[key] {
			return cloudfront.Errorf(cloudfront.InvalidArgument, "The key %q is both put and deleted.", key)
		}
		size += len(key)
	}
	if size > cloudfront.MaxKeyValueUpdateBytes {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "The update is %d bytes; at most %d are allowed.", size, cloudfront.MaxKeyValueUpdateBytes)
	}
	return nil
}

// importKeys reads the keys of an ImportSource (arn:aws:s3:::bucket/key).
// CloudFront reads the object with the caller's own rights; here the
// operator's key reads it, so the bucket must be granted to the caller's
// account (openfront admin bucket grant), as for an origin access
// control: otherwise it is AccessDenied, whether or not the object
// exists, so that no tenant learns of another's objects.
func (s *Service) importKeys(ctx context.Context, accountID, arn string) ([]cloudfront.KeyValue, error) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(arn, "arn:aws:s3:::"), "/")
	var set *buckets.Set
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		set, err = grantSet(tx, bucket)
		return err
	})
	if err != nil {
		return nil, s.internal("CreateKeyValueStore", err)
	}
	if !set.CanAccountRead(bucket, accountID) {
		return nil, cloudfront.Errorf(cloudfront.AccessDenied, "You don't have permission to read the import source %s.", arn)
	}
	if s.ReadS3Object == nil {
		return nil, cloudfront.Errorf(cloudfront.InvalidArgument, "This control plane has no S3 access to import from (start it with --s3-endpoint and --s3-access-key).")
	}
	b, err := s.ReadS3Object(ctx, bucket, key)
	if err != nil {
		return nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The import source %s could not be read: %v", arn, err)
	}
	return cloudfront.ParseKeyValueImport(b)
}
