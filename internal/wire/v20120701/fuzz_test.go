package v20120701

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// addSeeds adds the golden requests of op and the bad table to f.
func addSeeds(f *testing.F, op string, bad []badCase) {
	paths, _ := filepath.Glob(filepath.Join("testdata", op, "*.request.xml"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, c := range bad {
		f.Add([]byte(c.body))
	}
}

// checkDecodeError fails unless err is nil or a 4xx *cloudfront.Error.
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *cloudfront.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *cloudfront.Error", err, err)
	}
	if s := e.Status(); s < 400 || s > 499 {
		t.Fatalf("error %v has status %d", e, s)
	}
}

func FuzzDecodeDistributionConfig(f *testing.F) {
	addSeeds(f, "CreateDistribution", badDistributionConfigs(oneLineSeed(f)))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeDistributionConfig(body)
		checkDecodeError(t, err)
		if err != nil {
			return
		}
		enc := EncodeDistributionConfig(c)
		again, err := DecodeDistributionConfig(enc)
		if err != nil {
			t.Fatalf("re-encoded config does not decode: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("round trip changed the config:\nfirst  %#v\nsecond %#v", c, again)
		}
	})
}

func FuzzDecodeOriginAccessIdentityConfig(f *testing.F) {
	addSeeds(f, "CreateCloudFrontOriginAccessIdentity", badOriginAccessIdentityConfigs())
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeOriginAccessIdentityConfig(body)
		checkDecodeError(t, err)
		if err != nil {
			return
		}
		enc := EncodeOriginAccessIdentityConfig(c)
		again, err := DecodeOriginAccessIdentityConfig(enc)
		if err != nil || again != c {
			t.Fatalf("round trip: got %#v, %v; want %#v\n%s", again, err, c, enc)
		}
	})
}

func FuzzDecodeInvalidationBatch(f *testing.F) {
	addSeeds(f, "CreateInvalidation", badInvalidationBatches())
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := DecodeInvalidationBatch(body)
		checkDecodeError(t, err)
		if err != nil {
			return
		}
		enc := encodeInvalidationBatch(b)
		again, err := DecodeInvalidationBatch(enc)
		if err != nil || !reflect.DeepEqual(again, b) {
			t.Fatalf("round trip: got %#v, %v; want %#v\n%s", again, err, b, enc)
		}
	})
}
