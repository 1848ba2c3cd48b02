package storetest

import (
	"errors"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

const (
	acct1 = "111111111111"
	acct2 = "222222222222"
)

func account(id string) store.Account {
	return store.Account{ID: id, Name: "account " + id, Created: at(0)}
}

// dist returns a distribution with every kind of nested value set, so a
// round trip through the store exercises all of them.
func dist(id, accountID, callerRef string, aliases ...string) cloudfront.Distribution {
	return cloudfront.Distribution{
		ID:               id,
		AccountID:        accountID,
		LastModifiedTime: at(1),
		DomainName:       "d" + id + ".cloudfront.net",
		ETag:             "ETAG" + id,
		Config: cloudfront.DistributionConfig{
			CallerReference:   callerRef,
			Aliases:           aliases,
			DefaultRootObject: "index.html",
			Origins: []cloudfront.Origin{
				{ID: "s3", DomainName: "bucket.s3.amazonaws.com", S3: &cloudfront.S3OriginConfig{
					OriginAccessIdentity: "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"}},
				{ID: "web", DomainName: "origin.example.com", Custom: &cloudfront.CustomOriginConfig{
					HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginMatchViewer}},
			},
			DefaultCacheBehavior: cloudfront.CacheBehavior{
				TargetOriginID:       "s3",
				Cookies:              cloudfront.CookiePreference{Forward: cloudfront.ForwardNone},
				TrustedSigners:       cloudfront.TrustedSigners{Enabled: true, Items: []string{cloudfront.SelfSigner, "123456789012"}},
				ViewerProtocolPolicy: cloudfront.ViewerAllowAll,
				MinTTL:               3600,
			},
			CacheBehaviors: []cloudfront.CacheBehavior{{
				PathPattern:          "/images/*.jpg",
				TargetOriginID:       "web",
				QueryString:          true,
				Cookies:              cloudfront.CookiePreference{Forward: cloudfront.ForwardWhitelist, WhitelistedNames: []string{"session", "ünïcode"}},
				TrustedSigners:       cloudfront.TrustedSigners{Items: []string{}},
				ViewerProtocolPolicy: cloudfront.ViewerHTTPSOnly,
			}},
			Comment:    `a "comment" with <xml> & unicode: 日本`,
			Logging:    cloudfront.Logging{Enabled: true, IncludeCookies: true, Bucket: "logs.s3.amazonaws.com", Prefix: "cf/"},
			PriceClass: cloudfront.PriceClass200,
			Enabled:    true,
		},
	}
}

func oai(id, accountID, callerRef string) cloudfront.OriginAccessIdentity {
	return cloudfront.OriginAccessIdentity{
		ID:                id,
		AccountID:         accountID,
		S3CanonicalUserID: "cafe" + id,
		Config:            cloudfront.OriginAccessIdentityConfig{CallerReference: callerRef, Comment: "oai " + id},
		ETag:              "ETAG" + id,
	}
}

func invalidation(id, distID, callerRef string, created int, rev int64) cloudfront.Invalidation {
	return cloudfront.Invalidation{
		ID:             id,
		DistributionID: distID,
		Status:         cloudfront.StatusInProgress,
		CreateTime:     at(created),
		Batch:          cloudfront.InvalidationBatch{Paths: []string{"/a.html", "/b/*"}, CallerReference: callerRef},
		Revision:       rev,
	}
}

// wantErr fails the test unless errors.Is(err, want).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", what, err, want)
	}
}

// noErr fails the test now if err is not nil.
func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
