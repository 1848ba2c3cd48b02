package v20200531

import (
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Key groups: KeyGroupConfig (CreateKeyGroup, UpdateKeyGroup,
// GetKeyGroupConfig), KeyGroup (Create, Get, Update) and KeyGroupList
// (ListKeyGroups).
//
// The service model requires Name and Items; Comment is optional and
// always written, as a public key's is (publickey.go). Items is a list of
// <PublicKey> ids with no Quantity beside it: always written, an empty
// one as <Items></Items> (as aws-sdk-go-v2 sends it), and decoded to nil
// when empty, so that an empty list round-trips (validation refuses it).
// The config's Keys are the control plane's and never on the wire.
//
// The documents are a policy kind's (policy.go), but that KeyGroupSummary
// has no Type.

// DecodeKeyGroupConfig decodes a KeyGroupConfig request body
// (CreateKeyGroup, UpdateKeyGroup).
func DecodeKeyGroupConfig(body []byte) (cloudfront.KeyGroupConfig, error) {
	root, err := parse(body, "KeyGroupConfig")
	if err != nil {
		return cloudfront.KeyGroupConfig{}, err
	}
	var d decoder
	c := d.keyGroupConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.KeyGroupConfig{}, err
	}
	return c, nil
}

func (d *decoder) keyGroupConfig(n *node) cloudfront.KeyGroupConfig {
	f := d.Open(n, "Name", "Items", "Comment")
	return cloudfront.KeyGroupConfig{
		Name:    d.Str(f.Req("Name")),
		Items:   d.Texts(d.ItemsOnly(f.Req("Items"), "PublicKey")),
		Comment: d.Str(f.Opt("Comment")),
	}
}

// EncodeKeyGroupConfig encodes a <KeyGroupConfig> document
// (GetKeyGroupConfig).
func EncodeKeyGroupConfig(c cloudfront.KeyGroupConfig) []byte {
	return keyGroups.encodeConfig(c)
}

// EncodeKeyGroup encodes a <KeyGroup> document (Create, Get, Update).
func EncodeKeyGroup(g cloudfront.KeyGroup) []byte {
	return keyGroups.encode(&g)
}

// EncodeKeyGroupList encodes a <KeyGroupList> of KeyGroupSummary
// (ListKeyGroups), each holding one <KeyGroup>.
func EncodeKeyGroupList(p cloudfront.ListPage, items []cloudfront.KeyGroup) []byte {
	return keyGroups.encodeList(p, items)
}

// keyGroups is the key group kind for the shared policy encoders
// (policy.go), without a type.
var keyGroups = policyKind[cloudfront.KeyGroup, cloudfront.KeyGroupConfig]{
	name: "KeyGroup",
	parts: func(g *cloudfront.KeyGroup) (string, time.Time, cloudfront.KeyGroupConfig) {
		return g.ID, g.LastModifiedTime, g.Config
	},
	config: (*writer).keyGroupConfigBody,
}

func (w *writer) keyGroupConfigBody(c cloudfront.KeyGroupConfig) {
	w.Text("Name", c.Name)
	w.Open("Items")
	for _, id := range c.Items {
		w.Text("PublicKey", id)
	}
	w.Close("Items")
	w.Text("Comment", c.Comment)
}
