package edge

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/openfront/openfront/internal/cloudfront"
)

// failover is an origin group: requests go to primary, and to secondary
// when primary answers one of codes or cannot be reached (developer
// guide, "Optimize high availability with CloudFront origin failover").
type failover struct {
	primary, secondary *origin
	codes              []int // FailoverCriteria/StatusCodes
}

// compileGroups resolves each origin group's members.
func compileGroups(gs []cloudfront.OriginGroup, origins map[string]*origin) (map[string]*failover, error) {
	if len(gs) == 0 {
		return nil, nil
	}
	m := make(map[string]*failover, len(gs))
	for _, g := range gs {
		if len(g.Members) != 2 || origins[g.Members[0]] == nil || origins[g.Members[1]] == nil {
			return nil, fmt.Errorf("origin group %q: members %q are not two origins", g.ID, g.Members)
		}
		m[g.ID] = &failover{primary: origins[g.Members[0]], secondary: origins[g.Members[1]], codes: slices.Clone(g.StatusCodes)}
	}
	return m, nil
}

// failoverMethod reports whether a viewer request with this method may go
// to the secondary origin: CloudFront fails over only GET, HEAD and
// OPTIONS, which are safe to send twice.
func failoverMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// send asks o's origin with a budget of limit connection attempts, and,
// for an origin group, the secondary origin (with its own budget) when
// the primary fails as the group says: a status in its criteria, or no
// response at all (refused, reset, timed out, attempts spent). It returns
// the attempts used; o.g is the origin that answered. cancel ends ctx,
// the fetch's context.
func (s *Server) send(ctx context.Context, cancel context.CancelCauseFunc, o *originRequest, limit int) (*http.Response, int32, error) {
	f := o.b.failover
	if f == nil || !failoverMethod(o.viewer.Method) {
		a := newAttempts(limit, cancel)
		resp, err := s.roundTrip(a.context(ctx), a, o)
		return resp, a.used(), err
	}
	// The primary's budget ends only its own tries, not the fetch.
	pctx, pcancel := context.WithCancelCause(ctx)
	a := newAttempts(limit, pcancel)
	resp, err := s.roundTrip(a.context(pctx), a, o)
	used := a.used()
	if err == nil && !slices.Contains(f.codes, resp.StatusCode) {
		return resp, used, nil
	}
	if o.body != nil && o.body.read.Load() {
		// The primary read the viewer's body (an OPTIONS with one): it
		// cannot be sent again, so the primary's answer stands.
		return resp, used, err
	}
	if err == nil {
		resp.Body.Close()
	}
	pcancel(nil)
	if ctx.Err() != nil {
		return nil, used, context.Cause(ctx)
	}
	s.log.Debug("origin group fails over", "primary", f.primary.id, "secondary", f.secondary.id, "err", err)
	o.g = f.secondary
	a2 := newAttempts(f.secondary.connectionAttempts, cancel)
	resp, err = s.roundTrip(a2.context(ctx), a2, o)
	return resp, used + a2.used(), err
}
