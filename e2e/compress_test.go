package e2e

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestCompressThroughAPI2020: a distribution created through 2020-05-31
// with Compress on its default behaviour and legacy cache settings, served
// by the real binary: the viewer gets gzip when it accepts gzip, even if it
// prefers br ("Brotli doesn't support legacy cache settings", developer
// guide, "Serve compressed files"), identity otherwise, each decoded back
// to the origin's bytes, and each encoding fetched from the origin once.
func TestCompressThroughAPI2020(t *testing.T) {
	page := strings.Repeat("<p>compress me through the real binary, please.</p>\n", 200)
	var originHits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		originHits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	host, port := hostPort(t, srv.URL)

	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	cfg := fmt.Sprintf(`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>compress-1</CallerReference>`+
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>%s</DomainName><CustomOriginConfig>`+
		`<HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>`+
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><Compress>true</Compress>`+
		`<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues><MinTTL>0</MinTTL></DefaultCacheBehavior>`+
		`<Comment /><Enabled>true</Enabled></DistributionConfig>`, host, port)
	r := c.must(t, "POST", "/2020-05-31/distribution", cfg)
	if r.status != 201 || !strings.Contains(r.body, "<Compress>true</Compress>") {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	domain := field(domainRE, r.body)

	get := func(ae string) *http.Response {
		deadline := time.Now().Add(5 * time.Second)
		for {
			var hdr []string
			if ae != "" {
				hdr = []string{"Accept-Encoding", ae}
			}
			res, body := viewer(t, "http", edgeAddr, domain, "GET", "/index.html", hdr...)
			if res.StatusCode == 200 || time.Now().After(deadline) {
				res.Body = io.NopCloser(strings.NewReader(body))
				return res
			}
			time.Sleep(20 * time.Millisecond) // until the edge has the distribution
		}
	}
	for _, tt := range []struct{ ae, want string }{
		{"gzip, deflate, br", "gzip"}, {"gzip", "gzip"}, {"", ""}, {"br", ""},
	} {
		res := get(tt.ae)
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != tt.want {
			t.Fatalf("Accept-Encoding %q: %d, Content-Encoding %q, want %q", tt.ae, res.StatusCode, res.Header.Get("Content-Encoding"), tt.want)
		}
		var rd io.Reader = bytes.NewReader(b)
		switch tt.want {
		case "gzip":
			zr, err := gzip.NewReader(rd)
			if err != nil {
				t.Fatal(err)
			}
			rd = zr
		}
		got, err := io.ReadAll(rd)
		if err != nil || string(got) != page {
			t.Fatalf("Accept-Encoding %q: decoded %d bytes (%v), want the page", tt.ae, len(got), err)
		}
	}
	if n := originHits.Load(); n != 2 {
		t.Fatalf("origin fetched %d times, want 2 (gzip, identity)", n)
	}
}
