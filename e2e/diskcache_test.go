package e2e

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDiskCacheServeRestart: `serve` restarted on the same data folder
// answers from its disk tier with the origin gone: after a graceful stop
// (the memory tier written to disk, the index kept) and after SIGKILL (an
// object that went straight to disk, the index rebuilt from the files).
func TestDiskCacheServeRestart(t *testing.T) {
	bodies := map[string]string{
		"/small": strings.Repeat("s", 5000),
		"/big":   strings.Repeat("0123456789", 30000), // over the memory tier's per-object limit
	}
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=3600")
		fmt.Fprint(w, bodies[r.URL.Path])
	}))
	defer srv.Close()
	host, port := hostPort(t, srv.URL)

	data := t.TempDir()
	var apiAddr string
	run := func() (edgeAddr string, p *proc) {
		apiAddr, edgeAddr = freeAddr(t), freeAddr(t)
		// A 1 MiB memory tier: objects over 128 KiB go to disk only.
		p = start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr,
			"--edge-addr", edgeAddr, "--cache-size", "1048576")
		return edgeAddr, p
	}
	edgeAddr, p := run()
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	r := c.must(t, "POST", "/2012-07-01/distribution", distConfig("disk-1", host, port, "PriceClass_All", true))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	domain := field(domainRE, r.body)
	get := func(addr, path, wantCache string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			res, body := viewer(t, "http", addr, domain, "GET", path)
			if res.StatusCode == 200 || time.Now().After(deadline) {
				if res.StatusCode != 200 || body != bodies[path] || (wantCache != "" && res.Header.Get("X-Cache") != wantCache) {
					t.Fatalf("GET %s: %d, X-Cache %q, %d bytes", path, res.StatusCode, res.Header.Get("X-Cache"), len(body))
				}
				return
			}
			time.Sleep(20 * time.Millisecond) // until the edge has the distribution
		}
	}
	get(edgeAddr, "/small", "")
	get(edgeAddr, "/big", "")
	get(edgeAddr, "/small", "Hit from cloudfront")
	get(edgeAddr, "/big", "Hit from cloudfront")
	p.stop(t)

	srv.Close() // from here on only the disk can answer
	edgeAddr, p = run()
	get(edgeAddr, "/small", "Hit from cloudfront")
	get(edgeAddr, "/big", "Hit from cloudfront")

	// Killed: no index, no memory written out; the files are read again.
	p.kill()
	if n := diskCacheFiles(t, filepath.Join(data, "cache")); n < 2 {
		t.Fatalf("%d object files in the disk tier", n)
	}
	edgeAddr, p = run()
	get(edgeAddr, "/big", "Hit from cloudfront")
	get(edgeAddr, "/small", "Hit from cloudfront")
	p.stop(t)
	mu.Lock()
	defer mu.Unlock()
	if hits["/small"] != 1 || hits["/big"] != 1 {
		t.Errorf("origin fetches: %v", hits)
	}
}

// diskCacheFiles counts the object files under dir (not the index, not
// temporary files).
func diskCacheFiles(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(filepath.Base(filepath.Dir(p))) == 2 {
			n++
		}
		return err
	})
	return n
}
