package accesslog

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openfront/openfront/internal/testpeer"
)

// goaccessFormat is goaccess's predefined CLOUDFRONT log format cut to the
// 2012 fields: the predefined one expects the later time-taken field (19)
// and rejects 15-field lines.
const goaccessFormat = `%d\t%t\t%^\t%b\t%h\t%m\t%v\t%U\t%s\t%R\t%u\t%q\t%^\t%C\t%^`

// TestGoaccessParses has goaccess, an independent log analyser, read a
// file the Writer produced: every line must count as a valid request.
func TestGoaccessParses(t *testing.T) {
	bin := testpeer.Need(t, "goaccess")
	root := t.TempDir()
	w := newTestWriter(t, Options{Sink: &FolderSink{Root: root}, Format: Format2012})
	dist := loggingDist("EONE", "one.s3.amazonaws.com", "")
	dist.Config.Logging.IncludeCookies = true
	w.Update(records(dist), allBuckets)
	base := time.Date(2012, 10, 2, 21, 0, 0, 0, time.UTC)
	odd := []string{"/plain", "/with space", "/tab\there", `/quote"'`, "/caf\u00e9", "/%41", "/", ""}
	for i, p := range odd {
		r := record("EONE", p)
		r.Time = base.Add(time.Duration(i) * time.Minute)
		r.Host = "eone.cloudfront.test"
		r.Query = "q=a b&c=\"d\""
		r.Referer = "http://example.com/a b"
		r.UserAgent = "Mozilla/5.0 (X11; \u00c9)"
		r.Cookie = "a=b; c=d"
		r.IncludeCookies = i%2 == 0
		r.Status = []int{200, 304, 403, 404, 502}[i%5]
		r.ResultType = []string{"Hit", "RefreshHit", "Miss", "Error"}[i%4]
		w.Log(r)
	}
	if err := w.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	files := logFiles(t, root)
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	for name, lines := range files {
		checkHeader(t, name, lines)
		var out, stderr bytes.Buffer
		cmd := exec.Command(bin, "-", "--log-format="+goaccessFormat,
			"--date-format=CLOUDFRONT", "--time-format=CLOUDFRONT", "-o", "json", "--no-global-config")
		cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("goaccess: %v\n%s", err, stderr.String())
		}
		var report struct {
			General struct {
				Total  int `json:"total_requests"`
				Valid  int `json:"valid_requests"`
				Failed int `json:"failed_requests"`
			} `json:"general"`
		}
		if err := json.Unmarshal(out.Bytes(), &report); err != nil {
			t.Fatalf("goaccess output: %v\n%.500s", err, out.String())
		}
		g := report.General
		if g.Total != len(odd) || g.Valid != len(odd) || g.Failed != 0 {
			t.Fatalf("goaccess counted %+v, want %d valid requests", g, len(odd))
		}
	}
}

// TestS3SinkMoto delivers logs to moto_server, which checks the sink's
// signatures against its IAM's keys, and reads them back with the SDK.
func TestS3SinkMoto(t *testing.T) {
	moto := testpeer.MotoServerIAM(t)
	moto.Enforce(t)
	ctx := t.Context()
	o := S3Options{Endpoint: moto.Endpoint, AccessKeyID: moto.Key.AccessKeyID, SecretAccessKey: moto.Key.SecretAccessKey}
	sink, err := NewS3Sink(o)
	if err != nil {
		t.Fatal(err)
	}
	client := sink.client
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("myawslogbucket")}); err != nil {
		t.Fatal(err)
	}
	w := newTestWriter(t, Options{Sink: sink})
	w.Update(records(loggingDist("EDFDVBD6EXAMPLE", "myawslogbucket.s3.amazonaws.com", "example.com.")), allBuckets)
	for i, p := range []string{"/a", "/b", "/c"} {
		r := record("EDFDVBD6EXAMPLE", p)
		r.Time = time.Date(2012, 10, 2, 21, 0, i, 0, time.UTC)
		w.Log(r)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("myawslogbucket")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Contents) != 1 {
		t.Fatalf("%d objects", len(list.Contents))
	}
	key := aws.ToString(list.Contents[0].Key)
	if !regexp.MustCompile(`^example\.com\.EDFDVBD6EXAMPLE\.2012-10-02-21\.[0-9A-F]{16}\.gz$`).MatchString(key) {
		t.Fatalf("key %q", key)
	}
	obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("myawslogbucket"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(obj.Body)
	obj.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	lines := gunzip(t, body)
	checkHeader(t, key, lines)
	if len(lines) != 5 {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}

	t.Run("missing bucket fails", func(t *testing.T) {
		if err := sink.Put(ctx, "nosuchbucket", "k.gz", []byte("x")); err == nil {
			t.Fatal("Put into a missing bucket succeeded")
		}
	})
}

func TestNewS3SinkOptions(t *testing.T) {
	tests := []struct {
		name string
		o    S3Options
		ok   bool
	}{
		{"ok", S3Options{Endpoint: "http://127.0.0.1:9000", AccessKeyID: "a", SecretAccessKey: "s"}, true},
		{"no endpoint", S3Options{AccessKeyID: "a", SecretAccessKey: "s"}, false},
		{"not http", S3Options{Endpoint: "ftp://x", AccessKeyID: "a", SecretAccessKey: "s"}, false},
		{"no credentials", S3Options{Endpoint: "http://127.0.0.1:9000"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewS3Sink(tt.o); (err == nil) != tt.ok {
				t.Fatalf("NewS3Sink: %v", err)
			}
		})
	}
}
