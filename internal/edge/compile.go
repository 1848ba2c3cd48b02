package edge

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/certs"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/pathpattern"
	"github.com/openfront/openfront/internal/urlpath"
)

// compiled is an immutable, request-ready form of one feed snapshot.
type compiled struct {
	rev   int64
	hosts *table // lower-case DomainName and CNAMEs
	byID  *table
	// wildcards: some alias is "*.<name>", so a host that matches nothing
	// exactly is looked up under its parents too. nwild counts them, so
	// that a revision keeps it right without a walk.
	wildcards bool
	nwild     int
	// contested: some name is claimed by two distributions (a store may
	// hold aliases from before the control plane refused them); the id
	// order decides, so hosts is then rebuilt at every revision.
	contested bool
	// snap is the snapshot compiled; the next revision is compiled by
	// comparing its records' pointers with snap's (sorted: by id, which
	// that walk needs).
	snap   *feed.Snapshot
	sorted bool
}

// dist is a distribution as the host and id tables hold it: what routing
// and Apply need, taken from its record as Apply places it, and its
// request-ready form, built at its first request (Server.ready). An edge
// follows every distribution of the fleet and serves those its viewers
// ask for: a form built as its record arrived was a quarter of an edge's
// heap per distribution and of its allocations per delta, for
// distributions it may never serve.
type dist struct {
	id      string
	domain  string // the distribution's own DomainName
	enabled bool
	src     *cloudfront.Distribution
	// counters holds the distribution's metric children, made at its
	// first request (Server.stats); every dist of the same id
	// shares it, so counts go on across snapshots.
	counters *counterSlot
	// grants are the bucket grants of the snapshot d was placed for, the
	// one input to its form from outside its record. A later snapshot
	// whose grants sign one of d's S3 origins otherwise replaces d (see
	// signingHolds), so a form built late is the form d stood for.
	grants *buckets.Set
	build  sync.Once
	// form is nil until built, and stays nil if the record does not
	// build (the control plane validates, so a bug or a newer feed): the
	// distribution then answers as one the edge does not have. Requests
	// read it after build.Do; Apply reads it under Server.transportsMu,
	// which its builder holds.
	*form
}

// form is the request-ready part of a dist.
type form struct {
	rootObject string // "/index.html", or empty
	behaviors  []behavior
	origins    []*origin // every origin, for the transports
	// errorResponses are the CustomErrorResponses by ErrorCode; nil when
	// there are none, so a response pays one nil check.
	errorResponses []customError
	http3          bool // HttpVersion offers HTTP/3: HTTPS answers say so (Alt-Svc)
	// logging: Logging is enabled, so requests get an access-log record;
	// the others skip the record and its writer wrapper.
	logging bool
	// minTLS is the lowest TLS version of its security policy (custom
	// certificates only). A viewer can make a connection under another
	// name's weaker policy (SNI) and then ask for this one (Host): that
	// request is refused with 421 Misdirected Request (RFC 9110 §15.5.20).
	minTLS uint16
	geo    *geoRule // nil: no geographic restriction
}

// counterSlot is where a distribution's metric children are kept once made.
type counterSlot struct{ p atomic.Pointer[distCounters] }

type cookieMode uint8

const (
	cookiesNone cookieMode = iota
	cookiesWhitelist
	cookiesAll
	// cookiesAllExcept: every cookie but the listed ones (a cache
	// policy's CookiesConfig allExcept; cachepolicy.go).
	cookiesAllExcept
)

type behavior struct {
	pattern   pathpattern.Pattern
	isDefault bool
	src       *cloudfront.CacheBehavior
	origin    *origin
	// failover is the origin group's secondary origin and criteria when
	// the behaviour targets a group; nil otherwise.
	failover *failover
	forwarding
	httpsOnly bool
	minTTL    time.Duration
	signed    bool
	// methods and cached are AllowedMethods and CachedMethods; cached is
	// empty under a cache policy whose MaxTTL is 0 (compileCachePolicy).
	methods, cached methodSet
	// redirectHTTPS: redirect-to-https, HTTP viewers get a redirect.
	redirectHTTPS bool
	// defaultTTL and maxTTL are the effective DefaultTTL and MaxTTL.
	defaultTTL, maxTTL time.Duration
	// compress: Compress is on (compress.go).
	compress bool
	// brotli: Compress may choose Brotli. CloudFront offers it only with a
	// cache policy whose EnableAcceptEncodingBrotli is true ("Serve
	// compressed files": "You must use cache policies to use Brotli
	// compression. Brotli doesn't support legacy cache settings"), so
	// legacy ForwardedValues never set it: their viewers get gzip.
	brotli bool
	// viewerRequest and viewerResponse are the behaviour's CloudFront
	// Functions (functions.go); nil for none.
	viewerRequest, viewerResponse *edgeFunction
	// rhp is the behaviour's response headers policy, compiled; nil when
	// it has none (responseheaderspolicy.go).
	rhp *respPolicy
}

// forwarding is a behaviour's recipe for the request to its origin: which
// parts of the viewer's request reach the origin. Whatever it forwards
// that can change the response is also in the cache key, so that no viewer
// can make the origin produce a variant that other viewers then get.
// 2012's ForwardedValues fills it, and so does a 2020-05-31 cache policy
// (cachepolicy.go). An origin request policy adds to what the origin gets
// without adding to the key (orp), as CloudFront's does: the owner's
// choice, which that rule then does not cover (originrequestpolicy.go).
type forwarding struct {
	queryString bool
	cookies     cookieMode
	// whitelist lists cookie names (sorted): the ones forwarded with
	// cookiesWhitelist, the ones not forwarded with cookiesAllExcept.
	whitelist []string
	// headers are ForwardedValues/Headers, or a cache policy's
	// HeadersConfig whitelist (canonical names, sorted): each is
	// forwarded, even one the edge would drop, and is in the cache key.
	// 2012 has none.
	headers []string
	// allHeaders is Headers "*": every viewer header is forwarded and
	// nothing is cached, as CloudFront does.
	allHeaders bool
	// forwardHost: the viewer's Host goes to a custom origin, and into
	// the key (Headers or the policy lists Host, or Headers is "*").
	forwardHost bool
	// queryKeys is QueryStringCacheKeys: the whole query is forwarded and
	// only these parameters are keyed. nil keys the whole query.
	queryKeys []string
	// extraKey: the key has parts beyond the 2012 ones (headers, Host).
	extraKey bool
	// queryFilter is a cache policy's QueryStringsConfig list: only these
	// parameters (whitelist), or all but these (queryExcept: allExcept),
	// are forwarded and keyed. nil forwards and keys the whole query.
	queryFilter []string
	queryExcept bool
	// policy: a cache policy filled the recipe. A viewer header then
	// reaches the origin only when the policy keys it (headers, Host),
	// beside the edge's own (policyRequestHeaders); and the normalised
	// Accept-Encoding is keyed and forwarded only for the codings the
	// policy enables (keyGzip, keyBr; policyEncoding).
	policy         bool
	keyGzip, keyBr bool
	// keysGenerated: headers lists a CloudFront-* header, keyed and
	// forwarded with the value the edge generates (generatedHeader).
	keysGenerated bool
	// orp is the behaviour's origin request policy, compiled; nil when it
	// has none, so that the others pay one nil check, on a miss.
	orp *originPolicy
	// keysAuthorization: whether the viewer sent Authorization is in the
	// key, though the header is not (keyViewerAuth).
	keysAuthorization bool
}

// forwardsHeader reports whether the viewer's header k (canonical) goes to
// the origin: not one CloudFront removes or replaces, and not one that
// changes how origins route or build URLs, unless the recipe names it.
// A cache policy's recipe forwards only the headers it names, and those
// its origin request policy adds.
func (f *forwarding) forwardsHeader(k string) bool {
	if f.policy {
		return f.keysHeader(k) || f.orp != nil && f.orp.forwardsHeader(k)
	}
	name := k
	if strings.IndexByte(k, '_') >= 0 {
		// CGI, PHP and nginx (underscores_in_headers) read X_Forwarded_Host
		// as X-Forwarded-Host.
		name = http.CanonicalHeaderKey(strings.ReplaceAll(k, "_", "-"))
	}
	if edgeOwnedHeaders[name] {
		return false
	}
	if removedRequestHeaders[name] || routingHeader(name) {
		return f.keysHeader(k)
	}
	return true
}

// keysHeader reports whether the recipe names the viewer's header k
// (canonical), or forwards every header: the viewer chose it, and it is
// in the cache key (or nothing is cached).
func (f *forwarding) keysHeader(k string) bool {
	return f.allHeaders || contains(f.headers, k)
}

type origin struct {
	id          string
	domain      string
	s3          bool
	bucket      string
	signed      bool   // S3 with an OAI or OAC granted the bucket (signingUnder)
	signsWrites bool   // and granted to write objects there
	region      string // the AWS region an S3 origin's DomainName names, or ""
	oai         string // the S3 origin's OriginAccessIdentity id, for reuse
	// auth is what becomes of a viewer's Authorization: an origin access
	// control's SigningBehavior (viewerAuth).
	auth        viewerAuth
	matchViewer bool
	httpHost    string // host[:port] for HTTP
	httpsHost   string // host[:port] for HTTPS
	// connectionAttempts bounds the tries per viewer request: CloudFront's
	// default of 3, or 2020-05-31's Origin.ConnectionAttempts (1-3).
	connectionAttempts int
	httpsOnly          bool           // OriginProtocolPolicy https-only
	pathPrefix         string         // OriginPath, canonical; "" for none
	hostHeader         string         // a function's hostHeader (originchange.go); "" for none
	headers            []customHeader // CustomHeaders
	conn               connSettings   // selects the transport
	noTLS              bool           // OriginSslProtocols is SSLv3 alone
	// Set by Server.bindTransports as the form is built, before any
	// request reads it.
	transport   *http.Transport
	readTimeout time.Duration // OriginReadTimeout, or the operator's
}

// compile builds the routing snapshot: the host and id tables of snap's
// distributions, each placed with its form not yet built (dist).
//
// Every edge applies every revision, mostly one create or update among
// thousands of distributions, so compile does what the change needs: a
// record the previous snapshot had too (the same pointer: feed.Merge
// shares unchanged records, which are immutable) keeps its dist, and so
// its form if built, unless a change of bucket grants changes its S3
// signing; the others are placed anew. The host and id tables are the old
// ones with the change applied on top (table). fresh lists the dists
// placed here; gone, the old ones that c no longer has.
func compile(snap *feed.Snapshot, old *compiled) (c *compiled, fresh, gone []*dist) {
	if snap == nil {
		c = &compiled{hosts: newTable(0), byID: newTable(0)}
		if old != nil {
			for _, o := range old.byID.all() {
				gone = append(gone, o)
			}
		}
		return c, nil, gone
	}
	grants := buckets.NewSet(snap.BucketGrants)
	if old == nil || old.snap == nil || !old.sorted || old.contested {
		return compileAll(snap, old, grants)
	}
	regrant := !slices.Equal(old.snap.BucketGrants, snap.BucketGrants)
	c = &compiled{rev: snap.Revision, snap: snap, sorted: true, nwild: old.nwild,
		hosts: old.hosts.edit(), byID: old.byID.edit()}
	var changed []*cloudfront.Distribution
	// The walk also checks that snap is in id order, comparing ids only
	// where it differs from old's (which was): a run of records both have
	// is in order already.
	was, now := old.snap.Distributions, snap.Distributions
	for i, j := 0, 0; i < len(was) || j < len(now); {
		if j > 0 && j < len(now) && !(i > 0 && i < len(was) && was[i-1] == now[j-1] && was[i] == now[j]) && now[j-1].ID >= now[j].ID {
			return compileAll(snap, old, grants)
		}
		switch {
		case i < len(was) && j < len(now) && was[i] == now[j]:
			if regrant {
				if o := old.byID.get(was[i].ID); o != nil && !o.signingHolds(grants) {
					gone = append(gone, o)
					changed = append(changed, now[j])
				}
			}
			i++
			j++
		case j == len(now) || i < len(was) && was[i].ID < now[j].ID: // deleted
			if o := old.byID.get(was[i].ID); o != nil {
				gone = append(gone, o)
			}
			i++
		case i == len(was) || now[j].ID < was[i].ID: // created
			changed = append(changed, now[j])
			j++
		default: // updated
			if o := old.byID.get(was[i].ID); o != nil {
				gone = append(gone, o)
			}
			changed = append(changed, now[j])
			i++
			j++
		}
	}
	for _, o := range gone {
		c.byID.remove(o.id)
		for _, k := range o.names() {
			if c.hosts.get(k) == o {
				c.hosts.remove(k)
				if isWildcard(k) {
					c.nwild--
				}
			}
		}
	}
	for _, src := range changed {
		d := placeDist(src, grants)
		if o := old.byID.get(d.id); o != nil {
			d.counters = o.counters
		}
		c.byID.set(d.id, d)
		fresh = append(fresh, d)
		for _, k := range d.names() {
			if t := c.hosts.get(k); t != nil {
				if t == d {
					continue // listed twice
				}
				// Two claim it: the full build's order decides.
				return compileAll(snap, old, grants)
			}
			c.hosts.set(k, d)
			if isWildcard(k) {
				c.nwild++
			}
		}
	}
	c.wildcards = c.nwild > 0
	return c, fresh, gone
}

// compileAll builds c from every record of snap, reusing old's forms of
// the records old had too.
func compileAll(snap *feed.Snapshot, old *compiled, grants *buckets.Set) (c *compiled, fresh, gone []*dist) {
	n := len(snap.Distributions)
	c = &compiled{rev: snap.Revision, snap: snap, sorted: sortedByID(snap.Distributions),
		hosts: newTable(2 * n), byID: newTable(n)}
	oldByID := newTable(0)
	if old != nil {
		oldByID = old.byID
	}
	order := make([]*dist, 0, n)
	for _, src := range snap.Distributions {
		o := oldByID.get(src.ID)
		if o != nil && o.src == src && o.signingHolds(grants) {
			c.byID.set(o.id, o)
			order = append(order, o)
			continue
		}
		d := placeDist(src, grants)
		if o != nil {
			d.counters = o.counters
		}
		c.byID.set(d.id, d)
		order = append(order, d)
		fresh = append(fresh, d)
	}
	for _, o := range oldByID.all() {
		if c.byID.get(o.id) != o {
			gone = append(gone, o)
		}
	}
	// Assigned domain names first: a DomainName routes to its own
	// distribution whatever another lists as an alias (the control plane
	// refuses such aliases now, but a store may hold older ones). Then
	// aliases, where no name is taken yet; the snapshot is in id order, so
	// the outcome never depends on map or arrival order.
	claim := func(k string, d *dist) {
		if t := c.hosts.get(k); t != nil {
			c.contested = c.contested || t != d
			return
		}
		c.hosts.set(k, d)
		if isWildcard(k) {
			c.nwild++
		}
	}
	for _, d := range order {
		if d.domain != "" {
			claim(strings.ToLower(d.domain), d)
		}
	}
	for _, d := range order {
		for _, a := range d.src.Config.Aliases {
			claim(strings.ToLower(a), d)
		}
	}
	c.wildcards = c.nwild > 0
	return c, fresh, gone
}

// names are the host keys d claims: its DomainName, then its aliases.
func (d *dist) names() []string {
	out := make([]string, 0, 1+len(d.src.Config.Aliases))
	if d.domain != "" {
		out = append(out, strings.ToLower(d.domain))
	}
	for _, a := range d.src.Config.Aliases {
		out = append(out, strings.ToLower(a))
	}
	return out
}

func isWildcard(host string) bool { return strings.HasPrefix(host, "*.") }

func sortedByID(ds []*cloudfront.Distribution) bool {
	for i := 1; i < len(ds); i++ {
		if ds[i-1].ID >= ds[i].ID {
			return false
		}
	}
	return true
}

// signingHolds reports whether grants sign each of d's S3 origins as d's
// own grants do, so that d's form, built or not, stays right under them.
func (d *dist) signingHolds(grants *buckets.Set) bool {
	if grants == d.grants {
		return true
	}
	for i := range d.src.Config.Origins {
		o := &d.src.Config.Origins[i]
		if signingUnder(o, d.src.AccountID, grants) != signingUnder(o, d.src.AccountID, d.grants) {
			return false
		}
	}
	return true
}

// signing is what the edge signs with the operator's key for an origin.
type signing uint8

const (
	signsNothing signing = iota
	signsReads           // object reads (objectRead)
	signsWrites          // and object writes (objectWrite)
)

// signingUnder is what the edge signs for o under grants: o is an S3
// origin whose principal the grants let read (or read and write) its
// bucket (package buckets), or nothing. The principal is the origin's
// OriginAccessIdentity, which a grant to it or to the distribution's
// account covers; or its origin access control, which signs as the
// distribution's account (CloudFront's bucket policy for an OAC names
// the service and the distribution, never an OAI), so that only a grant
// to the account covers it, and SigningBehavior never signs nothing.
// An OAC config the control plane did not resolve signs nothing.
func signingUnder(o *cloudfront.Origin, accountID string, grants *buckets.Set) signing {
	if o.S3 == nil {
		return signsNothing
	}
	bucket := buckets.Of(o.DomainName)
	if usesOAC(o) {
		if oacAuth(o.OriginAccessControl) == authAsForwarded {
			return signsNothing // never, or not a config the edge knows
		}
		return signingOf(grants.CanAccountWrite(bucket, accountID), grants.CanAccountRead(bucket, accountID))
	}
	oai, _ := cloudfront.OAIIDFromReference(o.S3.OriginAccessIdentity)
	return signingOf(grants.CanWrite(bucket, accountID, oai), grants.CanRead(bucket, accountID, oai))
}

// signingOf is the signing level of a principal that may write and read.
func signingOf(write, read bool) signing {
	switch {
	case write:
		return signsWrites
	case read:
		return signsReads
	}
	return signsNothing
}

// usesOAC reports whether o names an origin access control. It then
// signs only as the OAC says, whatever else o holds (the control plane
// refuses an OAI beside it).
func usesOAC(o *cloudfront.Origin) bool {
	return o.OriginAccessControlID != "" || o.OriginAccessControl != nil
}

// viewerAuth is what becomes of a viewer's Authorization on an S3
// origin's request, as an origin access control's SigningBehavior says
// (developer guide, "Restrict access to an Amazon S3 origin", advanced
// settings; API reference, OriginAccessControlConfig).
type viewerAuth uint8

const (
	// authAsForwarded: the behaviour forwards it or not, and a signature
	// replaces it. An OAI origin, one without either, and an OAC whose
	// SigningBehavior is never (which "turns off origin access control").
	authAsForwarded viewerAuth = iota
	// authReplaced: always. CloudFront "signs all origin requests,
	// overwriting the Authorization header from the viewer request": the
	// viewer's never reaches S3, signed or not.
	authReplaced
	// authNoOverride: no-override. A viewer request with Authorization
	// is not signed; the header goes on if the behaviour forwards it (the
	// guide has it added to the cache policy), else the request goes
	// unsigned. Without one, the request is signed as under always.
	authNoOverride
)

// oacAuth is the viewerAuth of an OAC's config; authAsForwarded for
// never, for a config not resolved (nil), and for what the edge does
// not know, none of which signs.
func oacAuth(c *cloudfront.OriginAccessControlConfig) viewerAuth {
	if c == nil || c.OriginType != cloudfront.OACOriginS3 || c.SigningProtocol != cloudfront.SigningProtocolSigV4 {
		return authAsForwarded
	}
	switch c.SigningBehavior {
	case cloudfront.SigningAlways:
		return authReplaced
	case cloudfront.SigningNoOverride:
		return authNoOverride
	}
	return authAsForwarded
}

// placeDist is src as the tables hold it, its form not built yet.
func placeDist(src *cloudfront.Distribution, grants *buckets.Set) *dist {
	return &dist{id: src.ID, domain: src.DomainName, enabled: src.Config.Enabled, src: src, grants: grants, counters: &counterSlot{}}
}

// buildForm compiles the request-ready form of src, its S3 origins signed
// as grants allow.
func buildForm(src *cloudfront.Distribution, grants *buckets.Set) (*form, error) {
	cfg := &src.Config
	d := &form{http3: certs.HTTP3(cfg.HTTPVersion), geo: compileGeo(cfg.Restrictions), logging: cfg.Logging.Enabled}
	if vc := cfg.ViewerCertificate; vc != nil && vc.ACMCertificateARN != "" {
		if p, err := certs.PolicyFor(vc.MinimumProtocolVersion); err == nil {
			d.minTLS = p.MinVersion
		}
	}
	if cfg.DefaultRootObject != "" {
		// Canonical like every request path, since it replaces one.
		root, err := urlpath.Canonical("/" + strings.TrimPrefix(cfg.DefaultRootObject, "/"))
		if err != nil {
			return nil, fmt.Errorf("default root object: %w", err)
		}
		d.rootObject = root
	}
	origins := map[string]*origin{}
	for i := range cfg.Origins {
		o := &cfg.Origins[i]
		g := compileOrigin(*o, src.AccountID, grants)
		if err := compileOriginSettings(g, o); err != nil {
			return nil, err
		}
		origins[o.ID] = g
		d.origins = append(d.origins, g)
	}
	groups, err := compileGroups(cfg.OriginGroups, origins)
	if err != nil {
		return nil, err
	}
	if d.errorResponses, err = compileErrorResponses(cfg.CustomErrorResponses); err != nil {
		return nil, err
	}
	add := func(cb *cloudfront.CacheBehavior, isDefault bool) error {
		b := behavior{
			isDefault:  isDefault,
			src:        cb,
			origin:     origins[cb.TargetOriginID],
			forwarding: compileForwarding(cb),
			httpsOnly:  cb.ViewerProtocolPolicy == cloudfront.ViewerHTTPSOnly,
			minTTL:     time.Duration(cb.MinTTL) * time.Second,
			// Trusted key groups (API 2020-05-31) make a behaviour
			// private as trusted signers do.
			signed: cb.TrustedSigners.Enabled || cb.TrustedKeyGroups.Enabled,

			methods:       compileMethods(cb.AllowedMethods),
			cached:        compileMethods(cb.CachedMethods),
			redirectHTTPS: cb.ViewerProtocolPolicy == cloudfront.ViewerRedirectToHTTPS,
			defaultTTL:    time.Duration(cb.EffectiveDefaultTTL()) * time.Second,
			maxTTL:        time.Duration(cb.EffectiveMaxTTL()) * time.Second,
			compress:      cb.Compress,
			rhp:           compileResponseHeadersPolicy(cb.ResponseHeadersPolicy),
		}
		b.viewerRequest, b.viewerResponse = compileFunctions(cb)
		if f := groups[cb.TargetOriginID]; b.origin == nil && f != nil {
			b.origin, b.failover = f.primary, f
		}
		if b.origin == nil {
			return fmt.Errorf("no origin %q", cb.TargetOriginID)
		}
		if cb.CachePolicy != nil {
			// A CachePolicyID the control plane resolved: the policy's
			// config replaces the legacy recipe, TTLs and compression.
			compileCachePolicy(&b, cb)
			// An origin request policy goes only with a cache policy
			// (the control plane refuses one alone; one left here is
			// ignored).
			compileOriginRequestPolicy(&b, cb.OriginRequestPolicy)
		} else {
			compileHeaders(&b.forwarding, cb, b.origin)
		}
		keyViewerAuth(&b)
		if !isDefault {
			p, err := pathpattern.Compile(cb.PathPattern)
			if err != nil {
				return err
			}
			b.pattern = p
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

// keyViewerAuth keys, for a behaviour whose origin (or failover origin)
// has a no-override origin access control, whether the viewer sent
// Authorization, unless the header itself is keyed (or nothing is
// cached): the request of a viewer that sends one goes unsigned, and its
// answer, S3's refusal of a private bucket, must not become the copy
// that viewers without one get (nor they share its fetch).
func keyViewerAuth(b *behavior) {
	noOverride := b.origin.auth == authNoOverride || b.failover != nil && b.failover.secondary.auth == authNoOverride
	if noOverride && !b.keysHeader("Authorization") {
		b.keysAuthorization, b.extraKey = true, true
	}
}

// compileForwarding is the recipe of ForwardedValues' query string and
// cookies; compileHeaders adds its headers.
func compileForwarding(cb *cloudfront.CacheBehavior) forwarding {
	f := forwarding{queryString: cb.QueryString}
	if cb.QueryString && cb.QueryStringCacheKeys != nil {
		f.queryKeys = append([]string{}, cb.QueryStringCacheKeys...)
	}
	switch cb.Cookies.Forward {
	case cloudfront.ForwardAll:
		f.cookies = cookiesAll
	case cloudfront.ForwardWhitelist:
		f.cookies = cookiesWhitelist
		f.whitelist = append([]string(nil), cb.Cookies.WhitelistedNames...)
		sort.Strings(f.whitelist)
	}
	return f
}

// compileOrigin decides once per snapshot whether an S3 origin's requests
// are signed: reads only when its OAI or OAC may read the bucket, object
// writes only when it may write there (package buckets; signingUnder).
// Otherwise they go out anonymous, as S3 treats a principal its bucket
// policy does not name, so one tenant's OAI or OAC never carries the
// operator's key into another tenant's bucket.
func compileOrigin(o cloudfront.Origin, accountID string, grants *buckets.Set) *origin {
	g := &origin{id: o.ID, domain: o.DomainName, connectionAttempts: DefaultConnectionAttempts}
	if o.S3 != nil || o.Custom == nil {
		g.s3 = true
		g.bucket = buckets.Of(o.DomainName)
		g.region = awsRegion(o.DomainName)
		if o.S3 != nil {
			if usesOAC(&o) {
				g.auth = oacAuth(o.OriginAccessControl)
			} else {
				g.oai, _ = cloudfront.OAIIDFromReference(o.S3.OriginAccessIdentity)
			}
			sg := signingUnder(&o, accountID, grants)
			g.signed, g.signsWrites = sg >= signsReads, sg == signsWrites
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
// no longer signed in d (its grant was revoked), from their records and
// grants: neither form need be built.
func lostSigning(old, d *dist) bool {
	for i := range old.src.Config.Origins {
		o := &old.src.Config.Origins[i]
		if signingUnder(o, old.src.AccountID, old.grants) == signsNothing {
			continue
		}
		for j := range d.src.Config.Origins {
			if n := &d.src.Config.Origins[j]; n.ID == o.ID && signingUnder(n, d.src.AccountID, d.grants) == signsNothing {
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

// lookup finds the distribution for a Host header: lower-cased, port
// removed, without allocating. An exact name (DomainName or alias) wins;
// then the nearest wildcard alias: for a.b.example.com, *.b.example.com,
// then *.example.com (CloudFront's wildcards cover every level below).
func (c *compiled) lookup(host string) *dist {
	var buf [256]byte
	var h []byte
	if plainHost(host) {
		if d := c.hosts.get(host); d != nil || !c.wildcards {
			return d
		}
		h = append(buf[:0], host...)
	} else {
		var ok bool
		if h, ok = normalizeHost(buf[:0], host); !ok {
			return nil
		}
		if d := c.hosts.getBytes(h); d != nil || !c.wildcards {
			return d
		}
	}
	var key [257]byte
	for i := bytes.IndexByte(h, '.'); i >= 0; {
		k := append(append(key[:0], '*'), h[i:]...)
		if d := c.hosts.getBytes(k); d != nil {
			return d
		}
		j := bytes.IndexByte(h[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return nil
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
