package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"
)

// Schema is what the migrations' templates need from a dialect: column
// types, and whether unique constraints are named.
type Schema struct {
	Bool  string // a boolean column
	Time  string // a timestamp column, as Dialect.Time encodes it
	Int64 string // a 64-bit integer column
	Seq   string // an integer primary key that numbers rows in insertion order
	// NamedConstraints: unique constraints get names, which the dialect's
	// Violation may rely on.
	NamedConstraints bool
}

// Unique introduces a unique constraint, named if the dialect names them.
func (s Schema) Unique(name string) string {
	if s.NamedConstraints {
		return "CONSTRAINT " + name + " UNIQUE"
	}
	return "UNIQUE"
}

// Migrations are text/template texts over a Schema, applied in order, each
// in its own transaction, and recorded in schema_migrations by their
// index + 1. Append only: never edit a migration that has shipped (a test
// holds the first one to the SQL each database was created with). Where a
// later migration must differ by database beyond column types, branch on a
// Schema field in its template.
var Migrations = []string{
	// 1: the initial schema.
	`
CREATE TABLE accounts (
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	disabled {{.Bool}} NOT NULL,
	created  {{.Time}} NOT NULL
);
CREATE TABLE access_keys (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	secret     TEXT NOT NULL,
	disabled   {{.Bool}} NOT NULL,
	created    {{.Time}} NOT NULL
);
CREATE INDEX access_keys_account ON access_keys (account_id);

CREATE TABLE feed_revision (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value {{.Int64}} NOT NULL
);
INSERT INTO feed_revision (id, value) VALUES (1, 0);

CREATE TABLE distributions (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.DistributionConfig
	{{.Unique "distributions_caller_reference"}} (account_id, caller_reference)
);
CREATE INDEX distributions_revision ON distributions (revision);
CREATE TABLE distribution_aliases (
	distribution_id TEXT NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
	cname           TEXT NOT NULL
);
CREATE UNIQUE INDEX distribution_aliases_cname ON distribution_aliases (lower(cname));
CREATE INDEX distribution_aliases_distribution ON distribution_aliases (distribution_id);
CREATE TABLE distribution_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE INDEX distribution_tombstones_revision ON distribution_tombstones (revision);

CREATE TABLE oais (
	id                   TEXT PRIMARY KEY,
	account_id           TEXT NOT NULL,
	caller_reference     TEXT NOT NULL,
	comment              TEXT NOT NULL,
	s3_canonical_user_id TEXT NOT NULL,
	etag                 TEXT NOT NULL,
	{{.Unique "oais_caller_reference"}} (account_id, caller_reference)
);

CREATE TABLE invalidations (
	seq              {{.Seq}}, -- insertion order
	id               TEXT NOT NULL {{.Unique "invalidations_id"}},
	distribution_id  TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	status           TEXT NOT NULL,
	create_time      {{.Time}} NOT NULL,
	paths            TEXT NOT NULL, -- JSON array
	revision         {{.Int64}} NOT NULL,
	{{.Unique "invalidations_caller_reference"}} (distribution_id, caller_reference)
);
CREATE INDEX invalidations_distribution ON invalidations (distribution_id, create_time, seq);
CREATE INDEX invalidations_status ON invalidations (status, seq);
CREATE INDEX invalidations_revision ON invalidations (revision, seq);

CREATE TABLE key_pairs (
	id             TEXT PRIMARY KEY,
	account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	public_key_pem TEXT NOT NULL,
	active         {{.Bool}} NOT NULL,
	created        {{.Time}} NOT NULL,
	revision       {{.Int64}} NOT NULL
);
CREATE INDEX key_pairs_account ON key_pairs (account_id);
CREATE INDEX key_pairs_revision ON key_pairs (revision);
CREATE TABLE key_pair_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE INDEX key_pair_tombstones_revision ON key_pair_tombstones (revision);

CREATE TABLE edges (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	price_class    TEXT NOT NULL,
	registered     {{.Time}} NOT NULL,
	last_seen      {{.Time}} NOT NULL,
	acked_revision {{.Int64}} NOT NULL
);
CREATE TABLE edge_keys (
	id      TEXT PRIMARY KEY,
	secret  TEXT NOT NULL,
	created {{.Time}} NOT NULL
);
`,
	// 2: streaming distributions. Their aliases go in distribution_aliases
	// too, so that one unique index keeps a CNAME to one distribution of
	// either kind; the table is rebuilt because a row now belongs to a
	// distribution or to a streaming distribution (SQLite cannot alter a
	// foreign key in place).
	`
CREATE TABLE streaming_distributions (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.StreamingDistributionConfig
	{{.Unique "streaming_distributions_caller_reference"}} (account_id, caller_reference)
);
CREATE INDEX streaming_distributions_revision ON streaming_distributions (revision);
CREATE TABLE streaming_distribution_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE INDEX streaming_distribution_tombstones_revision ON streaming_distribution_tombstones (revision);

CREATE TABLE aliases_v2 (
	distribution_id           TEXT REFERENCES distributions (id) ON DELETE CASCADE,
	streaming_distribution_id TEXT REFERENCES streaming_distributions (id) ON DELETE CASCADE,
	cname                     TEXT NOT NULL,
	CHECK ((distribution_id IS NULL) <> (streaming_distribution_id IS NULL))
);
INSERT INTO aliases_v2 (distribution_id, cname) SELECT distribution_id, cname FROM distribution_aliases;
DROP TABLE distribution_aliases;
ALTER TABLE aliases_v2 RENAME TO distribution_aliases;
CREATE UNIQUE INDEX distribution_aliases_cname ON distribution_aliases (lower(cname));
CREATE INDEX distribution_aliases_distribution ON distribution_aliases (distribution_id);
CREATE INDEX distribution_aliases_streaming ON distribution_aliases (streaming_distribution_id);
`,
	// 3: an alias may not equal any distribution's assigned DomainName; these
	// indexes make that check a lookup.
	`
CREATE INDEX distributions_domain_name ON distributions (lower(domain_name));
CREATE INDEX streaming_distributions_domain_name ON streaming_distributions (lower(domain_name));
`,
	// 4: an edge key acts as exactly one edge: the edge whose id is the
	// key's id, registered in the key's price class. Keys made before have
	// no price class ('') and are refused until replaced. bootstrap_marker
	// records that the first start made its account, so that no later start
	// makes another (a store with accounts already was bootstrapped).
	`
ALTER TABLE edge_keys ADD COLUMN price_class TEXT NOT NULL DEFAULT '';
CREATE TABLE bootstrap_marker (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	account_id TEXT NOT NULL,
	created    {{.Time}} NOT NULL
);
INSERT INTO bootstrap_marker (id, account_id, created)
	SELECT 1, COALESCE((SELECT id FROM accounts WHERE name = 'bootstrap' ORDER BY created, id LIMIT 1), ''),
		(SELECT MIN(created) FROM accounts)
	WHERE EXISTS (SELECT 1 FROM accounts);
`,
	// 5: bucket grants: which account or origin access identity may use
	// which bucket through the operator's S3 key. id is buckets.Grant.Key;
	// exactly one of account_id and oai_id is non-empty.
	`
CREATE TABLE bucket_grants (
	id         TEXT PRIMARY KEY,
	bucket     TEXT NOT NULL,
	account_id TEXT NOT NULL,
	oai_id     TEXT NOT NULL,
	created    {{.Time}} NOT NULL,
	revision   {{.Int64}} NOT NULL,
	CHECK ((account_id = '') <> (oai_id = ''))
);
CREATE INDEX bucket_grants_bucket ON bucket_grants (bucket, id);
CREATE INDEX bucket_grants_account ON bucket_grants (account_id);
CREATE INDEX bucket_grants_oai ON bucket_grants (oai_id);
CREATE INDEX bucket_grants_revision ON bucket_grants (revision);
CREATE TABLE bucket_grant_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE INDEX bucket_grant_tombstones_revision ON bucket_grant_tombstones (revision);
`,
	// 6: resource tags (API 2020-05-31), by resource ARN. Tags are not part
	// of a configuration, so they have a table of their own rather than a
	// member of the config's JSON.
	`
CREATE TABLE resource_tags (
	resource  TEXT NOT NULL,
	tag_key   TEXT NOT NULL,
	tag_value TEXT NOT NULL,
	PRIMARY KEY (resource, tag_key)
);
`,
	// 7: imported viewer certificates (ACM-style ARNs). private_key_pem is
	// a secret: it lives here as the access keys' secrets do, readable by
	// whoever can read the store, and leaves it only over the config feed.
	`
CREATE TABLE certificates (
	arn             TEXT PRIMARY KEY,
	account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	certificate_pem TEXT NOT NULL,
	chain_pem       TEXT NOT NULL,
	private_key_pem TEXT NOT NULL,
	names           TEXT NOT NULL, -- JSON array, lower case
	not_before      {{.Time}} NOT NULL,
	not_after       {{.Time}} NOT NULL,
	created         {{.Time}} NOT NULL,
	revision        {{.Int64}} NOT NULL
);
CREATE INDEX certificates_account ON certificates (account_id);
CREATE INDEX certificates_revision ON certificates (revision);
CREATE TABLE certificate_tombstones (
	arn      TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE INDEX certificate_tombstones_revision ON certificate_tombstones (revision);
`,
	// 8: how many records of each counted table each account has, kept by
	// the writes that add and remove them: a create checks the account's
	// limit, and count(*) walked all of the account's rows to do it (with
	// 10,000 distributions, the largest part of a create's SQLite time).
	`
CREATE TABLE record_counts (
	record_table TEXT NOT NULL,
	account_id   TEXT NOT NULL,
	n            {{.Int64}} NOT NULL,
	PRIMARY KEY (record_table, account_id)
);
INSERT INTO record_counts (record_table, account_id, n)
	SELECT 'distributions', account_id, count(*) FROM distributions GROUP BY account_id;
INSERT INTO record_counts (record_table, account_id, n)
	SELECT 'streaming_distributions', account_id, count(*) FROM streaming_distributions GROUP BY account_id;
INSERT INTO record_counts (record_table, account_id, n)
	SELECT 'oais', account_id, count(*) FROM oais GROUP BY account_id;
`,
	// 9: one distribution's invalidations by status. A Get of a
	// distribution counts its in-progress ones, and found them among every
	// distribution's in progress (all tenants'): 1.5 ms with 10,000 in
	// progress (BenchmarkStore/InProgressInvalidationsOfOne).
	`
CREATE INDEX invalidations_distribution_status ON invalidations (distribution_id, status, seq);
`,
	// 10: the edges in the order EdgesBehind reads them (the last seen
	// first), so that its probe of 8 stops at the eighth rather than
	// sorting every edge: each create's answer and each Get of a
	// distribution not yet Deployed reads it. With 1,000 edges,
	// 478-515 us to 42-43 us on SQLite (BenchmarkStore/EdgesBehindProbe).
	`
CREATE INDEX edges_last_seen ON edges (last_seen DESC, id);
`,
	// 11: a bucket grant may also let its principal write objects
	// (buckets.Grant.Write). Grants made before it read only, as they did.
	`
ALTER TABLE bucket_grants ADD COLUMN can_write {{.Bool}} NOT NULL DEFAULT FALSE;
`,
	// 12: the accounts' cache, origin request and response headers
	// policies and origin access controls (API 2020-05-31), kept as the shared lifecycle keeps its records
	// (records.go). caller_reference holds the policy's Name, which is
	// unique in its account as a CallerReference is; domain_name is
	// always empty. The tombstones are the lifecycle's; edges learn of
	// these records through the distributions that name them.
	`
CREATE TABLE cache_policies (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.CachePolicyConfig
	{{.Unique "cache_policies_name"}} (account_id, caller_reference)
);
CREATE TABLE cache_policy_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE TABLE origin_request_policies (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.OriginRequestPolicyConfig
	{{.Unique "origin_request_policies_name"}} (account_id, caller_reference)
);
CREATE TABLE origin_request_policy_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE TABLE response_headers_policies (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.ResponseHeadersPolicyConfig
	{{.Unique "response_headers_policies_name"}} (account_id, caller_reference)
);
CREATE TABLE response_headers_policy_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE TABLE origin_access_controls (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.OriginAccessControlConfig
	{{.Unique "origin_access_controls_name"}} (account_id, caller_reference)
);
CREATE TABLE origin_access_control_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
`,
	// 13: the accounts' public keys and key groups (API 2020-05-31), kept
	// as the shared lifecycle keeps its records (records.go). A public
	// key's caller_reference is its CallerReference (creates are
	// idempotent) and last_modified its CreatedTime, which an update of
	// its comment does not move; a key group's caller_reference is its
	// Name, unique in its account.
	`
CREATE TABLE public_keys (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.PublicKeyConfig
	{{.Unique "public_keys_caller_reference"}} (account_id, caller_reference)
);
CREATE TABLE public_key_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
CREATE TABLE key_groups (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.KeyGroupConfig
	{{.Unique "key_groups_name"}} (account_id, caller_reference)
);
CREATE TABLE key_group_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
`,
	// 14: the accounts' CloudFront Functions, kept as the shared lifecycle
	// keeps its records (records.go): id is the function's ARN,
	// caller_reference its Name (unique in the account), config both
	// stages with their code.
	`
CREATE TABLE functions (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.FunctionStages
	{{.Unique "functions_name"}} (account_id, caller_reference)
);
CREATE TABLE function_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
`,
	// 15: the accounts' key value stores, kept as the shared lifecycle
	// keeps its records: caller_reference is the store's Name (unique in
	// the account), config the store with its keys. Edges follow the
	// stores by revision (KeyValueStoresChangedSince), hence the index.
	`
CREATE TABLE key_value_stores (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    {{.Time}} NOT NULL,
	revision         {{.Int64}} NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.KeyValueStoreConfig
	{{.Unique "key_value_stores_name"}} (account_id, caller_reference)
);
CREATE INDEX key_value_stores_revision ON key_value_stores (revision);
CREATE TABLE key_value_store_tombstones (
	id       TEXT PRIMARY KEY,
	revision {{.Int64}} NOT NULL
);
`,
}

// Scripts returns the migrations for d's schema.
func (d *Dialect) Scripts() ([]string, error) {
	out := make([]string, len(Migrations))
	for i, m := range Migrations {
		tmpl, err := template.New(fmt.Sprint(i + 1)).Option("missingkey=error").Parse(m)
		if err != nil {
			return nil, fmt.Errorf("migration %d: %w", i+1, err)
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, d.Schema); err != nil {
			return nil, fmt.Errorf("migration %d: %w", i+1, err)
		}
		out[i] = b.String()
	}
	return out, nil
}

// Migrate applies the migrations the database lacks. inTx runs its
// function in one read-write transaction and commits if it returns nil;
// the driver makes that transaction exclusive among concurrent Opens
// (SQLite's write lock) or d.MigrationLock does (PostgreSQL).
func (d *Dialect) Migrate(inTx func(func(Querier) error) error) error {
	scripts, err := d.Scripts()
	if err != nil {
		return err
	}
	for i, script := range scripts {
		version := i + 1
		if err := inTx(func(q Querier) error { return d.applyMigration(q, version, script) }); err != nil {
			return fmt.Errorf("migration %d: %w", version, err)
		}
	}
	return nil
}

func (d *Dialect) applyMigration(q Querier, version int, script string) error {
	if d.MigrationLock != "" {
		if _, err := q.Exec(d.MigrationLock); err != nil {
			return err
		}
	}
	if _, err := q.Exec(d.MigrationsTable); err != nil {
		return err
	}
	var one int
	err := q.QueryRow(`SELECT 1 FROM schema_migrations WHERE version = $1`, version).Scan(&one)
	if err == nil {
		return nil // applied already
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if _, err := q.Exec(script); err != nil {
		return err
	}
	_, err = q.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, version, d.Time(time.Now()))
	return err
}
