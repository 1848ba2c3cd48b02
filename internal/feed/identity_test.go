package feed

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// send makes one feed request with the Authorization header h and returns
// the status and the error message of the body.
func (f *testFeed) send(t *testing.T, h, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.url()+path, strings.NewReader(body))
	if h != "" {
		req.Header.Set("Authorization", h)
	}
	resp := f.do(t, req)
	var e errorBody
	json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Error
}

// TestAuth: who may talk to the feed at all (401 otherwise).
func TestAuth(t *testing.T) {
	f := newTestFeed(t)
	k := f.edgeKey("EK1", "All")
	reg := func(id, pc string) string { return `{"ID":"` + id + `","PriceClass":"` + pc + `"}` }
	tests := []struct {
		name, header, body string
		want               int
	}{
		{"edge key", "Edge EK1:" + k.Secret, reg("EK1", "All"), 200},
		{"shared secret", "Edge shared:" + testSecret, reg(sharedEdge, "100"), 200},
		{"no header", "", reg("EK1", "All"), 401},
		{"other scheme", "Bearer shared:" + testSecret, reg(sharedEdge, "100"), 401},
		{"wrong shared secret", "Edge shared:nope", reg(sharedEdge, "100"), 401},
		{"wrong key secret", "Edge EK1:nope", reg("EK1", "All"), 401},
		{"key secret as shared", "Edge shared:" + k.Secret, reg(sharedEdge, "100"), 401},
		{"unknown key", "Edge EK2:" + k.Secret, reg("EK2", "All"), 401},
		{"prefix of the secret", "Edge EK1:" + k.Secret[:len(k.Secret)-1], reg("EK1", "All"), 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, msg := f.send(t, tt.header, "POST", PathRegister, tt.body); got != tt.want {
				t.Errorf("status %d (%s), want %d", got, msg, tt.want)
			}
		})
	}
	for _, tc := range []struct {
		name   string
		secret string
		edge   Identity
	}{
		{"no shared secret configured", "", Identity{EdgeID: sharedEdge, PriceClass: cloudfront.PriceClass100}},
		{"shared secret bound to no edge", testSecret, Identity{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, oldEdge := f.srv.Secret, f.srv.SecretEdge
			f.srv.Secret, f.srv.SecretEdge = tc.secret, tc.edge
			defer func() { f.srv.Secret, f.srv.SecretEdge = old, oldEdge }()
			if got, _ := f.send(t, "Edge shared:"+tc.secret+"x", "POST", PathRegister, reg(sharedEdge, "100")); got != 401 {
				t.Errorf("status %d, want 401", got)
			}
			if got, _ := f.send(t, "Edge shared:"+testSecret, "POST", PathRegister, reg(sharedEdge, "100")); got != 401 {
				t.Errorf("status %d, want 401", got)
			}
		})
	}
	t.Run("client with a bad secret gets nothing", func(t *testing.T) {
		f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
		c := f.newClient("edge-bad", "100", "")
		c.Auth = "edge-bad:nope"
		e := startEdge(t, c)
		good := startEdge(t, f.newClient("edge-good", "100", ""))
		eventually(t, "the good edge gets the distribution", func() bool { return good.rec.has("EDFDVBD6EXAMPLE") })
		e.stop()
		if e.rec.snapshot() != nil {
			t.Error("a client with a bad secret applied a snapshot")
		}
		if _, ok := edgeByID(f.edges(), "edge-bad"); ok {
			t.Error("a client with a bad secret registered")
		}
	})
}

// TestCredentialActsAsOneEdge: a valid credential acts as its own edge
// only. Registering a ghost edge, registering in another price class,
// and polling, acknowledging or heartbeating for another edge are refused
// with 403, and the other edge's state is untouched.
func TestCredentialActsAsOneEdge(t *testing.T) {
	f := newTestFeed(t)
	a := f.edgeKey("EKA", "200")
	f.edgeKey("EKB", "All")
	f.edgeKey("EKOLD", "") // made before keys were bound
	asA := "Edge EKA:" + a.Secret
	asShared := "Edge shared:" + testSecret
	f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	// The victim edge EKB registers at revision 0 and stays behind.
	b := startEdge(t, f.newClient("EKB", "All", ""))
	eventually(t, "EKB registered", func() bool { _, ok := edgeByID(f.edges(), "EKB"); return ok })
	b.stop()
	if err := f.store.Update(context.Background(), func(tx store.Tx) error {
		return tx.UpsertEdge(store.Edge{ID: "EKB", Name: "victim", PriceClass: cloudfront.PriceClassAll,
			Registered: f.clock.Now(), LastSeen: f.clock.Now().Add(-testTimeout / 2)})
	}); err != nil {
		t.Fatal(err)
	}
	rev := f.putDistribution("EDFDVBD6EXAMPLE", cloudfront.PriceClassAll)
	before, _ := edgeByID(f.edges(), "EKB")

	tests := []struct {
		name, header, method, path, body string
		want                             int
		msg                              string
	}{
		{"own edge", asA, "POST", PathRegister, `{"ID":"EKA","PriceClass":"200"}`, 200, ""},
		{"ghost edge id", asA, "POST", PathRegister, `{"ID":"ghost-1","PriceClass":"200"}`, 403, `acts as edge "EKA" only`},
		{"another key's edge", asA, "POST", PathRegister, `{"ID":"EKB","PriceClass":"All"}`, 403, `acts as edge "EKA" only`},
		{"other price class", asA, "POST", PathRegister, `{"ID":"EKA","PriceClass":"100"}`, 403, "PriceClass_200 only"},
		{"ack for another edge", asA, "POST", PathAck, `{"Edge":"EKB","Revision":` + itoa(rev) + `}`, 403, "not \"EKB\""},
		{"heartbeat for another edge", asA, "POST", PathHeartbeat, `{"Edge":"EKB","Revision":` + itoa(rev) + `}`, 403, "not \"EKB\""},
		{"poll as another edge", asA, "GET", PathChanges + "?since=0&edge=EKB", "", 403, "not \"EKB\""},
		{"own ack", asA, "POST", PathAck, `{"Edge":"EKA","Revision":` + itoa(rev) + `}`, 200, ""},
		{"shared secret, its edge", asShared, "POST", PathRegister, `{"ID":"edge-raw","PriceClass":"100"}`, 200, ""},
		{"shared secret, a ghost", asShared, "POST", PathRegister, `{"ID":"ghost-2","PriceClass":"100"}`, 403, `acts as edge "edge-raw" only`},
		{"shared secret, ack for another", asShared, "POST", PathAck, `{"Edge":"EKB","Revision":` + itoa(rev) + `}`, 403, ""},
		{"unbound key", "Edge EKOLD:secret-EKOLD", "POST", PathRegister, `{"ID":"EKOLD","PriceClass":"All"}`, 403, "edge-key create --price-class"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := f.send(t, tt.header, tt.method, tt.path, tt.body)
			if got != tt.want || !strings.Contains(msg, tt.msg) {
				t.Errorf("status %d %q, want %d with %q", got, msg, tt.want, tt.msg)
			}
		})
	}
	es := f.edges()
	for _, ghost := range []string{"ghost-1", "ghost-2", "EKOLD"} {
		if _, ok := edgeByID(es, ghost); ok {
			t.Errorf("%s was registered", ghost)
		}
	}
	if after, _ := edgeByID(es, "EKB"); after.AckedRevision != before.AckedRevision || !after.LastSeen.Equal(before.LastSeen) {
		t.Errorf("EKB changed by another key's requests: %+v, was %+v", after, before)
	}
	if got := f.status("EDFDVBD6EXAMPLE"); got != cloudfront.StatusInProgress {
		t.Errorf("status %s, want InProgress: EKB has not acknowledged", got)
	}
}

// TestRevokedKeyCannotComeBack: once its key is deleted, registering is
// refused at once and does not bring its edge back, and the edge's other
// requests are refused once the node's copy of the key is older than
// keyCacheTTL.
func TestRevokedKeyCannotComeBack(t *testing.T) {
	f := newTestFeed(t)
	k := f.edgeKey("EKR", "100")
	h := "Edge EKR:" + k.Secret
	if got, msg := f.send(t, h, "POST", PathRegister, `{"ID":"EKR","PriceClass":"100"}`); got != 200 {
		t.Fatalf("register: %d %s", got, msg)
	}
	if err := f.store.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.DeleteEdgeKey("EKR"); err != nil {
			return err
		}
		return tx.DeleteEdge("EKR")
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.send(t, h, "POST", PathRegister, `{"ID":"EKR","PriceClass":"100"}`); got != 401 {
		t.Errorf("register right after revocation: %d, want 401", got)
	}
	f.clock.Advance(keyCacheTTL)
	for _, r := range []struct{ method, path, body string }{
		{"POST", PathRegister, `{"ID":"EKR","PriceClass":"100"}`},
		{"POST", PathHeartbeat, `{"Edge":"EKR"}`},
		{"GET", PathChanges + "?since=0&edge=EKR", ""},
	} {
		if got, _ := f.send(t, h, r.method, r.path, r.body); got != 401 {
			t.Errorf("%s %s after revocation: %d, want 401", r.method, r.path, got)
		}
	}
	if _, ok := edgeByID(f.edges(), "EKR"); ok {
		t.Error("the revoked key's edge came back")
	}
}

// TestRegisterRechecksTheKey: a key revoked between authentication and
// the registration's transaction does not register its edge. The hook
// stands for an authentication that read the key just before its delete.
func TestRegisterRechecksTheKey(t *testing.T) {
	f := newTestFeed(t)
	f.srv.Auth = func(*http.Request) (Identity, error) {
		return Identity{EdgeID: "EKGONE", PriceClass: cloudfront.PriceClass100, KeyID: "EKGONE"}, nil
	}
	if got, _ := f.send(t, "", "POST", PathRegister, `{"ID":"EKGONE","PriceClass":"100"}`); got != 401 {
		t.Errorf("status %d, want 401", got)
	}
	if _, ok := edgeByID(f.edges(), "EKGONE"); ok {
		t.Error("registered an edge whose key is gone")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
