package storetest

import (
	"fmt"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

func testEdges(t *testing.T, s store.Store) {
	e1 := store.Edge{ID: "edge-b", Name: "Frankfurt", PriceClass: cloudfront.PriceClass100, Registered: at(0), LastSeen: at(1), AckedRevision: 5}
	e2 := store.Edge{ID: "edge-a", Name: "Tokyo", PriceClass: cloudfront.PriceClassAll, Registered: at(0), LastSeen: at(0)}
	update(t, s, func(tx store.Tx) error {
		noErr(t, "UpsertEdge", tx.UpsertEdge(e1))
		return tx.UpsertEdge(e2)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Edge(e1.ID)
		noErr(t, "Edge", err)
		equal(t, "Edge", got, e1, normEdge)
		all, err := tx.Edges()
		noErr(t, "Edges", err)
		equal(t, "Edges", all, []store.Edge{e2, e1}, normAll(normEdge))
		// EdgesBehind: acked below the revision, the most recently seen
		// first, at most limit (none: every one).
		for _, tc := range []struct {
			rev   int64
			limit int
			want  []store.Edge
		}{
			{5, 0, []store.Edge{e2}},
			{6, 0, []store.Edge{e1, e2}},
			{6, 1, []store.Edge{e1}},
			{0, 0, nil},
		} {
			got, err := tx.EdgesBehind(tc.rev, tc.limit)
			noErr(t, "EdgesBehind", err)
			equal(t, fmt.Sprintf("EdgesBehind(%d, %d)", tc.rev, tc.limit), got, tc.want, normAll(normEdge))
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		e3 := e2
		e3.ID = "edge-c" // seen when edge-a was: the ids order them
		return tx.UpsertEdge(e3)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.EdgesBehind(6, 0)
		noErr(t, "EdgesBehind", err)
		ids := ""
		for _, e := range got {
			ids += e.ID + " "
		}
		if ids != "edge-b edge-a edge-c " {
			t.Errorf("EdgesBehind(6, 0) in order %q, want the most recently seen first, then by id", ids)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteEdge("edge-c") })

	// Upsert replaces whole.
	e1.Name, e1.PriceClass, e1.AckedRevision = "Frankfurt 2", cloudfront.PriceClass200, 2
	update(t, s, func(tx store.Tx) error { return tx.UpsertEdge(e1) })

	for _, tc := range []struct {
		name     string
		acked    int64
		seen     int
		wantAck  int64
		wantSeen int
	}{
		{"raises", 7, 2, 7, 2},
		{"never lowers", 3, 3, 7, 3},
		{"equal", 7, 4, 7, 4},
	} {
		t.Run("TouchEdge "+tc.name, func(t *testing.T) {
			update(t, s, func(tx store.Tx) error { return tx.TouchEdge(e1.ID, tc.acked, at(tc.seen)) })
			view(t, s, func(tx store.Tx) error {
				got, err := tx.Edge(e1.ID)
				noErr(t, "Edge", err)
				want := e1
				want.AckedRevision, want.LastSeen = tc.wantAck, at(tc.wantSeen)
				equal(t, "Edge", got, want, normEdge)
				return nil
			})
		})
	}

	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
	}{
		{"Edge", func(tx store.Tx) error { _, err := tx.Edge("missing"); return err }},
		{"TouchEdge", func(tx store.Tx) error { return tx.TouchEdge("missing", 1, at(0)) }},
		{"DeleteEdge", func(tx store.Tx) error { return tx.DeleteEdge("missing") }},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), store.ErrNotFound) })
	}

	update(t, s, func(tx store.Tx) error { return tx.DeleteEdge(e1.ID) })
	view(t, s, func(tx store.Tx) error {
		all, err := tx.Edges()
		noErr(t, "Edges", err)
		equal(t, "Edges after delete", all, []store.Edge{e2}, normAll(normEdge))
		return nil
	})
}

func testEdgeKeys(t *testing.T, s store.Store) {
	k1 := store.EdgeKey{ID: "ek-2", Secret: "s2", Created: at(1), PriceClass: cloudfront.PriceClass200}
	k2 := store.EdgeKey{ID: "ek-1", Secret: "s1", Created: at(2), PriceClass: cloudfront.PriceClassAll}
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertEdgeKey", tx.InsertEdgeKey(k1))
		return tx.InsertEdgeKey(k2)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.EdgeKey(k1.ID)
		noErr(t, "EdgeKey", err)
		equal(t, "EdgeKey", got, k1, normEdgeKey)
		all, err := tx.EdgeKeys()
		noErr(t, "EdgeKeys", err)
		equal(t, "EdgeKeys", all, []store.EdgeKey{k2, k1}, normAll(normEdgeKey))
		return nil
	})
	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"Insert taken", func(tx store.Tx) error { return tx.InsertEdgeKey(k1) }, store.ErrExists},
		{"EdgeKey", func(tx store.Tx) error { _, err := tx.EdgeKey("missing"); return err }, store.ErrNotFound},
		{"Delete", func(tx store.Tx) error { return tx.DeleteEdgeKey("missing") }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteEdgeKey(k1.ID) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.EdgeKey(k1.ID)
		wantErr(t, "EdgeKey after delete", err, store.ErrNotFound)
		return nil
	})
}
