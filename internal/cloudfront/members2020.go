package cloudfront

// Members of the 2020-05-31 DistributionConfig that openfront stores and
// echoes exactly as sent but whose settings the edge does not act on
// (README, "What the edge does not act on"). A pointer is nil when the
// element was absent, so that what a client sent is what it gets back.

// Values of ConnectionMode.
const (
	ConnectionModeDirect     = "direct"
	ConnectionModeTenantOnly = "tenant-only"
)

// TenantConfig is a multi-tenant distribution's parameters.
type TenantConfig struct {
	ParameterDefinitions []ParameterDefinition `json:",omitempty"`
}

// ParameterDefinition is one parameter a distribution tenant may set.
type ParameterDefinition struct {
	Name string `json:",omitzero"`
	// StringSchema is Definition/StringSchema; nil when Definition is empty.
	StringSchema *StringSchema `json:",omitempty"`
}

// StringSchema describes a string parameter.
type StringSchema struct {
	Comment      *string `json:",omitempty"`
	DefaultValue *string `json:",omitempty"`
	Required     bool    `json:",omitzero"`
}

// ViewerMTLSConfig is the distribution's viewer mTLS configuration.
type ViewerMTLSConfig struct {
	Mode       string            `json:",omitempty"` // required, optional or passthrough; "" absent
	TrustStore *TrustStoreConfig `json:",omitempty"`
}

// TrustStoreConfig names the trust store viewer certificates are checked
// against.
type TrustStoreConfig struct {
	ID                         string `json:",omitzero"`
	AdvertiseTrustStoreCANames *bool  `json:",omitempty"`
	IgnoreCertificateExpiry    *bool  `json:",omitempty"`
}

// VPCOriginConfig is an origin inside a VPC.
type VPCOriginConfig struct {
	ID                     string `json:",omitzero"`
	OwnerAccountID         string `json:",omitempty"`
	OriginReadTimeout      *int   `json:",omitempty"`
	OriginKeepaliveTimeout *int   `json:",omitempty"`
}

// GRPCConfig is a cache behaviour's GrpcConfig.
type GRPCConfig struct {
	Enabled bool `json:",omitzero"`
}
