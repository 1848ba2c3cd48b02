package controlplane

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// grantSet loads the grants that decide about bucket: its own and "*".
func grantSet(tx store.Tx, bucket string) (*buckets.Set, error) {
	var gs []buckets.Grant
	for _, b := range []string{bucket, buckets.Every} {
		stored, err := tx.BucketGrants(b)
		if err != nil {
			return nil, err
		}
		for _, g := range stored {
			gs = append(gs, g.Grant)
		}
	}
	return buckets.NewSet(gs), nil
}

// checkLogBucket: a distribution may log only into a bucket granted to
// its account. CloudFront checks the caller's rights on the log bucket
// when a distribution is created or its log settings change, and refuses
// with AccessDenied (403) "You don't have permission to access the S3
// bucket for CloudFront logs: <bucket>" (as reported by the AWS SDKs'
// users, e.g. hashicorp/terraform-provider-aws#3622); an update that
// leaves the bucket as it was is not checked again. The edge refuses
// delivery into a bucket no longer granted, so a revoke still holds.
func (s *Service) checkLogBucket(tx store.Tx, accountID string, l, prev cloudfront.Logging) error {
	if !l.Enabled || (prev.Enabled && prev.Bucket == l.Bucket) {
		return nil
	}
	bucket, ok := s.rules().S3BucketName(l.Bucket)
	if !ok {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "The logging bucket %q is not an S3 bucket endpoint such as mybucket.s3.amazonaws.com.", l.Bucket)
	}
	set, err := grantSet(tx, bucket)
	if err != nil {
		return err
	}
	if !set.CanWriteLogs(bucket, accountID) {
		return cloudfront.Errorf(cloudfront.AccessDenied,
			"You don't have permission to access the S3 bucket for CloudFront logs: %s", l.Bucket)
	}
	return nil
}

func streamingLogging(l cloudfront.StreamingLogging) cloudfront.Logging {
	return cloudfront.Logging{Enabled: l.Enabled, Bucket: l.Bucket, Prefix: l.Prefix}
}

// GrantBucket records g, which edges learn through the feed. A grant of
// the bucket to the same principal is changed to what g lets it do
// (read, or read and write); granting what is granted already is
// ErrExists; an unknown account or OAI is ErrNotFound.
func (s *Service) GrantBucket(ctx context.Context, g buckets.Grant) (store.BucketGrant, error) {
	if err := g.Validate(); err != nil {
		return store.BucketGrant{}, err
	}
	var out store.BucketGrant
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		stored, err := tx.BucketGrants(g.Bucket)
		if err != nil {
			return err
		}
		var prev *store.BucketGrant
		for i := range stored {
			if stored[i].Key() == g.Key() {
				prev = &stored[i]
			}
		}
		if prev != nil && prev.Write == g.Write {
			return fmt.Errorf("%s is granted to %s already: %w", g.Bucket, g.Principal(), store.ErrExists)
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		if prev != nil {
			out = store.BucketGrant{Grant: g, Created: prev.Created, Revision: rev}
			return tx.UpdateBucketGrant(out)
		}
		out = store.BucketGrant{Grant: g, Created: s.now(), Revision: rev}
		return tx.InsertBucketGrant(out)
	})
	if err != nil {
		return store.BucketGrant{}, err
	}
	s.changed()
	return out, nil
}

// insertGrants grants account each of the buckets, at one new revision.
func insertGrants(tx store.Tx, account string, bs []string, now time.Time) error {
	if len(bs) == 0 {
		return nil
	}
	rev, err := tx.NextRevision()
	if err != nil {
		return err
	}
	for _, b := range bs {
		g := buckets.Grant{Bucket: b, AccountID: account}
		if err := g.Validate(); err != nil {
			return err
		}
		if err := tx.InsertBucketGrant(store.BucketGrant{Grant: g, Created: now, Revision: rev}); err != nil {
			return err
		}
	}
	return nil
}

// RevokeBucket deletes a grant; ErrNotFound if there is none.
func (s *Service) RevokeBucket(ctx context.Context, g buckets.Grant) error {
	if err := g.Validate(); err != nil {
		return err
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		return tx.DeleteBucketGrant(g, rev)
	})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no grant of %s to %s: %w", g.Bucket, g.Principal(), err)
		}
		return err
	}
	s.changed()
	return nil
}

// BucketGrants lists the grants of bucket ("" for all).
func (s *Service) BucketGrants(ctx context.Context, bucket string) ([]store.BucketGrant, error) {
	var gs []store.BucketGrant
	err := s.Store.View(ctx, func(tx store.Tx) (err error) { gs, err = tx.BucketGrants(bucket); return })
	return gs, err
}
