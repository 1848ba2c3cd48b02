package edge

import (
	"fmt"
	"log/slog"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/pathpattern"
)

// compiled is an immutable, request-ready form of one feed snapshot.
type compiled struct {
	rev   int64
	hosts map[string]*dist // lower-case DomainName and CNAMEs
	byID  map[string]*dist
}

type dist struct {
	id         string
	domain     string // the distribution's own DomainName
	enabled    bool
	rootObject string // "/index.html", or empty
	behaviors  []behavior
	src        *cloudfront.Distribution
	counters   *distCounters
}

type cookieMode uint8

const (
	cookiesNone cookieMode = iota
	cookiesWhitelist
	cookiesAll
)

type behavior struct {
	pattern     pathpattern.Pattern
	isDefault   bool
	src         *cloudfront.CacheBehavior
	origin      *origin
	queryString bool
	cookies     cookieMode
	whitelist   []string // sorted
	httpsOnly   bool
	minTTL      time.Duration
	signed      bool
}

type origin struct {
	id          string
	domain      string
	s3          bool
	bucket      string
	signed      bool // S3 with an OriginAccessIdentity granted the bucket
	matchViewer bool
	httpHost    string // host[:port] for HTTP
	httpsHost   string // host[:port] for HTTPS
}

// compile builds the request-ready snapshot. A distribution that does not
// compile (the control plane validates, so this means a bug or a newer
// feed) is left out and logged, rather than freezing every other one.
func compile(snap *feed.Snapshot, m *metrics, log *slog.Logger) (*compiled, error) {
	c := &compiled{hosts: map[string]*dist{}, byID: map[string]*dist{}}
	if snap == nil {
		return c, nil
	}
	c.rev = snap.Revision
	grants := buckets.NewSet(snap.BucketGrants)
	for i := range snap.Distributions {
		src := &snap.Distributions[i]
		d, err := compileDist(src, grants)
		if err != nil {
			log.Error("edge: distribution left out of the snapshot", "distribution", src.ID, "revision", snap.Revision, "err", err)
			continue
		}
		d.counters = m.forDist(d.id)
		c.byID[d.id] = d
		if d.domain != "" {
			c.hosts[strings.ToLower(d.domain)] = d
		}
		for _, a := range src.Config.Aliases {
			c.hosts[strings.ToLower(a)] = d
		}
	}
	return c, nil
}

func compileDist(src *cloudfront.Distribution, grants *buckets.Set) (*dist, error) {
	cfg := &src.Config
	d := &dist{id: src.ID, domain: src.DomainName, enabled: cfg.Enabled, src: src}
	if cfg.DefaultRootObject != "" {
		d.rootObject = "/" + strings.TrimPrefix(cfg.DefaultRootObject, "/")
	}
	origins := map[string]*origin{}
	for _, o := range cfg.Origins {
		origins[o.ID] = compileOrigin(o, src.AccountID, grants)
	}
	add := func(cb *cloudfront.CacheBehavior, isDefault bool) error {
		b := behavior{
			isDefault:   isDefault,
			src:         cb,
			origin:      origins[cb.TargetOriginID],
			queryString: cb.QueryString,
			httpsOnly:   cb.ViewerProtocolPolicy == cloudfront.ViewerHTTPSOnly,
			minTTL:      time.Duration(cb.MinTTL) * time.Second,
			signed:      cb.TrustedSigners.Enabled,
		}
		if b.origin == nil {
			return fmt.Errorf("no origin %q", cb.TargetOriginID)
		}
		if !isDefault {
			p, err := pathpattern.Compile(cb.PathPattern)
			if err != nil {
				return err
			}
			b.pattern = p
		}
		switch cb.Cookies.Forward {
		case cloudfront.ForwardAll:
			b.cookies = cookiesAll
		case cloudfront.ForwardWhitelist:
			b.cookies = cookiesWhitelist
			b.whitelist = append([]string(nil), cb.Cookies.WhitelistedNames...)
			sort.Strings(b.whitelist)
		}
		d.behaviors = append(d.behaviors, b)
		return nil
	}
	for i := range cfg.CacheBehaviors {
		if err := add(&cfg.CacheBehaviors[i], false); err != nil {
			return nil, err
		}
	}
	if err := add(&cfg.DefaultCacheBehavior, true); err != nil {
		return nil, err
	}
	return d, nil
}

// compileOrigin decides once per snapshot whether an S3 origin's requests
// are signed: only when its OAI may read the bucket (package buckets).
// Otherwise they go out anonymous, as S3 treats a principal its bucket
// policy does not name, so one tenant's OAI never carries the operator's
// key into another tenant's bucket.
func compileOrigin(o cloudfront.Origin, accountID string, grants *buckets.Set) *origin {
	g := &origin{id: o.ID, domain: o.DomainName}
	if o.S3 != nil || o.Custom == nil {
		g.s3 = true
		g.bucket = bucketOf(o.DomainName)
		if o.S3 != nil {
			oai, _ := cloudfront.OAIIDFromReference(o.S3.OriginAccessIdentity)
			g.signed = grants.CanRead(g.bucket, accountID, oai)
		}
		g.httpHost, g.httpsHost = o.DomainName, o.DomainName
		return g
	}
	g.matchViewer = o.Custom.OriginProtocolPolicy == cloudfront.OriginMatchViewer
	g.httpHost = hostPort(o.DomainName, o.Custom.HTTPPort, 80)
	g.httpsHost = hostPort(o.DomainName, o.Custom.HTTPSPort, 443)
	return g
}

// lostSigning reports whether an origin that old signed requests for is
// no longer signed in d (its grant was revoked).
func lostSigning(old, d *dist) bool {
	for i := range old.behaviors {
		g := old.behaviors[i].origin
		if !g.signed {
			continue
		}
		for j := range d.behaviors {
			if h := d.behaviors[j].origin; h.id == g.id && !h.signed {
				return true
			}
		}
	}
	return false
}

// hostPort adds the port unless it is the scheme's default (or unset).
func hostPort(host string, port, def int) string {
	if port == 0 || port == def {
		if strings.IndexByte(host, ':') >= 0 {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// bucketOf is the bucket name of an S3 origin's DomainName: everything up
// to ".s3." or ".s3-".
func bucketOf(domain string) string {
	for _, sep := range []string{".s3.", ".s3-"} {
		if i := strings.Index(domain, sep); i >= 0 {
			return domain[:i]
		}
	}
	return domain
}

// lookup finds the distribution for a Host header: lower-cased, port
// removed, without allocating.
func (c *compiled) lookup(host string) *dist {
	if plainHost(host) {
		return c.hosts[host]
	}
	var buf [256]byte
	h, ok := normalizeHost(buf[:0], host)
	if !ok {
		return nil
	}
	return c.hosts[string(h)]
}

// plainHost reports whether normalizeHost would return host unchanged, as
// it does for the usual Host header, so lookup can skip the copy.
func plainHost(host string) bool {
	if host == "" || len(host) > 256 || host[0] == '[' || host[len(host)-1] == '.' {
		return false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; c == ':' || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// normalizeHost appends host without its port, lower-cased, to dst. It
// reports false for an empty host or one longer than dst's capacity.
func normalizeHost(dst []byte, host string) ([]byte, bool) {
	if host == "" {
		return dst, false
	}
	if host[0] == '[' {
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[1:i]
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.IndexByte(host[:i], ':') < 0 {
		host = host[:i]
	}
	host = strings.TrimRight(host, ".")
	if host == "" || len(host) > cap(dst)-len(dst) {
		return dst, false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// selectBehavior returns the first behaviour whose pattern matches path,
// or the default one.
func (d *dist) selectBehavior(path string) *behavior {
	for i := range d.behaviors {
		b := &d.behaviors[i]
		if b.isDefault || b.pattern.Match(path) {
			return b
		}
	}
	return nil
}
