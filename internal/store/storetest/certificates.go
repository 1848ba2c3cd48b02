package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/store"
)

func normCertificate(c store.Certificate) store.Certificate {
	c.NotBefore, c.NotAfter, c.Created = ms(c.NotBefore), ms(c.NotAfter), ms(c.Created)
	return c
}

func certificateARN(c store.Certificate) string { return c.ARN }

func testCertificates(t *testing.T, s store.Store) {
	c1 := store.Certificate{ARN: "arn:aws:acm:us-east-1:" + acct1 + ":certificate/b", AccountID: acct1,
		CertificatePEM: "cert1", ChainPEM: "", PrivateKeyPEM: "key1", Names: []string{"a.example.com", "*.b.example.com"},
		NotBefore: at(1), NotAfter: at(5), Created: at(2)}
	c2 := store.Certificate{ARN: "arn:aws:acm:us-east-1:" + acct2 + ":certificate/a", AccountID: acct2,
		CertificatePEM: "cert2", ChainPEM: "chain2", PrivateKeyPEM: "key2", Names: []string{"c.example.com"},
		NotBefore: at(1), NotAfter: at(5), Created: at(3)}
	var r1, r2 int64
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct1)))
		noErr(t, "InsertAccount", tx.InsertAccount(account(acct2)))
		var err error
		r1, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		c1.Revision, c2.Revision = r1, r1
		noErr(t, "InsertCertificate", tx.InsertCertificate(c1))
		return tx.InsertCertificate(c2)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.Certificate(c1.ARN)
		noErr(t, "Certificate", err)
		equal(t, "Certificate", normCertificate(got), normCertificate(c1), nil)
		all, err := tx.Certificates("")
		noErr(t, "Certificates", err)
		equal(t, "Certificates", ids(all, certificateARN), []string{c1.ARN, c2.ARN}, nil)
		mine, err := tx.Certificates(acct2)
		noErr(t, "Certificates", err)
		equal(t, "Certificates(acct2)", normAll(normCertificate)(mine), []store.Certificate{normCertificate(c2)}, nil)
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		var err error
		r2, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		return tx.DeleteCertificate(c2.ARN, r2)
	})
	for _, tc := range []struct {
		since       int64
		wantChanged []string
		wantDeleted []string
	}{
		{0, []string{c1.ARN}, []string{c2.ARN}},
		{r1, []string{}, []string{c2.ARN}},
		{r2, []string{}, []string{}},
	} {
		view(t, s, func(tx store.Tx) error {
			changed, deleted, err := tx.CertificatesChangedSince(tc.since)
			noErr(t, "CertificatesChangedSince", err)
			equal(t, "changed", append([]string{}, ids(changed, certificateARN)...), tc.wantChanged, nil)
			equal(t, "deleted", append([]string{}, deleted...), tc.wantDeleted, nil)
			return nil
		})
	}
	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"Insert ARN taken", func(tx store.Tx) error { return tx.InsertCertificate(c1) }, store.ErrExists},
		{"Insert no account", func(tx store.Tx) error {
			return tx.InsertCertificate(store.Certificate{ARN: "arn:x", AccountID: "999999999999"})
		}, store.ErrNotFound},
		{"Certificate", func(tx store.Tx) error { _, err := tx.Certificate(c2.ARN); return err }, store.ErrNotFound},
		{"Delete", func(tx store.Tx) error { return tx.DeleteCertificate(c2.ARN, 99) }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, try(s, tc.fn), tc.want) })
	}
	// Deleting the account deletes its certificate, and edges hear of it.
	var r3 int64
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccount(acct1) })
	view(t, s, func(tx store.Tx) error {
		all, err := tx.Certificates("")
		noErr(t, "Certificates", err)
		equal(t, "Certificates after account delete", len(all), 0, nil)
		_, deleted, err := tx.CertificatesChangedSince(r2)
		noErr(t, "CertificatesChangedSince", err)
		equal(t, "tombstones", append([]string{}, deleted...), []string{c1.ARN}, nil)
		r3, err = tx.Revision()
		noErr(t, "Revision", err)
		return nil
	})
	if r3 <= r2 {
		t.Errorf("account delete left the revision at %d, want above %d", r3, r2)
	}
}
