package edge

import (
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edgefunc"
	"github.com/openfront/openfront/internal/feed"
)

// Key value stores at the edge: the snapshot's stores by id, swapped in
// whole at each Apply, read by the functions associated with them. A
// call reads the store as it is when the call starts; a write of keys
// reaches the next calls once its revision is applied.

// kvStores are a snapshot's stores by id, and the list they were made
// from.
type kvStores struct {
	byID map[string]*kvStore
	from []feed.KeyValueStore
}

// kvStore is one store as a function reads it (edgefunc.KeyValueStore).
// Its items are the snapshot's, shared and never written.
type kvStore struct{ src feed.KeyValueStore }

func (k *kvStore) ID() string { return k.src.ID }

func (k *kvStore) Get(key string) (string, bool) {
	items := k.src.Items
	i, ok := slices.BinarySearchFunc(items, key, func(kv cloudfront.KeyValue, key string) int { return strings.Compare(kv.Key, key) })
	if !ok {
		return "", false
	}
	return items[i].Value, true
}

func (k *kvStore) Meta() edgefunc.KeyValueStoreMeta {
	return edgefunc.KeyValueStoreMeta{Created: k.src.Created, Modified: k.src.Modified, Keys: len(k.src.Items)}
}

// applyStores makes the snapshot's stores the ones functions read. A
// revision that changes no store leaves the list as it was (feed.Merge
// shares it), and the map is kept: most revisions are distributions'.
func (s *Server) applyStores(snap *feed.Snapshot) {
	list := snap.KeyValueStores
	if m := s.stores.Load(); m != nil && len(list) == len(m.from) && (len(list) == 0 || &list[0] == &m.from[0]) {
		return
	}
	m := &kvStores{byID: make(map[string]*kvStore, len(list)), from: list}
	for _, k := range list {
		m.byID[k.ID] = &kvStore{k}
	}
	s.stores.Store(m)
}

// storeFor is the store arn names for a function of the account's
// distribution; nil when the function has none, or the store is not (or
// no longer) on this edge, or is another account's — the control plane
// never lets a function name another account's store, and the edge does
// not take that on trust.
func (s *Server) storeFor(accountID, arn string) edgefunc.KeyValueStore {
	if arn == "" {
		return nil
	}
	acct, id, ok := cloudfront.ParseKeyValueStoreARN(arn)
	m := s.stores.Load()
	if !ok || acct != accountID || m == nil {
		return nil
	}
	k := m.byID[id]
	if k == nil || k.src.AccountID != accountID {
		return nil
	}
	return k
}
