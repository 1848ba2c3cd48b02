// Package feed carries configuration from the control plane to the edges:
// revisioned snapshots, deltas over a long poll, and acknowledgements.
package feed

import (
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
)

// ProtocolVersion is the config feed's wire version. Changelog:
//
//	1 (2026-11): deltas of distributions, key pairs and invalidations;
//	  register, poll, ack.
//	1 (2026-12): bucket grants in deltas and snapshots, a field older
//	  edges ignore (they would go on signing every OAI origin: upgrade
//	  edges with the control plane).
//	1 (2026-12): viewer certificates (with their private keys) in deltas
//	  and snapshots; older edges ignore them and serve the default
//	  certificate.
//	1 (2026-12): a poll's since acknowledges that revision, announced by
//	  RegisterResponse.PollAcknowledges; edges that still post an ack
//	  before each poll lose nothing.
//	1 (2026-12): key value stores (with their keys) in deltas and
//	  snapshots; older edges ignore them, and their functions find no
//	  store.
const ProtocolVersion = 1

// Snapshot is everything an edge needs to serve, as of Revision.
//
// A published snapshot is immutable, and so is every record it points to:
// Merge shares the records a delta leaves unchanged with the next
// snapshot, so that an edge's work per revision follows the change rather
// than the number of distributions, and the edge reuses what it compiled
// from a record as long as the pointer is the same. Never write through
// Distributions' pointers; copy the record and change the copy.
// Pointers or not, the JSON is the same, so snapshot files and the wire
// format are unchanged.
type Snapshot struct {
	Revision      int64
	Distributions []*cloudfront.Distribution // enabled and disabled, in id order, none nil
	KeyPairs      []KeyPair                  // active and inactive
	// BucketGrants say which S3 buckets each account and OAI may use
	// through the operator's key. Snapshots saved before grants existed
	// have none: the edge then signs nothing and delivers no logs until
	// the control plane sends them.
	BucketGrants []buckets.Grant `json:",omitempty"`
	// Certificates are the imported viewer certificates, keys included:
	// the feed is then exactly as secret as its TLS and the edges'
	// snapshot files (0600).
	Certificates []Certificate `json:",omitempty"`
	// KeyValueStores are the accounts' key value stores with their keys,
	// which CloudFront Functions read.
	KeyValueStores []KeyValueStore `json:",omitempty"`
}

// KeyValueStore is a key value store as functions read it: its keys,
// sorted, and when they last changed. A published one is immutable.
type KeyValueStore struct {
	ID        string
	AccountID string
	Created   time.Time
	Modified  time.Time
	Items     []cloudfront.KeyValue `json:",omitempty"`
}

// Certificate is an imported viewer certificate and its private key.
type Certificate struct {
	ARN            string
	AccountID      string
	CertificatePEM string
	ChainPEM       string `json:",omitempty"`
	PrivateKeyPEM  string
}

// KeyPair is the public half of a CloudFront key pair, which verifies
// signed URLs for distributions that trust AccountID.
type KeyPair struct {
	ID           string
	AccountID    string
	PublicKeyPEM string
	Active       bool `json:",omitzero"`
}

// Delta is the change from revision From to revision Revision. When Full is
// set, Distributions, KeyPairs, BucketGrants, Certificates and
// KeyValueStores are complete and replace what the edge
// had (From is then 0).
//
// Members are omitted from the JSON when zero (nil lists included), which
// decodes to the same delta; edges of earlier builds read it the same way.
type Delta struct {
	From                  int64                     `json:",omitzero"`
	Revision              int64                     // always present
	Full                  bool                      `json:",omitzero"`
	Distributions         []cloudfront.Distribution `json:",omitzero"`
	DeletedDistributions  []string                  `json:",omitzero"`
	KeyPairs              []KeyPair                 `json:",omitzero"`
	DeletedKeyPairs       []string                  `json:",omitzero"`
	BucketGrants          []buckets.Grant           `json:",omitempty"`
	DeletedBucketGrants   []string                  `json:",omitempty"` // grant keys (buckets.Grant.Key)
	Certificates          []Certificate             `json:",omitempty"`
	DeletedCertificates   []string                  `json:",omitempty"` // ARNs
	KeyValueStores        []KeyValueStore           `json:",omitempty"`
	DeletedKeyValueStores []string                  `json:",omitempty"` // ids
	// Invalidations whose paths the edge must purge (revision > From).
	Invalidations []cloudfront.Invalidation `json:",omitzero"`
}

// Applier is what an edge offers the feed client: it swaps in a new
// snapshot and purges the invalidated paths, atomically as seen by
// viewers' requests. The snapshot must not be modified after the call.
type Applier interface {
	Apply(s *Snapshot, invalidations []cloudfront.Invalidation) error
}
