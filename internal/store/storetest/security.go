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

// testPurgeInvalidations: the newest keep stay, as do the newest whose
// paths fit keepBytes, the newest of all, and any whose revision is above
// maxRevision; the rest of that distribution go, and other distributions'
// are untouched.
func testPurgeInvalidations(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		for i := 1; i <= 6; i++ {
			// I1 oldest … I6 newest; revisions follow. Paths are stored as
			// ["/a.html","/b/*"]: 20 bytes each.
			noErr(t, "InsertInvalidation", tx.InsertInvalidation(invalidation(fmt.Sprint("I", i), "E1", fmt.Sprint("ref-", i), i, int64(i))))
		}
		noErr(t, "InsertInvalidation", tx.InsertInvalidation(invalidation("J1", "E2", "ref-1", 0, 1)))
		return nil
	})
	left := func(what string, want []string) {
		t.Helper()
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Invalidations("E1", "", 0)
			noErr(t, "Invalidations", err)
			equal(t, what, ids(got, invID), want, nil)
			return nil
		})
	}
	const big = math.MaxInt64
	for _, tc := range []struct {
		keep           int
		keepBytes, rev int64
		deleted        int
		want           []string
	}{
		{3, big, 1, 1, []string{"I6", "I5", "I4", "I3", "I2"}}, // beyond 3, but only I1 is at or below revision 1
		{3, big, 2, 1, []string{"I6", "I5", "I4", "I3"}},
		{3, big, 0, 0, []string{"I6", "I5", "I4", "I3"}},
		{100, 40, big, 2, []string{"I6", "I5"}}, // 20 + 20 bytes fit, the third does not
		{0, 0, big, 1, []string{"I6"}},          // the newest always stays
	} {
		update(t, s, func(tx store.Tx) error {
			n, err := tx.PurgeInvalidations("E1", tc.keep, tc.keepBytes, tc.rev)
			noErr(t, "PurgeInvalidations", err)
			if n != tc.deleted {
				t.Errorf("PurgeInvalidations(E1, %d, %d, %d) deleted %d, want %d", tc.keep, tc.keepBytes, tc.rev, n, tc.deleted)
			}
			return nil
		})
		left(fmt.Sprintf("left after PurgeInvalidations(E1, %d, %d, %d)", tc.keep, tc.keepBytes, tc.rev), tc.want)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteInvalidations("E1") })
	left("left after DeleteInvalidations", []string{})
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
