package e2e

import (
	"bufio"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/signedurl"
	"github.com/openfront/openfront/internal/testpeer"
)

// pathsFileOrigin is a stock static server (http.FileServer, which
// resolves dot segments, merges slashes and decodes %2F like most do) over
// a folder with a public file and two private ones. It records, for every
// request, the file the server resolved it to.
type pathsFileOrigin struct {
	*httptest.Server
	mu     sync.Mutex
	served []string
}

func newPathsFileOrigin(t *testing.T) *pathsFileOrigin {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"public/a.txt": "public a",
		"private/x":    "PRIVATE x",
		"report.pdf":   "PRIVATE pdf",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := &pathsFileOrigin{}
	fs := http.FileServer(http.Dir(dir))
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.served = append(o.served, path.Clean(r.URL.Path))
		o.mu.Unlock()
		fs.ServeHTTP(w, r)
	}))
	t.Cleanup(o.Close)
	return o
}

func (o *pathsFileOrigin) take() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.served
	o.served = nil
	return s
}

// pathsConfig: the default behaviour serves the file origin unsigned;
// /private/* and *.pdf need URLs signed by the owner ("self").
func pathsConfig(t *testing.T, o *pathsFileOrigin) string {
	host, port := hostPort(t, o.URL)
	signed := func(pattern string) string {
		return `<CacheBehavior><PathPattern>` + pattern + `</PathPattern><TargetOriginId>files</TargetOriginId>` +
			`<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
			`<TrustedSigners><Enabled>true</Enabled><Quantity>1</Quantity><Items><AwsAccountNumber>self</AwsAccountNumber></Items></TrustedSigners>` +
			`<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></CacheBehavior>`
	}
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		`<CallerReference>paths-files</CallerReference><Aliases><Quantity>0</Quantity></Aliases><DefaultRootObject></DefaultRootObject>` +
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>files</Id><DomainName>` + host + `</DomainName>` +
		`<CustomOriginConfig><HTTPPort>` + itoa(port) + `</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>` +
		`<DefaultCacheBehavior><TargetOriginId>files</TargetOriginId><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></DefaultCacheBehavior>` +
		`<CacheBehaviors><Quantity>2</Quantity><Items>` + signed("/private/*") + signed("*.pdf") + `</Items></CacheBehaviors>` +
		`<Comment></Comment><Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>` +
		`<PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled></DistributionConfig>`
}

// pathsS3Config: one S3 origin, bucket-a, read through an origin access
// identity (so the edge signs with its own S3 credentials).
func pathsS3Config(oaiID string) string {
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		`<CallerReference>paths-s3</CallerReference><Aliases><Quantity>0</Quantity></Aliases><DefaultRootObject></DefaultRootObject>` +
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>s3</Id><DomainName>bucket-a.s3.amazonaws.com</DomainName>` +
		`<S3OriginConfig><OriginAccessIdentity>origin-access-identity/cloudfront/` + oaiID + `</OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins>` +
		`<DefaultCacheBehavior><TargetOriginId>s3</TargetOriginId><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></DefaultCacheBehavior>` +
		`<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>` +
		`<Comment></Comment><Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>` +
		`<PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled></DistributionConfig>`
}

// pathsRawGet sends target byte for byte (Go's client would drop a
// fragment and clean some paths) and returns the status, X-Cache and body.
func pathsRawGet(t *testing.T, addr, host, target string) (int, string, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %q: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("X-Cache"), string(b)
}

// pathsS3Front stands in front of moto_server the way a normalising
// reverse proxy stands in front of many S3-compatible stores: it resolves
// dot segments and merges slashes of the decoded path before passing the
// request on. It records every request target the edge sent it.
type pathsS3Front struct {
	*httptest.Server
	mu      sync.Mutex
	targets []string
}

func newPathsS3Front(t *testing.T, endpoint string) *pathsS3Front {
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	f := &pathsS3Front{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.targets = append(f.targets, r.RequestURI)
		f.mu.Unlock()
		r.URL.Path, r.URL.RawPath = path.Clean(r.URL.Path), ""
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *pathsS3Front) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.targets
	f.targets = nil
	return s
}

// pathsPut writes an S3 object (or, with no key, a bucket) to moto_server.
func pathsPut(t *testing.T, endpoint, p, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, endpoint+p, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT %s: %d", p, resp.StatusCode)
	}
}

// TestSecurityPrivatePathsCannotBeReachedByAliasPaths replays issue 6,
// item 2 against the real binary: other spellings of a path under a signed
// behaviour (/private/*, *.pdf) must neither reach a normalising origin
// without a signature nor be cached for unsigned viewers, and dot segments
// must not climb from the origin's S3 bucket into another one that the
// edge's S3 credentials can read (moto_server takes keys literally, so a
// normalising front stands before it, as proxies often do). CloudFront normalises paths per RFC 3986
// before it matches behaviours (Developer Guide, "Path pattern"); the edge
// also uses that path for the signature, the cache key and the origin.
func TestSecurityPrivatePathsCannotBeReachedByAliasPaths(t *testing.T) {
	files := newPathsFileOrigin(t)
	moto := testpeer.MotoServer(t)
	pathsPut(t, moto, "/bucket-a", "")
	pathsPut(t, moto, "/bucket-a/a.txt", "bucket-a object")
	pathsPut(t, moto, "/bucket-b", "")
	pathsPut(t, moto, "/bucket-b/key", "PRIVATE bucket-b")
	s3 := newPathsS3Front(t, moto)

	data := t.TempDir()
	edgeAddr := freeAddr(t)
	apiAddr := freeAddr(t)
	p := start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr,
		"--s3-endpoint", s3.URL, "--s3-access-key", "AKIDEXAMPLE", "--s3-secret-key", "secret")
	account := regexp.MustCompile(`(?m)^account (\d{12})$`).FindStringSubmatch(p.output())
	if account == nil {
		t.Fatalf("no account line in:\n%s", p.output())
	}
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	client := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}

	keyFile := filepath.Join(t.TempDir(), "signer.pem")
	out, err := exec.Command(binary(t), "admin", "--data", data, "--json", "keypair", "create",
		"--account", account[1], "--private-key-out", keyFile).Output()
	if err != nil {
		t.Fatalf("keypair create: %v", err)
	}
	var kp struct {
		ID string `json:"key_pair_id"`
	}
	if err := json.Unmarshal(out, &kp); err != nil || kp.ID == "" {
		t.Fatalf("keypair create: %v: %s", err, out)
	}
	pemBytes, _ := os.ReadFile(keyFile)
	blk, _ := pem.Decode(pemBytes)
	if blk == nil {
		t.Fatalf("no PEM in %s", keyFile)
	}
	key, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}

	res := client.must(t, "POST", "/2012-07-01/distribution", pathsConfig(t, files))
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	domain := field(domainRE, res.body)
	oai := client.must(t, "POST", "/2012-07-01/origin-access-identity/cloudfront",
		`<CloudFrontOriginAccessIdentityConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/"><CallerReference>paths</CallerReference><Comment>paths</Comment></CloudFrontOriginAccessIdentityConfig>`)
	if oai.status != 201 {
		t.Fatalf("create OAI: %d %s", oai.status, oai.body)
	}
	res = client.must(t, "POST", "/2012-07-01/distribution", pathsS3Config(field(idRE, oai.body)))
	if res.status != 201 {
		t.Fatalf("create S3 distribution: %d %s", res.status, res.body)
	}
	s3Domain := field(domainRE, res.body)
	// serve's embedded edge follows the feed within milliseconds.
	deadline := time.Now().Add(10 * time.Second)
	for {
		st1, _, _ := pathsRawGet(t, edgeAddr, domain, "/public/a.txt")
		st2, _, _ := pathsRawGet(t, edgeAddr, s3Domain, "/a.txt")
		if st1 == 200 && st2 == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("distributions not served within 10s: %d, %d", st1, st2)
		}
		time.Sleep(50 * time.Millisecond)
	}
	files.take()

	sign := func(p string) string {
		u, err := signedurl.SignCanned("http://"+domain+p, time.Now().Add(time.Hour), kp.ID, (*rsa.PrivateKey)(key))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, "http://"+domain)
	}
	attacks := []string{
		// The list.
		"/report.pdf#",
		"/public/../private/x",
		"/./private/x",
		"//private/x",
		"/%70rivate/x",
		"/private%2Fx",
		"/public/%2e%2e/private/x",
		"/report%2Epdf",
		// More of the same family.
		"/public/%2E%2E/private/x",
		"/public/.%2e/private/x",
		"/../private/x",
		"/public/..%2Fprivate/x",
		"/public/..%5Cprivate/x",
		"/public\\..\\private\\x",
		"/public/..;/private/x",
		"/%C0%AE%C0%AE/private/x",
		"/report.pdf%00",
		"/report.pdf?a#",
		"/public/%2e%2e/report.pdf",
		"/private//x",
		"/%2e/private/x",
		"/priv%61te/x",
		"/report.%70df",
	}
	// Twice: an attack answered from the cache the second time would show
	// that the first one stored something.
	for round := 1; round <= 2; round++ {
		for _, target := range attacks {
			status, xcache, body := pathsRawGet(t, edgeAddr, domain, target)
			if strings.Contains(body, "PRIVATE") || (status != 400 && status != 403) {
				t.Errorf("round %d, GET %q: %d %s %q; want 400 or 403 and no private content", round, target, status, xcache, body)
			}
			if xcache != "Error from cloudfront" {
				t.Errorf("round %d, GET %q: X-Cache %q, want the edge's own error", round, target, xcache)
			}
		}
	}
	for _, f := range files.take() {
		if f == "/private/x" || f == "/report.pdf" {
			t.Errorf("the origin served %s to an unsigned request", f)
		}
	}

	// Legitimate requests still work, including a signed URL reached by
	// another spelling of its path; and once the private objects are in
	// the cache, the unsigned aliases still get nothing from it.
	legit := []struct{ target, body string }{
		{"/public/a.txt", "public a"},
		{"/public/./a.txt", "public a"},
		{sign("/private/x"), "PRIVATE x"},
		{sign("/report.pdf"), "PRIVATE pdf"},
		{strings.Replace(sign("/private/x"), "/private/x", "/private/./x", 1), "PRIVATE x"},
	}
	for _, l := range legit {
		status, _, body := pathsRawGet(t, edgeAddr, domain, l.target)
		if status != 200 || body != l.body {
			t.Errorf("GET %q: %d %q, want 200 %q", l.target, status, body, l.body)
		}
	}
	for _, target := range attacks {
		if status, xcache, body := pathsRawGet(t, edgeAddr, domain, target); strings.Contains(body, "PRIVATE") {
			t.Errorf("after signed fetches, GET %q: %d %s %q", target, status, xcache, body)
		}
	}

	// S3: the edge signs with credentials that can read bucket-b too, so
	// the only thing that keeps a viewer in bucket-a is the path the edge
	// asks for.
	s3.take()
	for _, target := range []string{"/../bucket-b/key", "/%2e%2e/bucket-b/key", "/x/../../bucket-b/key", "//../bucket-b/key", "/..%2Fbucket-b/key"} {
		status, xcache, body := pathsRawGet(t, edgeAddr, s3Domain, target)
		if strings.Contains(body, "PRIVATE") || status == 200 {
			t.Errorf("S3 GET %q: %d %s %q; want bucket-b's object out of reach", target, status, xcache, body)
		}
	}
	for _, target := range s3.take() {
		if !strings.HasPrefix(target, "/bucket-a/") || strings.Contains(target, "/..") || strings.Contains(strings.ToLower(target), "%2e") {
			t.Errorf("the edge asked S3 for %q, outside bucket-a's keys", target)
		}
	}
	if status, _, body := pathsRawGet(t, edgeAddr, s3Domain, "/./a.txt"); status != 200 || body != "bucket-a object" {
		t.Errorf("S3 GET /./a.txt: %d %q", status, body)
	}
}
