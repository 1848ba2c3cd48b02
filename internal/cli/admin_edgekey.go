package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"time"

	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/store"
)

// Edge keys. A key is one edge: the edge's id is the key's id and its
// price class is fixed when the key is made, so a key cannot add edges,
// keep another edge live or acknowledge for it. Deleting a key revokes it
// and forgets its edge at once (distributions stop waiting for it).

type edgeKeyJSON struct {
	EdgeKeyID  string    `json:"edge_key_id"`
	PriceClass string    `json:"price_class"`
	Created    time.Time `json:"created"`
	FeedAuth   string    `json:"feed_auth,omitempty"`
	// The key's edge, once it has registered.
	EdgeName      string     `json:"edge_name,omitempty"`
	Live          *bool      `json:"live,omitempty"`
	AckedRevision *int64     `json:"acked_revision,omitempty"`
	LastSeen      *time.Time `json:"last_seen,omitempty"`
}

func (a *adminCmd) edgeKeyCreate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("edge-key create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	priceClass := fs.String("price-class", "100", "the edge's location: 100, 200 or All (its --price-class must say the same)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	pc, err := feed.NormalizeEdgePriceClass(*priceClass)
	if err != nil {
		return err
	}
	var b [20]byte
	rand.Read(b[:])
	var id [6]byte
	rand.Read(id[:])
	k := store.EdgeKey{ID: "EK" + hex.EncodeToString(id[:]), Secret: hex.EncodeToString(b[:]), Created: time.Now().UTC(), PriceClass: pc}
	if err := a.svc.Store.Update(ctx, func(tx store.Tx) error { return tx.InsertEdgeKey(k) }); err != nil {
		return err
	}
	auth := k.ID + ":" + k.Secret
	return a.print(edgeKeyJSON{EdgeKeyID: k.ID, PriceClass: pc, Created: k.Created, FeedAuth: auth},
		"EDGE KEY\tPRICE CLASS\tFEED AUTH (openfront edge --feed-auth-file)", [][]any{{k.ID, pc, auth}})
}

func (a *adminCmd) edgeKeyList(ctx context.Context) error {
	var ks []store.EdgeKey
	edges := map[string]store.Edge{}
	err := a.svc.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if ks, err = tx.EdgeKeys(); err != nil {
			return err
		}
		es, err := tx.Edges()
		for _, e := range es {
			edges[e.ID] = e
		}
		return err
	})
	if err != nil {
		return err
	}
	now := time.Now()
	js := []edgeKeyJSON{}
	var rows [][]any
	for _, k := range ks {
		j := edgeKeyJSON{EdgeKeyID: k.ID, PriceClass: k.PriceClass, Created: k.Created}
		row := []any{k.ID, k.PriceClass, k.Created.Format(time.RFC3339), "-", "never registered", "-"}
		if k.PriceClass == "" {
			row[1] = "none (refused: replace it)"
		}
		if e, ok := edges[k.ID]; ok {
			live := feed.Live(e, now, feed.DefaultTimeout)
			j.EdgeName, j.Live, j.AckedRevision, j.LastSeen = e.Name, &live, &e.AckedRevision, &e.LastSeen
			row[3], row[4], row[5] = e.Name, state(live, "live", "gone")+", last seen "+e.LastSeen.Format(time.RFC3339), e.AckedRevision
		}
		js = append(js, j)
		rows = append(rows, row)
	}
	return a.print(js, "EDGE KEY\tPRICE CLASS\tCREATED\tEDGE NAME\tSTATE\tREVISION", rows)
}

// edgeKeyDelete revokes the key and forgets its edge in one transaction:
// the edge drops out of "live" at once, so nothing waits for it.
func (a *adminCmd) edgeKeyDelete(ctx context.Context, id string) error {
	return a.svc.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteEdgeKey(id); err != nil {
			return err
		}
		if err := tx.DeleteEdge(id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
}
