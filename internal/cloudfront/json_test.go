package cloudfront

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/testfill"
)

// fleetDistribution is testdata/distribution-allmembers.json as a value:
// a distribution bench/fleet creates, as the feed sent it when every
// member was written, zero or not.
func fleetDistribution() Distribution {
	return Distribution{
		ID:               "EHYXVWB0CODAIE",
		AccountID:        "933872398075",
		LastModifiedTime: time.Date(2026, 12, 1, 23, 22, 47, 249278000, time.UTC),
		DomainName:       "d1ixrj13ldymdv.cloudfront.localhost",
		Config: DistributionConfig{
			CallerReference: "fleet-1796167360067907346",
			Origins: []Origin{{ID: "o", DomainName: "127.0.0.1",
				Custom: &CustomOriginConfig{HTTPPort: 1025, HTTPSPort: 443, OriginProtocolPolicy: OriginHTTPOnly}}},
			DefaultCacheBehavior: CacheBehavior{TargetOriginID: "o", Cookies: CookiePreference{Forward: ForwardNone},
				ViewerProtocolPolicy: ViewerAllowAll},
			Comment:    "fleet-1796167360067907346",
			PriceClass: PriceClassAll,
			Enabled:    true,
		},
		ETag:     "EIYSIFN6Q5BIXT",
		Revision: 1,
	}
}

// TestJSONRoundTrip: every model value the feed, the edges' files and
// the store encode decodes back to itself, deeply equal, though members
// at their zero value are left out of the JSON.
func TestJSONRoundTrip(t *testing.T) {
	var maximal Distribution
	testfill.Value(reflect.ValueOf(&maximal).Elem(), 0)
	// Present but empty differs from absent for WhitelistedNames (and a
	// list kept as sent is echoed as sent): omitzero keeps such lists.
	emptyLists := fleetDistribution()
	emptyLists.Config.DefaultCacheBehavior.Cookies = CookiePreference{Forward: ForwardWhitelist, WhitelistedNames: []string{}}
	emptyLists.Config.Aliases = []string{}
	emptyLists.Config.DefaultCacheBehavior.TrustedSigners.Items = []string{}
	zeroPointees := fleetDistribution()
	zero, no := 0, false
	zeroPointees.Config.Origins[0].ConnectionAttempts = &zero
	zeroPointees.Config.ViewerMTLSConfig = &ViewerMTLSConfig{TrustStore: &TrustStoreConfig{IgnoreCertificateExpiry: &no}}
	zeroPointees.Config.Origins = append(zeroPointees.Config.Origins, Origin{ID: "s3", S3: &S3OriginConfig{}})
	var inv Invalidation
	testfill.Value(reflect.ValueOf(&inv).Elem(), 3)
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"zero", Distribution{}},
		{"fleet", fleetDistribution()},
		{"maximal", maximal},
		{"empty lists", emptyLists},
		{"pointers to zero values", zeroPointees},
		{"invalidation", inv},
		{"zero invalidation", Invalidation{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			got := reflect.New(reflect.TypeOf(tc.v))
			if err := json.Unmarshal(b, got.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Elem().Interface(), tc.v) {
				t.Errorf("decoded back as another value:\n%+v\nwant\n%+v\nfrom %s", got.Elem().Interface(), tc.v, b)
			}
		})
	}
}

// TestJSONAllMembersForm: a distribution written with every member (the
// form of the feed, journals, snapshot files and stored configs before
// members were omitted when zero) reads as the value it was, and is
// written shorter now.
func TestJSONAllMembersForm(t *testing.T) {
	old, err := os.ReadFile("testdata/distribution-allmembers.json")
	if err != nil {
		t.Fatal(err)
	}
	var got Distribution
	if err := json.Unmarshal(old, &got); err != nil {
		t.Fatal(err)
	}
	want := fleetDistribution()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the all-members form reads as\n%+v\nwant\n%+v", got, want)
	}
	now, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes with every member, %d now: %s", len(old), len(now), now)
	if len(now) >= len(old) {
		t.Errorf("written in %d bytes, not fewer than the %d of every member", len(now), len(old))
	}
}
