package edge

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/geoip"
	"github.com/openfront/openfront/internal/geoip/geoiptest"
	"github.com/openfront/openfront/internal/urlpath"
)

// TestCustomErrorEdgeMade: the errors the edge makes itself, before any
// origin is asked, get the distribution's custom error page for their
// status, except the 400 for an unsafe path (see edgeErrorHasPage for the
// developer guide's words on each). The refused request never reaches
// its origin; only the page's origin is asked, for the page. Viewers come
// from 127.0.0.1 (FR, whitelisted) unless the case says otherwise.
func TestCustomErrorEdgeMade(t *testing.T) {
	db, err := geoip.Open(geoiptest.Write(t, map[string]string{"127.0.0.1/32": "FR", "127.0.0.2/32": "US"}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	asked := map[string]int{}
	content := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		mu.Unlock()
		io.WriteString(w, "content "+r.URL.Path)
	})
	pages := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "page "+strings.TrimPrefix(r.URL.Path, "/errors/"))
	})
	var logs logRecords
	e := newEdge(t, Options{Countries: db, SignedURLs: &denyChecker{}, AccessLog: logs.add}, distribution(content.Server, withLogging, func(cfg *cloudfront.DistributionConfig) {
		cfg.Origins = append(cfg.Origins, customOrigin("pages", pages.Server, cloudfront.OriginHTTPOnly))
		secure := cacheBehavior("o")
		secure.PathPattern, secure.ViewerProtocolPolicy = "/secure/*", cloudfront.ViewerHTTPSOnly
		signed := cacheBehavior("o")
		signed.PathPattern = "/signed/*"
		signed.TrustedSigners = cloudfront.TrustedSigners{Enabled: true, Items: []string{"self"}}
		signed.QueryString = true
		errs := cacheBehavior("pages")
		errs.PathPattern = "/errors/*"
		cfg.CacheBehaviors = []cloudfront.CacheBehavior{secure, signed, errs}
		cfg.Restrictions = cloudfront.GeoRestriction{RestrictionType: cloudfront.GeoWhitelist, Locations: []string{"FR"}}
		cfg.CustomErrorResponses = []cloudfront.CustomErrorResponse{
			errorResponse(403, "/errors/403.html", "", nil),
			errorResponse(414, "/errors/414.html", "200", nil),
			errorResponse(400, "/errors/400.html", "", nil),
		}
	}))
	long := "/" + strings.Repeat("a", urlpath.MaxLength)
	cases := []struct {
		name          string
		from          string // viewer address; "" for 127.0.0.1
		https         bool
		method, path  string
		body          string
		wantStatus    int
		wantBody      string // exact
		wantDetail    string // x-edge-detailed-result-type, "" for any
		reachesOrigin bool
	}{
		{name: "geo-blocked", from: "127.0.0.2", method: "GET", path: "/geo", wantStatus: 403, wantBody: "page 403.html", wantDetail: "ClientGeoBlocked"},
		{name: "method the behaviour does not allow", method: "DELETE", path: "/delete", wantStatus: 403, wantBody: "page 403.html", wantDetail: "InvalidRequestMethod"},
		{name: "method CloudFront does not know", method: "BREW", path: "/brew", wantStatus: 403, wantBody: "page 403.html", wantDetail: "InvalidRequestMethod"},
		{name: "GET with a body", method: "GET", path: "/body", body: "x", wantStatus: 403, wantBody: "page 403.html"},
		{name: "HTTP to https-only", method: "GET", path: "/secure/http", wantStatus: 403, wantBody: "page 403.html"},
		{name: "HEAD over HTTP to https-only", method: "HEAD", path: "/secure/head", wantStatus: 403, wantBody: ""},
		{name: "refused signed URL", method: "GET", path: "/signed/refused?deny=1", wantStatus: 403, wantBody: "page 403.html"},
		{name: "request target too long, page with 200", method: "GET", path: long, wantStatus: 200, wantBody: "page 414.html"},
		// "If CloudFront detects that a request might be unsafe, CloudFront
		// returns a 400 (Bad Request) error instead of a custom error page."
		{name: "unsafe path keeps CloudFront's 400", method: "GET", path: "/public/..%5Cprivate/x", wantStatus: 400, wantBody: string(pageBadRequest)},
		// Controls: what is allowed is served from the origin.
		{name: "HTTPS to https-only", https: true, method: "GET", path: "/secure/ok", wantStatus: 200, wantBody: "content /secure/ok", reachesOrigin: true},
		{name: "signed URL accepted", method: "GET", path: "/signed/ok", wantStatus: 200, wantBody: "content /signed/ok", reachesOrigin: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from := c.from
			if from == "" {
				from = "127.0.0.1"
			}
			srv := e.http
			if c.https {
				srv = e.https
			}
			tr := srv.Client().Transport.(*http.Transport).Clone()
			d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			}
			defer tr.CloseIdleConnections()
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, err := http.NewRequest(c.method, srv.URL+c.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = "d1.cloudfront.test"
			// One encoding class for every request (Go's client asks for gzip
			// on some methods only), so that the page is keyed once.
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.wantStatus || string(b) != c.wantBody {
				t.Fatalf("got %d %.80q, want %d %.80q", resp.StatusCode, b, c.wantStatus, c.wantBody)
			}
			path, _, _ := strings.Cut(c.path, "?")
			mu.Lock()
			n := asked[path]
			mu.Unlock()
			if got := n > 0; got != c.reachesOrigin {
				t.Fatalf("the content origin was asked for %s %d times", path, n)
			}
			rec := logs.last(t)
			if !c.reachesOrigin {
				if x := resp.Header.Get("X-Cache"); x != "Error from cloudfront" {
					t.Errorf("X-Cache %q", x)
				}
				if rec.ResultType != "Error" || (c.wantDetail != "" && rec.DetailedResultType != c.wantDetail) {
					t.Errorf("logged as %s/%s, want Error/%s", rec.ResultType, rec.DetailedResultType, c.wantDetail)
				}
			}
		})
	}
	// The page was fetched once and then served from cache to every refusal.
	if n := pages.hits.Load(); n != 2 {
		t.Errorf("the pages origin was asked %d times, want 2 (403.html and 414.html once each)", n)
	}
}
