package cli

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
)

// edgeConfig is what serve and edge share.
type edgeConfig struct {
	edgeAddr       string
	edgeTLSAddr    string
	cacheSize      int64
	maxObjectSize  int64
	forbidPrivate  bool
	priceClass     string
	name           string
	location       string
	s3Endpoint     string
	s3Region       string
	s3AccessKey    string
	s3SecretKey    string
	connectTimeout time.Duration
	readTimeout    time.Duration
	originCA       string
	heartbeat      time.Duration
}

func (c *edgeConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.edgeAddr, "edge-addr", "127.0.0.1:8081", "address the edge serves viewers on (HTTP)")
	fs.StringVar(&c.edgeTLSAddr, "edge-tls-addr", "", "address the edge serves viewers on with HTTPS (empty: no HTTPS listener)")
	fs.Int64Var(&c.cacheSize, "cache-size", edge.DefaultCacheSize, "the edge cache's byte budget")
	fs.Int64Var(&c.maxObjectSize, "max-object-size", edge.DefaultMaxObjectSize, "larger objects are streamed, not cached")
	fs.BoolVar(&c.forbidPrivate, "forbid-private-origins", false, "refuse origins on loopback, private and link-local addresses (multi-tenant setups)")
	fs.StringVar(&c.priceClass, "price-class", "100", "the edge's location: 100, 200 or All (which price classes cover it)")
	fs.StringVar(&c.name, "edge-name", "", "the edge's name (default: the host name)")
	fs.StringVar(&c.location, "edge-location", "LOC1", "x-edge-location written in access logs")
	fs.StringVar(&c.s3Endpoint, "s3-endpoint", "", "URL of the S3-compatible server for S3 origins (path-style); empty: https://<origin DomainName>")
	fs.StringVar(&c.s3Region, "s3-region", "us-east-1", "region for signing S3 origin requests")
	fs.StringVar(&c.s3AccessKey, "s3-access-key", "", "access key used for S3 origins that have an origin access identity")
	fs.StringVar(&c.s3SecretKey, "s3-secret-key", "", "secret key for --s3-access-key")
	fs.DurationVar(&c.connectTimeout, "origin-connect-timeout", 10*time.Second, "origin connect and TLS handshake timeout")
	fs.DurationVar(&c.readTimeout, "origin-read-timeout", 30*time.Second, "origin response timeout (headers, and between body reads)")
	fs.StringVar(&c.originCA, "origin-ca", "", "PEM file of extra CA certificates trusted for HTTPS origins (private CAs)")
	fs.DurationVar(&c.heartbeat, "heartbeat", feed.DefaultHeartbeatEvery, "how often the edge tells the control plane it is live (keep well under its --edge-timeout)")
}

func (c *edgeConfig) newServer(domainSuffix string, reg prometheus.Registerer, logger *slog.Logger) (*edge.Server, error) {
	var originTLS *tls.Config
	if c.originCA != "" {
		pemBytes, err := os.ReadFile(c.originCA)
		if err != nil {
			return nil, fmt.Errorf("--origin-ca: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pemBytes) {
			return nil, fmt.Errorf("--origin-ca: no PEM certificates in %s", c.originCA)
		}
		originTLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return edge.New(edge.Options{
		OriginTLS:            originTLS,
		CacheSize:            c.cacheSize,
		MaxObjectSize:        c.maxObjectSize,
		ForbidPrivateOrigins: c.forbidPrivate,
		DomainSuffix:         domainSuffix,
		Location:             c.location,
		S3: edge.S3Options{Endpoint: c.s3Endpoint, Region: c.s3Region,
			AccessKeyID: c.s3AccessKey, SecretAccessKey: c.s3SecretKey},
		OriginTimeouts: edge.OriginTimeouts{ConnectTimeout: c.connectTimeout, ResponseTimeout: c.readTimeout},
		Registerer:     reg,
		Logger:         logger,
	})
}

// edgeID returns the edge's id, kept in the state folder so that a
// restarted edge is the same edge to the control plane.
func edgeID(stateDir string) (string, error) {
	path := filepath.Join(stateDir, "edge-id")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b)), nil
	}
	var b [8]byte
	rand.Read(b[:])
	id := "edge-" + hex.EncodeToString(b[:])
	return id, writeFileAtomic(path, []byte(id+"\n"), 0o600)
}

func (c *edgeConfig) edgeName() string {
	if c.name != "" {
		return c.name
	}
	if h, err := os.Hostname(); err == nil {
		return h
	}
	return "edge"
}

func runEdge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("edge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ec edgeConfig
	ec.register(fs)
	controlPlaneURL := fs.String("control-plane", "http://127.0.0.1:8080", "URL of the control plane's API address (its config feed is under /feed/)")
	feedAuth := fs.String("feed-auth", "", `edge credential for the feed: "<keyID>:<secret>" from 'admin edge-key create', or "shared:<secret>"`)
	stateDir := fs.String("state", "./openfront-edge", "folder for the edge's id and its last snapshot")
	domainSuffix := fs.String("domain-suffix", "cloudfront.localhost", "the control plane's --domain-suffix (for Via)")
	tlsCert := fs.String("tls-cert", "", "PEM certificate for the HTTPS listener (default: a generated self-signed one)")
	tlsKey := fs.String("tls-key", "", "PEM key for --tls-cert")
	adminAddr := fs.String("admin-addr", "127.0.0.1:9091", "address of /metrics (empty: none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *feedAuth == "" {
		return errors.New("--feed-auth is required (see 'openfront admin edge-key create')")
	}
	if _, err := feed.NormalizeEdgePriceClass(ec.priceClass); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	reg := prometheus.NewRegistry()
	srv, err := ec.newServer(*domainSuffix, reg, logger)
	if err != nil {
		return err
	}
	defer srv.Close()
	id, err := edgeID(*stateDir)
	if err != nil {
		return fmt.Errorf("edge id: %w", err)
	}
	client := &feed.Client{
		BaseURL:        strings.TrimRight(*controlPlaneURL, "/"),
		HTTPClient:     &http.Client{}, // the client sets a deadline per poll
		Auth:           *feedAuth,
		EdgeID:         id,
		Name:           ec.edgeName(),
		PriceClass:     ec.priceClass,
		StateDir:       *stateDir,
		Applier:        srv,
		Logger:         logger,
		HeartbeatEvery: ec.heartbeat,
	}
	g := newGroup(ctx)
	g.go_(func(ctx context.Context) error { return client.Run(ctx) })
	if err := ec.listen(g, srv, *tlsCert, *tlsKey, *domainSuffix, stdout); err != nil {
		g.cancel()
		g.wait()
		return err
	}
	if *adminAddr != "" {
		if err := g.serve("admin", *adminAddr, metricsHandler(reg), nil); err != nil {
			g.cancel()
			g.wait()
			return err
		}
	}
	fmt.Fprintf(stdout, "openfront edge %s (price class %s) following %s\n", id, ec.priceClass, *controlPlaneURL)
	return g.wait()
}

// listen starts the edge's HTTP and (if configured) HTTPS listeners.
func (c *edgeConfig) listen(g *group, srv *edge.Server, certFile, keyFile, domainSuffix string, stdout io.Writer) error {
	if c.edgeAddr != "" {
		if err := g.serve("edge", c.edgeAddr, srv, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "edge: http://%s\n", g.addr("edge"))
	}
	if c.edgeTLSAddr != "" {
		cfg, err := tlsConfig(certFile, keyFile, domainSuffix)
		if err != nil {
			return err
		}
		if err := g.serve("edge-tls", c.edgeTLSAddr, srv, cfg); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "edge: https://%s\n", g.addr("edge-tls"))
	}
	return nil
}
