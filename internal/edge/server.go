// Package edge serves viewers' requests the way a 2012 CloudFront edge did:
// it routes by Host, picks the cache behaviour by path pattern, forwards to
// custom or S3 origins, caches by the behaviour's forwarded values and TTL
// rules, and collapses concurrent misses into one origin fetch.
package edge

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/originaddr"
)

// Defaults of Options.
const (
	DefaultCacheSize = 256 << 20
	// DefaultMaxObjectSize is CloudFront's "maximum cacheable file size
	// per HTTP GET response", 50 GB (developer guide, "Quotas").
	DefaultMaxObjectSize = 50 << 30
	// DefaultPartSize is the unit in which objects larger than it are
	// fetched and cached (parts.go).
	DefaultPartSize        = 4 << 20
	DefaultDomainSuffix    = "cloudfront.net"
	DefaultConnectTimeout  = 10 * time.Second
	DefaultResponseTimeout = 30 * time.Second
)

// S3Options says how S3 origins are reached.
type S3Options struct {
	// Endpoint is the URL of an S3-compatible server, addressed path-style.
	// Empty means https://<origin DomainName>, virtual-hosted.
	Endpoint string
	// Region signs requests to Endpoint, and without one those to
	// DomainNames that name no region (bucket.s3.amazonaws.com); a
	// DomainName that names one (bucket.s3.eu-west-1.amazonaws.com) is
	// signed for it. Default us-east-1.
	Region string
	// Static credentials, used for origins whose OriginAccessIdentity is
	// granted the bucket (the snapshot's BucketGrants); other S3 origins
	// are fetched anonymously.
	AccessKeyID     string
	SecretAccessKey string
}

// OriginTimeouts bound each origin fetch.
type OriginTimeouts struct {
	ConnectTimeout  time.Duration // dial and TLS handshake; default 10s
	ResponseTimeout time.Duration // until the headers, and between body reads; default 30s
}

// SignedURLChecker verifies signed URLs and signed cookies for behaviours
// with trusted signers or trusted key groups. path is the request's
// canonical path (package urlpath), which the signed resource must name;
// the query and cookies are r's. ok=false means the request is refused with
// status and body (XML).
type SignedURLChecker interface {
	Check(r *http.Request, path string, d *cloudfront.Distribution, b *cloudfront.CacheBehavior) (status int, body []byte, ok bool)
}

// Options configures a Server. The zero value works.
type Options struct {
	CacheSize int64 // byte budget of the cache
	// DiskCacheDir and DiskCacheSize enable the disk tier under the memory
	// tier (disk.go); empty or 0 disables it.
	DiskCacheDir  string
	DiskCacheSize int64
	MaxObjectSize int64 // larger responses are streamed to the viewer, not cached
	// PartSize: objects larger than it are fetched with ranged requests
	// and cached in parts of this size (parts.go).
	PartSize int64
	// Origins says which addresses origins may have (nil: any). It is
	// checked at dial time on the resolved IP, so DNS rebinding cannot get
	// around it. The S3 endpoint of S3Options is the operator's and is not
	// checked.
	Origins        *originaddr.Policy
	HostID         string // 32 lower-case hex characters; generated if empty
	DomainSuffix   string // Via: 1.1 <HostID>.<DomainSuffix> (CloudFront)
	Location       string // x-edge-location for access logs, e.g. "LOC1"
	S3             S3Options
	OriginTimeouts OriginTimeouts
	// OriginTLS configures TLS to HTTPS origins (e.g. RootCAs); nil means
	// the system roots.
	OriginTLS  *tls.Config
	SignedURLs SignedURLChecker // nil: signed URLs are not checked
	// AccessLog gets a record of each request to a distribution whose
	// Logging is enabled; nil: no access log.
	AccessLog func(LogRecord)
	// Countries locates viewers for geographic restrictions; nil: no
	// database, and restricted distributions answer 403 to everyone.
	Countries  CountryLookup
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
}

// Server is an edge. It is safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger
	via  []string // "1.1 <HostID>.<DomainSuffix> (CloudFront)"
	snap atomic.Pointer[compiled]
	// stores are the key value stores functions read (kvs.go).
	stores atomic.Pointer[kvStores]
	cache  *objectCache
	// flights are the origin fetches of objects in progress, by key;
	// fills are those of parts of large objects, by part key (parts.go).
	flightsMu sync.Mutex
	flights   map[string]*flight
	fillsMu   sync.Mutex
	fills     map[string]*fill
	partSize  int64
	transport *http.Transport // to tenants' origins, under Options.Origins
	// transports are the pools of origins whose connection settings
	// differ from defaultConn (origins.go).
	transportsMu sync.Mutex
	transports   map[connSettings]*http.Transport
	defaultConn  connSettings
	// s3Transport reaches the configured S3 endpoint, unchecked.
	s3Transport *http.Transport
	s3          *s3Client
	metrics     *metrics
	// epoch changes on every purge, so a fetch that started before it does
	// not store an object the purge meant to remove.
	epoch atomic.Int64
	tls   viewerTLSState
	// release returns what applying snapshots freed to the system.
	release releaser
	// timingPop is Server-Timing's cdn-pop metric (responseheaderspolicy.go).
	timingPop string
}

// New returns a Server with an empty snapshot: every host is unknown
// until Apply.
func New(o Options) (*Server, error) {
	if o.CacheSize <= 0 {
		o.CacheSize = DefaultCacheSize
	}
	if o.MaxObjectSize <= 0 {
		o.MaxObjectSize = DefaultMaxObjectSize
	}
	if o.PartSize <= 0 {
		o.PartSize = DefaultPartSize
	}
	if o.PartSize > maxWeight-64<<10 {
		// A part is one cache entry, whose weight must fit otter's.
		return nil, errors.New("edge: PartSize must be below 4 GiB")
	}
	if o.DomainSuffix == "" {
		o.DomainSuffix = DefaultDomainSuffix
	}
	if o.HostID == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		o.HostID = hex.EncodeToString(b[:])
	}
	if o.OriginTimeouts.ConnectTimeout <= 0 {
		o.OriginTimeouts.ConnectTimeout = DefaultConnectTimeout
	}
	if o.OriginTimeouts.ResponseTimeout <= 0 {
		o.OriginTimeouts.ResponseTimeout = DefaultResponseTimeout
	}
	if o.S3.Region == "" {
		o.S3.Region = "us-east-1"
	}
	s := &Server{opts: o, now: o.Now, log: o.Logger, partSize: o.PartSize,
		flights: map[string]*flight{}, fills: map[string]*fill{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.via = []string{"1.1 " + o.HostID + "." + o.DomainSuffix + " (CloudFront)"}
	s.timingPop = timingPop(o.Location)
	var disk *diskTier
	if o.DiskCacheDir != "" && o.DiskCacheSize > 0 {
		disk = newDiskTier(o, s.log, s.now, &s.epoch)
	}
	c, err := newObjectCache(o.CacheSize, &s.epoch, disk)
	if err != nil {
		return nil, err
	}
	s.cache = c
	lo, hi, _ := tlsRange(nil)
	s.defaultConn = connSettings{keepalive: defaultOriginKeepalive, minTLS: lo, maxTLS: hi}.effective(o.OriginTimeouts)
	s.transports = map[connSettings]*http.Transport{}
	s.transport = newTransport(o, o.Origins, s.defaultConn)
	// The operator's S3 endpoint keeps Go's TLS defaults and a longer idle
	// time: it is one server, shared by every tenant.
	s.s3Transport = newTransport(o, nil, connSettings{keepalive: 90 * time.Second}.effective(o.OriginTimeouts))
	s3c, err := newS3Client(o.S3)
	if err != nil {
		return nil, err
	}
	s.s3 = s3c
	m, err := newMetrics(o.Registerer, s)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if c.disk != nil && o.Registerer != nil {
		if err := c.disk.register(o.Registerer); err != nil {
			return nil, err
		}
	}
	s.snap.Store(&compiled{hosts: newTable(0), byID: newTable(0)})
	return s, nil
}

// Apply compiles snap, swaps it in atomically and purges the invalidated
// paths. It implements feed.Applier.
func (s *Server) Apply(snap *feed.Snapshot, invalidations []cloudfront.Invalidation) error {
	c, fresh, gone := compile(snap, s.snap.Load())
	s.applyViewerTLS(snap)
	s.applyStores(snap)
	s.snap.Store(c)
	s.dropTransports(c, gone)
	s.warnGeoWithoutDB(fresh)
	var prefixes []string
	for _, was := range gone {
		d := c.byID.get(was.id)
		if d == nil {
			prefixes = append(prefixes, was.id+"\x00")
			s.metrics.forget(was.id)
		} else if lostSigning(was, d) || (was.enabled && !d.enabled) {
			// Objects read with the operator's key go with the grant; a
			// disabled distribution's go with it, from both tiers.
			prefixes = append(prefixes, was.id+"\x00")
		}
	}
	for _, inv := range invalidations {
		for _, p := range inv.Batch.Paths {
			prefixes = append(prefixes, invalidationPrefix(inv.DistributionID, p))
		}
	}
	prefixes = append(prefixes, s.cache.disk.orphans(c)...)
	s.purge(prefixes)
	s.release.applied()
	return nil
}

// ready returns d with its form built, building it at d's first request
// (and binding its origins' transports); nil when d is nil or its record
// does not build, which is logged once: the distribution then answers as
// one the edge does not have, the other distributions as ever.
func (s *Server) ready(d *dist) *dist {
	if d == nil {
		return nil
	}
	d.build.Do(func() {
		f, err := buildForm(d.src, d.grants)
		if err != nil {
			s.log.Error("edge: distribution not served: its configuration does not compile", "distribution", d.id, "err", err)
			return
		}
		s.transportsMu.Lock()
		s.bindTransports(f)
		d.form = f
		s.transportsMu.Unlock()
	})
	if d.form == nil {
		return nil
	}
	return d
}

// Revision is the revision of the applied snapshot.
func (s *Server) Revision() int64 { return s.snap.Load().rev }

// Close releases idle origin connections and the cache's goroutines.
func (s *Server) Close() error {
	s.transport.CloseIdleConnections()
	s.s3Transport.CloseIdleConnections()
	s.closeTransports()
	s.cache.close()
	s.release.close()
	return nil
}
