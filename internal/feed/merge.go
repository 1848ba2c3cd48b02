package feed

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
)

// Merge returns the snapshot that results from applying d to s (nil s is
// the empty snapshot at revision 0). A Full delta replaces everything;
// otherwise d.From must equal s.Revision, changed items replace those
// with the same id and deleted ids are removed. s is not modified, so an
// Applier may keep it. Lists come back sorted by id.
//
// The result shares with s every record d leaves unchanged (the
// distributions' pointers; a whole list when d changes nothing of its
// kind), and each record d brings gets an allocation of its own, so a
// revision costs in proportion to the change and no record keeps a
// delta's other records alive.
func Merge(s *Snapshot, d *Delta) (*Snapshot, error) { return merge(s, d, false) }

// merge is Merge; ordered says s's distributions are known to be in
// strictly increasing id order (s came from merge or DecodeSnapshotFile),
// so that an edge's merge need not compare every id of the snapshot at
// every revision.
func merge(s *Snapshot, d *Delta, ordered bool) (*Snapshot, error) {
	return mergeRecords(s, d, Records(d.Distributions), ordered)
}

// mergeRecords is merge with d's distributions given as records, each in
// an allocation of its own that the result may share (d.Distributions is
// not read): an edge decodes a delta's records so (receivedDelta), rather
// than into one list that merge would then copy out of.
func mergeRecords(s *Snapshot, d *Delta, records []*cloudfront.Distribution, ordered bool) (*Snapshot, error) {
	if s == nil {
		s = &Snapshot{}
	}
	if d.Full {
		out := &Snapshot{
			Revision:       d.Revision,
			Distributions:  slices.Clone(records),
			KeyPairs:       slices.Clone(d.KeyPairs),
			BucketGrants:   slices.Clone(d.BucketGrants),
			Certificates:   slices.Clone(d.Certificates),
			KeyValueStores: slices.Clone(d.KeyValueStores),
		}
		sortSnapshot(out)
		return out, nil
	}
	if d.From != s.Revision {
		return nil, fmt.Errorf("feed: delta from revision %d, snapshot at %d", d.From, s.Revision)
	}
	if d.Revision < d.From {
		return nil, fmt.Errorf("feed: delta goes back from revision %d to %d", d.From, d.Revision)
	}
	return &Snapshot{
		Revision:       d.Revision,
		Distributions:  mergeDistributions(s.Distributions, records, d.DeletedDistributions, ordered),
		KeyPairs:       mergeByKey(s.KeyPairs, d.KeyPairs, d.DeletedKeyPairs, keyPairID),
		BucketGrants:   mergeByKey(s.BucketGrants, d.BucketGrants, d.DeletedBucketGrants, buckets.Grant.Key),
		Certificates:   mergeByKey(s.Certificates, d.Certificates, d.DeletedCertificates, certificateARN),
		KeyValueStores: mergeByKey(s.KeyValueStores, d.KeyValueStores, d.DeletedKeyValueStores, keyValueStoreID),
	}, nil
}

func keyPairID(k KeyPair) string             { return k.ID }
func certificateARN(c Certificate) string    { return c.ARN }
func keyValueStoreID(k KeyValueStore) string { return k.ID }

// Records gives each record of ds an allocation of its own, as a
// Snapshot holds them: records outlive the delta they came in, one by
// one, as later revisions replace them.
func Records(ds []cloudfront.Distribution) []*cloudfront.Distribution {
	if len(ds) == 0 {
		return nil
	}
	out := make([]*cloudfront.Distribution, len(ds))
	for i := range ds {
		out[i] = own(&ds[i])
	}
	return out
}

func own(d *cloudfront.Distribution) *cloudfront.Distribution {
	p := new(cloudfront.Distribution)
	*p = *d
	return p
}

// mergeByKey is base with the deleted keys removed and changed upserted
// (of one key, the last wins), sorted by key. base itself, shared, when
// the delta changes nothing of this kind and base is in order already.
func mergeByKey[T any](base, changed []T, deleted []string, key func(T) string) []T {
	if len(changed) == 0 && len(deleted) == 0 && strictlySorted(base, key) {
		return base
	}
	m := make(map[string]T, len(base)+len(changed))
	for _, x := range base {
		m[key(x)] = x
	}
	for _, k := range deleted {
		delete(m, k)
	}
	for _, x := range changed {
		m[key(x)] = x
	}
	if len(m) == 0 {
		return nil
	}
	out := make([]T, 0, len(m))
	for _, x := range m {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	return out
}

func strictlySorted[T any](xs []T, key func(T) string) bool {
	for i := 1; i < len(xs); i++ {
		if key(xs[i-1]) >= key(xs[i]) {
			return false
		}
	}
	return true
}

// mergeDistributions is base with deleted removed and changed upserted,
// sorted by id; an id both deleted and changed is kept. An edge merges on
// every revision: the few changes are placed in base, sorted by id as
// Merge leaves it (ordered: known to be), by binary search, and the runs
// of base between them copied whole, rather than base copied through a
// map and sorted again (tens of milliseconds per revision with a few
// thousand distributions, on every edge).
func mergeDistributions(base, changed []*cloudfront.Distribution, deleted []string, ordered bool) []*cloudfront.Distribution {
	if !ordered && !sortedByID(base) {
		return mergeDistributionsMap(base, changed, deleted)
	}
	if len(changed) == 0 && len(deleted) == 0 {
		return base
	}
	// The changes by id; of one id changed twice, the later wins.
	sorted := slices.Clone(changed)
	slices.SortStableFunc(sorted, byID)
	ch := sorted[:0]
	for i, x := range sorted {
		if i+1 < len(sorted) && sorted[i+1].ID == x.ID {
			continue
		}
		ch = append(ch, x)
	}
	dels := slices.Clone(deleted)
	slices.Sort(dels)
	dels = slices.Compact(dels)
	out := make([]*cloudfront.Distribution, 0, len(base)+len(ch))
	i, a, b := 0, 0, 0 // in base, ch and dels
	for a < len(ch) || b < len(dels) {
		var id string
		var put *cloudfront.Distribution
		if b == len(dels) || a < len(ch) && ch[a].ID <= dels[b] {
			id, put = ch[a].ID, ch[a]
			if b < len(dels) && dels[b] == id {
				b++ // deleted and changed: kept
			}
			a++
		} else {
			id = dels[b]
			b++
		}
		at := i + sort.Search(len(base)-i, func(x int) bool { return base[i+x].ID >= id })
		out = append(out, base[i:at]...)
		i = at
		if i < len(base) && base[i].ID == id {
			i++ // replaced or deleted
		}
		if put != nil {
			out = append(out, put)
		}
	}
	out = append(out, base[i:]...)
	if len(out) == 0 {
		return nil
	}
	return out
}

// sortedByID reports whether ds is in strictly increasing id order.
func sortedByID(ds []*cloudfront.Distribution) bool {
	for i := 1; i < len(ds); i++ {
		if ds[i-1].ID >= ds[i].ID {
			return false
		}
	}
	return true
}

// mergeDistributionsMap is mergeDistributions for a base not in id order
// (a Snapshot built by hand): of one id, the last wins.
func mergeDistributionsMap(base, changed []*cloudfront.Distribution, deleted []string) []*cloudfront.Distribution {
	dists := make(map[string]*cloudfront.Distribution, len(base)+len(changed))
	for _, x := range base {
		dists[x.ID] = x
	}
	for _, id := range deleted {
		delete(dists, id)
	}
	for _, x := range changed {
		dists[x.ID] = x
	}
	if len(dists) == 0 {
		return nil
	}
	out := make([]*cloudfront.Distribution, 0, len(dists))
	for _, x := range dists {
		out = append(out, x)
	}
	slices.SortFunc(out, byID)
	return out
}

func byID(a, b *cloudfront.Distribution) int { return strings.Compare(a.ID, b.ID) }

// sortSnapshot puts a snapshot built from whole lists (a full delta, a
// file) in order; its lists are its own.
func sortSnapshot(s *Snapshot) {
	if !sortedByID(s.Distributions) {
		slices.SortFunc(s.Distributions, byID)
	}
	slices.SortFunc(s.KeyPairs, func(a, b KeyPair) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.BucketGrants, func(a, b buckets.Grant) int { return strings.Compare(a.Key(), b.Key()) })
	slices.SortFunc(s.Certificates, func(a, b Certificate) int { return strings.Compare(a.ARN, b.ARN) })
	slices.SortFunc(s.KeyValueStores, func(a, b KeyValueStore) int { return strings.Compare(a.ID, b.ID) })
}
