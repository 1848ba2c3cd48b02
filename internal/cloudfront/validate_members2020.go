package cloudfront

import (
	"regexp"
	"slices"
)

// Checks of the members openfront stores without acting on them
// (members2020.go). Each rule is one the service model's documentation
// states; whether a referenced resource exists (continuous deployment
// policy, Anycast IP list, trust store, connection function, VPC origin,
// origin client certificate) is the control plane's question.

var (
	// The forms the model's InvalidWebACLId documentation gives: a WAF
	// (v2) web ACL ARN, global scope in us-east-1 as CloudFront's must be,
	// or a WAF Classic web ACL id.
	wafV2ACLARN    = regexp.MustCompile(`^arn:aws:wafv2:us-east-1:[0-9]{12}:global/webacl/[A-Za-z0-9_-]{1,128}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	wafClassicACL  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	parameterName  = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
	viewerMTLSMode = []string{"required", "optional", "passthrough"}
)

const maxParameterValue = 256 // StringSchemaConfig/DefaultValue

// checkStoredMembers2020 checks the distribution-level members of
// members2020.go, Staging, ContinuousDeploymentPolicyId and WebACLId.
func checkStoredMembers2020(c *DistributionConfig) error {
	tenantOnly := c.ConnectionMode == ConnectionModeTenantOnly
	switch c.ConnectionMode {
	case "", ConnectionModeDirect, ConnectionModeTenantOnly:
	default:
		return Errorf(InvalidArgument, "ConnectionMode must be direct or tenant-only.")
	}
	if c.WebACLID != "" {
		// "Multi-tenant distributions only support WAF V2 web ACLs."
		if !wafV2ACLARN.MatchString(c.WebACLID) && (tenantOnly || !wafClassicACL.MatchString(c.WebACLID)) {
			return Errorf(InvalidWebACLId, "The web ACL %q is not a WAF web ACL ARN (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)%s.",
				c.WebACLID, map[bool]string{false: " or a WAF Classic web ACL id", true: "; a multi-tenant distribution takes WAF V2 web ACLs only"}[tenantOnly])
		}
	}
	// Staging and ContinuousDeploymentPolicyId: "This field only supports
	// standard distributions"; TenantConfig: "This field only supports
	// multi-tenant distributions".
	if tenantOnly && (c.Staging || c.ContinuousDeploymentPolicyID != "") {
		return Errorf(InvalidArgument, "A multi-tenant distribution (ConnectionMode tenant-only) cannot be a staging distribution or have a ContinuousDeploymentPolicyId.")
	}
	if c.TenantConfig != nil {
		if !tenantOnly {
			return Errorf(InvalidArgument, "TenantConfig is for multi-tenant distributions only (ConnectionMode tenant-only).")
		}
		if err := checkTenantConfig(c.TenantConfig); err != nil {
			return err
		}
	}
	if m := c.ViewerMTLSConfig; m != nil {
		if m.Mode != "" && !slices.Contains(viewerMTLSMode, m.Mode) {
			return Errorf(InvalidArgument, "The viewer mTLS Mode must be required, optional or passthrough.")
		}
		// A mode that verifies viewer certificates with nothing to verify
		// them against would admit every viewer.
		if (m.Mode == "required" || m.Mode == "optional") && m.TrustStore == nil {
			return Errorf(InvalidArgument, "The viewer mTLS mode %s needs a TrustStoreConfig.", m.Mode)
		}
	}
	if len(c.ConnectionFunctionID) > 64 {
		return Errorf(InvalidArgument, "The connection function Id must be at most 64 characters.")
	}
	if h := c.CacheTagHeaderName; h != "" && !validCookieName(h) {
		return Errorf(InvalidArgument, "The CacheTagConfig HeaderName %q is not a header name.", h)
	}
	return nil
}

func checkTenantConfig(t *TenantConfig) error {
	for i, p := range t.ParameterDefinitions {
		if !parameterName.MatchString(p.Name) {
			return Errorf(InvalidArgument, "The parameter name %q must be 1 to 128 letters, digits, - or _.", p.Name)
		}
		if slices.ContainsFunc(t.ParameterDefinitions[:i], func(q ParameterDefinition) bool { return q.Name == p.Name }) {
			return Errorf(InvalidArgument, "The parameter %q is defined more than once.", p.Name)
		}
		if s := p.StringSchema; s != nil && s.DefaultValue != nil && (*s.DefaultValue == "" || len(*s.DefaultValue) > maxParameterValue) {
			return Errorf(InvalidArgument, "The default value of parameter %q must be 1 to %d characters.", p.Name, maxParameterValue)
		}
	}
	return nil
}

// checkGRPC: "To enable your distribution to handle gRPC requests, you
// must include HTTP/2 as one of the supported HTTP versions and allow
// HTTP methods, including POST" (the model's GrpcConfig).
func checkGRPC(c *DistributionConfig, b *CacheBehavior, name string) error {
	if b.GRPC == nil || !b.GRPC.Enabled {
		return nil
	}
	v := c.HTTPVersion
	if v != "" && v != HTTPVersion2 && v != HTTPVersion2And3 {
		return Errorf(InvalidArgument, "The %s enables gRPC, which needs HttpVersion http2 or http2and3.", name)
	}
	if !slices.Contains(b.AllowedMethods, "POST") {
		return Errorf(InvalidArgument, "The %s enables gRPC, which needs POST among its AllowedMethods.", name)
	}
	return nil
}

// checkVPCOrigin checks a VPC origin's own members; the model documents
// its timeouts' range as the custom origin's.
func checkVPCOrigin(o *Origin) error {
	v := o.VPCOrigin
	if v.OwnerAccountID != "" && (v.OwnerAccountID == SelfSigner || !validSigner(v.OwnerAccountID)) {
		return Errorf(InvalidArgument, "The OwnerAccountId of origin %q must be a 12-digit account number.", o.ID)
	}
	if err := checkRange(v.OriginReadTimeout, 1, maxOriginTimeout, InvalidOriginReadTimeout, "OriginReadTimeout", o.ID); err != nil {
		return err
	}
	return checkRange(v.OriginKeepaliveTimeout, 1, maxOriginTimeout, InvalidOriginKeepaliveTimeout, "OriginKeepaliveTimeout", o.ID)
}
