package cloudfront

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Key value stores (API 2020-05-31 for the store itself, the
// cloudfront-keyvaluestore API 2022-07-26 for its keys): key-value data a
// CloudFront function of the same account reads at the edge through the
// cf module. The store's record holds its keys, so every write of keys is
// one write of the record, all or nothing; edges get whole stores by the
// feed, keyed by ARN, never through a distribution.

// KeyValueStore statuses (the model's KeyValueStore.Status).
const (
	KeyValueStoreProvisioning = "PROVISIONING"
	KeyValueStoreReady        = "READY"
	KeyValueStoreFailed       = "FAILED"
)

// Documented quotas ("Quotas on key value stores").
const (
	MaxKeyValueStoreBytes = 5 * 1024 * 1024 // a store's keys and values together
	MaxKeyBytes           = 512
	MaxValueBytes         = 1024
	// MaxKeyValueUpdateBytes bounds one UpdateKeys request's puts and
	// deletes (the API reference: "The total size of the request must be
	// less than 3 MB"), and MaxKeyValueUpdateItems its items.
	MaxKeyValueUpdateBytes = 3 * 1024 * 1024
	MaxKeyValueUpdateItems = 50
)

// KeyValueStore is a key value store as the control plane keeps it. ETag
// and LastModifiedTime are the control plane's (DescribeKeyValueStore of
// API 2020-05-31); the keys' own ETag is Config.Data.ETag.
type KeyValueStore struct {
	ID               string              `json:",omitzero"` // a UUID
	AccountID        string              `json:",omitzero"`
	LastModifiedTime time.Time           `json:",omitzero"`
	ETag             string              `json:",omitzero"`
	Revision         int64               `json:",omitzero"`
	Config           KeyValueStoreConfig `json:",omitzero"`
}

// KeyValueStoreConfig is what a store holds: its name (unique in the
// account), comment, where its first keys came from, and its keys.
type KeyValueStoreConfig struct {
	Name         string                     `json:",omitzero"`
	Comment      string                     `json:",omitzero"`
	ImportSource *KeyValueStoreImportSource `json:",omitempty" equal:"-"`
	// Created is the store's creation time (kept with the config because
	// the store keeps one time per record).
	Created time.Time     `json:",omitzero" equal:"-"`
	Status  string        `json:",omitzero" equal:"-"`
	Data    KeyValueItems `json:",omitzero" equal:"-"`
}

// KeyValueStoreImportSource is CreateKeyValueStore's ImportSource: an S3
// object of keys to start with.
type KeyValueStoreImportSource struct {
	SourceType string `json:",omitzero"` // "S3"
	SourceARN  string `json:",omitzero"` // arn:aws:s3:::bucket/key
}

// KeyValueItems are a store's keys: sorted by key, unique. ETag is the
// keys' version, which the keys API shows and its writes match If-Match
// against; Modified is when the keys last changed.
type KeyValueItems struct {
	Items    []KeyValue `json:",omitzero"`
	ETag     string     `json:",omitzero"`
	Modified time.Time  `json:",omitzero"`
}

// KeyValue is one key and its value.
type KeyValue struct {
	Key   string `json:"K"`
	Value string `json:"V"`
}

// Size is what the items count against MaxKeyValueStoreBytes: the bytes
// of every key and value.
func (d *KeyValueItems) Size() int {
	n := 0
	for _, kv := range d.Items {
		n += len(kv.Key) + len(kv.Value)
	}
	return n
}

// Get returns key's value.
func (d *KeyValueItems) Get(key string) (string, bool) {
	i, ok := slices.BinarySearchFunc(d.Items, key, func(kv KeyValue, k string) int { return strings.Compare(kv.Key, k) })
	if !ok {
		return "", false
	}
	return d.Items[i].Value, true
}

// Apply returns the items with puts set and deletes removed, as a new
// slice (d's is shared with readers). A key both put and deleted is the
// caller's error to refuse first.
func (d *KeyValueItems) Apply(puts []KeyValue, deletes []string) []KeyValue {
	m := make(map[string]string, len(d.Items)+len(puts))
	for _, kv := range d.Items {
		m[kv.Key] = kv.Value
	}
	for _, kv := range puts {
		m[kv.Key] = kv.Value
	}
	for _, k := range deletes {
		delete(m, k)
	}
	out := make([]KeyValue, 0, len(m))
	for k, v := range m {
		out = append(out, KeyValue{k, v})
	}
	slices.SortFunc(out, func(a, b KeyValue) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// KeyValueStoreARN is a store's ARN: what functions and the keys API
// name it by.
func KeyValueStoreARN(accountID, id string) string {
	return "arn:aws:cloudfront::" + accountID + ":key-value-store/" + id
}

// ParseKeyValueStoreARN returns the account and id of a store's ARN.
func ParseKeyValueStoreARN(arn string) (accountID, id string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:cloudfront::")
	if !ok {
		return "", "", false
	}
	accountID, id, ok = strings.Cut(rest, ":key-value-store/")
	if !ok || accountID == "" || id == "" || strings.ContainsAny(id, "/:") {
		return "", "", false
	}
	return accountID, id, true
}

// NewKeyValueStoreID returns a store id: a UUID, as CloudFront's are.
func NewKeyValueStoreID() string { return NewRequestID() }

// NormalizeKeyValueStoreConfig: nothing is defaulted.
func NormalizeKeyValueStoreConfig(*KeyValueStoreConfig) {}

// EqualKeyValueStoreConfigs reports whether two configs say the same.
func EqualKeyValueStoreConfigs(a, b *KeyValueStoreConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

// ValidateKeyValueStoreConfig checks a store's name (the model's pattern
// [a-zA-Z0-9-_]{1,64}), its comment (at most 128 characters, as the
// console's), and its import source (S3, an object's ARN).
func (r Rules) ValidateKeyValueStoreConfig(c *KeyValueStoreConfig) error {
	switch {
	case len(c.Name) == 0 || len(c.Name) > 64 || !isIdentifierName(c.Name):
		return Errorf(InvalidArgument, "The key value store name %q must be 1 to 64 letters, digits, hyphens or underscores.", c.Name)
	case utf8.RuneCountInString(c.Comment) > 128:
		return Errorf(InvalidArgument, "The Comment is longer than 128 characters.")
	}
	if s := c.ImportSource; s != nil {
		if s.SourceType != "S3" {
			return Errorf(InvalidArgument, "The ImportSource's SourceType %q is not valid: use S3.", s.SourceType)
		}
		bucket, key, ok := strings.Cut(strings.TrimPrefix(s.SourceARN, "arn:aws:s3:::"), "/")
		if !strings.HasPrefix(s.SourceARN, "arn:aws:s3:::") || !ok || bucket == "" || key == "" {
			return Errorf(InvalidArgument, "The ImportSource's SourceARN %q is not an S3 object's ARN (arn:aws:s3:::bucket/key).", s.SourceARN)
		}
	}
	return nil
}

// ValidateKey checks a key as the keys API does: 1 to MaxKeyBytes bytes
// of UTF-8.
func ValidateKey(key string) bool {
	return key != "" && len(key) <= MaxKeyBytes && utf8.ValidString(key)
}

// ValidateValue checks a value: at most MaxValueBytes bytes of UTF-8.
func ValidateValue(v string) bool {
	return len(v) <= MaxValueBytes && utf8.ValidString(v)
}

// ParseKeyValueImport reads an ImportSource object: the JSON CloudFront
// documents ("Create a key value store": {"data":[{"key":"k","value":"v"},
// …]}), each key and value within bounds, no key twice, and the whole
// within MaxKeyValueStoreBytes. The items come back sorted by key.
func ParseKeyValueImport(b []byte) ([]KeyValue, error) {
	var doc struct {
		Data *[]struct {
			Key   *string `json:"key"`
			Value *string `json:"value"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, Errorf(InvalidArgument, "The import source is not a key value store's JSON ({\"data\":[{\"key\":…,\"value\":…}]}): %v", err)
	}
	if dec.More() {
		return nil, Errorf(InvalidArgument, "The import source has data after its JSON object.")
	}
	if doc.Data == nil {
		return nil, Errorf(InvalidArgument, "The import source has no \"data\" list.")
	}
	items := make([]KeyValue, 0, len(*doc.Data))
	size := 0
	for i, kv := range *doc.Data {
		switch {
		case kv.Key == nil || kv.Value == nil:
			return nil, Errorf(InvalidArgument, "Item %d of the import source needs a \"key\" and a \"value\".", i)
		case !ValidateKey(*kv.Key):
			return nil, Errorf(InvalidArgument, "Item %d of the import source: a key must be 1 to %d bytes of UTF-8.", i, MaxKeyBytes)
		case !ValidateValue(*kv.Value):
			return nil, Errorf(InvalidArgument, "Item %d of the import source: a value must be at most %d bytes of UTF-8.", i, MaxValueBytes)
		}
		size += len(*kv.Key) + len(*kv.Value)
		if size > MaxKeyValueStoreBytes {
			return nil, Errorf(EntitySizeLimitExceeded, "The import source holds more than %d bytes of keys and values.", MaxKeyValueStoreBytes)
		}
		items = append(items, KeyValue{*kv.Key, *kv.Value})
	}
	slices.SortStableFunc(items, func(a, b KeyValue) int { return strings.Compare(a.Key, b.Key) })
	for i := 1; i < len(items); i++ {
		if items[i].Key == items[i-1].Key {
			return nil, Errorf(InvalidArgument, "The import source has the key %q twice.", items[i].Key)
		}
	}
	return items, nil
}
