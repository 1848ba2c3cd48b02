package signedurl

import (
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// Options configures a Checker. The zero value works.
type Options struct {
	// Now is the clock that stamps a request's arrival, against which
	// DateLessThan and DateGreaterThan are checked; nil means time.Now.
	// Give it the edge's clock.
	Now func() time.Time
	// Logger receives skipped key pairs (Warn) and refused requests with
	// their reason (Debug); nil means no logs.
	Logger *slog.Logger
}

// Checker is the edge's signed-URL and signed-cookie check
// (edge.SignedURLChecker). It holds the key pairs of the latest snapshot
// and the parsed keys of the key groups it has seen, and is safe for
// concurrent use.
type Checker struct {
	v   atomic.Pointer[Verifier]
	now func() time.Time
	log *slog.Logger
}

// NewChecker returns a Checker with no key pairs: until Update, every
// request for a behaviour with trusted signers is refused. Key groups
// need no Update: their keys come with the behaviour.
func NewChecker(o Options) *Checker {
	c := &Checker{now: o.Now, log: o.Logger}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.v.Store(NewVerifier(nil, c.log))
	return c
}

// Update swaps in the key pairs of a new snapshot; requests in flight keep
// the set they started with.
func (c *Checker) Update(pairs []feed.KeyPair) {
	c.v.Store(newVerifier(pairs, c.log, c.v.Load()))
}

// Check verifies r for behaviour b of distribution d. path is the path
// the edge serves for r (canonical, see package urlpath): the signed
// resource must name it, whatever spelling of it the viewer sent. ok=false
// means the edge answers status with body (text/xml); body must not be
// modified. A behaviour with trusted key groups (TrustedKeyGroups enabled,
// with items) takes a signature by a key of one of its groups; one with
// trusted signers, by an active key pair of one of their accounts; one
// with key groups enabled but none listed, and no trusted signers, takes
// none; any other passes. The signature is the URL's when its query has
// signing parameters, else the signed cookies'.
func (c *Checker) Check(r *http.Request, path string, d *cloudfront.Distribution, b *cloudfront.CacheBehavior) (status int, body []byte, ok bool) {
	if b == nil || !b.TrustedKeyGroups.Enabled && !b.TrustedSigners.Enabled {
		return 0, nil, true
	}
	q := RequestFrom(r, path, c.now())
	var err error
	// The control plane refuses a behaviour that lists both key groups and
	// trusted signers; one enabled without items defers to the other.
	if kg := &b.TrustedKeyGroups; kg.Enabled && (len(kg.Items) > 0 || !b.TrustedSigners.Enabled) {
		err = c.v.Load().VerifyKeyGroups(q, kg)
	} else {
		var buf [4]string
		signers := buf[:0]
		for _, s := range b.TrustedSigners.Items {
			if s == cloudfront.SelfSigner {
				if d == nil || d.AccountID == "" {
					continue
				}
				s = d.AccountID
			}
			signers = append(signers, s)
		}
		err = c.v.Load().Verify(q, signers)
	}
	if err != nil {
		code := CodeOf(err)
		c.log.Debug("signedurl: refused", "host", q.Host, "path", q.Path, "code", string(code), "err", err)
		return code.Status(), code.Body(), false
	}
	return 0, nil, true
}

// RequestFrom describes r, which arrived at now, for path (the path the
// edge serves for r, not necessarily the one r spells): the scheme from
// r.TLS, the Host as sent, the raw query, the TCP peer and, when the query
// has no signing parameters, the signed cookies.
func RequestFrom(r *http.Request, path string, now time.Time) Request {
	q := Request{Scheme: "http", Host: r.Host, Path: path, Time: now}
	if r.TLS != nil {
		q.Scheme = "https"
	}
	uri := r.RequestURI
	if uri == "" || uri[0] != '/' {
		uri = r.URL.RequestURI()
	}
	_, q.RawQuery, _ = strings.Cut(uri, "?")
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		q.Peer = ap.Addr().Unmap()
	} else if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		q.Peer = a.Unmap()
	}
	if !querySigned(q.RawQuery) {
		q.Cookies = CookieParams(r)
	}
	return q
}

// WrapApplier returns a feed.Applier that gives c each snapshot's key
// pairs and then applies the snapshot to next (the edge). The keys change
// first so that a deactivated key stops working no later than the
// distributions that go with it.
func WrapApplier(next feed.Applier, c *Checker) feed.Applier {
	return applier{next: next, c: c}
}

type applier struct {
	next feed.Applier
	c    *Checker
}

func (a applier) Apply(s *feed.Snapshot, invalidations []cloudfront.Invalidation) error {
	if s != nil {
		a.c.Update(s.KeyPairs)
	}
	return a.next.Apply(s, invalidations)
}
