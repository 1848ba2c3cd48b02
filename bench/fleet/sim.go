package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/openfront/openfront/internal/feed"
)

// simEdge follows the feed like an edge, with the feed package's protocol
// (paths, request and delta types, validation of a delta against its
// poll), but keeps no snapshot: it acknowledges each revision it receives
// as applied, by its next poll when the control plane says polls
// acknowledge (as feed.Client does), else by a separate ack. feed.Client keeps and merges a whole snapshot per edge,
// which for 1,000 edges × 10,000 distributions would be tens of GB in
// one process; an edge's own cost is measured by the real edges instead.
//
// A simulated edge registers at the revision the control plane has when
// the fleet starts, as an edge restarting from its snapshot on disk does:
// otherwise each of 1,000 edges downloads a full snapshot first, which
// measures JSON encoding, not the feed.
type simEdge struct {
	base, auth, id string
	hc             *http.Client
	rev            atomic.Int64
	registered     atomic.Bool
	errors         atomic.Int64
	lastRequest    atomic.Int64 // Unix ns: heartbeats only after a period without requests, as feed.Client
}

func (e *simEdge) run(ctx context.Context, startRev int64) {
	e.rev.Store(startRev)
	pollWait := feed.DefaultPollWait
	pollAcks := false // the control plane takes the next poll as the ack
	go e.heartbeats(ctx)
	for ctx.Err() == nil {
		if !e.registered.Load() {
			var resp feed.RegisterResponse
			err := e.post(ctx, feed.PathRegister, feed.RegisterRequest{
				ProtocolVersion: feed.ProtocolVersion, ID: e.id, Name: e.id, PriceClass: "All", Revision: e.rev.Load(),
			}, &resp)
			if err != nil {
				e.fail(ctx)
				continue
			}
			pollAcks = resp.PollAcknowledges
			if resp.PollWaitMillis > 0 {
				pollWait = time.Duration(resp.PollWaitMillis) * time.Millisecond
			}
			e.registered.Store(true)
		}
		since := e.rev.Load()
		d, status, err := e.poll(ctx, since, pollWait)
		if status == http.StatusNotFound {
			e.registered.Store(false)
			continue
		}
		if err != nil {
			e.fail(ctx)
			continue
		}
		if !d.Full && d.Revision == since {
			continue
		}
		e.rev.Store(d.Revision)
		if pollAcks {
			continue // as feed.Client does: the next poll acknowledges
		}
		if err := e.post(ctx, feed.PathAck, feed.AckRequest{Edge: e.id, Revision: d.Revision}, nil); err != nil {
			e.fail(ctx) // heartbeats repeat the ack
		}
	}
}

func (e *simEdge) fail(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	e.errors.Add(1)
	t := time.NewTimer(100*time.Millisecond + rand.N(100*time.Millisecond))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (e *simEdge) heartbeats(ctx context.Context) {
	// Spread over the period, as edges started at different times are.
	t := time.NewTimer(rand.N(feed.DefaultHeartbeatEvery))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// As feed.Client: a heartbeat only when no request went out for a
		// period.
		if since := time.Since(time.Unix(0, e.lastRequest.Load())); since < feed.DefaultHeartbeatEvery {
			t.Reset(feed.DefaultHeartbeatEvery - since)
			continue
		}
		t.Reset(feed.DefaultHeartbeatEvery)
		if e.registered.Load() {
			e.post(ctx, feed.PathHeartbeat, feed.AckRequest{Edge: e.id, Revision: e.rev.Load()}, nil)
		}
	}
}

// simDelta is what a simulated edge decodes of a delta: the JSON decoder
// still reads and checks the whole body, but makes no records. Decoding
// every record, 1,000 simulated edges spent 1.3–1.5 of the machine's 2
// cores on it in the timed creates (work that 1,000 real edges do on
// CPUs of their own, which -mode real measures), and a change made just
// after a burst waited for their backlog: 0.9–1.7 s to Deployed.
type simDelta struct {
	From, Revision int64
	Full           bool
}

func (e *simEdge) poll(ctx context.Context, since int64, wait time.Duration) (*simDelta, int, error) {
	ctx, cancel := context.WithTimeout(ctx, wait+10*time.Second)
	defer cancel()
	q := url.Values{"since": {strconv.FormatInt(since, 10)}, "edge": {e.id}}
	var d simDelta
	status, err := e.do(ctx, http.MethodGet, feed.PathChanges+"?"+q.Encode(), nil, &d)
	if err != nil {
		return nil, status, err
	}
	if d.Revision < 0 || (!d.Full && d.From != since) {
		return nil, status, fmt.Errorf("delta from %d to %d answers a poll since %d", d.From, d.Revision, since)
	}
	return &d, status, nil
}

func (e *simEdge) post(ctx context.Context, path string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	status, err := e.do(ctx, http.MethodPost, path, b, out)
	if status == http.StatusNotFound {
		e.registered.Store(false)
	}
	return err
}

func (e *simEdge) do(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Edge "+e.auth)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	e.lastRequest.Store(time.Now().UnixNano())
	resp, err := e.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return resp.StatusCode, fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if out == nil {
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
}
