package storetest

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// streaming returns a streaming distribution with every field set.
func streaming(id, accountID, callerRef string, aliases ...string) cloudfront.StreamingDistribution {
	return cloudfront.StreamingDistribution{
		ID:               id,
		AccountID:        accountID,
		LastModifiedTime: at(2),
		DomainName:       "s" + id + ".cloudfront.net",
		ETag:             "ETAG" + id,
		Config: cloudfront.StreamingDistributionConfig{
			CallerReference: callerRef,
			S3Origin:        cloudfront.S3Origin{DomainName: "media.s3.amazonaws.com", OriginAccessIdentity: "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"},
			Aliases:         aliases,
			Comment:         `streaming "comment" <&> 日本`,
			Logging:         cloudfront.StreamingLogging{Enabled: true, Bucket: "logs.s3.amazonaws.com", Prefix: "rtmp/"},
			TrustedSigners:  cloudfront.TrustedSigners{Enabled: true, Items: []string{cloudfront.SelfSigner, "123456789012"}},
			PriceClass:      cloudfront.PriceClass100,
			Enabled:         true,
		},
	}
}

func normStreaming(d cloudfront.StreamingDistribution) cloudfront.StreamingDistribution {
	d.LastModifiedTime = ms(d.LastModifiedTime)
	return d
}

func streamingID(d cloudfront.StreamingDistribution) string { return d.ID }

func testStreamingDistributions(t *testing.T, s store.Store) {
	d1 := streaming("EGTXBD79H29TRA1", acct1, "ref-1", "rtmp.example.com", "live.example.com")
	d2 := streaming("EGTXBD79H29TRA2", acct2, "ref-1")
	update(t, s, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		noErr(t, "NextRevision", err)
		d1.Revision, d2.Revision = rev, rev
		noErr(t, "InsertStreamingDistribution", tx.InsertStreamingDistribution(d1))
		return tx.InsertStreamingDistribution(d2) // same CallerReference, other account
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.StreamingDistribution(d1.ID)
		noErr(t, "StreamingDistribution", err)
		equal(t, "StreamingDistribution", got, d1, normStreaming)
		got, err = tx.StreamingDistributionByCallerReference(acct2, "ref-1")
		noErr(t, "StreamingDistributionByCallerReference", err)
		equal(t, "StreamingDistributionByCallerReference", got, d2, normStreaming)
		for _, tc := range []struct {
			account string
			want    int
		}{{"", 2}, {acct1, 1}, {acct2, 1}, {"999999999999", 0}} {
			n, err := tx.CountStreamingDistributions(tc.account)
			noErr(t, "CountStreamingDistributions", err)
			if n != tc.want {
				t.Errorf("CountStreamingDistributions(%q) = %d, want %d", tc.account, n, tc.want)
			}
		}
		// Streaming distributions are not download distributions.
		n, err := tx.CountDistributions("")
		noErr(t, "CountDistributions", err)
		if n != 0 {
			t.Errorf("CountDistributions = %d, want 0", n)
		}
		_, err = tx.Distribution(d1.ID)
		wantErr(t, "Distribution(streaming id)", err, store.ErrNotFound)
		return nil
	})

	d1.Config.Aliases = []string{"new.example.com"}
	d1.Config.Comment = "changed"
	d1.ETag = "ETAGNEW"
	d1.LastModifiedTime = at(5)
	update(t, s, func(tx store.Tx) error {
		var err error
		d1.Revision, err = tx.NextRevision()
		noErr(t, "NextRevision", err)
		return tx.UpdateStreamingDistribution(d1)
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.StreamingDistribution(d1.ID)
		noErr(t, "StreamingDistribution", err)
		equal(t, "StreamingDistribution after update", got, d1, normStreaming)
		return nil
	})
	// The aliases it dropped are free again, for either kind.
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertDistribution", tx.InsertDistribution(dist("EDFDVBD6EXAMPL1", acct2, "ref-3", "RTMP.example.com")))
		return tx.InsertStreamingDistribution(streaming("EGTXBD79H29TRA3", acct2, "ref-3", "live.example.com"))
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteStreamingDistribution(d2.ID, 10) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.StreamingDistribution(d2.ID)
		wantErr(t, "StreamingDistribution after delete", err, store.ErrNotFound)
		n, err := tx.CountStreamingDistributions("")
		noErr(t, "CountStreamingDistributions", err)
		if n != 2 {
			t.Errorf("CountStreamingDistributions after delete = %d, want 2", n)
		}
		return nil
	})
}

func testStreamingDistributionErrors(t *testing.T, s store.Store) {
	d := streaming("EGTXBD79H29TRA1", acct1, "ref-1", "rtmp.example.com")
	update(t, s, func(tx store.Tx) error { return tx.InsertStreamingDistribution(d) })
	tests := []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"insert same id", func(tx store.Tx) error {
			return tx.InsertStreamingDistribution(streaming(d.ID, acct2, "other"))
		}, store.ErrExists},
		{"insert same caller reference", func(tx store.Tx) error {
			return tx.InsertStreamingDistribution(streaming("EGTXBD79H29TRA2", acct1, "ref-1"))
		}, store.ErrExists},
		{"get unknown", func(tx store.Tx) error { _, err := tx.StreamingDistribution("ENOPE"); return err }, store.ErrNotFound},
		{"by unknown caller reference", func(tx store.Tx) error {
			_, err := tx.StreamingDistributionByCallerReference(acct2, "ref-1")
			return err
		}, store.ErrNotFound},
		{"update unknown", func(tx store.Tx) error {
			return tx.UpdateStreamingDistribution(streaming("ENOPE", acct1, "x"))
		}, store.ErrNotFound},
		{"update to another's caller reference", func(tx store.Tx) error {
			o := streaming("EGTXBD79H29TRA2", acct1, "ref-2")
			noErr(t, "insert", tx.InsertStreamingDistribution(o))
			o.Config.CallerReference = "ref-1"
			return tx.UpdateStreamingDistribution(o)
		}, store.ErrExists},
		{"delete unknown", func(tx store.Tx) error { return tx.DeleteStreamingDistribution("ENOPE", 1) }, store.ErrNotFound},
		{"delete a download distribution's id", func(tx store.Tx) error {
			noErr(t, "insert", tx.InsertDistribution(dist("EDFDVBD6EXAMPL1", acct1, "ref-1")))
			return tx.DeleteStreamingDistribution("EDFDVBD6EXAMPL1", 1)
		}, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, tt.name, try(s, tt.fn), tt.want)
		})
	}
}

// testSharedCNAMEs: download and streaming distributions share one CNAME
// namespace, across accounts, without regard to case.
func testSharedCNAMEs(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		noErr(t, "InsertDistribution", tx.InsertDistribution(dist("EDFDVBD6EXAMPL1", acct1, "ref-1", "www.example.com")))
		return tx.InsertStreamingDistribution(streaming("EGTXBD79H29TRA1", acct1, "ref-1", "rtmp.example.com"))
	})
	tests := []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"streaming insert takes a download CNAME", func(tx store.Tx) error {
			return tx.InsertStreamingDistribution(streaming("EGTXBD79H29TRA2", acct2, "r", "WWW.example.com"))
		}, store.ErrCNAMEInUse},
		{"download insert takes a streaming CNAME", func(tx store.Tx) error {
			return tx.InsertDistribution(dist("EDFDVBD6EXAMPL2", acct2, "r", "rtmp.EXAMPLE.com"))
		}, store.ErrCNAMEInUse},
		{"streaming update takes a download CNAME", func(tx store.Tx) error {
			d := streaming("EGTXBD79H29TRA1", acct1, "ref-1", "rtmp.example.com", "www.example.com")
			return tx.UpdateStreamingDistribution(d)
		}, store.ErrCNAMEInUse},
		{"download update takes a streaming CNAME", func(tx store.Tx) error {
			return tx.UpdateDistribution(dist("EDFDVBD6EXAMPL1", acct1, "ref-1", "rtmp.example.com"))
		}, store.ErrCNAMEInUse},
		{"streaming update keeps its own CNAME", func(tx store.Tx) error {
			return tx.UpdateStreamingDistribution(streaming("EGTXBD79H29TRA1", acct1, "ref-1", "RTMP.example.com", "more.example.com"))
		}, nil},
		{"a name listed twice in two cases", func(tx store.Tx) error {
			return tx.InsertStreamingDistribution(streaming("EGTXBD79H29TRA3", acct2, "r", "twice.example.com", "TWICE.example.com"))
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := try(s, tt.fn)
			if tt.want == nil {
				noErr(t, tt.name, err)
				return
			}
			wantErr(t, tt.name, err, tt.want)
		})
	}
	// Deleting frees the names for the other kind.
	update(t, s, func(tx store.Tx) error { return tx.DeleteStreamingDistribution("EGTXBD79H29TRA1", 1) })
	update(t, s, func(tx store.Tx) error {
		return tx.InsertDistribution(dist("EDFDVBD6EXAMPL3", acct2, "r3", "rtmp.example.com", "more.example.com"))
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteDistribution("EDFDVBD6EXAMPL1", 2) })
	update(t, s, func(tx store.Tx) error {
		return tx.InsertStreamingDistribution(streaming("EGTXBD79H29TRA4", acct2, "r4", "www.example.com"))
	})
}

func testStreamingPagination(t *testing.T, s store.Store) {
	want := []string{"EA", "EB", "EC", "ED", "EE"}
	update(t, s, func(tx store.Tx) error {
		for _, id := range []string{"EC", "EA", "EE", "EB", "ED"} {
			noErr(t, "insert", tx.InsertStreamingDistribution(streaming(id, acct1, "ref-"+id)))
		}
		return tx.InsertStreamingDistribution(streaming("EZ", acct2, "ref-z"))
	})
	tests := []struct {
		account, after string
		limit          int
		want           []string
	}{
		{acct1, "", 0, want},
		{acct1, "", 2, want[:2]},
		{acct1, "EB", 2, want[2:4]},
		{acct1, "EE", 0, []string{}},
		{"", "ED", 0, []string{"EE", "EZ"}},
	}
	view(t, s, func(tx store.Tx) error {
		for _, tc := range tests {
			got, err := tx.StreamingDistributions(tc.account, tc.after, tc.limit)
			noErr(t, "StreamingDistributions", err)
			equal(t, "StreamingDistributions("+tc.account+", "+tc.after+")", ids(got, streamingID), tc.want, nil)
		}
		return nil
	})
}

func testStreamingChangedSince(t *testing.T, s store.Store) {
	a := streaming("EA", acct1, "a")
	b := streaming("EB", acct1, "b")
	a.Revision, b.Revision = 1, 2
	update(t, s, func(tx store.Tx) error {
		noErr(t, "insert a", tx.InsertStreamingDistribution(a))
		return tx.InsertStreamingDistribution(b)
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteStreamingDistribution("EA", 3) })
	tests := []struct {
		since       int64
		wantChanged []string
		wantDeleted []string
	}{
		{0, []string{"EB"}, []string{"EA"}},
		{1, []string{"EB"}, []string{"EA"}},
		{2, []string{}, []string{"EA"}},
		{3, []string{}, []string{}},
	}
	view(t, s, func(tx store.Tx) error {
		for _, tc := range tests {
			changed, deleted, err := tx.StreamingDistributionsChangedSince(tc.since)
			noErr(t, "StreamingDistributionsChangedSince", err)
			equal(t, "changed", ids(changed, streamingID), tc.wantChanged, nil)
			equal(t, "deleted", ids(deleted, func(s string) string { return s }), tc.wantDeleted, nil)
		}
		// They are not download distributions' changes.
		changed, deleted, err := tx.DistributionsChangedSince(0)
		noErr(t, "DistributionsChangedSince", err)
		if len(changed)+len(deleted) != 0 {
			t.Errorf("DistributionsChangedSince sees streaming distributions: %v %v", changed, deleted)
		}
		return nil
	})
	// Inserting the id again clears its tombstone.
	a.Revision = 4
	update(t, s, func(tx store.Tx) error { return tx.InsertStreamingDistribution(a) })
	view(t, s, func(tx store.Tx) error {
		changed, deleted, err := tx.StreamingDistributionsChangedSince(0)
		noErr(t, "StreamingDistributionsChangedSince", err)
		equal(t, "changed after re-insert", ids(changed, streamingID), []string{"EB", "EA"}, nil)
		equal(t, "deleted after re-insert", deleted, []string(nil), func(s []string) []string {
			if len(s) == 0 {
				return nil
			}
			return s
		})
		return nil
	})
}
