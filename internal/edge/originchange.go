package edge

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edgefunc"
)

// Origin modification by a viewer-request function (cf.selectRequestOriginById,
// cf.createRequestOriginGroup, cf.updateRequestOrigin): the request goes
// to the origin the function chose, with the behaviour's recipe and cache
// key otherwise unchanged, as on CloudFront ("the cache key doesn't
// include the origin"). A changed origin is compiled for the request from
// the behaviour's origin with the function's settings over it, by the same
// rules as a configured one: an S3 origin is signed only for a bucket the
// distribution's account or OAI is granted, and a custom origin is dialled
// under the operator's origin policy (private addresses refused unless
// allowed).
//
// Not acted on (the edge has no such thing, or takes the operator's
// defaults): Origin Shield, SNI and allowed certificate names (TLS names
// the origin's host name, and its certificate must be valid for it), the
// response completion timeout, the IP address type; and a connection
// timeout, keep-alive or TLS versions that no configured origin uses
// (the request takes the default transport; its read timeout and
// connection attempts hold).

// withOrigin is b with the origin oc chose, for one request.
func (s *Server) withOrigin(d *dist, b *behavior, oc *edgefunc.OriginChange) (*behavior, error) {
	c := *b
	switch {
	case oc.SelectID != "":
		g, err := d.originByID(oc.SelectID, oc.SelectOverrides)
		if err != nil {
			return nil, err
		}
		c.origin, c.failover = g, nil
	case oc.Group != nil:
		p, err := d.originByID(oc.Group.Primary.ID, oc.Group.Primary.Overrides)
		if err != nil {
			return nil, err
		}
		sec, err := d.originByID(oc.Group.Secondary.ID, oc.Group.Secondary.Overrides)
		if err != nil {
			return nil, err
		}
		c.origin, c.failover = p, &failover{primary: p, secondary: sec, codes: slices.Clone(oc.Group.FailoverStatusCodes)}
	case oc.Update != nil:
		g, err := s.updatedOrigin(d, b.origin, oc.Update)
		if err != nil {
			return nil, err
		}
		// "If you update an origin that is part of an origin group, only
		// the primary origin of the origin group is updated."
		c.origin = g
		if b.failover != nil {
			c.failover = &failover{primary: g, secondary: b.failover.secondary, codes: b.failover.codes}
		}
	default:
		return b, nil
	}
	keyViewerAuth(&c)
	return &c, nil
}

// originByID is the distribution's origin id, with a host header
// override; an id the distribution does not have fails the function.
func (d *dist) originByID(id string, ov *edgefunc.OriginOverrides) (*origin, error) {
	for _, g := range d.origins {
		if g.id != id {
			continue
		}
		if ov == nil || ov.HostHeader == nil || g.s3 {
			return g, nil
		}
		g2 := *g
		g2.hostHeader = *ov.HostHeader
		return &g2, nil
	}
	return nil, &edgefunc.RunError{Kind: edgefunc.ErrValidation, Message: fmt.Sprintf("the distribution has no origin %q", id)}
}

// updatedOrigin compiles the origin the behaviour's origin g becomes with
// u's settings.
func (s *Server) updatedOrigin(d *dist, g *origin, u *edgefunc.OriginUpdate) (*origin, error) {
	i := slices.IndexFunc(d.src.Config.Origins, func(o cloudfront.Origin) bool { return o.ID == g.id })
	if i < 0 {
		return nil, &edgefunc.RunError{Kind: edgefunc.ErrValidation, Message: fmt.Sprintf("the distribution has no origin %q", g.id)}
	}
	o := cloneOrigin(d.src.Config.Origins[i])
	invalid := func(format string, args ...any) error {
		return &edgefunc.RunError{Kind: edgefunc.ErrValidation, Message: fmt.Sprintf(format, args...)}
	}
	if u.DomainName != nil {
		o.DomainName = *u.DomainName
	}
	if c := u.CustomOriginConfig; c != nil {
		// The origin is now reached as a custom origin, on the port and
		// protocol given.
		cc := &cloudfront.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly,
			OriginSSLProtocols: slices.Clone(c.SSLProtocols)}
		if o.Custom != nil {
			cc.OriginReadTimeout, cc.OriginKeepaliveTimeout = o.Custom.OriginReadTimeout, o.Custom.OriginKeepaliveTimeout
		} else if o.S3 != nil {
			cc.OriginReadTimeout = o.S3.OriginReadTimeout
		}
		if c.Protocol == "https" {
			cc.HTTPSPort, cc.OriginProtocolPolicy = c.Port, cloudfront.OriginHTTPSOnly
		} else {
			cc.HTTPPort = c.Port
		}
		o.Custom, o.S3 = cc, nil
		o.OriginAccessControlID, o.OriginAccessControl = "", nil
	}
	if o.S3 != nil && u.DomainName != nil && s.s3.endpoint == nil && !awsS3Host(o.DomainName) {
		// Without the operator's S3 endpoint an S3 origin's requests go to
		// its DomainName, which the control plane allows only under S3's
		// domains; a function may not send them elsewhere.
		return nil, invalid("%q is not an Amazon S3 endpoint; give customOriginConfig to reach another host", o.DomainName)
	}
	if u.OriginPath != nil {
		o.OriginPath = *u.OriginPath
	}
	if u.CustomHeaders != nil {
		o.CustomHeaders = nil
		for _, name := range slices.Sorted(maps.Keys(u.CustomHeaders)) {
			o.CustomHeaders = append(o.CustomHeaders, cloudfront.CustomHeader{Name: name, Value: u.CustomHeaders[name]})
		}
	}
	if u.ConnectionAttempts != nil {
		n := *u.ConnectionAttempts
		o.ConnectionAttempts = &n
	}
	if u.ConnectionTimeout != nil {
		n := int(u.ConnectionTimeout.Seconds())
		o.ConnectionTimeout = &n
	}
	if u.ReadTimeout != nil {
		n := int(u.ReadTimeout.Seconds())
		switch {
		case o.Custom != nil:
			o.Custom.OriginReadTimeout = &n
		case o.S3 != nil:
			o.S3.OriginReadTimeout = &n
		}
	}
	if u.KeepAliveTimeout != nil && o.Custom != nil {
		n := int(u.KeepAliveTimeout.Seconds())
		o.Custom.OriginKeepaliveTimeout = &n
	}
	if a := u.OriginAccessControlConfig; a != nil && o.S3 != nil {
		o.OriginAccessControlID, o.OriginAccessControl = "", nil
		if a.Enabled && a.OriginType == cloudfront.OACOriginS3 {
			// Signed as the distribution's account, under its grants
			// (compileOrigin), never the OAI's.
			o.OriginAccessControlID = "function"
			o.OriginAccessControl = &cloudfront.OriginAccessControlConfig{Name: "function", OriginType: cloudfront.OACOriginS3,
				SigningBehavior: a.SigningBehavior, SigningProtocol: a.SigningProtocol}
			o.S3.OriginAccessIdentity = ""
		}
	}
	ng := compileOrigin(o, d.src.AccountID, d.grants)
	if err := compileOriginSettings(ng, &o); err != nil {
		return nil, invalid("%v", err)
	}
	if u.HostHeader != nil && !ng.s3 {
		ng.hostHeader = *u.HostHeader
	}
	s.bindChanged(ng)
	return ng, nil
}

// awsS3Host reports whether host is under Amazon S3's domain.
func awsS3Host(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return strings.HasSuffix(h, ".amazonaws.com") && (strings.Contains(h, ".s3.") || strings.Contains(h, ".s3-"))
}

// cloneOrigin copies o deeply enough to change its settings.
func cloneOrigin(o cloudfront.Origin) cloudfront.Origin {
	if o.S3 != nil {
		s3 := *o.S3
		o.S3 = &s3
	}
	if o.Custom != nil {
		c := *o.Custom
		c.OriginSSLProtocols = slices.Clone(c.OriginSSLProtocols)
		o.Custom = &c
	}
	o.CustomHeaders = slices.Clone(o.CustomHeaders)
	return o
}

// bindChanged gives an origin a function changed its transport: the one
// a configured origin with the same settings uses, else the default (no
// transport is made per request, so functions cannot grow the set).
func (s *Server) bindChanged(g *origin) {
	k := g.conn.effective(s.opts.OriginTimeouts)
	g.readTimeout = k.read
	if g.s3 {
		// The operator's S3 endpoint, or S3's own hosts (updatedOrigin).
		g.transport = s.s3Transport
		return
	}
	s.transportsMu.Lock()
	t := s.transports[k]
	s.transportsMu.Unlock()
	if t == nil {
		t = s.transport
	}
	g.transport = t
}
