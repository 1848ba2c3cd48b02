package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/auth"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/store"
)

// fixture is what error cases need besides the env: an existing
// distribution and an origin access identity.
type fixture struct {
	distID, distETag string
	oaiID, oaiETag   string
	other            store.AccessKey // a key of another account
}

func newFixture(t *testing.T, e *testEnv) fixture {
	t.Helper()
	var f fixture
	res := e.do("POST", "/2012-07-01/distribution", distConfig("ref", "fixture", "aliases", aliases("taken.example.com")))
	if res.status != 201 {
		t.Fatalf("fixture distribution: %d %s", res.status, res.body)
	}
	f.distID, f.distETag = firstID(res.body), res.header.Get("ETag")
	res = e.do("POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("fixture-oai", "c"))
	if res.status != 201 {
		t.Fatalf("fixture OAI: %d %s", res.status, res.body)
	}
	f.oaiID, f.oaiETag = firstID(res.body), res.header.Get("ETag")
	_, f.other, _ = e.svc.CreateAccount(context.Background(), "", "other")
	return f
}

// TestErrors sends one signed request per error case through the HTTP API
// and checks status, code and the XML error body's shape.
func TestErrors(t *testing.T) {
	type call struct {
		method, path, body string
		header             []string
	}
	cases := []struct {
		name   string
		opts   []envOption
		call   func(f fixture) call
		as     func(f fixture, e *testEnv) store.AccessKey // nil: the env's key
		status int
		code   string
	}{
		// Bodies.
		{name: "missing body", call: func(fixture) call { return call{"POST", "/2012-07-01/distribution", "", nil} }, status: 400, code: "MissingBody"},
		{name: "not XML", call: func(fixture) call { return call{"POST", "/2012-07-01/distribution", "hello", nil} }, status: 400, code: "MalformedXML"},
		{name: "unknown element", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", strings.Replace(distConfig(), "<Comment>", "<Bogus/><Comment>", 1), nil}
		}, status: 400, code: "MalformedXML"},
		{name: "missing required element", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", strings.Replace(distConfig(), "<MinTTL>0</MinTTL>", "", 1), nil}
		}, status: 400, code: "MalformedXML"},
		{name: "wrong root", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", oaiConfig("x", "y"), nil}
		}, status: 400, code: "MalformedXML"},
		{name: "quantity mismatch", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("aliases", "<Quantity>2</Quantity><Items><CNAME>a.example.com</CNAME></Items>"), nil}
		}, status: 400, code: "InconsistentQuantities"},
		{name: "body too large", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", strings.Repeat(" ", DefaultMaxBody+1), nil}
		}, status: 413, code: "RequestEntityTooLarge"},
		// Validation.
		{name: "no such origin", call: func(fixture) call { return call{"POST", "/2012-07-01/distribution", distConfig("target", "nope"), nil} }, status: 404, code: "NoSuchOrigin"},
		{name: "S3 origin not a bucket", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("origins", s3Origin("example.com", "")), nil}
		}, status: 400, code: "InvalidOrigin"},
		{name: "unknown OAI", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("origins", s3Origin("bucket.s3.amazonaws.com", "origin-access-identity/cloudfront/E1234567890ABC")), nil}
		}, status: 400, code: "InvalidOriginAccessIdentity"},
		{name: "malformed OAI reference", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("origins", s3Origin("bucket.s3.amazonaws.com", "oai/E1")), nil}
		}, status: 400, code: "InvalidOriginAccessIdentity"},
		{name: "another account's OAI", call: func(f fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("origins", s3Origin("bucket.s3.amazonaws.com", "origin-access-identity/cloudfront/"+f.oaiID)), nil}
		}, as: func(f fixture, _ *testEnv) store.AccessKey { return f.other }, status: 400, code: "InvalidOriginAccessIdentity"},
		{name: "unknown trusted signer", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("signers", signers("self", "999999999999")), nil}
		}, status: 400, code: "TrustedSignerDoesNotExist"},
		{name: "too many trusted signers", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("signers", signers("self", "1", "2", "3", "4", "5")), nil}
		}, status: 400, code: "TooManyTrustedSigners"},
		{name: "too many CNAMEs", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("aliases", numberedAliases(101)), nil}
		}, status: 400, code: "TooManyDistributionCNAMEs"},
		{name: "too many origins", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("origins", customOrigins(26)), nil}
		}, status: 400, code: "TooManyOrigins"},
		{name: "too many cache behaviors", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("behaviors", behaviors(76)), nil}
		}, status: 400, code: "TooManyCacheBehaviors"},
		{name: "too many whitelisted cookies", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("cookies", whitelist(11)), nil}
		}, status: 400, code: "TooManyCookieNamesInWhiteList"},
		{name: "whitelist without names", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("cookies", "<Forward>whitelist</Forward>"), nil}
		}, status: 400, code: "InvalidForwardCookies"},
		{name: "names without whitelist", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("cookies", strings.Replace(whitelist(1), "whitelist", "all", 1)), nil}
		}, status: 400, code: "InvalidForwardCookies"},
		{name: "default root object with slash", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("root", "/index.html"), nil}
		}, status: 400, code: "InvalidDefaultRootObject"},
		{name: "MinTTL negative", call: func(fixture) call { return call{"POST", "/2012-07-01/distribution", distConfig("minttl", "-1"), nil} }, status: 400, code: "InvalidArgument"},
		{name: "MinTTL over 100 years", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("minttl", "3153600001"), nil}
		}, status: 400, code: "InvalidArgument"},
		{name: "bad price class", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("priceclass", "PriceClass_50"), nil}
		}, status: 400, code: "InvalidArgument"},
		{name: "bad viewer protocol policy", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("viewer", "redirect-to-https"), nil}
		}, status: 400, code: "InvalidArgument"},
		{name: "comment too long", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("comment", strings.Repeat("c", 129)), nil}
		}, status: 400, code: "InvalidArgument"},
		// Store-level rules.
		{name: "caller reference reused", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("ref", "fixture", "comment", "different"), nil}
		}, status: 409, code: "DistributionAlreadyExists"},
		{name: "CNAME taken", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("ref", "r2", "aliases", aliases("taken.example.com")), nil}
		}, status: 409, code: "CNAMEAlreadyExists"},
		{name: "CNAME taken by another account, other case", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution", distConfig("ref", "r2", "aliases", aliases("TAKEN.example.com")), nil}
		}, as: func(f fixture, _ *testEnv) store.AccessKey { return f.other }, status: 409, code: "CNAMEAlreadyExists"},
		{name: "too many distributions", opts: []envOption{withLimits(func(l *cloudfront.Limits) { l.DistributionsPerAccount = 1 })},
			call: func(fixture) call { return call{"POST", "/2012-07-01/distribution", distConfig("ref", "r2"), nil} }, status: 400, code: "TooManyDistributions"},
		// Get, update, delete.
		{name: "no such distribution", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution/E00000000000000", "", nil} }, status: 404, code: "NoSuchDistribution"},
		{name: "another account's distribution", call: func(f fixture) call { return call{"GET", "/2012-07-01/distribution/" + f.distID, "", nil} },
			as: func(f fixture, _ *testEnv) store.AccessKey { return f.other }, status: 404, code: "NoSuchDistribution"},
		{name: "another account's distribution config", call: func(f fixture) call { return call{"GET", "/2012-07-01/distribution/" + f.distID + "/config", "", nil} },
			as: func(f fixture, _ *testEnv) store.AccessKey { return f.other }, status: 404, code: "NoSuchDistribution"},
		{name: "update without If-Match", call: func(f fixture) call {
			return call{"PUT", "/2012-07-01/distribution/" + f.distID + "/config", distConfig("ref", "fixture"), nil}
		}, status: 400, code: "InvalidIfMatchVersion"},
		{name: "update with malformed If-Match", call: func(f fixture) call {
			return call{"PUT", "/2012-07-01/distribution/" + f.distID + "/config", distConfig("ref", "fixture"), []string{"If-Match", "*"}}
		}, status: 400, code: "InvalidIfMatchVersion"},
		{name: "delete with malformed If-Match", call: func(f fixture) call {
			return call{"DELETE", "/2012-07-01/distribution/" + f.distID, "", []string{"If-Match", "W/\"x-y\""}}
		}, status: 400, code: "InvalidIfMatchVersion"},
		{name: "update with stale If-Match", call: func(f fixture) call {
			return call{"PUT", "/2012-07-01/distribution/" + f.distID + "/config", distConfig("ref", "fixture"), []string{"If-Match", "E00000000000000"}}
		}, status: 412, code: "PreconditionFailed"},
		{name: "update of CallerReference", call: func(f fixture) call {
			return call{"PUT", "/2012-07-01/distribution/" + f.distID + "/config", distConfig("ref", "changed"), []string{"If-Match", f.distETag}}
		}, status: 400, code: "IllegalUpdate"},
		{name: "update with invalid config", call: func(f fixture) call {
			return call{"PUT", "/2012-07-01/distribution/" + f.distID + "/config", distConfig("ref", "fixture", "target", "nope"), []string{"If-Match", f.distETag}}
		}, status: 404, code: "NoSuchOrigin"},
		{name: "update of a missing distribution", call: func(fixture) call {
			return call{"PUT", "/2012-07-01/distribution/E00000000000000/config", distConfig(), []string{"If-Match", "E00000000000000"}}
		}, status: 404, code: "NoSuchDistribution"},
		{name: "update without body", call: func(f fixture) call {
			return call{"PUT", "/2012-07-01/distribution/" + f.distID + "/config", "", []string{"If-Match", f.distETag}}
		}, status: 400, code: "MissingBody"},
		{name: "delete without If-Match", call: func(f fixture) call { return call{"DELETE", "/2012-07-01/distribution/" + f.distID, "", nil} }, status: 400, code: "InvalidIfMatchVersion"},
		{name: "delete with stale If-Match", call: func(f fixture) call {
			return call{"DELETE", "/2012-07-01/distribution/" + f.distID, "", []string{"If-Match", "E00000000000000"}}
		}, status: 412, code: "PreconditionFailed"},
		{name: "delete enabled", call: func(f fixture) call {
			return call{"DELETE", "/2012-07-01/distribution/" + f.distID, "", []string{"If-Match", f.distETag}}
		}, status: 409, code: "DistributionNotDisabled"},
		{name: "list with bad MaxItems", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution?MaxItems=abc", "", nil} }, status: 400, code: "InvalidArgument"},
		{name: "list with zero MaxItems", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution?MaxItems=0", "", nil} }, status: 400, code: "InvalidArgument"},
		// Origin access identities.
		{name: "OAI caller reference reused", call: func(fixture) call {
			return call{"POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("fixture-oai", "other"), nil}
		}, status: 409, code: "CloudFrontOriginAccessIdentityAlreadyExists"},
		{name: "no such OAI", call: func(fixture) call {
			return call{"GET", "/2012-07-01/origin-access-identity/cloudfront/E00000000000000", "", nil}
		}, status: 404, code: "NoSuchCloudFrontOriginAccessIdentity"},
		{name: "too many OAIs", opts: []envOption{withLimits(func(l *cloudfront.Limits) { l.OAIsPerAccount = 1 })},
			call: func(fixture) call {
				return call{"POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("second", ""), nil}
			}, status: 400, code: "TooManyCloudFrontOriginAccessIdentities"},
		{name: "OAI update of CallerReference", call: func(f fixture) call {
			return call{"PUT", "/2012-07-01/origin-access-identity/cloudfront/" + f.oaiID + "/config", oaiConfig("x", ""), []string{"If-Match", f.oaiETag}}
		}, status: 400, code: "IllegalUpdate"},
		// Invalidations.
		{name: "invalidation of a missing distribution", call: func(fixture) call {
			return call{"POST", "/2012-07-01/distribution/E00000000000000/invalidation", invalidationBatch("i", "/a"), nil}
		}, status: 404, code: "NoSuchDistribution"},
		{name: "no such invalidation", call: func(f fixture) call {
			return call{"GET", "/2012-07-01/distribution/" + f.distID + "/invalidation/I0000000000000", "", nil}
		}, status: 404, code: "NoSuchInvalidation"},
		{name: "invalidation batch too large", call: func(f fixture) call {
			paths := make([]string, 1001)
			for i := range paths {
				paths[i] = "/p" + itoa(i)
			}
			return call{"POST", "/2012-07-01/distribution/" + f.distID + "/invalidation", invalidationBatch("i", paths...), nil}
		}, status: 413, code: "BatchTooLarge"},
		{name: "invalidation path without slash", call: func(f fixture) call {
			return call{"POST", "/2012-07-01/distribution/" + f.distID + "/invalidation", invalidationBatch("i", "a.jpg"), nil}
		}, status: 400, code: "InvalidArgument"},
		// Authentication.
		{name: "unsigned", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution", "", nil} },
			as: func(fixture, *testEnv) store.AccessKey { return store.AccessKey{} }, status: 403, code: "MissingAuthenticationToken"},
		{name: "unknown access key", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution", "", nil} },
			as: func(fixture, *testEnv) store.AccessKey {
				return store.AccessKey{ID: "AKIAAAAAAAAAAAAAAAAA", Secret: "x"}
			}, status: 403, code: "InvalidClientTokenId"},
		{name: "wrong secret", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution", "", nil} },
			as: func(_ fixture, e *testEnv) store.AccessKey { k := e.key; k.Secret = "wrong"; return k }, status: 403, code: "SignatureDoesNotMatch"},
		{name: "disabled key", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution", "", nil} },
			as: func(_ fixture, e *testEnv) store.AccessKey {
				k, _ := e.svc.CreateAccessKey(context.Background(), e.account.ID)
				e.svc.SetAccessKeyDisabled(context.Background(), k.ID, true)
				return k
			}, status: 403, code: "InvalidClientTokenId"},
		{name: "disabled account", call: func(fixture) call { return call{"GET", "/2012-07-01/distribution", "", nil} },
			as: func(f fixture, e *testEnv) store.AccessKey {
				k, _ := e.svc.CreateAccessKey(context.Background(), f.other.AccountID)
				e.svc.SetAccountDisabled(context.Background(), f.other.AccountID, true)
				return k
			}, status: 403, code: "InvalidClientTokenId"},
		// Routing.
		{name: "unknown path", call: func(fixture) call { return call{"GET", "/2012-07-01/nothing", "", nil} }, status: 400, code: "InvalidURI"},
		{name: "wrong method", call: func(fixture) call { return call{"PATCH", "/2012-07-01/distribution", "", nil} }, status: 405, code: "MethodNotAllowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t, c.opts...)
			f := newFixture(t, e)
			cl := c.call(f)
			key := e.key
			if c.as != nil {
				key = c.as(f, e)
			}
			if key.ID == "" {
				e.sign = func(*http.Request, []byte, store.AccessKey) {}
			}
			res := e.doAs(key, cl.method, cl.path, cl.body, cl.header...)
			if res.status != c.status || errorCode(res.body) != c.code {
				t.Fatalf("got %d %s, want %d %s", res.status, res.body, c.status, c.code)
			}
			checkErrorBody(t, res, c.status)
		})
	}
}

// checkErrorBody checks the error response's shape: prolog, namespace,
// Type, RequestId equal to the header.
func checkErrorBody(t *testing.T, res response, status int) {
	t.Helper()
	b := string(res.body)
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	rid := res.header.Get("x-amz-request-id")
	for _, want := range []string{
		`<?xml version="1.0"?>` + "\n" + `<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/"><Error><Type>` + typ + `</Type>`,
		"<Message>", "<RequestId>" + rid + "</RequestId></ErrorResponse>",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("error body lacks %q: %s", want, b)
		}
	}
	if res.header.Get("Content-Type") != "text/xml" || !requestIDForm.MatchString(rid) {
		t.Errorf("headers: %v", res.header)
	}
}

func withLimits(f func(*cloudfront.Limits)) envOption {
	return func(s *controlplane.Service) {
		r := *s.Rules
		f(&r.Limits)
		s.Rules = &r
	}
}

// TestRequestExpired: a request signed 20 minutes ago is refused.
func TestRequestExpired(t *testing.T) {
	e := newTestEnv(t)
	e.sign = func(r *http.Request, _ []byte, k store.AccessKey) {
		auth.SignLegacy(r, k.ID, k.Secret, time.Now().Add(-20*time.Minute))
	}
	res := e.do("GET", "/2012-07-01/distribution", "")
	if res.status != 403 || errorCode(res.body) != "RequestExpired" {
		t.Fatalf("got %d %s", res.status, res.body)
	}
}

// TestOAILifecycle: in-use identities cannot be deleted; free ones can.
func TestOAILifecycle(t *testing.T) {
	e := newTestEnv(t)
	res := e.do("POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("o1", "first"))
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	id, etag := firstID(res.body), res.header.Get("ETag")
	golden(t, "oai.response.xml", res.body)
	d := e.do("POST", "/2012-07-01/distribution", distConfig("origins", s3Origin("bucket.s3.amazonaws.com", "origin-access-identity/cloudfront/"+id)))
	if d.status != 201 {
		t.Fatalf("distribution with OAI: %d %s", d.status, d.body)
	}
	if r := e.do("DELETE", "/2012-07-01/origin-access-identity/cloudfront/"+id, "", "If-Match", etag); r.status != 409 || errorCode(r.body) != "CloudFrontOriginAccessIdentityInUse" {
		t.Fatalf("delete in use: %d %s", r.status, r.body)
	}
	upd := e.do("PUT", "/2012-07-01/origin-access-identity/cloudfront/"+id+"/config", oaiConfig("o1", "second"), "If-Match", etag)
	if upd.status != 200 || !strings.Contains(string(upd.body), "<Comment>second</Comment>") {
		t.Fatalf("update: %d %s", upd.status, upd.body)
	}
	lst := e.do("GET", "/2012-07-01/origin-access-identity/cloudfront", "")
	if lst.status != 200 || !strings.Contains(string(lst.body), "<Id>"+id+"</Id>") {
		t.Fatalf("list: %d %s", lst.status, lst.body)
	}
	free := e.do("POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("o2", ""))
	if r := e.do("DELETE", "/2012-07-01/origin-access-identity/cloudfront/"+firstID(free.body), "", "If-Match", free.header.Get("ETag")); r.status != 204 {
		t.Fatalf("delete free: %d %s", r.status, r.body)
	}
}

// TestInvalidations: create, get, list, replay, and the in-progress limit
// while an edge that has not purged keeps batches InProgress.
func TestInvalidations(t *testing.T) {
	e := newTestEnv(t)
	f := newFixture(t, e)
	// A live edge that acknowledges nothing keeps invalidations InProgress.
	err := e.svc.Store.Update(context.Background(), func(tx store.Tx) error {
		return tx.UpsertEdge(store.Edge{ID: "e1", Name: "e1", PriceClass: cloudfront.PriceClass100,
			Registered: time.Now(), LastSeen: time.Now().Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	base := "/2012-07-01/distribution/" + f.distID + "/invalidation"
	var first string
	for i := 0; i < 3; i++ {
		res := e.do("POST", base, invalidationBatch("inv-"+itoa(i), "/a.jpg", "/b/c.html"))
		if res.status != 201 || res.header.Get("ETag") != "" {
			t.Fatalf("create %d: %d etag %q %s", i, res.status, res.header.Get("ETag"), res.body)
		}
		if !strings.HasPrefix(res.header.Get("Location"), e.url+base+"/I") {
			t.Errorf("Location = %q", res.header.Get("Location"))
		}
		if i == 0 {
			first = firstID(res.body)
			golden(t, "invalidation.response.xml", res.body)
		}
	}
	if r := e.do("POST", base, invalidationBatch("inv-3", "/x")); r.status != 400 || errorCode(r.body) != "TooManyInvalidationsInProgress" {
		t.Fatalf("fourth: %d %s", r.status, r.body)
	}
	if r := e.do("POST", base, invalidationBatch("inv-0", "/other")); r.status != 409 || errorCode(r.body) != "InvalidationBatchAlreadyExists" {
		t.Fatalf("reused reference: %d %s", r.status, r.body)
	}
	if r := e.do("POST", base, invalidationBatch("inv-0", "/a.jpg", "/b/c.html")); r.status != 201 || firstID(r.body) != first {
		t.Fatalf("replay: %d %s", r.status, r.body)
	}
	d := e.do("GET", "/2012-07-01/distribution/"+f.distID, "")
	if !strings.Contains(string(d.body), "<InProgressInvalidationBatches>3</InProgressInvalidationBatches>") {
		t.Errorf("distribution: %s", d.body)
	}
	g := e.do("GET", base+"/"+first, "")
	if g.status != 200 || !strings.Contains(string(g.body), "<Status>InProgress</Status>") {
		t.Fatalf("get: %d %s", g.status, g.body)
	}
	l := e.do("GET", base+"?MaxItems=2", "")
	if l.status != 200 || !strings.Contains(string(l.body), "<IsTruncated>true</IsTruncated>") {
		t.Fatalf("list: %d %s", l.status, l.body)
	}
	// The edge purges and acknowledges: every batch is Completed.
	err = e.svc.Store.Update(context.Background(), func(tx store.Tx) error {
		rev, err := tx.Revision()
		if err != nil {
			return err
		}
		return tx.TouchEdge("e1", rev, time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if g := e.do("GET", base+"/"+first, ""); !strings.Contains(string(g.body), "<Status>Completed</Status>") {
		t.Fatalf("after ack: %s", g.body)
	}
}
