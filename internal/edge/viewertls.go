package edge

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/openfront/openfront/internal/certs"
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

// apply rebuilds the selector's sites from snap. A distribution's own
// DomainName always gets the default certificate (CloudFront's
// *.cloudfront.net one); its CNAMEs get its imported certificate and
// security policy. A certificate that is missing, not the distribution
// owner's or unreadable leaves the CNAMEs on the default certificate:
// viewers see a name mismatch rather than another tenant's certificate.
func (v *viewerTLS) apply(s *Server, snap *feed.Snapshot) {
	byARN := make(map[string]*certs.Parsed, len(snap.Certificates))
	next := make(map[string]parsedCert, len(snap.Certificates))
	for _, c := range snap.Certificates {
		if was, ok := v.parsed[c.ARN]; ok && was.src == c {
			next[c.ARN] = was
			byARN[c.ARN] = was.p
			continue
		}
		p, err := certs.Parse([]byte(c.CertificatePEM), []byte(c.PrivateKeyPEM), []byte(c.ChainPEM))
		if err != nil {
			s.log.Warn("viewer certificate unusable; its distributions get the default certificate", "arn", c.ARN, "err", err)
			continue
		}
		next[c.ARN] = parsedCert{src: c, p: p}
		byARN[c.ARN] = p
	}
	v.parsed = next
	owner := make(map[string]string, len(snap.Certificates))
	for _, c := range snap.Certificates {
		owner[c.ARN] = c.AccountID
	}
	sites := make([]certs.Site, 0, 2*len(snap.Distributions))
	for _, d := range snap.Distributions {
		hv := d.Config.HTTPVersion
		sites = append(sites, certs.Site{Names: []string{d.DomainName}, HTTPVersion: hv})
		if len(d.Config.Aliases) == 0 {
			continue
		}
		alias := certs.Site{Names: d.Config.Aliases, HTTPVersion: hv}
		if vc := d.Config.ViewerCertificate; vc != nil && vc.ACMCertificateARN != "" {
			p := byARN[vc.ACMCertificateARN]
			pol, err := certs.PolicyFor(vc.MinimumProtocolVersion)
			switch {
			case p == nil || owner[vc.ACMCertificateARN] != d.AccountID:
				s.log.Warn("distribution's certificate is not on this edge; its CNAMEs get the default certificate", "distribution", d.ID, "arn", vc.ACMCertificateARN)
			case err != nil:
				s.log.Warn("distribution's security policy is unknown; its CNAMEs get the default certificate", "distribution", d.ID, "err", err)
			default:
				alias.Cert, alias.Policy = &p.TLS, pol
			}
		}
		sites = append(sites, alias)
	}
	v.sel.Set(sites)
}
