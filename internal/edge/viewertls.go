package edge

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/openfront/openfront/internal/certs"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// viewerTLSState is the Server's part for its HTTPS listener: nothing
// until TLSConfig is called, then a selector kept in step with every
// snapshot applied.
type viewerTLSState struct {
	mu   sync.Mutex
	last *feed.Snapshot // the latest applied
	v    *viewerTLS     // nil until TLSConfig
	// altSvc is the Alt-Svc value for distributions with HTTP/3, nil
	// until HTTP3Config.
	altSvc atomic.Pointer[[]string]
}

// viewerTLS keeps the edge's certificate selector in step with the
// snapshot. Certificates are parsed once per content, not per Apply.
type viewerTLS struct {
	sel    *certs.Selector
	parsed map[string]parsedCert // by ARN
	// applied is the snapshot the selector has; sorted, that its
	// distributions are in id order, as feed.Changes needs.
	applied *feed.Snapshot
	sorted  bool
	// users are the ids of the distributions whose CNAMEs name each
	// certificate, by ARN: those to rebuild when it changes.
	users map[string]map[string]bool
}

type parsedCert struct {
	src feed.Certificate
	p   *certs.Parsed
}

// TLSConfig returns the config of the edge's HTTPS listener: per
// ClientHello it picks the certificate, protocol versions, cipher suites
// and ALPN list of the distribution the SNI names. base is the operator's
// default: its certificate serves the distributions' own names, names no
// distribution has and ClientHellos without SNI. The first call's base
// stays.
func (s *Server) TLSConfig(base *tls.Config) *tls.Config {
	st := &s.tls
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.v == nil {
		st.v = &viewerTLS{sel: certs.NewSelector(base), parsed: map[string]parsedCert{}}
		if st.last != nil {
			st.v.apply(s, st.last)
		}
	}
	return st.v.sel.Config()
}

// HTTP3Config returns the config of the edge's QUIC listener on UDP port
// port (see certs.Selector.HTTP3Config) and from then on advertises it
// (Alt-Svc) in HTTPS answers of distributions with HTTP/3.
func (s *Server) HTTP3Config(base *tls.Config, port int) *tls.Config {
	s.TLSConfig(base)
	v := []string{fmt.Sprintf(`h3=":%d"; ma=86400`, port)}
	s.tls.altSvc.Store(&v)
	return s.tls.v.sel.HTTP3Config()
}

func (s *Server) advertiseHTTP3(w http.ResponseWriter) {
	if v := s.tls.altSvc.Load(); v != nil {
		w.Header()["Alt-Svc"] = *v
	}
}

func (s *Server) applyViewerTLS(snap *feed.Snapshot) {
	st := &s.tls
	st.mu.Lock()
	defer st.mu.Unlock()
	st.last = snap
	if st.v != nil {
		st.v.apply(s, snap)
	}
}

// apply brings the selector to snap. A distribution's own DomainName
// always gets the default certificate (CloudFront's *.cloudfront.net
// one); its CNAMEs get its imported certificate and security policy. A
// certificate that is missing, not the distribution owner's or
// unreadable leaves the CNAMEs on the default certificate: viewers see a
// name mismatch rather than another tenant's certificate.
//
// Every revision reaches every edge, mostly one change among thousands
// of distributions: only the sites of the distributions whose record
// changed (feed.Merge shares the others) or whose certificate changed
// are rebuilt.
func (v *viewerTLS) apply(s *Server, snap *feed.Snapshot) {
	if v.applied != nil && v.sorted {
		if changes, ok := feed.Changes(v.applied.Distributions, snap.Distributions); ok {
			v.update(s, snap, changes)
			return
		}
	}
	v.parseCertificates(s, snap)
	v.users = map[string]map[string]bool{}
	sites := make([]certs.Site, 0, 2*len(snap.Distributions))
	for _, d := range snap.Distributions {
		v.use(d, true)
		dom, alias, ok := v.sites(s, d)
		sites = append(sites, dom)
		if ok {
			sites = append(sites, alias)
		}
	}
	v.sel.Set(sites)
	v.applied, v.sorted = snap, feed.SortedByID(snap.Distributions)
}

// update is apply for a snapshot whose distributions differ from the
// applied one's by changes.
func (v *viewerTLS) update(s *Server, snap *feed.Snapshot, changes []feed.Change) {
	// Distributions whose record is unchanged but whose certificate is
	// not: imported, replaced or deleted.
	redo := map[string]bool{}
	if !slices.Equal(v.applied.Certificates, snap.Certificates) {
		for _, arn := range changedCertificates(v.applied.Certificates, snap.Certificates) {
			for id := range v.users[arn] {
				redo[id] = true
			}
		}
		v.parseCertificates(s, snap)
	}
	var put []certs.Site
	var removed []string
	add := func(d *cloudfront.Distribution) {
		dom, alias, ok := v.sites(s, d)
		put = append(put, dom)
		if ok {
			put = append(put, alias)
		} else {
			removed = append(removed, aliasSiteKey(d.ID))
		}
	}
	for _, c := range changes {
		if c.Was != nil {
			v.use(c.Was, false)
			delete(redo, c.Was.ID)
		}
		if c.Now == nil {
			removed = append(removed, domainSiteKey(c.Was.ID), aliasSiteKey(c.Was.ID))
			continue
		}
		v.use(c.Now, true)
		delete(redo, c.Now.ID)
		add(c.Now)
	}
	ds := snap.Distributions
	for id := range redo {
		i, found := slices.BinarySearchFunc(ds, id, func(d *cloudfront.Distribution, id string) int { return strings.Compare(d.ID, id) })
		if found {
			add(ds[i])
		}
	}
	v.sel.Update(put, removed)
	v.applied = snap
}

// use records (or forgets) that d's CNAMEs name their certificate.
func (v *viewerTLS) use(d *cloudfront.Distribution, on bool) {
	vc := d.Config.ViewerCertificate
	if len(d.Config.Aliases) == 0 || vc == nil || vc.ACMCertificateARN == "" {
		return
	}
	ids := v.users[vc.ACMCertificateARN]
	switch {
	case on && ids == nil:
		v.users[vc.ACMCertificateARN] = map[string]bool{d.ID: true}
	case on:
		ids[d.ID] = true
	default:
		delete(ids, d.ID)
		if len(ids) == 0 {
			delete(v.users, vc.ACMCertificateARN)
		}
	}
}

// changedCertificates are the ARNs whose certificate differs between was
// and now, or that only one has.
func changedCertificates(was, now []feed.Certificate) []string {
	old := make(map[string]feed.Certificate, len(was))
	for _, c := range was {
		old[c.ARN] = c
	}
	var arns []string
	for _, c := range now {
		if o, ok := old[c.ARN]; !ok || o != c {
			arns = append(arns, c.ARN)
		}
		delete(old, c.ARN)
	}
	for arn := range old {
		arns = append(arns, arn)
	}
	return arns
}

// Site keys: a distribution's own name, then its CNAMEs, in id order,
// so that of two sites naming one host the later in the snapshot wins.
func domainSiteKey(id string) string { return id + "/0" }
func aliasSiteKey(id string) string  { return id + "/1" }

// parseCertificates parses snap's certificates, reusing those parsed
// before.
func (v *viewerTLS) parseCertificates(s *Server, snap *feed.Snapshot) {
	next := make(map[string]parsedCert, len(snap.Certificates))
	for _, c := range snap.Certificates {
		if was, ok := v.parsed[c.ARN]; ok && was.src == c {
			next[c.ARN] = was
			continue
		}
		p, err := certs.Parse([]byte(c.CertificatePEM), []byte(c.PrivateKeyPEM), []byte(c.ChainPEM))
		if err != nil {
			s.log.Warn("viewer certificate unusable; its distributions get the default certificate", "arn", c.ARN, "err", err)
			continue
		}
		next[c.ARN] = parsedCert{src: c, p: p}
	}
	v.parsed = next
}

// sites are d's two sites: its DomainName's, and its CNAMEs' (ok false
// when it has none).
func (v *viewerTLS) sites(s *Server, d *cloudfront.Distribution) (dom, alias certs.Site, ok bool) {
	hv := d.Config.HTTPVersion
	dom = certs.Site{Key: domainSiteKey(d.ID), Names: []string{d.DomainName}, HTTPVersion: hv}
	if len(d.Config.Aliases) == 0 {
		return dom, alias, false
	}
	alias = certs.Site{Key: aliasSiteKey(d.ID), Names: d.Config.Aliases, HTTPVersion: hv}
	if vc := d.Config.ViewerCertificate; vc != nil && vc.ACMCertificateARN != "" {
		pc, parsed := v.parsed[vc.ACMCertificateARN]
		pol, err := certs.PolicyFor(vc.MinimumProtocolVersion)
		switch {
		case !parsed || pc.src.AccountID != d.AccountID:
			s.log.Warn("distribution's certificate is not on this edge; its CNAMEs get the default certificate", "distribution", d.ID, "arn", vc.ACMCertificateARN)
		case err != nil:
			s.log.Warn("distribution's security policy is unknown; its CNAMEs get the default certificate", "distribution", d.ID, "err", err)
		default:
			alias.Cert, alias.Policy = &pc.p.TLS, pol
		}
	}
	return dom, alias, true
}
