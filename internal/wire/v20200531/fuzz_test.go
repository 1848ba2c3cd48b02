package v20200531

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

func seedFuzz(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkFuzzError: every failure is a 4xx *cloudfront.Error.
func checkFuzzError(t *testing.T, err error) {
	var e *cloudfront.Error
	if !errors.As(err, &e) || !e.Code.Known() || e.Status() >= 500 {
		t.Fatalf("error %v (%T) is not a known 4xx *cloudfront.Error", err, err)
	}
}

// FuzzDecodeDistributionConfig: no input panics or gets anything but a
// CloudFront 4xx error, and a config that decodes and validates survives
// encode and decode unchanged (the round trip Terraform relies on).
func FuzzDecodeDistributionConfig(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeDistributionConfig(body)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		cloudfront.NormalizeDistributionConfig(&c)
		if err := cloudfront.DefaultRules().ValidateDistributionConfig(&c); err != nil {
			checkFuzzError(t, err)
			return
		}
		out := EncodeDistributionConfig(c)
		again, err := DecodeDistributionConfig(out)
		if err != nil {
			t.Fatalf("encoded config does not decode: %v\n%s", err, out)
		}
		cloudfront.NormalizeDistributionConfig(&again)
		if !cloudfront.EqualDistributionConfigs(&c, &again) {
			t.Fatalf("round trip changed the config:\n%+v\n%+v", c, again)
		}
		if !bytes.Equal(out, EncodeDistributionConfig(again)) {
			t.Fatal("round trip changed the document")
		}
	})
}

// FuzzDecodeTags covers the tagging bodies.
func FuzzDecodeTags(f *testing.F) {
	seedFuzz(f)
	f.Add([]byte(`<TagKeys><Items><Key>a</Key></Items></TagKeys>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if tags, err := DecodeTags(body); err != nil {
			checkFuzzError(t, err)
		} else if back, err := DecodeTags(EncodeTags(tags)); err != nil || len(back) != len(tags) {
			t.Fatalf("tags round trip: %v", err)
		}
		if _, err := DecodeTagKeys(body); err != nil {
			checkFuzzError(t, err)
		}
	})
}

// FuzzDecodeOtherBodies: the other request roots never panic and fail
// only with 4xx errors.
func FuzzDecodeOtherBodies(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := DecodeStreamingDistributionConfig(body); err != nil {
			checkFuzzError(t, err)
		}
		if _, _, err := DecodeStreamingDistributionConfigWithTags(body); err != nil {
			checkFuzzError(t, err)
		}
		if _, _, err := DecodeDistributionConfigWithTags(body); err != nil {
			checkFuzzError(t, err)
		}
		if _, err := DecodeInvalidationBatch(body); err != nil {
			checkFuzzError(t, err)
		}
		if _, err := DecodeOriginAccessIdentityConfig(body); err != nil {
			checkFuzzError(t, err)
		}
	})
}
