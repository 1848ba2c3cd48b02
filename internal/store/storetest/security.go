package storetest

import (
	"fmt"
	"math"
	"testing"

	"github.com/openfront/openfront/internal/store"
)

// testDomainNameTaken: both kinds of distribution, any account, any case.
func testDomainNameTaken(t *testing.T, s store.Store) {
	d := dist("E1", acct1, "ref")
	sd := streaming("E2", acct2, "ref")
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertDistribution", tx.InsertDistribution(d))
		noErr(t, "InsertStreamingDistribution", tx.InsertStreamingDistribution(sd))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		for name, want := range map[string]bool{
			d.DomainName:           true,
			"D" + d.DomainName[1:]: true,
			sd.DomainName:          true,
			"x" + d.DomainName:     false,
			d.DomainName[1:]:       false,
			"www.example.com":      false,
			"dE3.cloudfront.net":   false,
		} {
			got, err := tx.DomainNameTaken(name)
			noErr(t, "DomainNameTaken", err)
			if got != want {
				t.Errorf("DomainNameTaken(%q) = %v, want %v", name, got, want)
			}
		}
		return nil
	})
}

// testPurgeInvalidations: the newest keep stay, and so does any whose
// revision is above maxRevision; the rest of that distribution go, and
// other distributions' are untouched.
func testPurgeInvalidations(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		for i := 1; i <= 6; i++ {
			// I1 oldest … I6 newest; revisions follow.
			noErr(t, "InsertInvalidation", tx.InsertInvalidation(invalidation(fmt.Sprint("I", i), "E1", fmt.Sprint("ref-", i), i, int64(i))))
		}
		noErr(t, "InsertInvalidation", tx.InsertInvalidation(invalidation("J1", "E2", "ref-1", 0, 1)))
		return nil
	})
	purge := func(keep int, maxRev int64, wantN int, want []string) {
		t.Helper()
		update(t, s, func(tx store.Tx) error {
			n, err := tx.PurgeInvalidations("E1", keep, maxRev)
			noErr(t, "PurgeInvalidations", err)
			if n != wantN {
				t.Errorf("PurgeInvalidations(E1, %d, %d) deleted %d, want %d", keep, maxRev, n, wantN)
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Invalidations("E1", "", 0)
			noErr(t, "Invalidations", err)
			equal(t, fmt.Sprintf("left after PurgeInvalidations(E1, %d, %d)", keep, maxRev), ids(got, invID), want, nil)
			return nil
		})
	}
	// Keep 3: I1..I3 are beyond; only those with revision <= 1 go.
	purge(3, 1, 1, []string{"I6", "I5", "I4", "I3", "I2"})
	purge(3, 2, 1, []string{"I6", "I5", "I4", "I3"})
	purge(3, 2, 0, []string{"I6", "I5", "I4", "I3"})
	purge(2, math.MaxInt64, 2, []string{"I6", "I5"})
	purge(0, math.MaxInt64, 2, []string{})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Invalidations("E2", "", 0)
		noErr(t, "Invalidations", err)
		equal(t, "other distribution", ids(got, invID), []string{"J1"}, nil)
		return nil
	})
	// The caller reference of a purged batch is free again: CloudFront
	// forgets purged history too.
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertInvalidation after purge", tx.InsertInvalidation(invalidation("I7", "E1", "ref-1", 7, 7)))
		return nil
	})
}
