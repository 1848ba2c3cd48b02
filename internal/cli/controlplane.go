package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/api"
	"github.com/openfront/openfront/internal/auth"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/originaddr"
	"github.com/openfront/openfront/internal/store"
)

// controlPlaneConfig is what serve and api share.
type controlPlaneConfig struct {
	apiAddr      string
	data         string
	storeDSN     string
	domainSuffix string
	tlsCert      string
	tlsKey       string
	edgeTimeout  time.Duration
	s3Suffixes   string
	maxBody      int64
	limits       cloudfront.Limits
	origins      *originaddr.Policy // set by the command from its originFlags
}

func (c *controlPlaneConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.apiAddr, "api-addr", "127.0.0.1:8080", "address of the CloudFront API (and of the config feed, under /feed/)")
	fs.StringVar(&c.data, "data", "./openfront-data", "data folder: SQLite database, credentials, edge state")
	secretVar(fs, &c.storeDSN, "store", "store: empty for SQLite in the data folder, a SQLite file path, or a postgres:// URL (with its password)")
	fs.StringVar(&c.domainSuffix, "domain-suffix", "cloudfront.localhost", "distribution domain names are d<13 chars>.<suffix>")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "PEM certificate: serve the API (and the edge's HTTPS listener) with it")
	fs.StringVar(&c.tlsKey, "tls-key", "", "PEM private key for --tls-cert")
	fs.DurationVar(&c.edgeTimeout, "edge-timeout", feed.DefaultTimeout, "an edge not heard from for this long no longer counts for Deployed")
	fs.StringVar(&c.s3Suffixes, "s3-domain-suffixes", cloudfront.DefaultS3DomainSuffix, "comma-separated domain suffixes that S3 origins' DomainName may use (<bucket>.<suffix>)")
	fs.Int64Var(&c.maxBody, "max-body", api.DefaultMaxBody, "largest API request body in bytes")
	c.limits = cloudfront.DefaultLimits()
	l := &c.limits
	fs.IntVar(&l.DistributionsPerAccount, "limit-distributions", l.DistributionsPerAccount, "distributions per account")
	fs.IntVar(&l.CNAMEsPerDistribution, "limit-cnames", l.CNAMEsPerDistribution, "CNAMEs per distribution")
	fs.IntVar(&l.OriginsPerDistribution, "limit-origins", l.OriginsPerDistribution, "origins per distribution")
	fs.IntVar(&l.CacheBehaviorsPerDistribution, "limit-cache-behaviors", l.CacheBehaviorsPerDistribution, "cache behaviours per distribution")
	fs.IntVar(&l.TrustedSignersPerBehavior, "limit-trusted-signers", l.TrustedSignersPerBehavior, "trusted signers per cache behaviour")
	fs.IntVar(&l.CookieNamesPerBehavior, "limit-whitelisted-cookies", l.CookieNamesPerBehavior, "whitelisted cookie names per cache behaviour")
	fs.IntVar(&l.OAIsPerAccount, "limit-origin-access-identities", l.OAIsPerAccount, "origin access identities per account")
	fs.IntVar(&l.CachePoliciesPerAccount, "limit-cache-policies", l.CachePoliciesPerAccount, "custom cache policies per account")
	fs.IntVar(&l.OriginRequestPoliciesPerAccount, "limit-origin-request-policies", l.OriginRequestPoliciesPerAccount, "custom origin request policies per account")
	fs.IntVar(&l.ResponseHeadersPoliciesPerAccount, "limit-response-headers-policies", l.ResponseHeadersPoliciesPerAccount, "custom response headers policies per account")
	fs.IntVar(&l.OriginAccessControlsPerAccount, "limit-origin-access-controls", l.OriginAccessControlsPerAccount, "origin access controls per account")
	fs.IntVar(&l.InvalidationBatchesInProgress, "limit-invalidations-in-progress", l.InvalidationBatchesInProgress, "invalidation batches in progress per distribution")
	fs.IntVar(&l.PathsPerInvalidationBatch, "limit-invalidation-paths", l.PathsPerInvalidationBatch, "paths per invalidation batch")
	fs.IntVar(&l.OriginGroupsPerDistribution, "limit-origin-groups", l.OriginGroupsPerDistribution, "origin groups per distribution")
	fs.IntVar(&l.CustomHeadersPerOrigin, "limit-origin-custom-headers", l.CustomHeadersPerOrigin, "custom headers per origin")
	fs.IntVar(&l.HeadersPerBehavior, "limit-whitelisted-headers", l.HeadersPerBehavior, "whitelisted headers per cache behaviour")
	fs.IntVar(&l.QueryStringCacheKeysPerBehavior, "limit-query-string-cache-keys", l.QueryStringCacheKeysPerBehavior, "query string cache keys per cache behaviour")
	fs.IntVar(&l.KeyGroupsPerBehavior, "limit-key-groups", l.KeyGroupsPerBehavior, "trusted key groups per cache behaviour")
	fs.IntVar(&l.PublicKeysPerAccount, "limit-public-keys", l.PublicKeysPerAccount, "public keys per account")
	fs.IntVar(&l.KeyGroupsPerAccount, "limit-account-key-groups", l.KeyGroupsPerAccount, "key groups per account")
	fs.IntVar(&l.PublicKeysPerKeyGroup, "limit-key-group-keys", l.PublicKeysPerKeyGroup, "public keys per key group")
	fs.IntVar(&l.FunctionsPerAccount, "limit-functions", l.FunctionsPerAccount, "CloudFront Functions per account")
	fs.IntVar(&l.KeyValueStoresPerAccount, "limit-key-value-stores", l.KeyValueStoresPerAccount, "key value stores per account")
}

// controlPlane is a running control plane's parts.
type controlPlane struct {
	store   store.Store
	service *controlplane.Service
	feed    *feed.Server
	handler http.Handler // API and feed
}

func (c *controlPlaneConfig) open(ctx context.Context, logger *slog.Logger, reg prometheus.Registerer) (*controlPlane, error) {
	if c.domainSuffix == "" || strings.HasPrefix(c.domainSuffix, ".") {
		return nil, fmt.Errorf("--domain-suffix %q: want a domain such as cloudfront.localhost", c.domainSuffix)
	}
	st, err := openStore(ctx, c.storeDSN, c.data, logger)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	rules := cloudfront.Rules{Limits: c.limits, Origins: c.origins}
	for _, s := range strings.Split(c.s3Suffixes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			rules.S3DomainSuffixes = append(rules.S3DomainSuffixes, s)
		}
	}
	fd := &feed.Server{Store: st, Timeout: c.edgeTimeout, Logger: logger, Registerer: reg}
	svc := &controlplane.Service{
		Store:        st,
		Rules:        &rules,
		DomainSuffix: c.domainSuffix,
		EdgeTimeout:  c.edgeTimeout,
		Changed:      fd.Notify,
		EdgeOverlay:  fd.Overlay,
		Logger:       logger,
	}
	apiServer := &api.Server{
		Service:    svc,
		Verifier:   &auth.Verifier{Lookup: svc.LookupCredential},
		Logger:     logger,
		MaxBody:    c.maxBody,
		Registerer: reg,
	}
	mux := http.NewServeMux()
	mux.Handle("/feed/", fd.Handler())
	mux.Handle("/", apiServer.Handler())
	return &controlPlane{store: st, service: svc, feed: fd, handler: mux}, nil
}

// reportHostConflicts logs, once at start-up, each stored alias that
// today's rules refuse (another distribution's DomainName, a name under
// the domain suffix, an IP literal, a single label). Stores written before
// those rules may hold them; the edge routes an assigned DomainName to its
// owner regardless, and the operator learns which aliases to remove.
func reportHostConflicts(ctx context.Context, svc *controlplane.Service, logger *slog.Logger) error {
	conflicts, err := svc.HostConflicts(ctx)
	if err != nil {
		return fmt.Errorf("checking aliases: %w", err)
	}
	for _, c := range conflicts {
		logger.Warn("alias conflicts with assigned domain names", "alias", c.Alias, "distribution", c.Owner,
			"account", c.OwnerAccount, "domain_name_of", c.Holder, "detail", c.String())
	}
	return nil
}
