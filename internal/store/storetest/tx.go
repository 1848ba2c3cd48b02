package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/openfront/openfront/internal/store"
)

// writeEverything makes one change of each kind, for the rollback tests.
func writeEverything(t *testing.T, tx store.Tx) {
	t.Helper()
	noErr(t, "InsertAccount", tx.InsertAccount(account(acct2)))
	noErr(t, "UpdateAccount", tx.UpdateAccount(store.Account{ID: acct1, Name: "changed", Created: at(9)}))
	rev, err := tx.NextRevision()
	noErr(t, "NextRevision", err)
	d := dist("E2", acct1, "r2", "rolled.example.com")
	d.Revision = rev
	noErr(t, "InsertDistribution", tx.InsertDistribution(d))
	noErr(t, "DeleteDistribution", tx.DeleteDistribution("E1", rev))
	noErr(t, "InsertInvalidation", tx.InsertInvalidation(invalidation("I2", "E1", "r2", 0, rev)))
	noErr(t, "UpsertEdge", tx.UpsertEdge(store.Edge{ID: "edge", Registered: at(0), LastSeen: at(0)}))
}

// checkUntouched checks that nothing writeEverything did is visible.
func checkUntouched(t *testing.T, s store.Store, rev int64) {
	t.Helper()
	view(t, s, func(tx store.Tx) error {
		if got, err := tx.Revision(); err != nil || got != rev {
			t.Errorf("Revision = %d, %v; want %d", got, err, rev)
		}
		if _, err := tx.Account(acct2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("inserted account survived: %v", err)
		}
		if a, err := tx.Account(acct1); err != nil || a.Name != account(acct1).Name {
			t.Errorf("account update survived: %+v, %v", a, err)
		}
		if _, err := tx.Distribution("E2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("inserted distribution survived: %v", err)
		}
		if _, err := tx.Distribution("E1"); err != nil {
			t.Errorf("deleted distribution is gone: %v", err)
		}
		if _, deleted, err := tx.DistributionsChangedSince(0); err != nil || len(deleted) != 0 {
			t.Errorf("tombstone survived: %v, %v", deleted, err)
		}
		if _, err := tx.Invalidation("E1", "I2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("inserted invalidation survived: %v", err)
		}
		if _, err := tx.Edge("edge"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("upserted edge survived: %v", err)
		}
		return nil
	})
	// The CNAME the rolled-back distribution claimed is free (checked in a
	// transaction that rolls back too, so the check can run again).
	errFree := errors.New("CNAME is free")
	err := try(s, func(tx store.Tx) error {
		if err := tx.InsertDistribution(dist("E3", acct2, "r3", "rolled.example.com")); err != nil {
			return err
		}
		return errFree
	})
	if !errors.Is(err, errFree) {
		t.Errorf("claiming the rolled-back CNAME: %v", err)
	}
}

// seed makes an account, a distribution and an invalidation; it returns the
// revision after.
func seed(t *testing.T, s store.Store) int64 {
	var rev int64
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct1)))
		var err error
		rev, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		d := dist("E1", acct1, "r1", "www.example.com")
		d.Revision = rev
		noErr(t, "InsertDistribution", tx.InsertDistribution(d))
		return tx.InsertInvalidation(invalidation("I1", "E1", "r1", 0, rev))
	})
	return rev
}

func testRollbackOnError(t *testing.T, s store.Store) {
	rev := seed(t, s)
	boom := errors.New("boom")
	err := s.Update(context.Background(), func(tx store.Tx) error {
		writeEverything(t, tx)
		return fmt.Errorf("wrapped: %w", boom)
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	checkUntouched(t, s, rev)

	// A store error that fn passes on also rolls back what came before it.
	err = s.Update(context.Background(), func(tx store.Tx) error {
		writeEverything(t, tx)
		return tx.InsertAccount(account(acct1))
	})
	wantErr(t, "Update", err, store.ErrExists)
	checkUntouched(t, s, rev)
}

func testRollbackOnPanic(t *testing.T, s store.Store) {
	rev := seed(t, s)
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		s.Update(context.Background(), func(tx store.Tx) error {
			writeEverything(t, tx)
			panic("boom")
		})
	}()
	if recovered != "boom" {
		t.Fatalf("recovered %v, want the panic of fn", recovered)
	}
	checkUntouched(t, s, rev)
	// The store still works.
	update(t, s, func(tx store.Tx) error { _, err := tx.NextRevision(); return err })
}

// testViewSnapshot checks that a View does not see an Update that commits
// while it runs.
func testViewSnapshot(t *testing.T, s store.Store) {
	rev := seed(t, s)
	view(t, s, func(tx store.Tx) error {
		before, err := tx.Distribution("E1")
		noErr(t, "Distribution", err)
		if got, err := tx.Revision(); err != nil || got != rev {
			t.Fatalf("Revision = %d, %v; want %d", got, err, rev)
		}
		update(t, s, func(wtx store.Tx) error {
			r, err := wtx.NextRevision()
			noErr(t, "NextRevision", err)
			d := before
			d.Config.Comment, d.Revision = "changed", r
			noErr(t, "UpdateDistribution", wtx.UpdateDistribution(d))
			d2 := dist("E2", acct1, "r2")
			d2.Revision = r
			return wtx.InsertDistribution(d2)
		})
		if got, err := tx.Revision(); err != nil || got != rev {
			t.Errorf("Revision in View after a commit = %d, %v; want %d", got, err, rev)
		}
		after, err := tx.Distribution("E1")
		noErr(t, "Distribution", err)
		equal(t, "Distribution in View after a commit", after, before, normDist)
		if n, err := tx.CountDistributions(""); err != nil || n != 1 {
			t.Errorf("CountDistributions in View after a commit = %d, %v; want 1", n, err)
		}
		changed, _, err := tx.DistributionsChangedSince(rev)
		noErr(t, "DistributionsChangedSince", err)
		if len(changed) != 0 {
			t.Errorf("DistributionsChangedSince in View sees %d new changes", len(changed))
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		if n, err := tx.CountDistributions(""); err != nil || n != 2 {
			t.Errorf("CountDistributions in a new View = %d, %v; want 2", n, err)
		}
		return nil
	})
}

const concurrency = 50

// testConcurrentCNAME has many transactions claim one CNAME (in different
// cases, for different accounts) at once: exactly one may win.
func testConcurrentCNAME(t *testing.T, s store.Store) {
	errs := make([]error, concurrency)
	var wg sync.WaitGroup
	for i := range concurrency {
		wg.Go(func() {
			alias := "race.example.com"
			if i%2 == 1 {
				alias = strings.ToUpper(alias)
			}
			errs[i] = try(s, func(tx store.Tx) error {
				rev, err := tx.NextRevision()
				if err != nil {
					return err
				}
				d := dist(fmt.Sprintf("E%03d", i), fmt.Sprintf("%012d", i+1), "ref", alias)
				d.Revision = rev
				return tx.InsertDistribution(d)
			})
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrCNAMEInUse):
			t.Errorf("goroutine %d: %v, want nil or ErrCNAMEInUse", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d transactions won the CNAME, want 1", won)
	}
	view(t, s, func(tx store.Tx) error {
		n, err := tx.CountDistributions("")
		noErr(t, "CountDistributions", err)
		if n != 1 {
			t.Errorf("CountDistributions = %d, want 1", n)
		}
		return nil
	})
}

// testConcurrentNextRevision has many transactions take a revision at once:
// each gets its own, and none is lost.
func testConcurrentNextRevision(t *testing.T, s store.Store) {
	revs := make([]int64, concurrency)
	errs := make([]error, concurrency)
	var wg sync.WaitGroup
	for i := range concurrency {
		wg.Go(func() {
			errs[i] = try(s, func(tx store.Tx) error {
				var err error
				revs[i], err = tx.NextRevision()
				return err
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i] < revs[j] })
	for i, r := range revs {
		if r != int64(i+1) {
			t.Fatalf("revisions %v, want 1..%d each once", revs, concurrency)
		}
	}
	view(t, s, func(tx store.Tx) error {
		if got, err := tx.Revision(); err != nil || got != concurrency {
			t.Errorf("Revision = %d, %v; want %d", got, err, concurrency)
		}
		return nil
	})
}
