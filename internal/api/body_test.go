package api

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/openfront/openfront/internal/auth"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/store"
)

// bodyEnv is an API server whose Server fields the test sets, on a real
// SQLite store, with one account.
type bodyEnv struct {
	url string
	key store.AccessKey
	svc *controlplane.Service
}

func newBodyEnv(t testing.TB, maxUnverified int64, unverifiedTimeout time.Duration) *bodyEnv {
	t.Helper()
	st := openSQLite(t)
	svc := &controlplane.Service{Store: st, DomainSuffix: "cloudfront.localhost"}
	api := &Server{Service: svc, Verifier: &auth.Verifier{Lookup: svc.LookupCredential}, MaxUnverifiedBytes: maxUnverified,
		UnverifiedBodyTimeout: unverifiedTimeout}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	_, key, err := svc.CreateAccount(context.Background(), "", "test")
	if err != nil {
		t.Fatal(err)
	}
	return &bodyEnv{url: srv.URL, key: key, svc: svc}
}

// sdkSign signs r as the AWS SDK for Go v2 does for CloudFront: SigV4 over
// the body's hash, without an X-Amz-Content-Sha256 header.
func sdkSign(t testing.TB, r *http.Request, body []byte, key store.AccessKey) {
	t.Helper()
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: key.ID, SecretAccessKey: key.Secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "cloudfront", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
}

// headOnly sends r's request line and headers on a new connection, and
// no body byte, then reads the response. It returns the response and
// whether the server closed the connection after it.
func headOnly(t *testing.T, base string, r *http.Request) (*http.Response, string, bool) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", r.Method, r.URL.RequestURI(), r.Host, r.ContentLength)
	for k, vs := range r.Header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	_, err = br.ReadByte()
	return res, string(body), err == io.EOF
}

// TestBodiesNotReadBeforeAuthentication: a request the headers alone
// refuse is answered before any body byte is sent, and the connection is
// closed rather than drained. Each request claims a 100 MiB body and sends
// none of it, so an answer proves the server did not wait for it.
func TestBodiesNotReadBeforeAuthentication(t *testing.T) {
	e := newBodyEnv(t, 0, 0)
	const claimed = 100 << 20
	path := "/2012-07-01/distribution"
	cases := []struct {
		name   string
		sign   func(r *http.Request)
		status int
		code   cloudfront.Code
	}{
		{"no Authorization", func(*http.Request) {}, 403, cloudfront.MissingAuthenticationToken},
		{"garbage Authorization", func(r *http.Request) { r.Header.Set("Authorization", "AWS nonsense") }, 403, cloudfront.IncompleteSignature},
		{"unknown key, 2012 scheme", func(r *http.Request) { auth.SignLegacy(r, "AKIAUNKNOWNUNKNOWN00", "x", time.Now()) }, 403, cloudfront.InvalidClientTokenId},
		{"wrong secret, 2012 scheme", func(r *http.Request) { auth.SignLegacy(r, e.key.ID, "wrong", time.Now()) }, 403, cloudfront.SignatureDoesNotMatch},
		{"stale date, 2012 scheme", func(r *http.Request) { auth.SignLegacy(r, e.key.ID, e.key.Secret, time.Now().Add(-time.Hour)) }, 403, cloudfront.RequestExpired},
		{"wrong secret, SigV4 with stated hash", func(r *http.Request) {
			auth.SignV4(r, []byte("<x/>"), e.key.ID, "wrong", "us-east-1", time.Now())
		}, 403, cloudfront.SignatureDoesNotMatch},
		{"unknown key, SigV4", func(r *http.Request) {
			sdkSign(t, r, nil, store.AccessKey{ID: "AKIAUNKNOWNUNKNOWN00", Secret: "x"})
		}, 403, cloudfront.InvalidClientTokenId},
		{"signed, but over the body limit", func(r *http.Request) { auth.SignLegacy(r, e.key.ID, e.key.Secret, time.Now()) }, 413, cloudfront.RequestEntityTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", e.url+path, nil)
			r.Host = strings.TrimPrefix(e.url, "http://")
			r.ContentLength = claimed
			tc.sign(r)
			res, body, closed := headOnly(t, e.url, r)
			if res.StatusCode != tc.status || errorCode([]byte(body)) != string(tc.code) {
				t.Fatalf("got %d %s, want %d %s", res.StatusCode, body, tc.status, tc.code)
			}
			if !closed {
				t.Errorf("the connection stayed open: the server would read the body")
			}
		})
	}
}

// TestUnverifiedBodiesShareABudget: a SigV4 request without
// X-Amz-Content-Sha256 can only be checked with its body, so while its
// body arrives it holds bytes of a shared budget, of which one access key
// may hold a quarter. Requests beyond either are refused at once with 503
// ServiceUnavailable (SDKs retry it) instead of being buffered; a body
// that does not arrive in time is cut off; either way the budget comes
// back.
func TestUnverifiedBodiesShareABudget(t *testing.T) {
	e := newBodyEnv(t, 4*DefaultMaxBody, 500*time.Millisecond) // 1 MiB per key
	path := "/2012-07-01/distribution"
	keys := []store.AccessKey{e.key}
	for i := range 4 {
		_, k, err := e.svc.CreateAccount(t.Context(), "", fmt.Sprint("tenant-", i))
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	// holder sends the headers of a 1 MiB body signed with key and
	// Expect: 100-continue: the server asks for the body once it has taken
	// budget for it. It reports whether the server asked, or else the
	// status it answered.
	holder := func(key store.AccessKey) (net.Conn, *bufio.Reader, int) {
		r := httptest.NewRequest("POST", e.url+path, nil)
		r.Host = strings.TrimPrefix(e.url, "http://")
		r.ContentLength = DefaultMaxBody
		sdkSign(t, r, []byte("whatever"), key)
		conn, err := net.Dial("tcp", r.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nExpect: 100-continue\r\n", path, r.Host, r.ContentLength)
		for k, vs := range r.Header {
			fmt.Fprintf(conn, "%s: %s\r\n", k, vs[0])
		}
		io.WriteString(conn, "\r\n")
		br := bufio.NewReader(conn)
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		return conn, br, res.StatusCode
	}
	create := func(key store.AccessKey, ref string) response {
		body := distConfig("ref", ref)
		r, _ := http.NewRequest("POST", e.url+path, strings.NewReader(body))
		sdkSign(t, r, []byte(body), key)
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return response{status: res.StatusCode, body: b}
	}
	finish := func(conn net.Conn, br *bufio.Reader) int {
		conn.Write(make([]byte, DefaultMaxBody))
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}

	// Key 0 holds its whole share: its next body is refused, others' pass.
	c0, br0, st := holder(keys[0])
	if st != http.StatusContinue {
		t.Fatalf("first holder: %d", st)
	}
	if got := create(keys[0], "same-key"); got.status != 503 || errorCode(got.body) != "ServiceUnavailable" {
		t.Fatalf("same key, share taken: %d %s, want 503 ServiceUnavailable", got.status, got.body)
	}
	if got := create(keys[1], "other-key"); got.status != 201 {
		t.Fatalf("another key: %d %s", got.status, got.body)
	}
	// Keys 1-3 fill the rest: a fifth key finds no room.
	var held []net.Conn
	var readers []*bufio.Reader
	for _, k := range keys[1:4] {
		c, br, st := holder(k)
		if st != http.StatusContinue {
			t.Fatalf("holder: %d", st)
		}
		held, readers = append(held, c), append(readers, br)
	}
	if got := create(keys[4], "full"); got.status != 503 || errorCode(got.body) != "ServiceUnavailable" {
		t.Fatalf("budget full: %d %s, want 503 ServiceUnavailable", got.status, got.body)
	}
	// Bodies that do not match their signatures are refused; key 0's
	// holder sends nothing and is cut off after UnverifiedBodyTimeout.
	for i, c := range held {
		if st := finish(c, readers[i]); st != http.StatusForbidden {
			t.Fatalf("holder %d: %d, want 403", i, st)
		}
	}
	c0.SetReadDeadline(time.Now().Add(5 * time.Second))
	if res, err := http.ReadResponse(br0, nil); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("silent holder: %d, want 400", res.StatusCode)
		}
	} else if err != io.EOF && !strings.Contains(err.Error(), "reset") {
		t.Errorf("silent holder was not cut off: %v", err)
	}
	// The budget is back, for every key.
	for i, k := range keys {
		if got := create(k, fmt.Sprint("after-", i)); got.status != 201 {
			t.Fatalf("key %d after: %d %s", i, got.status, got.body)
		}
	}
}
