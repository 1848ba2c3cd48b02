package feed

import "github.com/openfront/openfront/internal/cloudfront"

// Change is one distribution's record in two snapshots: Was nil when it
// was created, Now nil when it was deleted.
type Change struct {
	Was, Now *cloudfront.Distribution
}

// Changes lists the distributions whose record differs between was and
// now, two snapshots' Distributions (Merge shares unchanged records, so
// an unchanged one is the same pointer). was must be in strictly
// increasing id order; ok is false when now is not, and the caller must
// then compare the snapshots some other way. The walk compares pointers,
// and ids only where the snapshots differ, so it costs a pointer
// comparison per distribution and the rest per change.
func Changes(was, now []*cloudfront.Distribution) (changes []Change, ok bool) {
	for i, j := 0, 0; i < len(was) || j < len(now); {
		// now is in order where it repeats a run of was (which is); check
		// the rest.
		if j > 0 && j < len(now) && !(i > 0 && i < len(was) && was[i-1] == now[j-1] && was[i] == now[j]) && now[j-1].ID >= now[j].ID {
			return nil, false
		}
		switch {
		case i < len(was) && j < len(now) && was[i] == now[j]:
			i++
			j++
		case j == len(now) || i < len(was) && was[i].ID < now[j].ID:
			changes = append(changes, Change{Was: was[i]})
			i++
		case i == len(was) || now[j].ID < was[i].ID:
			changes = append(changes, Change{Now: now[j]})
			j++
		default:
			changes = append(changes, Change{Was: was[i], Now: now[j]})
			i++
			j++
		}
	}
	return changes, true
}

// SortedByID reports whether ds is in strictly increasing id order, as
// Changes needs of its first argument.
func SortedByID(ds []*cloudfront.Distribution) bool { return sortedByID(ds) }
