package certs

import (
	"crypto/tls"
	"strings"
	"sync/atomic"
)

// ALPN protocol lists by CloudFront HttpVersion. "http3" keeps HTTP/1.1
// over TCP: viewers find HTTP/3 through Alt-Svc and need a TCP protocol
// to learn of it.
var (
	alpnH2 = []string{"h2", "http/1.1"}
	alpnH1 = []string{"http/1.1"}
)

// ALPN returns the TLS ALPN list for a CloudFront HttpVersion ("" is the
// default, http2).
func ALPN(httpVersion string) []string {
	switch httpVersion {
	case "http1.1", "http3":
		return alpnH1
	}
	return alpnH2
}

// Site is what one distribution asks of TLS.
type Site struct {
	// Names are its DomainName and CNAMEs, wildcards as "*.example.com".
	Names []string
	// Cert is its imported certificate; nil serves the default one.
	Cert *tls.Certificate
	// Policy applies with Cert only: the default certificate keeps the
	// operator's settings, as CloudFront keeps TLSv1 for its default
	// certificate whatever MinimumProtocolVersion says.
	Policy      Policy
	HTTPVersion string
}

// table is an immutable name → config map, swapped whole.
type table struct {
	exact     map[string]*tls.Config
	wildcards bool
}

// Selector answers GetConfigForClient from the current table. The zero
// value is not usable: use NewSelector.
type Selector struct {
	base *tls.Config // the operator's: default certificate, versions, suites
	def  *tls.Config // base with the default ALPN list
	tab  atomic.Pointer[table]
}

// NewSelector serves base (the default certificate) to names no site has
// and to ClientHellos without SNI.
func NewSelector(base *tls.Config) *Selector {
	s := &Selector{base: base.Clone()}
	s.def = s.base.Clone()
	s.def.NextProtos = alpnH2
	s.tab.Store(&table{exact: map[string]*tls.Config{}})
	return s
}

// Set replaces every site at once. Configs are built here, once per
// snapshot, so a handshake costs a map lookup.
func (s *Selector) Set(sites []Site) {
	t := &table{exact: make(map[string]*tls.Config, len(sites))}
	// Sites on the default certificate share one config per ALPN list.
	shared := map[string]*tls.Config{}
	for i := range sites {
		site := &sites[i]
		alpn := ALPN(site.HTTPVersion)
		var c *tls.Config
		if site.Cert == nil {
			key := strings.Join(alpn, ",")
			if c = shared[key]; c == nil {
				c = s.base.Clone()
				c.NextProtos = alpn
				shared[key] = c
			}
		} else {
			c = s.base.Clone()
			c.Certificates = []tls.Certificate{*site.Cert}
			c.GetCertificate = nil
			c.MinVersion = site.Policy.MinVersion
			c.MaxVersion = 0
			c.CipherSuites = site.Policy.CipherSuites
			c.NextProtos = alpn
		}
		for _, n := range site.Names {
			n = strings.ToLower(n)
			if strings.HasPrefix(n, "*.") {
				t.wildcards = true
			}
			t.exact[n] = c
		}
	}
	s.tab.Store(t)
}

// GetConfigForClient is tls.Config.GetConfigForClient: the config of the
// site hello names (exact name first, then the nearest wildcard), else the
// default.
func (s *Selector) GetConfigForClient(hello *tls.ClientHelloInfo) (*tls.Config, error) {
	if c := s.lookup(hello.ServerName); c != nil {
		return c, nil
	}
	return s.def, nil
}

func (s *Selector) lookup(name string) *tls.Config {
	if name == "" {
		return nil
	}
	t := s.tab.Load()
	// Go lower-cases nothing in ServerName; hosts are case-insensitive.
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if c := t.exact[name]; c != nil || !t.wildcards {
		return c
	}
	for i := strings.IndexByte(name, '.'); i >= 0; {
		if c := t.exact["*"+name[i:]]; c != nil {
			return c
		}
		j := strings.IndexByte(name[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return nil
}

// Config is the listener's tls.Config: base with this selector choosing
// per ClientHello.
func (s *Selector) Config() *tls.Config {
	c := s.def.Clone()
	c.GetConfigForClient = s.GetConfigForClient
	return c
}
