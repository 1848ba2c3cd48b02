package v20200531

import "github.com/openfront/openfront/internal/cloudfront"

// Key value stores: the request bodies CreateKeyValueStoreRequest and
// UpdateKeyValueStoreRequest, and the documents KeyValueStore
// (CreateKeyValueStore, DescribeKeyValueStore, UpdateKeyValueStore) and
// KeyValueStoreList (ListKeyValueStores). DeleteKeyValueStore has no
// body. The store's keys are the cloudfront-keyvaluestore API's, never in
// these documents.
//
// The request roots are the operations' input names, as the functions'
// are (function.go). A store's name is in the body only when it is
// created: Update names it in the path and its ETag in If-Match, so
// neither is a member of its body. The service model requires Name to
// create and Comment to update; Create's Comment, ImportSource and Tags
// are optional, and inside ImportSource both SourceType and SourceARN are
// required. Every value is kept as sent: the name's pattern, the
// comment's length and the import source are validation's
// (cloudfront.Rules.ValidateKeyValueStoreConfig).
//
// KeyValueStore's members are written in the model's order: Name, Id,
// Comment, ARN, Status, LastModifiedTime. Comment is required there and
// always written, an empty one as <Comment></Comment>. Status, optional in
// the model, is always written, as a function's is (a stored store has
// one). The ARN is made from the store's account and id; the account,
// ETag (a header), the creation time, the import source and the keys are
// never written.

// DecodeCreateKeyValueStoreRequest decodes a CreateKeyValueStoreRequest
// body (CreateKeyValueStore): the store's Name, Comment ("" when absent)
// and ImportSource (nil when absent), and its tags (nil when none).
func DecodeCreateKeyValueStoreRequest(body []byte) (cfg cloudfront.KeyValueStoreConfig, tags []cloudfront.Tag, err error) {
	root, err := parse(body, "CreateKeyValueStoreRequest")
	if err != nil {
		return cloudfront.KeyValueStoreConfig{}, nil, err
	}
	var d decoder
	f := d.Open(root, "Name", "Comment", "ImportSource", "Tags")
	cfg = cloudfront.KeyValueStoreConfig{
		Name:         d.Str(f.Req("Name")),
		Comment:      d.Str(f.Opt("Comment")),
		ImportSource: d.importSource(f.Opt("ImportSource")),
	}
	tags = d.tags(f.Opt("Tags"))
	if err := d.Result(); err != nil {
		return cloudfront.KeyValueStoreConfig{}, nil, err
	}
	return cfg, tags, nil
}

// DecodeUpdateKeyValueStoreRequest decodes an UpdateKeyValueStoreRequest
// body (UpdateKeyValueStore): the store's new Comment.
func DecodeUpdateKeyValueStoreRequest(body []byte) (comment string, err error) {
	root, err := parse(body, "UpdateKeyValueStoreRequest")
	if err != nil {
		return "", err
	}
	var d decoder
	f := d.Open(root, "Comment")
	comment = d.Str(f.Req("Comment"))
	if err := d.Result(); err != nil {
		return "", err
	}
	return comment, nil
}

// importSource decodes an ImportSource element, nil when it is absent.
func (d *decoder) importSource(n *node) *cloudfront.KeyValueStoreImportSource {
	if n == nil {
		return nil
	}
	f := d.Open(n, "SourceType", "SourceARN")
	return &cloudfront.KeyValueStoreImportSource{
		SourceType: d.Str(f.Req("SourceType")),
		SourceARN:  d.Str(f.Req("SourceARN")),
	}
}

// EncodeKeyValueStore encodes a <KeyValueStore> document
// (CreateKeyValueStore, DescribeKeyValueStore, UpdateKeyValueStore).
func EncodeKeyValueStore(s cloudfront.KeyValueStore) []byte {
	w := newDoc("KeyValueStore")
	w.keyValueStoreBody(s)
	return w.Bytes("KeyValueStore")
}

// EncodeKeyValueStoreList encodes a <KeyValueStoreList> of KeyValueStore
// (ListKeyValueStores), with the policy lists' head (no Marker, no
// IsTruncated).
func EncodeKeyValueStoreList(p cloudfront.ListPage, items []cloudfront.KeyValueStore) []byte {
	return shortList("KeyValueStoreList", p, items, func(w *writer, s cloudfront.KeyValueStore) {
		w.Open("KeyValueStore")
		w.keyValueStoreBody(s)
		w.Close("KeyValueStore")
	})
}

func (w *writer) keyValueStoreBody(s cloudfront.KeyValueStore) {
	w.Text("Name", s.Config.Name)
	w.Text("Id", s.ID)
	w.Text("Comment", s.Config.Comment)
	w.Text("ARN", cloudfront.KeyValueStoreARN(s.AccountID, s.ID))
	w.Text("Status", s.Config.Status)
	w.Time("LastModifiedTime", s.LastModifiedTime)
}
