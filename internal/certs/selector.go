package certs

import (
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/openfront/openfront/internal/cowmap"
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
	// Key names the site across Updates. Of two sites that name the same
	// host, the one with the greater Key serves it.
	Key string
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

// table is an immutable name → config map, replaced by a new version
// (sharing most of it) at each change.
type table struct {
	names *cowmap.Map[*entry]
	nwild int // wildcard names in names
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

	// The writers' state, under mu: every site by key, the keys that name
	// each host, and the configs of the default certificate by ALPN list.
	mu     sync.Mutex
	sites  map[string]*siteState
	claims map[string][]string
	shared map[string]*entry
}

type siteState struct {
	names []string // lower-cased
	e     *entry
}

// NewSelector serves base (the default certificate) to names no site has
// and to ClientHellos without SNI.
func NewSelector(base *tls.Config) *Selector {
	s := &Selector{base: base.Clone(), sites: map[string]*siteState{}, claims: map[string][]string{}, shared: map[string]*entry{}}
	d := s.base.Clone()
	d.NextProtos = alpnH2
	s.def = newEntry(d, false)
	s.tab.Store(&table{names: cowmap.New[*entry](0)})
	return s
}

// Set replaces every site at once. Configs are built here, once per
// site, so a handshake costs a map lookup. A site without a Key is keyed
// by its place in sites: of two naming one host, the later wins.
func (s *Selector) Set(sites []Site) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sites = make(map[string]*siteState, len(sites))
	s.claims = make(map[string][]string, 2*len(sites))
	for i := range sites {
		site := sites[i]
		if site.Key == "" {
			site.Key = fmt.Sprintf("\xff%09d", i)
		}
		s.drop(site.Key)
		s.add(&site)
	}
	t := &table{names: cowmap.New[*entry](len(s.claims))}
	for n := range s.claims {
		s.resolve(t, n)
	}
	s.tab.Store(t)
}

// Update replaces the sites of put's keys (each needs a Key) and drops
// those of removed, keeping the others: its work follows the change, not
// the number of sites.
func (s *Selector) Update(put []Site, removed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var touched []string // names whose site may change
	for _, k := range removed {
		touched = append(touched, s.drop(k)...)
	}
	for i := range put {
		touched = append(touched, s.drop(put[i].Key)...)
		touched = append(touched, s.add(&put[i])...)
	}
	if len(touched) == 0 {
		return
	}
	old := s.tab.Load()
	t := &table{names: old.names.Edit(), nwild: old.nwild}
	for _, n := range touched {
		s.resolve(t, n)
	}
	s.tab.Store(t)
}

// drop forgets site k and returns its names. Called with mu held.
func (s *Selector) drop(k string) []string {
	st := s.sites[k]
	if st == nil {
		return nil
	}
	delete(s.sites, k)
	for _, n := range st.names {
		ks := s.claims[n]
		if i := slices.Index(ks, k); i >= 0 {
			ks = slices.Delete(ks, i, i+1)
		}
		if len(ks) == 0 {
			delete(s.claims, n)
		} else {
			s.claims[n] = ks
		}
	}
	return st.names
}

// add records site (whose key is not in use) and returns its names.
// Called with mu held.
func (s *Selector) add(site *Site) []string {
	st := &siteState{e: s.entryFor(site)}
	for _, n := range site.Names {
		n = strings.ToLower(n)
		if slices.Contains(st.names, n) {
			continue
		}
		st.names = append(st.names, n)
		s.claims[n] = append(s.claims[n], site.Key)
	}
	s.sites[site.Key] = st
	return st.names
}

// resolve gives name in t the config of the greatest key that names it,
// or none. Called with mu held, on an unpublished t.
func (s *Selector) resolve(t *table, name string) {
	_, had := t.names.Get(name)
	ks := s.claims[name]
	if len(ks) == 0 {
		if had {
			t.names.Delete(name)
			if isWildcard(name) {
				t.nwild--
			}
		}
		return
	}
	t.names.Set(name, s.sites[slices.Max(ks)].e)
	if !had && isWildcard(name) {
		t.nwild++
	}
}

func isWildcard(name string) bool { return strings.HasPrefix(name, "*.") }

// entryFor builds site's configs. Sites on the default certificate share
// one config per ALPN list. Called with mu held.
func (s *Selector) entryFor(site *Site) *entry {
	alpn := ALPN(site.HTTPVersion)
	h3 := HTTP3(site.HTTPVersion)
	if site.Cert == nil {
		key := fmt.Sprint(alpn, h3)
		e := s.shared[key]
		if e == nil {
			c := s.base.Clone()
			c.NextProtos = alpn
			e = newEntry(c, h3)
			s.shared[key] = e
		}
		return e
	}
	c := s.base.Clone()
	c.Certificates = []tls.Certificate{*site.Cert}
	c.GetCertificate = nil
	c.MinVersion = site.Policy.MinVersion
	c.MaxVersion = 0
	c.CipherSuites = site.Policy.CipherSuites
	c.NextProtos = alpn
	return newEntry(c, h3)
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
	if c, _ := t.names.Get(name); c != nil || t.nwild == 0 {
		return c
	}
	for i := strings.IndexByte(name, '.'); i >= 0; {
		if c, _ := t.names.Get("*" + name[i:]); c != nil {
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
