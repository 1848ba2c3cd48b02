package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// DefaultPollWait is how long a changes request waits for a new revision
// when Server.PollWait is zero.
const DefaultPollWait = 25 * time.Second

// Server is the control plane's side of the feed. Set the fields, then
// serve Handler; call Notify after every committed write that edges must
// see, and run Run to complete invalidations.
type Server struct {
	Store store.Store
	// Auth checks a request's credentials and returns the one edge they
	// may act as; an *httpError is answered with its status, any other
	// error with 401. Nil means the Authorization header "Edge
	// <keyID>:<secret>" checked against the store's edge keys, or "Edge
	// shared:<secret>" against Secret.
	Auth func(r *http.Request) (Identity, error)
	// Secret is the shared secret, which acts as SecretEdge only (the
	// embedded edge of serve); empty, or SecretEdge without an EdgeID,
	// disables it.
	Secret     string
	SecretEdge Identity
	// Timeout is how long an edge stays live after it was last seen;
	// zero means DefaultTimeout.
	Timeout time.Duration
	// PollWait is the longest a changes request is held open; zero means
	// DefaultPollWait or a quarter of Timeout, whichever is shorter.
	PollWait time.Duration
	// Logger nil means no logs.
	Logger *slog.Logger
	// Now nil means time.Now.
	Now func() time.Time
	// NotifyEvery is the quiet after which a change wakes the long polls
	// at once, and the shortest time between two wake-ups; zero means
	// DefaultNotifyEvery, negative means no wait (every change at once).
	NotifyEvery time.Duration
	// NotifyBusyEvery bounds how long a change is held while the feed is
	// busy (changes keep coming, or edges are still applying the last
	// delta): wake-ups then come busyFactor rounds apart, at most this
	// long; zero means DefaultNotifyBusyEvery. Never less than
	// NotifyEvery.
	NotifyBusyEvery time.Duration
	// Registerer, when set, gets the feed's counters (wake-ups, requests,
	// deltas and their bytes, store reads, flushes).
	Registerer prometheus.Registerer
	// FlushEvery is how long acknowledgements and heartbeats are held in
	// memory before one write stores them all; zero means
	// DefaultFlushEvery.
	FlushEvery time.Duration
	// RevisionCheckEvery is how often waiting long polls look at the
	// store's revision for writes of other nodes; zero means every
	// second, or every 10 s while a RevisionWatcher store (PostgreSQL's
	// NOTIFY) wakes this node itself, when the poll is only a safety net.
	RevisionCheckEvery time.Duration

	notify  notifier
	deltas  deltaCache
	metrics *metrics
	live    liveness
	head    atomic.Int64 // the highest store revision this node has read
	// listening: a RevisionWatcher wakes this node (Run started it).
	listening atomic.Bool
	keysMu    sync.Mutex
	keys      map[string]cachedKey // edge keys read, by id (edgeKey)
	acked     chan struct{}        // wakes Run after an ack; made by init
	once      sync.Once
}

func (s *Server) init() {
	s.once.Do(func() {
		s.acked = make(chan struct{}, 1)
		s.metrics = newMetrics(s.Registerer)
		s.notify.mu.Lock()
		s.notify.wakeups = s.metrics.wakeups.Inc
		s.notify.mu.Unlock()
	})
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Server) timeout() time.Duration {
	if s.Timeout <= 0 {
		return DefaultTimeout
	}
	return s.Timeout
}

// pollWait is PollWait, or by default the shorter of DefaultPollWait and
// a quarter of the edge timeout (3.75 s of 15): shorter than an edge's
// heartbeat period (DefaultHeartbeatEvery), so that an edge's polls come
// often enough to keep it live and its heartbeats are never due (the
// client sends one only when no request went out for a period). An idle
// fleet then sends an empty poll every few seconds per edge where it
// sent a heartbeat and a poll; what it saves is the heartbeats' separate
// requests, and with seenWriteEvery the writes.
func (s *Server) pollWait() time.Duration {
	if s.PollWait <= 0 {
		return min(DefaultPollWait, s.timeout()/4)
	}
	return s.PollWait
}

// Notify wakes every waiting long poll, which then reads the store. The
// control plane calls it after each committed write. A write that comes
// to an idle feed (NotifyEvery of quiet, no edge still applying) wakes
// them at once; while the feed is busy, writes are held and delivered
// together by the fleet's pace (see DefaultNotifyBusyEvery), so that each
// edge applies few large deltas rather than one per write.
func (s *Server) Notify() {
	quiet := s.NotifyEvery
	if quiet == 0 {
		quiet = DefaultNotifyEvery
	}
	quiet = max(quiet, 0)
	busy := s.NotifyBusyEvery
	if busy <= 0 {
		busy = DefaultNotifyBusyEvery
	}
	if s.NotifyEvery < 0 {
		busy = 0
	}
	s.notify.throttled(quiet, busy)
}

// Handler serves the feed protocol under PathPrefix.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathRegister, s.handle("register", s.register))
	mux.HandleFunc("GET "+PathChanges, s.handle("changes", s.changes))
	mux.HandleFunc("POST "+PathAck, s.handle("ack", s.ack))
	mux.HandleFunc("POST "+PathHeartbeat, s.handle("heartbeat", s.ack))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such feed operation: " + r.Method + " " + r.URL.Path})
	})
	return mux
}

// httpError is an error with the status it is answered with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// handle authenticates, runs h and writes its result or error: the one
// response path of the server.
func (s *Server) handle(op string, h func(r *http.Request, id Identity) (any, error)) http.HandlerFunc {
	m := s.counters()
	requests := m.requests.WithLabelValues(op)
	return func(w http.ResponseWriter, r *http.Request) {
		requests.Inc()
		id, err := s.authenticate(r)
		if err == nil {
			var v any
			if v, err = h(r, id); err == nil {
				if b, ok := v.(rawJSON); ok {
					m.deltas.Inc()
					m.deltaBytes.Add(float64(len(b)))
					writeBody(w, http.StatusOK, b)
					return
				}
				writeJSON(w, http.StatusOK, v)
				return
			}
		} else if !errors.As(err, new(*httpError)) {
			err = &httpError{status: http.StatusUnauthorized, msg: err.Error()}
		}
		var he *httpError
		if errors.As(err, &he) {
			switch he.status {
			case http.StatusUnauthorized:
				w.Header().Set("WWW-Authenticate", "Edge")
			case http.StatusForbidden:
				// A credential acting beyond its edge: the operator should know.
				s.logger().Warn("feed: refused", "path", r.URL.Path, "remote", r.RemoteAddr, "err", he.msg)
			}
			writeJSON(w, he.status, errorBody{Error: he.msg})
			return
		}
		if r.Context().Err() != nil {
			return // the edge went away
		}
		s.logger().Error("feed: request failed", "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: "internal error"})
	}
}

// writeJSON encodes first, so a failed encode never leaves half a 200.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"Error":"internal error"}`)
	}
	writeBody(w, status, b)
}

func writeBody(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "reading body: %v", err)
	}
	if len(b) > maxBody {
		return nil, errorf(http.StatusRequestEntityTooLarge, "body over %d bytes", maxBody)
	}
	return b, nil
}

func (s *Server) revision(ctx context.Context) (int64, error) {
	var rev int64
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		rev, err = tx.Revision()
		return err
	})
	if err == nil {
		s.sawRevision(rev)
	}
	return rev, err
}

// sawRevision raises head to rev.
func (s *Server) sawRevision(rev int64) {
	for {
		h := s.head.Load()
		if rev <= h || s.head.CompareAndSwap(h, rev) {
			return
		}
	}
}

func (s *Server) register(r *http.Request, id Identity) (any, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	req, err := DecodeRegister(body)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if err := id.allowsRegister(req); err != nil {
		return nil, err
	}
	now := s.now()
	var rev int64
	var stored store.Edge
	// Registration is written at once, not batched: from here on the
	// edge counts against Deployed on every node. flushMu keeps a batch
	// read before it from raising the revision it registers with.
	s.live.flushMu.Lock()
	defer s.live.flushMu.Unlock()
	err = s.Store.Update(r.Context(), func(tx store.Tx) error {
		if id.KeyID != "" {
			// The key may have been revoked since authenticate read it:
			// checked again here, a revoked key never brings its edge back.
			if _, err := tx.EdgeKey(id.KeyID); errors.Is(err, store.ErrNotFound) {
				return errorf(http.StatusUnauthorized, "%v", errBadCredentials)
			} else if err != nil {
				return err
			}
		}
		var err error
		if rev, err = tx.Revision(); err != nil {
			return err
		}
		if req.Revision > rev {
			// The edge holds a snapshot from a store that has been reset:
			// it has nothing of this store's yet.
			req.Revision = 0
		}
		e := store.Edge{ID: req.ID, Name: req.Name, PriceClass: req.PriceClass,
			Registered: now, LastSeen: now, AckedRevision: req.Revision}
		if old, err := tx.Edge(req.ID); err == nil {
			e.Registered = old.Registered
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		stored = e
		return tx.UpsertEdge(e)
	})
	if err != nil {
		return nil, err
	}
	s.registered(stored)
	s.sawRevision(rev)
	s.logger().Info("feed: edge registered", "edge", req.ID, "name", req.Name, "price_class", req.PriceClass, "revision", req.Revision)
	s.wakeRun()
	return RegisterResponse{ProtocolVersion: ProtocolVersion, Revision: rev, PollWaitMillis: s.pollWait().Milliseconds(),
		PollAcknowledges: true}, nil
}

// touch records a heartbeat and, when rev is above what the edge had
// acknowledged and not above the store's revision, an acknowledgement,
// in memory: Flush writes them in batches.
func (s *Server) touch(ctx context.Context, id string, rev int64) error {
	if rev > s.head.Load() {
		cur, err := s.revision(ctx)
		if err != nil {
			return err
		}
		if rev > cur {
			return errorf(http.StatusBadRequest, "revision %d is beyond the current revision %d", rev, cur)
		}
	}
	err := s.seen(ctx, id, rev)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "unknown edge %q: register first", id)
	}
	return err
}

// ack answers both POST ack and POST heartbeat: a heartbeat repeats the
// edge's applied revision, so either may be the one that acknowledges it.
func (s *Server) ack(r *http.Request, id Identity) (any, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	req, err := DecodeAck(body)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if err := id.allows(req.Edge); err != nil {
		return nil, err
	}
	if err := s.touch(r.Context(), req.Edge, req.Revision); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// changes is the long poll: it answers at once when the store is past
// since, else when Notify or the revision watcher wakes it, else after
// PollWait with an empty delta.
func (s *Server) changes(r *http.Request, ident Identity) (any, error) {
	q := r.URL.Query()
	since, err := strconv.ParseInt(q.Get("since"), 10, 64)
	if err != nil || since < 0 {
		return nil, errorf(http.StatusBadRequest, "since: want a revision >= 0")
	}
	id := q.Get("edge")
	if err := validEdgeID(id); err != nil {
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if err := ident.allows(id); err != nil {
		return nil, err
	}
	s.notify.polled(id)
	ctx := r.Context()
	// since is the revision the edge has applied and so acknowledges
	// (RegisterResponse.PollAcknowledges), unless it is beyond the store's
	// revision: the store was replaced, and the edge gets a full delta.
	ack := since
	if since > s.head.Load() {
		cur, err := s.revision(ctx)
		if err != nil {
			return nil, err
		}
		if since > cur {
			ack = 0
		}
	}
	deadline := time.NewTimer(s.pollWait())
	defer deadline.Stop()
	for {
		// Each wake-up checks the edge again (in memory): a flush that
		// finds it deleted broadcasts, and its poll ends with 404.
		if err := s.touch(ctx, id, ack); err != nil {
			return nil, err
		}
		wake, gen := s.notify.subscribe(s.watchRevision)
		body, err := s.deltas.get(ctx, gen, since, ack == since, func(ctx context.Context) (*Delta, int64, error) {
			s.counters().reads.Inc()
			return s.delta(ctx, since)
		})
		if err != nil || body != nil {
			s.notify.unsubscribe()
			if err != nil {
				return nil, err
			}
			s.notify.sent(id)
			return rawJSON(body), nil
		}
		s.notify.observe(since)
		select {
		case <-wake:
			s.notify.unsubscribe()
		case <-deadline.C:
			s.notify.unsubscribe()
			return &Delta{From: since, Revision: since}, nil
		case <-ctx.Done():
			s.notify.unsubscribe()
			return nil, ctx.Err()
		}
	}
}

// delta reads what changed after since in one consistent view, and the
// revision of that view; nil when nothing changed. since 0, or a since
// beyond the store's revision (the store was replaced), gets a Full delta.
func (s *Server) delta(ctx context.Context, since int64) (*Delta, int64, error) {
	var d *Delta
	var rev int64
	err := s.Store.View(ctx, func(tx store.Tx) error {
		d = nil
		var err error
		rev, err = tx.Revision()
		if err != nil {
			return err
		}
		s.sawRevision(rev)
		if rev == since {
			return nil
		}
		full := since == 0 || since > rev
		from := since
		if full {
			from = 0
		}
		out := &Delta{From: from, Revision: rev, Full: full}
		if out.Distributions, out.DeletedDistributions, err = tx.DistributionsChangedSince(from); err != nil {
			return err
		}
		kps, deletedKeys, err := tx.KeyPairsChangedSince(from)
		if err != nil {
			return err
		}
		out.KeyPairs = make([]KeyPair, len(kps))
		for i, k := range kps {
			out.KeyPairs[i] = KeyPair{ID: k.ID, AccountID: k.AccountID, PublicKeyPEM: k.PublicKeyPEM, Active: k.Active}
		}
		grants, deletedGrants, err := tx.BucketGrantsChangedSince(from)
		if err != nil {
			return err
		}
		for _, g := range grants {
			out.BucketGrants = append(out.BucketGrants, g.Grant)
		}
		if !full {
			out.DeletedBucketGrants = deletedGrants
		}
		certs, deletedCerts, err := tx.CertificatesChangedSince(from)
		if err != nil {
			return err
		}
		for _, c := range certs {
			out.Certificates = append(out.Certificates, Certificate{ARN: c.ARN, AccountID: c.AccountID,
				CertificatePEM: c.CertificatePEM, ChainPEM: c.ChainPEM, PrivateKeyPEM: c.PrivateKeyPEM})
		}
		if !full {
			out.DeletedCertificates = deletedCerts
		}
		stores, deletedStores, err := tx.KeyValueStoresChangedSince(from)
		if err != nil {
			return err
		}
		for _, k := range stores {
			out.KeyValueStores = append(out.KeyValueStores, KeyValueStore{ID: k.ID, AccountID: k.AccountID,
				Created: k.Config.Created, Modified: k.Config.Data.Modified, Items: k.Config.Data.Items})
		}
		if !full {
			out.DeletedKeyValueStores = deletedStores
		}
		if full {
			// A fresh edge has nothing cached to purge; it only needs the
			// invalidations still waiting for edges, so they can complete.
			out.DeletedDistributions, out.DeletedKeyPairs = nil, nil
			out.Invalidations, err = tx.InvalidationsWithStatus("", cloudfront.StatusInProgress)
		} else {
			out.DeletedKeyPairs = deletedKeys
			out.Invalidations, err = tx.InvalidationsChangedSince(from)
		}
		if err != nil {
			return err
		}
		d = out
		return nil
	})
	return d, rev, err
}
