package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func testDistributions(t *testing.T, s store.Store) {
	d1 := dist("EDFDVBD6EXAMPL1", acct1, "ref-1", "www.example.com", "cdn.example.com")
	d2 := dist("EDFDVBD6EXAMPL2", acct2, "ref-1")
	update(t, s, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		noErr(t, "NextRevision", err)
		d1.Revision, d2.Revision = rev, rev
		noErr(t, "InsertDistribution", tx.InsertDistribution(d1))
		return tx.InsertDistribution(d2) // same CallerReference, other account
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Distribution(d1.ID)
		noErr(t, "Distribution", err)
		equal(t, "Distribution", got, d1, normDist)
		got, err = tx.DistributionByCallerReference(acct2, "ref-1")
		noErr(t, "DistributionByCallerReference", err)
		equal(t, "DistributionByCallerReference", got, d2, normDist)
		for _, tc := range []struct {
			account string
			want    int
		}{{"", 2}, {acct1, 1}, {acct2, 1}, {"999999999999", 0}} {
			n, err := tx.CountDistributions(tc.account)
			noErr(t, "CountDistributions", err)
			if n != tc.want {
				t.Errorf("CountDistributions(%q) = %d, want %d", tc.account, n, tc.want)
			}
		}
		return nil
	})

	// UpdateDistribution replaces the record whole, aliases included.
	d1.Config.Aliases = []string{"new.example.com"}
	d1.Config.Comment = "changed"
	d1.Config.CallerReference = "ref-1b"
	d1.ETag = "ETAGNEW"
	d1.LastModifiedTime = at(5)
	update(t, s, func(tx store.Tx) error {
		var err error
		d1.Revision, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		return tx.UpdateDistribution(d1)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Distribution(d1.ID)
		noErr(t, "Distribution", err)
		equal(t, "Distribution after update", got, d1, normDist)
		_, err = tx.DistributionByCallerReference(acct1, "ref-1")
		wantErr(t, "old CallerReference", err, store.ErrNotFound)
		return nil
	})
	// The aliases it dropped are free again.
	update(t, s, func(tx store.Tx) error {
		return tx.InsertDistribution(dist("EDFDVBD6EXAMPL3", acct2, "ref-3", "WWW.example.com"))
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteDistribution(d2.ID, 10) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.Distribution(d2.ID)
		wantErr(t, "Distribution after delete", err, store.ErrNotFound)
		n, err := tx.CountDistributions("")
		noErr(t, "CountDistributions", err)
		if n != 2 {
			t.Errorf("CountDistributions after delete = %d, want 2", n)
		}
		return nil
	})
}

func testDistributionErrors(t *testing.T, s store.Store) {
	d := dist("EDFDVBD6EXAMPL1", acct1, "ref-1", "www.example.com")
	other := dist("EDFDVBD6EXAMPL2", acct1, "ref-2", "other.example.com")
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertDistribution", tx.InsertDistribution(d))
		return tx.InsertDistribution(other)
	})
	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"Insert id taken", func(tx store.Tx) error {
			return tx.InsertDistribution(dist(d.ID, acct2, "fresh"))
		}, store.ErrExists},
		{"Insert caller reference taken", func(tx store.Tx) error {
			return tx.InsertDistribution(dist("EDFDVBD6EXAMPL3", acct1, "ref-1"))
		}, store.ErrExists},
		{"Insert CNAME taken", func(tx store.Tx) error {
			return tx.InsertDistribution(dist("EDFDVBD6EXAMPL3", acct1, "ref-3", "free.example.com", "www.example.com"))
		}, store.ErrCNAMEInUse},
		{"Insert CNAME taken by other account, other case", func(tx store.Tx) error {
			return tx.InsertDistribution(dist("EDFDVBD6EXAMPL3", acct2, "ref-3", "WWW.Example.COM"))
		}, store.ErrCNAMEInUse},
		{"Update CNAME taken", func(tx store.Tx) error {
			o := other
			o.Config.Aliases = []string{"other.example.com", "Www.example.com"}
			return tx.UpdateDistribution(o)
		}, store.ErrCNAMEInUse},
		{"Update caller reference taken", func(tx store.Tx) error {
			o := other
			o.Config.CallerReference = "ref-1"
			return tx.UpdateDistribution(o)
		}, store.ErrExists},
		{"Distribution", func(tx store.Tx) error { _, err := tx.Distribution("EMISSING"); return err }, store.ErrNotFound},
		{"DistributionByCallerReference other account", func(tx store.Tx) error {
			_, err := tx.DistributionByCallerReference(acct2, "ref-1")
			return err
		}, store.ErrNotFound},
		{"Update", func(tx store.Tx) error { return tx.UpdateDistribution(dist("EMISSING", acct1, "x")) }, store.ErrNotFound},
		{"Delete", func(tx store.Tx) error { return tx.DeleteDistribution("EMISSING", 1) }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}

	// A distribution may keep its own aliases, in any case, and list a
	// name twice.
	update(t, s, func(tx store.Tx) error {
		d.Config.Aliases = []string{"WWW.EXAMPLE.COM", "www.example.com"}
		return tx.UpdateDistribution(d)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Distribution(d.ID)
		noErr(t, "Distribution", err)
		equal(t, "Distribution", got, d, normDist)
		return nil
	})
}

// testDistributionRoundTrip checks that nil and empty lists, and pointers,
// come back as they went in.
func testDistributionRoundTrip(t *testing.T, s store.Store) {
	empty := cloudfront.Distribution{ID: "EEMPTY", AccountID: acct1}
	lists := dist("ELISTS", acct1, "lists")
	lists.Config.Aliases = []string{}
	lists.Config.CacheBehaviors = []cloudfront.CacheBehavior{}
	lists.Config.Origins = []cloudfront.Origin{{ID: "bare"}}
	for _, d := range []cloudfront.Distribution{empty, lists} {
		t.Run(d.ID, func(t *testing.T) {
			update(t, s, func(tx store.Tx) error { return tx.InsertDistribution(d) })
			view(t, s, func(tx store.Tx) error {
				got, err := tx.Distribution(d.ID)
				noErr(t, "Distribution", err)
				equal(t, "Distribution", got, d, normDist)
				return nil
			})
		})
	}
}

func testCNAMEUniqueness(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		return tx.InsertDistribution(dist("E1", acct1, "r1", "Mixed.Example.com"))
	})
	for _, tc := range []struct {
		name    string
		account string
		alias   string
		want    error
	}{
		{"same account same case", acct1, "Mixed.Example.com", store.ErrCNAMEInUse},
		{"same account lower case", acct1, "mixed.example.com", store.ErrCNAMEInUse},
		{"other account upper case", acct2, "MIXED.EXAMPLE.COM", store.ErrCNAMEInUse},
		{"other name", acct2, "mixed.example.org", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := try(s, func(tx store.Tx) error {
				return tx.InsertDistribution(dist("E2"+tc.account, tc.account, "r-"+tc.name, tc.alias))
			})
			if tc.want == nil {
				noErr(t, "InsertDistribution", err)
				return
			}
			wantErr(t, "InsertDistribution", err, tc.want)
		})
	}
	// Deleting frees the name.
	update(t, s, func(tx store.Tx) error { return tx.DeleteDistribution("E1", 1) })
	update(t, s, func(tx store.Tx) error {
		return tx.InsertDistribution(dist("E3", acct2, "r3", "mixed.EXAMPLE.com"))
	})
}

func testDistributionPagination(t *testing.T, s store.Store) {
	// Inserted out of order; listed in id order.
	mine := []string{"E05", "E01", "E04", "E02"}
	update(t, s, func(tx store.Tx) error {
		for i, id := range mine {
			noErr(t, "InsertDistribution", tx.InsertDistribution(dist(id, acct1, "r"+id)))
			// Interleave another account's.
			noErr(t, "InsertDistribution", tx.InsertDistribution(dist("E0"+string(rune('6'+i)), acct2, "r"+id)))
		}
		return nil
	})
	for _, tc := range []struct {
		account string
		after   string
		limit   int
		want    []string
	}{
		{acct1, "", 0, []string{"E01", "E02", "E04", "E05"}},
		{acct1, "", -1, []string{"E01", "E02", "E04", "E05"}},
		{acct1, "", 2, []string{"E01", "E02"}},
		{acct1, "E02", 2, []string{"E04", "E05"}},
		{acct1, "E03", 1, []string{"E04"}}, // after need not exist
		{acct1, "E05", 2, []string{}},
		{acct2, "", 0, []string{"E06", "E07", "E08", "E09"}},
		{"", "E04", 3, []string{"E05", "E06", "E07"}},
		{"999999999999", "", 0, []string{}},
	} {
		t.Run(tc.account+"/"+tc.after, func(t *testing.T) {
			view(t, s, func(tx store.Tx) error {
				got, err := tx.Distributions(tc.account, tc.after, tc.limit)
				noErr(t, "Distributions", err)
				equal(t, "ids", ids(got, distID), tc.want, nil)
				return nil
			})
		})
	}
}

func testDistributionsChangedSince(t *testing.T, s store.Store) {
	var r1, r2, r3 int64
	d1 := dist("E1", acct1, "r1")
	d2 := dist("E2", acct1, "r2")
	update(t, s, func(tx store.Tx) error {
		var err error
		r1, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		d1.Revision = r1
		return tx.InsertDistribution(d1)
	})
	update(t, s, func(tx store.Tx) error {
		var err error
		r2, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		d2.Revision = r2
		return tx.InsertDistribution(d2)
	})
	update(t, s, func(tx store.Tx) error {
		var err error
		r3, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		return tx.DeleteDistribution(d1.ID, r3)
	})
	for _, tc := range []struct {
		since       int64
		wantChanged []string
		wantDeleted []string
	}{
		{0, []string{"E2"}, []string{"E1"}},
		{r1, []string{"E2"}, []string{"E1"}},
		{r2, []string{}, []string{"E1"}},
		{r3, []string{}, []string{}},
	} {
		view(t, s, func(tx store.Tx) error {
			changed, deleted, err := tx.DistributionsChangedSince(tc.since)
			noErr(t, "DistributionsChangedSince", err)
			equal(t, "changed", ids(changed, distID), tc.wantChanged, nil)
			equal(t, "deleted", append([]string{}, deleted...), tc.wantDeleted, nil)
			if len(changed) == 1 {
				equal(t, "changed distribution", changed[0], d2, normDist)
			}
			return nil
		})
	}
	// Inserting the id again is a change, not a deletion.
	update(t, s, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		noErr(t, "NextRevision", err)
		d := dist("E1", acct1, "r1-again")
		d.Revision = rev
		return tx.InsertDistribution(d)
	})
	view(t, s, func(tx store.Tx) error {
		changed, deleted, err := tx.DistributionsChangedSince(r2)
		noErr(t, "DistributionsChangedSince", err)
		equal(t, "changed after re-insert", ids(changed, distID), []string{"E1"}, nil)
		equal(t, "deleted after re-insert", append([]string{}, deleted...), []string{}, nil)
		return nil
	})
}
