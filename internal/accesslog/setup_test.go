package accesslog

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edge"
)

// clock is an injectable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// logAccount owns the loggingDist distributions; allBuckets grants it
// every bucket.
const logAccount = "111122223333"

var allBuckets = []buckets.Grant{{Bucket: buckets.Every, AccountID: logAccount}}

func loggingDist(id, bucket, prefix string) cloudfront.Distribution {
	return cloudfront.Distribution{
		ID: id, AccountID: logAccount, DomainName: strings.ToLower(id) + ".cloudfront.test",
		Config: cloudfront.DistributionConfig{
			Enabled: true,
			Logging: cloudfront.Logging{Enabled: bucket != "", Bucket: bucket, Prefix: prefix},
		},
	}
}

// newTestWriter returns a Writer whose background flusher stays idle
// (FlushEvery is long); tests flush explicitly.
func newTestWriter(t *testing.T, o Options) *Writer {
	t.Helper()
	if o.FlushEvery == 0 {
		o.FlushEvery = time.Hour
	}
	w, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(t.Context()) })
	return w
}

func record(dist, path string) edge.LogRecord {
	return edge.LogRecord{
		Location: "TST1", BytesSent: 321, ClientIP: "192.0.2.1", Method: "GET",
		URIStem: path, Status: 200, UserAgent: "test agent/1.0", ResultType: "Miss",
		RequestID: "req-" + path, Distribution: dist,
	}
}

// gunzip returns the lines of a gzip file, header included.
func gunzip(t *testing.T, body []byte) []string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("\n")) {
		t.Fatalf("file does not end with a newline: %q", b)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// logFiles reads every file under root: slash path relative to root ->
// lines.
func logFiles(t *testing.T, root string) map[string][]string {
	t.Helper()
	files := map[string][]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = gunzip(t, body)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

// checkHeader fails unless lines start with the two header lines of one
// of the formats.
func checkHeader(t *testing.T, name string, lines []string) {
	t.Helper()
	if len(lines) < 2 || (lines[0]+"\n"+lines[1]+"\n" != HeaderStandard && lines[0]+"\n"+lines[1]+"\n" != Header2012) {
		t.Fatalf("%s: no header: %q", name, lines)
	}
}
