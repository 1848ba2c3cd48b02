// Package api serves the CloudFront REST API, version 2012-07-01, over
// HTTP: routing, authentication, body limits and CloudFront's responses and
// errors. The operations themselves are controlplane.Service's.
package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/auth"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/wire/v20120701"
	"github.com/openfront/openfront/internal/wire/v20200531"
)

// DefaultMaxBody is the largest request body accepted. A distribution with
// every list at its limit is well under 100 KB; 1 MiB leaves room for
// raised limits.
const DefaultMaxBody = 1 << 20

// Server is the API's HTTP handler.
type Server struct {
	Service  *controlplane.Service
	Verifier *auth.Verifier
	Logger   *slog.Logger
	// MaxBody caps request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// Registerer receives the API's metrics; nil means none.
	Registerer prometheus.Registerer

	mux     *http.ServeMux
	metrics *metrics
}

// request is what an operation handler gets: the authenticated account and
// the request, with its body already read.
type request struct {
	*http.Request
	account string
	body    []byte
	id      string // request id
}

// reply is an operation's successful answer.
type reply struct {
	status   int
	body     []byte // encoded XML, or nil for 204
	etag     string
	location string
}

type opFunc func(ctx context.Context, r *request) (reply, error)

// Handler returns the http.Handler for the API.
func (s *Server) Handler() http.Handler {
	s.mux = http.NewServeMux()
	s.metrics = newMetrics(s.Registerer)
	s.routes()
	return s
}

func (s *Server) maxBody() int64 {
	if s.MaxBody > 0 {
		return s.MaxBody
	}
	return DefaultMaxBody
}

// ServeHTTP answers GET /date without authentication (clients use it to
// read the server's clock, spec §9) and dispatches everything else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/date" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusOK)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// handle wraps an operation: request id, body limit, authentication, then
// one writer for the answer.
func (s *Server) handle(name string, op opFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		req := &request{Request: r, id: cloudfront.NewRequestID()}
		sw := &statusWriter{ResponseWriter: w}
		w = sw
		defer func() { s.metrics.observe(name, sw.status, time.Since(start)) }()
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody()))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				s.writeError(w, req, cloudfront.Errorf(cloudfront.RequestEntityTooLarge,
					"The request body is larger than %d bytes.", s.maxBody()))
				return
			}
			s.writeError(w, req, cloudfront.Errorf(cloudfront.InvalidArgument, "The request body could not be read."))
			return
		}
		req.body = body
		cred, err := s.Verifier.Verify(r, body)
		if err != nil {
			s.writeError(w, req, err)
			return
		}
		req.account = cred.AccountID
		rep, err := op(r.Context(), req)
		if err != nil {
			s.writeError(w, req, err)
			return
		}
		s.write(w, req, rep)
	}
}

func setRequestID(h http.Header, id string) {
	// The documents name x-amz-request-id; the service was seen sending
	// x-amzn-RequestId. SDKs read either, so send both.
	h.Set("x-amz-request-id", id)
	h["x-amzn-RequestId"] = []string{id}
}

// write sends a successful answer whose body is fully encoded already.
func (s *Server) write(w http.ResponseWriter, r *request, rep reply) {
	h := w.Header()
	setRequestID(h, r.id)
	if rep.etag != "" {
		h.Set("ETag", rep.etag)
	}
	if rep.location != "" {
		h.Set("Location", rep.location)
	}
	if rep.body != nil {
		h.Set("Content-Type", "text/xml")
		h.Set("Content-Length", itoa(len(rep.body)))
	}
	w.WriteHeader(rep.status)
	if rep.body != nil && r.Method != http.MethodHead {
		w.Write(rep.body)
	}
}

// writeError sends CloudFront's XML error body. Errors that are not
// *cloudfront.Error are logged and answered as InternalError.
func (s *Server) writeError(w http.ResponseWriter, r *request, err error) {
	var cfErr *cloudfront.Error
	if !errors.As(err, &cfErr) {
		if errors.Is(err, context.Canceled) {
			return // the client is gone
		}
		if s.Logger != nil {
			s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "request_id", r.id, "err", err)
		}
		cfErr = cloudfront.NewError(cloudfront.InternalError)
	}
	body := v20120701.EncodeError(cfErr, r.id)
	if strings.HasPrefix(r.URL.Path, prefix2020+"/") {
		body = v20200531.EncodeError(cfErr, r.id) // the same body in 2020-05-31's namespace
	}
	h := w.Header()
	setRequestID(h, r.id)
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", itoa(len(body)))
	w.WriteHeader(cfErr.Status())
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
