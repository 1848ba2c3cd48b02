package controlplane

import (
	"errors"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// checkUnkeptReferences checks what a config names among the resources
// openfront has no operations for (their operations answer
// UnsupportedOperation): continuous deployment policies, Anycast IP
// lists, trust stores, connection functions and VPC origins. None can
// exist, so a reference is CloudFront's answer for a resource that does
// not exist, never stored silently; an absent or empty member passes.
// EntityNotFound is the code the model lists for CreateDistribution and
// the one these kinds' own operations answer.
func checkUnkeptReferences(c *cloudfront.DistributionConfig) error {
	if id := c.ContinuousDeploymentPolicyID; id != "" {
		return cloudfront.Errorf(cloudfront.NoSuchContinuousDeploymentPolicy, "The continuous deployment policy %s does not exist.", id)
	}
	if id := c.AnycastIPListID; id != "" {
		return cloudfront.Errorf(cloudfront.EntityNotFound, "The Anycast static IP list %s does not exist.", id)
	}
	if m := c.ViewerMTLSConfig; m != nil && m.TrustStore != nil {
		return cloudfront.Errorf(cloudfront.EntityNotFound, "The trust store %s does not exist.", m.TrustStore.ID)
	}
	if id := c.ConnectionFunctionID; id != "" {
		return cloudfront.Errorf(cloudfront.EntityNotFound, "The connection function %s does not exist.", id)
	}
	for _, o := range c.Origins {
		if o.VPCOrigin != nil {
			return cloudfront.Errorf(cloudfront.EntityNotFound, "The VPC origin %s does not exist.", o.VPCOrigin.ID)
		}
	}
	return nil
}

// checkOriginClientCertificates: an origin's mTLS client certificate is
// a certificate imported for the caller's account (openfront's ACM), as
// a viewer certificate is; another account's is as absent as a missing
// one.
func checkOriginClientCertificates(tx store.Tx, accountID string, c *cloudfront.DistributionConfig) error {
	for _, o := range c.Origins {
		if o.Custom == nil || o.Custom.MTLSCertificateARN == "" {
			continue
		}
		arn := o.Custom.MTLSCertificateARN
		cert, err := tx.Certificate(arn)
		if errors.Is(err, store.ErrNotFound) || err == nil && cert.AccountID != accountID {
			return cloudfront.Errorf(cloudfront.EntityNotFound, "The client certificate %s of origin %s does not exist in ACM (us-east-1) under your account.", arn, o.ID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
