package controlplane

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// originAccessControls is the origin access control kind (policies.go):
// no managed ones; an S3 origin names one by OriginAccessControlId.
var originAccessControls = newPolicy(&policy[cloudfront.OriginAccessControl, cloudfront.OriginAccessControlConfig]{
	kind: &kind[cloudfront.OriginAccessControl, cloudfront.OriginAccessControlConfig]{
		name:          "OriginAccessControl",
		noSuch:        cloudfront.NoSuchOriginAccessControl,
		alreadyExists: cloudfront.OriginAccessControlAlreadyExists,
		tooMany:       cloudfront.TooManyOriginAccessControls,
		members: func(o *cloudfront.OriginAccessControl) members[cloudfront.OriginAccessControlConfig] {
			return members[cloudfront.OriginAccessControlConfig]{ID: &o.ID, AccountID: &o.AccountID, ETag: &o.ETag,
				LastModified: &o.LastModifiedTime, Revision: &o.Revision, Config: &o.Config}
		},
		callerReference: func(c *cloudfront.OriginAccessControlConfig) string { return c.Name },
		normalize:       cloudfront.NormalizeOriginAccessControlConfig,
		validate:        (*cloudfront.Rules).ValidateOriginAccessControlConfig,
		equal:           cloudfront.EqualOriginAccessControlConfigs,
		limit:           func(l cloudfront.Limits) int { return l.OriginAccessControlsPerAccount },
		count: func(tx store.Tx, accountID string) (int, error) {
			return tx.OriginAccessControlRecords().Count(accountID)
		},
		arn:     cloudfront.OriginAccessControlARN,
		records: store.Tx.OriginAccessControlRecords,
	},
	what:  "origin access control",
	inUse: cloudfront.OriginAccessControlInUse,
	// InvalidOriginAccessControl is the code the model lists for
	// CreateDistribution and UpdateDistribution; NoSuchOriginAccessControl
	// is the OAC operations' own.
	missing: cloudfront.InvalidOriginAccessControl,
	refs: func(cfg *cloudfront.DistributionConfig, f func(string, func(*cloudfront.OriginAccessControlConfig))) {
		for i := range cfg.Origins {
			o := &cfg.Origins[i]
			f(o.OriginAccessControlID, func(c *cloudfront.OriginAccessControlConfig) { o.OriginAccessControl = c })
		}
	},
	// Validation admits an OAC on S3 origins only (validate2020.go), so
	// the OAC must be one for S3: the other types sign for services
	// openfront does not front (MediaStore, MediaPackage, Lambda).
	prepare: func(_ store.Tx, _ string, c *cloudfront.OriginAccessControlConfig) error {
		if c.OriginType != cloudfront.OACOriginS3 {
			return cloudfront.Errorf(cloudfront.InvalidOriginAccessControl,
				"The origin access control %q is for %s origins; an S3 origin needs one of type s3.", c.Name, c.OriginType)
		}
		return nil
	},
})

// OriginAccessControls are the origin access controls' operations.
func (s *Service) OriginAccessControls() Policies[cloudfront.OriginAccessControl, cloudfront.OriginAccessControlConfig] {
	return Policies[cloudfront.OriginAccessControl, cloudfront.OriginAccessControlConfig]{s, originAccessControls}
}
