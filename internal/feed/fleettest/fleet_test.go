// Package fleettest measures the config feed with many edges: the real
// control-plane operations and feed server on one store, and real feed
// clients over loopback HTTP, all in one process.
package fleettest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/pgtest"
	"github.com/openfront/openfront/internal/store/postgres"
	"github.com/openfront/openfront/internal/store/sqlite"
)

const account = "123456789012"

type nopApplier struct{}

func (nopApplier) Apply(*feed.Snapshot, []cloudfront.Invalidation) error { return nil }

func config(ref string) cloudfront.DistributionConfig {
	return cloudfront.DistributionConfig{
		CallerReference: ref, Enabled: true, Comment: "fleet", PriceClass: cloudfront.PriceClassAll,
		Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com",
			Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
		DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
			Cookies: cloudfront.CookiePreference{Forward: cloudfront.ForwardNone}},
	}
}

func openStore(b *testing.B, kind string) store.Store {
	ctx := context.Background()
	var st store.Store
	switch kind {
	case "sqlite":
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "openfront.db"))
		if err != nil {
			b.Fatal(err)
		}
		st = s
	case "postgres":
		s, err := postgres.Open(ctx, pgtest.FreshSchema(b, pgtest.DSN(b)))
		if err != nil {
			b.Fatal(err)
		}
		st = s
	}
	b.Cleanup(func() { st.(interface{ Close() error }).Close() })
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.InsertAccount(store.Account{ID: account, Name: "fleet", Created: time.Now()})
	}); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkFleet reports creates/s (8 clients) and Deployed p50/p99 with
// FLEET_EDGES edges (default 0 and 50) on FLEET_STORE (sqlite). Run it
// once: go test -run X -bench Fleet -benchtime 1x ./internal/feed/fleettest/
func BenchmarkFleet(b *testing.B) {
	kind := os.Getenv("FLEET_STORE")
	if kind == "" {
		kind = "sqlite"
	}
	counts := []int{0, 50}
	if v := os.Getenv("FLEET_EDGES"); v != "" {
		n, _ := strconv.Atoi(v)
		counts = []int{n}
	}
	for _, n := range counts {
		b.Run(fmt.Sprintf("%s/edges=%d", kind, n), func(b *testing.B) {
			for b.Loop() {
				runFleet(b, kind, n)
			}
		})
	}
}

// lightEdge speaks the protocol (register, then poll from the revision
// it got, which acknowledges it) and applies nothing: a simulated edge
// whose own work does not compete with the control plane for the CPU.
func lightEdge(ctx context.Context, hc *http.Client, base, id, auth string) {
	do := func(method, path, body string, out any) error {
		req, err := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", auth)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s %s: %s", method, path, resp.Status)
		}
		return json.NewDecoder(resp.Body).Decode(out)
	}
	var reg feed.RegisterResponse
	if err := do("POST", feed.PathRegister, `{"ID":"`+id+`","PriceClass":"All"}`, &reg); err != nil {
		return
	}
	var since int64
	for ctx.Err() == nil {
		var d struct{ Revision int64 }
		if err := do("GET", feed.PathChanges+"?edge="+id+"&since="+strconv.FormatInt(since, 10), "", &d); err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		since = d.Revision
	}
}

func runFleet(b *testing.B, kind string, edges int) {
	light := os.Getenv("FLEET_LIGHT") != ""
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &countingStore{Store: openStore(b, kind)}
	fd := &feed.Server{Store: st, Secret: "s", SecretEdge: feed.Identity{EdgeID: "e0", PriceClass: cloudfront.PriceClassAll}}
	if v := os.Getenv("FLEET_FLUSH"); v != "" {
		fd.FlushEvery, _ = time.ParseDuration(v)
	}
	fd.Handler() // init
	rules := cloudfront.Rules{Limits: cloudfront.DefaultLimits()}
	rules.Limits.DistributionsPerAccount = 1 << 30
	svc := &controlplane.Service{Store: st, Rules: &rules, DomainSuffix: "cloudfront.test", Changed: fd.Notify, EdgeOverlay: fd.Overlay}
	hs := httptest.NewServer(fd.Handler())
	defer hs.Close()
	go fd.Run(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	for i := range edges {
		id := "edge-" + strconv.Itoa(i)
		k := store.EdgeKey{ID: id, Secret: "secret-" + id, Created: time.Now(), PriceClass: cloudfront.PriceClassAll}
		if err := st.Update(ctx, func(tx store.Tx) error { return tx.InsertEdgeKey(k) }); err != nil {
			b.Fatal(err)
		}
		// A transport per edge, as separate edge processes have: a shared
		// one keeps 2 idle connections per host and redials for the rest.
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		if light {
			wg.Add(1)
			go func() { defer wg.Done(); lightEdge(ctx, hc, hs.URL, id, "Edge "+id+":"+k.Secret) }()
			continue
		}
		c := &feed.Client{BaseURL: hs.URL, HTTPClient: hc, Auth: id + ":" + k.Secret, EdgeID: id, Name: id, PriceClass: "All", Applier: nopApplier{}}
		wg.Add(1)
		go func() { defer wg.Done(); c.Run(ctx) }()
	}
	// Wait for every edge to register.
	for deadline := time.Now().Add(30 * time.Second); ; {
		var es []store.Edge
		st.View(ctx, func(tx store.Tx) error { var err error; es, err = tx.Edges(); return err })
		if len(es) == edges {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d edges registered", len(es), edges)
		}
		time.Sleep(10 * time.Millisecond)
	}
	dists := svc.Distributions()
	var seq atomic.Int64
	create := func() (cloudfront.Distribution, error) {
		d, _, err := dists.Create(ctx, account, config("ref-"+strconv.FormatInt(seq.Add(1), 10)), nil)
		return d, err
	}
	time.Sleep(time.Second) // the registrations' first polls and acks settle
	// Creates/s: 8 clients for 5 s.
	const clients, span = 8, 5 * time.Second
	var done atomic.Int64
	stop := time.Now().Add(span)
	var cw sync.WaitGroup
	for range clients {
		cw.Add(1)
		go func() {
			defer cw.Done()
			for time.Now().Before(stop) {
				if _, err := create(); err != nil {
					b.Error(err)
					return
				}
				done.Add(1)
			}
		}()
	}
	reads0, writes0 := st.views.Load(), st.updates.Load()
	cw.Wait()
	b.ReportMetric(float64(done.Load())/span.Seconds(), "creates/s")
	// Store transactions per create (the creates' own included): what a
	// loaded machine's CPU share does not change.
	b.ReportMetric(float64(st.updates.Load()-writes0)/float64(done.Load()), "writes/create")
	b.ReportMetric(float64(st.views.Load()-reads0)/float64(done.Load()), "reads/create")
	if edges == 0 {
		return
	}
	// Deployed after a create: one at a time, Get every 2 ms.
	var lat []time.Duration
	for range 40 {
		t0 := time.Now()
		d, err := create()
		if err != nil {
			b.Fatal(err)
		}
		for d.Status != cloudfront.StatusDeployed {
			time.Sleep(2 * time.Millisecond)
			if d, err = dists.Get(ctx, account, d.ID); err != nil {
				b.Fatal(err)
			}
			if time.Since(t0) > 30*time.Second {
				b.Fatal("not Deployed within 30 s")
			}
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "deployed-p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "deployed-p99-ms")
	b.ReportMetric(float64(seq.Load()), "distributions")
}

// countingStore counts the transactions of the store it wraps.
type countingStore struct {
	store.Store
	updates, views atomic.Int64
}

func (c *countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

func (c *countingStore) View(ctx context.Context, fn func(store.Tx) error) error {
	c.views.Add(1)
	return c.Store.View(ctx, fn)
}
