package sqlstore

import (
	"time"

	"github.com/openfront/openfront/internal/store"
)

const edgeCols = `id, name, price_class, registered, last_seen, acked_revision`

func scanEdge(s interface{ Scan(...any) error }) (store.Edge, error) {
	var e store.Edge
	err := s.Scan(&e.ID, &e.Name, &e.PriceClass, at(&e.Registered), at(&e.LastSeen), &e.AckedRevision)
	return e, err
}

func (t *Tx) UpsertEdge(e store.Edge) error {
	_, err := t.exec(`INSERT INTO edges (`+edgeCols+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, price_class = excluded.price_class,
		registered = excluded.registered, last_seen = excluded.last_seen, acked_revision = excluded.acked_revision`,
		e.ID, e.Name, e.PriceClass, t.time(e.Registered), t.time(e.LastSeen), e.AckedRevision)
	return err
}

func (t *Tx) Edge(id string) (store.Edge, error) {
	e, err := scanEdge(t.queryRow(`SELECT `+edgeCols+` FROM edges WHERE id = $1`, id))
	return e, notFound(err, "edge", id)
}

func (t *Tx) Edges() ([]store.Edge, error) {
	return collect(t, scanEdge, `SELECT `+edgeCols+` FROM edges ORDER BY id`)
}

func (t *Tx) EdgesBehind(rev int64, limit int) ([]store.Edge, error) {
	return collect(t, scanEdge, `SELECT `+edgeCols+` FROM edges WHERE acked_revision < $1
		ORDER BY last_seen DESC, id LIMIT $2`, rev, noLimit(limit))
}

func (t *Tx) TouchEdge(id string, ackedRevision int64, seen time.Time) error {
	res, err := t.exec(`UPDATE edges SET last_seen = $1,
		acked_revision = CASE WHEN acked_revision < $2 THEN $2 ELSE acked_revision END WHERE id = $3`,
		t.time(seen), ackedRevision, id)
	return t.mustAffect(res, err, "edge", id)
}

func (t *Tx) DeleteEdge(id string) error {
	res, err := t.exec(`DELETE FROM edges WHERE id = $1`, id)
	return t.mustAffect(res, err, "edge", id)
}

const edgeKeyCols = `id, secret, created, price_class`

func scanEdgeKey(s interface{ Scan(...any) error }) (store.EdgeKey, error) {
	var k store.EdgeKey
	err := s.Scan(&k.ID, &k.Secret, at(&k.Created), &k.PriceClass)
	return k, err
}

func (t *Tx) InsertEdgeKey(k store.EdgeKey) error {
	if ok, err := t.exists(`SELECT 1 FROM edge_keys WHERE id = $1`, k.ID); err != nil || ok {
		return existsErr(err, ok, "edge key", k.ID)
	}
	_, err := t.exec(`INSERT INTO edge_keys (`+edgeKeyCols+`) VALUES ($1, $2, $3, $4)`, k.ID, k.Secret, t.time(k.Created), k.PriceClass)
	return t.constraint(err)
}

func (t *Tx) EdgeKey(id string) (store.EdgeKey, error) {
	k, err := scanEdgeKey(t.queryRow(`SELECT `+edgeKeyCols+` FROM edge_keys WHERE id = $1`, id))
	return k, notFound(err, "edge key", id)
}

func (t *Tx) EdgeKeys() ([]store.EdgeKey, error) {
	return collect(t, scanEdgeKey, `SELECT `+edgeKeyCols+` FROM edge_keys ORDER BY id`)
}

func (t *Tx) DeleteEdgeKey(id string) error {
	res, err := t.exec(`DELETE FROM edge_keys WHERE id = $1`, id)
	return t.mustAffect(res, err, "edge key", id)
}
