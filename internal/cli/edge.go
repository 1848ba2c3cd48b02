package cli

import (
	"context"
	"crypto/rand"
	"crypto/tls"
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

	"github.com/openfront/openfront/internal/accesslog"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/geoip"
	"github.com/openfront/openfront/internal/originaddr"
	"github.com/openfront/openfront/internal/signedurl"
)

// edgeConfig is what serve and edge share.
type edgeConfig struct {
	edgeAddr       string
	netHTTP        bool // --edge-net-http: no leanhttp on edgeAddr
	edgeTLSAddr    string
	edgeH3Addr     string
	cacheSize      int64
	maxObjectSize  int64
	partSize       int64
	origins        *originaddr.Policy // set by the command from its originFlags
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
	logDir         string
	logS3          accesslog.S3Options
	logFlush       time.Duration
	logBuffer      int64
	logFormat      string
	geoIPDB        string
	disk           diskCacheFlags
	// diskDir and diskSize are the resolved disk tier (diskCacheFlags).
	diskDir  string
	diskSize int64
}

func (c *edgeConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.edgeAddr, "edge-addr", "127.0.0.1:8081", "address the edge serves viewers on (HTTP)")
	fs.BoolVar(&c.netHTTP, "edge-net-http", false, "serve every plain-HTTP viewer request with Go's net/http server (by default, keep-alive GET and HEAD requests without a body go through a leaner HTTP/1.1 server, the rest through net/http)")
	fs.StringVar(&c.edgeTLSAddr, "edge-tls-addr", "", "address the edge serves viewers on with HTTPS (empty: no HTTPS listener)")
	fs.StringVar(&c.edgeH3Addr, "edge-h3-addr", "", "UDP address of the edge's HTTP/3 (QUIC) listener for distributions with HttpVersion http3 or http2and3; needs --edge-tls-addr (empty: no HTTP/3)")
	fs.Int64Var(&c.cacheSize, "cache-size", edge.DefaultCacheSize, "the edge's memory budget in bytes: the process's peak RSS stays within it + 10 % (with an empty cache it is about 30 MiB: code, runtime, control plane; the memory cache tier gets what the rest of the process leaves, at least 1/8 of the budget)")
	fs.Int64Var(&c.maxObjectSize, "max-object-size", edge.DefaultMaxObjectSize, "larger objects are streamed, not cached (default: CloudFront's 50 GB)")
	fs.Int64Var(&c.partSize, "part-size", edge.DefaultPartSize, "objects larger than this are fetched with ranged origin requests and cached in parts of this size")
	fs.StringVar(&c.priceClass, "price-class", "100", "the edge's location: 100, 200 or All (which price classes cover it)")
	fs.StringVar(&c.name, "edge-name", "", "the edge's name (default: the host name)")
	fs.StringVar(&c.location, "edge-location", "LOC1", "x-edge-location written in access logs")
	fs.StringVar(&c.s3Endpoint, "s3-endpoint", "", "URL of the S3-compatible server for S3 origins (path-style); empty: https://<origin DomainName>")
	fs.StringVar(&c.s3Region, "s3-region", "us-east-1", "region for signing S3 origin requests (without --s3-endpoint, an origin bucket.s3.REGION.amazonaws.com is signed for its REGION)")
	fs.StringVar(&c.s3AccessKey, "s3-access-key", "", "access key for S3 origins whose origin access identity is granted the bucket (openfront admin bucket grant)")
	secretVar(fs, &c.s3SecretKey, "s3-secret-key", "secret key for --s3-access-key")
	fs.DurationVar(&c.connectTimeout, "origin-connect-timeout", 10*time.Second, "origin connect and TLS handshake timeout")
	fs.DurationVar(&c.readTimeout, "origin-read-timeout", 30*time.Second, "origin response timeout (headers, and between body reads)")
	fs.StringVar(&c.originCA, "origin-ca", "", "PEM file of extra CA certificates trusted for HTTPS origins (private CAs)")
	fs.DurationVar(&c.heartbeat, "heartbeat", feed.DefaultHeartbeatEvery, "the longest the edge goes without a request to the control plane before it sends a heartbeat (at most a third of its --edge-timeout; polls count)")
	fs.StringVar(&c.logDir, "log-dir", "", "access logs of distributions with Logging enabled go to <dir>/<bucket name>/<prefix><id>.YYYY-MM-DD-HH.<unique>.gz")
	fs.StringVar(&c.logS3.Endpoint, "log-s3-endpoint", "", "access logs go to this S3-compatible server instead (path-style), bucket = Logging/Bucket's first label")
	fs.StringVar(&c.logS3.Region, "log-s3-region", "us-east-1", "region for signing access-log uploads")
	fs.StringVar(&c.logS3.AccessKeyID, "log-s3-access-key", "", "access key for access-log uploads")
	secretVar(fs, &c.logS3.SecretAccessKey, "log-s3-secret-key", "secret key for --log-s3-access-key")
	fs.DurationVar(&c.logFlush, "log-flush", time.Minute, "how often buffered access-log lines are written as files")
	fs.Int64Var(&c.logBuffer, "log-buffer", 64<<20, "bytes of access-log lines held in memory before lines are dropped")
	fs.StringVar(&c.geoIPDB, "geoip-db", "", "MaxMind-format country database (GeoLite2-Country, GeoIP2-Country or -City .mmdb) for distributions' geographic restrictions; without it, restricted distributions answer 403 to everyone")
	fs.StringVar(&c.logFormat, "log-format", "standard", "access-log layout: standard (CloudFront's current 33 fields) or 2012 (the 15 fields of 2012)")
}

// edgeStack is an edge server with what surrounds it: the signed-URL
// checker and the access-log writer, both fed from the same snapshots.
type edgeStack struct {
	srv     *edge.Server
	applier feed.Applier
	logs    *accesslog.Writer // nil when no access-log sink is configured
	geo     *geoip.DB         // nil without --geoip-db
}

// close stops the edge and delivers the buffered access logs; call it after
// the listeners have stopped.
func (s *edgeStack) close() {
	s.srv.Close()
	if s.geo != nil {
		s.geo.Close()
	}
	if s.logs != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		s.logs.Close(ctx)
	}
}

func (c *edgeConfig) newStack(domainSuffix string, reg prometheus.Registerer, logger *slog.Logger) (*edgeStack, error) {
	format, err := accesslog.ParseFormat(c.logFormat)
	if err != nil {
		return nil, fmt.Errorf("--log-format: %w", err)
	}
	var sink accesslog.Sink
	switch {
	case c.logDir != "" && c.logS3.Endpoint != "":
		return nil, errors.New("--log-dir and --log-s3-endpoint exclude each other")
	case c.logDir != "":
		if err := os.MkdirAll(c.logDir, 0o750); err != nil {
			return nil, fmt.Errorf("--log-dir: %w", err)
		}
		sink = &accesslog.FolderSink{Root: c.logDir}
	case c.logS3.Endpoint != "":
		s3sink, err := accesslog.NewS3Sink(c.logS3)
		if err != nil {
			return nil, fmt.Errorf("access logs: %w", err)
		}
		sink = s3sink
	}
	st := &edgeStack{}
	var logHook func(edge.LogRecord)
	if sink != nil {
		w, err := accesslog.New(accesslog.Options{Sink: sink, Format: format, Location: c.location, FlushEvery: c.logFlush,
			MaxBufferedBytes: c.logBuffer, Logger: logger, Registerer: reg})
		if err != nil {
			return nil, fmt.Errorf("access logs: %w", err)
		}
		st.logs, logHook = w, w.Log
	}
	var countries edge.CountryLookup
	if c.geoIPDB != "" {
		db, err := geoip.Open(c.geoIPDB)
		if err != nil {
			return nil, fmt.Errorf("--geoip-db: %w", err)
		}
		st.geo, countries = db, db
		logger.Info("edge: geographic restrictions use the GeoIP database", "file", c.geoIPDB, "type", db.Type())
	} else {
		logger.Warn("edge: no --geoip-db: distributions with a geographic restriction (whitelist or blacklist) will answer 403 to every viewer")
	}
	limitMemory(c.cacheSize, logger)
	checker := signedurl.NewChecker(signedurl.Options{Logger: logger})
	srv, err := c.newServer(domainSuffix, reg, logger, checker, logHook, countries)
	if err != nil {
		if st.geo != nil {
			st.geo.Close()
		}
		return nil, err
	}
	st.srv = srv
	st.applier = signedurl.WrapApplier(srv, checker)
	if st.logs != nil {
		st.applier = signedurl.WrapApplier(accesslog.WrapApplier(srv, st.logs), checker)
	}
	return st, nil
}

func (c *edgeConfig) newServer(domainSuffix string, reg prometheus.Registerer, logger *slog.Logger,
	signed edge.SignedURLChecker, accessLog func(edge.LogRecord), countries edge.CountryLookup) (*edge.Server, error) {
	var originTLS *tls.Config
	if c.originCA != "" {
		pool, err := certPool(c.originCA)
		if err != nil {
			return nil, fmt.Errorf("--origin-ca: %w", err)
		}
		originTLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return edge.New(edge.Options{
		OriginTLS:     originTLS,
		CacheSize:     c.cacheSize,
		DiskCacheDir:  c.diskDir,
		DiskCacheSize: c.diskSize,
		MaxObjectSize: c.maxObjectSize,
		PartSize:      c.partSize,
		Origins:       c.origins,
		DomainSuffix:  domainSuffix,
		Location:      c.location,
		S3: edge.S3Options{Endpoint: c.s3Endpoint, Region: c.s3Region,
			AccessKeyID: c.s3AccessKey, SecretAccessKey: c.s3SecretKey},
		OriginTimeouts: edge.OriginTimeouts{ConnectTimeout: c.connectTimeout, ResponseTimeout: c.readTimeout},
		SignedURLs:     signed,
		AccessLog:      accessLog,
		Countries:      countries,
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
	ec.disk.register(fs, "<--state>/cache")
	var of originFlags
	of.register(fs, false)
	controlPlaneURL := fs.String("control-plane", "http://127.0.0.1:8080", "URL of the control plane's API address (its config feed is under /feed/)")
	controlPlaneCA := fs.String("control-plane-ca", "", "PEM file of CA certificates trusted for an https:// --control-plane (private CAs)")
	var feedAuth string
	secretVar(fs, &feedAuth, "feed-auth", `the edge's key for the feed, "<keyID>:<secret>" from 'openfront admin edge-key create'; the key id is the edge's id`)
	stateDir := fs.String("state", "./openfront-edge", "folder for the edge's last snapshots")
	domainSuffix := fs.String("domain-suffix", "cloudfront.localhost", "the control plane's --domain-suffix (for Via)")
	tlsCert := fs.String("tls-cert", "", "PEM certificate for the HTTPS listener (default: a generated self-signed one)")
	tlsKey := fs.String("tls-key", "", "PEM key for --tls-cert")
	adminAddr := fs.String("admin-addr", "127.0.0.1:9091", "address of /metrics, for operators only: keep it on loopback or a private network (empty: none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ec.origins = of.policy()
	// An edge key acts as one edge, the one with the key's id.
	id, _, err := feed.ParseAuthorization("Edge " + feedAuth)
	if err != nil || id == feed.SharedKeyID {
		return errors.New(`--feed-auth (or --feed-auth-file): want "<keyID>:<secret>" from 'openfront admin edge-key create --price-class …'`)
	}
	if _, err := feed.NormalizeEdgePriceClass(ec.priceClass); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	reg := prometheus.NewRegistry()
	if err := privateDir(*stateDir, logger); err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	ec.diskDir, ec.diskSize = ec.disk.resolve(filepath.Join(*stateDir, "cache"), logger)
	stack, err := ec.newStack(*domainSuffix, reg, logger)
	if err != nil {
		return err
	}
	defer stack.close()
	feedHTTP := &http.Client{}
	if *controlPlaneCA != "" {
		pool, err := certPool(*controlPlaneCA)
		if err != nil {
			return fmt.Errorf("--control-plane-ca: %w", err)
		}
		feedHTTP.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	client := &feed.Client{
		BaseURL:        strings.TrimRight(*controlPlaneURL, "/"),
		HTTPClient:     feedHTTP, // the client sets a deadline per poll
		Auth:           feedAuth,
		EdgeID:         id,
		Name:           ec.edgeName(),
		PriceClass:     ec.priceClass,
		StateDir:       *stateDir,
		Applier:        stack.applier,
		Logger:         logger,
		HeartbeatEvery: ec.heartbeat,
	}
	// Static stability: serve the last snapshot from the first request on,
	// whether or not the control plane answers.
	client.Restore()
	g := newGroup(ctx)
	g.go_(func(ctx context.Context) error { return client.Run(ctx) })
	if err := ec.listen(g, stack.srv, *tlsCert, *tlsKey, *domainSuffix, stdout); err != nil {
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
		warnPublicMetrics(g.addr("admin"), logger)
	}
	fmt.Fprintf(stdout, "openfront edge %s (price class %s) following %s\n", id, ec.priceClass, *controlPlaneURL)
	return g.wait()
}

// listen starts the edge's HTTP and (if configured) HTTPS listeners.
func (c *edgeConfig) listen(g *group, srv *edge.Server, certFile, keyFile, domainSuffix string, stdout io.Writer) error {
	if c.edgeAddr != "" {
		serve := g.serveLean
		if c.netHTTP {
			serve = func(name, addr string, h http.Handler) error { return g.serve(name, addr, h, nil) }
		}
		if err := serve("edge", c.edgeAddr, srv); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "edge: http://%s\n", g.addr("edge"))
	}
	if c.edgeTLSAddr != "" {
		cfg, err := tlsConfig(certFile, keyFile, domainSuffix)
		if err != nil {
			return err
		}
		// The distributions' certificates by SNI, this one by default.
		if err := g.serve("edge-tls", c.edgeTLSAddr, srv, srv.TLSConfig(cfg)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "edge: https://%s\n", g.addr("edge-tls"))
		if c.edgeH3Addr != "" {
			if err := serveHTTP3(g, c.edgeH3Addr, srv, cfg); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "edge: HTTP/3 on udp %s\n", g.addr("edge-h3"))
		}
	} else if c.edgeH3Addr != "" {
		return errors.New("--edge-h3-addr needs --edge-tls-addr: viewers learn of HTTP/3 from HTTPS answers (Alt-Svc)")
	}
	return nil
}
