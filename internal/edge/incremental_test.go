package edge

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// variantDistribution is distribution id at revision rev in one of a few
// shapes that exercise what compile depends on: aliases (one shared by
// several, so the lower id must win), wildcards, path patterns, S3
// origins whose signing the bucket grants decide, disabled ones.
func variantDistribution(id string, rev int64, variant int) cloudfront.Distribution {
	d := cloudfront.Distribution{ID: id, AccountID: s3Account, DomainName: "d" + id + ".cloudfront.test", Revision: rev, ETag: fmt.Sprint("ETAG", rev, id)}
	cfg := &d.Config
	cfg.Enabled = true
	custom := cloudfront.Origin{ID: "web", DomainName: "origin.example.com",
		Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}
	switch variant {
	case 0:
		cfg.Origins = []cloudfront.Origin{custom}
		cfg.Aliases = []string{"www." + id + ".example.com"}
		img := cacheBehavior("web")
		img.PathPattern = "/img/*"
		cfg.CacheBehaviors = []cloudfront.CacheBehavior{img}
	case 1:
		cfg.Origins = []cloudfront.Origin{{ID: "s3", DomainName: "b0.s3.amazonaws.com",
			S3: &cloudfront.S3OriginConfig{OriginAccessIdentity: "origin-access-identity/cloudfront/EOAI0"}}}
		cfg.DefaultCacheBehavior = cacheBehavior("s3")
	case 2:
		cfg.Origins = []cloudfront.Origin{custom}
		cfg.Aliases = []string{"shared.example.com"}
		cfg.Enabled = false
	case 3:
		cfg.Origins = []cloudfront.Origin{custom}
		cfg.Aliases = []string{"*.w.example.com"}
		cfg.DefaultRootObject = "index.html"
	}
	if variant != 1 {
		cfg.DefaultCacheBehavior = cacheBehavior("web")
	}
	return d
}

var grantChoices = [][]buckets.Grant{
	nil,
	{{Bucket: "b0", OAIID: "EOAI0"}},
	{{Bucket: buckets.Every, AccountID: s3Account}},
}

// TestIncrementalCompileMatchesFull: compiling each snapshot of a random
// sequence of changes onto the previous compiled form gives what
// compiling it from nothing gives, and the unchanged distributions'
// forms are reused.
func TestIncrementalCompileMatchesFull(t *testing.T) {
	empty, _, _ := compile(nil, nil)
	reused := 0
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		snap := &feed.Snapshot{}
		c := empty
		for step := range 60 {
			rev := snap.Revision + 1
			d := &feed.Delta{From: snap.Revision, Revision: rev}
			for range 1 + rng.IntN(3) {
				id := fmt.Sprintf("E%02d", rng.IntN(12))
				switch op := rng.IntN(10); {
				case op < 6:
					d.Distributions = append(d.Distributions, variantDistribution(id, rev, rng.IntN(4)))
				case op < 8:
					d.DeletedDistributions = append(d.DeletedDistributions, id)
				default:
					for _, g := range snap.BucketGrants {
						d.DeletedBucketGrants = append(d.DeletedBucketGrants, g.Key())
					}
					d.BucketGrants = grantChoices[rng.IntN(len(grantChoices))]
				}
			}
			if rng.IntN(15) == 0 {
				// A full delta: every record decoded again, as after a
				// resync; nothing may be reused from the old decoding.
				b, _ := json.Marshal(feed.Snapshot{Revision: rev, Distributions: snap.Distributions, BucketGrants: snap.BucketGrants})
				d = &feed.Delta{}
				if err := json.Unmarshal(b, d); err != nil {
					t.Fatal(err)
				}
				d.Full = true
			}
			next, err := feed.Merge(snap, d)
			if err != nil {
				t.Fatal(err)
			}
			inc, fresh, gone := compile(next, c)
			full, _, _ := compile(next, empty)
			if !reflect.DeepEqual(flat(inc), flat(full)) {
				t.Fatalf("seed %d step %d: the incremental compile differs from the full one\nincremental %v\nfull        %v", seed, step, describe(inc), describe(full))
			}
			if d.Full && len(fresh) != inc.byID.len() {
				t.Fatalf("seed %d step %d: %d of %d forms reused after a full delta", seed, step, inc.byID.len()-len(fresh), inc.byID.len())
			}
			for _, x := range inc.byID.all() {
				if x.src != next.Distributions[indexOf(next, x.id)] {
					t.Fatalf("seed %d step %d: %s refers to a record outside the snapshot", seed, step, x.id)
				}
			}
			// Only what the delta changed is compiled, and gone is exactly
			// the old forms the new one dropped.
			if regrant := !reflect.DeepEqual(snap.BucketGrants, next.BucketGrants); !d.Full && !regrant && len(fresh) > len(d.Distributions) {
				t.Fatalf("seed %d step %d: %d forms compiled for a delta of %d records", seed, step, len(fresh), len(d.Distributions))
			}
			dropped := map[*dist]bool{}
			for _, o := range c.byID.all() {
				if inc.byID.get(o.id) != o {
					dropped[o] = true
				}
			}
			for _, o := range gone {
				if !dropped[o] {
					t.Fatalf("seed %d step %d: %s listed as gone but kept (or listed twice)", seed, step, o.id)
				}
				delete(dropped, o)
			}
			if len(dropped) > 0 {
				t.Fatalf("seed %d step %d: %d dropped forms not listed as gone", seed, step, len(dropped))
			}
			reused += inc.byID.len() - len(fresh)
			snap, c = next, inc
		}
	}
	if reused == 0 {
		t.Fatal("no compiled form was ever reused")
	}
}

func indexOf(s *feed.Snapshot, id string) int {
	for i := range s.Distributions {
		if s.Distributions[i].ID == id {
			return i
		}
	}
	return -1
}

// flatCompiled is a compiled with its tables as plain maps of what each
// dist serves, which reflect.DeepEqual compares by content whatever
// their layering: a reused dist keeps the grants it was placed with,
// which may differ from a fresh one's while signing alike, so the forms
// are built and compared rather than the dists.
type flatCompiled struct {
	compiled
	hosts map[string]string // name: id
	byID  map[string]flatDist
}

type flatDist struct {
	domain  string
	enabled bool
	src     *cloudfront.Distribution
	form    *form
}

func flat(c *compiled) flatCompiled {
	f := flatCompiled{compiled: *c, hosts: map[string]string{}, byID: map[string]flatDist{}}
	f.compiled.hosts, f.compiled.byID = nil, nil
	for h, d := range c.hosts.all() {
		f.hosts[h] = d.id
	}
	for id, d := range c.byID.all() {
		form, _ := buildForm(d.src, d.grants)
		f.byID[id] = flatDist{d.domain, d.enabled, d.src, form}
	}
	return f
}

// describe is c in a form a failure message can show.
func describe(c *compiled) string {
	s := fmt.Sprintf("rev %d wildcards %v hosts:", c.rev, c.wildcards)
	for h, d := range c.hosts.all() {
		s += fmt.Sprintf(" %s=%s", h, d.id)
	}
	for id, d := range c.byID.all() {
		s += fmt.Sprintf(" [%s enabled=%v", id, d.enabled)
		form, _ := buildForm(d.src, d.grants)
		for _, g := range form.origins {
			s += fmt.Sprintf(" %s signed=%v", g.id, g.signed)
		}
		s += "]"
	}
	return s
}

// TestApplySharesUnchangedForms: through Server.Apply, a distribution no
// revision touches keeps the one compiled form, every name routes to the
// newest form, and nothing an edge does writes into the records it shares
// with the snapshots it was given (each snapshot's JSON is what it was
// when published).
func TestApplySharesUnchangedForms(t *testing.T) {
	s, err := New(Options{Registerer: prometheus.NewRegistry(), CacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	full := &feed.Delta{Full: true, Revision: 1}
	for i := range 40 {
		full.Distributions = append(full.Distributions, variantDistribution(fmt.Sprintf("E%02d", i), 1, i%4))
	}
	type published struct {
		snap *feed.Snapshot
		json string
	}
	var all []published
	publish := func(snap *feed.Snapshot) {
		b, _ := json.Marshal(snap)
		all = append(all, published{snap, string(b)})
		if err := s.Apply(snap, nil); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := feed.Merge(nil, full)
	if err != nil {
		t.Fatal(err)
	}
	publish(snap)
	untouched := s.snap.Load().byID.get("E00") // variant 0: aliases, behaviours
	rng := rand.New(rand.NewPCG(5, 5))
	for rev := int64(2); rev < 80; rev++ {
		d := &feed.Delta{From: snap.Revision, Revision: rev}
		id := fmt.Sprintf("E%02d", 1+rng.IntN(45))
		if rng.IntN(4) == 0 {
			d.DeletedDistributions = []string{id}
		} else {
			d.Distributions = []cloudfront.Distribution{variantDistribution(id, rev, rng.IntN(4))}
		}
		if snap, err = feed.Merge(snap, d); err != nil {
			t.Fatal(err)
		}
		publish(snap)
		c := s.snap.Load()
		if got := c.byID.get("E00"); got != untouched {
			t.Fatalf("revision %d: the untouched distribution was compiled again", rev)
		}
		for _, r := range snap.Distributions {
			if d := c.lookup("d" + r.ID + ".cloudfront.test"); d == nil || d.src != r {
				t.Fatalf("revision %d: %s does not route to its newest record", rev, r.ID)
			}
		}
	}
	for _, p := range all {
		if b, _ := json.Marshal(p.snap); string(b) != p.json {
			t.Fatalf("revision %d's records changed after it was applied", p.snap.Revision)
		}
	}
}
