package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func testInvalidations(t *testing.T, s store.Store) {
	i1 := invalidation("I1", "E1", "ref-1", 1, 1)
	i2 := invalidation("I2", "E1", "ref-2", 2, 2)
	i3 := invalidation("I3", "E2", "ref-1", 3, 3) // same reference, other distribution
	i3.Batch.Paths = []string{}
	update(t, s, func(tx store.Tx) error {
		for _, inv := range []cloudfront.Invalidation{i2, i3, i1} {
			noErr(t, "InsertInvalidation", tx.InsertInvalidation(inv))
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Invalidation("E1", "I2")
		noErr(t, "Invalidation", err)
		equal(t, "Invalidation", got, i2, normInv)
		got, err = tx.Invalidation("E2", "I3")
		noErr(t, "Invalidation", err)
		equal(t, "Invalidation with no paths", got, i3, normInv)
		got, err = tx.InvalidationByCallerReference("E2", "ref-1")
		noErr(t, "InvalidationByCallerReference", err)
		equal(t, "InvalidationByCallerReference", got, i3, normInv)
		changed, err := tx.InvalidationsChangedSince(1)
		noErr(t, "InvalidationsChangedSince", err)
		equal(t, "InvalidationsChangedSince", ids(changed, invID), []string{"I2", "I3"}, nil)
		changed, err = tx.InvalidationsChangedSince(3)
		noErr(t, "InvalidationsChangedSince", err)
		equal(t, "InvalidationsChangedSince(3)", ids(changed, invID), []string{}, nil)
		// Insertion order, across distributions.
		pending, err := tx.InvalidationsWithStatus("", cloudfront.StatusInProgress)
		noErr(t, "InvalidationsWithStatus", err)
		equal(t, "InvalidationsWithStatus", ids(pending, invID), []string{"I2", "I3", "I1"}, nil)
		pending, err = tx.InvalidationsWithStatus("E2", cloudfront.StatusInProgress)
		noErr(t, "InvalidationsWithStatus(E2)", err)
		equal(t, "InvalidationsWithStatus(E2)", ids(pending, invID), []string{"I3"}, nil)
		return nil
	})

	// UpdateInvalidation changes Status only.
	done := i2
	done.Status, done.Batch.Paths = cloudfront.StatusCompleted, []string{"/ignored"}
	update(t, s, func(tx store.Tx) error { return tx.UpdateInvalidation(done) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Invalidation("E1", "I2")
		noErr(t, "Invalidation", err)
		want := i2
		want.Status = cloudfront.StatusCompleted
		equal(t, "Invalidation after update", got, want, normInv)
		pending, err := tx.InvalidationsWithStatus("", cloudfront.StatusInProgress)
		noErr(t, "InvalidationsWithStatus", err)
		equal(t, "InvalidationsWithStatus(InProgress)", ids(pending, invID), []string{"I3", "I1"}, nil)
		completed, err := tx.InvalidationsWithStatus("", cloudfront.StatusCompleted)
		noErr(t, "InvalidationsWithStatus", err)
		equal(t, "InvalidationsWithStatus(Completed)", ids(completed, invID), []string{"I2"}, nil)
		return nil
	})

	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"Insert id taken", func(tx store.Tx) error {
			return tx.InsertInvalidation(invalidation("I1", "E9", "fresh", 0, 9))
		}, store.ErrExists},
		{"Insert caller reference taken", func(tx store.Tx) error {
			return tx.InsertInvalidation(invalidation("I9", "E1", "ref-1", 0, 9))
		}, store.ErrExists},
		{"Invalidation of other distribution", func(tx store.Tx) error { _, err := tx.Invalidation("E2", "I1"); return err }, store.ErrNotFound},
		{"Invalidation", func(tx store.Tx) error { _, err := tx.Invalidation("E1", "IMISSING"); return err }, store.ErrNotFound},
		{"InvalidationByCallerReference", func(tx store.Tx) error {
			_, err := tx.InvalidationByCallerReference("E1", "missing")
			return err
		}, store.ErrNotFound},
		{"Invalidations after unknown", func(tx store.Tx) error { _, err := tx.Invalidations("E1", "IMISSING", 0); return err }, store.ErrNotFound},
		{"Update", func(tx store.Tx) error { return tx.UpdateInvalidation(invalidation("IMISSING", "E1", "x", 0, 0)) }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}
}

// testInvalidationOrder checks newest-first listing: by CreateTime, and
// among equal CreateTimes the later inserted first.
func testInvalidationOrder(t *testing.T, s store.Store) {
	// Inserted in this order; minutes after base.
	batches := []struct {
		id      string
		created int
	}{{"IA", 1}, {"IB", 3}, {"IC", 2}, {"ID", 3}, {"IE", 0}}
	update(t, s, func(tx store.Tx) error {
		for i, b := range batches {
			noErr(t, "InsertInvalidation", tx.InsertInvalidation(invalidation(b.id, "E1", b.id, b.created, int64(i+1))))
		}
		// Another distribution's must not show up.
		return tx.InsertInvalidation(invalidation("IZ", "E2", "IZ", 9, 9))
	})
	for _, tc := range []struct {
		after string
		limit int
		want  []string
	}{
		{"", 0, []string{"ID", "IB", "IC", "IA", "IE"}},
		{"", 2, []string{"ID", "IB"}},
		{"ID", 2, []string{"IB", "IC"}},
		{"IB", 0, []string{"IC", "IA", "IE"}},
		{"IA", 5, []string{"IE"}},
		{"IE", 5, []string{}},
	} {
		t.Run(tc.after, func(t *testing.T) {
			view(t, s, func(tx store.Tx) error {
				got, err := tx.Invalidations("E1", tc.after, tc.limit)
				noErr(t, "Invalidations", err)
				equal(t, "ids", ids(got, invID), tc.want, nil)
				return nil
			})
		})
	}
}
