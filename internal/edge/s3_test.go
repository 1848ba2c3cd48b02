package edge

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/testpeer"
)

// s3Account owns s3Distribution; s3Grants lets it read every bucket.
const s3Account = "111122223333"

var s3Grants = []buckets.Grant{{Bucket: buckets.Every, AccountID: s3Account}}

// newS3Edge serves d with s3Grants.
func newS3Edge(t *testing.T, o Options, d cloudfront.Distribution) *testEdge {
	return newEdgeSnapshot(t, o, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: s3Grants})
}

func s3Distribution(bucketDomain, oai string) cloudfront.Distribution {
	return cloudfront.Distribution{
		ID: "ES3EXAMPLE", AccountID: s3Account, DomainName: "d3.cloudfront.test", Status: cloudfront.StatusDeployed,
		Config: cloudfront.DistributionConfig{
			Origins: []cloudfront.Origin{{ID: "s3", DomainName: bucketDomain,
				S3: &cloudfront.S3OriginConfig{OriginAccessIdentity: oai}}},
			DefaultCacheBehavior: cacheBehavior("s3"),
			Enabled:              true,
		},
	}
}

// TestS3Origin runs against a tiny S3-compatible server that checks the
// path-style addressing and, for an origin access identity, the presence
// and shape of a SigV4 signature.
func TestS3Origin(t *testing.T) {
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if strings.HasPrefix(r.URL.Path, "/private/") {
			if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") ||
				!strings.Contains(auth, "/us-east-1/s3/aws4_request") ||
				!strings.Contains(auth, "x-amz-cf-id") ||
				r.Header.Get("X-Amz-Content-Sha256") != "UNSIGNED-PAYLOAD" {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
				return
			}
		} else if auth != "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Server", "AmazonS3")
		io.WriteString(w, "object at "+r.URL.Path)
	})
	opts := Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}
	tests := []struct {
		name, domain, oai, path string
		status                  int
		body                    string
	}{
		{"anonymous", "public.s3.amazonaws.com", "", "/dir/a.txt", 200, "object at /public/dir/a.txt"},
		{"signed with OAI", "private.s3.amazonaws.com", "origin-access-identity/cloudfront/E74FTE3AEXAMPLE", "/a.txt", 200, "object at /private/a.txt"},
		{"unsigned private is denied, cached as error", "private.s3-eu-west-1.amazonaws.com", "", "/a.txt", 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newS3Edge(t, opts, s3Distribution(tt.domain, tt.oai))
			r := e.get(t, "d3.cloudfront.test", tt.path)
			if r.StatusCode != tt.status || (tt.body != "" && r.body != tt.body) {
				t.Fatalf("%d %q", r.StatusCode, r.body)
			}
			if tt.status == 403 && !strings.Contains(r.body, "<Code>AccessDenied</Code>") {
				t.Fatalf("S3's error body did not pass through: %q", r.body)
			}
		})
	}
}

// TestS3Moto fetches from moto_server, an independent S3 implementation
// that checks the edge's signatures against its IAM's keys, when it is
// installed.
func TestS3Moto(t *testing.T) {
	moto := testpeer.MotoServerIAM(t)
	endpoint := moto.Endpoint
	put := func(path, body, acl string) {
		req, _ := http.NewRequest(http.MethodPut, endpoint+path, strings.NewReader(body))
		if acl != "" {
			req.Header.Set("X-Amz-Acl", acl)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("PUT %s: %d", path, resp.StatusCode)
		}
	}
	put("/media", "", "")
	put("/media/img/logo.txt", "logo bytes", "")
	put("/media/pub.txt", "public bytes", "public-read")
	put("/media/img/a%20b~c.txt", "odd key bytes", "")
	const oai = "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"
	tests := []struct {
		name, oai, path string
		status          int
		body            string
	}{
		// moto_server fails (500) anonymous reads of public objects once
		// it checks signatures, so this one comes first.
		{"anonymous public-read object", "", "/pub.txt", 200, "public bytes"},
		{"signed private object", oai, "/img/logo.txt", 200, "logo bytes"},
		{"anonymous private object", "", "/img/logo.txt", 403, ""},
		{"signed missing key", oai, "/img/missing.txt", 404, ""},
		{"signed range", oai, "/img/logo.txt", 206, "bytes"},
		// The path is signed as sent, escaped as the SDKs escape keys.
		// (moto_server's own check fails boto3's signatures too on keys
		// with '+', '!', '%', '(' or non-ASCII, so only these are tried.)
		{"signed key with a space", oai, "/img/a%20b~c.txt", 200, "odd key bytes"},
	}
	for i, tt := range tests {
		if i == 1 {
			moto.Enforce(t)
		}
		t.Run(tt.name, func(t *testing.T) {
			e := newS3Edge(t, Options{S3: S3Options{Endpoint: endpoint, AccessKeyID: moto.Key.AccessKeyID, SecretAccessKey: moto.Key.SecretAccessKey}},
				s3Distribution("media.s3.amazonaws.com", tt.oai))
			var hdr []string
			if tt.status == 206 {
				hdr = []string{"Range", "bytes=5-9"}
			}
			r := e.do(t, e.http, "GET", "d3.cloudfront.test", tt.path, hdr...)
			if r.StatusCode != tt.status || (tt.body != "" && r.body != tt.body) {
				t.Fatalf("%d %q, want %d %q", r.StatusCode, r.body, tt.status, tt.body)
			}
		})
	}
}

// TestS3SignsOnlyGrantedOAIs: the operator's key signs an OAI origin's
// request only when a grant names the OAI or the distribution's account
// for that bucket (or "*"); any other OAI origin is fetched anonymously and
// gets the bucket's own 403, as S3 answers a principal its bucket policy
// does not name (CloudFront Developer Guide, "Restricting access to an
// Amazon S3 origin": the bucket policy grants the OAI read access).
func TestS3SignsOnlyGrantedOAIs(t *testing.T) {
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		io.WriteString(w, "secret object")
	})
	const oaiID = "E74FTE3AEXAMPLE"
	const other = "999988887777"
	tests := []struct {
		name   string
		grants []buckets.Grant
		signed bool
	}{
		{"no grants", nil, false},
		{"bucket granted to the account", []buckets.Grant{{Bucket: "private", AccountID: s3Account}}, true},
		{"bucket granted to the OAI", []buckets.Grant{{Bucket: "private", OAIID: oaiID}}, true},
		{"every bucket granted to the account", []buckets.Grant{{Bucket: buckets.Every, AccountID: s3Account}}, true},
		{"bucket granted to another account", []buckets.Grant{{Bucket: "private", AccountID: other}}, false},
		{"every bucket granted to another account", []buckets.Grant{{Bucket: buckets.Every, AccountID: other}}, false},
		{"bucket granted to another OAI", []buckets.Grant{{Bucket: "private", OAIID: "E2OTHEREXAMPLE"}}, false},
		{"another bucket granted", []buckets.Grant{{Bucket: "public", AccountID: s3Account}, {Bucket: "private2", OAIID: oaiID}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s3Distribution("private.s3.amazonaws.com", "origin-access-identity/cloudfront/"+oaiID)
			e := newEdgeSnapshot(t, Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}},
				&feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: tt.grants})
			r := e.get(t, "d3.cloudfront.test", "/a.txt")
			signed := fake.lastRequest().Header.Get("Authorization") != ""
			if signed != tt.signed {
				t.Fatalf("signed = %v, want %v", signed, tt.signed)
			}
			if tt.signed && (r.StatusCode != 200 || r.body != "secret object") {
				t.Fatalf("granted: %d %q", r.StatusCode, r.body)
			}
			if !tt.signed && (r.StatusCode != 403 || strings.Contains(r.body, "secret")) {
				t.Fatalf("not granted: %d %q", r.StatusCode, r.body)
			}
		})
	}
	t.Run("a revoke takes effect with the next snapshot, cached copies too", func(t *testing.T) {
		d := s3Distribution("private.s3.amazonaws.com", "origin-access-identity/cloudfront/"+oaiID)
		e := newEdgeSnapshot(t, Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}},
			&feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: []buckets.Grant{{Bucket: "private", OAIID: oaiID}}})
		if r := e.get(t, "d3.cloudfront.test", "/one.txt"); r.StatusCode != 200 {
			t.Fatalf("granted: %d", r.StatusCode)
		}
		if err := e.Apply(&feed.Snapshot{Revision: 2, Distributions: records(d)}, nil); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/two.txt", "/one.txt"} { // a cached copy goes with the grant
			if r := e.get(t, "d3.cloudfront.test", path); r.StatusCode != 403 || strings.Contains(r.body, "secret") {
				t.Fatalf("%s after the revoke: %d %q", path, r.StatusCode, r.body)
			}
		}
	})
	// A form is built at its distribution's first request (Server.ready),
	// possibly several snapshots after the one that placed it: it must be
	// built with the grants in force, whatever the order.
	grant := []buckets.Grant{{Bucket: "private", OAIID: oaiID}}
	opts := Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}
	t.Run("a revoke before the first request", func(t *testing.T) {
		d := s3Distribution("private.s3.amazonaws.com", "origin-access-identity/cloudfront/"+oaiID)
		e := newEdgeSnapshot(t, opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: grant})
		if err := e.Apply(&feed.Snapshot{Revision: 2, Distributions: e.snap.Load().snap.Distributions}, nil); err != nil {
			t.Fatal(err)
		}
		if r := e.get(t, "d3.cloudfront.test", "/a.txt"); r.StatusCode != 403 || strings.Contains(r.body, "secret") {
			t.Fatalf("revoked: %d %q", r.StatusCode, r.body)
		}
	})
	t.Run("a grant before the first request", func(t *testing.T) {
		d := s3Distribution("private.s3.amazonaws.com", "origin-access-identity/cloudfront/"+oaiID)
		e := newEdgeSnapshot(t, opts, &feed.Snapshot{Revision: 1, Distributions: records(d)})
		if err := e.Apply(&feed.Snapshot{Revision: 2, Distributions: e.snap.Load().snap.Distributions, BucketGrants: grant}, nil); err != nil {
			t.Fatal(err)
		}
		if r := e.get(t, "d3.cloudfront.test", "/a.txt"); r.StatusCode != 200 || r.body != "secret object" {
			t.Fatalf("granted: %d %q", r.StatusCode, r.body)
		}
	})
	t.Run("a request on the snapshot before a revoke builds its form after it", func(t *testing.T) {
		d := s3Distribution("private.s3.amazonaws.com", "origin-access-identity/cloudfront/"+oaiID)
		e := newEdgeSnapshot(t, opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: grant})
		before := e.snap.Load()
		if err := e.Apply(&feed.Snapshot{Revision: 2, Distributions: before.snap.Distributions}, nil); err != nil {
			t.Fatal(err)
		}
		// The late request builds the form it routed to, signed as its
		// snapshot's grants say; the current snapshot must not share it.
		if old := e.ready(before.byID.get(d.ID)); old == nil || !old.origins[0].signed {
			t.Fatal("the form placed under the grant was not built signed")
		}
		if r := e.get(t, "d3.cloudfront.test", "/a.txt"); r.StatusCode != 403 || strings.Contains(r.body, "secret") {
			t.Fatalf("after the revoke: %d %q", r.StatusCode, r.body)
		}
	})
}

// TestS3ViewersCannotWieldTheOperatorKey: the operator's key signs only
// reads (GET, HEAD) of an OAI origin whose bucket is granted, as the
// grant lets the OAI read and nothing more; other methods reach S3
// unsigned. A viewer's x-amz-* headers (in any case, or with underscores)
// reach no S3 origin, signed or not, unless the behaviour names them (it
// then keys them) or forwards every header; X-Amz-Cf-Id is the edge's.
func TestS3ViewersCannotWieldTheOperatorKey(t *testing.T) {
	type seen struct {
		method string
		signed bool
		amz    []string // the x-amz-* headers S3 got, but the edge's own
	}
	var (
		mu   sync.Mutex
		last seen
	)
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		s := seen{method: r.Method, signed: r.Header.Get("Authorization") != ""}
		for k := range r.Header {
			switch k {
			case "X-Amz-Cf-Id", "X-Amz-Date", "X-Amz-Content-Sha256":
			default:
				if l := strings.ToLower(k); strings.HasPrefix(l, "x-amz-") || strings.HasPrefix(l, "x_amz_") {
					s.amz = append(s.amz, k)
				}
			}
		}
		slices.Sort(s.amz)
		mu.Lock()
		last = s
		mu.Unlock()
		io.WriteString(w, "ok")
	})
	opts := Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}
	const oai = "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"
	viewerAmz := []string{"X-Amz-Copy-Source", "/other/secret.txt", "x-amz-security-token", "junk",
		"X_Amz_Server_Side_Encryption_Customer_Algorithm", "AES256", "X-Amz-Meta-Color", "red"}
	tests := []struct {
		name    string
		oai     string
		headers []string // ForwardedValues/Headers
		method  string
		signed  bool
		amz     []string
	}{
		{"GET is signed, without the viewer's x-amz-*", oai, nil, "GET", true, nil},
		{"HEAD is signed (a GET, to cache the object)", oai, nil, "HEAD", true, nil},
		{"OPTIONS is not", oai, nil, "OPTIONS", false, nil},
		{"PUT is not", oai, nil, "PUT", false, nil},
		{"POST is not", oai, nil, "POST", false, nil},
		{"PATCH is not", oai, nil, "PATCH", false, nil},
		{"DELETE is not", oai, nil, "DELETE", false, nil},
		{"an unsigned origin gets no x-amz-* either", "", nil, "GET", false, nil},
		{"a header the behaviour keys is forwarded", oai, []string{"X-Amz-Meta-Color"}, "GET", true, []string{"X-Amz-Meta-Color"}},
		{"every header, nothing cached", oai, []string{"*"}, "PUT", false,
			[]string{"X-Amz-Copy-Source", "X-Amz-Meta-Color", "X-Amz-Security-Token", "X_amz_server_side_encryption_customer_algorithm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s3Distribution("media.s3.amazonaws.com", tt.oai)
			d.Config.DefaultCacheBehavior.AllowedMethods = allSeven
			d.Config.DefaultCacheBehavior.Headers = tt.headers
			e := newS3Edge(t, opts, d)
			if r := e.do(t, e.http, tt.method, "d3.cloudfront.test", "/a.txt", viewerAmz...); r.StatusCode != 200 {
				t.Fatalf("%d %q", r.StatusCode, r.body)
			}
			mu.Lock()
			got := last
			mu.Unlock()
			want := tt.method
			if want == "HEAD" {
				want = "GET"
			}
			if got.method != want || got.signed != tt.signed || !slices.Equal(got.amz, tt.amz) {
				t.Fatalf("S3 got %s signed=%v x-amz-* %v, want %s signed=%v %v", got.method, got.signed, got.amz, want, tt.signed, tt.amz)
			}
		})
	}
}

// TestS3WriteGrantSignsObjectWrites: under a write grant the edge signs
// what the bucket policy CloudFront's guide gives for uploads allows
// (s3:PutObject, s3:DeleteObject): one object's PUT and DELETE and the
// steps of a multipart upload. The bucket's own requests, other
// subresources and writes that ask S3 for more through keyed x-amz-*
// headers (a copy reads another bucket; ACLs and object lock are other
// permissions) go out unsigned, for S3 to refuse. A read grant signs no
// write, and a change of grant reaches a distribution already served.
func TestS3WriteGrantSignsObjectWrites(t *testing.T) {
	type seen struct {
		method, path, query string
		signed              bool
	}
	var (
		mu   sync.Mutex
		last seen
	)
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		last = seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization") != ""}
		mu.Unlock()
		io.WriteString(w, "ok")
	})
	opts := Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}
	const oaiID = "E74FTE3AEXAMPLE"
	d := s3Distribution("media.s3.amazonaws.com", "origin-access-identity/cloudfront/"+oaiID)
	d.Config.DefaultCacheBehavior.AllowedMethods = allSeven
	d.Config.DefaultCacheBehavior.QueryString = true
	d.Config.DefaultCacheBehavior.Headers = []string{"X-Amz-Meta-Color", "X-Amz-Copy-Source", "X-Amz-Acl",
		"X-Amz-Grant-Read", "X-Amz-Object-Lock-Mode", "X_amz_copy_source", "X-Amz-Tagging",
		"X-Amz-Server-Side-Encryption", "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"}
	read := []buckets.Grant{{Bucket: "media", OAIID: oaiID}}
	write := []buckets.Grant{{Bucket: "media", OAIID: oaiID, Write: true}}
	e := newEdgeSnapshot(t, opts, &feed.Snapshot{Revision: 1, Distributions: records(d), BucketGrants: write})

	tests := []struct {
		name, method, path string
		header             []string
		signed             bool
	}{
		{"PUT of an object", "PUT", "/up/a.txt", []string{"X-Amz-Meta-Color", "red"}, true},
		{"PUT named by an AWS SDK", "PUT", "/up/a.txt?x-id=PutObject", nil, true},
		{"DELETE of an object", "DELETE", "/up/a.txt", nil, true},
		{"multipart: create", "POST", "/up/big?uploads", nil, true},
		{"multipart: a part", "PUT", "/up/big?partNumber=1&uploadId=u1", nil, true},
		{"multipart: complete", "POST", "/up/big?uploadId=u1", nil, true},
		{"multipart: abort", "DELETE", "/up/big?uploadId=u1", nil, true},
		{"GET still signed", "GET", "/up/a.txt", nil, true},
		{"POST without a multipart step", "POST", "/up/a.txt", nil, false},
		{"PATCH", "PATCH", "/up/a.txt", nil, false},
		{"OPTIONS", "OPTIONS", "/up/a.txt", nil, false},
		{"the bucket: DELETE", "DELETE", "/", nil, false},
		{"the bucket: policy", "PUT", "/?policy", nil, false},
		{"the bucket: many deletes", "POST", "/?delete", nil, false},
		{"an object's ACL", "PUT", "/up/a.txt?acl", nil, false},
		{"an object's tags", "PUT", "/up/a.txt?tagging", nil, false},
		{"a subresource beside a part", "PUT", "/up/big?partNumber=1&uploadId=u1&acl", nil, false},
		{"a multipart step named in another case", "POST", "/up/big?UPLOADS", nil, false},
		{"a restore", "POST", "/up/a.txt?restore", nil, false},
		{"a copy", "PUT", "/up/stolen.txt", []string{"X-Amz-Copy-Source", "/other/secret.txt"}, false},
		{"a copy into a part", "PUT", "/up/big?partNumber=1&uploadId=u1", []string{"X-Amz-Copy-Source", "other/secret.txt"}, false},
		{"a copy spelled with underscores", "PUT", "/up/stolen.txt", []string{"X_amz_copy_source", "/other/secret.txt"}, false},
		{"a canned ACL", "PUT", "/up/a.txt", []string{"X-Amz-Acl", "public-read"}, false},
		{"a grant", "PUT", "/up/a.txt", []string{"X-Amz-Grant-Read", "uri=http://acs.amazonaws.com/groups/global/AllUsers"}, false},
		{"object lock", "PUT", "/up/a.txt", []string{"X-Amz-Object-Lock-Mode", "COMPLIANCE"}, false},
		{"tags", "PUT", "/up/a.txt", []string{"X-Amz-Tagging", "public=yes"}, false},
		{"encrypted by S3", "PUT", "/up/a.txt", []string{"X-Amz-Server-Side-Encryption", "AES256"}, true},
		{"encrypted with a KMS key named by id", "PUT", "/up/a.txt", []string{"X-Amz-Server-Side-Encryption", "aws:kms",
			"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", "arn:aws:kms:us-east-1:999988887777:key/other"}, false},
	}
	check := func(t *testing.T, method, path string, header []string, signed bool) {
		t.Helper()
		if r := e.do(t, e.http, method, "d3.cloudfront.test", path, header...); r.StatusCode != 200 {
			t.Fatalf("%d %q", r.StatusCode, r.body)
		}
		mu.Lock()
		got := last
		mu.Unlock()
		p, q, _ := strings.Cut(path, "?")
		// The signer sends a parameter without a value as "name=".
		q, got.query = valued(q), valued(got.query)
		if got.method != method || got.path != "/media"+p || got.query != q || got.signed != signed {
			t.Fatalf("S3 got %s %s?%s signed=%v, want %s /media%s?%s signed=%v", got.method, got.path, got.query, got.signed, method, p, q, signed)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.method, tt.path, tt.header, tt.signed) })
	}
	t.Run("a read grant signs no write, the next snapshot's grant counts", func(t *testing.T) {
		for i, grants := range [][]buckets.Grant{read, write, nil} {
			if err := e.Apply(&feed.Snapshot{Revision: int64(2 + i), Distributions: records(d), BucketGrants: grants}, nil); err != nil {
				t.Fatal(err)
			}
			w := len(grants) == 1 && grants[0].Write
			check(t, "PUT", "/up/a.txt", nil, w)
			check(t, "DELETE", "/up/a.txt", nil, w)
			check(t, "GET", fmt.Sprintf("/up/read%d.txt", i), nil, grants != nil)
		}
	})
}

// TestS3SignsOnlyObjectReads: a grant lets an OAI get objects, as the
// bucket policy CloudFront's guide gives (s3:GetObject). The bucket's
// listing ("/", which a distribution without a DefaultRootObject sends),
// the bucket's other reads, and an object's subresources that S3 grants
// with other permissions go out unsigned, for S3 to refuse, as does a
// viewer's own presigned URL, for S3 to check; parameters S3 ignores on
// GetObject stay signed.
func TestS3SignsOnlyObjectReads(t *testing.T) {
	var (
		mu     sync.Mutex
		signed bool
	)
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		signed = r.Header.Get("Authorization") != ""
		mu.Unlock()
		io.WriteString(w, "ok")
	})
	d := s3Distribution("media.s3.amazonaws.com", "origin-access-identity/cloudfront/E74FTE3AEXAMPLE")
	d.Config.DefaultCacheBehavior.QueryString = true
	d.Config.DefaultCacheBehavior.DefaultTTL = ptr(int64(0)) // every request reaches the fake
	e := newS3Edge(t, Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}, d)
	for _, tt := range []struct {
		method, path string
		signed       bool
	}{
		{"GET", "/a.txt", true},
		{"HEAD", "/a.txt", true},
		{"GET", "/dir/", true}, // a folder's marker object
		{"GET", "/a.txt?v=2", true},
		{"GET", "/a.txt?response-content-type=text/plain&partNumber=1", true},
		{"GET", "/", false},
		{"GET", "/?list-type=2&prefix=private/", false},
		{"GET", "/?policy", false},
		{"HEAD", "/", false},
		{"GET", "/a.txt?acl", false},
		{"GET", "/a.txt?tagging", false},
		{"GET", "/a.txt?versionId=3HL4kqtJlcpXroDTDmJ", false},
		{"GET", "/a.txt?uploadId=u1", false},
		{"GET", "/a.txt?attributes", false},
		{"GET", "/a.txt?v=2&ACL", false},
		{"GET", "/a.txt?%61cl", false},
		{"GET", "/a.txt?%zz", false},
		{"GET", "/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc", false},
		{"GET", "/a.txt?x-amz-credential=x", false},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if r := e.do(t, e.http, tt.method, "d3.cloudfront.test", tt.path); r.StatusCode != 200 {
				t.Fatalf("%d %q", r.StatusCode, r.body)
			}
			mu.Lock()
			defer mu.Unlock()
			if signed != tt.signed {
				t.Fatalf("signed = %v, want %v", signed, tt.signed)
			}
		})
	}
}

// TestS3SignsNoHopByHopHeader: what a proxy or the store's front end may
// drop or rewrite (hop-by-hop headers, Via and X-Forwarded-For, which
// proxies append to) is sent but left out of the signature, else the
// store answers SignatureDoesNotMatch (moto_server drops Connection; an
// S3-compatible store behind nginx gets "Connection: close"). Host and
// the x-amz-* headers, which S3 requires signed, are in it.
func TestS3SignsNoHopByHopHeader(t *testing.T) {
	var (
		mu     sync.Mutex
		signed []string
		sent   http.Header
	)
	fake := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		_, list, _ := strings.Cut(r.Header.Get("Authorization"), "SignedHeaders=")
		list, _, _ = strings.Cut(list, ",")
		mu.Lock()
		signed, sent = strings.Split(list, ";"), r.Header.Clone()
		mu.Unlock()
		io.WriteString(w, "ok")
	})
	d := s3Distribution("media.s3.amazonaws.com", "origin-access-identity/cloudfront/E74FTE3AEXAMPLE")
	d.Config.DefaultCacheBehavior.Headers = []string{"Referer", "Cache-Control", "Accept-Language"}
	e := newS3Edge(t, Options{S3: S3Options{Endpoint: fake.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}}, d)
	if r := e.do(t, e.http, "GET", "d3.cloudfront.test", "/a.txt", "Referer", "https://example.com/",
		"Cache-Control", "no-cache", "Accept-Language", "fr", "X-Forwarded-For", "192.0.2.1"); r.StatusCode != 200 {
		t.Fatalf("%d %q", r.StatusCode, r.body)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, h := range []string{"host", "x-amz-cf-id", "x-amz-content-sha256", "x-amz-date", "accept-language"} {
		if !slices.Contains(signed, h) {
			t.Errorf("%s is not signed: %v", h, signed)
		}
	}
	for _, h := range []string{"connection", "via", "x-forwarded-for", "referer", "cache-control", "user-agent"} {
		if slices.Contains(signed, h) {
			t.Errorf("%s is signed: %v", h, signed)
		}
	}
	for _, h := range []string{"Via", "X-Forwarded-For", "Referer", "Cache-Control"} {
		if sent.Get(h) == "" {
			t.Errorf("%s was not sent", h)
		}
	}
}

// TestS3SigningRegion: S3 refuses a signature for another region than
// the bucket's (AuthorizationHeaderMalformed), so without an endpoint a
// DomainName that names a region is signed for it; the global name, and
// every origin of a configured endpoint (one store, one region), take the
// configured region.
func TestS3SigningRegion(t *testing.T) {
	tests := []struct{ domain, region string }{
		{"media.s3.amazonaws.com", ""},
		{"media.s3.eu-west-1.amazonaws.com", "eu-west-1"},
		{"media.s3-eu-west-1.amazonaws.com", "eu-west-1"},
		{"Media.S3.AP-Southeast-2.amazonaws.com.", "ap-southeast-2"},
		{"media.s3.dualstack.us-west-2.amazonaws.com", "us-west-2"},
		{"media.s3.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
		{"media.s3.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"media.s3-external-1.amazonaws.com", "us-east-1"},
		{"a.s3.eu-west-1.s3.amazonaws.com", ""}, // bucket a.s3.eu-west-1, global name
		{"a.s3.b.s3.eu-north-1.amazonaws.com", "eu-north-1"},
		{"media.s3.example.com", ""},
		{"media.s3.not-a-region.amazonaws.com", ""},
		{"media.s3-website-us-east-1.amazonaws.com", ""},
	}
	for _, tt := range tests {
		if got := awsRegion(tt.domain); got != tt.region {
			t.Errorf("awsRegion(%q) = %q, want %q", tt.domain, got, tt.region)
		}
	}
	aws, _ := newS3Client(S3Options{Region: "us-east-1"})
	store, _ := newS3Client(S3Options{Region: "us-east-1", Endpoint: "http://127.0.0.1:9000"})
	for _, c := range []struct {
		client *s3Client
		domain string
		want   string
	}{
		{aws, "media.s3.eu-west-1.amazonaws.com", "eu-west-1"},
		{aws, "media.s3.amazonaws.com", "us-east-1"},
		{store, "media.s3.eu-west-1.amazonaws.com", "us-east-1"},
	} {
		g := compileOrigin(cloudfront.Origin{ID: "s3", DomainName: c.domain, S3: &cloudfront.S3OriginConfig{}}, "", nil)
		if got := c.client.regionOf(g); got != c.want {
			t.Errorf("%s (endpoint %v): signed for %q, want %q", c.domain, c.client.endpoint, got, c.want)
		}
	}
}

// valued spells each parameter of query with its "=".
func valued(query string) string {
	if query == "" {
		return ""
	}
	ps := strings.Split(query, "&")
	for i := range ps {
		if !strings.Contains(ps[i], "=") {
			ps[i] += "="
		}
	}
	return strings.Join(ps, "&")
}

// TestBucketOfOrigin: the bucket whose grant decides the signing is the one
// the request reaches, as the control plane reads it from the origin's
// DomainName (cloudfront.Rules.S3BucketName) and S3 from the host.
func TestBucketOfOrigin(t *testing.T) {
	rules := cloudfront.Rules{}
	for _, domain := range []string{
		"media.s3.amazonaws.com",
		"my.bucket.s3.amazonaws.com",
		"a.s3.b.s3.amazonaws.com",
		"a.s3-b.s3.amazonaws.com",
		"media.s3-eu-west-1.amazonaws.com",
		"a.s3.b.s3-eu-west-1.amazonaws.com",
		"media.s3.eu-west-1.amazonaws.com",
		"a.s3.b.s3.eu-west-1.amazonaws.com",
		"Media.S3.amazonaws.com",
	} {
		want, ok := rules.S3BucketName(domain)
		if !ok {
			t.Fatalf("%s: the control plane takes no bucket from it", domain)
		}
		if got := buckets.Of(domain); got != want {
			t.Errorf("buckets.Of(%q) = %q, the control plane reads %q", domain, got, want)
		}
	}
}
