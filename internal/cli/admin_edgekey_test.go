package cli

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store"
)

func TestAdminEdgeKeys(t *testing.T) {
	data := t.TempDir()
	admin := func(args ...string) (int, string, string) {
		return run(t, append([]string{"admin", "--data", data}, args...)...)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"bad price class", []string{"edge-key", "create", "--price-class", "300"}, 1},
		{"stray argument", []string{"edge-key", "create", "EKmine"}, 2},
		{"delete unknown", []string{"edge-key", "delete", "EKnope"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, out, errOut := admin(tc.args...); code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
		})
	}
	code, out, errOut := admin("--json", "edge-key", "create", "--price-class", "200")
	if code != 0 {
		t.Fatalf("create: %d %s", code, errOut)
	}
	var k edgeKeyJSON
	if err := json.Unmarshal([]byte(out), &k); err != nil || k.PriceClass != "PriceClass_200" || k.FeedAuth == "" {
		t.Fatalf("create: %v %+v", err, k)
	}
	// Its edge registers (as the feed would record it).
	st, err := openStore(context.Background(), "", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx store.Tx) error {
		return tx.UpsertEdge(store.Edge{ID: k.EdgeKeyID, Name: "fra1", PriceClass: "PriceClass_200",
			Registered: time.Now(), LastSeen: time.Now(), AckedRevision: 4})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ = admin("--json", "edge-key", "list")
	var ks []edgeKeyJSON
	if err := json.Unmarshal([]byte(out), &ks); err != nil || len(ks) != 1 || ks[0].EdgeName != "fra1" ||
		ks[0].Live == nil || !*ks[0].Live || *ks[0].AckedRevision != 4 || ks[0].FeedAuth != "" {
		t.Fatalf("list: %v %s", err, out)
	}
	if code, _, errOut := admin("edge-key", "delete", k.EdgeKeyID); code != 0 {
		t.Fatalf("delete: %s", errOut)
	}
	for _, what := range []string{"edge-key", "edge"} {
		_, out, _ = admin("--json", what, "list")
		if out != "[]\n" {
			t.Errorf("%s list after delete: %s", what, out)
		}
	}
}
