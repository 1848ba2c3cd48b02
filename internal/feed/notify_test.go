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
	for _, c := range []struct {
		name          string
		last, changed time.Time
		parked, woken int
		round         time.Duration
		want          time.Duration
	}{
		{name: "first change ever", want: 0},
		{name: "idle: quiet since the last change and wake-up, edges back",
			last: ago(time.Minute), changed: ago(time.Minute), parked: 50, woken: 50, round: 300 * time.Millisecond, want: 0},
		{name: "idle, but the last wake-up was 20 ms ago",
			last: ago(20 * time.Millisecond), changed: ago(time.Minute), parked: 3, woken: 3, want: 30 * time.Millisecond},
		{name: "more edges waiting than were woken (one registered)",
			last: ago(time.Second), changed: ago(time.Second), parked: 4, woken: 3, want: 0},
		{name: "changes keep coming, fast rounds: at least quiet after the last wake-up",
			last: ago(10 * time.Millisecond), changed: ago(5 * time.Millisecond), parked: 50, woken: 50, round: 5 * time.Millisecond,
			want: 40 * time.Millisecond},
		{name: "changes keep coming: four rounds after the last wake-up",
			last: ago(100 * time.Millisecond), changed: ago(5 * time.Millisecond), parked: 50, woken: 50, round: 100 * time.Millisecond,
			want: 300 * time.Millisecond},
		{name: "edges still applying: the running round counts",
			last: ago(200 * time.Millisecond), changed: ago(time.Minute), parked: 10, woken: 50, round: 10 * time.Millisecond,
			want: 600 * time.Millisecond},
		{name: "slow rounds: at most busy after the last wake-up",
			last: ago(100 * time.Millisecond), changed: ago(time.Millisecond), parked: 50, woken: 50, round: time.Second,
			want: 900 * time.Millisecond},
		{name: "busy past its bound: at once",
			last: ago(2 * time.Second), changed: ago(time.Millisecond), parked: 0, woken: 50, round: time.Second, want: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := &notifier{last: c.last, changed: c.changed, parked: c.parked, woken: c.woken, round: c.round, woke: c.last}
			if got := n.delay(now, quiet, busy); got != c.want {
				t.Errorf("delay = %v, want %v", got, c.want)
			}
		})
	}
	t.Run("NotifyEvery negative: every change at once", func(t *testing.T) {
		n := &notifier{last: ago(time.Millisecond), changed: ago(time.Millisecond), parked: 0, woken: 50, round: time.Second, woke: ago(time.Millisecond)}
		if got := n.delay(now, 0, 0); got != 0 {
			t.Errorf("delay = %v, want 0", got)
		}
	})
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
		f.srv.notify.mu.Lock()
		defer f.srv.notify.mu.Unlock()
		return f.srv.notify.parked == 1
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
