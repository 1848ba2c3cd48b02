package controlplane

import (
	"context"
	"errors"
	"slices"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// ownResource resolves a tagging ARN to one of the account's
// distributions, streaming distributions, functions or key value stores
// (the kinds whose Create operations take tags). A malformed ARN is
// InvalidArgument; another account's resource, or one that does not
// exist, is NoSuchResource (the code the model lists for tagging).
func ownResource(tx store.Tx, accountID, arn string) error {
	acct, kind, id, ok := cloudfront.ParseARN(arn)
	if !ok {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "%q is not the ARN of a distribution, streaming distribution, function or key value store.", arn)
	}
	if acct != accountID {
		return cloudfront.NewError(cloudfront.NoSuchResource)
	}
	var err error
	switch kind {
	case "distribution":
		_, err = ownDistribution(tx, accountID, id)
	case "function":
		_, err = functions.own(tx, accountID, arn)
	case "key-value-store":
		_, err = keyValueStores.own(tx, accountID, id)
	default:
		var d cloudfront.StreamingDistribution
		d, err = tx.StreamingDistribution(id)
		if err == nil && d.AccountID != accountID {
			err = store.ErrNotFound
		}
	}
	if errors.Is(err, store.ErrNotFound) || errors.As(err, new(*cloudfront.Error)) {
		return cloudfront.NewError(cloudfront.NoSuchResource)
	}
	return err
}

// ListTags returns a resource's tags.
func (s *Service) ListTags(ctx context.Context, accountID, arn string) ([]cloudfront.Tag, error) {
	var tags []cloudfront.Tag
	err := s.Store.View(ctx, func(tx store.Tx) error {
		if err := ownResource(tx, accountID, arn); err != nil {
			return err
		}
		var err error
		tags, err = tx.Tags(arn)
		return err
	})
	if err != nil {
		return nil, s.internal("ListTagsForResource", err)
	}
	return tags, nil
}

// TagResource adds tags to a resource, replacing the values of keys it
// has already.
func (s *Service) TagResource(ctx context.Context, accountID, arn string, add []cloudfront.Tag) error {
	if err := cloudfront.ValidateTags(add); err != nil {
		return err
	}
	return s.editTags(ctx, "TagResource", accountID, arn, func(tags []cloudfront.Tag) []cloudfront.Tag {
		for _, t := range add {
			if i := slices.IndexFunc(tags, func(o cloudfront.Tag) bool { return o.Key == t.Key }); i >= 0 {
				tags[i].Value = t.Value
			} else {
				tags = append(tags, t)
			}
		}
		return tags
	})
}

// UntagResource removes the tags with the given keys; absent keys are
// ignored, as CloudFront does.
func (s *Service) UntagResource(ctx context.Context, accountID, arn string, keys []string) error {
	for _, k := range keys {
		if err := cloudfront.ValidateTagKey(k); err != nil {
			return err
		}
	}
	return s.editTags(ctx, "UntagResource", accountID, arn, func(tags []cloudfront.Tag) []cloudfront.Tag {
		return slices.DeleteFunc(tags, func(t cloudfront.Tag) bool { return slices.Contains(keys, t.Key) })
	})
}

// editTags reads, edits and writes a resource's tags in one transaction;
// the result must keep within CloudFront's limit.
func (s *Service) editTags(ctx context.Context, op, accountID, arn string, edit func([]cloudfront.Tag) []cloudfront.Tag) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := ownResource(tx, accountID, arn); err != nil {
			return err
		}
		tags, err := tx.Tags(arn)
		if err != nil {
			return err
		}
		tags = edit(tags)
		if len(tags) > cloudfront.MaxTagsPerResource {
			return cloudfront.Errorf(cloudfront.InvalidTagging, "A resource can have at most %d tags.", cloudfront.MaxTagsPerResource)
		}
		return tx.SetTags(arn, tags)
	})
	if err != nil {
		return s.internal(op, err)
	}
	return nil
}
