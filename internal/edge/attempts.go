package edge

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// DefaultConnectionAttempts is CloudFront's default ConnectionAttempts:
// at most three tries to reach the origin per request (its developer
// guide, "Origin connection timeout and attempts" and "Origin response
// timeout").
const DefaultConnectionAttempts = 3

// errAttemptsExhausted ends a fetch that used up its connection attempts.
var errAttemptsExhausted = errors.New("edge: origin connection attempts exhausted")

// attempts is the connection-attempt budget of one origin fetch. An
// attempt is a connection the request is sent on (fresh or reused from the
// pool) or a dial that failed. net/http retries a GET by itself on every
// reused connection that breaks before answering, so with a pool of dead
// keep-alive connections one request could reach the origin dozens of
// times; counting in the transport's GotConn hook sees those retries too.
type attempts struct {
	limit  int32
	n      atomic.Int32
	cancel context.CancelCauseFunc // of the fetch's context
}

type attemptsKey struct{}

func newAttempts(limit int, cancel context.CancelCauseFunc) *attempts {
	return &attempts{limit: int32(limit), cancel: cancel}
}

// context returns ctx carrying the budget to the transport's hooks.
func (a *attempts) context(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, attemptsKey{}, a)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: a.gotConn})
}

// gotConn runs before the transport writes the request on a connection.
// Past the budget it closes that connection, so that nothing is written
// on it, and cancels the fetch, so that the transport stops retrying.
func (a *attempts) gotConn(info httptrace.GotConnInfo) {
	if a.n.Add(1) > a.limit {
		info.Conn.Close()
		a.cancel(errAttemptsExhausted)
	}
}

func (a *attempts) used() int32 { return min(a.n.Load(), a.limit) }
func (a *attempts) left() bool  { return a.n.Load() < a.limit }

// budgetedDial refuses to dial for a request whose budget is spent, and
// counts a failed dial as an attempt.
func budgetedDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		a, _ := ctx.Value(attemptsKey{}).(*attempts)
		if a != nil && !a.left() {
			return nil, errAttemptsExhausted
		}
		c, err := dial(ctx, network, addr)
		if err != nil && a != nil {
			a.n.Add(1)
		}
		return c, err
	}
}

// roundTrip sends o to its origin, trying again after a failure that came
// before any response (refused or dropped connection, timeout) until the
// budget is spent. ctx must come from a.context. A request without a body
// is safe to send again; one with a body only while no byte of the body
// was read.
func (s *Server) roundTrip(ctx context.Context, a *attempts, o *originRequest) (*http.Response, error) {
	t := s.transportFor(o.g)
	for {
		req, err := s.newOriginRequest(ctx, o)
		if err != nil {
			return nil, err
		}
		before := a.n.Load()
		resp, err := t.RoundTrip(req)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		if errors.Is(err, errForbiddenOrigin) || errors.Is(err, errAttemptsExhausted) {
			return nil, err
		}
		if a.n.Load() == before {
			// A connection that was dialled but never handed over (its TLS
			// handshake failed or timed out) is an attempt too; without
			// this a refused handshake would be tried forever.
			a.n.Add(1)
		}
		if !a.left() {
			return nil, err
		}
		if o.body != nil && o.body.read.Load() {
			return nil, err
		}
	}
}
