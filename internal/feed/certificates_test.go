package feed

import (
	"reflect"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store"
)

func certARNs(s *Snapshot) []string {
	var out []string
	for _, c := range s.Certificates {
		out = append(out, c.ARN)
	}
	return out
}

func TestMergeCertificates(t *testing.T) {
	a := Certificate{ARN: "arn:a", AccountID: "111111111111", CertificatePEM: "c", PrivateKeyPEM: "k"}
	b := Certificate{ARN: "arn:b", AccountID: "111111111111", CertificatePEM: "c", PrivateKeyPEM: "k"}
	base := &Snapshot{Revision: 5, Certificates: []Certificate{a}}
	for _, tt := range []struct {
		name string
		d    Delta
		want []string
	}{
		{"full replaces", Delta{Revision: 9, Full: true, Certificates: []Certificate{b}}, []string{"arn:b"}},
		{"full without certificates empties", Delta{Revision: 9, Full: true}, nil},
		{"add and delete", Delta{From: 5, Revision: 6, Certificates: []Certificate{b}, DeletedCertificates: []string{"arn:a"}}, []string{"arn:b"}},
		{"delta without certificates keeps them", Delta{From: 5, Revision: 6}, []string{"arn:a"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Merge(base, &tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if k := certARNs(got); !reflect.DeepEqual(k, tt.want) {
				t.Errorf("certificates %v, want %v", k, tt.want)
			}
		})
	}
}

// An imported certificate reaches a running edge with its key, and its
// deletion follows.
func TestCertificatesPropagate(t *testing.T) {
	f := newTestFeed(t)
	c := store.Certificate{ARN: "arn:aws:acm:us-east-1:" + testAccount + ":certificate/x", AccountID: testAccount,
		CertificatePEM: "CERT", PrivateKeyPEM: "KEY", Names: []string{"a.example.com"}, NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1e9, 0)}
	f.write(func(tx store.Tx, rev int64) error {
		c.Created, c.Revision = f.clock.Now(), rev
		return tx.InsertCertificate(c)
	})
	a := startEdge(t, f.newClient("edge-a", "100", t.TempDir()))
	eventually(t, "the certificate arrives", func() bool {
		s := a.rec.snapshot()
		return s != nil && len(s.Certificates) == 1 && s.Certificates[0].PrivateKeyPEM == "KEY"
	})
	rev := f.write(func(tx store.Tx, rev int64) error { return tx.DeleteCertificate(c.ARN, rev) })
	eventually(t, "the deletion arrives", func() bool { return a.c.Revision() >= rev })
	if n := len(a.rec.snapshot().Certificates); n != 0 {
		t.Errorf("after delete: %d certificates", n)
	}
}
