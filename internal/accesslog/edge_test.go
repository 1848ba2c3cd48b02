package accesslog

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edge"
	"github.com/openfront/openfront/internal/feed"
)

// TestEdgeToFolder runs a real edge whose AccessLog hook is a Writer fed
// through WrapApplier, and checks the delivered lines: cs(Host) is the
// distribution's domain even through a CNAME, the query is logged
// although not forwarded, and cookies only with IncludeCookies.
func TestEdgeToFolder(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}))
	defer origin.Close()
	u, _ := url.Parse(origin.URL)
	port, _ := strconv.Atoi(u.Port())

	root := t.TempDir()
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}})
	e, err := edge.New(edge.Options{Location: "TST1", AccessLog: w.Log})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	dist := func(id, domain, alias string, cookies bool) cloudfront.Distribution {
		return cloudfront.Distribution{
			ID: id, AccountID: logAccount, DomainName: domain, Status: cloudfront.StatusDeployed,
			Config: cloudfront.DistributionConfig{
				Aliases: []string{alias},
				Origins: []cloudfront.Origin{{ID: "o", DomainName: u.Hostname(),
					Custom: &cloudfront.CustomOriginConfig{HTTPPort: port, HTTPSPort: port, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}},
				DefaultCacheBehavior: cloudfront.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
					Cookies: cloudfront.CookiePreference{Forward: cloudfront.ForwardNone}},
				Logging: cloudfront.Logging{Enabled: true, IncludeCookies: cookies, Bucket: "logs.s3.amazonaws.com", Prefix: id + "/"},
				Enabled: true,
			},
		}
	}
	snap := &feed.Snapshot{Revision: 1, Distributions: records(
		dist("EWITHCOOKIES", "d1.cloudfront.test", "www.example.com", true),
		dist("ENOCOOKIES", "d2.cloudfront.test", "img.example.com", false),
	), BucketGrants: allBuckets}
	if err := WrapApplier(e, w).Apply(snap, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	for host, status := range map[string]int{"www.example.com": 200, "img.example.com": 200, "unknown.example.com": 403} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/a%20b.txt?x=1&y=two%20words", nil)
		req.Host = host
		req.Header.Set("Cookie", "session=s1")
		req.Header.Set("User-Agent", "Test Agent/1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != status {
			t.Errorf("%s: status %d, want %d", host, resp.StatusCode, status)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if err := w.Close(t.Context()); err != nil {
		t.Fatal(err)
	}

	files := logFiles(t, root)
	if len(files) != 2 {
		t.Fatalf("%d files: %v", len(files), files)
	}
	want := map[string]struct{ host, cookie string }{
		"EWITHCOOKIES": {"d1.cloudfront.test", "session=s1"},
		"ENOCOOKIES":   {"d2.cloudfront.test", "-"},
	}
	for name, lines := range files {
		checkHeader(t, name, lines)
		if len(lines) != 3 {
			t.Fatalf("%s: %q", name, lines)
		}
		id := strings.Split(name, "/")[1]
		f := strings.Split(lines[2], "\t")
		if len(f) != 33 {
			t.Fatalf("%d fields: %q", len(f), lines[2])
		}
		w := want[id]
		if f[2] != "TST1" || f[5] != "GET" || f[6] != w.host || f[7] != "/a%2520b.txt" || f[8] != "200" ||
			f[10] != "Test%20Agent/1.0" || f[11] != "x=1&y=two%2520words" || f[12] != w.cookie || f[14] == "-" {
			t.Errorf("%s: %q", name, f)
		}
	}
}
