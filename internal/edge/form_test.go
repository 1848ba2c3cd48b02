package edge

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// TestFormBuiltAtFirstRequest: Apply places distributions without building
// their forms; a distribution's first request builds its form, once, and
// a later revision that leaves its record alone keeps that form.
func TestFormBuiltAtFirstRequest(t *testing.T) {
	o := newOrigin(t, text("ok"))
	a, b := distribution(o.Server), distribution(o.Server)
	b.ID, b.DomainName = "EBEXAMPLE", "d2.cloudfront.test"
	e := newEdge(t, Options{}, a, b)
	snap := e.snap.Load()
	da, db := snap.byID.get(a.ID), snap.byID.get(b.ID)
	if da.form != nil || db.form != nil {
		t.Fatal("a form was built before any request")
	}
	for range 2 {
		if r := e.get(t, "d1.cloudfront.test", "/x"); r.StatusCode != 200 || r.body != "ok" {
			t.Fatalf("first distribution: %d %q", r.StatusCode, r.body)
		}
	}
	built := da.form
	if built == nil || db.form != nil {
		t.Fatalf("after requests to the first only: its form built %v, the other's %v; want true, false", built != nil, db.form != nil)
	}
	b.Config.Comment = "changed"
	if err := e.Apply(&feed.Snapshot{Revision: 2, Distributions: []*cloudfront.Distribution{snap.snap.Distributions[0], records(b)[0]}}, nil); err != nil {
		t.Fatal(err)
	}
	next := e.snap.Load()
	if got := next.byID.get(a.ID); got != da || got.form != built {
		t.Fatal("an unchanged distribution lost its built form at the next revision")
	}
	if r := e.get(t, "d2.cloudfront.test", "/x"); r.StatusCode != 200 || r.body != "ok" {
		t.Fatalf("second distribution after its change: %d %q", r.StatusCode, r.body)
	}
}

// TestFormThatDoesNotBuild: a record whose form does not build (the
// control plane validates, so a bug or a newer feed) answers as a
// distribution the edge does not have, 403, logged once, and the others
// are served as ever. An edge that built every form at Apply left it out
// of the snapshot: the same answer.
func TestFormThatDoesNotBuild(t *testing.T) {
	o := newOrigin(t, text("ok"))
	good, bad := distribution(o.Server), distribution(o.Server)
	bad.ID, bad.DomainName = "EBADEXAMPLE", "d2.cloudfront.test"
	bad.Config.DefaultCacheBehavior.TargetOriginID = "no-such-origin"
	var logs bytes.Buffer
	e := newEdge(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, good, bad)
	for range 2 {
		if r := e.get(t, "d2.cloudfront.test", "/x"); r.StatusCode != 403 {
			t.Fatalf("a distribution whose form does not build: %d, want 403", r.StatusCode)
		}
	}
	if n := strings.Count(logs.String(), "does not compile"); n != 1 {
		t.Fatalf("logged %d times, want once:\n%s", n, logs.String())
	}
	if r := e.get(t, "d1.cloudfront.test", "/x"); r.StatusCode != 200 || r.body != "ok" {
		t.Fatalf("the other distribution: %d %q", r.StatusCode, r.body)
	}
}

// TestFormBuiltOnceConcurrently: viewers' first requests to a distribution
// race each other and revisions that drop and make transports; every
// request is served, and the current form's pool is one the edge has
// (under -race, also the ordering of a form's writes and Apply's reads).
func TestFormBuiltOnceConcurrently(t *testing.T) {
	o := newOrigin(t, text("ok"))
	with := func(id, domain string, keepalive int) *cloudfront.Distribution {
		d := distribution(o.Server, func(cfg *cloudfront.DistributionConfig) {
			cfg.Origins[0].Custom.OriginKeepaliveTimeout = ptr(keepalive)
		})
		d.ID, d.DomainName = id, domain
		return records(d)[0]
	}
	e := newEdge(t, Options{}, *with("EAEXAMPLE", "a.test", 7))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	failed := make(chan int, 8)
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if r := e.get(t, "a.test", "/x"); r.StatusCode != 200 {
					failed <- r.StatusCode
					return
				}
			}
		})
	}
	rev := e.snap.Load().rev
	for i := range 40 {
		// a placed anew at every revision, so that its forms are built
		// while Apply runs; b with a pool of its own, built, so that the
		// next revision drops it and walks the snapshot's forms.
		rev++
		snap := &feed.Snapshot{Revision: rev, Distributions: []*cloudfront.Distribution{with("EAEXAMPLE", "a.test", 7+i%5), with("EBEXAMPLE", "b.test", 20+i%3)}}
		if err := e.Apply(snap, nil); err != nil {
			t.Fatal(err)
		}
		if r := e.get(t, "b.test", "/x"); r.StatusCode != 200 {
			t.Fatalf("revision %d: b answered %d", rev, r.StatusCode)
		}
	}
	close(stop)
	wg.Wait()
	close(failed)
	for c := range failed {
		t.Fatalf("a request to a answered %d", c)
	}
	d := e.ready(e.snap.Load().byID.get("EAEXAMPLE"))
	if d == nil {
		t.Fatal("a's form does not build")
	}
	e.transportsMu.Lock()
	defer e.transportsMu.Unlock()
	for _, p := range e.transports {
		if p == d.origins[0].transport {
			return
		}
	}
	t.Fatal("a's form uses a pool the edge no longer has")
}
