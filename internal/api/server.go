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
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/semaphore"

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

// DefaultMaxUnverifiedBytes bounds the bytes held, across all requests at
// once, of bodies whose sender is not yet authenticated: SigV4 requests
// without X-Amz-Content-Sha256 (as the AWS SDKs send them to CloudFront),
// whose signature covers the body's hash. 16 bodies of the largest size;
// the API's own requests are a few KB, so this is many hundreds of
// concurrent SDK requests, while 1,000 attackers who know an access key id
// (not its secret) cannot make the server hold more than this.
const DefaultMaxUnverifiedBytes = 16 * DefaultMaxBody

// DefaultUnverifiedBodyTimeout is how long a body whose sender is not yet
// authenticated may take to arrive: its bytes hold the shared budget
// meanwhile, so a trickling sender must let go well before the server's
// one-minute read timeout. 10 s is 100 KiB/s for the largest body; the
// API's bodies are a few KB.
const DefaultUnverifiedBodyTimeout = 10 * time.Second

// Server is the API's HTTP handler.
type Server struct {
	Service  *controlplane.Service
	Verifier *auth.Verifier
	Logger   *slog.Logger
	// MaxBody caps request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// MaxUnverifiedBytes caps the bytes of not yet authenticated bodies
	// held at once (see DefaultMaxUnverifiedBytes); 0 means the default.
	// Beyond it such requests get 503 ServiceUnavailable, which SDKs retry.
	// One access key may hold at most a quarter of it (and at least one
	// body), so a flood naming one key id cannot starve other tenants.
	MaxUnverifiedBytes int64
	// UnverifiedBodyTimeout bounds the time such a body may take; 0 means
	// DefaultUnverifiedBodyTimeout.
	UnverifiedBodyTimeout time.Duration
	// Registerer receives the API's metrics; nil means none.
	Registerer prometheus.Registerer

	mux        *http.ServeMux
	cloudFront apiKind // API 2012-07-01 and 2020-05-31
	keys       apiKind // the key value stores' keys API (keys.go)
	metrics    *metrics
	unverified *semaphore.Weighted
	perKeyMax  int64
	perKeyMu   sync.Mutex
	perKey     map[string]int64 // unverified bytes held, by access key id
}

// request is what an operation handler gets: the authenticated account and
// the request, with its body already read.
type request struct {
	*http.Request
	account string
	body    []byte
	id      string // request id
	api     *apiKind
}

// apiKind is what differs between the APIs the server answers: who signs
// for it, how large a body may be, and how errors are written.
type apiKind struct {
	verifier *auth.Verifier
	maxBody  int64
	// writeError writes err, a *cloudfront.Error, in the API's form.
	writeError func(w http.ResponseWriter, r *request, err *cloudfront.Error)
}

// reply is an operation's successful answer.
type reply struct {
	status   int
	body     []byte // encoded XML, or nil for 204
	etag     string
	location string
	// contentType is the body's when it is not XML (GetFunction's code).
	contentType string
	// etagAlso names one more header that carries etag: UpdateFunction's
	// model spells it ETtag, and the Go and JS SDKs read only that one.
	etagAlso string
}

type opFunc func(ctx context.Context, r *request) (reply, error)

// Handler returns the http.Handler for the API.
func (s *Server) Handler() http.Handler {
	s.mux = http.NewServeMux()
	s.metrics = newMetrics(s.Registerer)
	maxUnverified := s.MaxUnverifiedBytes
	if maxUnverified <= 0 {
		maxUnverified = DefaultMaxUnverifiedBytes
	}
	// Room for at least one of the largest bodies either API takes.
	largest := max(s.maxBody(), maxKeysBody)
	maxUnverified = max(maxUnverified, largest)
	s.unverified = semaphore.NewWeighted(maxUnverified)
	s.perKeyMax = max(maxUnverified/4, s.maxBody())
	s.perKey = map[string]int64{}
	s.cloudFront = apiKind{verifier: s.Verifier, maxBody: s.maxBody(), writeError: writeXMLError}
	s.keys = apiKind{verifier: s.keysVerifier(), maxBody: maxKeysBody, writeError: writeJSONError}
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

// handle wraps an operation: request id, authentication from the headers,
// the bounded body, the rest of authentication, then one writer for the
// answer. No byte of the body is read before the headers name a usable
// key, so an anonymous client costs a header parse, however much it sends.
func (s *Server) handle(name string, op opFunc) http.HandlerFunc {
	return s.handleAPI(&s.cloudFront, name, op)
}

// handleAPI is handle for one of the server's APIs.
func (s *Server) handleAPI(api *apiKind, name string, op opFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rc := http.NewResponseController(w)
		req := &request{Request: r, id: cloudfront.NewRequestID(), api: api}
		sw := &statusWriter{ResponseWriter: w}
		w = sw
		defer func() { s.metrics.observe(name, sw.status, time.Since(start)) }()
		pending, err := api.verifier.VerifyHeaders(r)
		if err != nil {
			s.refuseUnread(w, req, err)
			return
		}
		if r.ContentLength > api.maxBody {
			s.refuseUnread(w, req, tooLarge(api.maxBody))
			return
		}
		if !pending.Verified() {
			// The signature covers the body: hold it against the shared
			// budget until it is checked.
			n := r.ContentLength
			if n < 0 {
				n = api.maxBody // chunked: as much as it may grow to
			}
			release, ok := s.holdUnverified(pending.AccessKeyID(), n)
			if !ok {
				s.refuseUnread(w, req, cloudfront.Errorf(cloudfront.ServiceUnavailable,
					"Too many requests are waiting for their signature to be checked. Retry, or send X-Amz-Content-Sha256."))
				return
			}
			defer release()
			timeout := s.UnverifiedBodyTimeout
			if timeout <= 0 {
				timeout = DefaultUnverifiedBodyTimeout
			}
			rc.SetReadDeadline(time.Now().Add(timeout))
		}
		body, err := readBody(w, r, api.maxBody)
		if err != nil {
			var over *http.MaxBytesError
			if errors.As(err, &over) {
				s.writeError(w, req, tooLarge(api.maxBody))
				return
			}
			s.writeError(w, req, cloudfront.Errorf(cloudfront.InvalidArgument, "The request body could not be read."))
			return
		}
		req.body = body
		cred, err := pending.VerifyBody(body)
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

// holdUnverified takes n bytes of the unverified budget for the access key
// keyID, if both the key's share and the whole have room.
func (s *Server) holdUnverified(keyID string, n int64) (release func(), ok bool) {
	s.perKeyMu.Lock()
	defer s.perKeyMu.Unlock()
	// A key that holds nothing may always send one body (a keys API body
	// may be larger than its share).
	if held := s.perKey[keyID]; held > 0 && held+n > s.perKeyMax || !s.unverified.TryAcquire(n) {
		return nil, false
	}
	s.perKey[keyID] += n
	return func() {
		s.perKeyMu.Lock()
		if s.perKey[keyID] -= n; s.perKey[keyID] <= 0 {
			delete(s.perKey, keyID)
		}
		s.perKeyMu.Unlock()
		s.unverified.Release(n)
	}, true
}

// readBody reads the body, at most maxBody bytes. A stated Content-Length
// (already checked against maxBody) is read into a buffer of that size, so
// a body costs its size and not the doubling garbage of io.ReadAll.
func readBody(w http.ResponseWriter, r *http.Request, maxBody int64) ([]byte, error) {
	if r.ContentLength < 0 {
		return io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	}
	body := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(r.Body, body); err != nil {
		return nil, err
	}
	return body, nil
}

func tooLarge(maxBody int64) error {
	return cloudfront.Errorf(cloudfront.RequestEntityTooLarge, "The request body is larger than %d bytes.", maxBody)
}

// refuseUnread answers before the body is read. Connection: close tells
// net/http not to drain what the client is still sending (it would read up
// to 256 KiB to keep the connection), and a client that sent Expect:
// 100-continue never sends it at all.
func (s *Server) refuseUnread(w http.ResponseWriter, r *request, err error) {
	if r.ContentLength != 0 {
		w.Header().Set("Connection", "close")
	}
	s.writeError(w, r, err)
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
		if rep.etagAlso != "" {
			h[rep.etagAlso] = []string{rep.etag}
		}
	}
	if rep.location != "" {
		h.Set("Location", rep.location)
	}
	if rep.body != nil {
		ct := rep.contentType
		if ct == "" {
			ct = "text/xml"
		}
		h.Set("Content-Type", ct)
		h.Set("Content-Length", itoa(len(rep.body)))
	}
	w.WriteHeader(rep.status)
	if rep.body != nil && r.Method != http.MethodHead {
		w.Write(rep.body)
	}
}

// writeError sends the request's API's error. Errors that are not
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
	r.api.writeError(w, r, cfErr)
}

// writeXMLError sends CloudFront's XML error body.
func writeXMLError(w http.ResponseWriter, r *request, cfErr *cloudfront.Error) {
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
