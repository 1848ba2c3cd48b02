package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// TestDiskFull: when the database cannot grow (SQLITE_FULL, simulated
// with max_page_count on the one writing connection), Update fails with
// store.ErrNoSpace, leaves nothing of the transaction behind, and the
// store works again once there is room.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var pages int
	if err := s.w.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+8)); err != nil {
		t.Fatal(err)
	}
	inv := func(i int) cloudfront.Invalidation {
		return cloudfront.Invalidation{ID: fmt.Sprint("I", i), DistributionID: "E1", Status: cloudfront.StatusInProgress,
			Batch: cloudfront.InvalidationBatch{CallerReference: fmt.Sprint("ref-", i), Paths: []string{"/" + strings.Repeat("x", 3999)}}}
	}
	// Each transaction writes two batches; the one that does not fit must
	// leave neither.
	full := -1
	for i := 0; i < 1000 && full < 0; i += 2 {
		err := s.Update(ctx, func(tx store.Tx) error {
			if err := tx.InsertInvalidation(inv(i)); err != nil {
				return err
			}
			return tx.InsertInvalidation(inv(i + 1))
		})
		switch {
		case errors.Is(err, store.ErrNoSpace):
			full = i
		case err != nil:
			t.Fatalf("batch %d: %v, want nil or ErrNoSpace", i, err)
		}
	}
	if full < 0 {
		t.Fatal("the database never filled")
	}
	err = s.View(ctx, func(tx store.Tx) error {
		all, err := tx.Invalidations("E1", "", 0)
		if len(all) != full {
			t.Errorf("%d invalidations stored, want the %d committed before the disk filled", len(all), full)
		}
		for _, id := range []string{fmt.Sprint("I", full), fmt.Sprint("I", full+1)} {
			if _, err := tx.Invalidation("E1", id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s of the failed transaction: %v, want ErrNotFound", id, err)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.InsertInvalidation(inv(full)) }); err != nil {
		t.Fatalf("after space returned: %v", err)
	}
	var check string
	if err := s.w.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
}
