package api

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/auth"
	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/pgtest"
	"github.com/openfront/openfront/internal/store/postgres"
	"github.com/openfront/openfront/internal/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// testEnv is a real API server on loopback over a real SQLite store, with
// one account whose key signs the requests.
type testEnv struct {
	t       testing.TB
	url     string
	svc     *controlplane.Service
	account store.Account
	key     store.AccessKey
	// sign signs a request; legacy 2012 scheme by default.
	sign func(r *http.Request, body []byte, key store.AccessKey)
}

func signLegacy(r *http.Request, _ []byte, k store.AccessKey) {
	auth.SignLegacy(r, k.ID, k.Secret, time.Now())
}

func signV4(r *http.Request, body []byte, k store.AccessKey) {
	auth.SignV4(r, body, k.ID, k.Secret, "us-east-1", time.Now())
}

type envOption func(*controlplane.Service)

// opener opens an empty store for one test.
type opener func(testing.TB) store.Store

func openSQLite(t testing.TB) store.Store {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "openfront.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openPostgres(t testing.TB) store.Store {
	st, err := postgres.Open(context.Background(), pgtest.FreshSchema(t, pgtest.DSN(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// backends are the stores the end-to-end API tests run against.
var backends = []struct {
	name string
	open opener
}{{"sqlite", openSQLite}, {"postgres", openPostgres}}

func newTestEnv(t testing.TB, opts ...envOption) *testEnv {
	t.Helper()
	return newTestEnvOn(t, openSQLite, opts...)
}

func newTestEnvOn(t testing.TB, open opener, opts ...envOption) *testEnv {
	t.Helper()
	st := open(t)
	rules := cloudfront.DefaultRules()
	svc := &controlplane.Service{Store: st, Rules: &rules, DomainSuffix: "cloudfront.localhost"}
	for _, o := range opts {
		o(svc)
	}
	srv := httptest.NewServer((&Server{Service: svc, Verifier: &auth.Verifier{Lookup: svc.LookupCredential}}).Handler())
	t.Cleanup(srv.Close)
	// Every bucket, as serve grants its bootstrap account, so that the
	// examples' log buckets are the account's to use.
	acct, key, err := svc.CreateAccount(context.Background(), "", "test", buckets.Every)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, url: srv.URL, svc: svc, account: acct, key: key, sign: signLegacy}
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a signed request with the env's key.
func (e *testEnv) do(method, path, body string, header ...string) response {
	e.t.Helper()
	return e.doAs(e.key, method, path, body, header...)
}

// doAs sends a request signed with key; header is name, value pairs.
func (e *testEnv) doAs(key store.AccessKey, method, path, body string, header ...string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if body != "" {
		req.Header.Set("Content-Type", "text/xml")
	}
	e.sign(req, []byte(body), key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

var (
	codeRE = regexp.MustCompile(`<Code>([^<]*)</Code>`)
	idRE   = regexp.MustCompile(`<Id>([^<]*)</Id>`)
)

// errorCode is the Code of an XML error body, or "".
func errorCode(body []byte) string {
	if m := codeRE.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// firstID is the first <Id> of a body.
func firstID(body []byte) string {
	if m := idRE.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// generated replaces the values a server generates with their forms, so a
// response can be compared with a golden file byte for byte.
var generated = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`<Id>E[A-Z0-9]{13}</Id>`), "<Id>{E+13 upper alnum}</Id>"},
	{regexp.MustCompile(`<Id>I[A-Z0-9]{13}</Id>`), "<Id>{I+13 upper alnum}</Id>"},
	{regexp.MustCompile(`<(LastModifiedTime|CreateTime)>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z</`), "<$1>{yyyy-mm-ddThh:mm:ss.sssZ}</"},
	{regexp.MustCompile(`<DomainName>d[a-z0-9]{13}\.cloudfront\.localhost</DomainName>`), "<DomainName>{d+13 lower alnum}.cloudfront.localhost</DomainName>"},
	{regexp.MustCompile(`<DomainName>s[a-z0-9]{13}\.cloudfront\.localhost</DomainName>`), "<DomainName>{s+13 lower alnum}.cloudfront.localhost</DomainName>"},
	{regexp.MustCompile(`<KeyPairId>APKA[A-Z0-9]{16}</KeyPairId>`), "<KeyPairId>{APKA+16}</KeyPairId>"},
	{regexp.MustCompile(`origin-access-identity/cloudfront/E[A-Z0-9]{13}<`), "origin-access-identity/cloudfront/{E+13 upper alnum}<"},
	{regexp.MustCompile(`<S3CanonicalUserId>[0-9a-f]{64}</S3CanonicalUserId>`), "<S3CanonicalUserId>{64 hex}</S3CanonicalUserId>"},
	{regexp.MustCompile(`<RequestId>[0-9a-f-]{36}</RequestId>`), "<RequestId>{uuid}</RequestId>"},
	{regexp.MustCompile(`<(Marker|NextMarker)>E[A-Z0-9]{13}</`), "<$1>{E+13 upper alnum}</"},
}

func byForm(b []byte) []byte {
	for _, g := range generated {
		b = g.re.ReplaceAll(b, []byte(g.repl))
	}
	return b
}

// golden compares got (after byForm) with testdata/name, or rewrites it
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	got = byForm(got)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs:\n got: %s\nwant: %s", name, got, want)
	}
}
