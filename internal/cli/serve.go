package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/feed"
)

// runServe runs everything on one machine: the API and config feed, one
// edge following the feed over loopback (the same protocol remote edges
// use), and /metrics.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cc controlPlaneConfig
	var ec edgeConfig
	cc.register(fs)
	ec.register(fs)
	adminAddr := fs.String("admin-addr", "127.0.0.1:9090", "address of /metrics (empty: none)")
	noEdge := fs.Bool("no-edge", false, "run no embedded edge (like 'openfront api')")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := feed.NormalizeEdgePriceClass(ec.priceClass); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if cc.feedSecret == "" {
		// The embedded edge authenticates with a secret nobody else knows;
		// remote edges use edge keys.
		var b [24]byte
		rand.Read(b[:])
		cc.feedSecret = hex.EncodeToString(b[:])
	}
	reg := prometheus.NewRegistry()
	cp, err := cc.open(ctx, logger, reg)
	if err != nil {
		return err
	}
	defer cp.store.Close()
	acct, creds, err := bootstrap(ctx, cp.service, cc.data, !*noEdge)
	if err != nil {
		return err
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
		fmt.Fprintf(stdout, "metrics: http://%s/metrics\n", g.addr("admin"))
	}
	fmt.Fprintf(stdout, "account %s\naws_access_key_id = %s\naws_secret_access_key = %s\n(saved in %s)\n",
		acct.ID, creds.AccessKeyID, creds.SecretAccessKey, filepath.Join(cc.data, "credentials"))
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

// startEmbeddedEdge runs one edge in this process. It follows the feed
// through a loopback listener of its own, so it speaks exactly the protocol
// of remote edges.
func startEmbeddedEdge(g *group, cc *controlPlaneConfig, ec *edgeConfig, cp *controlPlane, reg prometheus.Registerer, logger *slog.Logger, stdout io.Writer) error {
	if err := g.serve("feed", "127.0.0.1:0", cp.handler, nil); err != nil {
		return err
	}
	stack, err := ec.newStack(cc.domainSuffix, reg, logger)
	if err != nil {
		return err
	}
	stateDir := filepath.Join(cc.data, "edge")
	id, err := edgeID(stateDir)
	if err != nil {
		return fmt.Errorf("edge id: %w", err)
	}
	client := &feed.Client{
		BaseURL:        "http://" + g.addr("feed").String(),
		HTTPClient:     &http.Client{}, // the client sets a deadline per poll
		Auth:           "shared:" + cc.feedSecret,
		EdgeID:         id,
		Name:           ec.edgeName(),
		PriceClass:     ec.priceClass,
		StateDir:       stateDir,
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

// waitAfter waits for the group to stop after a start-up failure and
// returns that failure.
func (g *group) waitAfter(err error) error {
	g.wait()
	return err
}

// runAPI runs the control plane and config feed without an edge.
func runAPI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runServe(ctx, append([]string{"-no-edge"}, args...), stdout, stderr)
}
