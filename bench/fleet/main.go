// Command fleet measures the config feed at fleet scale: how creates/s,
// Deployed latency and invalidation latency change when edges follow the
// control plane, and how much memory an edge holds per distribution.
// Run it from the module's root; it builds cmd/openfront (or takes -bin).
//
//	go run ./bench/fleet -mode real -edges 50 -dists 1000
//	go run ./bench/fleet -mode sim -edges 1000 -dists 10000
//	go run ./bench/fleet -mode mem -dists 2000
//	OPENFRONT_TEST_POSTGRES=postgres://… go run ./bench/fleet -store postgres …
//
// real: one `openfront serve --no-edge` (SQLite) or `openfront api`
// (PostgreSQL, a fresh schema) and N `openfront edge` processes, each
// with its own edge key from `openfront admin edge-key create`.
// sim: the same control plane and N simulated edges in this process
// speaking the feed protocol (see simEdge).
// mem: one real edge; its RSS with no distribution and with -dists.
//
// Each run: -dists distributions are created with no edge following
// (creates/s with 0 edges), then the edges start and catch up, then
// -creates more distributions are timed (creates/s with N edges), then
// -samples single creates are timed to Deployed and -samples
// invalidations to Completed, one at a time. Latencies include the
// status polling, every 10 ms.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/openfront/openfront/bench/internal/creds"
	"github.com/openfront/openfront/internal/feed"
)

type config struct {
	mode     string
	store    string
	pgDSN    string
	bin      string
	edges    int
	dists    int
	creates  int
	clients  int
	samples  int
	keepLogs bool
}

func main() {
	var c config
	flag.StringVar(&c.mode, "mode", "real", "real (edge processes), sim (simulated edges in this process) or mem (one edge's memory)")
	flag.StringVar(&c.store, "store", "sqlite", "sqlite, or postgres (a fresh schema in $OPENFRONT_TEST_POSTGRES)")
	flag.StringVar(&c.bin, "bin", "", "openfront binary (default: build ./cmd/openfront)")
	flag.IntVar(&c.edges, "edges", 50, "edges following the control plane")
	flag.IntVar(&c.dists, "dists", 1000, "distributions in place before the edges start")
	flag.IntVar(&c.creates, "creates", 200, "distributions created, timed, with the edges following")
	flag.IntVar(&c.clients, "clients", 8, "concurrent API clients for the creates")
	flag.IntVar(&c.samples, "samples", 50, "creates timed to Deployed, and invalidations timed to Completed")
	flag.BoolVar(&c.keepLogs, "keep", false, "keep the temporary folder (processes' stderr, data)")
	flag.Parse()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	switch c.mode {
	case "real", "sim", "mem":
	default:
		return fmt.Errorf("-mode %q: want real, sim or mem", c.mode)
	}
	if *pin {
		if c.mode != "real" {
			return fmt.Errorf("-pin: with -mode real only")
		}
		if err := pinSelf(); err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "openfront-fleet-")
	if err != nil {
		return err
	}
	if c.keepLogs {
		fmt.Println("folder:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if c.bin == "" {
		if c.bin, err = buildBinary(tmp); err != nil {
			return err
		}
	}
	switch c.store {
	case "sqlite":
	case "postgres":
		dsn, drop, err := freshSchema(ctx, os.Getenv("OPENFRONT_TEST_POSTGRES"))
		if err != nil {
			return err
		}
		defer drop()
		c.pgDSN = dsn
	default:
		return fmt.Errorf("-store %q: want sqlite or postgres", c.store)
	}
	cp, err := startControlPlane(c, tmp)
	if err != nil {
		return err
	}
	defer cp.p.stop()
	if err := grantLogBucket(ctx, cp); err != nil {
		return err
	}
	if c.mode == "mem" {
		c.edges = 1
	}
	fmt.Printf("fleet: mode %s, store %s, %d edges, %d distributions in place, %d clients, %s, %s\n",
		c.mode, c.store, c.edges, c.dists, c.clients, optionsNote(), time.Now().UTC().Format(time.RFC3339))
	if c.mode == "mem" {
		return memory(ctx, c, cp, tmp)
	}

	cpu0, t0 := takeCPU(cp.p, nil), time.Now()
	rate0, ids, err := cp.api.createMany(ctx, c.dists, c.clients)
	if err != nil {
		return fmt.Errorf("creating the distributions in place: %w", err)
	}
	cpu1 := takeCPU(cp.p, nil)
	fmt.Printf("creates/s, 0 edges:            %7.1f  (%d creates)\n", rate0, c.dists)
	fmt.Printf("  CPU, cores:                  %s\n", cpuSplit(cpu0, cpu1, time.Since(t0).Seconds()))

	began := time.Now()
	var edges []*proc
	var sims []*simEdge
	if c.mode == "real" {
		edges, err = startEdges(ctx, c, cp, tmp)
		defer func() {
			for _, e := range edges {
				e.stop()
			}
		}()
	} else {
		var stop func()
		sims, stop, err = startSims(ctx, c, cp)
		defer stop()
	}
	if err != nil {
		return err
	}
	// Deployed counts live edges only: first all registered, then one
	// create Deployed means all have caught up.
	if err := waitLive(ctx, cp, c.edges, sims); err != nil {
		return err
	}
	id, err := cp.api.createDistribution(ctx)
	if err != nil {
		return err
	}
	if _, err := cp.api.waitStatus(ctx, "/2012-07-01/distribution/"+id, "Deployed", time.Now(), 10*time.Minute); err != nil {
		return fmt.Errorf("edges catching up: %w", err)
	}
	fmt.Printf("edges started and caught up:   %7.1f s\n", time.Since(began).Seconds())

	// What the fleet costs with nothing changing: heartbeats, timers, the
	// runtimes' own work.
	m0, cpu0, t0 := scrapeFeed(ctx, cp.metrics), takeCPU(cp.p, edges), time.Now()
	time.Sleep(*idleFor)
	fmt.Printf("  CPU, cores, %.0f s idle:       %s\n", idleFor.Seconds(), cpuSplit(cpu0, takeCPU(cp.p, edges), time.Since(t0).Seconds()))
	fmt.Printf("  feed, per second idle:       %s\n", feedPerSecond(m0, scrapeFeed(ctx, cp.metrics), time.Since(t0).Seconds()))

	m0, cpu0, t0 = scrapeFeed(ctx, cp.metrics), takeCPU(cp.p, edges), time.Now()
	rate1, more, err := cp.api.createMany(ctx, c.creates, c.clients)
	if err != nil {
		return fmt.Errorf("creates with %d edges: %w", c.edges, err)
	}
	cpu1, m1 := takeCPU(cp.p, edges), scrapeFeed(ctx, cp.metrics)
	ids = append(ids, more...)
	fmt.Printf("creates/s, %d edges:%*s%7.1f  (%d creates)  ratio %.2f\n", c.edges, 11-len(fmt.Sprint(c.edges)), "", rate1, c.creates, rate1/rate0)
	fmt.Printf("  CPU, cores:                  %s\n", cpuSplit(cpu0, cpu1, time.Since(t0).Seconds()))
	fmt.Printf("  feed, per create:            %s\n", feedPerCreate(m0, m1, c.creates, c.edges, cpu1.cp-cpu0.cp))

	// A failed sample is counted and reported, not fatal: a control
	// plane that errs under load is a result too.
	m0, cpu0, t0 = scrapeFeed(ctx, cp.metrics), takeCPU(cp.p, edges), time.Now()
	dep, depErrs := sample(c.samples, func(int) (time.Duration, error) {
		t0 := time.Now()
		id, err := cp.api.createDistribution(ctx)
		if err != nil {
			return 0, err
		}
		return cp.api.waitStatus(ctx, "/2012-07-01/distribution/"+id, "Deployed", t0, 2*time.Minute)
	})
	fmt.Printf("Deployed after a create:       %s%s\n", quantiles(dep), depErrs)
	cpu1, m1 = takeCPU(cp.p, edges), scrapeFeed(ctx, cp.metrics)
	fmt.Printf("  CPU, cores:                  %s\n", cpuSplit(cpu0, cpu1, time.Since(t0).Seconds()))
	fmt.Printf("  feed, per create:            %s\n", feedPerCreate(m0, m1, c.samples, c.edges, cpu1.cp-cpu0.cp))
	inv, invErrs := sample(c.samples, func(i int) (time.Duration, error) {
		dist := ids[(i*7919)%len(ids)]
		t0 := time.Now()
		inv1, err := cp.api.createInvalidation(ctx, dist)
		if err != nil {
			return 0, err
		}
		return cp.api.waitStatus(ctx, "/2012-07-01/distribution/"+dist+"/invalidation/"+inv1, "Completed", t0, 2*time.Minute)
	})
	fmt.Printf("invalidation Completed:        %s%s\n", quantiles(inv), invErrs)
	if len(edges) > 0 {
		var rs []int64
		for _, e := range edges {
			if r, err := e.rss(); err == nil {
				rs = append(rs, r)
			}
		}
		slices.Sort(rs)
		fmt.Printf("edge RSS (%d distributions):  median %.1f MiB, max %.1f MiB\n",
			len(ids)+1+c.samples, mib(rs[len(rs)/2]), mib(rs[len(rs)-1]))
	}
	var simErrs int64
	for _, s := range sims {
		simErrs += s.errors.Load()
	}
	if len(sims) > 0 {
		fmt.Printf("simulated edges' failed requests: %d\n", simErrs)
	}
	return nil
}

// idleFor is how long the fleet's idle CPU is measured.
var idleFor = flag.Duration("idle", 5*time.Second, "how long the idle fleet is measured (heartbeats come every 5 s)")

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// sample runs f n times and returns the durations of those that
// succeeded, and a note on those that failed.
func sample(n int, f func(i int) (time.Duration, error)) ([]time.Duration, string) {
	var ds []time.Duration
	var failed int
	var first error
	for i := range n {
		d, err := f(i)
		if err != nil {
			failed++
			if first == nil {
				first = err
			}
			continue
		}
		ds = append(ds, d)
	}
	if failed == 0 {
		return ds, ""
	}
	return ds, fmt.Sprintf("  %d FAILED, the first: %.200s", failed, first)
}

// quantiles formats p50 and p99 (nearest rank) of ds, and its first
// sample: the one taken right after the timed burst, which may wait for
// a wake-up the burst's pacing held.
func quantiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no sample"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return fmt.Sprintf("p50 %6.3f s  p99 %6.3f s  max %6.3f s  first %6.3f s  (n=%d)", q(0.50).Seconds(), q(0.99).Seconds(), s[len(s)-1].Seconds(), ds[0].Seconds(), len(s))
}

// controlPlane is the running control plane.
type controlPlane struct {
	bin, data, dsn string
	metrics        string // the control plane's /metrics URL
	p              *proc
	api            *apiClient
}

var (
	apiLineRE     = regexp.MustCompile(`(?m)^api: (http://[^/]+)/`)
	metricsLineRE = regexp.MustCompile(`(?m)^metrics: (http://\S+)`)
)

func startControlPlane(c config, tmp string) (*controlPlane, error) {
	cp := &controlPlane{bin: c.bin, data: filepath.Join(tmp, "data"), dsn: c.pgDSN}
	args := []string{"serve", "--no-edge"}
	if c.pgDSN != "" {
		// The multi-tenant mode, as a PostgreSQL deployment runs it.
		args = []string{"api", "--store", c.pgDSN}
	}
	args = append(args, "--data", cp.data, "--api-addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--allow-private-origins",
		"--limit-distributions", "1000000") // CloudFront's default of 200 per account is an account's quota, not the fleet's
	p, err := start(nil, c.bin, filepath.Join(tmp, "control-plane.log"), `^account `, args...)
	if err != nil {
		return nil, err
	}
	cp.p = p
	p.mu.Lock()
	m := apiLineRE.FindStringSubmatch(p.out.String())
	if mm := metricsLineRE.FindStringSubmatch(p.out.String()); mm != nil {
		cp.metrics = mm[1]
	}
	p.mu.Unlock()
	if m == nil {
		p.kill()
		return nil, fmt.Errorf("control plane printed no api address")
	}
	id, secret, err := creds.Read(filepath.Join(cp.data, "credentials"))
	if err != nil {
		p.kill()
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	cp.api = &apiClient{base: m[1], id: id, secret: secret, http: &http.Client{Transport: tr, Timeout: time.Minute}}
	return cp, nil
}

var edgeLineRE = regexp.MustCompile(`(?m)^edge: http://(\S+)`)

// startEdges starts c.edges edge processes, four at a time.
func startEdges(ctx context.Context, c config, cp *controlPlane, tmp string) ([]*proc, error) {
	edges := make([]*proc, c.edges)
	errs := make([]error, c.edges)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range c.edges {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			edges[i], errs[i] = startEdge(ctx, cp, tmp, fmt.Sprintf("edge%03d", i))
		}()
	}
	wg.Wait()
	var out []*proc
	var first error
	for i, e := range edges {
		if e != nil {
			out = append(out, e)
		}
		if errs[i] != nil && first == nil {
			first = errs[i]
		}
	}
	return out, first
}

func startEdge(ctx context.Context, cp *controlPlane, tmp, name string) (*proc, error) {
	key, err := cp.edgeKey(ctx)
	if err != nil {
		return nil, err
	}
	args := []string{"edge", "--control-plane", cp.api.base, "--feed-auth", key, "--price-class", "All",
		"--edge-name", name, "--state", filepath.Join(tmp, name), "--edge-addr", "127.0.0.1:0",
		"--admin-addr", "", "--allow-private-origins"}
	args = append(args, edgeExtraArgs(tmp, name)...)
	var cpus *unix.CPUSet
	if *pin {
		cpus = &pinSets.rest
	}
	if *edgeNice != 0 {
		// nice(1) so that every thread of the edge has the niceness.
		return start(cpus, "nice", filepath.Join(tmp, name+".log"), `^openfront edge `,
			append([]string{"-n", strconv.Itoa(*edgeNice), cp.bin}, args...)...)
	}
	return start(cpus, cp.bin, filepath.Join(tmp, name+".log"), `^openfront edge `, args...)
}

// edgeNice runs the real edges under nice(1): on one machine the edges'
// CPU then goes to what the control plane leaves, as it would on
// machines of their own, so the timed creates show what the edges cost
// the control plane itself (feed, acks, heartbeats) rather than what
// they take of the shared cores.
var edgeNice = flag.Int("edge-nice", 0, "niceness of the real edge processes (0: as the control plane)")

// waitLive waits until n edges are registered: simulated ones say so
// themselves, real ones are counted by the control plane.
func waitLive(ctx context.Context, cp *controlPlane, n int, sims []*simEdge) error {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		live := 0
		if sims != nil {
			for _, s := range sims {
				if s.registered.Load() {
					live++
				}
			}
		} else {
			var err error
			if live, err = cp.liveEdges(ctx); err != nil {
				return err
			}
		}
		if live >= n {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%d edges not live within 5 minutes", n)
}

// startSims inserts c.edges edge keys into the store and starts a
// simulated edge for each.
func startSims(ctx context.Context, c config, cp *controlPlane) ([]*simEdge, func(), error) {
	keys, err := insertEdgeKeys(ctx, cp, c.edges)
	if err != nil {
		return nil, func() {}, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Each edge holds a long poll open; acks and heartbeats need their own.
	tr.MaxIdleConnsPerHost = 3 * c.edges
	tr.MaxIdleConns = 3 * c.edges
	hc := &http.Client{Transport: tr}
	// The revision the fleet starts at, as if from its snapshots on disk.
	probe := &simEdge{base: cp.api.base, auth: keys[0], hc: hc}
	probe.id, _, _ = cutKey(keys[0])
	var resp feed.RegisterResponse
	if err := probe.post(ctx, feed.PathRegister, feed.RegisterRequest{ProtocolVersion: feed.ProtocolVersion, ID: probe.id, Name: probe.id, PriceClass: "All"}, &resp); err != nil {
		return nil, func() {}, err
	}
	sctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	sims := make([]*simEdge, len(keys))
	for i, k := range keys {
		id, _, _ := cutKey(k)
		sims[i] = &simEdge{base: cp.api.base, auth: k, id: id, hc: hc}
		wg.Add(1)
		go func() { defer wg.Done(); sims[i].run(sctx, resp.Revision) }()
	}
	return sims, func() { cancel(); wg.Wait() }, nil
}

// memory measures one real edge's RSS with no distribution, then with
// c.dists (applied as they are created, then again after a restart that
// reads them from the snapshot on disk).
func memory(ctx context.Context, c config, cp *controlPlane, tmp string) error {
	e, err := startEdge(ctx, cp, tmp, "edge-mem")
	if err != nil {
		return err
	}
	defer func() { e.stop() }()
	if err := waitLive(ctx, cp, 1, nil); err != nil {
		return err
	}
	// RSS includes what the Go runtime has not yet returned to the
	// system after a change: read it 3 s and 20 s after.
	settle := func(what string, n int, r0 int64) int64 {
		var r int64
		for i, wait := range []time.Duration{3 * time.Second, 17 * time.Second} {
			time.Sleep(wait)
			var err error
			if r, err = e.rss(); err != nil {
				fmt.Fprintln(os.Stderr, "fleet:", err)
			}
			after := []string{"3 s", "20 s"}[i]
			if n == 0 {
				fmt.Printf("edge RSS, 0 distributions, %-25s %7.1f MiB\n", after+":", mib(r))
			} else {
				fmt.Printf("edge RSS, %d distributions, %-21s %7.1f MiB  %6.1f KiB per distribution\n",
					n, what+", "+after+":", mib(r), float64(r-r0)/float64(n)/1024)
			}
		}
		return r
	}
	r0 := settle("", 0, 0)
	if _, _, err := cp.api.createMany(ctx, c.dists, c.clients); err != nil {
		return err
	}
	id, err := cp.api.createDistribution(ctx)
	if err != nil {
		return err
	}
	if _, err := cp.api.waitStatus(ctx, "/2012-07-01/distribution/"+id, "Deployed", time.Now(), 5*time.Minute); err != nil {
		return err
	}
	n := c.dists + 1
	settle("followed", n, r0)
	e.stop()
	args := e.cmd.Args[1:]
	if e, err = start(nil, cp.bin, filepath.Join(tmp, "edge-mem-2.log"), `^openfront edge `, args...); err != nil {
		return err
	}
	settle("restarted", n, r0)
	return nil
}
