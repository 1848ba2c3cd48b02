package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// Kinds of the shared lifecycle keep their records alike: a table with the
// columns id, account_id, caller_reference, domain_name, etag,
// last_modified, revision and config (the config as JSON), a tombstone
// table that tells edges what was deleted at which revision, and (for
// kinds with CNAMEs) rows in distribution_aliases under a column of their
// own. recordTable holds the SQL of that shape once; each kind names its
// tables and how to reach its record's members.
type recordTable[R any] struct {
	table, tombstones string // "distributions", "distribution_tombstones"
	noun              string // "distribution", in errors
	aliasOwner        string // its column in distribution_aliases; "" for kinds without aliases
	fields            func(*R) recordFields
}

// recordFields points at a record's stored members. CallerReference and
// Aliases are read from a filled record, on writes.
type recordFields struct {
	ID, AccountID, DomainName, ETag *string
	LastModified                    *time.Time
	Revision                        *int64
	Config                          any // a pointer to the config
	CallerReference                 string
	Aliases                         []string
}

var (
	distributionTable = &recordTable[cloudfront.Distribution]{
		table: "distributions", tombstones: "distribution_tombstones", noun: "distribution", aliasOwner: "distribution_id",
		fields: func(d *cloudfront.Distribution) recordFields {
			return recordFields{&d.ID, &d.AccountID, &d.DomainName, &d.ETag, &d.LastModifiedTime, &d.Revision, &d.Config,
				d.Config.CallerReference, d.Config.Aliases}
		},
	}
	streamingTable = &recordTable[cloudfront.StreamingDistribution]{
		table: "streaming_distributions", tombstones: "streaming_distribution_tombstones", noun: "streaming distribution",
		aliasOwner: "streaming_distribution_id",
		fields: func(d *cloudfront.StreamingDistribution) recordFields {
			return recordFields{&d.ID, &d.AccountID, &d.DomainName, &d.ETag, &d.LastModifiedTime, &d.Revision, &d.Config,
				d.Config.CallerReference, d.Config.Aliases}
		},
	}
	// Policies and OACs are unique by Name in their account, which takes
	// the CallerReference's column; they have no DomainName.
	cachePolicyTable = &recordTable[cloudfront.CachePolicy]{
		table: "cache_policies", tombstones: "cache_policy_tombstones", noun: "cache policy",
		fields: func(p *cloudfront.CachePolicy) recordFields {
			return recordFields{&p.ID, &p.AccountID, new(string), &p.ETag, &p.LastModifiedTime, &p.Revision, &p.Config,
				p.Config.Name, nil}
		},
	}
	responseHeadersPolicyTable = &recordTable[cloudfront.ResponseHeadersPolicy]{
		table: "response_headers_policies", tombstones: "response_headers_policy_tombstones", noun: "response headers policy",
		fields: func(p *cloudfront.ResponseHeadersPolicy) recordFields {
			return recordFields{&p.ID, &p.AccountID, new(string), &p.ETag, &p.LastModifiedTime, &p.Revision, &p.Config,
				p.Config.Name, nil}
		},
	}
	originAccessControlTable = &recordTable[cloudfront.OriginAccessControl]{
		table: "origin_access_controls", tombstones: "origin_access_control_tombstones", noun: "origin access control",
		fields: func(o *cloudfront.OriginAccessControl) recordFields {
			return recordFields{&o.ID, &o.AccountID, new(string), &o.ETag, &o.LastModifiedTime, &o.Revision, &o.Config,
				o.Config.Name, nil}
		},
	}
	// A public key is unique by CallerReference; its last_modified column
	// holds CreatedTime (the API shows no other time).
	publicKeyTable = &recordTable[cloudfront.PublicKey]{
		table: "public_keys", tombstones: "public_key_tombstones", noun: "public key",
		fields: func(k *cloudfront.PublicKey) recordFields {
			return recordFields{&k.ID, &k.AccountID, new(string), &k.ETag, &k.CreatedTime, &k.Revision, &k.Config,
				k.Config.CallerReference, nil}
		},
	}
	keyGroupTable = &recordTable[cloudfront.KeyGroup]{
		table: "key_groups", tombstones: "key_group_tombstones", noun: "key group",
		fields: func(g *cloudfront.KeyGroup) recordFields {
			return recordFields{&g.ID, &g.AccountID, new(string), &g.ETag, &g.LastModifiedTime, &g.Revision, &g.Config,
				g.Config.Name, nil}
		},
	}
	functionTable = &recordTable[cloudfront.Function]{
		table: "functions", tombstones: "function_tombstones", noun: "function",
		fields: func(f *cloudfront.Function) recordFields {
			return recordFields{&f.ID, &f.AccountID, new(string), &f.ETag, &f.LastModifiedTime, &f.Revision, &f.Config,
				f.Config.Name, nil}
		},
	}
	keyValueStoreTable = &recordTable[cloudfront.KeyValueStore]{
		table: "key_value_stores", tombstones: "key_value_store_tombstones", noun: "key value store",
		fields: func(k *cloudfront.KeyValueStore) recordFields {
			return recordFields{&k.ID, &k.AccountID, new(string), &k.ETag, &k.LastModifiedTime, &k.Revision, &k.Config,
				k.Config.Name, nil}
		},
	}
	originRequestPolicyTable = &recordTable[cloudfront.OriginRequestPolicy]{
		table: "origin_request_policies", tombstones: "origin_request_policy_tombstones", noun: "origin request policy",
		fields: func(p *cloudfront.OriginRequestPolicy) recordFields {
			return recordFields{&p.ID, &p.AccountID, new(string), &p.ETag, &p.LastModifiedTime, &p.Revision, &p.Config,
				p.Config.Name, nil}
		},
	}
)

const recordCols = `id, account_id, domain_name, etag, last_modified, revision, config`

func (rt *recordTable[R]) scan(s interface{ Scan(...any) error }) (R, error) {
	var r R
	f := rt.fields(&r)
	var config string
	if err := s.Scan(f.ID, f.AccountID, f.DomainName, f.ETag, at(f.LastModified), f.Revision, &config); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(config), f.Config); err != nil {
		return r, fmt.Errorf("%s %q: decode config: %w", rt.noun, *f.ID, err)
	}
	return r, nil
}

// check returns ErrExists or ErrCNAMEInUse when f would break a
// uniqueness rule; self is the id whose own rows do not count (on
// update).
func (rt *recordTable[R]) check(t *Tx, f recordFields, self string) error {
	if ok, err := t.exists(`SELECT 1 FROM `+rt.table+` WHERE account_id = $1 AND caller_reference = $2 AND id <> $3`,
		*f.AccountID, f.CallerReference, self); err != nil || ok {
		return existsErr(err, ok, rt.noun+" caller reference", f.CallerReference)
	}
	return t.checkAliases(f.Aliases, rt.aliasOwner, self)
}

func (rt *recordTable[R]) insert(t *Tx, r R) error {
	f := rt.fields(&r)
	if ok, err := t.exists(`SELECT 1 FROM `+rt.table+` WHERE id = $1`, *f.ID); err != nil || ok {
		return existsErr(err, ok, rt.noun, *f.ID)
	}
	if err := rt.check(t, f, ""); err != nil {
		return err
	}
	config, err := json.Marshal(f.Config)
	if err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO `+rt.table+` (`+recordCols+`, caller_reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		*f.ID, *f.AccountID, *f.DomainName, *f.ETag, t.time(*f.LastModified), *f.Revision, string(config), f.CallerReference); err != nil {
		return t.constraint(err)
	}
	if err := t.counted(rt.table, *f.AccountID, 1); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM `+rt.tombstones+` WHERE id = $1`, *f.ID); err != nil {
		return err
	}
	return t.insertAliasRows(f.Aliases, rt.aliasOwner, *f.ID)
}

func (rt *recordTable[R]) get(t *Tx, id string) (R, error) {
	r, err := rt.scan(t.queryRow(`SELECT `+recordCols+` FROM `+rt.table+` WHERE id = $1`, id))
	return r, notFound(err, rt.noun, id)
}

func (rt *recordTable[R]) byCallerReference(t *Tx, accountID, callerReference string) (R, error) {
	r, err := rt.scan(t.queryRow(`SELECT `+recordCols+` FROM `+rt.table+`
		WHERE account_id = $1 AND caller_reference = $2`, accountID, callerReference))
	return r, notFound(err, rt.noun+" caller reference", callerReference)
}

// list pages through the records of accountID ("" for every account).
func (rt *recordTable[R]) list(t *Tx, accountID, after string, limit int) ([]R, error) {
	return collect(t, rt.scan, `SELECT `+recordCols+` FROM `+rt.table+`
		WHERE ($1 = '' OR account_id = $2) AND id > $3 ORDER BY id LIMIT $4`, accountID, accountID, after, noLimit(limit))
}

func (rt *recordTable[R]) count(t *Tx, accountID string) (int, error) {
	return t.countRows(rt.table, accountID)
}

func (rt *recordTable[R]) update(t *Tx, r R) error {
	f := rt.fields(&r)
	if err := t.moveCounted(rt.table, rt.noun, *f.ID, *f.AccountID); err != nil {
		return err
	}
	if err := rt.check(t, f, *f.ID); err != nil {
		return err
	}
	config, err := json.Marshal(f.Config)
	if err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE `+rt.table+` SET account_id = $1, caller_reference = $2, domain_name = $3, etag = $4,
		last_modified = $5, revision = $6, config = $7 WHERE id = $8`,
		*f.AccountID, f.CallerReference, *f.DomainName, *f.ETag, t.time(*f.LastModified), *f.Revision, string(config), *f.ID); err != nil {
		return t.constraint(err)
	}
	if rt.aliasOwner == "" {
		return nil
	}
	if _, err := t.exec(`DELETE FROM distribution_aliases WHERE `+rt.aliasOwner+` = $1`, *f.ID); err != nil {
		return err
	}
	return t.insertAliasRows(f.Aliases, rt.aliasOwner, *f.ID)
}

// delete removes the record and leaves a tombstone at revision, so that
// edges following the feed learn of the deletion.
func (rt *recordTable[R]) delete(t *Tx, id string, revision int64) error {
	if err := t.deleteCounted(rt.table, rt.noun, id); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO `+rt.tombstones+` (id, revision) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET revision = excluded.revision`, id, revision)
	return err
}

// changedSince returns the records written after revision rev and the ids
// deleted after it.
func (rt *recordTable[R]) changedSince(t *Tx, rev int64) ([]R, []string, error) {
	changed, err := collect(t, rt.scan, `SELECT `+recordCols+` FROM `+rt.table+`
		WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	deleted, err := collect(t, scanString, `SELECT id FROM `+rt.tombstones+` WHERE revision > $1 ORDER BY revision, id`, rev)
	if err != nil {
		return nil, nil, err
	}
	return changed, deleted, nil
}

// records is a recordTable in one transaction: store.Records.
type records[R any] struct {
	t  *Tx
	rt *recordTable[R]
}

func (t *Tx) DistributionRecords() store.Records[cloudfront.Distribution] {
	return records[cloudfront.Distribution]{t, distributionTable}
}

func (t *Tx) StreamingDistributionRecords() store.Records[cloudfront.StreamingDistribution] {
	return records[cloudfront.StreamingDistribution]{t, streamingTable}
}

func (t *Tx) CachePolicyRecords() store.Records[cloudfront.CachePolicy] {
	return records[cloudfront.CachePolicy]{t, cachePolicyTable}
}

func (t *Tx) OriginRequestPolicyRecords() store.Records[cloudfront.OriginRequestPolicy] {
	return records[cloudfront.OriginRequestPolicy]{t, originRequestPolicyTable}
}

func (t *Tx) OriginAccessControlRecords() store.Records[cloudfront.OriginAccessControl] {
	return records[cloudfront.OriginAccessControl]{t, originAccessControlTable}
}

func (t *Tx) ResponseHeadersPolicyRecords() store.Records[cloudfront.ResponseHeadersPolicy] {
	return records[cloudfront.ResponseHeadersPolicy]{t, responseHeadersPolicyTable}
}

func (t *Tx) PublicKeyRecords() store.Records[cloudfront.PublicKey] {
	return records[cloudfront.PublicKey]{t, publicKeyTable}
}

func (t *Tx) KeyGroupRecords() store.Records[cloudfront.KeyGroup] {
	return records[cloudfront.KeyGroup]{t, keyGroupTable}
}

func (t *Tx) FunctionRecords() store.Records[cloudfront.Function] {
	return records[cloudfront.Function]{t, functionTable}
}

func (t *Tx) KeyValueStoreRecords() store.Records[cloudfront.KeyValueStore] {
	return records[cloudfront.KeyValueStore]{t, keyValueStoreTable}
}

func (t *Tx) KeyValueStoresChangedSince(rev int64) ([]cloudfront.KeyValueStore, []string, error) {
	return keyValueStoreTable.changedSince(t, rev)
}

func (r records[R]) Insert(rec R) error                  { return r.rt.insert(r.t, rec) }
func (r records[R]) Get(id string) (R, error)            { return r.rt.get(r.t, id) }
func (r records[R]) Count(accountID string) (int, error) { return r.rt.count(r.t, accountID) }
func (r records[R]) Update(rec R) error                  { return r.rt.update(r.t, rec) }
func (r records[R]) Delete(id string, revision int64) error {
	return r.rt.delete(r.t, id, revision)
}

func (r records[R]) ByCallerReference(accountID, callerReference string) (R, error) {
	return r.rt.byCallerReference(r.t, accountID, callerReference)
}

func (r records[R]) List(accountID, after string, limit int) ([]R, error) {
	return r.rt.list(r.t, accountID, after, limit)
}
