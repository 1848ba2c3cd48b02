package controlplane

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/sqlite"
)

// statusService is a Service over a fresh SQLite store whose clock stands
// at now and whose overlay (the acknowledgements this node heard of and
// the store may not have yet) raises each edge's to ahead(edge).
func statusService(t *testing.T, now time.Time, timeout time.Duration, ahead func(store.Edge) int64) (*Service, store.Store) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &Service{Store: st, EdgeTimeout: timeout, DomainSuffix: "cloudfront.test", Now: func() time.Time { return now },
		EdgeOverlay: func(es []store.Edge) []store.Edge {
			out := make([]store.Edge, len(es))
			for i, e := range es {
				e.AckedRevision = max(e.AckedRevision, ahead(e))
				out[i] = e
			}
			return out
		}}
	return s, st
}

// setEdges replaces the store's edges with edges.
func setEdges(t *testing.T, st store.Store, edges []store.Edge) {
	t.Helper()
	err := st.Update(context.Background(), func(tx store.Tx) error {
		old, err := tx.Edges()
		for _, e := range old {
			if err == nil {
				err = tx.DeleteEdge(e.ID)
			}
		}
		for _, e := range edges {
			if err == nil {
				err = tx.UpsertEdge(e)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
