package feed

import (
	"fmt"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// DefaultTimeout is how long an edge stays live after it was last seen
// when no other timeout is given.
const DefaultTimeout = 15 * time.Second

// NormalizeEdgePriceClass turns an edge's --price-class value ("100",
// "200", "All", or the PriceClass_ names, in any letter case) into the
// cloudfront.PriceClass constant of the locations the edge belongs to.
func NormalizeEdgePriceClass(s string) (string, error) {
	t := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "priceclass_")
	switch t {
	case "100":
		return cloudfront.PriceClass100, nil
	case "200":
		return cloudfront.PriceClass200, nil
	case "all":
		return cloudfront.PriceClassAll, nil
	}
	return "", fmt.Errorf("feed: price class %q: want 100, 200 or All", s)
}

// classRank orders the classes by how many locations they cover. An
// empty or unknown distribution class counts as PriceClass_All, the
// API's default.
//
// "None" (2020-05-31) covers what PriceClass_100 covers. CloudFront
// documents no locations for it: its price-class docs say a class other
// than PriceClass_All is served from "the edge locations in your price
// class", and the locations every class includes are PriceClass_100's.
// Reading it as All would spread a tenant's content (and the operator's
// cost) to every location when the tenant named no class at all, and
// keep its Deployed waiting on the farthest edges; the narrowest
// footprint is what a shared CDN should assume until told otherwise.
func classRank(c string) int {
	switch c {
	case cloudfront.PriceClass100, cloudfront.PriceClassNone:
		return 1
	case cloudfront.PriceClass200:
		return 2
	}
	return 3
}

// Covers reports whether a distribution of distPriceClass is deployed to
// an edge whose location is in edgePriceClass. The classes nest: an edge
// in the PriceClass_100 locations is covered by every class, a _200 edge
// by 200 and All, an All-only edge by All alone. An edge class that does
// not normalise counts as All-only, the narrowest coverage.
func Covers(distPriceClass, edgePriceClass string) bool {
	ec, err := NormalizeEdgePriceClass(edgePriceClass)
	if err != nil {
		ec = cloudfront.PriceClassAll
	}
	return classRank(ec) <= classRank(distPriceClass)
}

// Live reports whether the edge was seen within timeout before now
// (timeout <= 0 means DefaultTimeout). A LastSeen after now, from another
// control-plane node's clock, counts as live.
func Live(e store.Edge, now time.Time, timeout time.Duration) bool {
	if e.LastSeen.IsZero() {
		return false
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return now.Sub(e.LastSeen) <= timeout
}

// Acked reports whether every live edge covered by priceClass has
// acknowledged revision rev.
func Acked(rev int64, priceClass string, edges []store.Edge, now time.Time, timeout time.Duration) bool {
	for _, e := range edges {
		if e.AckedRevision < rev && Live(e, now, timeout) && Covers(priceClass, e.PriceClass) {
			return false
		}
	}
	return true
}

// DistributionStatus is the distribution's API Status: Deployed when
// every live edge its PriceClass covers has acknowledged d.Revision (so
// also when there is no such edge), InProgress otherwise.
func DistributionStatus(d cloudfront.Distribution, edges []store.Edge, now time.Time, timeout time.Duration) string {
	if Acked(d.Revision, d.Config.PriceClass, edges, now, timeout) {
		return cloudfront.StatusDeployed
	}
	return cloudfront.StatusInProgress
}

// InvalidationDone reports whether every live edge covered by priceClass
// (the invalidation's distribution's) has acknowledged inv.Revision, and
// so has purged its paths.
func InvalidationDone(inv cloudfront.Invalidation, priceClass string, edges []store.Edge, now time.Time, timeout time.Duration) bool {
	return Acked(inv.Revision, priceClass, edges, now, timeout)
}

// StreamingDistributionStatus is a streaming distribution's API Status, by
// the rule of DistributionStatus. Edges never receive streaming
// distributions (none serves RTMP), but every write of one takes a feed
// revision, and edges acknowledge revisions, not objects: once every live
// covered edge has acknowledged d.Revision, the change has reached as far
// as a download distribution's would have.
func StreamingDistributionStatus(d cloudfront.StreamingDistribution, edges []store.Edge, now time.Time, timeout time.Duration) string {
	if Acked(d.Revision, d.Config.PriceClass, edges, now, timeout) {
		return cloudfront.StatusDeployed
	}
	return cloudfront.StatusInProgress
}
