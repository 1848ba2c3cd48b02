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
}

func newBodyEnv(t testing.TB, maxUnverified int64) *bodyEnv {
	t.Helper()
	st := openSQLite(t)
	svc := &controlplane.Service{Store: st, DomainSuffix: "cloudfront.localhost"}
	srv := httptest.NewServer((&Server{Service: svc, Verifier: &auth.Verifier{Lookup: svc.LookupCredential},
		MaxUnverifiedBytes: maxUnverified}).Handler())
	t.Cleanup(srv.Close)
	_, key, err := svc.CreateAccount(context.Background(), "", "test")
	if err != nil {
		t.Fatal(err)
	}
	return &bodyEnv{url: srv.URL, key: key}
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
	e := newBodyEnv(t, 0)
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
// body arrives it holds bytes of a shared budget. Requests beyond the
// budget are refused at once with 503 ServiceUnavailable (SDKs retry it)
// instead of being buffered; once the held bodies are done, the budget is
// back.
func TestUnverifiedBodiesShareABudget(t *testing.T) {
	e := newBodyEnv(t, 2*DefaultMaxBody)
	path := "/2012-07-01/distribution"
	holder := func() (net.Conn, *bufio.Reader) {
		r := httptest.NewRequest("POST", e.url+path, nil)
		r.Host = strings.TrimPrefix(e.url, "http://")
		r.ContentLength = DefaultMaxBody
		sdkSign(t, r, []byte("whatever"), e.key)
		conn, err := net.Dial("tcp", r.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		// Expect: 100-continue: the server asks for the body once it has
		// taken budget for it, which tells the test it holds.
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nExpect: 100-continue\r\n", path, r.Host, r.ContentLength)
		for k, vs := range r.Header {
			fmt.Fprintf(conn, "%s: %s\r\n", k, vs[0])
		}
		io.WriteString(conn, "\r\n")
		br := bufio.NewReader(conn)
		res, err := http.ReadResponse(br, nil)
		if err != nil || res.StatusCode != http.StatusContinue {
			t.Fatalf("holder: %v %v", res, err)
		}
		return conn, br
	}
	// Two bodies of the largest size fill the budget; their senders trickle.
	var conns []net.Conn
	var readers []*bufio.Reader
	for range 2 {
		c, br := holder()
		c.Write([]byte("<"))
		conns, readers = append(conns, c), append(readers, br)
	}
	third := func() response {
		body := distConfig()
		r, _ := http.NewRequest("POST", e.url+path, strings.NewReader(body))
		sdkSign(t, r, []byte(body), e.key)
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return response{status: res.StatusCode, body: b}
	}
	if got := third(); got.status != http.StatusServiceUnavailable || errorCode(got.body) != "ServiceUnavailable" {
		t.Fatalf("with the budget taken: %d %s, want 503 ServiceUnavailable", got.status, got.body)
	}
	// The holders finish their bodies, which do not match their
	// signatures: refused, and their bytes released.
	for i, c := range conns {
		c.Write(make([]byte, DefaultMaxBody-1))
		res, err := http.ReadResponse(readers[i], nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("holder %d: %d, want 403", i, res.StatusCode)
		}
	}
	if got := third(); got.status != http.StatusCreated {
		t.Fatalf("after the budget is back: %d %s", got.status, got.body)
	}
}
