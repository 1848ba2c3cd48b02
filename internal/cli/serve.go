package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/feed"
)

// runServe runs everything on one machine: the API and config feed, one
// edge following the feed in-process (the same protocol remote edges
// use, without a socket), and /metrics.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return serve(ctx, "serve", args, stdout, stderr)
}

// serve runs serve or api; they differ in their defaults only.
func serve(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cc controlPlaneConfig
	var ec edgeConfig
	var of originFlags
	cc.register(fs)
	ec.register(fs)
	if name == "serve" {
		ec.disk.register(fs, "<--data>/cache")
	}
	// api is the multi-tenant mode: tenants' origins may not be private.
	of.register(fs, name == "serve")
	adminAddr := fs.String("admin-addr", "127.0.0.1:9090", "address of /metrics, for operators only: keep it on loopback or a private network (empty: none)")
	noEdge := fs.Bool("no-edge", false, "run no embedded edge (like 'openfront api')")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := feed.NormalizeEdgePriceClass(ec.priceClass); err != nil {
		return err
	}
	cc.origins, ec.origins = of.policy(), of.policy()
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	reg := prometheus.NewRegistry()
	cp, err := cc.open(ctx, logger, reg)
	if err != nil {
		return err
	}
	defer cp.store.Close()
	// Key value store imports read S3 as the edges do.
	cp.service.ReadS3Object = s3ObjectReader(ec.s3Endpoint, ec.s3Region, ec.s3AccessKey, ec.s3SecretKey)
	if err := reportHostConflicts(ctx, cp.service, logger); err != nil {
		return err
	}
	// Files an older version left with looser modes.
	if err := tighten(filepath.Join(cc.data, "credentials"), privateFileMode, logger); err != nil {
		return err
	}
	boot, err := bootstrap(ctx, cp.service, cc.data, !*noEdge)
	if err != nil {
		boot.print(stdout) // the one showing of a secret whose file failed
		return err
	}
	if !*noEdge {
		// Before any listener serves the feed, which reads the binding.
		if err := bindEmbeddedEdge(&cc, &ec, cp, logger); err != nil {
			return err
		}
	}
	g := newGroup(ctx)
	g.go_(cp.feed.Run)
	if err := cc.serveAPI(g, cp, stdout); err != nil {
		g.cancel()
		return g.waitAfter(err)
	}
	if !*noEdge {
		if err := startEmbeddedEdge(g, &cc, &ec, cp, reg, logger, stdout); err != nil {
			g.cancel()
			return g.waitAfter(err)
		}
	}
	if *adminAddr != "" {
		if err := g.serve("admin", *adminAddr, metricsHandler(reg), nil); err != nil {
			g.cancel()
			return g.waitAfter(err)
		}
		warnPublicMetrics(g.addr("admin"), logger)
		fmt.Fprintf(stdout, "metrics: http://%s/metrics\n", g.addr("admin"))
	}
	boot.print(stdout)
	return g.wait()
}

// serveAPI starts the API listener, with TLS when a certificate is given.
func (c *controlPlaneConfig) serveAPI(g *group, cp *controlPlane, stdout io.Writer) error {
	scheme := "http"
	var err error
	if c.tlsCert != "" || c.tlsKey != "" {
		cfg, e := tlsConfig(c.tlsCert, c.tlsKey, c.domainSuffix)
		if e != nil {
			return e
		}
		scheme = "https"
		err = g.serve("api", c.apiAddr, cp.handler, cfg)
	} else {
		err = g.serve("api", c.apiAddr, cp.handler, nil)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "api: %s://%s/2012-07-01/\n", scheme, g.addr("api"))
	return nil
}

// bindEmbeddedEdge gives the embedded edge its identity (kept in
// <data>/edge) and a feed secret made for this process alone, which acts
// as that edge only.
func bindEmbeddedEdge(cc *controlPlaneConfig, ec *edgeConfig, cp *controlPlane, logger *slog.Logger) error {
	stateDir := filepath.Join(cc.data, "edge")
	if err := privateDir(stateDir, logger); err != nil {
		return fmt.Errorf("edge state: %w", err)
	}
	id, err := edgeID(stateDir)
	if err != nil {
		return fmt.Errorf("edge id: %w", err)
	}
	pc, err := feed.NormalizeEdgePriceClass(ec.priceClass)
	if err != nil {
		return err
	}
	var b [24]byte
	rand.Read(b[:])
	cp.feed.Secret = hex.EncodeToString(b[:])
	cp.feed.SecretEdge = feed.Identity{EdgeID: id, PriceClass: pc}
	return nil
}

// startEmbeddedEdge runs one edge in this process, as bindEmbeddedEdge
// bound it. It follows the feed through feed.HandlerTransport: exactly the
// protocol of remote edges, but in-process, so no plaintext listener
// serves the feed (or the API) beside a TLS API.
func startEmbeddedEdge(g *group, cc *controlPlaneConfig, ec *edgeConfig, cp *controlPlane, reg prometheus.Registerer, logger *slog.Logger, stdout io.Writer) error {
	ec.diskDir, ec.diskSize = ec.disk.resolve(filepath.Join(cc.data, "cache"), logger)
	stack, err := ec.newStack(cc.domainSuffix, reg, logger)
	if err != nil {
		return err
	}
	client := &feed.Client{
		BaseURL: "http://in-process",
		// The client sets a deadline per poll.
		HTTPClient:     &http.Client{Transport: feed.HandlerTransport(cp.feed.Handler())},
		Auth:           feed.SharedKeyID + ":" + cp.feed.Secret,
		EdgeID:         cp.feed.SecretEdge.EdgeID,
		Name:           ec.edgeName(),
		PriceClass:     ec.priceClass,
		StateDir:       filepath.Join(cc.data, "edge"),
		Applier:        stack.applier,
		Logger:         logger,
		HeartbeatEvery: ec.heartbeat,
	}
	client.Restore() // serve the last snapshot before the first poll
	g.go_(func(ctx context.Context) error {
		err := client.Run(ctx)
		g.stopped() // the listeners are closed: deliver the logs
		stack.close()
		return err
	})
	return ec.listen(g, stack.srv, cc.tlsCert, cc.tlsKey, cc.domainSuffix, stdout)
}

// warnPublicMetrics logs when /metrics listens beyond loopback: it names
// every distribution and tells its traffic, which is the operator's to
// see, not the tenants' or the public's.
func warnPublicMetrics(addr net.Addr, logger *slog.Logger) {
	if ta, ok := addr.(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
		logger.Warn("/metrics listens beyond loopback: it is for operators only; keep --admin-addr on loopback or a private network", "addr", addr.String())
	}
}

// waitAfter waits for the group to stop after a start-up failure and
// returns that failure.
func (g *group) waitAfter(err error) error {
	g.wait()
	return err
}

// runAPI runs the control plane and config feed without an edge.
func runAPI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return serve(ctx, "api", append([]string{"-no-edge"}, args...), stdout, stderr)
}
