package v20200531

import (
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/shapes"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// Origin access controls: OriginAccessControlConfig
// (CreateOriginAccessControl, UpdateOriginAccessControl,
// GetOriginAccessControlConfig), OriginAccessControl (Create, Get, Update)
// and OriginAccessControlList (ListOriginAccessControls).
//
// The service model requires Name, SigningProtocol, SigningBehavior and
// OriginAccessControlOriginType; Description is optional. The three
// enumerations are kept as sent: validation checks them (InvalidArgument).
//
// Description is always written, in the config, the OriginAccessControl
// and each summary (where the model requires it), an empty one as
// <Description></Description> (xmlwire's Text, as the service writes empty
// strings; the SDKs read it as ""). The decoder takes an absent, a
// self-closing and an empty Description alike as "", so that what the
// encoder writes decodes to the same config and encodes to the same bytes.
//
// OriginAccessControl has no LastModifiedTime in the model: none is
// written.

// DecodeOriginAccessControlConfig decodes an OriginAccessControlConfig
// request body (CreateOriginAccessControl, UpdateOriginAccessControl).
func DecodeOriginAccessControlConfig(body []byte) (cloudfront.OriginAccessControlConfig, error) {
	root, err := parse(body, "OriginAccessControlConfig")
	if err != nil {
		return cloudfront.OriginAccessControlConfig{}, err
	}
	var d decoder
	c := d.originAccessControlConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.OriginAccessControlConfig{}, err
	}
	return c, nil
}

func (d *decoder) originAccessControlConfig(n *node) cloudfront.OriginAccessControlConfig {
	f := d.Open(n, "Name", "Description", "SigningProtocol", "SigningBehavior", "OriginAccessControlOriginType")
	return cloudfront.OriginAccessControlConfig{
		Name:            d.Str(f.Req("Name")),
		Description:     d.Str(f.Opt("Description")),
		SigningProtocol: d.Str(f.Req("SigningProtocol")),
		SigningBehavior: d.Str(f.Req("SigningBehavior")),
		OriginType:      d.Str(f.Req("OriginAccessControlOriginType")),
	}
}

// EncodeOriginAccessControlConfig encodes an <OriginAccessControlConfig>
// document (GetOriginAccessControlConfig).
func EncodeOriginAccessControlConfig(c cloudfront.OriginAccessControlConfig) []byte {
	w := newDoc("OriginAccessControlConfig")
	w.originAccessControlConfigBody(c)
	return w.Bytes("OriginAccessControlConfig")
}

// EncodeOriginAccessControl encodes an <OriginAccessControl> document
// (Create, Get, Update): Id and the config, nothing else.
func EncodeOriginAccessControl(o cloudfront.OriginAccessControl) []byte {
	w := newDoc("OriginAccessControl")
	w.Text("Id", o.ID)
	w.Open("OriginAccessControlConfig")
	w.originAccessControlConfigBody(o.Config)
	w.Close("OriginAccessControlConfig")
	return w.Bytes("OriginAccessControl")
}

// EncodeOriginAccessControlList encodes an <OriginAccessControlList> of
// OriginAccessControlSummary (ListOriginAccessControls). Unlike the policy
// lists it has the full list head of the distribution lists: Marker,
// NextMarker when truncated, MaxItems, IsTruncated, Quantity.
func EncodeOriginAccessControlList(p cloudfront.ListPage, items []cloudfront.OriginAccessControl) []byte {
	return shapes.List(Namespace, "OriginAccessControlList", p, items, func(w *xmlwire.Writer, o cloudfront.OriginAccessControl) {
		c := o.Config
		w.Open("OriginAccessControlSummary")
		w.Text("Id", o.ID)
		w.Text("Description", c.Description)
		w.Text("Name", c.Name)
		w.Text("SigningProtocol", c.SigningProtocol)
		w.Text("SigningBehavior", c.SigningBehavior)
		w.Text("OriginAccessControlOriginType", c.OriginType)
		w.Close("OriginAccessControlSummary")
	})
}

func (w *writer) originAccessControlConfigBody(c cloudfront.OriginAccessControlConfig) {
	w.Text("Name", c.Name)
	w.Text("Description", c.Description)
	w.Text("SigningProtocol", c.SigningProtocol)
	w.Text("SigningBehavior", c.SigningBehavior)
	w.Text("OriginAccessControlOriginType", c.OriginType)
}
