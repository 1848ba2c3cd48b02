package sqlstore

import (
	"github.com/openfront/openfront/internal/store"
)

func (t *Tx) Bootstrap() (store.Bootstrap, error) {
	var b store.Bootstrap
	err := t.queryRow(`SELECT account_id, created FROM bootstrap_marker WHERE id = 1`).Scan(&b.AccountID, at(&b.Created))
	return b, notFound(err, "bootstrap marker", "")
}

func (t *Tx) MarkBootstrap(b store.Bootstrap) error {
	if ok, err := t.exists(`SELECT 1 FROM bootstrap_marker WHERE id = 1`); err != nil || ok {
		return existsErr(err, ok, "bootstrap marker", "")
	}
	_, err := t.exec(`INSERT INTO bootstrap_marker (id, account_id, created) VALUES (1, $1, $2)`, b.AccountID, t.time(b.Created))
	return t.constraint(err)
}
