package v20200531

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs:\n got %s\nwant %s", name, got, want)
	}
}

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenConfigs decodes each request (members in alphabetical order,
// as aws-sdk-go-v2 sends them, or in model order), encodes the normalized
// config in model order with every default shown, and checks that the
// encoded document decodes and encodes to the same bytes again: what a
// client sends back unchanged stays unchanged.
func TestGoldenConfigs(t *testing.T) {
	// members: every member openfront stores without acting on, as the
	// SDK sends them (alphabetical); tenant: a multi-tenant distribution.
	for _, name := range []string{"full", "minimal", "members", "tenant"} {
		t.Run(name, func(t *testing.T) {
			c, err := DecodeDistributionConfig(read(t, name+".request.xml"))
			if err != nil {
				t.Fatal(err)
			}
			cloudfront.NormalizeDistributionConfig(&c)
			if err := cloudfront.DefaultRules().ValidateDistributionConfig(&c); err != nil {
				t.Fatalf("golden request is not valid: %v", err)
			}
			out := EncodeDistributionConfig(c)
			golden(t, name+".config.xml", out)

			again, err := DecodeDistributionConfig(out)
			if err != nil {
				t.Fatalf("the encoded config does not decode: %v", err)
			}
			cloudfront.NormalizeDistributionConfig(&again)
			if !cloudfront.EqualDistributionConfigs(&c, &again) {
				t.Fatalf("round trip changed the config:\n%+v\n%+v", c, again)
			}
			if out2 := EncodeDistributionConfig(again); !bytes.Equal(out, out2) {
				t.Fatalf("round trip changed the document:\n%s\n%s", out, out2)
			}
		})
	}
}

func testDistribution(t *testing.T) cloudfront.Distribution {
	c, err := DecodeDistributionConfig(read(t, "minimal.request.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cloudfront.NormalizeDistributionConfig(&c)
	return cloudfront.Distribution{
		ID: "EDFDVBD6EXAMPLE", AccountID: "111122223333", Status: cloudfront.StatusDeployed,
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC),
		DomainName:       "d111111abcdef8.cloudfront.net", Config: c, ETag: "E2QWRUHEXAMPLE",
	}
}

func TestGoldenDistribution(t *testing.T) {
	d := testDistribution(t)
	golden(t, "distribution.response.xml", EncodeDistribution(d))
	golden(t, "list.response.xml", EncodeDistributionList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.Distribution{d}))
}

// TestGoldenStoredMembers: Get and List show the stored-only members
// (DistributionSummary carries ConnectionMode, AnycastIpListId,
// ViewerMtlsConfig and ConnectionFunctionAssociation after Staging).
func TestGoldenStoredMembers(t *testing.T) {
	d := testDistribution(t)
	c, err := DecodeDistributionConfig(read(t, "members.request.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cloudfront.NormalizeDistributionConfig(&c)
	d.Config = c
	golden(t, "members.response.xml", EncodeDistribution(d))
	golden(t, "members.list.xml", EncodeDistributionList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.Distribution{d}))
}

func TestDecodeWithTags(t *testing.T) {
	c, tags, err := DecodeDistributionConfigWithTags(read(t, "withtags.request.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.CallerReference != "tf-1" || len(c.Origins) != 1 {
		t.Fatalf("config = %+v", c)
	}
	want := []cloudfront.Tag{{Key: "env", Value: "prod"}, {Key: "team"}}
	if len(tags) != 2 || tags[0] != want[0] || tags[1] != want[1] {
		t.Fatalf("tags = %+v, want %+v", tags, want)
	}
	golden(t, "tags.response.xml", EncodeTags(tags))
	back, err := DecodeTags(EncodeTags(tags))
	if err != nil || len(back) != 2 || back[0] != want[0] || back[1] != want[1] {
		t.Fatalf("tags round trip: %+v, %v", back, err)
	}
	keys, err := DecodeTagKeys([]byte(`<TagKeys xmlns="` + Namespace + `"><Items><Key>env</Key><Key>team</Key></Items></TagKeys>`))
	if err != nil || strings.Join(keys, ",") != "env,team" {
		t.Fatalf("tag keys = %q, %v", keys, err)
	}
}

func TestGoldenError(t *testing.T) {
	golden(t, "error.response.xml", EncodeError(cloudfront.NewError(cloudfront.NoSuchDistribution), "req-1"))
}

// TestGoldenStreaming: the optional members of 2020-05-31 (Aliases,
// Logging, PriceClass) come back with their defaults, and the result
// decodes to the same config.
func TestGoldenStreaming(t *testing.T) {
	c, tags, err := DecodeStreamingDistributionConfigWithTags(read(t, "streaming.request.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 || tags[0] != (cloudfront.Tag{Key: "kind", Value: "rtmp"}) {
		t.Fatalf("tags = %+v", tags)
	}
	out := EncodeStreamingDistributionConfig(c)
	golden(t, "streaming.config.xml", out)
	again, err := DecodeStreamingDistributionConfig(out)
	if err != nil {
		t.Fatal(err)
	}
	if !cloudfront.EqualStreamingDistributionConfigs(&c, &again) || !bytes.Equal(out, EncodeStreamingDistributionConfig(again)) {
		t.Fatalf("round trip changed the config:\n%+v\n%+v", c, again)
	}
	sd := cloudfront.StreamingDistribution{ID: "EGTXBD79EXAMPLE", AccountID: "111122223333", Status: cloudfront.StatusDeployed,
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC), DomainName: "s5c39gqb8ow64r.cloudfront.net", Config: c}
	golden(t, "streaming.response.xml", EncodeStreamingDistribution(sd))
}
