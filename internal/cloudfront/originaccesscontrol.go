package cloudfront

import (
	"reflect"
	"time"
)

// Origin access control (API 2020-05-31): how CloudFront signs its
// requests to an origin, the successor of origin access identities. An
// origin names one by OriginAccessControlId; the control plane resolves
// it into Origin.OriginAccessControl for edges.

// OAC settings.
const (
	SigningProtocolSigV4 = "sigv4"

	SigningAlways     = "always"      // sign every request, replacing a viewer's Authorization
	SigningNever      = "never"       // sign nothing
	SigningNoOverride = "no-override" // sign unless the viewer sent Authorization

	OACOriginS3             = "s3"
	OACOriginMediaStore     = "mediastore"
	OACOriginMediaPackageV2 = "mediapackagev2"
	OACOriginLambda         = "lambda"
)

// OriginAccessControl is an origin access control as the API reports it.
// The API shows no LastModifiedTime; it is kept for the lifecycle.
type OriginAccessControl struct {
	ID               string                    `json:",omitzero"`
	AccountID        string                    `json:",omitzero"` // owner; never sent on the wire
	LastModifiedTime time.Time                 `json:",omitzero"`
	ETag             string                    `json:",omitzero"`
	Revision         int64                     `json:",omitzero"`
	Config           OriginAccessControlConfig `json:",omitzero"`
}

// OriginAccessControlConfig is an OAC's settings.
type OriginAccessControlConfig struct {
	Name            string `json:",omitzero"`
	Description     string `json:",omitzero"`
	SigningProtocol string `json:",omitzero"`
	SigningBehavior string `json:",omitzero"`
	OriginType      string `json:",omitzero"` // OriginAccessControlOriginType
}

// OriginAccessControlARN is an OAC's ARN in CloudFront's form.
func OriginAccessControlARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":origin-access-control/" + id
}

// NormalizeOriginAccessControlConfig: nothing is defaulted.
func NormalizeOriginAccessControlConfig(*OriginAccessControlConfig) {}

// EqualOriginAccessControlConfigs reports whether two configs are the same.
func EqualOriginAccessControlConfigs(a, b *OriginAccessControlConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

// ValidateOriginAccessControlConfig checks an OAC's config: a name of at
// most 64 characters (the API reference), a description of at most 256
// (unconfirmed: the console's limit), and the enumerations of the service
// model. Every refusal is InvalidArgument, the one code
// CreateOriginAccessControl lists for a bad value.
func (r Rules) ValidateOriginAccessControlConfig(c *OriginAccessControlConfig) error {
	switch {
	case c.Name == "":
		return Errorf(InvalidArgument, "The origin access control needs a Name.")
	case len(c.Name) > 64:
		return Errorf(InvalidArgument, "The Name %q is longer than 64 characters.", c.Name)
	case len(c.Description) > 256:
		return Errorf(InvalidArgument, "The Description is longer than 256 characters.")
	case c.SigningProtocol != SigningProtocolSigV4:
		return Errorf(InvalidArgument, "The SigningProtocol %q is not valid: use sigv4.", c.SigningProtocol)
	}
	switch c.SigningBehavior {
	case SigningAlways, SigningNever, SigningNoOverride:
	default:
		return Errorf(InvalidArgument, "The SigningBehavior %q is not valid: use always, never or no-override.", c.SigningBehavior)
	}
	switch c.OriginType {
	case OACOriginS3, OACOriginMediaStore, OACOriginMediaPackageV2, OACOriginLambda:
	default:
		return Errorf(InvalidArgument, "The OriginAccessControlOriginType %q is not valid: use s3, mediastore, mediapackagev2 or lambda.", c.OriginType)
	}
	for _, ch := range c.Name {
		if ch < 0x20 || ch == 0x7f {
			return Errorf(InvalidArgument, "The Name %q holds a control character.", c.Name)
		}
	}
	return nil
}
