// Package store keeps openfront's state: accounts, keys, distributions,
// streaming distributions, origin access identities, invalidations, key pairs, bucket grants, edges and the config
// feed's revision counter. Implementations live in sqlite/ and postgres/;
// storetest/ is the conformance suite both must pass.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
)

// Errors that Tx methods MUST return (wrapped or not) in the cases their
// comments name. Callers test them with errors.Is.
var (
	ErrNotFound   = errors.New("store: not found")
	ErrExists     = errors.New("store: already exists")
	ErrCNAMEInUse = errors.New("store: CNAME already in use")
	// ErrNoSpace: the database could not write for lack of disk (SQLite's
	// SQLITE_FULL, PostgreSQL's disk_full). Update returns it wrapped; the
	// transaction is rolled back whole, and the store works again once
	// space returns.
	ErrNoSpace = errors.New("store: no space left for the database")
)

// Store runs transactions. Every write the API acknowledges is made in one
// Update call: all of it is committed and durable (survives kill -9 and
// power loss as far as the database's fsync allows) or none of it is.
type Store interface {
	// Update runs fn in one read-write transaction and commits if fn returns
	// nil. fn MAY run more than once (the store retries on serialization
	// conflicts), so it must not have effects outside tx.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction with a consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is one transaction. Methods take no context: the transaction carries
// the one passed to Update or View.
type Tx interface {
	// Accounts. InsertAccount: ErrExists if the id is taken. Account,
	// UpdateAccount, DeleteAccount: ErrNotFound. DeleteAccount also deletes
	// the account's access keys and key pairs.
	InsertAccount(a Account) error
	Account(id string) (Account, error)
	Accounts() ([]Account, error) // ordered by id
	UpdateAccount(a Account) error
	DeleteAccount(id string) error

	// Access keys. InsertAccessKey: ErrExists if the id is taken; ErrNotFound
	// if the account does not exist. AccessKey, UpdateAccessKey (Disabled
	// only), DeleteAccessKey: ErrNotFound.
	InsertAccessKey(k AccessKey) error
	AccessKey(id string) (AccessKey, error)
	AccessKeys(accountID string) ([]AccessKey, error) // "" lists all; ordered by id
	UpdateAccessKey(k AccessKey) error
	DeleteAccessKey(id string) error

	// NextRevision increments the config feed's revision counter and returns
	// the new value. Every write that edges must see calls it once and stores
	// the value on what it changed. Implementations lock the counter until
	// commit, so revisions become visible in increasing order.
	NextRevision() (int64, error)
	// Revision returns the counter's current value (0 before any change).
	Revision() (int64, error)

	// Distributions. The store keeps everything in cloudfront.Distribution
	// except the derived fields Status, ActiveTrustedSigners and
	// InProgressInvalidationBatches, which it returns zero.
	//
	// InsertDistribution: ErrExists if the id, or the pair (AccountID,
	// Config.CallerReference), is taken; ErrCNAMEInUse if any alias
	// (compared case-insensitively) belongs to any other distribution or
	// streaming distribution of any account. Distribution, UpdateDistribution, DeleteDistribution:
	// ErrNotFound. UpdateDistribution replaces the record whole (aliases
	// included; ErrCNAMEInUse as above). DeleteDistribution remembers the id
	// as deleted at the given revision for DistributionsChangedSince.
	InsertDistribution(d cloudfront.Distribution) error
	// DistributionRecords and StreamingDistributionRecords are the two
	// kinds' methods above as Records, for code written once for every
	// kind of the lifecycle.
	DistributionRecords() Records[cloudfront.Distribution]
	StreamingDistributionRecords() Records[cloudfront.StreamingDistribution]
	// CachePolicyRecords are the accounts' cache policies (CloudFront's
	// managed ones are not stored): the Records contract with the
	// policy's Name in the place of the CallerReference (ErrExists when
	// the account has another policy of that name), no aliases.
	CachePolicyRecords() Records[cloudfront.CachePolicy]
	// OriginRequestPolicyRecords: the same contract, for origin request
	// policies.
	OriginRequestPolicyRecords() Records[cloudfront.OriginRequestPolicy]
	// ResponseHeadersPolicyRecords: the same contract, for response
	// headers policies.
	ResponseHeadersPolicyRecords() Records[cloudfront.ResponseHeadersPolicy]
	// OriginAccessControlRecords: the same contract, for origin access
	// controls (their Name unique in the account).
	OriginAccessControlRecords() Records[cloudfront.OriginAccessControl]
	// PublicKeyRecords are the accounts' public keys: the Records
	// contract, unique by CallerReference, with CreatedTime where other
	// kinds keep LastModifiedTime.
	PublicKeyRecords() Records[cloudfront.PublicKey]
	// KeyGroupRecords: the contract of CachePolicyRecords (the Name
	// unique in the account), for key groups.
	KeyGroupRecords() Records[cloudfront.KeyGroup]
	// FunctionRecords: the contract of CachePolicyRecords (the Name
	// unique in the account), for CloudFront Functions, whose id is
	// their ARN.
	FunctionRecords() Records[cloudfront.Function]
	// KeyValueStoreRecords: the contract of CachePolicyRecords (the Name
	// unique in the account), for key value stores, keys included.
	KeyValueStoreRecords() Records[cloudfront.KeyValueStore]
	// KeyValueStoresChangedSince returns the stores written after revision
	// rev, keys included, and the ids of those deleted after it: what
	// edges follow.
	KeyValueStoresChangedSince(rev int64) (changed []cloudfront.KeyValueStore, deleted []string, err error)
	Distribution(id string) (cloudfront.Distribution, error)
	DistributionByCallerReference(accountID, callerReference string) (cloudfront.Distribution, error)
	// Distributions lists an account's distributions ("" for all accounts)
	// in ascending id order, those with id > after, at most limit (<= 0: no
	// limit).
	Distributions(accountID, after string, limit int) ([]cloudfront.Distribution, error)
	CountDistributions(accountID string) (int, error)
	UpdateDistribution(d cloudfront.Distribution) error
	DeleteDistribution(id string, revision int64) error
	// DistributionsChangedSince returns every distribution whose Revision is
	// greater than rev, and the ids of those deleted at a revision greater
	// than rev (the ids of distributions deleted at or before rev are not
	// returned). With rev 0 it returns them all.
	DistributionsChangedSince(rev int64) (changed []cloudfront.Distribution, deleted []string, err error)

	// Streaming distributions: the contract of distributions, method for
	// method (ErrExists on the id or (AccountID, CallerReference);
	// ErrNotFound; listing in ascending id order; the tombstone on delete).
	// Aliases share one namespace with download distributions: an alias
	// that any other distribution or streaming distribution holds is
	// ErrCNAMEInUse. Status and ActiveTrustedSigners come back zero.
	InsertStreamingDistribution(d cloudfront.StreamingDistribution) error
	StreamingDistribution(id string) (cloudfront.StreamingDistribution, error)
	StreamingDistributionByCallerReference(accountID, callerReference string) (cloudfront.StreamingDistribution, error)
	StreamingDistributions(accountID, after string, limit int) ([]cloudfront.StreamingDistribution, error)
	CountStreamingDistributions(accountID string) (int, error)
	UpdateStreamingDistribution(d cloudfront.StreamingDistribution) error
	DeleteStreamingDistribution(id string, revision int64) error
	StreamingDistributionsChangedSince(rev int64) (changed []cloudfront.StreamingDistribution, deleted []string, err error)

	// Origin access identities: the same contract as distributions (ErrExists
	// on id or (AccountID, CallerReference); ErrNotFound), without aliases
	// and revisions. OAIs are listed in ascending id order after `after`.
	InsertOAI(o cloudfront.OriginAccessIdentity) error
	OAI(id string) (cloudfront.OriginAccessIdentity, error)
	OAIByCallerReference(accountID, callerReference string) (cloudfront.OriginAccessIdentity, error)
	OAIs(accountID, after string, limit int) ([]cloudfront.OriginAccessIdentity, error)
	CountOAIs(accountID string) (int, error)
	UpdateOAI(o cloudfront.OriginAccessIdentity) error
	DeleteOAI(id string) error

	// Invalidations. InsertInvalidation: ErrExists if the id, or the pair
	// (DistributionID, Batch.CallerReference), is taken. Invalidation:
	// ErrNotFound unless the invalidation belongs to distID.
	// UpdateInvalidation (Status only): ErrNotFound.
	InsertInvalidation(inv cloudfront.Invalidation) error
	Invalidation(distID, id string) (cloudfront.Invalidation, error)
	InvalidationByCallerReference(distID, callerReference string) (cloudfront.Invalidation, error)
	// Invalidations lists a distribution's invalidations newest first (by
	// CreateTime, then insertion order), those after the one with id
	// `after` in that order; ErrNotFound if after is not "" and unknown.
	Invalidations(distID, after string, limit int) ([]cloudfront.Invalidation, error)
	// InvalidationsWithStatus lists the invalidations of distribution distID
	// ("" for every distribution) that have the status, in insertion order.
	InvalidationsWithStatus(distID, status string) ([]cloudfront.Invalidation, error)
	UpdateInvalidation(inv cloudfront.Invalidation) error
	// InvalidationsChangedSince returns invalidations with Revision > rev,
	// in revision order.
	InvalidationsChangedSince(rev int64) ([]cloudfront.Invalidation, error)
	// PurgeInvalidations deletes distID's invalidations that come, in the
	// order of Invalidations, after the newest keep or after the newest whose
	// paths (as stored, JSON) add up to more than keepBytes, and whose
	// Revision is at most maxRevision; it returns how many it deleted. The
	// newest one always stays. DeleteInvalidations deletes them all.
	PurgeInvalidations(distID string, keep int, keepBytes, maxRevision int64) (int, error)
	DeleteInvalidations(distID string) error

	// DomainNameTaken reports whether any distribution or streaming
	// distribution, of any account, has the DomainName name (compared
	// case-insensitively).
	DomainNameTaken(name string) (bool, error)

	// CloudFront key pairs (for signed URLs). InsertKeyPair: ErrExists;
	// ErrNotFound if the account does not exist. Others: ErrNotFound.
	// Changes carry a revision like distributions so edges learn of them;
	// DeleteKeyPair remembers the id as deleted at the revision.
	InsertKeyPair(k KeyPair) error
	KeyPair(id string) (KeyPair, error)
	KeyPairs(accountID string) ([]KeyPair, error) // "" lists all; ordered by id
	UpdateKeyPair(k KeyPair) error
	DeleteKeyPair(id string, revision int64) error
	KeyPairsChangedSince(rev int64) (changed []KeyPair, deleted []string, err error)

	// Bucket grants (package buckets says what they mean). InsertBucketGrant:
	// ErrExists if the same grant (Key) exists; ErrNotFound if its account
	// or origin access identity does not. UpdateBucketGrant sets a grant's
	// Write and Revision (ErrNotFound). DeleteBucketGrant: ErrNotFound;
	// it remembers the key as deleted at the revision. Changes carry
	// revisions like key pairs so edges learn of them. Deleting an account
	// or an OAI deletes its grants (with tombstones at a new revision).
	InsertBucketGrant(g BucketGrant) error
	UpdateBucketGrant(g BucketGrant) error
	// BucketGrants lists the grants of bucket ("" for every bucket; "*"
	// lists only the grants of every bucket), ordered by bucket, then key.
	BucketGrants(bucket string) ([]BucketGrant, error)
	DeleteBucketGrant(g buckets.Grant, revision int64) error
	BucketGrantsChangedSince(rev int64) (changed []BucketGrant, deletedKeys []string, err error)

	// Viewer certificates, by ARN. InsertCertificate: ErrExists;
	// ErrNotFound if the account does not exist. Certificate,
	// DeleteCertificate: ErrNotFound. Changes carry revisions like key
	// pairs so edges learn of them; deleting an account deletes its
	// certificates with tombstones at a new revision.
	InsertCertificate(c Certificate) error
	Certificate(arn string) (Certificate, error)
	Certificates(accountID string) ([]Certificate, error) // "" lists all; ordered by ARN
	DeleteCertificate(arn string, revision int64) error
	CertificatesChangedSince(rev int64) (changed []Certificate, deletedARNs []string, err error)

	// Resource tags, by the resource's ARN. Tags returns them ordered by
	// key (none: an empty list, whether or not the resource exists);
	// SetTags replaces them whole (none deletes them all).
	Tags(resource string) ([]cloudfront.Tag, error)
	SetTags(resource string, tags []cloudfront.Tag) error

	// Edges. UpsertEdge inserts or replaces an edge by id. Edge,
	// DeleteEdge: ErrNotFound. TouchEdge sets LastSeen (heartbeat) and,
	// when revision > the stored AckedRevision, AckedRevision; ErrNotFound.
	UpsertEdge(e Edge) error
	Edge(id string) (Edge, error)
	Edges() ([]Edge, error) // ordered by id
	// EdgesBehind is the edges whose AckedRevision is below rev, the
	// most recently seen first; at most limit of them (none: limit <= 0).
	EdgesBehind(rev int64, limit int) ([]Edge, error)
	TouchEdge(id string, ackedRevision int64, seen time.Time) error
	DeleteEdge(id string) error

	// Edge keys authenticate edges to the feed. InsertEdgeKey: ErrExists.
	// EdgeKey, DeleteEdgeKey: ErrNotFound.
	InsertEdgeKey(k EdgeKey) error
	EdgeKey(id string) (EdgeKey, error)
	EdgeKeys() ([]EdgeKey, error) // ordered by id
	DeleteEdgeKey(id string) error

	// The bootstrap marker: set once, by the first start, with the account
	// it made. Bootstrap: ErrNotFound before. MarkBootstrap: ErrExists
	// after (so two nodes starting at once make one account).
	Bootstrap() (Bootstrap, error)
	MarkBootstrap(b Bootstrap) error
}

// Account is a tenant: the owner of distributions and keys.
type Account struct {
	ID       string // 12 digits
	Name     string
	Disabled bool
	Created  time.Time
}

// AccessKey is an API credential of an account.
type AccessKey struct {
	ID        string // AKIA + 16
	Secret    string // 40 characters
	AccountID string
	Disabled  bool
	Created   time.Time
}

// KeyPair is a CloudFront key pair: the public half of an RSA key that
// signs URLs for distributions that trust its account.
type KeyPair struct {
	ID           string // APKA + 16
	AccountID    string
	PublicKeyPEM string
	Active       bool
	Created      time.Time
	Revision     int64
}

// Certificate is an imported viewer certificate. PrivateKeyPEM is a
// secret: nothing prints it, and it leaves the store only for the edges.
type Certificate struct {
	ARN            string // arn:aws:acm:us-east-1:<account>:certificate/<uuid>
	AccountID      string
	CertificatePEM string
	ChainPEM       string
	PrivateKeyPEM  string
	Names          []string // the certificate's DNS names, lower case
	NotBefore      time.Time
	NotAfter       time.Time
	Created        time.Time
	Revision       int64
}

// BucketGrant is a grant as stored: when it was made, and the feed
// revision that carries it to the edges.
type BucketGrant struct {
	buckets.Grant
	Created  time.Time
	Revision int64
}

// Edge is a registered edge server.
type Edge struct {
	ID            string
	Name          string
	PriceClass    string // cloudfront.PriceClass100, 200 or All: the edge's location
	Registered    time.Time
	LastSeen      time.Time
	AckedRevision int64
}

// EdgeKey is a credential an edge presents to the config feed. It acts
// as one edge only: the edge whose id is the key's ID, in PriceClass
// (cloudfront.PriceClass100, 200 or All; "" for keys made before keys were
// bound, which the feed refuses).
type EdgeKey struct {
	ID         string
	Secret     string
	Created    time.Time
	PriceClass string
}

// Bootstrap records the store's first start: the account it made ("" when
// the store had accounts before the marker existed and none was named
// bootstrap).
type Bootstrap struct {
	AccountID string
	Created   time.Time
}

// Records are one lifecycle kind's records in a transaction: the methods
// every such kind has (see the distribution methods of Tx for their
// errors), so that the control plane's lifecycle is written once.
type Records[R any] interface {
	Insert(r R) error
	Get(id string) (R, error)
	ByCallerReference(accountID, callerReference string) (R, error)
	// List pages through an account's records ("" for all accounts) in id
	// order, after the id after; limit <= 0 means no limit.
	List(accountID, after string, limit int) ([]R, error)
	Count(accountID string) (int, error)
	Update(r R) error
	Delete(id string, revision int64) error
}
