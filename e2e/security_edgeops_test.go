package e2e

// Security tests of edge credentials and operations: what an edge key may
// do, what a restart may undo, which files and process lists show
// secrets, what a bad snapshot file does to an edge, and which listeners
// speak plain HTTP when the API has TLS.

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/store/pgtest"
)

// edgeopsFeed sends one feed request with an edge's credential, as a
// remote edge (or someone holding its key) would, and returns the status
// and body.
func edgeopsFeed(t *testing.T, apiAddr, feedAuth, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+apiAddr+"/feed/v1/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Edge "+feedAuth)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// edgeopsAdmin runs `openfront admin --data data --json args…` and decodes
// its output into out (when not nil).
func edgeopsAdmin(t *testing.T, data string, out any, args ...string) {
	t.Helper()
	b, err := exec.Command(binary(t), append([]string{"admin", "--data", data, "--json"}, args...)...).Output()
	if err != nil {
		t.Fatalf("admin %v: %v", args, err)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("admin %v: %v\n%s", args, err, b)
		}
	}
}

type edgeopsEdge struct {
	ID   string `json:"edge_id"`
	Live bool   `json:"live"`
}

// TestSecurityEdgeKeyBoundToItsEdge: an edge key acts as its own edge
// only. With a valid key, registering a ghost edge (any other id, or its
// own id in another price class), heartbeating it, and acknowledging for
// another edge are refused with 403 and change nothing; registrations
// are bounded (one edge per key); and deleting a key forgets its edge at
// once, so distributions and invalidations stop waiting for it.
func TestSecurityEdgeKeyBoundToItsEdge(t *testing.T) {
	data, apiAddr := t.TempDir(), freeAddr(t)
	// A long edge timeout: a ghost registered once would block for 30 s,
	// so nothing here passes by timing out.
	start(t, `^account `, "api", "--data", data, "--api-addr", apiAddr, "--edge-timeout", "30s", "--allow-private-origins")
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	client := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}

	// Edge A runs for real; edge B (the victim) registers and then lags.
	authA := edgeopsKey(t, data, "All")
	authB := edgeopsKey(t, data, "All")
	keyA, _, _ := strings.Cut(authA, ":")
	keyB, _, _ := strings.Cut(authB, ":")
	start(t, `^openfront edge `, "edge", "--control-plane", "http://"+apiAddr, "--feed-auth", authA,
		"--price-class", "All", "--edge-name", "edge-a", "--state", filepath.Join(data, "edge-a"),
		"--edge-addr", freeAddr(t), "--admin-addr", "", "--heartbeat", "200ms", "--allow-private-origins")
	if st, body := edgeopsFeed(t, apiAddr, authB, "POST", "register", `{"ID":"`+keyB+`","Name":"edge-b","PriceClass":"All"}`); st != 200 {
		t.Fatalf("B registers itself: %d %s", st, body)
	}
	host, port := hostPort(t, httptestOrigin(t, "edgeops"))
	r := client.must(t, "POST", "/2012-07-01/distribution", distConfig("edgeops-bound", host, port, "PriceClass_All", true))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	distID := field(idRE, r.body)
	inv := client.must(t, "POST", "/2012-07-01/distribution/"+distID+"/invalidation",
		`<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/x</Path></Items></Paths><CallerReference>edgeops-1</CallerReference></InvalidationBatch>`)
	if inv.status != 201 {
		t.Fatalf("invalidation: %d %s", inv.status, inv.body)
	}
	invPath := "/2012-07-01/distribution/" + distID + "/invalidation/" + field(idRE, inv.body)
	rev := 1 << 40 // beyond any revision: the server must refuse on identity first
	cases := []struct {
		name, method, path, body string
	}{
		{"register a ghost edge", "POST", "register", `{"ID":"ghost-1","PriceClass":"100"}`},
		{"register its own id in another price class", "POST", "register", `{"ID":"` + keyA + `","PriceClass":"100"}`},
		{"register as another key's edge", "POST", "register", `{"ID":"` + keyB + `","PriceClass":"All"}`},
		{"heartbeat a ghost", "POST", "heartbeat", `{"Edge":"ghost-1"}`},
		{"acknowledge for another edge", "POST", "ack", `{"Edge":"` + keyB + `","Revision":` + strconv.Itoa(rev) + `}`},
		{"heartbeat for another edge", "POST", "heartbeat", `{"Edge":"` + keyB + `","Revision":` + strconv.Itoa(rev) + `}`},
		{"poll as another edge", "GET", "changes?since=0&edge=" + keyB, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, body := edgeopsFeed(t, apiAddr, authA, tc.method, tc.path, tc.body)
			if st != 403 || !strings.Contains(body, "acts as edge") && !strings.Contains(body, "only, not") {
				t.Errorf("%d %s, want 403 naming the key's one edge", st, body)
			}
		})
	}
	t.Run("registrations are bounded", func(t *testing.T) {
		for i := range 50 {
			edgeopsFeed(t, apiAddr, authA, "POST", "register", fmt.Sprintf(`{"ID":"ghost-%d","PriceClass":"All"}`, i))
		}
		var es []edgeopsEdge
		edgeopsAdmin(t, data, &es, "edge", "list")
		if len(es) != 2 {
			t.Errorf("%d edges registered, want 2 (one per key): %+v", len(es), es)
		}
	})
	// B has acknowledged nothing: the distribution and the invalidation wait.
	time.Sleep(300 * time.Millisecond)
	if s := field(statusRE, client.must(t, "GET", "/2012-07-01/distribution/"+distID, "").body); s != "InProgress" {
		t.Fatalf("distribution %s while B is live and behind, want InProgress", s)
	}
	if s := field(statusRE, client.must(t, "GET", invPath, "").body); s != "InProgress" {
		t.Fatalf("invalidation %s while B is live and behind, want InProgress", s)
	}

	t.Run("the operator sees each key's edge", func(t *testing.T) {
		var ks []struct {
			ID       string `json:"edge_key_id"`
			EdgeName string `json:"edge_name"`
			Live     *bool  `json:"live"`
		}
		edgeopsAdmin(t, data, &ks, "edge-key", "list")
		names := map[string]string{}
		for _, k := range ks {
			if k.Live != nil && *k.Live {
				names[k.ID] = k.EdgeName
			}
		}
		if names[keyA] != "edge-a" || names[keyB] != "edge-b" {
			t.Errorf("edge-key list shows %v", names)
		}
	})
	t.Run("revoking B's key forgets its edge at once", func(t *testing.T) {
		edgeopsAdmin(t, data, nil, "edge-key", "delete", keyB)
		begin := time.Now()
		for field(statusRE, client.must(t, "GET", "/2012-07-01/distribution/"+distID, "").body) != "Deployed" ||
			field(statusRE, client.must(t, "GET", invPath, "").body) != "Completed" {
			if time.Since(begin) > 5*time.Second {
				t.Fatal("not Deployed and Completed within 5s of revoking the lagging edge's key (its timeout is 30s)")
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("Deployed and Completed %v after the revocation", time.Since(begin))
		if st, _ := edgeopsFeed(t, apiAddr, authB, "POST", "register", `{"ID":"`+keyB+`","PriceClass":"All"}`); st != 401 {
			t.Errorf("revoked key registers: %d, want 401", st)
		}
		var es []edgeopsEdge
		edgeopsAdmin(t, data, &es, "edge", "list")
		if len(es) != 1 || es[0].ID != keyA {
			t.Errorf("edges after revocation: %+v, want only %s", es, keyA)
		}
	})
}

// TestSecurityRevocationSurvivesRestart: the bootstrap key and account
// are made once, on an empty store, and the secret printed once. A key or
// account the operator disabled (or deleted) stays so across restarts: no
// start mints a new working key.
func TestSecurityRevocationSurvivesRestart(t *testing.T) {
	data, apiAddr := t.TempDir(), freeAddr(t)
	args := []string{"serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", freeAddr(t)}
	credPath := filepath.Join(data, "credentials")
	p := start(t, `^\(saved in `, args...)
	id, secret := credentials(t, credPath)
	if !strings.Contains(p.output(), "aws_secret_access_key = "+secret) {
		t.Fatalf("the first start did not show the secret:\n%s", p.output())
	}
	credFile, _ := os.ReadFile(credPath)
	var accts []struct {
		ID       string `json:"account_id"`
		Disabled bool   `json:"disabled"`
	}
	edgeopsAdmin(t, data, &accts, "account", "list")
	if len(accts) != 1 {
		t.Fatalf("accounts after the first start: %+v", accts)
	}
	acct := accts[0].ID
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	if r := c.must(t, "GET", "/2012-07-01/distribution", ""); r.status != 200 {
		t.Fatalf("the bootstrap key does not work: %d", r.status)
	}

	// restart stops serve, runs the admin commands, starts it again and
	// checks that nothing was minted or shown.
	restart := func(t *testing.T, admin ...[]string) {
		t.Helper()
		p.stop(t)
		for _, a := range admin {
			edgeopsAdmin(t, data, nil, a...)
		}
		p = start(t, `^\(saved in `, args...)
		if strings.Contains(p.output(), secret) || strings.Contains(p.output(), "aws_secret_access_key") {
			t.Errorf("a restart showed a secret:\n%s", p.output())
		}
		var keys []map[string]any
		edgeopsAdmin(t, data, &keys, "key", "list")
		var as []map[string]any
		edgeopsAdmin(t, data, &as, "account", "list")
		if len(keys) > 1 || len(as) > 1 {
			t.Errorf("a restart minted credentials: keys %v, accounts %v", keys, as)
		}
		if b, _ := os.ReadFile(credPath); !bytes.Equal(b, credFile) {
			t.Errorf("a restart rewrote the credentials file")
		}
	}
	refused := func(t *testing.T, what string) {
		t.Helper()
		if r := c.must(t, "GET", "/2012-07-01/distribution", ""); r.status != 403 {
			t.Errorf("%s: the bootstrap key answered %d, want 403", what, r.status)
		}
	}
	t.Run("a disabled key stays disabled", func(t *testing.T) {
		restart(t, []string{"key", "disable", id})
		refused(t, "after a restart")
		restart(t)
		refused(t, "after a second restart")
	})
	t.Run("a disabled account stays disabled", func(t *testing.T) {
		restart(t, []string{"key", "enable", id}, []string{"account", "disable", acct})
		refused(t, "after a restart")
		if !strings.Contains(p.output(), "account "+acct+" (disabled)") {
			t.Errorf("the start does not say the account is disabled:\n%s", p.output())
		}
	})
	t.Run("a deleted account is not made again", func(t *testing.T) {
		restart(t, []string{"account", "delete", acct})
		var as []map[string]any
		edgeopsAdmin(t, data, &as, "account", "list")
		if len(as) != 0 {
			t.Errorf("accounts after deleting the bootstrap account and restarting: %v", as)
		}
	})
}

// TestSecuritySecretsNotWorldReadable: with umask 000, the data folder is
// 0700 and the database (with its WAL and SHM files), the credentials and
// the edge's snapshots are 0600; and with the -file forms of the secret
// flags, no secret shows in the process list.
func TestSecuritySecretsNotWorldReadable(t *testing.T) {
	dir := t.TempDir()
	data, apiAddr := filepath.Join(dir, "data"), freeAddr(t)
	storeArg := []string{}
	var dsn string
	if os.Getenv("OPENFRONT_TEST_POSTGRES") != "" {
		// A PostgreSQL DSN carries its password: it goes in a file too.
		dsn = pgtest.FreshSchema(t, pgtest.DSN(t))
		storeArg = []string{"--store-file", edgeopsSecretFile(t, dir, "store", dsn)}
	}
	old := syscall.Umask(0)
	serve := start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", freeAddr(t))
	syscall.Umask(old)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	host, port := hostPort(t, httptestOrigin(t, "modes"))
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("edgeops-modes", host, port, "PriceClass_All", true))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	for begin := time.Now(); field(statusRE, c.must(t, "GET", "/2012-07-01/distribution/"+field(idRE, r.body), "").body) != "Deployed"; {
		if time.Since(begin) > 5*time.Second {
			t.Fatal("not Deployed within 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	db := filepath.Join(data, "openfront.db")
	want := map[string]os.FileMode{
		data: 0o700, db: 0o600, db + "-wal": 0o600, db + "-shm": 0o600,
		filepath.Join(data, "credentials"):                0o600,
		filepath.Join(data, "edge"):                       0o700,
		filepath.Join(data, "edge", "feed-snapshot.json"): 0o600,
	}
	for p, mode := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %#o with umask 000, want %#o", p, fi.Mode().Perm(), mode)
		}
	}

	t.Run("no secret in the process list", func(t *testing.T) {
		feedAuth := edgeopsKey(t, data, "100")
		s3Secret, logSecret := "s3-"+hex.EncodeToString([]byte(t.Name()))[:24], "log-"+hex.EncodeToString([]byte(t.Name()))[:24]
		args := []string{"edge", "--control-plane", "http://" + apiAddr,
			"--feed-auth-file", edgeopsSecretFile(t, dir, "feed-auth", feedAuth),
			"--s3-access-key", "AKIAEDGEOPS", "--s3-secret-key-file", edgeopsSecretFile(t, dir, "s3", s3Secret),
			"--log-s3-access-key", "AKIALOGS", "--log-s3-secret-key-file", edgeopsSecretFile(t, dir, "log-s3", logSecret),
			"--state", filepath.Join(dir, "edge"), "--edge-addr", freeAddr(t), "--admin-addr", ""}
		edge := start(t, `^openfront edge `, args...)
		procs := []*proc{edge}
		secrets := []string{feedAuth, s3Secret, logSecret}
		if dsn != "" {
			api := start(t, `^api: `, append([]string{"api", "--data", filepath.Join(dir, "pg"), "--api-addr", freeAddr(t)}, storeArg...)...)
			procs = append(procs, api)
			secrets = append(secrets, dsn)
		}
		ps, err := exec.Command("ps", "-eo", "pid,args", "-ww").Output()
		if err != nil {
			t.Fatalf("ps: %v", err)
		}
		for _, p := range procs {
			pid := strconv.Itoa(p.cmd.Process.Pid)
			cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
			if err != nil {
				t.Fatal(err)
			}
			var line string
			for _, l := range strings.Split(string(ps), "\n") {
				if f := strings.Fields(l); len(f) > 1 && f[0] == pid {
					line = l
				}
			}
			// The check can fail: the line is the process's, with its flags.
			if !strings.Contains(line, "-file") {
				t.Fatalf("ps shows no -file flag for pid %s: %q", pid, line)
			}
			for _, s := range secrets {
				if strings.Contains(line, s) || bytes.Contains(cmdline, []byte(s)) {
					t.Errorf("pid %s shows a secret in its arguments: %q", pid, line)
				}
			}
		}
		// The edge really uses the key from the file: it registered.
		keyID, _, _ := strings.Cut(feedAuth, ":")
		for begin := time.Now(); ; time.Sleep(20 * time.Millisecond) {
			var es []edgeopsEdge
			edgeopsAdmin(t, data, &es, "edge", "list")
			if slices.ContainsFunc(es, func(e edgeopsEdge) bool { return e.ID == keyID }) {
				break
			}
			if time.Since(begin) > 5*time.Second {
				t.Fatalf("the edge with --feed-auth-file did not register: %+v", es)
			}
		}
	})
	t.Run("looser modes are tightened at the next start", func(t *testing.T) {
		serve.stop(t)
		cred, edgeDir := filepath.Join(data, "credentials"), filepath.Join(data, "edge")
		os.Chmod(data, 0o755)
		os.Chmod(db, 0o644)
		os.Chmod(cred, 0o644)
		os.Chmod(edgeDir, 0o755)
		start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", freeAddr(t))
		for p, mode := range map[string]os.FileMode{data: 0o700, db: 0o600, cred: 0o600, edgeDir: 0o700} {
			if fi, err := os.Stat(p); err != nil {
				t.Error(err)
			} else if fi.Mode().Perm() != mode {
				t.Errorf("%s: mode %#o, want %#o", p, fi.Mode().Perm(), mode)
			}
		}
	})
}

// edgeopsSecretFile writes a secret to a file of mode 0600.
func edgeopsSecretFile(t *testing.T, dir, name, secret string) string {
	t.Helper()
	p := filepath.Join(dir, name+".secret")
	if err := os.WriteFile(p, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSecurityCorruptSnapshotKeepsServing: an edge whose newest snapshot
// file is damaged (in several ways) and whose control plane is away
// serves its previous, good snapshot instead of nothing, and catches up
// when the control plane returns.
func TestSecurityCorruptSnapshotKeepsServing(t *testing.T) {
	o := newOrigin(t)
	c := newCluster(t, o)
	e := c.startEdge("a", "100")
	c.waitEdges(1)
	host, port := hostPort(t, o.http.URL)
	create := func(ref, alias string) {
		t.Helper()
		r := c.client.must(t, "POST", "/2012-07-01/distribution", distConfig(ref, host, port, "PriceClass_All", true, alias))
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		c.waitDeployed(field(idRE, r.body), 5*time.Second)
	}
	create("edgeops-first", "first.edgeops.test")
	create("edgeops-second", "second.edgeops.test") // newest: both; previous: the first only
	c.api.kill()
	e.kill()
	newest := filepath.Join(c.data, "edge-a", "feed-snapshot.json")
	good, err := os.ReadFile(newest)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		corrupt func([]byte) []byte
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)*2/3] }},
		{"a byte changed inside a string", func(b []byte) []byte { return bytes.Replace(b, []byte("second.edgeops"), []byte("secand.edgeops"), 1) }},
		{"extended", func(b []byte) []byte { return append(b, []byte(`{"Version":2}`)...) }},
		{"zero length", func([]byte) []byte { return nil }},
		{"garbage", func(b []byte) []byte { return bytes.Repeat([]byte{0xff}, len(b)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(newest, tc.corrupt(append([]byte(nil), good...)), 0o600); err != nil {
				t.Fatal(err)
			}
			e = c.startEdge("a", "100")
			defer e.kill()
			res, body := viewer(t, "http", e.httpAddr, "first.edgeops.test", "GET", "/kept")
			if res.StatusCode != 200 || !strings.Contains(body, "path=/kept") {
				t.Fatalf("with a corrupt newest snapshot and no control plane: %d %q", res.StatusCode, body)
			}
			// Nothing of the damaged file is served.
			if res, _ := viewer(t, "http", e.httpAddr, "secand.edgeops.test", "GET", "/x"); res.StatusCode == 200 {
				t.Errorf("the altered snapshot was served")
			}
		})
	}
	t.Run("the control plane returns: the edge catches up", func(t *testing.T) {
		c.api = start(t, `^account `, c.apiArgs...)
		e = c.startEdge("a", "100")
		for begin := time.Now(); ; time.Sleep(20 * time.Millisecond) {
			if res, _ := viewer(t, "http", e.httpAddr, "second.edgeops.test", "GET", "/caught-up"); res.StatusCode == 200 {
				break
			}
			if time.Since(begin) > 10*time.Second {
				t.Fatal("the edge did not catch up within 10s")
			}
		}
	})
}

// TestSecurityNoPlaintextAPIWithTLS: with --tls-cert, no listener of serve
// answers the API or the config feed in plain HTTP (serve's embedded edge
// follows the feed in-process, with no listener of its own); /metrics is
// on loopback by default and serves nothing else.
func TestSecurityNoPlaintextAPIWithTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t, dir)
	data, apiAddr, adminAddr := filepath.Join(dir, "data"), freeAddr(t), freeAddr(t)
	p := start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--tls-cert", certFile, "--tls-key", keyFile,
		"--edge-addr", "", "--edge-tls-addr", freeAddr(t), "--admin-addr", adminAddr)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "https://" + apiAddr, id: id, secret: secret,
		http: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	// The embedded edge follows the feed: a distribution becomes Deployed.
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("edgeops-tls", "origin.example.com", 80, "PriceClass_All", true))
	if r.status != 201 {
		t.Fatalf("create over TLS: %d %s", r.status, r.body)
	}
	for begin := time.Now(); field(statusRE, c.must(t, "GET", "/2012-07-01/distribution/"+field(idRE, r.body), "").body) != "Deployed"; {
		if time.Since(begin) > 5*time.Second {
			t.Fatal("the embedded edge did not acknowledge within 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}

	ports := edgeopsListeningPorts(t, p.cmd.Process.Pid)
	// The API, the edge's HTTPS listener and /metrics: nothing else.
	if len(ports) != 3 {
		t.Errorf("serve listens on %d ports %v, want 3 (API, edge HTTPS, metrics)", len(ports), ports)
	}
	for _, port := range ports {
		addr := "127.0.0.1:" + strconv.Itoa(port)
		for _, req := range []struct{ method, path string }{
			{"GET", "/2012-07-01/distribution"},
			{"POST", "/feed/v1/register"},
			{"GET", "/feed/v1/changes?since=0&edge=x"},
		} {
			status, body := edgeopsPlain(t, addr, req.method, req.path)
			api := strings.Contains(body, "<ErrorResponse") || strings.Contains(body, "DistributionList") || strings.Contains(body, `"Error"`)
			if api || status == 200 || status == 401 || status == 403 {
				t.Errorf("plain HTTP %s %s on port %d: %d %q: the API or feed answered", req.method, req.path, port, status, body)
			}
		}
	}
	if res, err := http.Get("http://" + adminAddr + "/metrics"); err != nil || res.StatusCode != 200 {
		t.Errorf("/metrics: %v", err)
	} else {
		res.Body.Close()
	}
	t.Run("metrics default to loopback", func(t *testing.T) {
		out, _ := exec.Command(binary(t), "serve", "-h").CombinedOutput()
		i := bytes.Index(out, []byte("-admin-addr"))
		if i < 0 {
			t.Fatalf("no --admin-addr in serve -h:\n%s", out)
		}
		help := string(out[i:])
		if end := strings.Index(help, "\n  -"); end > 0 {
			help = help[:end]
		}
		if !strings.Contains(help, `(default "127.0.0.1:`) || !strings.Contains(help, "operators only") {
			t.Errorf("--admin-addr help: %q, want a loopback default and operators only", help)
		}
	})
}

// edgeopsPlain sends one plain HTTP request and returns the status (0 if
// the connection failed) and body.
func edgeopsPlain(t *testing.T, addr, method, path string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return 0, err.Error()
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(3 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Edge shared:x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", method, path, addr)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	return res.StatusCode, string(b)
}

// edgeopsListeningPorts returns the TCP ports the process listens on:
// its socket inodes (/proc/PID/fd) matched against /proc/net/tcp{,6}.
func edgeopsListeningPorts(t *testing.T, pid int) []int {
	t.Helper()
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(table)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			// local_address is f[1] (HEXIP:HEXPORT), st f[3] (0A is LISTEN), inode f[9].
			if len(f) < 10 || f[3] != "0A" || !inodes[f[9]] {
				continue
			}
			_, hexPort, _ := strings.Cut(f[1], ":")
			port, err := strconv.ParseInt(hexPort, 16, 32)
			if err == nil {
				ports = append(ports, int(port))
			}
		}
	}
	return ports
}
