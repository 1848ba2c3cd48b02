package e2e

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// rangesObject is a generated object with ranges (http.ServeContent).
type rangesObject struct{ size, off int64 }

func rangesByte(i int64) byte { return byte(i*7 + i>>12) }

func (o *rangesObject) Read(b []byte) (int, error) {
	if o.off >= o.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), o.size-o.off))
	for i := range n {
		b[i] = rangesByte(o.off + int64(i))
	}
	o.off += int64(n)
	return n, nil
}

func (o *rangesObject) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		o.off = off
	case io.SeekCurrent:
		o.off += off
	case io.SeekEnd:
		o.off = o.size + off
	}
	return o.off, nil
}

func rangesBytes(from, n int64) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = rangesByte(from + int64(i))
	}
	return b
}

// rangesCurl runs curl (a real client) against the edge and returns the
// status line's code, the headers and the body.
func rangesCurl(t *testing.T, edgeAddr, host, path string, args ...string) (int, http.Header, []byte) {
	t.Helper()
	dir := t.TempDir()
	hf, bf := filepath.Join(dir, "headers"), filepath.Join(dir, "body")
	cmd := exec.Command("curl", append([]string{"-sS", "-D", hf, "-o", bf, "-H", "Host: " + host}, append(args, "http://"+edgeAddr+path)...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("curl: %v: %s", err, out)
	}
	raw, _ := os.ReadFile(hf)
	body, _ := os.ReadFile(bf)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\r\n")
	var code int
	fmt.Sscanf(lines[0], "HTTP/1.1 %d", &code)
	h := http.Header{}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ":"); ok {
			h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	return code, h, body
}

// TestRangesCurl: curl asks the real binary for one range and for two
// ranges of a cold object larger than --part-size: a 206 with the bytes,
// and a 206 multipart/byteranges whose parts (read with mime/multipart)
// are the bytes asked for; the origin was asked only for the parts that
// hold them.
func TestRangesCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	const size, partSize = 1 << 20, 64 << 10
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Header.Get("Range"))
		mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, "", time.Date(2012, 10, 1, 0, 0, 0, 0, time.UTC), &rangesObject{size: size})
	}))
	defer srv.Close()
	host, port := hostPort(t, srv.URL)

	data := t.TempDir()
	apiAddr, edgeAddr := freeAddr(t), freeAddr(t)
	start(t, `^\(saved in `, "serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", edgeAddr,
		"--part-size", fmt.Sprint(partSize))
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}
	cfg := fmt.Sprintf(`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>ranges-1</CallerReference>`+
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>%s</DomainName><CustomOriginConfig>`+
		`<HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>`+
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>`+
		`<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues><MinTTL>0</MinTTL></DefaultCacheBehavior>`+
		`<Comment /><Enabled>true</Enabled></DistributionConfig>`, host, port)
	r := c.must(t, "POST", "/2020-05-31/distribution", cfg)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	domain := field(domainRE, r.body)
	deadline := time.Now().Add(5 * time.Second)
	for {
		// Until the edge has the distribution (a path of its own, so the
		// object under test stays cold).
		res, _ := viewer(t, "http", edgeAddr, domain, "HEAD", "/probe")
		if res.StatusCode == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	asked = nil
	mu.Unlock()

	code, h, body := rangesCurl(t, edgeAddr, domain, "/file.bin", "-r", "300000-300009")
	if code != 206 || !bytes.Equal(body, rangesBytes(300000, 10)) || h.Get("Content-Range") != fmt.Sprintf("bytes 300000-300009/%d", size) {
		t.Fatalf("one range: %d %q %q", code, h.Get("Content-Range"), body)
	}
	code, h, body = rangesCurl(t, edgeAddr, domain, "/file.bin", "-r", "0-1,500000-500004")
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if code != 206 || err != nil || mt != "multipart/byteranges" {
		t.Fatalf("two ranges: %d %q", code, h.Get("Content-Type"))
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	want := []struct {
		cr   string
		body []byte
	}{
		{fmt.Sprintf("bytes 0-1/%d", size), rangesBytes(0, 2)},
		{fmt.Sprintf("bytes 500000-500004/%d", size), rangesBytes(500000, 5)},
	}
	for i, w := range want {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		b, _ := io.ReadAll(p)
		if p.Header.Get("Content-Range") != w.cr || !bytes.Equal(b, w.body) || p.Header.Get("Content-Type") != "application/octet-stream" {
			t.Fatalf("part %d: %q %q %q", i, p.Header.Get("Content-Range"), p.Header.Get("Content-Type"), b)
		}
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Fatalf("more parts: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	// The first part describes the object; then only the parts that hold
	// the bytes asked for (read-ahead may add the one after a part).
	if len(asked) > 6 {
		t.Fatalf("origin asked for %d ranges: %q", len(asked), asked)
	}
	for _, a := range asked {
		if a == "" {
			t.Fatalf("a whole-object request to the origin: %q", asked)
		}
	}
}
