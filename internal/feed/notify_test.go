package feed

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// TestNotifyDelay: a change wakes the edges at once when the feed is
// idle, and is held while changes keep coming or edges are still
// applying the last wake-up's delta, by rounds, within the bounds.
func TestNotifyDelay(t *testing.T) {
	const quiet, busy = 50 * time.Millisecond, time.Second
	now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	applying := map[string]time.Time{"edge-a": ago(200 * time.Millisecond)}
	for _, c := range []struct {
		name          string
		last, changed time.Time
		out           map[string]time.Time // edges applying a delta
		began         time.Time            // the running round's start
		round         time.Duration
		want          time.Duration
	}{
		{name: "first change ever", want: 0},
		{name: "idle: quiet since the last change and wake-up, no edge applying",
			last: ago(time.Minute), changed: ago(time.Minute), round: 300 * time.Millisecond, want: 0},
		{name: "idle, but the last wake-up was 20 ms ago",
			last: ago(20 * time.Millisecond), changed: ago(time.Minute), want: 30 * time.Millisecond},
		{name: "changes keep coming, fast rounds: at least quiet after the last wake-up",
			last: ago(10 * time.Millisecond), changed: ago(5 * time.Millisecond), round: 5 * time.Millisecond,
			want: 40 * time.Millisecond},
		{name: "changes keep coming: four rounds after the last wake-up",
			last: ago(100 * time.Millisecond), changed: ago(5 * time.Millisecond), round: 100 * time.Millisecond,
			want: 300 * time.Millisecond},
		{name: "an edge still applying: the running round counts",
			last: ago(250 * time.Millisecond), changed: ago(time.Minute), out: applying, began: ago(200 * time.Millisecond),
			round: 10 * time.Millisecond, want: 550 * time.Millisecond},
		{name: "slow rounds: at most busy after the last wake-up",
			last: ago(100 * time.Millisecond), changed: ago(time.Millisecond), round: time.Second,
			want: 900 * time.Millisecond},
		{name: "busy past its bound: at once",
			last: ago(2 * time.Second), changed: ago(time.Millisecond), out: applying, began: ago(2 * time.Second),
			round: time.Second, want: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := &notifier{last: c.last, changed: c.changed, out: c.out, began: c.began, round: c.round}
			if got := n.delay(now, quiet, busy); got != c.want {
				t.Errorf("delay = %v, want %v", got, c.want)
			}
		})
	}
	t.Run("NotifyEvery negative: every change at once", func(t *testing.T) {
		n := &notifier{last: ago(time.Millisecond), changed: ago(time.Millisecond), out: applying, began: ago(time.Millisecond), round: time.Second}
		if got := n.delay(now, 0, 0); got != 0 {
			t.Errorf("delay = %v, want 0", got)
		}
	})
}

// TestRoundsFollowTheEdges: a round lasts from the first delta sent
// until every edge sent one has polled again; a shorter round halves
// what the notifier remembers, a longer one replaces it.
func TestRoundsFollowTheEdges(t *testing.T) {
	var n notifier
	n.sent("edge-a")
	n.sent("edge-b")
	n.polled("edge-a")
	if len(n.out) != 1 || n.round != 0 {
		t.Fatalf("one of two edges back: out %v, round %v; want edge-b out, no round yet", n.out, n.round)
	}
	n.polled("edge-c") // never sent one: no effect
	if len(n.out) != 1 {
		t.Fatalf("a poll of an edge sent nothing changed out: %v", n.out)
	}
	n.polled("edge-b")
	if len(n.out) != 0 || n.round <= 0 {
		t.Fatalf("both back: out %v, round %v; want none out and a round", n.out, n.round)
	}
	n.round = time.Hour // a long round before: a short one halves it
	n.sent("edge-a")
	n.polled("edge-a")
	if n.round != 30*time.Minute {
		t.Errorf("round after a short one = %v, want half of an hour", n.round)
	}
	// An edge that died after it was sent a delta stops counting as
	// applying at the first wake-up after outFor.
	n.out = map[string]time.Time{"edge-dead": time.Now().Add(-outFor - time.Second)}
	n.broadcast()
	if len(n.out) != 0 {
		t.Errorf("after a wake-up, still out: %v", n.out)
	}
}

// TestBurstWaitsForTheWakeUp: an edge that has what the last wake-up
// delivered waits for the next one, even when the store has moved on
// meanwhile, and then gets every change held since in one delta. (An
// edge that read the store whenever it came back took one delta per
// write whatever the pace of wake-ups.)
func TestBurstWaitsForTheWakeUp(t *testing.T) {
	f := newTestFeedOn(t, newSQLite(t), func(s *Server) {
		s.NotifyEvery, s.NotifyBusyEvery = time.Hour, time.Hour // only the test's broadcast ends a hold
		s.RevisionCheckEvery = time.Hour
		s.PollWait = time.Hour
	})
	e := f.rawEdge(t, "edge-a", "All")
	poll := func(since int64) <-chan Delta {
		ch := make(chan Delta, 1)
		req, _ := http.NewRequest("GET", f.url()+PathChanges+"?edge=edge-a&since="+strconv.FormatInt(since, 10), nil)
		req.Header.Set("Authorization", e.auth)
		go func() {
			defer close(ch)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var d Delta
			if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || resp.StatusCode != 200 {
				t.Errorf("poll since %d: %s: %v", since, resp.Status, err)
				return
			}
			ch <- d
		}()
		return ch
	}
	recv := func(ch <-chan Delta) Delta {
		t.Helper()
		select {
		case d, ok := <-ch:
			if !ok {
				t.FailNow()
			}
			return d
		case <-time.After(waitLimit):
			t.Fatal("the long poll did not return")
		}
		return Delta{}
	}

	rev1 := f.putDistribution("EONEEXAMPLE", cloudfront.PriceClassAll) // quiet before: woken at once
	if d := recv(poll(0)); d.Revision != rev1 {
		t.Fatalf("first poll: revision %d, want %d", d.Revision, rev1)
	}
	rev2 := f.putDistribution("ETWOEXAMPLE", cloudfront.PriceClassAll) // right after: held
	rev3 := f.putDistribution("ETHREEEXAMPLE", cloudfront.PriceClassAll)
	ch := poll(rev1)
	eventually(t, "the poll from the delivered revision waits", func() bool {
		if len(ch) > 0 {
			return true
		}
		// A poll records the revision it saw (low) only when it parks.
		f.srv.notify.mu.Lock()
		defer f.srv.notify.mu.Unlock()
		return f.srv.notify.waiters == 1 && f.srv.notify.low == rev1
	})
	select {
	case d := <-ch:
		t.Fatalf("got revision %d before the wake-up", d.Revision)
	default:
	}
	f.srv.notify.broadcast() // the held wake-up
	d := recv(ch)
	if d.From != rev1 || d.Revision != rev3 || len(d.Distributions) != 2 {
		t.Errorf("after the wake-up: %d to %d with %d distributions, want %d to %d with both held changes",
			d.From, d.Revision, len(d.Distributions), rev1, rev3)
	}
	_ = rev2
}

// TestHeldWakeUpSettles: a wake-up held by the pace goes out before it is
// due once the changes stopped (no change for busyFactor quiets) and
// every edge is back, and not while either still holds.
func TestHeldWakeUpSettles(t *testing.T) {
	const quiet = 50 * time.Millisecond
	now := time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	applying := map[string]time.Time{"edge-a": ago(time.Second)}
	for _, c := range []struct {
		name    string
		changed time.Time
		out     map[string]time.Time
		settled bool
		next    time.Duration // due in 1 s
	}{
		{"changes stopped, every edge back", ago(4 * quiet), nil, true, 0},
		{"the last change just over quiet ago: changes may still be coming", ago(quiet + time.Millisecond), nil, false, 3*quiet - time.Millisecond},
		{"changes stopped, an edge still applying: polled looks", ago(time.Second), applying, false, time.Second},
		{"changes coming, an edge applying", ago(time.Millisecond), applying, false, time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := &notifier{changed: c.changed, quiet: quiet, out: c.out, due: now.Add(time.Second)}
			if got := n.settled(now); got != c.settled {
				t.Errorf("settled = %v, want %v", got, c.settled)
			}
			if got := n.nextCheck(now); got != c.next {
				t.Errorf("nextCheck = %v, want %v", got, c.next)
			}
		})
	}

	t.Run("live", func(t *testing.T) {
		// The pace would hold this change an hour: a wake-up just went
		// out and rounds are long.
		n := &notifier{last: time.Now(), round: time.Hour}
		wake, _ := n.subscribe(nil)
		n.sent("edge-a")
		n.throttled(5*time.Millisecond, time.Hour)
		select {
		case <-wake:
			t.Fatal("woken while an edge is still applying")
		default:
		}
		n.polled("edge-a")
		select {
		case <-wake:
		case <-time.After(waitLimit):
			t.Fatal("the held wake-up did not go out once the edge was back and the changes had stopped")
		}
	})
}
