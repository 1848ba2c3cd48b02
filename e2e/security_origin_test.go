package e2e

// Security tests for the edge's side towards origins: connection attempts,
// forwarded headers, private responses and internal origin addresses.

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// originsecServe starts `openfront serve` with extra flags and returns
// its API client and edge address.
func originsecServe(t *testing.T, flags ...string) (*apiClient, string) {
	t.Helper()
	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	args := append([]string{"serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr}, flags...)
	start(t, `^\(saved in `, args...)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	return &apiClient{base: "http://" + apiAddr, id: id, secret: secret}, edgeAddr
}

// originsecCreate creates a distribution for the origin at host:port with
// the alias cname and MinTTL, and waits until the edge at edgeAddr serves
// it (HEAD answers other than 403).
func originsecCreate(t *testing.T, c *apiClient, edgeAddr, ref, host string, port int, cname string, minTTL int) {
	t.Helper()
	cfg := strings.Replace(distConfig(ref, host, port, "PriceClass_All", true, cname),
		"<MinTTL>0</MinTTL>", fmt.Sprintf("<MinTTL>%d</MinTTL>", minTTL), 1)
	r := c.must(t, "POST", "/2012-07-01/distribution", cfg)
	if r.status != 201 {
		t.Fatalf("create %s: %d %s", ref, r.status, r.body)
	}
	for i := 0; i < 500; i++ {
		if res, _ := viewer(t, "http", edgeAddr, cname, "HEAD", "/originsec-ready"); res.StatusCode != 403 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s not served by the edge", ref)
}

// originsecRaw is an HTTP/1.1 origin on a bare listener, so that the test
// counts every connection and every request the edge writes. While drop
// is set it reads each request, waits, and closes without answering.
type originsecRaw struct {
	ln                  net.Listener
	drop                atomic.Bool
	conns, droppedConns atomic.Int64
	dropped, bytes      atomic.Int64
	requests, barrier   atomic.Int64 // see serve
	delay               time.Duration
}

func originsecNewRaw(t *testing.T, delay time.Duration) *originsecRaw {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o := &originsecRaw{ln: ln, delay: delay}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			o.conns.Add(1)
			if o.drop.Load() {
				o.droppedConns.Add(1)
			}
			go o.serve(c)
		}
	}()
	return o
}

func (o *originsecRaw) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		n := 0
		for {
			line, err := br.ReadString('\n')
			n += len(line)
			if err != nil {
				return
			}
			if line == "\r\n" {
				break
			}
		}
		o.requests.Add(1)
		if !o.drop.Load() {
			// Hold the answer until barrier requests are in flight, so that
			// each of them has a connection of its own.
			for deadline := time.Now().Add(2 * time.Second); o.requests.Load() < o.barrier.Load() && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
		}
		time.Sleep(o.delay)
		if o.drop.Load() {
			o.dropped.Add(1)
			o.bytes.Add(int64(n))
			return
		}
		if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Control: max-age=3600\r\n\r\nok")); err != nil {
			return
		}
	}
}

// TestSecurityOriginConnectionAttemptsBounded: an origin that accepts
// connections and drops them without answering gets at most 3 requests per
// viewer request (CloudFront's default ConnectionAttempts), even when the
// edge holds many pooled keep-alive connections to it (net/http retries a
// GET on each) and several viewers wait on the same miss.
func TestSecurityOriginConnectionAttemptsBounded(t *testing.T) {
	c, edgeAddr := originsecServe(t)
	o := originsecNewRaw(t, 100*time.Millisecond)
	_, port := hostPort(t, o.ln.Addr().String())
	originsecCreate(t, c, edgeAddr, "attempts", "127.0.0.1", port, "attempts.e2e.test", 0)
	// Fill the edge's pool: concurrent misses open one connection each.
	begin := time.Now()
	const warm = 12
	o.barrier.Store(warm + 1) // and the readiness probe
	var wg sync.WaitGroup
	for i := range warm {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, _ := viewer(t, "http", edgeAddr, "attempts.e2e.test", "GET", fmt.Sprintf("/warm/%d", i)); res.StatusCode != 200 {
				t.Errorf("warming: %d", res.StatusCode)
			}
		}()
	}
	wg.Wait()
	if n := o.conns.Load(); n < warm {
		t.Fatalf("warming opened %d connections, want %d", n, warm)
	}
	t.Logf("warmed %d connections in %v", o.conns.Load(), time.Since(begin))
	o.drop.Store(true)
	cases := []struct {
		name    string
		viewers int
	}{
		{"one viewer, pool of dead connections", 1},
		{"collapsed viewers", 6},
	}
	for _, tc := range cases {
		before, beforeConns, beforeBytes := o.dropped.Load(), o.droppedConns.Load(), o.bytes.Load()
		begin := time.Now()
		path := "/broken/" + strings.ReplaceAll(tc.name, " ", "-")
		for range tc.viewers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if res, _ := viewer(t, "http", edgeAddr, "attempts.e2e.test", "GET", path); res.StatusCode != 502 {
					t.Errorf("%s: viewer got %d, want 502", tc.name, res.StatusCode)
				}
			}()
		}
		wg.Wait()
		reqs := o.dropped.Load() - before
		t.Logf("%s (%v): %d requests (%d bytes) and %d new connections reached the origin",
			tc.name, time.Since(begin), reqs, o.bytes.Load()-beforeBytes, o.droppedConns.Load()-beforeConns)
		if reqs < 1 || reqs > 3 {
			t.Errorf("%s: origin got %d requests, want 1 to 3", tc.name, reqs)
		}
	}
}

// originsecRoutingHeaders are headers that make origins route, build URLs
// or pick the client address differently; none is in a 2012 cache key.
var originsecRoutingHeaders = []string{
	"X-Forwarded-Host", "X-Forwarded-Server", "X-Forwarded-Port", "X-Forwarded-Scheme",
	"X-Forwarded-Prefix", "X-Original-URL", "X-Original-Host", "X-Rewrite-URL",
	"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "Forwarded",
	"X-Host", "X-HTTP-Host-Override", "True-Client-IP", "X-Client-IP", "X-Real-IP",
	"X-Forwarded-Proto", "X-Middleware-Subrequest",
}

// TestSecurityUnkeyedHeadersDoNotReachOrigin: a viewer cannot make the
// origin build a variant (here, links to its own host) that other viewers
// then get from the cache: headers outside the cache key that change how
// origins route or build URLs are not forwarded.
func TestSecurityUnkeyedHeadersDoNotReachOrigin(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{}
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		for _, h := range originsecRoutingHeaders {
			if v := r.Header.Get(h); v != "" {
				seen[h] = v
			}
		}
		mu.Unlock()
		// Like frameworks that trust proxies: the first override wins.
		host := r.Host
		for _, h := range []string{"X-Forwarded-Host", "X-Original-Host", "X-Host", "Forwarded"} {
			if v := r.Header.Get(h); v != "" {
				host = v
				break
			}
		}
		if r.Header.Get("X-Original-URL") != "" || r.Header.Get("X-Rewrite-URL") != "" {
			w.WriteHeader(http.StatusNotFound) // cached for 5 minutes
		}
		w.Header().Set("Cache-Control", "max-age=3600")
		fmt.Fprintf(w, `<script src="//%s/app.js"></script>`, host)
	}))
	t.Cleanup(origin.Close)
	c, edgeAddr := originsecServe(t)
	host, port := hostPort(t, origin.URL)
	originsecCreate(t, c, edgeAddr, "headers", host, port, "headers.e2e.test", 0)
	want := fmt.Sprintf(`<script src="//%s/app.js"></script>`, origin.Listener.Addr().String())
	for _, h := range originsecRoutingHeaders {
		path := "/page-" + strings.ToLower(h)
		res, body := viewer(t, "http", edgeAddr, "headers.e2e.test", "GET", path, h, "evil.example")
		if res.StatusCode != 200 || body != want {
			t.Errorf("%s: the attacker got %d %q", h, res.StatusCode, body)
		}
		res, body = viewer(t, "http", edgeAddr, "headers.e2e.test", "GET", path)
		if res.StatusCode != 200 || body != want {
			t.Errorf("%s: the next viewer got %d %q (X-Cache %q), want %q", h, res.StatusCode, body, res.Header.Get("X-Cache"), want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) > 0 {
		t.Errorf("the origin received %v", seen)
	}
}

// TestSecurityPrivateResponsesNotShared: a response the origin marks
// private or no-store (here, a per-user page chosen by a forwarded custom
// header) is not served to another viewer as a stale copy when the origin
// fails. With MinTTL > 0 CloudFront caches it anyway (developer guide,
// Expiration: "If your minimum TTL is greater than 0, CloudFront uses the
// cache policy's minimum TTL, even if the Cache-Control: no-cache,
// no-store, and/or private directives are present"), and so does the edge.
func TestSecurityPrivateResponsesNotShared(t *testing.T) {
	var failing atomic.Bool
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Cache-Control", strings.TrimPrefix(r.URL.Path, "/"))
		fmt.Fprintf(w, "account page of %s", r.Header.Get("X-User"))
	}))
	t.Cleanup(origin.Close)
	c, edgeAddr := originsecServe(t)
	host, port := hostPort(t, origin.URL)
	originsecCreate(t, c, edgeAddr, "ttl0", host, port, "ttl0.e2e.test", 0)
	originsecCreate(t, c, edgeAddr, "ttl60", host, port, "ttl60.e2e.test", 60)
	cases := []struct {
		host, cacheControl string
		shared             bool
	}{
		{"ttl0.e2e.test", "private", false},
		{"ttl0.e2e.test", "no-store", false},
		{"ttl0.e2e.test", "private,max-age=600", false},
		{"ttl60.e2e.test", "private", true},
		{"ttl60.e2e.test", "no-store", true},
	}
	for _, tc := range cases {
		failing.Store(false)
		path := "/" + tc.cacheControl
		if _, body := viewer(t, "http", edgeAddr, tc.host, "GET", path, "X-User", "alice"); body != "account page of alice" {
			t.Fatalf("%s %s: alice got %q", tc.host, tc.cacheControl, body)
		}
		failing.Store(true)
		time.Sleep(1100 * time.Millisecond) // any TTL-0 copy is now stale
		res, body := viewer(t, "http", edgeAddr, tc.host, "GET", path, "X-User", "bob")
		if got := body == "account page of alice"; got != tc.shared {
			t.Errorf("%s %s: bob got %d %q (X-Cache %q)", tc.host, tc.cacheControl, res.StatusCode, body, res.Header.Get("X-Cache"))
		}
		if !tc.shared && res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("%s %s: bob got %d, want the origin's 503", tc.host, tc.cacheControl, res.StatusCode)
		}
	}
}

// TestSecurityInternalOriginsRefused: `openfront api` refuses origins on
// loopback, private and link-local addresses at create time; `openfront
// edge` refuses to connect to them by default, on the address a name
// resolves to when it dials;
// `serve` keeps loopback origins (the quick start) but refuses link-local
// and metadata addresses unless told otherwise.
func TestSecurityInternalOriginsRefused(t *testing.T) {
	t.Run("api refuses at create", func(t *testing.T) {
		data := t.TempDir()
		apiAddr := freeAddr(t)
		start(t, `^\(saved in `, "api", "--data", data, "--api-addr", apiAddr)
		id, secret := credentials(t, filepath.Join(data, "credentials"))
		c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
		cases := []struct {
			host   string
			status int
		}{
			{"127.0.0.1", 400}, {"10.1.2.3", 400}, {"192.168.0.10", 400}, {"100.64.0.1", 400},
			{"169.254.169.254", 400}, {"100.100.100.200", 400}, {"0.0.0.0", 400},
			{"localhost", 400}, {"metadata.localhost", 400}, {"origin.example.com", 201},
		}
		for i, tc := range cases {
			r := c.must(t, "POST", "/2012-07-01/distribution", distConfig(fmt.Sprint("api", i), tc.host, 80, "PriceClass_All", true))
			if r.status != tc.status || (tc.status == 400 && !strings.Contains(r.body, "<Code>InvalidArgument</Code>")) {
				t.Errorf("origin %s: %d %s, want %d", tc.host, r.status, r.body, tc.status)
			}
		}
	})
	t.Run("edge refuses to connect", func(t *testing.T) {
		o := newOrigin(t)
		c := newCluster(t, o) // its api allows loopback origins
		// A name, not an address: the edge judges what it resolves to.
		_, port := hostPort(t, o.http.URL)
		host := "localhost"
		dir := t.TempDir()
		for _, tc := range []struct {
			flags  []string
			status int
		}{
			{nil, 502},
			{[]string{"--allow-link-local-origins"}, 502},
			{[]string{"--allow-private-origins"}, 200},
		} {
			edgeAddr := freeAddr(t)
			args := append([]string{"edge", "--control-plane", "http://" + c.apiAddr, "--feed-auth", c.feedAuth,
				"--state", filepath.Join(dir, fmt.Sprint("edge", len(tc.flags), tc.status)), "--edge-addr", edgeAddr, "--admin-addr", ""}, tc.flags...)
			p := start(t, `^openfront edge `, args...)
			ref := fmt.Sprintf("edge-%d-%d", len(tc.flags), tc.status)
			r := c.client.must(t, "POST", "/2012-07-01/distribution", distConfig(ref, host, port, "PriceClass_All", true, ref+".e2e.test"))
			if r.status != 201 {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
			before := o.count("/internal")
			// 403 until this edge has the distribution.
			res, _ := viewer(t, "http", edgeAddr, ref+".e2e.test", "GET", "/internal")
			for i := 0; i < 500 && res.StatusCode == 403; i++ {
				time.Sleep(10 * time.Millisecond)
				res, _ = viewer(t, "http", edgeAddr, ref+".e2e.test", "GET", "/internal")
			}
			if res.StatusCode != tc.status {
				t.Errorf("edge %v: %d, want %d", tc.flags, res.StatusCode, tc.status)
			}
			if reached := o.count("/internal") - before; (tc.status == 200) != (reached > 0) {
				t.Errorf("edge %v: the loopback origin got %d requests", tc.flags, reached)
			}
			p.kill()
		}
	})
	t.Run("serve keeps the loopback quick start", func(t *testing.T) {
		for _, tc := range []struct {
			flags []string
			host  string
			want  int
		}{
			{nil, "127.0.0.1", 201},
			{nil, "169.254.169.254", 400},
			{nil, "100.100.100.200", 400},
			{[]string{"--allow-link-local-origins"}, "169.254.169.254", 201},
			{[]string{"--allow-private-origins=false"}, "127.0.0.1", 400},
		} {
			c, _ := originsecServe(t, tc.flags...)
			r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("serve", tc.host, 80, "PriceClass_All", true))
			if r.status != tc.want {
				t.Errorf("serve %v, origin %s: %d %s, want %d", tc.flags, tc.host, r.status, r.body, tc.want)
			}
		}
	})
}
