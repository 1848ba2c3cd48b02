package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/openfront/openfront/internal/store"
)

// testRecordCounts: the counts of distributions, streaming distributions
// and OAIs, per account and in all, follow random inserts, updates (one
// moving a record to another account), deletes, failed writes and
// rolled-back transactions.
func testRecordCounts(t *testing.T, s store.Store) {
	accounts := []string{acct1, acct2}
	type kind struct {
		name   string
		insert func(tx store.Tx, id, acct string) error
		update func(tx store.Tx, id, acct string) error
		delete func(tx store.Tx, id string) error
		count  func(tx store.Tx, acct string) (int, error)
	}
	kinds := []kind{
		{"distributions",
			func(tx store.Tx, id, acct string) error { return tx.InsertDistribution(dist(id, acct, "ref-"+id)) },
			func(tx store.Tx, id, acct string) error { return tx.UpdateDistribution(dist(id, acct, "ref-"+id)) },
			func(tx store.Tx, id string) error { return tx.DeleteDistribution(id, 1) },
			store.Tx.CountDistributions},
		{"streaming distributions",
			func(tx store.Tx, id, acct string) error {
				return tx.InsertStreamingDistribution(streaming(id, acct, "ref-"+id))
			},
			func(tx store.Tx, id, acct string) error {
				return tx.UpdateStreamingDistribution(streaming(id, acct, "ref-"+id))
			},
			func(tx store.Tx, id string) error { return tx.DeleteStreamingDistribution(id, 1) },
			store.Tx.CountStreamingDistributions},
		{"origin access identities",
			func(tx store.Tx, id, acct string) error { return tx.InsertOAI(oai(id, acct, "ref-"+id)) },
			func(tx store.Tx, id, acct string) error { return tx.UpdateOAI(oai(id, acct, "ref-"+id)) },
			func(tx store.Tx, id string) error { return tx.DeleteOAI(id) },
			store.Tx.CountOAIs},
	}
	for ki, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ki), 8))
			owner := map[string]string{} // the model: id -> account
			check := func(step string) {
				t.Helper()
				view(t, s, func(tx store.Tx) error {
					want := map[string]int{"": len(owner)}
					for _, a := range owner {
						want[a]++
					}
					for _, a := range append([]string{""}, accounts...) {
						n, err := k.count(tx, a)
						noErr(t, "count", err)
						if n != want[a] {
							t.Fatalf("%s: count(%q) = %d, want %d", step, a, n, want[a])
						}
					}
					return nil
				})
			}
			check("empty")
			for step := range 60 {
				id := fmt.Sprintf("E%013d", r.IntN(12))
				acct := accounts[r.IntN(2)]
				rollback := r.IntN(5) == 0
				was, exists := owner[id]
				var err error
				what := ""
				switch op := r.IntN(3); {
				case op == 0:
					what = "insert"
					err = try(s, func(tx store.Tx) error { return then(k.insert(tx, id, acct), rollback) })
					if !exists && err == nil {
						owner[id] = acct
					}
				case op == 1:
					what = "update"
					err = try(s, func(tx store.Tx) error { return then(k.update(tx, id, acct), rollback) })
					if exists && err == nil {
						owner[id] = acct
					}
				default:
					what = "delete"
					err = try(s, func(tx store.Tx) error { return then(k.delete(tx, id), rollback) })
					if exists && err == nil {
						delete(owner, id)
					}
				}
				switch {
				case rollback && errors.Is(err, errRolledBack):
				case what == "insert" && exists:
					wantErr(t, what, err, store.ErrExists)
				case what != "insert" && !exists:
					wantErr(t, what, err, store.ErrNotFound)
				default:
					noErr(t, fmt.Sprintf("%s %s (owner %q) in %s", what, id, was, acct), err)
				}
				check(fmt.Sprintf("step %d, %s %s in %s (rollback %v)", step, what, id, acct, rollback))
			}
		})
	}
}

var errRolledBack = errors.New("rolled back on purpose")

// then is err, or errRolledBack when the transaction is to roll back
// after a write that succeeded.
func then(err error, rollback bool) error {
	if err == nil && rollback {
		return errRolledBack
	}
	return err
}
