package feed

import (
	"fmt"
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
)

// Merge returns the snapshot that results from applying d to s (nil s is
// the empty snapshot at revision 0). A Full delta replaces everything;
// otherwise d.From must equal s.Revision, changed items replace those
// with the same id and deleted ids are removed. s is not modified, so an
// Applier may keep it. Lists come back sorted by id.
func Merge(s *Snapshot, d *Delta) (*Snapshot, error) {
	if s == nil {
		s = &Snapshot{}
	}
	if d.Full {
		out := &Snapshot{
			Revision:      d.Revision,
			Distributions: slices.Clone(d.Distributions),
			KeyPairs:      slices.Clone(d.KeyPairs),
			BucketGrants:  slices.Clone(d.BucketGrants),
			Certificates:  slices.Clone(d.Certificates),
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
	// Pointers, not copies: a Distribution is nearly 1 KB, and an edge
	// merges on every revision, so a map of copies was megabytes of
	// garbage per revision with a few thousand distributions.
	dists := make(map[string]*cloudfront.Distribution, len(s.Distributions)+len(d.Distributions))
	for i := range s.Distributions {
		dists[s.Distributions[i].ID] = &s.Distributions[i]
	}
	for _, id := range d.DeletedDistributions {
		delete(dists, id)
	}
	for i := range d.Distributions {
		dists[d.Distributions[i].ID] = &d.Distributions[i]
	}
	keys := make(map[string]KeyPair, len(s.KeyPairs)+len(d.KeyPairs))
	for _, x := range s.KeyPairs {
		keys[x.ID] = x
	}
	for _, id := range d.DeletedKeyPairs {
		delete(keys, id)
	}
	for _, x := range d.KeyPairs {
		keys[x.ID] = x
	}
	grants := make(map[string]buckets.Grant, len(s.BucketGrants)+len(d.BucketGrants))
	for _, x := range s.BucketGrants {
		grants[x.Key()] = x
	}
	for _, k := range d.DeletedBucketGrants {
		delete(grants, k)
	}
	for _, x := range d.BucketGrants {
		grants[x.Key()] = x
	}
	certs := make(map[string]Certificate, len(s.Certificates)+len(d.Certificates))
	for _, x := range s.Certificates {
		certs[x.ARN] = x
	}
	for _, arn := range d.DeletedCertificates {
		delete(certs, arn)
	}
	for _, x := range d.Certificates {
		certs[x.ARN] = x
	}
	out := &Snapshot{Revision: d.Revision}
	for _, x := range certs {
		out.Certificates = append(out.Certificates, x)
	}
	if len(dists) > 0 {
		out.Distributions = make([]cloudfront.Distribution, 0, len(dists))
	}
	for _, x := range dists {
		out.Distributions = append(out.Distributions, *x)
	}
	for _, x := range keys {
		out.KeyPairs = append(out.KeyPairs, x)
	}
	for _, x := range grants {
		out.BucketGrants = append(out.BucketGrants, x)
	}
	sortSnapshot(out)
	return out, nil
}

func sortSnapshot(s *Snapshot) {
	slices.SortFunc(s.Distributions, func(a, b cloudfront.Distribution) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.KeyPairs, func(a, b KeyPair) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.BucketGrants, func(a, b buckets.Grant) int { return strings.Compare(a.Key(), b.Key()) })
	slices.SortFunc(s.Certificates, func(a, b Certificate) int { return strings.Compare(a.ARN, b.ARN) })
}
