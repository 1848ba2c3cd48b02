package api

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// streamingTemplate is a valid StreamingDistributionConfig; the
// {placeholders} are filled by streamingConfig.
const streamingTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<StreamingDistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">
<CallerReference>{ref}</CallerReference>
<S3Origin><DomainName>{domain}</DomainName><OriginAccessIdentity>{oai}</OriginAccessIdentity></S3Origin>
<Aliases>{aliases}</Aliases>
<Comment>{comment}</Comment>
<Logging><Enabled>false</Enabled><Bucket></Bucket><Prefix></Prefix></Logging>
<TrustedSigners>{signers}</TrustedSigners>
<PriceClass>{priceclass}</PriceClass>
<Enabled>{enabled}</Enabled>
</StreamingDistributionConfig>`

var streamingDefaults = map[string]string{
	"ref":        "sref-1",
	"domain":     "media.s3.amazonaws.com",
	"oai":        "",
	"aliases":    "<Quantity>0</Quantity>",
	"comment":    "",
	"signers":    "<Enabled>false</Enabled><Quantity>0</Quantity>",
	"priceclass": "PriceClass_All",
	"enabled":    "true",
}

// streamingConfig fills streamingTemplate; kv overrides placeholders in
// pairs.
func streamingConfig(kv ...string) string {
	vals := map[string]string{}
	for k, v := range streamingDefaults {
		vals[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		vals[kv[i]] = kv[i+1]
	}
	out := streamingTemplate
	for k, v := range vals {
		out = strings.ReplaceAll(out, "{"+k+"}", v)
	}
	return out
}

const streamingPath = "/2012-07-01/streaming-distribution"

// TestStreamingExample creates the documentation's example streaming
// distribution and checks create, get and get config against golden files
// (generated values by form), the headers, and a replay.
func TestStreamingExample(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newTestEnvOn(t, b.open)
			ctx := context.Background()
			if _, _, err := e.svc.CreateAccount(ctx, "111122223333", "signer"); err != nil {
				t.Fatal(err)
			}
			for _, owner := range []string{e.account.ID, "111122223333", "111122223333"} {
				if _, err := e.svc.CreateKeyPair(ctx, owner, "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"); err != nil {
					t.Fatal(err)
				}
			}
			res := e.do("POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("oai-ref", "example"))
			if res.status != http.StatusCreated {
				t.Fatalf("create OAI: %d %s", res.status, res.body)
			}
			example, err := os.ReadFile("testdata/streaming.request.xml")
			if err != nil {
				t.Fatal(err)
			}
			body := strings.Replace(string(example), "E74FTE3AEXAMPLE", firstID(res.body), 1)

			res = e.do("POST", streamingPath, body)
			if res.status != http.StatusCreated {
				t.Fatalf("create: %d %s", res.status, res.body)
			}
			id := firstID(res.body)
			if got, want := res.header.Get("Location"), e.url+streamingPath+"/"+id; got != want {
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
			golden(t, "streaming.response.xml", res.body)

			get := e.do("GET", streamingPath+"/"+id, "")
			if get.status != http.StatusOK || get.header.Get("ETag") != etag || string(get.body) != string(res.body) {
				t.Errorf("GET: %d ETag %q, body differs from create's: %s", get.status, get.header.Get("ETag"), get.body)
			}
			cfg := e.do("GET", streamingPath+"/"+id+"/config", "")
			if cfg.status != http.StatusOK || cfg.header.Get("ETag") != etag {
				t.Errorf("GET config: %d ETag %q", cfg.status, cfg.header.Get("ETag"))
			}
			golden(t, "streaming.config.xml", cfg.body)

			again := e.do("POST", streamingPath, body)
			if again.status != http.StatusCreated || firstID(again.body) != id || again.header.Get("ETag") != etag {
				t.Errorf("replay: %d id %s etag %s, want 201 %s %s", again.status, firstID(again.body), again.header.Get("ETag"), id, etag)
			}
			lst := e.do("GET", streamingPath, "")
			if lst.status != http.StatusOK {
				t.Fatalf("list: %d %s", lst.status, lst.body)
			}
			golden(t, "streaming.list.xml", lst.body)
		})
	}
}

// TestStreamingLifecycle walks a streaming distribution from create to
// delete while an edge acknowledges revisions: Status follows the acks,
// and only a disabled, deployed one can be deleted.
func TestStreamingLifecycle(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testStreamingLifecycle(t, newTestEnvOn(t, b.open)) })
	}
}

func testStreamingLifecycle(t *testing.T, e *testEnv) {
	ctx := context.Background()
	// A live edge that has acknowledged nothing yet.
	edge := func(ack bool) {
		t.Helper()
		err := e.svc.Store.Update(ctx, func(tx store.Tx) error {
			if !ack {
				return tx.UpsertEdge(store.Edge{ID: "e1", Name: "e1", PriceClass: cloudfront.PriceClass100,
					Registered: time.Now(), LastSeen: time.Now().Add(time.Hour)})
			}
			rev, err := tx.Revision()
			if err != nil {
				return err
			}
			return tx.TouchEdge("e1", rev, time.Now().Add(time.Hour))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	edge(false)
	status := func(body []byte) string {
		if m := strings.SplitN(string(body), "<Status>", 2); len(m) == 2 {
			return strings.SplitN(m[1], "<", 2)[0]
		}
		return ""
	}

	res := e.do("POST", streamingPath, streamingConfig("aliases", aliases("rtmp.example.com")))
	if res.status != http.StatusCreated || status(res.body) != cloudfront.StatusInProgress {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	id, etag1 := firstID(res.body), res.header.Get("ETag")
	edge(true)
	if g := e.do("GET", streamingPath+"/"+id, ""); status(g.body) != cloudfront.StatusDeployed {
		t.Errorf("after the edge's ack: %s", g.body)
	}

	upd := e.do("PUT", streamingPath+"/"+id+"/config", streamingConfig("comment", "second", "aliases", aliases("rtmp.example.com")), "If-Match", etag1)
	if upd.status != http.StatusOK || status(upd.body) != cloudfront.StatusInProgress || !strings.Contains(string(upd.body), "<Comment>second</Comment>") {
		t.Fatalf("update: %d %s", upd.status, upd.body)
	}
	etag2 := upd.header.Get("ETag")
	if etag2 == etag1 || !etagForm.MatchString(etag2) {
		t.Fatalf("update ETag %q (was %q)", etag2, etag1)
	}
	if r := e.do("PUT", streamingPath+"/"+id+"/config", streamingConfig(), "If-Match", etag1); r.status != 412 || errorCode(r.body) != "PreconditionFailed" {
		t.Errorf("stale If-Match: %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", streamingPath+"/"+id, "", "If-Match", etag2); r.status != 409 || errorCode(r.body) != "StreamingDistributionNotDisabled" {
		t.Errorf("delete enabled: %d %s", r.status, r.body)
	}
	dis := e.do("PUT", streamingPath+"/"+id+"/config", streamingConfig("enabled", "false", "aliases", aliases("rtmp.example.com")), "If-Match", etag2)
	if dis.status != http.StatusOK {
		t.Fatalf("disable: %d %s", dis.status, dis.body)
	}
	etag3 := dis.header.Get("ETag")
	// Disabled, but the edge has not acknowledged it yet.
	if r := e.do("DELETE", streamingPath+"/"+id, "", "If-Match", etag3); r.status != 409 || errorCode(r.body) != "StreamingDistributionNotDisabled" {
		t.Errorf("delete in progress: %d %s", r.status, r.body)
	}
	edge(true)
	lst := e.do("GET", streamingPath, "")
	if lst.status != http.StatusOK || !strings.Contains(string(lst.body), "<StreamingDistributionSummary><Id>"+id+"</Id><Status>Deployed</Status>") {
		t.Errorf("list: %d %s", lst.status, lst.body)
	}
	del := e.do("DELETE", streamingPath+"/"+id, "", "If-Match", etag3)
	if del.status != http.StatusNoContent || len(del.body) != 0 {
		t.Fatalf("delete: %d %s", del.status, del.body)
	}
	if r := e.do("GET", streamingPath+"/"+id, ""); r.status != 404 || errorCode(r.body) != "NoSuchStreamingDistribution" {
		t.Errorf("get deleted: %d %s", r.status, r.body)
	}
	// The CNAME is free again, for a download distribution too.
	if r := e.do("POST", "/2012-07-01/distribution", distConfig("aliases", aliases("rtmp.example.com"))); r.status != 201 {
		t.Errorf("reuse CNAME after delete: %d %s", r.status, r.body)
	}
}

// streamingFixture adds to newFixture a streaming distribution holding
// rtmp-taken.example.com and using the fixture's origin access identity.
type streamingFixture struct {
	fixture
	id, etag string
}

func newStreamingFixture(t *testing.T, e *testEnv) streamingFixture {
	t.Helper()
	f := streamingFixture{fixture: newFixture(t, e)}
	res := e.do("POST", streamingPath, streamingConfig("ref", "sfixture", "aliases", aliases("rtmp-taken.example.com"),
		"oai", "origin-access-identity/cloudfront/"+f.oaiID))
	if res.status != 201 {
		t.Fatalf("fixture streaming distribution: %d %s", res.status, res.body)
	}
	f.id, f.etag = firstID(res.body), res.header.Get("ETag")
	return f
}

// TestStreamingErrors is TestErrors for the six streaming operations, and
// for the rules download and streaming distributions share: one CNAME
// namespace and one per-account limit.
func TestStreamingErrors(t *testing.T) {
	type call struct {
		method, path, body string
		header             []string
	}
	sc := streamingConfig
	one := func(f streamingFixture) string { return streamingPath + "/" + f.id }
	cases := []struct {
		name   string
		opts   []envOption
		call   func(f streamingFixture) call
		other  bool // sign as another account
		status int
		code   string
	}{
		// Bodies.
		{name: "missing body", call: func(streamingFixture) call { return call{"POST", streamingPath, "", nil} }, status: 400, code: "MissingBody"},
		{name: "download config", call: func(streamingFixture) call { return call{"POST", streamingPath, distConfig(), nil} }, status: 400, code: "MalformedXML"},
		{name: "IncludeCookies", call: func(streamingFixture) call {
			return call{"POST", streamingPath, strings.Replace(sc(), "<Bucket>", "<IncludeCookies>false</IncludeCookies><Bucket>", 1), nil}
		}, status: 400, code: "MalformedXML"},
		{name: "quantity mismatch", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("aliases", "<Quantity>2</Quantity><Items><CNAME>a.example.com</CNAME></Items>"), nil}
		}, status: 400, code: "InconsistentQuantities"},
		// Validation.
		{name: "origin not an S3 bucket", call: func(streamingFixture) call { return call{"POST", streamingPath, sc("domain", "www.example.com"), nil} }, status: 400, code: "InvalidOrigin"},
		{name: "malformed OAI reference", call: func(streamingFixture) call { return call{"POST", streamingPath, sc("oai", "E74FTE3AEXAMPLE"), nil} }, status: 400, code: "InvalidOriginAccessIdentity"},
		{name: "unknown OAI", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("oai", "origin-access-identity/cloudfront/E1234567890ABC"), nil}
		}, status: 400, code: "InvalidOriginAccessIdentity"},
		{name: "another account's OAI", call: func(f streamingFixture) call {
			return call{"POST", streamingPath, sc("oai", "origin-access-identity/cloudfront/"+f.oaiID), nil}
		}, other: true, status: 400, code: "InvalidOriginAccessIdentity"},
		{name: "unknown trusted signer", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("signers", signers("self", "999999999999")), nil}
		}, status: 400, code: "TrustedSignerDoesNotExist"},
		{name: "too many trusted signers", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("signers", signers("self", "1", "2", "3", "4", "5")), nil}
		}, status: 400, code: "TooManyTrustedSigners"},
		{name: "bad trusted signer", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("signers", signers("1111-2222-3333")), nil}
		}, status: 400, code: "InvalidArgument"},
		{name: "too many CNAMEs", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("aliases", numberedAliases(101)), nil}
		}, status: 400, code: "TooManyStreamingDistributionCNAMEs"},
		{name: "bad price class", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("priceclass", "PriceClass_50"), nil}
		}, status: 400, code: "InvalidArgument"},
		{name: "comment too long", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("comment", strings.Repeat("c", 129)), nil}
		}, status: 400, code: "InvalidArgument"},
		// Store-level rules.
		{name: "caller reference reused", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("ref", "sfixture", "comment", "different"), nil}
		}, status: 409, code: "StreamingDistributionAlreadyExists"},
		{name: "CNAME of a streaming distribution", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("aliases", aliases("rtmp-taken.example.com")), nil}
		}, status: 409, code: "CNAMEAlreadyExists"},
		{name: "CNAME of a download distribution, other account and case", call: func(streamingFixture) call {
			return call{"POST", streamingPath, sc("aliases", aliases("TAKEN.example.com")), nil}
		}, other: true, status: 409, code: "CNAMEAlreadyExists"},
		{name: "download distribution takes a streaming CNAME", call: func(streamingFixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("ref", "r2", "aliases", aliases("rtmp-taken.example.com")), nil}
		}, status: 409, code: "CNAMEAlreadyExists"},
		{name: "streaming update takes a download CNAME", call: func(f streamingFixture) call {
			return call{"PUT", one(f) + "/config", sc("ref", "sfixture", "aliases", aliases("taken.example.com")), []string{"If-Match", f.etag}}
		}, status: 409, code: "CNAMEAlreadyExists"},
		{name: "download update takes a streaming CNAME", call: func(f streamingFixture) call {
			return call{"PUT", "/2012-07-01/distribution/" + f.distID + "/config", distConfig("ref", "fixture", "aliases", aliases("rtmp-taken.example.com")), []string{"If-Match", f.distETag}}
		}, status: 409, code: "CNAMEAlreadyExists"},
		// One download and one streaming distribution exist: a limit of two
		// counts both.
		{name: "too many streaming distributions, counting download ones", opts: []envOption{withLimits(func(l *cloudfront.Limits) { l.DistributionsPerAccount = 2 })},
			call: func(streamingFixture) call { return call{"POST", streamingPath, sc("ref", "r2"), nil} }, status: 400, code: "TooManyStreamingDistributions"},
		{name: "too many distributions, counting streaming ones", opts: []envOption{withLimits(func(l *cloudfront.Limits) { l.DistributionsPerAccount = 2 })},
			call: func(streamingFixture) call {
				return call{"POST", "/2012-07-01/distribution", distConfig("ref", "r2"), nil}
			}, status: 400, code: "TooManyDistributions"},
		// Get, update, delete, list.
		{name: "no such streaming distribution", call: func(streamingFixture) call { return call{"GET", streamingPath + "/E00000000000000", "", nil} }, status: 404, code: "NoSuchStreamingDistribution"},
		{name: "a download distribution's id", call: func(f streamingFixture) call { return call{"GET", streamingPath + "/" + f.distID, "", nil} }, status: 404, code: "NoSuchStreamingDistribution"},
		{name: "a streaming distribution's id as a download one", call: func(f streamingFixture) call { return call{"GET", "/2012-07-01/distribution/" + f.id, "", nil} }, status: 404, code: "NoSuchDistribution"},
		{name: "another account's", call: func(f streamingFixture) call { return call{"GET", one(f), "", nil} }, other: true, status: 404, code: "NoSuchStreamingDistribution"},
		{name: "another account's config", call: func(f streamingFixture) call { return call{"GET", one(f) + "/config", "", nil} }, other: true, status: 404, code: "NoSuchStreamingDistribution"},
		{name: "update without If-Match", call: func(f streamingFixture) call { return call{"PUT", one(f) + "/config", sc("ref", "sfixture"), nil} }, status: 400, code: "InvalidIfMatchVersion"},
		{name: "update with stale If-Match", call: func(f streamingFixture) call {
			return call{"PUT", one(f) + "/config", sc("ref", "sfixture"), []string{"If-Match", "E00000000000000"}}
		}, status: 412, code: "PreconditionFailed"},
		{name: "update of CallerReference", call: func(f streamingFixture) call {
			return call{"PUT", one(f) + "/config", sc("ref", "changed"), []string{"If-Match", f.etag}}
		}, status: 400, code: "IllegalUpdate"},
		{name: "update with invalid config", call: func(f streamingFixture) call {
			return call{"PUT", one(f) + "/config", sc("ref", "sfixture", "domain", "x"), []string{"If-Match", f.etag}}
		}, status: 400, code: "InvalidOrigin"},
		{name: "update of a missing one", call: func(streamingFixture) call {
			return call{"PUT", streamingPath + "/E00000000000000/config", sc(), []string{"If-Match", "E00000000000000"}}
		}, status: 404, code: "NoSuchStreamingDistribution"},
		{name: "update without body", call: func(f streamingFixture) call {
			return call{"PUT", one(f) + "/config", "", []string{"If-Match", f.etag}}
		}, status: 400, code: "MissingBody"},
		{name: "delete without If-Match", call: func(f streamingFixture) call { return call{"DELETE", one(f), "", nil} }, status: 400, code: "InvalidIfMatchVersion"},
		{name: "delete with stale If-Match", call: func(f streamingFixture) call {
			return call{"DELETE", one(f), "", []string{"If-Match", "E00000000000000"}}
		}, status: 412, code: "PreconditionFailed"},
		{name: "delete enabled", call: func(f streamingFixture) call { return call{"DELETE", one(f), "", []string{"If-Match", f.etag}} }, status: 409, code: "StreamingDistributionNotDisabled"},
		{name: "delete a missing one", call: func(streamingFixture) call {
			return call{"DELETE", streamingPath + "/E00000000000000", "", []string{"If-Match", "E00000000000000"}}
		}, status: 404, code: "NoSuchStreamingDistribution"},
		{name: "list with bad MaxItems", call: func(streamingFixture) call { return call{"GET", streamingPath + "?MaxItems=abc", "", nil} }, status: 400, code: "InvalidArgument"},
		{name: "wrong method", call: func(f streamingFixture) call { return call{"POST", one(f), "", nil} }, status: 405, code: "MethodNotAllowed"},
		{name: "OAI in use by a streaming distribution", call: func(f streamingFixture) call {
			// The fixture's download distribution uses no OAI.
			return call{"DELETE", "/2012-07-01/origin-access-identity/cloudfront/" + f.oaiID, "", []string{"If-Match", f.oaiETag}}
		}, status: 409, code: "CloudFrontOriginAccessIdentityInUse"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t, c.opts...)
			f := newStreamingFixture(t, e)
			cl := c.call(f)
			key := e.key
			if c.other {
				key = f.other
			}
			res := e.doAs(key, cl.method, cl.path, cl.body, cl.header...)
			if res.status != c.status || errorCode(res.body) != c.code {
				t.Fatalf("got %d %s, want %d %s", res.status, res.body, c.status, c.code)
			}
			checkErrorBody(t, res, c.status)
		})
	}
}
