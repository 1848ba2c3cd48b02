package api

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store"
)

var (
	etagForm      = regexp.MustCompile(`^E[A-Z0-9]{13}$`)
	requestIDForm = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// TestSeedExample sends the original page's example request (two origins,
// a CNAME, logging, trusted signers) and checks the response element by
// element against the example response, generated values by form. The
// page's example response is illustrative and has known slips (spec §11.5):
// the golden file has Enabled in ActiveTrustedSigners, Items around every
// KeyPairId, Status Deployed (no edge is registered, so every edge has it)
// and InProgressInvalidationBatches 0.
func TestSeedExample(t *testing.T) {
	for i, scheme := range []struct {
		name string
		sign func(*http.Request, []byte, store.AccessKey)
	}{{"legacy", signLegacy}, {"sigv4", signV4}, {"legacy", signLegacy}} {
		backend := backends[i/2] // legacy and SigV4 on SQLite; legacy on PostgreSQL
		t.Run(backend.name+"/"+scheme.name, func(t *testing.T) {
			e := newTestEnvOn(t, backend.open)
			e.sign = scheme.sign
			ctx := context.Background()
			// The signers the example trusts exist, with the key pairs the
			// example lists: one for self, two for 111122223333.
			for _, id := range []string{"111122223333", "444455556666"} {
				if _, _, err := e.svc.CreateAccount(ctx, id, "signer"); err != nil {
					t.Fatal(err)
				}
			}
			for _, owner := range []string{e.account.ID, "111122223333", "111122223333"} {
				if _, err := e.svc.CreateKeyPair(ctx, owner, "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"); err != nil {
					t.Fatal(err)
				}
			}
			// The example's origin access identity, created through the API.
			res := e.do("POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("oai-ref", "example"))
			if res.status != http.StatusCreated {
				t.Fatalf("create OAI: %d %s", res.status, res.body)
			}
			oaiID := firstID(res.body)
			seed, err := os.ReadFile("testdata/seed.request.xml")
			if err != nil {
				t.Fatal(err)
			}
			body := strings.Replace(string(seed), "E74FTE3AEXAMPLE", oaiID, 1)

			res = e.do("POST", "/2012-07-01/distribution", body)
			if res.status != http.StatusCreated {
				t.Fatalf("create: %d %s", res.status, res.body)
			}
			id := firstID(res.body)
			if got, want := res.header.Get("Location"), e.url+"/2012-07-01/distribution/"+id; got != want {
				t.Errorf("Location = %q, want %q", got, want)
			}
			etag := res.header.Get("ETag")
			if !etagForm.MatchString(etag) {
				t.Errorf("ETag = %q, want E + 13 upper-case letters or digits", etag)
			}
			for _, h := range []string{"x-amz-request-id", "x-amzn-RequestId"} {
				if v := res.header.Get(h); !requestIDForm.MatchString(v) {
					t.Errorf("%s = %q, want a UUID", h, v)
				}
			}
			if ct := res.header.Get("Content-Type"); ct != "text/xml" {
				t.Errorf("Content-Type = %q", ct)
			}
			golden(t, "seed.response.xml", res.body)

			get := e.do("GET", "/2012-07-01/distribution/"+id, "")
			if get.status != http.StatusOK || get.header.Get("ETag") != etag || string(get.body) != string(res.body) {
				t.Errorf("GET distribution: %d ETag %q, body differs from create's: %s", get.status, get.header.Get("ETag"), get.body)
			}
			cfg := e.do("GET", "/2012-07-01/distribution/"+id+"/config", "")
			if cfg.status != http.StatusOK || cfg.header.Get("ETag") != etag {
				t.Errorf("GET config: %d ETag %q", cfg.status, cfg.header.Get("ETag"))
			}
			golden(t, "seed.config.xml", cfg.body)

			// The same CallerReference and config answers with the same
			// distribution; nothing new is created.
			again := e.do("POST", "/2012-07-01/distribution", body)
			if again.status != http.StatusCreated || firstID(again.body) != id || again.header.Get("ETag") != etag {
				t.Errorf("replay: %d id %s etag %s, want 201 %s %s", again.status, firstID(again.body), again.header.Get("ETag"), id, etag)
			}
		})
	}
}

// TestLifecycle walks a distribution from create to delete: update,
// disable, list, delete, and what ETags do on the way.
func TestLifecycle(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testLifecycle(t, newTestEnvOn(t, b.open)) })
	}
}

func testLifecycle(t *testing.T, e *testEnv) {
	res := e.do("POST", "/2012-07-01/distribution", distConfig("aliases", aliases("www.example.com")))
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	id, etag1 := firstID(res.body), res.header.Get("ETag")

	upd := e.do("PUT", "/2012-07-01/distribution/"+id+"/config", distConfig("comment", "second", "aliases", aliases("www.example.com")), "If-Match", etag1)
	if upd.status != http.StatusOK {
		t.Fatalf("update: %d %s", upd.status, upd.body)
	}
	etag2 := upd.header.Get("ETag")
	if etag2 == etag1 || !etagForm.MatchString(etag2) {
		t.Fatalf("update ETag %q (was %q)", etag2, etag1)
	}
	if !strings.Contains(string(upd.body), "<Comment>second</Comment>") {
		t.Errorf("update response lacks the new comment: %s", upd.body)
	}
	// The old ETag no longer works.
	if r := e.do("PUT", "/2012-07-01/distribution/"+id+"/config", distConfig(), "If-Match", etag1); r.status != 412 || errorCode(r.body) != "PreconditionFailed" {
		t.Errorf("stale If-Match: %d %s", r.status, r.body)
	}
	// Enabled distributions cannot be deleted.
	if r := e.do("DELETE", "/2012-07-01/distribution/"+id, "", "If-Match", etag2); r.status != 409 || errorCode(r.body) != "DistributionNotDisabled" {
		t.Errorf("delete enabled: %d %s", r.status, r.body)
	}
	dis := e.do("PUT", "/2012-07-01/distribution/"+id+"/config", distConfig("enabled", "false", "aliases", aliases("www.example.com")), "If-Match", etag2)
	if dis.status != http.StatusOK {
		t.Fatalf("disable: %d %s", dis.status, dis.body)
	}
	etag3 := dis.header.Get("ETag")

	lst := e.do("GET", "/2012-07-01/distribution", "")
	if lst.status != http.StatusOK || !strings.Contains(string(lst.body), "<Id>"+id+"</Id>") ||
		!strings.Contains(string(lst.body), "<Quantity>1</Quantity>") {
		t.Errorf("list: %d %s", lst.status, lst.body)
	}

	del := e.do("DELETE", "/2012-07-01/distribution/"+id, "", "If-Match", etag3)
	if del.status != http.StatusNoContent || len(del.body) != 0 {
		t.Fatalf("delete: %d %s", del.status, del.body)
	}
	if r := e.do("GET", "/2012-07-01/distribution/"+id, ""); r.status != 404 || errorCode(r.body) != "NoSuchDistribution" {
		t.Errorf("get deleted: %d %s", r.status, r.body)
	}
	// The CNAME is free again.
	if r := e.do("POST", "/2012-07-01/distribution", distConfig("ref", "ref-2", "aliases", aliases("www.example.com"))); r.status != 201 {
		t.Errorf("reuse CNAME after delete: %d %s", r.status, r.body)
	}
}

// TestListPagination pages through distributions with Marker and MaxItems.
func TestListPagination(t *testing.T) {
	e := newTestEnv(t)
	var ids []string
	for i := 0; i < 5; i++ {
		res := e.do("POST", "/2012-07-01/distribution", distConfig("ref", "page-"+string(rune('a'+i))))
		if res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		ids = append(ids, firstID(res.body))
	}
	seen := map[string]bool{}
	marker := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		res := e.do("GET", "/2012-07-01/distribution?MaxItems=2&Marker="+marker, "")
		if res.status != 200 {
			t.Fatalf("list: %d %s", res.status, res.body)
		}
		b := string(res.body)
		for _, m := range regexp.MustCompile(`<DistributionSummary><Id>([^<]+)</Id>`).FindAllStringSubmatch(b, -1) {
			if seen[m[1]] {
				t.Fatalf("%s listed twice", m[1])
			}
			seen[m[1]] = true
		}
		if !strings.Contains(b, "<MaxItems>2</MaxItems>") {
			t.Fatalf("MaxItems not echoed: %s", b)
		}
		if strings.Contains(b, "<IsTruncated>false</IsTruncated>") {
			if strings.Contains(b, "<NextMarker>") {
				t.Fatalf("NextMarker on the last page: %s", b)
			}
			break
		}
		m := regexp.MustCompile(`<NextMarker>([^<]+)</NextMarker>`).FindStringSubmatch(b)
		if m == nil {
			t.Fatalf("truncated page without NextMarker: %s", b)
		}
		marker = m[1]
	}
	if len(seen) != len(ids) {
		t.Fatalf("listed %d of %d distributions", len(seen), len(ids))
	}
}

// TestConcurrentCNAME: 50 concurrent creates with one CNAME from two
// accounts give exactly one 201; the rest are CNAMEAlreadyExists.
func TestConcurrentCNAME(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testConcurrentCNAME(t, newTestEnvOn(t, b.open)) })
	}
}

func testConcurrentCNAME(t *testing.T, e *testEnv) {
	_, key2, err := e.svc.CreateAccount(context.Background(), "", "second")
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	statuses := make(chan response, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			key := e.key
			if i%2 == 1 {
				key = key2
			}
			statuses <- e.doAs(key, "POST", "/2012-07-01/distribution",
				distConfig("ref", "race-"+time.Now().Format("150405.000000000")+"-"+string(rune('A'+i%26))+string(rune('a'+i/26)),
					"aliases", aliases("shared.example.com")))
		}(i)
	}
	wg.Wait()
	close(statuses)
	created, conflicts := 0, 0
	for r := range statuses {
		switch {
		case r.status == 201:
			created++
		case r.status == 409 && errorCode(r.body) == "CNAMEAlreadyExists":
			conflicts++
		default:
			t.Errorf("unexpected answer %d %s", r.status, r.body)
		}
	}
	if created != 1 || conflicts != n-1 {
		t.Fatalf("created %d, conflicts %d; want 1 and %d", created, conflicts, n-1)
	}
}
