package edge

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/urlpath"
)

// rawGet sends target to the edge byte for byte (Go's client would clean
// or reject some of the targets the tests need) and reads the response.
func (e *testEdge) rawGet(t *testing.T, host, target string) response {
	t.Helper()
	conn, err := net.Dial("tcp", e.http.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: "+host+"\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp, string(b)}
}

// pathOrigin records the request target of every request it gets.
type pathOrigin struct {
	*testOrigin
	mu      sync.Mutex
	targets []string
}

func newPathOrigin(t *testing.T) *pathOrigin {
	o := &pathOrigin{}
	o.testOrigin = newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.targets = append(o.targets, r.RequestURI)
		o.mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, "object at "+r.RequestURI)
	})
	return o
}

func (o *pathOrigin) take() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.targets
	o.targets = nil
	return t
}

// TestOnePathPerRequest: behaviour matching, the signed-URL check, the
// cache key and the origin request all use the canonical path, and what
// cannot be made canonical is refused with CloudFront's 400 page before
// any of them runs.
func TestOnePathPerRequest(t *testing.T) {
	o := newPathOrigin(t)
	checker := &denyChecker{}
	signed := cacheBehavior("o")
	signed.TrustedSigners = cloudfront.TrustedSigners{Enabled: true, Items: []string{"self"}}
	e := newEdge(t, Options{SignedURLs: checker}, distribution(o.Server, func(c *cloudfront.DistributionConfig) {
		c.CacheBehaviors = []cloudfront.CacheBehavior{signed, signed}
		c.CacheBehaviors[0].PathPattern = "/private/*"
		c.CacheBehaviors[1].PathPattern = "*.pdf"
		c.DefaultRootObject = "docs/../index.html"
	}))
	tests := []struct {
		target  string
		status  int
		xcache  string
		origin  string // what the origin is asked for; "" for nothing
		checked string // the path the signed-URL check saw; "" for none
	}{
		{"/public/a.txt", 200, "Miss from cloudfront", "/public/a.txt", ""},
		{"//public/a.txt", 200, "Hit from cloudfront", "", ""},
		{"/%70ublic/./a.txt", 200, "Hit from cloudfront", "", ""},
		{"/public/x/../a.txt", 200, "Hit from cloudfront", "", ""},
		// Signed behaviours are found whatever the spelling, and the
		// check is asked about the canonical path.
		{"/public/../private/x?deny", 403, "Error from cloudfront", "", "/private/x"},
		{"/./private/x?deny", 403, "Error from cloudfront", "", "/private/x"},
		{"//private/x?deny", 403, "Error from cloudfront", "", "/private/x"},
		{"/%70rivate/x?deny", 403, "Error from cloudfront", "", "/private/x"},
		{"/public/%2e%2e/private/x?deny", 403, "Error from cloudfront", "", "/private/x"},
		{"/report%2Epdf?deny", 403, "Error from cloudfront", "", "/report.pdf"},
		{"/private/x", 200, "Miss from cloudfront", "/private/x", "/private/x"},
		{"/private/%78", 200, "Hit from cloudfront", "", "/private/x"},
		// An absolute-form target (as proxies send) is read the same way.
		{"http://d1.cloudfront.test/public/../private/x?deny", 403, "Error from cloudfront", "", "/private/x"},
		{"http://d1.cloudfront.test/report.pdf#", 400, "Error from cloudfront", "", ""},
		// Refused before any behaviour, check, cache or origin.
		{"/report.pdf#", 400, "Error from cloudfront", "", ""},
		{"/private%2Fx", 400, "Error from cloudfront", "", ""},
		{"/public/..%5Cprivate/x", 400, "Error from cloudfront", "", ""},
		{"/public/..;/private/x", 400, "Error from cloudfront", "", ""},
		{"/%C0%AE%C0%AE/private/x", 400, "Error from cloudfront", "", ""},
		{"/x%00.pdf", 400, "Error from cloudfront", "", ""},
		{"/a?b#c", 400, "Error from cloudfront", "", ""},
		{"/" + strings.Repeat("a", urlpath.MaxLength), 414, "Error from cloudfront", "", ""},
		// The origin gets the canonical bytes exactly.
		{"/a!$&'()*+,;=:@b", 200, "Miss from cloudfront", "/a!$&'()*+,;=:@b", ""},
		{"/caf%c3%a9%20%3f%23", 200, "Miss from cloudfront", "/caf%C3%A9%20%3F%23", ""},
		{"/caf%c3%a9", 200, "Miss from cloudfront", "/caf%C3%A9", ""},
		{"/caf\xc3\xa9", 200, "Hit from cloudfront", "", ""},
		{"/q%3Fx", 200, "Miss from cloudfront", "/q%3Fx", ""},
		// The default root object is canonical too, and "/" found by any
		// spelling reaches it.
		{"/./", 200, "Miss from cloudfront", "/index.html", ""},
		{"http://d1.cloudfront.test?x", 200, "Hit from cloudfront", "", ""},
	}
	for _, tt := range tests {
		name := tt.target
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		t.Run(name, func(t *testing.T) {
			checker.paths = nil
			r := e.rawGet(t, "d1.cloudfront.test", tt.target)
			if r.StatusCode != tt.status || r.Header.Get("X-Cache") != tt.xcache {
				t.Fatalf("%d %q %q, want %d %q", r.StatusCode, r.Header.Get("X-Cache"), r.body, tt.status, tt.xcache)
			}
			if tt.status == 400 && !strings.Contains(r.body, "Bad request.") {
				t.Errorf("not CloudFront's error page: %q", r.body)
			}
			var want []string
			if tt.origin != "" {
				want = []string{tt.origin}
			}
			if got := o.take(); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("origin asked for %q, want %q", got, want)
			}
			want = nil
			if tt.checked != "" {
				want = []string{tt.checked}
			}
			if strings.Join(checker.paths, " ") != strings.Join(want, " ") {
				t.Errorf("signed-URL check saw %q, want %q", checker.paths, want)
			}
		})
	}
}

// TestS3KeyStaysInTheBucket: dot segments cannot climb out of the origin's
// bucket on a path-style endpoint (the request is signed with the edge's
// S3 credentials, which may read other buckets).
func TestS3KeyStaysInTheBucket(t *testing.T) {
	o := newPathOrigin(t)
	e := newS3Edge(t, Options{S3: S3Options{Endpoint: o.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}},
		s3Distribution("bucket-a.s3.amazonaws.com", "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"))
	for _, target := range []string{"/../bucket-b/key", "/%2e%2e/bucket-b/key", "/x/../../bucket-b/key", "//..//bucket-b/key"} {
		r := e.rawGet(t, "d3.cloudfront.test", target)
		if r.StatusCode != 200 {
			t.Fatalf("%s: %d %q", target, r.StatusCode, r.body)
		}
		if got := o.take(); len(got) > 1 || (len(got) == 1 && got[0] != "/bucket-a/bucket-b/key") {
			t.Errorf("%s: S3 asked for %q, want /bucket-a/bucket-b/key", target, got)
		}
	}
}

// TestInvalidationPathIsCanonical: an invalidation path removes the object
// that path reaches, however it is spelt.
func TestInvalidationPathIsCanonical(t *testing.T) {
	o := newPathOrigin(t)
	d := distribution(o.Server)
	e := newEdge(t, Options{}, d)
	for _, p := range []string{"/a/b.txt", "/a/b.txt"} {
		e.get(t, "d1.cloudfront.test", p)
	}
	if got := o.take(); len(got) != 1 {
		t.Fatalf("origin asked %d times, want 1", len(got))
	}
	inv := cloudfront.Invalidation{DistributionID: d.ID, Batch: cloudfront.InvalidationBatch{Paths: []string{"/a/./%62.txt"}}}
	if err := e.Apply(testSnapshot(2, d), []cloudfront.Invalidation{inv}); err != nil {
		t.Fatal(err)
	}
	if r := e.get(t, "d1.cloudfront.test", "/a/b.txt"); r.Header.Get("X-Cache") != "Miss from cloudfront" {
		t.Errorf("after invalidating /a/./%%62.txt: %q", r.Header.Get("X-Cache"))
	}
}

// TestS3KeyEncodedOnce: the edge asks S3 for the key that the canonical
// path names, encoded as the SDK's S3 client encodes it, and its SigV4
// signature verifies the way S3 verifies it (the path as received, not
// encoded again). Before, a key with a space was signed as "%2520".
func TestS3KeyEncodedOnce(t *testing.T) {
	const secret = "secret"
	var mu sync.Mutex
	var got, sdk string
	var verified bool
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("X-Amz-Cf-Id") == "" { // the SDK's request
			sdk = r.URL.EscapedPath()
			return
		}
		got = r.URL.EscapedPath()
		verified = s3SignatureVerifies(t, r, secret)
		io.WriteString(w, "object")
	})
	client := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(fake.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", secret, ""),
	})
	e := newS3Edge(t, Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret}},
		s3Distribution("media.s3.amazonaws.com", "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"))
	tests := []struct{ target, key string }{
		{"/dir/a.txt", "dir/a.txt"},
		{"/a%20b.txt", "a b.txt"},
		{"/caf%C3%A9", "café"},
		{"/a!b+c(1)$,;=:@'*&.txt", "a!b+c(1)$,;=:@'*&.txt"},
		{"/q%3F%23%25.txt", "q?#%.txt"},
		{"/%7Euser/x", "~user/x"},
	}
	for _, tt := range tests {
		client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("media"), Key: aws.String(tt.key)})
		if r := e.rawGet(t, "d3.cloudfront.test", tt.target); r.StatusCode != 200 {
			t.Fatalf("%s: %d %q", tt.target, r.StatusCode, r.body)
		}
		mu.Lock()
		if got != sdk || !verified {
			t.Errorf("%s: the edge asked for %q (signature verifies: %v); the S3 SDK asks for %q", tt.target, got, verified, sdk)
		}
		mu.Unlock()
		e.purge([]string{"ES3EXAMPLE\x00"})
	}
}

// s3SignatureVerifies checks r's SigV4 Authorization as S3 does: the
// canonical URI is the path as received.
func s3SignatureVerifies(t *testing.T, r *http.Request, secret string) bool {
	auth := r.Header.Get("Authorization")
	_, signed, ok := strings.Cut(auth, "SignedHeaders=")
	if !ok {
		return false
	}
	signed, _, _ = strings.Cut(signed, ",")
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return false
	}
	req, _ := http.NewRequest(r.Method, "http://"+r.Host+r.RequestURI, nil)
	for _, h := range strings.Split(signed, ";") {
		if h != "host" {
			req.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret}
	err = v4.NewSigner().SignHTTP(context.Background(), creds, req, r.Header.Get("X-Amz-Content-Sha256"), "s3", "us-east-1", at,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	return err == nil && req.Header.Get("Authorization") == auth
}

// TestAccessLogKeepsTheSpellingSent: cs-uri-stem is the path as the viewer
// sent it, refused or not, so that the log shows which spelling was used.
func TestAccessLogKeepsTheSpellingSent(t *testing.T) {
	o := newPathOrigin(t)
	recs := make(chan LogRecord, 4)
	e := newEdge(t, Options{AccessLog: func(r LogRecord) { recs <- r }}, distribution(o.Server, withLogging))
	for _, tt := range []struct {
		target string
		status int
	}{
		{"/public/./a%2Etxt?x=1", 200},
		{"/x%2Fy", 400},
	} {
		e.rawGet(t, "d1.cloudfront.test", tt.target)
		select {
		case r := <-recs:
			stem, _, _ := strings.Cut(tt.target, "?")
			if r.URIStem != stem || r.Status != tt.status {
				t.Errorf("%s: logged %q %d, want %q %d", tt.target, r.URIStem, r.Status, stem, tt.status)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no log record", tt.target)
		}
	}
}
