package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Client timing. Requests other than the long poll are small, so a short
// timeout finds a hung control plane quickly.
const (
	DefaultHeartbeatEvery = 5 * time.Second
	requestTimeout        = 10 * time.Second
	backoffMin            = 100 * time.Millisecond
	backoffMax            = 2 * time.Second
	maxDeltaBytes         = 1 << 30
)

// Client is the edge's side of the feed. It keeps the edge's snapshot on
// disk, so the edge serves from it at start and while the control plane
// is unreachable, and catches up when it answers again.
type Client struct {
	BaseURL string // the control plane's feed, e.g. "https://cp:8443"
	// HTTPClient nil means a client with http.DefaultTransport; for the
	// embedded edge of `serve`, use one whose Transport is HandlerTransport.
	HTTPClient *http.Client
	Auth       string // "keyID:secret" or "shared:secret"
	EdgeID     string
	Name       string
	PriceClass string // "100", "200", "All" or a PriceClass_ name
	// StateDir holds the snapshot file; empty means no file (no static
	// stability across restarts).
	StateDir string
	Applier  Applier
	// Logger nil means no logs.
	Logger *slog.Logger
	// HeartbeatEvery is the longest the client goes without a request
	// before it sends a heartbeat; zero means DefaultHeartbeatEvery. At
	// most a third of the server's Timeout (see seenWriteEvery).
	HeartbeatEvery time.Duration

	rev        atomic.Int64
	registered atomic.Bool
	restored   atomic.Bool // Restore ran; Run does not apply the disk snapshot again
	// restoredSnap is the snapshot Restore applied; Run merges onto it.
	restoredSnap *Snapshot
	// newestGood: the newest snapshot file is one this client wrote or
	// read back whole, so the next save may keep it as the previous one.
	// Never set, a bad newest file is overwritten and the previous kept.
	newestGood bool
	journal    journalState
	// journalLimit is the journal size at which the snapshot file is
	// rewritten; 0 means the default (defaultJournalLimit), negative
	// means at every revision (tests).
	journalLimit int64
	// journalSlack is defaultJournalLimit's factor, drawn at first use.
	journalSlack float64
	// lastRequest is when the last request to the control plane was sent
	// (Unix ns), which puts off the next heartbeat.
	lastRequest atomic.Int64
	// raw is the JSON of the snapshot's records as received (from the
	// deltas, or the snapshot file read at start), which the next
	// rewrite of the snapshot file writes rather than encoding them
	// again. Used by Run's goroutine only (Restore before it).
	raw rawRecords
}

// errUnknownEdge is the server forgetting the edge (404): register again.
var errUnknownEdge = errors.New("feed: edge unknown to the control plane")

// Revision is the revision of the snapshot the edge has applied.
func (c *Client) Revision() int64 { return c.rev.Load() }

func (c *Client) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

// Restore applies the snapshot on disk, if there is one, so that an edge
// serves its last configuration before it has heard from the control
// plane (static stability). Call it before the edge starts listening; Run
// calls it itself otherwise. It reports whether a snapshot was applied.
func (c *Client) Restore() bool {
	c.restored.Store(true)
	c.rev.Store(0)
	c.restoredSnap = nil
	c.raw = nil
	c.newestGood = false
	c.closeJournal()
	c.journal = journalState{}
	if c.Applier == nil {
		return false
	}
	log := c.logger()
	// The newest file, else the one it replaced: an edge whose newest
	// snapshot cannot be read serves its last good one, a little older,
	// and catches up from there.
	// The journal's records are replayed onto the newest file; the
	// previous file gets the records that led from it to the newest
	// file's revision (the previous journal) and then the journal's, so
	// that a bad newest file costs nothing when those are whole.
	journal := c.readJournal(journalFileName)
	for i, name := range []string{snapshotFileName, prevSnapshotFileName} {
		base, size, raw := c.loadSnapshot(name)
		if base == nil {
			continue
		}
		records := journal
		if i == 1 {
			records = append(c.readJournal(prevJournalFileName), journal...)
		}
		snap, good, clean, err := replayJournal(records, base)
		if err != nil {
			log.Warn("feed: the journal's records from here on are dropped", "file", journalFileName, "err", err,
				"revision", snap.Revision)
		}
		if err := c.Applier.Apply(snap, nil); err != nil {
			log.Error("feed: applying the snapshot on disk", "file", name, "revision", snap.Revision, "err", err)
			continue
		}
		c.rev.Store(snap.Revision)
		c.restoredSnap = snap
		c.raw = raw // base's records, which snap shares where the journal left them
		c.newestGood = i == 0
		c.journal = journalState{clean: i == 0 && clean, size: good, snapBytes: size}
		log.Info("feed: serving the snapshot on disk", "file", name, "revision", snap.Revision,
			"snapshot_revision", base.Revision)
		// Restoring peaks at several times what the snapshot keeps (the
		// file, its decoded list, each record's own copy, the journal):
		// the heap would keep that as its goal, resident, for as long as
		// the edge runs. Once, at start: bench/fleet -mode mem, 1,000
		// distributions, restarted edge 5.5-6.4 KiB RSS per
		// distribution before, 3.6-4.1 after.
		debug.FreeOSMemory()
		return true
	}
	return false
}

// readJournal is a journal file's content; none or unreadable is empty.
func (c *Client) readJournal(name string) []byte {
	p := c.snapshotPath(name)
	if p == "" {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		c.logger().Error("feed: reading the journal", "path", p, "err", err)
	}
	return b
}

// Run applies the snapshot on disk, if any (unless Restore did), then
// follows the feed until
// ctx is done, which is the only way it returns once started (with ctx's
// error). A control-plane outage is retried, never returned; only a bad
// configuration of c is.
func (c *Client) Run(ctx context.Context) error {
	if err := validEdgeID(c.EdgeID); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	if _, err := NormalizeEdgePriceClass(c.PriceClass); err != nil {
		return err
	}
	if c.Applier == nil || c.BaseURL == "" {
		return errors.New("feed: Client needs BaseURL and Applier")
	}
	log := c.logger()
	c.registered.Store(false)
	if !c.restored.Load() {
		c.Restore()
	}
	snap := c.restoredSnap // the merge base: what the edge serves
	defer c.closeJournal()

	hbCtx, stopHeartbeats := context.WithCancel(ctx)
	defer stopHeartbeats()
	go c.heartbeats(hbCtx)

	var (
		pollWait  = DefaultPollWait
		acked     = int64(-1)
		pollAcks  = false // the control plane takes the next poll as the ack
		forceFull = false
		backoff   = backoffMin
	)
	fail := func(what string, err error) {
		log.Warn("feed: "+what, "err", err, "retry_in", backoff)
		sleep(ctx, backoff+rand.N(backoff/4+1))
		backoff = min(2*backoff, backoffMax)
	}
	for ctx.Err() == nil {
		if !c.registered.Load() {
			resp, err := c.register(ctx)
			if err != nil {
				fail("registering", err)
				continue
			}
			if resp.ProtocolVersion != ProtocolVersion {
				log.Warn("feed: the control plane speaks another protocol version", "theirs", resp.ProtocolVersion, "ours", ProtocolVersion)
			}
			pollAcks = resp.PollAcknowledges
			if resp.PollWaitMillis > 0 {
				pollWait = time.Duration(resp.PollWaitMillis) * time.Millisecond
			}
			acked = c.rev.Load() // register carries the revision held
			c.registered.Store(true)
			log.Info("feed: registered", "edge", c.EdgeID, "revision", acked, "control_plane_revision", resp.Revision)
		}
		if rev := c.rev.Load(); acked < rev {
			// A lost ack is repeated here and by heartbeats.
			if err := c.post(ctx, PathAck, AckRequest{Edge: c.EdgeID, Revision: rev}, nil); err == nil {
				acked = rev
			} else if errors.Is(err, errUnknownEdge) {
				c.registered.Store(false)
				continue
			} else {
				log.Warn("feed: acknowledging", "revision", rev, "err", err)
			}
		}
		since := c.rev.Load()
		if forceFull {
			since = 0
		}
		d, body, raws, err := c.poll(ctx, since, pollWait)
		if errors.Is(err, errUnknownEdge) {
			c.registered.Store(false)
			continue
		}
		if err != nil {
			if ctx.Err() == nil {
				fail("polling for changes", err)
			}
			continue
		}
		if !d.Full && d.Revision == since {
			backoff = backoffMin
			continue // the long poll ran out: nothing new
		}
		next, err := mergeRecords(snap, &d.Delta, d.Distributions, true) // snap is merge's, or the file's (sorted)
		if err != nil {
			forceFull = true // start over from a full delta
			fail("merging a delta", err)
			continue
		}
		c.rememberDelta(next, d, raws)
		// On disk before the ack: an edge never acknowledges what a restart
		// would lose.
		if err := c.save(next, &d.Delta, body); err != nil {
			fail("saving the snapshot", err)
			continue
		}
		if err := c.Applier.Apply(next, d.Invalidations); err != nil {
			fail("applying revision "+strconv.FormatInt(next.Revision, 10), err)
			continue
		}
		snap, forceFull, backoff = next, false, backoffMin
		c.rev.Store(next.Revision)
		log.Debug("feed: applied", "revision", next.Revision, "full", d.Full,
			"distributions", len(next.Distributions), "invalidations", len(d.Invalidations))
		if pollAcks {
			// The next poll, from next.Revision, acknowledges it: one
			// request per change instead of two, for every edge.
			acked = next.Revision
		} else if err := c.post(ctx, PathAck, AckRequest{Edge: c.EdgeID, Revision: next.Revision}, nil); err != nil {
			log.Warn("feed: acknowledging", "revision", next.Revision, "err", err)
		} else {
			acked = next.Revision
		}
	}
	return ctx.Err()
}

// heartbeats keeps the edge live when it sends nothing else: a
// heartbeat goes out when no request did for HeartbeatEvery (every
// request tells the control plane the edge is live). A control plane
// whose long polls end within that period (see Server.pollWait) then
// gets none while the edge follows it, and one while the edge spends
// longer applying a revision. Each also repeats the acknowledgement of
// the revision applied.
func (c *Client) heartbeats(ctx context.Context) {
	every := c.HeartbeatEvery
	if every <= 0 {
		every = DefaultHeartbeatEvery
	}
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if since := time.Since(time.Unix(0, c.lastRequest.Load())); since < every {
			t.Reset(every - since)
			continue
		}
		t.Reset(every)
		if !c.registered.Load() {
			continue
		}
		err := c.post(ctx, PathHeartbeat, AckRequest{Edge: c.EdgeID, Revision: c.rev.Load()}, nil)
		if errors.Is(err, errUnknownEdge) {
			c.registered.Store(false)
		} else if err != nil && ctx.Err() == nil {
			c.logger().Debug("feed: heartbeat", "err", err)
		}
	}
}

func (c *Client) register(ctx context.Context) (RegisterResponse, error) {
	var resp RegisterResponse
	err := c.post(ctx, PathRegister, RegisterRequest{
		ProtocolVersion: ProtocolVersion,
		ID:              c.EdgeID,
		Name:            c.Name,
		PriceClass:      c.PriceClass,
		Revision:        c.rev.Load(),
	}, &resp)
	return resp, err
}

// poll returns the delta since since, its body as received, which the
// journal keeps as it is, and (with a StateDir) the JSON of each of its
// distributions, by index, for the snapshot file (see rawjson.go).
func (c *Client) poll(ctx context.Context, since int64, wait time.Duration) (*receivedDelta, []byte, [][]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, wait+requestTimeout)
	defer cancel()
	q := url.Values{"since": {strconv.FormatInt(since, 10)}, "edge": {c.EdgeID}}
	body, err := c.doRaw(ctx, http.MethodGet, PathChanges+"?"+q.Encode(), nil, true)
	if err != nil {
		return nil, nil, nil, err
	}
	// One pass over the body: encoding/json's Decoder scanned it once to
	// find the value's end, then again to fill d.
	d, raws, err := decodeDelta(body, c.StateDir != "")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("feed: GET %s: decoding: %w", PathChanges, err)
	}
	if d.Revision < 0 || (!d.Full && d.From != since) {
		return nil, nil, nil, fmt.Errorf("feed: delta from %d to %d answers a poll since %d", d.From, d.Revision, since)
	}
	return d, body, raws, nil
}

func (c *Client) post(ctx context.Context, path string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, path, b, out)
}

// do sends one request and decodes a 200's JSON body into out.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	b, err := c.doRaw(ctx, method, path, body, out != nil)
	if err != nil || out == nil {
		return err
	}
	if err := unmarshalJSON(b, out); err != nil {
		return fmt.Errorf("feed: %s %s: decoding: %w", method, path, err)
	}
	return nil
}

// doRaw sends one request and returns a 200's body (read only if read
// is set), at most maxDeltaBytes of it.
func (c *Client) doRaw(ctx context.Context, method, path string, body []byte, read bool) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Edge "+c.Auth)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient
	}
	c.lastRequest.Store(time.Now().UnixNano())
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e errorBody
		json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&e)
		if resp.StatusCode == http.StatusNotFound && path != PathRegister {
			return nil, errUnknownEdge
		}
		return nil, fmt.Errorf("feed: %s %s: %s: %s", method, path, resp.Status, e.Error)
	}
	if !read {
		return nil, nil
	}
	b, err := readResponse(resp.Body, resp.ContentLength, maxDeltaBytes)
	if err != nil {
		return nil, fmt.Errorf("feed: %s %s: reading: %w", method, path, err)
	}
	return b, nil
}

// readResponse reads r whole, at most limit bytes. size is the length the
// response announced (-1 for none): up to preallocMax, the buffer is then
// allocated once rather than grown and copied while reading (a larger
// announcement is not trusted with memory before the bytes come).
func readResponse(r io.Reader, size, limit int64) ([]byte, error) {
	const preallocMax = 64 << 20
	if size < 0 || size > limit || size > preallocMax {
		b, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err == nil && int64(len(b)) > limit {
			err = fmt.Errorf("body over %d bytes", limit)
		}
		return b, err
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

var defaultHTTPClient = &http.Client{}

func (c *Client) snapshotPath(name string) string {
	if c.StateDir == "" {
		return ""
	}
	return filepath.Join(c.StateDir, name)
}

// loadSnapshot reads one snapshot file and gives its size and its
// records' JSON; a missing or bad one gives nil (a bad one is logged).
func (c *Client) loadSnapshot(name string) (*Snapshot, int64, rawRecords) {
	p := c.snapshotPath(name)
	if p == "" {
		return nil, 0, nil
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		c.logger().Error("feed: reading a snapshot file", "path", p, "err", err)
		return nil, 0, nil
	}
	_, s, raw, err := decodeSnapshotFile(b, true)
	if err != nil {
		c.logger().Error("feed: ignoring a corrupt snapshot file", "path", p, "err", err)
		return nil, 0, nil
	}
	return s, int64(len(b)), raw
}

// save makes s, the result of merging d, what a restart comes back to:
// d appended to the journal, or s written as the snapshot file and the
// journal emptied (see journal.go for when). body is d's JSON as
// received, which the journal keeps rather than encoding d again; nil
// means d is encoded.
func (c *Client) save(s *Snapshot, d *Delta, body []byte) error {
	if c.StateDir == "" {
		return nil
	}
	limit := c.journalLimit
	if limit == 0 {
		limit = c.defaultJournalLimit()
	}
	if d.Full || !c.journal.clean || limit < 0 {
		return c.saveSnapshot(s)
	}
	rec, err := journalRecord(d, body)
	if err != nil {
		return err
	}
	if err := c.appendJournal(rec); err != nil {
		// A part of the record may be on disk: the next save rewrites
		// the snapshot file instead of appending after it.
		c.journal.clean = false
		return err
	}
	c.journal.size += int64(len(rec))
	if c.journal.size > limit {
		// Appended first all the same: the previous journal then leads
		// from the previous file to the new one's revision.
		return c.saveSnapshot(s)
	}
	return nil
}

// defaultJournalLimit is the journal size at which the snapshot file is
// rewritten: the snapshot file's size (at least journalMin) times a
// slack in [1, 1.5) that each client draws once. Edges that share a
// machine and follow one control plane write the same deltas and would
// otherwise all rewrite their snapshot files at the same revision (50
// edges rewriting 2 MB files within 0.4 s, a 2.25 s Deployed); the slack
// spreads them over half a snapshot's worth of revisions.
func (c *Client) defaultJournalLimit() int64 {
	if c.journalSlack == 0 {
		c.journalSlack = 1 + rand.Float64()/2
	}
	return int64(float64(max(c.journal.snapBytes, journalMin)) * c.journalSlack)
}

// saveSnapshot writes s as the newest snapshot file, atomically; the good
// newest file it replaces becomes the previous one. A crash between the
// two renames leaves the previous file alone, which Restore falls back to.
func (c *Client) saveSnapshot(s *Snapshot) error {
	p := c.snapshotPath(snapshotFileName)
	if p == "" {
		return nil
	}
	// The records' JSON as received where the edge has it; the body is
	// checksummed, then written, piece by piece.
	body, raw, err := newSnapshotBody(c.EdgeID, s, c.raw)
	if err != nil {
		return err
	}
	// Only s's records from here on: the JSON of records gone goes.
	c.raw = raw
	header := body.header()
	if err := os.MkdirAll(c.StateDir, 0o700); err != nil {
		return err
	}
	c.closeJournal() // renamed or replaced below
	prev := c.snapshotPath(prevSnapshotFileName)
	if c.newestGood {
		err := os.Rename(p, prev)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		// The journal goes with the file it chains from; a crash between
		// the two renames leaves records that the previous file already
		// has, which Restore skips.
		err = os.Rename(c.snapshotPath(journalFileName), c.snapshotPath(prevJournalFileName))
		if errors.Is(err, os.ErrNotExist) {
			err = os.Remove(c.snapshotPath(prevJournalFileName))
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	} else {
		// A bad newest file is dropped (an empty directory in its place
		// too, which a rename could not replace); the previous one stays.
		os.Remove(p)
	}
	if err := writeSnapshotFile(p, header, body); err != nil {
		return err
	}
	c.newestGood = true
	if _, err := os.Stat(prev); errors.Is(err, os.ErrNotExist) {
		// The first snapshot file: a copy serves as the previous one, so
		// that a bad newest file still leaves the journal something to
		// be replayed onto.
		os.Remove(c.snapshotPath(prevJournalFileName))
		if err := writeSnapshotFile(prev, header, body); err != nil {
			c.logger().Warn("feed: writing the previous snapshot file", "err", err)
		}
	}
	// s is on disk: a crash from here on comes back to s (or later), the
	// journal's records being older than s are skipped.
	c.journal = journalState{snapBytes: int64(len(header)) + body.size}
	if err := writeFileAtomic(c.snapshotPath(journalFileName), nil); err != nil {
		c.logger().Warn("feed: emptying the journal", "err", err)
		return nil // the next save rewrites the snapshot file again
	}
	c.journal.clean = true
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
