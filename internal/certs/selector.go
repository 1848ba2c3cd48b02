package certs

import (
	"crypto/tls"
	"errors"
	"fmt"
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

// HTTP3 reports whether a CloudFront HttpVersion offers HTTP/3.
func HTTP3(httpVersion string) bool {
	return httpVersion == "http3" || httpVersion == "http2and3"
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
	exact     map[string]*entry
	wildcards bool
}

// entry is a site's config and its twin without h2 for clients that cannot
// reach TLS 1.2: HTTP/2 forbids older versions (RFC 9113 §9.2), and Go's
// HTTP/2 server hangs up on them, so such a viewer gets HTTP/1.1 instead.
type entry struct {
	full, legacy *tls.Config
	h3           bool // HttpVersion http3 or http2and3
}

func newEntry(c *tls.Config, h3 bool) *entry {
	e := &entry{full: c, legacy: c, h3: h3}
	if len(c.NextProtos) > 0 && c.NextProtos[0] == "h2" {
		e.legacy = c.Clone()
		e.legacy.NextProtos = alpnH1
	}
	return e
}

func (e *entry) pick(hello *tls.ClientHelloInfo) *tls.Config {
	for _, v := range hello.SupportedVersions {
		if v >= tls.VersionTLS12 {
			return e.full
		}
	}
	return e.legacy
}

// Selector answers GetConfigForClient from the current table. The zero
// value is not usable: use NewSelector.
type Selector struct {
	base *tls.Config // the operator's: default certificate, versions, suites
	def  *entry      // base with the default ALPN list
	tab  atomic.Pointer[table]
}

// NewSelector serves base (the default certificate) to names no site has
// and to ClientHellos without SNI.
func NewSelector(base *tls.Config) *Selector {
	s := &Selector{base: base.Clone()}
	d := s.base.Clone()
	d.NextProtos = alpnH2
	s.def = newEntry(d, false)
	s.tab.Store(&table{exact: map[string]*entry{}})
	return s
}

// Set replaces every site at once. Configs are built here, once per
// snapshot, so a handshake costs a map lookup.
func (s *Selector) Set(sites []Site) {
	t := &table{exact: make(map[string]*entry, len(sites))}
	// Sites on the default certificate share one config per ALPN list.
	shared := map[string]*entry{}
	for i := range sites {
		site := &sites[i]
		alpn := ALPN(site.HTTPVersion)
		h3 := HTTP3(site.HTTPVersion)
		var e *entry
		if site.Cert == nil {
			key := fmt.Sprint(alpn, h3)
			if e = shared[key]; e == nil {
				c := s.base.Clone()
				c.NextProtos = alpn
				e = newEntry(c, h3)
				shared[key] = e
			}
		} else {
			c := s.base.Clone()
			c.Certificates = []tls.Certificate{*site.Cert}
			c.GetCertificate = nil
			c.MinVersion = site.Policy.MinVersion
			c.MaxVersion = 0
			c.CipherSuites = site.Policy.CipherSuites
			c.NextProtos = alpn
			e = newEntry(c, h3)
		}
		for _, n := range site.Names {
			n = strings.ToLower(n)
			if strings.HasPrefix(n, "*.") {
				t.wildcards = true
			}
			t.exact[n] = e
		}
	}
	s.tab.Store(t)
}

// GetConfigForClient is tls.Config.GetConfigForClient: the config of the
// site hello names (exact name first, then the nearest wildcard), else the
// default.
func (s *Selector) GetConfigForClient(hello *tls.ClientHelloInfo) (*tls.Config, error) {
	if e := s.lookup(hello.ServerName); e != nil {
		return e.pick(hello), nil
	}
	return s.def.pick(hello), nil
}

func (s *Selector) lookup(name string) *entry {
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
	c := s.def.full.Clone()
	c.GetConfigForClient = s.GetConfigForClient
	return c
}

// errNoHTTP3 fails a QUIC handshake for a name whose distribution does not
// offer HTTP/3 (or that no distribution has).
var errNoHTTP3 = errors.New("certs: HTTP/3 is not enabled for this name")

// HTTP3Config is the config of the edge's QUIC listener: like Config, but
// only names whose distribution has HttpVersion http3 or http2and3 get a
// handshake. Every security policy admits TLS 1.3, which QUIC requires,
// so MinimumProtocolVersion has nothing left to refuse here. The HTTP/3
// server sets the ALPN list itself.
func (s *Selector) HTTP3Config() *tls.Config {
	c := s.def.full.Clone()
	c.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		e := s.lookup(hello.ServerName)
		if e == nil || !e.h3 {
			return nil, errNoHTTP3
		}
		return e.full, nil
	}
	return c
}
