package cloudfront

import "testing"

// TestValidateStoredMembers2020: the members openfront stores without
// acting on them are refused only by rules the service model's own
// documentation states (quoted in validate_members2020.go); whether a
// resource they name exists is the control plane's check
// (api.TestStoredMembersRefused).
func TestValidateStoredMembers2020(t *testing.T) {
	const (
		wafV2      = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ExampleWebACL/473e64fd-f30b-4765-81a0-62ad96dd167a"
		wafClassic = "473e64fd-f30b-4765-81a0-62ad96dd167a"
	)
	def := func(c *DistributionConfig) *CacheBehavior { return &c.DefaultCacheBehavior }
	allMethods := []string{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
	tenantOnly := func(c *DistributionConfig) { c.ConnectionMode = ConnectionModeTenantOnly }
	tests := []validationCase{
		// The model's InvalidWebACLId documentation gives both forms, with
		// these very examples. openfront has no WAF: the id is kept, the
		// edge does not filter (README).
		{"web ACL v2 ARN", func(c *DistributionConfig) { c.WebACLID = wafV2 }, ""},
		{"web ACL classic id", func(c *DistributionConfig) { c.WebACLID = wafClassic }, ""},
		{"web ACL word", func(c *DistributionConfig) { c.WebACLID = "acl" }, InvalidWebACLId},
		{"web ACL regional ARN", func(c *DistributionConfig) {
			c.WebACLID = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/ExampleWebACL/473e64fd-f30b-4765-81a0-62ad96dd167a"
		}, InvalidWebACLId},
		// "Multi-tenant distributions only support WAF V2 web ACLs."
		{"tenant-only with classic web ACL", func(c *DistributionConfig) { tenantOnly(c); c.WebACLID = wafClassic }, InvalidWebACLId},
		{"tenant-only with v2 web ACL", func(c *DistributionConfig) { tenantOnly(c); c.WebACLID = wafV2 }, ""},

		{"staging", func(c *DistributionConfig) { c.Staging = true }, ""},
		{"connection mode direct", func(c *DistributionConfig) { c.ConnectionMode = ConnectionModeDirect }, ""},
		{"connection mode other", func(c *DistributionConfig) { c.ConnectionMode = "tenant" }, InvalidArgument},
		// Staging, ContinuousDeploymentPolicyId: "This field only supports
		// standard distributions."
		{"tenant-only staging", func(c *DistributionConfig) { tenantOnly(c); c.Staging = true }, InvalidArgument},
		{"tenant-only continuous deployment", func(c *DistributionConfig) { tenantOnly(c); c.ContinuousDeploymentPolicyID = "p" }, InvalidArgument},
		// TenantConfig: "This field only supports multi-tenant distributions."
		{"tenant config on a standard distribution", func(c *DistributionConfig) { c.TenantConfig = &TenantConfig{} }, InvalidArgument},
		{"tenant config", func(c *DistributionConfig) {
			tenantOnly(c)
			c.TenantConfig = &TenantConfig{ParameterDefinitions: []ParameterDefinition{
				{Name: "tenant-name", StringSchema: &StringSchema{Comment: ptr(""), DefaultValue: ptr("acme"), Required: true}},
				{Name: "origin_path"},
			}}
		}, ""},
		{"tenant parameter name", func(c *DistributionConfig) {
			tenantOnly(c)
			c.TenantConfig = &TenantConfig{ParameterDefinitions: []ParameterDefinition{{Name: "a.b"}}}
		}, InvalidArgument},
		{"tenant parameter twice", func(c *DistributionConfig) {
			tenantOnly(c)
			c.TenantConfig = &TenantConfig{ParameterDefinitions: []ParameterDefinition{{Name: "a"}, {Name: "a"}}}
		}, InvalidArgument},
		{"tenant parameter empty default", func(c *DistributionConfig) {
			tenantOnly(c)
			c.TenantConfig = &TenantConfig{ParameterDefinitions: []ParameterDefinition{{Name: "a", StringSchema: &StringSchema{DefaultValue: ptr("")}}}}
		}, InvalidArgument},

		{"viewer mTLS passthrough", func(c *DistributionConfig) { c.ViewerMTLSConfig = &ViewerMTLSConfig{Mode: "passthrough"} }, ""},
		{"viewer mTLS empty", func(c *DistributionConfig) { c.ViewerMTLSConfig = &ViewerMTLSConfig{} }, ""},
		{"viewer mTLS other mode", func(c *DistributionConfig) { c.ViewerMTLSConfig = &ViewerMTLSConfig{Mode: "strict"} }, InvalidArgument},
		// Verifying with nothing to verify against would admit everyone.
		{"viewer mTLS required without trust store", func(c *DistributionConfig) { c.ViewerMTLSConfig = &ViewerMTLSConfig{Mode: "required"} }, InvalidArgument},
		{"viewer mTLS optional with trust store", func(c *DistributionConfig) {
			c.ViewerMTLSConfig = &ViewerMTLSConfig{Mode: "optional", TrustStore: &TrustStoreConfig{ID: "ts"}}
		}, ""},

		{"cache tag header", func(c *DistributionConfig) { c.CacheTagHeaderName = "Cache-Tag" }, ""},
		{"cache tag header not a token", func(c *DistributionConfig) { c.CacheTagHeaderName = "Cache Tag" }, InvalidArgument},
		{"connection function id too long", func(c *DistributionConfig) { c.ConnectionFunctionID = string(make([]byte, 65)) }, InvalidArgument},

		// GrpcConfig: "you must include HTTP/2 as one of the supported HTTP
		// versions and allow HTTP methods, including POST".
		{"gRPC off", func(c *DistributionConfig) { def(c).GRPC = &GRPCConfig{} }, ""},
		{"gRPC", func(c *DistributionConfig) { def(c).GRPC = &GRPCConfig{true}; def(c).AllowedMethods = allMethods }, ""},
		{"gRPC without POST", func(c *DistributionConfig) { def(c).GRPC = &GRPCConfig{true} }, InvalidArgument},
		{"gRPC over HTTP/1.1", func(c *DistributionConfig) {
			def(c).GRPC = &GRPCConfig{true}
			def(c).AllowedMethods = allMethods
			c.HTTPVersion = HTTPVersion11
		}, InvalidArgument},
		{"gRPC with HTTP/2 and 3", func(c *DistributionConfig) {
			c.CacheBehaviors[0].GRPC = &GRPCConfig{true}
			c.CacheBehaviors[0].AllowedMethods = allMethods
			c.HTTPVersion = HTTPVersion2And3
		}, ""},

		{"VPC origin", func(c *DistributionConfig) {
			c.Origins[1].Custom = nil
			c.Origins[1].VPCOrigin = &VPCOriginConfig{ID: "vo_1", OwnerAccountID: "111122223333", OriginReadTimeout: ptr(30)}
		}, ""},
		{"VPC and custom origin", func(c *DistributionConfig) { c.Origins[1].VPCOrigin = &VPCOriginConfig{ID: "vo_1"} }, InvalidArgument},
		{"VPC origin owner", func(c *DistributionConfig) {
			c.Origins[1].Custom = nil
			c.Origins[1].VPCOrigin = &VPCOriginConfig{ID: "vo_1", OwnerAccountID: "self"}
		}, InvalidArgument},
		{"VPC origin read timeout", func(c *DistributionConfig) {
			c.Origins[1].Custom = nil
			c.Origins[1].VPCOrigin = &VPCOriginConfig{ID: "vo_1", OriginReadTimeout: ptr(0)}
		}, InvalidOriginReadTimeout},
	}
	runValidationCases(t, tests)
}

// TestKeepLaterMembersStored: an update through 2012-07-01, which cannot
// express them, keeps every stored-only member.
func TestKeepLaterMembersStored(t *testing.T) {
	prev := seedDistributionConfig()
	prev.WebACLID = "473e64fd-f30b-4765-81a0-62ad96dd167a"
	prev.Staging = true
	prev.ConnectionMode = ConnectionModeDirect
	prev.ViewerMTLSConfig = &ViewerMTLSConfig{Mode: "passthrough"}
	prev.CacheTagHeaderName = "Cache-Tag"
	prev.AnycastIPListID = "a"
	prev.ConnectionFunctionID = "f"
	prev.TenantConfig = &TenantConfig{}
	prev.Origins[1].Custom.MTLSCertificateARN = "arn:aws:acm:us-east-1:111122223333:certificate/c"
	prev.DefaultCacheBehavior.GRPC = &GRPCConfig{}
	prev.CacheBehaviors[0].GRPC = &GRPCConfig{Enabled: true}

	next := seedDistributionConfig() // what a 2012-07-01 client sends back
	if err := KeepLaterMembers(prev, next); err != nil {
		t.Fatal(err)
	}
	if !EqualDistributionConfigs(prev, next) {
		t.Fatalf("a 2012-07-01 update dropped members:\nprev %+v\nnext %+v", prev, next)
	}
}
