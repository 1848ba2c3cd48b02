package v20120701

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Values the control plane would generate, fixed so responses are stable.
var (
	fixedTime      = time.Date(2012, 5, 19, 19, 37, 58, 350e6, time.UTC)
	fixedRequestID = "647cd254-e0d1-44a9-af61-1d6d86ea6b77"
	fixedKeyPairs  = map[string][]string{
		"self":         {"APKA9ONS7QCOWEXAMPLE"},
		"111122223333": {"APKAI72T5DYBXEXAMPLE", "APKAU72D8DYNXEXAMPLE"},
	}
)

// fixedDistribution wraps a decoded config as the control plane would
// after creating it.
func fixedDistribution(c cloudfront.DistributionConfig) cloudfront.Distribution {
	var ats cloudfront.ActiveTrustedSigners
	seen := map[string]bool{}
	for _, b := range append([]cloudfront.CacheBehavior{c.DefaultCacheBehavior}, c.CacheBehaviors...) {
		if !b.TrustedSigners.Enabled {
			continue
		}
		ats.Enabled = true
		for _, s := range b.TrustedSigners.Items {
			if !seen[s] {
				seen[s] = true
				ats.Items = append(ats.Items, cloudfront.Signer{AwsAccountNumber: s, KeyPairIDs: fixedKeyPairs[s]})
			}
		}
	}
	return cloudfront.Distribution{
		ID:                   "EDFDVBD6EXAMPLE",
		Status:               cloudfront.StatusInProgress,
		LastModifiedTime:     fixedTime,
		DomainName:           "d111111abcdef8.cloudfront.net",
		ActiveTrustedSigners: ats,
		Config:               c,
	}
}

// golden compares got with the file at path, or rewrites it under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\ngot:  %s\nwant: %s", path, got, want)
	}
}

// requestCase is one testdata/<op>/<name>.request.xml file.
type requestCase struct {
	name string
	body []byte
	base string // path without ".request.xml"
}

func requestCases(t testing.TB, op string) []requestCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", op, "*.request.xml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no request cases for %s: %v", op, err)
	}
	var cases []requestCase
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(p, ".request.xml")
		cases = append(cases, requestCase{name: filepath.Base(base), body: body, base: base})
	}
	return cases
}

// checkOutcome checks that a request decodes iff it has no .error.xml
// golden, and compares the error body when it fails.
func checkOutcome(t *testing.T, c requestCase, err error) (ok bool) {
	t.Helper()
	errPath := c.base + ".error.xml"
	_, statErr := os.Stat(errPath)
	wantErr := statErr == nil
	if err == nil {
		if wantErr && !*update {
			t.Fatalf("decoded, but %s says it must fail", errPath)
		}
		if *update {
			os.Remove(errPath)
		}
		return true
	}
	var e *cloudfront.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *cloudfront.Error", err)
	}
	if !wantErr && !*update {
		t.Fatalf("unexpected error: %v", err)
	}
	if *update {
		os.Remove(c.base + ".response.xml")
	}
	golden(t, errPath, EncodeError(e, fixedRequestID))
	return false
}

func TestGoldenCreateDistribution(t *testing.T) {
	for _, c := range requestCases(t, "CreateDistribution") {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := DecodeDistributionConfig(c.body)
			if !checkOutcome(t, c, err) {
				return
			}
			golden(t, c.base+".response.xml", EncodeDistribution(fixedDistribution(cfg)))
			canonPath := filepath.Join("testdata", "GetDistributionConfig", c.name+".response.xml")
			canon := EncodeDistributionConfig(cfg)
			golden(t, canonPath, canon)

			// The canonical form decodes to the same model and re-encodes
			// to the same bytes.
			again, err := DecodeDistributionConfig(canon)
			if err != nil {
				t.Fatalf("canonical form does not decode: %v", err)
			}
			if !reflect.DeepEqual(again, cfg) {
				t.Errorf("canonical form decodes differently:\ngot  %#v\nwant %#v", again, cfg)
			}
			if b := EncodeDistributionConfig(again); !bytes.Equal(b, canon) {
				t.Errorf("encoding is not idempotent:\n%s\n%s", b, canon)
			}
		})
	}
}

func TestGoldenCreateOriginAccessIdentity(t *testing.T) {
	for _, c := range requestCases(t, "CreateCloudFrontOriginAccessIdentity") {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := DecodeOriginAccessIdentityConfig(c.body)
			if !checkOutcome(t, c, err) {
				return
			}
			golden(t, c.base+".response.xml", EncodeOriginAccessIdentity(cloudfront.OriginAccessIdentity{
				ID:                "E74FTE3AJFJ256A",
				S3CanonicalUserID: "cd13868f797c227fbea2830611a26fe0a21ba1b826ab4bed9b7771c9a69ba19f",
				Config:            cfg,
			}))
			canon := EncodeOriginAccessIdentityConfig(cfg)
			golden(t, filepath.Join("testdata", "GetCloudFrontOriginAccessIdentityConfig", c.name+".response.xml"), canon)
			again, err := DecodeOriginAccessIdentityConfig(canon)
			if err != nil || again != cfg {
				t.Fatalf("canonical form decodes to %#v, %v; want %#v", again, err, cfg)
			}
			if b := EncodeOriginAccessIdentityConfig(again); !bytes.Equal(b, canon) {
				t.Errorf("encoding is not idempotent:\n%s\n%s", b, canon)
			}
		})
	}
}

func TestGoldenCreateInvalidation(t *testing.T) {
	for _, c := range requestCases(t, "CreateInvalidation") {
		t.Run(c.name, func(t *testing.T) {
			batch, err := DecodeInvalidationBatch(c.body)
			if !checkOutcome(t, c, err) {
				return
			}
			golden(t, c.base+".response.xml", EncodeInvalidation(cloudfront.Invalidation{
				ID:         "IDFDVBD632BHDS5",
				Status:     cloudfront.StatusInProgress,
				CreateTime: fixedTime,
				Batch:      batch,
			}))
			// There is no InvalidationBatch response root, so the
			// canonical request form is checked in memory.
			canon := encodeInvalidationBatch(batch)
			again, err := DecodeInvalidationBatch(canon)
			if err != nil || !reflect.DeepEqual(again, batch) {
				t.Fatalf("canonical form decodes to %#v, %v; want %#v", again, err, batch)
			}
			if b := encodeInvalidationBatch(again); !bytes.Equal(b, canon) {
				t.Errorf("encoding is not idempotent:\n%s\n%s", b, canon)
			}
		})
	}
}

// encodeInvalidationBatch is the canonical request form of a batch.
func encodeInvalidationBatch(b cloudfront.InvalidationBatch) []byte {
	w := newDoc("InvalidationBatch")
	w.Strings("Paths", "Path", b.Paths)
	w.Text("CallerReference", b.CallerReference)
	return w.Bytes("InvalidationBatch")
}
