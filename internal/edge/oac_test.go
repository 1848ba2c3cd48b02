package edge

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// The origin access control tests: an S3 origin with an OAC is signed as
// its distribution's account, only where a grant to that account lets it
// (an OAI's grant never covers an OAC), only for what the grant allows
// (objectRead, objectWrite), and as the OAC's SigningBehavior says
// (developer guide, "Restrict access to an Amazon S3 origin", advanced
// settings; API reference, OriginAccessControlConfig).

const (
	oacID      = "E2OACEXAMPLE"
	oacOAIID   = "E74FTE3AEXAMPLE"
	oacViewer  = "AWS4-HMAC-SHA256 Credential=AKIDVIEWER/20261202/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"
	oacEdgeKey = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
)

// oacDistribution is s3Distribution for bucket "media" with an OAC of
// the signing behaviour in place of an OAI; every method allowed, the
// query forwarded.
func oacDistribution(behavior string) cloudfront.Distribution {
	d := s3Distribution("media.s3.amazonaws.com", "")
	o := &d.Config.Origins[0]
	o.OriginAccessControlID = oacID
	o.OriginAccessControl = &cloudfront.OriginAccessControlConfig{Name: "oac", SigningProtocol: cloudfront.SigningProtocolSigV4,
		SigningBehavior: behavior, OriginType: cloudfront.OACOriginS3}
	d.Config.DefaultCacheBehavior.AllowedMethods = allSeven
	d.Config.DefaultCacheBehavior.QueryString = true
	return d
}

// oacSeen is what the recording S3 got: the method, and whose
// Authorization ("edge": the operator's signature, "viewer": the viewer's
// own, "" none; "both" if it got more than one).
type oacSeen struct{ method, path, auth string }

// oacS3 is a recording S3 on loopback, as S3 answers a private bucket:
// AccessDenied without a signature of the operator's key.
type oacS3 struct {
	*testOrigin
	mu   sync.Mutex
	last oacSeen
	opts Options
}

func newOACS3(t *testing.T) *oacS3 {
	s := &oacS3{}
	s.testOrigin = newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		seen := oacSeen{method: r.Method, path: r.URL.Path}
		switch v := r.Header["Authorization"]; {
		case len(v) > 1:
			seen.auth = "both"
		case len(v) == 0:
		case strings.HasPrefix(v[0], oacEdgeKey):
			seen.auth = "edge"
		case v[0] == oacViewer:
			seen.auth = "viewer"
		default:
			seen.auth = "other: " + v[0]
		}
		s.mu.Lock()
		s.last = seen
		s.mu.Unlock()
		if seen.auth != "edge" {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		io.WriteString(w, "secret object")
	})
	s.opts = Options{S3: S3Options{Endpoint: s.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}
	return s
}

func (s *oacS3) seen() oacSeen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// oacGrantCases are bucket grants and what they let an OAC of the
// distribution's account (s3Account) do in bucket "media".
var oacGrantCases = []struct {
	name   string
	grants []buckets.Grant
	level  signing
}{
	{"no grant", nil, signsNothing},
	{"account grant", []buckets.Grant{{Bucket: "media", AccountID: s3Account}}, signsReads},
	{"account write grant", []buckets.Grant{{Bucket: "media", AccountID: s3Account, Write: true}}, signsWrites},
	{"every bucket to the account", []buckets.Grant{{Bucket: buckets.Every, AccountID: s3Account}}, signsReads},
	{"every bucket to the account, to write", []buckets.Grant{{Bucket: buckets.Every, AccountID: s3Account, Write: true}}, signsWrites},
	{"OAI grant only", []buckets.Grant{{Bucket: "media", OAIID: oacOAIID}}, signsNothing},
	{"OAI write grant only", []buckets.Grant{{Bucket: "media", OAIID: oacOAIID, Write: true}}, signsNothing},
	{"every bucket to an OAI", []buckets.Grant{{Bucket: buckets.Every, OAIID: oacOAIID, Write: true}}, signsNothing},
	{"an OAI grant naming the OAC's id", []buckets.Grant{{Bucket: "media", OAIID: oacID, Write: true}}, signsNothing},
	{"another account's grant", []buckets.Grant{{Bucket: "media", AccountID: "999988887777", Write: true}}, signsNothing},
	{"every bucket to another account", []buckets.Grant{{Bucket: buckets.Every, AccountID: "999988887777", Write: true}}, signsNothing},
	{"the account's grant of another bucket", []buckets.Grant{{Bucket: "other", AccountID: s3Account, Write: true}}, signsNothing},
	{"account read grant, OAI write grant", []buckets.Grant{{Bucket: "media", AccountID: s3Account}, {Bucket: "media", OAIID: oacOAIID, Write: true}}, signsReads},
}

// TestOACSignsAsItsAccountsGrantsAllow: OAC always, never and
// no-override, under each grant, for object reads and writes and what
// no grant signs (the bucket's listing, a viewer's presigned URL, an
// object's ACL), without a viewer Authorization: a request is signed
// only when the behaviour signs, the grant to the distribution's account
// allows it, and it is an object read (read grant) or object write
// (write grant).
func TestOACSignsAsItsAccountsGrantsAllow(t *testing.T) {
	s3 := newOACS3(t)
	requests := []struct {
		method, path string
		needs        signing // signsNothing: never signed
	}{
		{"GET", "/a.txt", signsReads},
		{"HEAD", "/a.txt", signsReads},
		{"GET", "/a.txt?v=2", signsReads},
		{"PUT", "/up.txt", signsWrites},
		{"DELETE", "/up.txt", signsWrites},
		{"POST", "/big.bin?uploads", signsWrites},
		{"GET", "/", signsNothing},
		{"GET", "/a.txt?X-Amz-Signature=abc", signsNothing},
		{"GET", "/a.txt?acl", signsNothing},
		{"PUT", "/a.txt?acl", signsNothing},
		{"PATCH", "/a.txt", signsNothing},
	}
	behaviors := []struct {
		name  string
		signs bool
	}{
		{cloudfront.SigningAlways, true},
		{cloudfront.SigningNoOverride, true},
		{cloudfront.SigningNever, false},
	}
	for _, bh := range behaviors {
		for _, gc := range oacGrantCases {
			t.Run(bh.name+"/"+gc.name, func(t *testing.T) {
				d := oacDistribution(bh.name)
				d.Config.DefaultCacheBehavior.DefaultTTL = ptr(int64(0))
				e := newEdgeSnapshot(t, s3.opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: gc.grants})
				for _, rq := range requests {
					e.do(t, e.http, rq.method, "d3.cloudfront.test", rq.path)
					want := ""
					if bh.signs && rq.needs != signsNothing && gc.level >= rq.needs {
						want = "edge"
					}
					got := s3.seen()
					wantMethod := rq.method
					if wantMethod == "HEAD" {
						wantMethod = "GET"
					}
					if got.method != wantMethod || got.auth != want {
						t.Errorf("%s %s: S3 got %s with Authorization %q, want %s with %q", rq.method, rq.path, got.method, got.auth, wantMethod, want)
					}
				}
			})
		}
	}
}

// TestOACViewerAuthorization: what becomes of a viewer's Authorization
// under each SigningBehavior. always: it never reaches S3, whether the
// request is signed (the signature replaces it) or not (a listing, a
// write under a read grant). never: the origin is an unsigned S3 origin,
// which gets the header where the behaviour forwards it (keyed by a cache
// policy or legacy Headers, and on writes, as CloudFront forwards it).
// no-override: a viewer's Authorization leaves the request unsigned, with
// the header where the behaviour forwards it and none elsewhere; without
// one, the request is signed as under always.
func TestOACViewerAuthorization(t *testing.T) {
	s3 := newOACS3(t)
	const (
		none   = ""
		policy = "cache policy keys Authorization"
		legacy = "legacy Headers name Authorization"
	)
	read := []buckets.Grant{{Bucket: "media", AccountID: s3Account}}
	write := []buckets.Grant{{Bucket: "media", AccountID: s3Account, Write: true}}
	tests := []struct {
		behavior  string
		grants    []buckets.Grant
		forwarded string // how the behaviour forwards Authorization, on GET
		method    string
		path      string
		viewer    bool // the viewer sends Authorization
		want      string
	}{
		{cloudfront.SigningAlways, read, none, "GET", "/a.txt", true, "edge"},
		{cloudfront.SigningAlways, read, policy, "GET", "/a.txt", true, "edge"},
		{cloudfront.SigningAlways, read, legacy, "GET", "/a.txt", true, "edge"},
		{cloudfront.SigningAlways, read, policy, "GET", "/", true, ""},
		{cloudfront.SigningAlways, read, policy, "PUT", "/up.txt", true, ""},
		{cloudfront.SigningAlways, write, none, "PUT", "/up.txt", true, "edge"},
		{cloudfront.SigningAlways, nil, policy, "GET", "/a.txt", true, ""},
		{cloudfront.SigningAlways, nil, none, "DELETE", "/up.txt", true, ""},
		{cloudfront.SigningAlways, read, none, "GET", "/a.txt", false, "edge"},

		{cloudfront.SigningNever, write, none, "GET", "/a.txt", true, ""},
		{cloudfront.SigningNever, write, policy, "GET", "/a.txt", true, "viewer"},
		{cloudfront.SigningNever, write, legacy, "GET", "/a.txt", true, "viewer"},
		{cloudfront.SigningNever, write, none, "PUT", "/up.txt", true, "viewer"},
		{cloudfront.SigningNever, write, none, "GET", "/a.txt", false, ""},

		{cloudfront.SigningNoOverride, read, none, "GET", "/a.txt", false, "edge"},
		{cloudfront.SigningNoOverride, write, none, "PUT", "/up.txt", false, "edge"},
		{cloudfront.SigningNoOverride, read, none, "GET", "/a.txt", true, ""},
		{cloudfront.SigningNoOverride, read, policy, "GET", "/a.txt", true, "viewer"},
		{cloudfront.SigningNoOverride, read, legacy, "GET", "/a.txt", true, "viewer"},
		{cloudfront.SigningNoOverride, write, none, "PUT", "/up.txt", true, "viewer"},
		{cloudfront.SigningNoOverride, write, none, "DELETE", "/up.txt", true, "viewer"},
		{cloudfront.SigningNoOverride, nil, policy, "GET", "/a.txt", true, "viewer"},
		{cloudfront.SigningNoOverride, nil, none, "GET", "/a.txt", false, ""},
		{cloudfront.SigningNoOverride, read, policy, "GET", "/", false, ""},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s %s %s viewer=%v %s/%d", tt.behavior, tt.method, tt.path, tt.viewer, tt.forwarded, len(tt.grants))
		t.Run(name, func(t *testing.T) {
			d := oacDistribution(tt.behavior)
			switch tt.forwarded {
			case policy:
				setPolicy(&d.Config.DefaultCacheBehavior, keyParams(func(p *cloudfront.CacheKeyParams) {
					p.Headers = paramSet(cloudfront.ParamsWhitelist, "Authorization")
				}))
			case legacy:
				d.Config.DefaultCacheBehavior.Headers = []string{"Authorization"}
			}
			e := newEdgeSnapshot(t, s3.opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: tt.grants})
			var hdr []string
			if tt.viewer {
				hdr = []string{"Authorization", oacViewer}
			}
			e.do(t, e.http, tt.method, "d3.cloudfront.test", tt.path, hdr...)
			if got := s3.seen(); got.method != tt.method || got.auth != tt.want {
				t.Fatalf("S3 got %s with Authorization %q, want %s with %q", got.method, got.auth, tt.method, tt.want)
			}
		})
	}
	t.Run("an OAI origin signs over a forwarded Authorization, as before", func(t *testing.T) {
		d := s3Distribution("media.s3.amazonaws.com", "origin-access-identity/cloudfront/"+oacOAIID)
		d.Config.DefaultCacheBehavior.Headers = []string{"Authorization"}
		e := newEdgeSnapshot(t, s3.opts, &feed.Snapshot{Revision: 1, Distributions: records(d),
			BucketGrants: []buckets.Grant{{Bucket: "media", OAIID: oacOAIID}}})
		e.get(t, "d3.cloudfront.test", "/oai.txt", "Authorization", oacViewer)
		if got := s3.seen(); got.auth != "edge" {
			t.Fatalf("S3 got Authorization %q, want the edge's", got.auth)
		}
	})
}

// TestOACNoOverrideKeepsViewersApart: under no-override with
// Authorization neither forwarded nor keyed, a viewer that sends one is
// answered from an unsigned fetch, which must not become the copy the
// others get, nor they its; with the header keyed, its value keys as
// ever.
func TestOACNoOverrideKeepsViewersApart(t *testing.T) {
	s3 := newOACS3(t)
	grants := []buckets.Grant{{Bucket: "media", AccountID: s3Account}}
	for _, keyed := range []bool{false, true} {
		t.Run(fmt.Sprintf("keyed=%v", keyed), func(t *testing.T) {
			d := oacDistribution(cloudfront.SigningNoOverride)
			if keyed {
				d.Config.DefaultCacheBehavior.Headers = []string{"Authorization"}
			}
			e := newEdgeSnapshot(t, s3.opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: grants})
			refused := func(r response) bool { return r.StatusCode == 403 && !strings.Contains(r.body, "secret") }
			// The viewer with Authorization first: its refusal is not
			// everyone's.
			if r := e.get(t, "d3.cloudfront.test", "/one.txt", "Authorization", oacViewer); !refused(r) {
				t.Fatalf("with Authorization: %d %q", r.StatusCode, r.body)
			}
			if r := e.get(t, "d3.cloudfront.test", "/one.txt"); r.StatusCode != 200 || r.body != "secret object" {
				t.Fatalf("without, after one with: %d %q", r.StatusCode, r.body)
			}
			// The other way round: each has its own copy.
			if r := e.get(t, "d3.cloudfront.test", "/two.txt"); r.StatusCode != 200 || r.body != "secret object" {
				t.Fatalf("without: %d %q", r.StatusCode, r.body)
			}
			e.settle(t)
			hits := s3.hits.Load()
			if r := e.get(t, "d3.cloudfront.test", "/two.txt", "Authorization", oacViewer); !refused(r) {
				t.Fatalf("with Authorization, after one without: %d %q", r.StatusCode, r.body)
			}
			if got := s3.seen(); s3.hits.Load() != hits+1 || got.path != "/media/two.txt" || got.auth != map[bool]string{false: "", true: "viewer"}[keyed] {
				t.Fatalf("S3 got %+v (%d requests), want its own request", got, s3.hits.Load()-hits)
			}
			if r := e.get(t, "d3.cloudfront.test", "/two.txt"); r.StatusCode != 200 || r.body != "secret object" {
				t.Fatalf("without, again: %d %q", r.StatusCode, r.body)
			}
		})
	}
	t.Run("always keeps one copy for all", func(t *testing.T) {
		d := oacDistribution(cloudfront.SigningAlways)
		e := newEdgeSnapshot(t, s3.opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: grants})
		if r := e.get(t, "d3.cloudfront.test", "/three.txt", "Authorization", oacViewer); r.StatusCode != 200 {
			t.Fatalf("with Authorization: %d %q", r.StatusCode, r.body)
		}
		e.settle(t)
		hits := s3.hits.Load()
		if r := e.get(t, "d3.cloudfront.test", "/three.txt"); r.StatusCode != 200 || s3.hits.Load() != hits {
			t.Fatalf("without: %d %q, %d more requests to S3", r.StatusCode, r.body, s3.hits.Load()-hits)
		}
	})
}

// TestOACChangesApply: an OAC change reaches edges as a new revision of
// the distributions that name it (the control plane redeploys them), so
// the record decides: always, then never, stops the signing once
// applied, and what was read signed goes with it, as with a revoked
// grant; never, then always, signs again. A change of the account's
// grant counts for an OAC origin as for an OAI's.
func TestOACChangesApply(t *testing.T) {
	s3 := newOACS3(t)
	grants := []buckets.Grant{{Bucket: "media", AccountID: s3Account}}
	signed := func(r response) bool { return r.StatusCode == 200 && r.body == "secret object" }
	t.Run("always, then never, then always", func(t *testing.T) {
		e := newEdgeSnapshot(t, s3.opts, &feed.Snapshot{Revision: 1, Distributions: records(oacDistribution(cloudfront.SigningAlways)), BucketGrants: grants})
		if r := e.get(t, "d3.cloudfront.test", "/cached.txt"); !signed(r) {
			t.Fatalf("always: %d %q", r.StatusCode, r.body)
		}
		for i, bh := range []string{cloudfront.SigningNever, cloudfront.SigningAlways} {
			if err := e.Apply(&feed.Snapshot{Revision: int64(2 + i), Distributions: records(oacDistribution(bh)), BucketGrants: grants}, nil); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{fmt.Sprintf("/new%d.txt", i), "/cached.txt"} {
				r := e.get(t, "d3.cloudfront.test", path)
				if bh == cloudfront.SigningNever && (r.StatusCode != 403 || strings.Contains(r.body, "secret")) {
					t.Fatalf("%s under never: %d %q", path, r.StatusCode, r.body)
				}
				if bh == cloudfront.SigningAlways && path != "/cached.txt" && !signed(r) {
					t.Fatalf("%s under always again: %d %q", path, r.StatusCode, r.body)
				}
			}
		}
	})
	t.Run("the account's grant revoked, then granted", func(t *testing.T) {
		d := oacDistribution(cloudfront.SigningAlways)
		e := newEdgeSnapshot(t, s3.opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: grants})
		if r := e.get(t, "d3.cloudfront.test", "/a.txt"); !signed(r) {
			t.Fatalf("granted: %d %q", r.StatusCode, r.body)
		}
		recs := e.snap.Load().snap.Distributions // the same record: only the grants change
		if err := e.Apply(&feed.Snapshot{Revision: 2, Distributions: recs}, nil); err != nil {
			t.Fatal(err)
		}
		if r := e.get(t, "d3.cloudfront.test", "/a.txt"); r.StatusCode != 403 || strings.Contains(r.body, "secret") {
			t.Fatalf("revoked: %d %q", r.StatusCode, r.body)
		}
		// An OAI's grant is no grant for the OAC.
		if err := e.Apply(&feed.Snapshot{Revision: 3, Distributions: recs, BucketGrants: []buckets.Grant{{Bucket: "media", OAIID: oacOAIID}}}, nil); err != nil {
			t.Fatal(err)
		}
		if r := e.get(t, "d3.cloudfront.test", "/b.txt"); r.StatusCode != 403 {
			t.Fatalf("OAI granted: %d %q", r.StatusCode, r.body)
		}
		if err := e.Apply(&feed.Snapshot{Revision: 4, Distributions: recs, BucketGrants: grants}, nil); err != nil {
			t.Fatal(err)
		}
		if r := e.get(t, "d3.cloudfront.test", "/c.txt"); !signed(r) {
			t.Fatalf("granted again: %d %q", r.StatusCode, r.body)
		}
	})
}

// TestOACSigningUnder: the decision itself, for what the control plane
// never sends but a record may hold: an OAC not resolved, of another
// type or protocol, or beside an OAI, signs nothing more than its
// account's grant allows, and nothing when its config is not one the
// edge knows.
func TestOACSigningUnder(t *testing.T) {
	write := buckets.NewSet([]buckets.Grant{{Bucket: "media", AccountID: s3Account, Write: true}, {Bucket: "media", OAIID: oacOAIID, Write: true}})
	oac := func(edit func(*cloudfront.Origin)) *cloudfront.Origin {
		d := oacDistribution(cloudfront.SigningAlways)
		o := d.Config.Origins[0]
		if edit != nil {
			edit(&o)
		}
		return &o
	}
	tests := []struct {
		name   string
		origin *cloudfront.Origin
		want   signing
	}{
		{"always", oac(nil), signsWrites},
		{"no-override", oac(func(o *cloudfront.Origin) { o.OriginAccessControl.SigningBehavior = cloudfront.SigningNoOverride }), signsWrites},
		{"never", oac(func(o *cloudfront.Origin) { o.OriginAccessControl.SigningBehavior = cloudfront.SigningNever }), signsNothing},
		{"config not resolved", oac(func(o *cloudfront.Origin) { o.OriginAccessControl = nil }), signsNothing},
		{"unknown behaviour", oac(func(o *cloudfront.Origin) { o.OriginAccessControl.SigningBehavior = "sometimes" }), signsNothing},
		{"a MediaStore OAC", oac(func(o *cloudfront.Origin) { o.OriginAccessControl.OriginType = cloudfront.OACOriginMediaStore }), signsNothing},
		{"another protocol", oac(func(o *cloudfront.Origin) { o.OriginAccessControl.SigningProtocol = "sigv2" }), signsNothing},
		{"beside an OAI the grants name", oac(func(o *cloudfront.Origin) {
			o.S3.OriginAccessIdentity = "origin-access-identity/cloudfront/" + oacOAIID
		}), signsWrites},
	}
	for _, tt := range tests {
		if got := signingUnder(tt.origin, "999988887777", write); got != signsNothing {
			t.Errorf("%s: another account's distribution signs %v", tt.name, got)
		}
		if got := signingUnder(tt.origin, s3Account, write); got != tt.want {
			t.Errorf("%s: signs %v, want %v", tt.name, got, tt.want)
		}
	}
	// Beside an OAI, only the account's grant counts.
	oaiOnly := buckets.NewSet([]buckets.Grant{{Bucket: "media", OAIID: oacOAIID, Write: true}})
	both := oac(func(o *cloudfront.Origin) {
		o.S3.OriginAccessIdentity = "origin-access-identity/cloudfront/" + oacOAIID
	})
	if got := signingUnder(both, s3Account, oaiOnly); got != signsNothing {
		t.Errorf("an OAC beside a granted OAI signs %v", got)
	}
}
