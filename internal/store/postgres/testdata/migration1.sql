
CREATE TABLE accounts (
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	disabled BOOLEAN NOT NULL,
	created  TIMESTAMPTZ NOT NULL
);
CREATE TABLE access_keys (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	secret     TEXT NOT NULL,
	disabled   BOOLEAN NOT NULL,
	created    TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_keys_account ON access_keys (account_id);

CREATE TABLE feed_revision (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO feed_revision (id, value) VALUES (1, 0);

CREATE TABLE distributions (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	domain_name      TEXT NOT NULL,
	etag             TEXT NOT NULL,
	last_modified    TIMESTAMPTZ NOT NULL,
	revision         BIGINT NOT NULL,
	config           TEXT NOT NULL, -- JSON of cloudfront.DistributionConfig
	CONSTRAINT distributions_caller_reference UNIQUE (account_id, caller_reference)
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
	revision BIGINT NOT NULL
);
CREATE INDEX distribution_tombstones_revision ON distribution_tombstones (revision);

CREATE TABLE oais (
	id                   TEXT PRIMARY KEY,
	account_id           TEXT NOT NULL,
	caller_reference     TEXT NOT NULL,
	comment              TEXT NOT NULL,
	s3_canonical_user_id TEXT NOT NULL,
	etag                 TEXT NOT NULL,
	CONSTRAINT oais_caller_reference UNIQUE (account_id, caller_reference)
);

CREATE TABLE invalidations (
	seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- insertion order
	id               TEXT NOT NULL CONSTRAINT invalidations_id UNIQUE,
	distribution_id  TEXT NOT NULL,
	caller_reference TEXT NOT NULL,
	status           TEXT NOT NULL,
	create_time      TIMESTAMPTZ NOT NULL,
	paths            TEXT NOT NULL, -- JSON array
	revision         BIGINT NOT NULL,
	CONSTRAINT invalidations_caller_reference UNIQUE (distribution_id, caller_reference)
);
CREATE INDEX invalidations_distribution ON invalidations (distribution_id, create_time, seq);
CREATE INDEX invalidations_status ON invalidations (status, seq);
CREATE INDEX invalidations_revision ON invalidations (revision, seq);

CREATE TABLE key_pairs (
	id             TEXT PRIMARY KEY,
	account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	public_key_pem TEXT NOT NULL,
	active         BOOLEAN NOT NULL,
	created        TIMESTAMPTZ NOT NULL,
	revision       BIGINT NOT NULL
);
CREATE INDEX key_pairs_account ON key_pairs (account_id);
CREATE INDEX key_pairs_revision ON key_pairs (revision);
CREATE TABLE key_pair_tombstones (
	id       TEXT PRIMARY KEY,
	revision BIGINT NOT NULL
);
CREATE INDEX key_pair_tombstones_revision ON key_pair_tombstones (revision);

CREATE TABLE edges (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	price_class    TEXT NOT NULL,
	registered     TIMESTAMPTZ NOT NULL,
	last_seen      TIMESTAMPTZ NOT NULL,
	acked_revision BIGINT NOT NULL
);
CREATE TABLE edge_keys (
	id      TEXT PRIMARY KEY,
	secret  TEXT NOT NULL,
	created TIMESTAMPTZ NOT NULL
);
