package controlplane

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/sqlite"
)

// TestHostConflicts: what start-up reports about a store written before
// today's alias rules, on a real SQLite store.
func TestHostConflicts(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := func(id, domain string, aliases ...string) cloudfront.Distribution {
		return cloudfront.Distribution{ID: id, AccountID: "1111" + id[1:9], DomainName: domain,
			Config: cloudfront.DistributionConfig{CallerReference: id, Aliases: aliases}}
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		for _, x := range []cloudfront.Distribution{
			d("EA0000000000", "da.cdn.test"),
			d("EB0000000000", "db.cdn.test", "da.cdn.test", "www.example.com", "10.1.2.3"),
			d("EC0000000000", "dc.cdn.test", "unassigned.cdn.test", "*.example.org", "ss.cdn.test"),
		} {
			if err := tx.InsertDistribution(x); err != nil {
				return err
			}
		}
		return tx.InsertStreamingDistribution(cloudfront.StreamingDistribution{ID: "ES0000000000", AccountID: "1", DomainName: "ss.cdn.test",
			Config: cloudfront.StreamingDistributionConfig{CallerReference: "s", Aliases: []string{"localhost"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := &Service{Store: st, DomainSuffix: "cdn.test"}
	got, err := svc.HostConflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []HostConflict{
		{Alias: "da.cdn.test", Owner: "EB0000000000", Holder: "EA0000000000"},
		{Alias: "10.1.2.3", Owner: "EB0000000000"},
		{Alias: "unassigned.cdn.test", Owner: "EC0000000000"},
		{Alias: "ss.cdn.test", Owner: "EC0000000000", Holder: "ES0000000000"},
		{Alias: "localhost", Owner: "ES0000000000"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d conflicts, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Alias != w.Alias || g.Owner != w.Owner || g.Holder != w.Holder || (w.Holder == "" && g.Reason == "") {
			t.Errorf("conflict %d = %+v, want %+v (with a reason when no holder)", i, g, w)
		}
	}
}
