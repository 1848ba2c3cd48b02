package e2e

import (
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// origin is a real HTTP (and HTTPS) server that counts the requests it
// gets per path and answers according to the path.
type origin struct {
	http, https *httptest.Server
	mu          sync.Mutex
	hits        map[string]int
	failing     atomic.Bool // /flaky answers 500 while set
}

func newOrigin(t *testing.T) *origin {
	o := &origin{hits: map[string]int{}}
	h := http.HandlerFunc(o.serve)
	o.http = httptest.NewServer(h)
	o.https = httptest.NewTLSServer(h)
	t.Cleanup(o.http.Close)
	t.Cleanup(o.https.Close)
	return o
}

func (o *origin) count(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hits[path]
}

func (o *origin) serve(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.hits[r.URL.Path]++
	n := o.hits[r.URL.Path]
	o.mu.Unlock()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	h := w.Header()
	switch {
	case r.URL.Path == "/slow":
		time.Sleep(300 * time.Millisecond)
		h.Set("Cache-Control", "max-age=3600")
		fmt.Fprintf(w, "slow %d", n)
	case r.URL.Path == "/flaky":
		if o.failing.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "origin failure")
			return
		}
		h.Set("Cache-Control", "max-age=1")
		fmt.Fprintf(w, "flaky %d", n)
	case r.URL.Path == "/nocache":
		h.Set("Cache-Control", "no-cache")
		fmt.Fprintf(w, "nocache %d", n)
	case r.URL.Path == "/missing":
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "not found %d", n)
	case r.URL.Path == "/big":
		h.Set("Cache-Control", "max-age=3600")
		h.Set("Content-Length", strconv.Itoa(2<<20))
		w.Write(make([]byte, 2<<20))
	case r.URL.Path == "/range.txt":
		h.Set("Cache-Control", "max-age=3600")
		// Full object only: ranges must come from the edge's cache.
		w.Write([]byte(strings.Repeat("0123456789", 100)))
	default:
		// Echo what the origin saw, cacheable for an hour.
		h.Set("Cache-Control", "max-age=3600")
		h.Set("Set-Cookie", "fromorigin=1")
		fmt.Fprintf(w, "scheme=%s path=%s query=%s host=%s ua=%s cookie=%s xff=%s cfid=%t n=%d",
			scheme, r.URL.Path, r.URL.RawQuery, r.Host, r.UserAgent(), r.Header.Get("Cookie"),
			r.Header.Get("X-Forwarded-For"), r.Header.Get("X-Amz-Cf-Id") != "", n)
	}
}

// edgeProc is one `openfront edge` process.
type edgeProc struct {
	*proc
	httpAddr, httpsAddr string
	args                []string
}

// cluster is a control plane and two edges as separate processes.
type cluster struct {
	t        *testing.T
	data     string
	apiAddr  string
	api      *proc
	apiArgs  []string
	client   *apiClient
	feedAuth string
	edges    map[string]*edgeProc
	caFile   string
}

func newCluster(t *testing.T, o *origin) *cluster {
	c := &cluster{t: t, data: t.TempDir(), apiAddr: freeAddr(t), edges: map[string]*edgeProc{}}
	// The test origins listen on loopback, which api and edge refuse by default.
	c.apiArgs = []string{"api", "--data", c.data, "--api-addr", c.apiAddr, "--edge-timeout", "2s", "--allow-private-origins"}
	c.api = start(t, `^account `, c.apiArgs...)
	id, secret := credentials(t, filepath.Join(c.data, "credentials"))
	c.client = &apiClient{base: "http://" + c.apiAddr, id: id, secret: secret}
	c.feedAuth = edgeopsKey(t, c.data, "100")
	// The edges trust the HTTPS origin's test certificate.
	c.caFile = filepath.Join(t.TempDir(), "origin-ca.pem")
	cert := o.https.Certificate()
	os.WriteFile(c.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600)
	return c
}

// edgeopsKey makes an edge key of the price class with `openfront admin`
// and returns its --feed-auth value.
func edgeopsKey(t *testing.T, data, priceClass string) string {
	t.Helper()
	out, err := exec.Command(binary(t), "admin", "--data", data, "--json", "edge-key", "create", "--price-class", priceClass).Output()
	if err != nil {
		t.Fatalf("admin edge-key create: %v", err)
	}
	var key map[string]any
	if err := json.Unmarshal(out, &key); err != nil {
		t.Fatal(err)
	}
	return key["feed_auth"].(string)
}

func (c *cluster) startEdge(name, priceClass string) *edgeProc {
	c.t.Helper()
	e := c.edges[name]
	if e == nil {
		e = &edgeProc{httpAddr: freeAddr(c.t), httpsAddr: freeAddr(c.t)}
		// An edge key is one edge, in one price class: each edge its own.
		e.args = []string{"edge", "--control-plane", "http://" + c.apiAddr, "--feed-auth", edgeopsKey(c.t, c.data, priceClass),
			"--price-class", priceClass, "--edge-name", name, "--state", filepath.Join(c.data, "edge-"+name),
			"--edge-addr", e.httpAddr, "--edge-tls-addr", e.httpsAddr, "--admin-addr", "",
			"--origin-ca", c.caFile, "--heartbeat", "200ms", "--max-object-size", "1048576",
			"--log-dir", filepath.Join(c.data, "logs"), "--log-flush", "100ms", "--allow-private-origins"}
		c.edges[name] = e
	}
	e.proc = start(c.t, `^openfront edge `, e.args...)
	return e
}

// waitEdges waits until n edges are registered and live.
func (c *cluster) waitEdges(n int) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command(binary(c.t), "admin", "--data", c.data, "--json", "edge", "list").Output()
		if err == nil {
			var es []map[string]any
			json.Unmarshal(out, &es)
			live := 0
			for _, e := range es {
				if e["live"] == true {
					live++
				}
			}
			if live >= n {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("%d edges not live within 10s", n)
}

// status polls the distribution's Status.
func (c *cluster) status(id string) string {
	c.t.Helper()
	r := c.client.must(c.t, "GET", "/2012-07-01/distribution/"+id, "")
	return field(statusRE, r.body)
}

// waitDeployed polls until Deployed and returns how long it took.
func (c *cluster) waitDeployed(id string, within time.Duration) time.Duration {
	c.t.Helper()
	begin := time.Now()
	for time.Since(begin) < within {
		if c.status(id) == "Deployed" {
			return time.Since(begin)
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.t.Fatalf("%s not Deployed within %v", id, within)
	return 0
}

// viewer sends a request to an edge with the given Host.
func viewer(t *testing.T, scheme, addr, host, method, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return viewerSending(t, scheme, addr, host, method, path, nil, header...)
}

// viewerSending is viewer with a request body.
func viewerSending(t *testing.T, scheme, addr, host, method, path string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, scheme+"://"+addr+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// No automatic Accept-Encoding: Go's client adds gzip to GETs but not
	// to HEAD or Range requests, and the gzip class is part of the key.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, DisableCompression: true}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func hostPort(t *testing.T, u string) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

// fullConfig is the distribution the rule table runs against.
func fullConfig(t *testing.T, o *origin, ref string, enabled bool) string {
	host, httpPort := hostPort(t, o.http.URL)
	_, httpsPort := hostPort(t, o.https.URL)
	behavior := func(pattern, target, query, cookies, viewer string) string {
		return `<CacheBehavior><PathPattern>` + pattern + `</PathPattern><TargetOriginId>` + target + `</TargetOriginId>` +
			`<ForwardedValues><QueryString>` + query + `</QueryString><Cookies>` + cookies + `</Cookies></ForwardedValues>` +
			`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>` +
			`<ViewerProtocolPolicy>` + viewer + `</ViewerProtocolPolicy><MinTTL>0</MinTTL></CacheBehavior>`
	}
	origins := fmt.Sprintf(`<Origin><Id>plain</Id><DomainName>%s</DomainName><CustomOriginConfig><HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin>`+
		`<Origin><Id>mv</Id><DomainName>%s</DomainName><CustomOriginConfig><HTTPPort>%d</HTTPPort><HTTPSPort>%d</HTTPSPort><OriginProtocolPolicy>match-viewer</OriginProtocolPolicy></CustomOriginConfig></Origin>`,
		host, httpPort, host, httpPort, httpsPort)
	behaviors := behavior("/qs/*", "plain", "true", "<Forward>whitelist</Forward><WhitelistedNames><Quantity>1</Quantity><Items><Name>keep</Name></Items></WhitelistedNames>", "allow-all") +
		behavior("/all/*", "plain", "false", "<Forward>all</Forward>", "allow-all") +
		behavior("/secure/*", "plain", "false", "<Forward>none</Forward>", "https-only") +
		behavior("/mv/*", "mv", "false", "<Forward>none</Forward>", "allow-all") +
		behavior("/x?.txt", "plain", "true", "<Forward>none</Forward>", "allow-all")
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		`<CallerReference>` + ref + `</CallerReference><Aliases><Quantity>1</Quantity><Items><CNAME>www.e2e.test</CNAME></Items></Aliases>` +
		`<DefaultRootObject>index.html</DefaultRootObject><Origins><Quantity>2</Quantity><Items>` + origins + `</Items></Origins>` +
		`<DefaultCacheBehavior><TargetOriginId>plain</TargetOriginId><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></DefaultCacheBehavior>` +
		`<CacheBehaviors><Quantity>5</Quantity><Items>` + behaviors + `</Items></CacheBehaviors><Comment></Comment>` +
		`<Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>` +
		`<PriceClass>PriceClass_All</PriceClass><Enabled>` + strconv.FormatBool(enabled) + `</Enabled></DistributionConfig>`
}

// TestEdges runs a control plane and two edges (price class 100 and All)
// as separate processes in front of real origins, and checks the edge
// rules through real sockets, Deployed's honesty and static stability.
func TestEdges(t *testing.T) {
	o := newOrigin(t)
	c := newCluster(t, o)
	a := c.startEdge("a", "100")
	b := c.startEdge("b", "All")
	c.waitEdges(2)

	res := c.client.must(t, "POST", "/2012-07-01/distribution", fullConfig(t, o, "rules", true))
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	id, etag, domain := field(idRE, res.body), res.header.Get("ETag"), field(domainRE, res.body)
	took := c.waitDeployed(id, 5*time.Second)
	t.Logf("create → Deployed with two edges: %v", took)

	type step struct {
		edge, scheme, host, method, path string
		header                           []string
		status                           int
		xcache                           string // "" to skip
		body                             string // substring; "" to skip
		originPath                       string // with hits: the origin's count for it after this step
		hits                             int
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"domain name, miss then hit", []step{
			{"a", "http", domain, "GET", "/doc.html", nil, 200, "Miss from cloudfront", "path=/doc.html", "/doc.html", 1},
			{"a", "http", domain, "GET", "/doc.html", nil, 200, "Hit from cloudfront", "path=/doc.html", "/doc.html", 1},
		}},
		{"CNAME, any case, any port, shares the cache", []step{
			{"a", "http", "WWW.E2E.test:8080", "GET", "/doc.html", nil, 200, "Hit from cloudfront", "", "/doc.html", 1},
		}},
		{"each edge has its own cache", []step{
			{"b", "http", domain, "GET", "/doc.html", nil, 200, "Miss from cloudfront", "", "/doc.html", 2},
		}},
		{"unknown host", []step{
			{"a", "http", "nobody.e2e.test", "GET", "/doc.html", nil, 403, "Error from cloudfront", "The request could not be satisfied", "", 0},
		}},
		{"origin sees its own host, Amazon CloudFront, X-Forwarded-For, X-Amz-Cf-Id", []step{
			{"a", "http", domain, "GET", "/headers", []string{"X-Forwarded-For", "192.0.2.1"}, 200, "Miss from cloudfront",
				"ua=Amazon CloudFront cookie= xff=192.0.2.1, 127.0.0.1 cfid=true", "", 0},
		}},
		{"default root object for / only", []step{
			{"a", "http", domain, "GET", "/", nil, 200, "", "path=/index.html", "/index.html", 1},
			{"a", "http", domain, "GET", "/sub/", nil, 200, "", "path=/sub/", "", 0},
		}},
		{"query string dropped by the default behaviour", []step{
			{"a", "http", domain, "GET", "/q.html?a=1", nil, 200, "Miss from cloudfront", "query= ", "/q.html", 1},
			{"a", "http", domain, "GET", "/q.html?a=2", nil, 200, "Hit from cloudfront", "", "/q.html", 1},
		}},
		{"query string forwarded and keyed, order matters", []step{
			{"a", "http", domain, "GET", "/qs/q?a=1&b=2", nil, 200, "Miss from cloudfront", "query=a=1&b=2", "/qs/q", 1},
			{"a", "http", domain, "GET", "/qs/q?a=1&b=2", nil, 200, "Hit from cloudfront", "", "/qs/q", 1},
			{"a", "http", domain, "GET", "/qs/q?b=2&a=1", nil, 200, "Miss from cloudfront", "", "/qs/q", 2},
		}},
		{"cookies none: removed, not keyed, Set-Cookie removed", []step{
			{"a", "http", domain, "GET", "/c-none", []string{"Cookie", "keep=1; other=2"}, 200, "Miss from cloudfront", "cookie= ", "/c-none", 1},
			{"a", "http", domain, "GET", "/c-none", []string{"Cookie", "keep=9"}, 200, "Hit from cloudfront", "", "/c-none", 1},
		}},
		{"cookies whitelist: only listed ones forwarded and keyed", []step{
			{"a", "http", domain, "GET", "/qs/c", []string{"Cookie", "other=2; keep=1"}, 200, "Miss from cloudfront", "cookie=keep=1 ", "/qs/c", 1},
			{"a", "http", domain, "GET", "/qs/c", []string{"Cookie", "keep=1; other=3"}, 200, "Hit from cloudfront", "", "/qs/c", 1},
			{"a", "http", domain, "GET", "/qs/c", []string{"Cookie", "keep=2"}, 200, "Miss from cloudfront", "cookie=keep=2 ", "/qs/c", 2},
		}},
		{"cookies all: forwarded sorted, keyed", []step{
			{"a", "http", domain, "GET", "/all/c", []string{"Cookie", "z=1; a=2"}, 200, "Miss from cloudfront", "cookie=a=2; z=1 ", "/all/c", 1},
			{"a", "http", domain, "GET", "/all/c", []string{"Cookie", "a=2; z=1"}, 200, "Hit from cloudfront", "", "/all/c", 1},
			{"a", "http", domain, "GET", "/all/c", []string{"Cookie", "a=3"}, 200, "Miss from cloudfront", "", "/all/c", 2},
		}},
		{"behaviour order and '?'", []step{
			{"a", "http", domain, "GET", "/x1.txt?v=1", nil, 200, "", "query=v=1", "", 0},
			{"a", "http", domain, "GET", "/x12.txt?v=1", nil, 200, "", "query= ", "", 0},
		}},
		{"https-only refuses HTTP, serves HTTPS", []step{
			{"a", "http", domain, "GET", "/secure/s", nil, 403, "Error from cloudfront", "", "/secure/s", 0},
			{"a", "https", domain, "GET", "/secure/s", nil, 200, "Miss from cloudfront", "", "/secure/s", 1},
		}},
		{"match-viewer uses the viewer's scheme, one cached object", []step{
			{"b", "https", domain, "GET", "/mv/m", nil, 200, "Miss from cloudfront", "scheme=https", "/mv/m", 1},
			{"b", "http", domain, "GET", "/mv/m", nil, 200, "Hit from cloudfront", "scheme=https", "/mv/m", 1},
			{"a", "http", domain, "GET", "/mv/n", nil, 200, "Miss from cloudfront", "scheme=http", "/mv/n", 1},
		}},
		{"gzip and identity viewers get separate objects", []step{
			{"a", "http", domain, "GET", "/enc.css", []string{"Accept-Encoding", "gzip, deflate"}, 200, "Miss from cloudfront", "", "/enc.css", 1},
			{"a", "http", domain, "GET", "/enc.css", []string{"Accept-Encoding", "gzip"}, 200, "Hit from cloudfront", "", "/enc.css", 1},
			{"a", "http", domain, "GET", "/enc.css", nil, 200, "Miss from cloudfront", "", "/enc.css", 2},
		}},
		{"methods of 2012 only", []step{
			{"a", "http", domain, "POST", "/doc.html", nil, 403, "", "", "", 0}, // CloudFront: 403 "not configured to allow the HTTP request method"
		}},
		{"no-cache goes to the origin every time", []step{
			{"a", "http", domain, "GET", "/nocache", nil, 200, "", "nocache 1", "/nocache", 1},
			{"a", "http", domain, "GET", "/nocache", nil, 200, "", "nocache 2", "/nocache", 2},
		}},
		{"errors are cached", []step{
			{"a", "http", domain, "GET", "/missing", nil, 404, "Error from cloudfront", "not found 1", "/missing", 1},
			{"a", "http", domain, "GET", "/missing", nil, 404, "Error from cloudfront", "not found 1", "/missing", 1},
		}},
		{"range from the cached object", []step{
			{"a", "http", domain, "GET", "/range.txt", nil, 200, "Miss from cloudfront", "", "/range.txt", 1},
			{"a", "http", domain, "GET", "/range.txt", []string{"Range", "bytes=10-14"}, 206, "Hit from cloudfront", "01234", "/range.txt", 1},
			{"a", "http", domain, "GET", "/range.txt", []string{"Range", "bytes=20-10"}, 200, "Hit from cloudfront", "", "/range.txt", 1},
		}},
		{"objects over --max-object-size are streamed, not cached", []step{
			{"a", "http", domain, "GET", "/big", nil, 200, "Miss from cloudfront", "", "/big", 1},
			{"a", "http", domain, "GET", "/big", nil, 200, "Miss from cloudfront", "", "/big", 2},
		}},
	}
	edges := map[string]*edgeProc{"a": a, "b": b}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, s := range tc.steps {
				e := edges[s.edge]
				addr := e.httpAddr
				if s.scheme == "https" {
					addr = e.httpsAddr
				}
				res, body := viewer(t, s.scheme, addr, s.host, s.method, s.path, s.header...)
				if res.StatusCode != s.status {
					t.Fatalf("step %d: status %d, want %d (%s)", i, res.StatusCode, s.status, body)
				}
				if s.xcache != "" && res.Header.Get("X-Cache") != s.xcache {
					t.Errorf("step %d: X-Cache %q, want %q", i, res.Header.Get("X-Cache"), s.xcache)
				}
				if s.body != "" && !strings.Contains(body, s.body) {
					t.Errorf("step %d: body %q lacks %q", i, body, s.body)
				}
				if s.originPath != "" && o.count(s.originPath) != s.hits {
					t.Errorf("step %d: origin got %d requests for %s, want %d", i, o.count(s.originPath), s.originPath, s.hits)
				}
				if via := res.Header.Get("Via"); s.status < 400 && !strings.HasSuffix(via, ".cloudfront.localhost (CloudFront)") {
					t.Errorf("step %d: Via %q", i, via)
				}
			}
		})
	}

	t.Run("HEAD is cached like GET", func(t *testing.T) {
		res, _ := viewer(t, "http", a.httpAddr, domain, "HEAD", "/head.html")
		if res.StatusCode != 200 || res.Header.Get("X-Cache") != "Miss from cloudfront" {
			t.Fatalf("HEAD: %d %q, want 200 and a miss", res.StatusCode, res.Header.Get("X-Cache"))
		}
		// The HEAD's answer ends with its headers while the edge reads
		// the body on, so a request at once may join that fetch (a miss
		// that costs the origin nothing; CI's race detector once made it
		// one). A HEAD answers Hit once the copy is stored.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			res, _ := viewer(t, "http", a.httpAddr, domain, "HEAD", "/head.html")
			if res.Header.Get("X-Cache") == "Hit from cloudfront" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the HEAD's copy not stored after 5 s: X-Cache %q", res.Header.Get("X-Cache"))
			}
		}
		res, body := viewer(t, "http", a.httpAddr, domain, "GET", "/head.html")
		if res.StatusCode != 200 || res.Header.Get("X-Cache") != "Hit from cloudfront" || !strings.Contains(body, "path=/head.html") {
			t.Fatalf("GET after the HEAD: %d %q %q, want 200, a hit and the object", res.StatusCode, res.Header.Get("X-Cache"), body)
		}
		if n := o.count("/head.html"); n != 1 {
			t.Fatalf("origin got %d requests for a HEAD, HEADs and a GET, want 1", n)
		}
	})

	t.Run("concurrent misses collapse into one origin request", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, body := viewer(t, "http", a.httpAddr, domain, "GET", "/slow")
				if res.StatusCode != 200 || body != "slow 1" {
					t.Errorf("got %d %q", res.StatusCode, body)
				}
			}()
		}
		wg.Wait()
		if n := o.count("/slow"); n != 1 {
			t.Fatalf("origin got %d requests for 20 concurrent misses", n)
		}
	})

	t.Run("stale copy served while the origin fails", func(t *testing.T) {
		if _, body := viewer(t, "http", a.httpAddr, domain, "GET", "/flaky"); body != "flaky 1" {
			t.Fatalf("first: %q", body)
		}
		o.failing.Store(true)
		defer o.failing.Store(false)
		time.Sleep(1100 * time.Millisecond) // let max-age=1 run out
		res, body := viewer(t, "http", a.httpAddr, domain, "GET", "/flaky")
		if res.StatusCode != 200 || body != "flaky 1" {
			t.Fatalf("expired copy with a failing origin: %d %q", res.StatusCode, body)
		}
	})

	t.Run("an invalidation purges the path on every edge, then Completes", func(t *testing.T) {
		before := o.count("/doc.html")
		inv := c.client.must(t, "POST", "/2012-07-01/distribution/"+id+"/invalidation",
			`<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/doc.html</Path></Items></Paths><CallerReference>inv-1</CallerReference></InvalidationBatch>`)
		if inv.status != 201 {
			t.Fatalf("create invalidation: %d %s", inv.status, inv.body)
		}
		invID := field(idRE, inv.body)
		begin := time.Now()
		for field(statusRE, c.client.must(t, "GET", "/2012-07-01/distribution/"+id+"/invalidation/"+invID, "").body) != "Completed" {
			if time.Since(begin) > 5*time.Second {
				t.Fatal("invalidation not Completed within 5s")
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("invalidation Completed on both edges in %v", time.Since(begin))
		for _, e := range []*edgeProc{a, b} {
			if res, _ := viewer(t, "http", e.httpAddr, domain, "GET", "/doc.html"); res.Header.Get("X-Cache") != "Miss from cloudfront" {
				t.Errorf("after the invalidation: X-Cache %q", res.Header.Get("X-Cache"))
			}
		}
		if got := o.count("/doc.html"); got != before+2 {
			t.Errorf("origin got %d more requests for /doc.html, want 2", got-before)
		}
	})

	t.Run("Deployed waits for every live edge", func(t *testing.T) {
		// Edge b is stopped but still counted live: an update stays
		// InProgress until b times out (2s) or comes back and acks.
		b.cmd.Process.Signal(syscall.SIGSTOP)
		upd := c.client.must(t, "PUT", "/2012-07-01/distribution/"+id+"/config", fullConfig(t, o, "rules", true), "If-Match", etag)
		if upd.status != 200 {
			b.cmd.Process.Signal(syscall.SIGCONT)
			t.Fatalf("update: %d %s", upd.status, upd.body)
		}
		etag = upd.header.Get("ETag")
		time.Sleep(500 * time.Millisecond)
		if s := c.status(id); s != "InProgress" {
			t.Errorf("with a stopped live edge: %s, want InProgress", s)
		}
		b.cmd.Process.Signal(syscall.SIGCONT)
		took := c.waitDeployed(id, 5*time.Second)
		t.Logf("stopped edge resumed → Deployed in %v", took)

		// A dead edge stops counting once its liveness times out.
		b.kill()
		upd = c.client.must(t, "PUT", "/2012-07-01/distribution/"+id+"/config", fullConfig(t, o, "rules", true), "If-Match", etag)
		etag = upd.header.Get("ETag")
		if s := c.status(id); s != "InProgress" {
			t.Errorf("right after an update with a dead but live edge: %s", s)
		}
		took = c.waitDeployed(id, 6*time.Second)
		t.Logf("dead edge timed out → Deployed in %v", took)
	})

	t.Run("a disabled distribution is refused once deployed", func(t *testing.T) {
		upd := c.client.must(t, "PUT", "/2012-07-01/distribution/"+id+"/config", fullConfig(t, o, "rules", false), "If-Match", etag)
		if upd.status != 200 {
			t.Fatalf("disable: %d %s", upd.status, upd.body)
		}
		etag = upd.header.Get("ETag")
		c.waitDeployed(id, 5*time.Second)
		res, body := viewer(t, "http", a.httpAddr, domain, "GET", "/doc.html")
		if res.StatusCode != 403 || !strings.Contains(body, "Bad request.") {
			t.Fatalf("disabled: %d %q", res.StatusCode, body)
		}
		upd = c.client.must(t, "PUT", "/2012-07-01/distribution/"+id+"/config", fullConfig(t, o, "rules", true), "If-Match", etag)
		etag = upd.header.Get("ETag")
		c.waitDeployed(id, 5*time.Second)
	})

	t.Run("an edge restarted with the control plane down serves its snapshot", func(t *testing.T) {
		c.api.kill()
		a.kill()
		c.startEdge("a", "100")
		res, body := viewer(t, "http", a.httpAddr, domain, "GET", "/after-restart")
		if res.StatusCode != 200 || !strings.Contains(body, "path=/after-restart") {
			t.Fatalf("after restart without control plane: %d %q", res.StatusCode, body)
		}
		// The control plane returns; the edge catches up with new changes.
		c.api = start(t, `^account `, c.apiArgs...)
		res2 := c.client.must(t, "POST", "/2012-07-01/distribution", distConfig("later", "127.0.0.1", 1024, "PriceClass_100", true, "later.e2e.test"))
		if res2.status != 201 {
			t.Fatalf("create after return: %d %s", res2.status, res2.body)
		}
		took := c.waitDeployed(field(idRE, res2.body), 10*time.Second)
		t.Logf("edge caught up after the control plane returned: Deployed in %v", took)
	})
}
