package v20200531

import "github.com/openfront/openfront/internal/cloudfront"

// Public keys: PublicKeyConfig (CreatePublicKey, UpdatePublicKey,
// GetPublicKeyConfig), PublicKey (Create, Get, Update) and PublicKeyList
// (ListPublicKeys).
//
// The service model requires CallerReference, Name and EncodedKey;
// Comment is optional. Every value is kept exactly as sent, EncodedKey's
// PEM too: its newlines come as &#xA; from aws-sdk-go-v2 and literally
// from botocore, and the writer escapes a carriage return, so a key
// round-trips byte for byte. Validation parses the key.
//
// Comment is always written, in the config, the PublicKey and each
// summary, an empty one as <Comment></Comment>, as the policies' Comment
// and the origin access controls' Description are (whether CloudFront
// leaves it out of a ListPublicKeys answer when unset is unconfirmed; the
// SDKs read both as ""). The decoder takes an absent and an empty Comment
// alike as "", so that what the encoder writes decodes to the same config.
//
// PublicKey has CreatedTime where the other kinds have LastModifiedTime;
// the model's LastModifiedTime is the lifecycle's and never written.

// DecodePublicKeyConfig decodes a PublicKeyConfig request body
// (CreatePublicKey, UpdatePublicKey).
func DecodePublicKeyConfig(body []byte) (cloudfront.PublicKeyConfig, error) {
	root, err := parse(body, "PublicKeyConfig")
	if err != nil {
		return cloudfront.PublicKeyConfig{}, err
	}
	var d decoder
	c := d.publicKeyConfig(root)
	if err := d.Result(); err != nil {
		return cloudfront.PublicKeyConfig{}, err
	}
	return c, nil
}

func (d *decoder) publicKeyConfig(n *node) cloudfront.PublicKeyConfig {
	f := d.Open(n, "CallerReference", "Name", "EncodedKey", "Comment")
	return cloudfront.PublicKeyConfig{
		CallerReference: d.Str(f.Req("CallerReference")),
		Name:            d.Str(f.Req("Name")),
		EncodedKey:      d.Str(f.Req("EncodedKey")),
		Comment:         d.Str(f.Opt("Comment")),
	}
}

// EncodePublicKeyConfig encodes a <PublicKeyConfig> document
// (GetPublicKeyConfig).
func EncodePublicKeyConfig(c cloudfront.PublicKeyConfig) []byte {
	w := newDoc("PublicKeyConfig")
	w.publicKeyConfigBody(c)
	return w.Bytes("PublicKeyConfig")
}

// EncodePublicKey encodes a <PublicKey> document (Create, Get, Update):
// Id, CreatedTime and the config.
func EncodePublicKey(p cloudfront.PublicKey) []byte {
	w := newDoc("PublicKey")
	w.Text("Id", p.ID)
	w.Time("CreatedTime", p.CreatedTime)
	w.Open("PublicKeyConfig")
	w.publicKeyConfigBody(p.Config)
	w.Close("PublicKeyConfig")
	return w.Bytes("PublicKey")
}

// EncodePublicKeyList encodes a <PublicKeyList> of PublicKeySummary
// (ListPublicKeys), with the policy lists' head (no Marker, no
// IsTruncated). The summary is flat: no CallerReference.
func EncodePublicKeyList(p cloudfront.ListPage, items []cloudfront.PublicKey) []byte {
	return shortList("PublicKeyList", p, items, func(w *writer, k cloudfront.PublicKey) {
		w.Open("PublicKeySummary")
		w.Text("Id", k.ID)
		w.Text("Name", k.Config.Name)
		w.Time("CreatedTime", k.CreatedTime)
		w.Text("EncodedKey", k.Config.EncodedKey)
		w.Text("Comment", k.Config.Comment)
		w.Close("PublicKeySummary")
	})
}

func (w *writer) publicKeyConfigBody(c cloudfront.PublicKeyConfig) {
	w.Text("CallerReference", c.CallerReference)
	w.Text("Name", c.Name)
	w.Text("EncodedKey", c.EncodedKey)
	w.Text("Comment", c.Comment)
}
