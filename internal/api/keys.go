package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/auth"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
)

// The keys API of key value stores ("cloudfront-keyvaluestore", API
// 2022-07-26): restJson1 under /key-value-stores/{KvsARN}, signed with
// SigV4A (or SigV4) for the service cloudfront-keyvaluestore. AWS serves
// it at https://<account>.cloudfront-kvs.global.api.aws; the SDKs put the
// ARN's account in front of a custom endpoint's host too, so a client
// pointed at http://host:port calls <account>.host:port, which must
// resolve to this server (a wildcard DNS name, or *.localhost).

// keysService is the keys API's signing name.
const keysService = "cloudfront-keyvaluestore"

// maxKeysBody bounds a keys API body: an UpdateKeys of at most 3 MB of
// keys and values (cloudfront.MaxKeyValueUpdateBytes), with its JSON.
const maxKeysBody = 4 << 20

// Paging of ListKeys: "The default is 10 and maximum allowed page is 50"
// (the API reference).
const (
	defaultListKeys = 10
	maxListKeys     = 50
)

// keysVerifier checks the keys API's signatures with the CloudFront
// API's credentials, for the keys API's service name.
func (s *Server) keysVerifier() *auth.Verifier {
	v := s.Verifier
	return &auth.Verifier{Lookup: v.Lookup, Now: v.Now, MaxSkew: v.MaxSkew, Service: keysService}
}

// keysRoutes registers the keys API's six operations, and its own
// not-found answer for every other path under /key-value-stores/.
func (s *Server) keysRoutes() {
	k := keysOps{s.Service.KeyValueStores()}
	for _, rt := range []route{
		{"GET", "/key-value-stores/{arn}", "", "DescribeKeyValueStore", k.describe},
		{"GET", "/key-value-stores/{arn}/keys/{key}", "", "GetKey", k.get},
		{"GET", "/key-value-stores/{arn}/keys", "", "ListKeys", k.list},
		{"PUT", "/key-value-stores/{arn}/keys/{key}", "", "PutKey", k.put},
		{"DELETE", "/key-value-stores/{arn}/keys/{key}", "", "DeleteKey", k.delete},
		{"POST", "/key-value-stores/{arn}/keys", "", "UpdateKeys", k.update},
	} {
		s.mux.Handle(rt.method+" "+rt.path, s.handleAPI(&s.keys, "keys:"+rt.name, rt.op))
	}
	s.mux.Handle("/key-value-stores/", s.handleAPI(&s.keys, "keys:UnknownOperation", func(context.Context, *request) (reply, error) {
		return reply{}, cloudfront.Errorf(cloudfront.InvalidURI, "No operation of the key value store keys API has this method and path.")
	}))
}

type keysOps struct{ ops controlplane.KeyValueStores }

// storeSize is what every keys API answer reports of a store.
type storeSize struct {
	ItemCount        int
	TotalSizeInBytes int
}

func sizeOf(k *cloudfront.KeyValueStore) storeSize {
	return storeSize{len(k.Config.Data.Items), k.Config.Data.Size()}
}

func (k keysOps) describe(ctx context.Context, r *request) (reply, error) {
	s, err := k.ops.Keys(ctx, r.account, r.PathValue("arn"))
	if err != nil {
		return reply{}, err
	}
	return jsonReply(s.Config.Data.ETag, struct {
		storeSize
		KvsARN       string
		Created      epochSeconds
		LastModified epochSeconds
		Status       string
	}{sizeOf(&s), cloudfront.KeyValueStoreARN(s.AccountID, s.ID), epochSeconds(s.Config.Created),
		epochSeconds(s.Config.Data.Modified), s.Config.Status})
}

func (k keysOps) get(ctx context.Context, r *request) (reply, error) {
	s, err := k.ops.Keys(ctx, r.account, r.PathValue("arn"))
	if err != nil {
		return reply{}, err
	}
	key := r.PathValue("key")
	v, ok := s.Config.Data.Get(key)
	if !ok {
		return reply{}, cloudfront.Errorf(cloudfront.EntityNotFound, "The key %q does not exist.", key)
	}
	return jsonReply("", struct {
		storeSize
		Key, Value string
	}{sizeOf(&s), key, v})
}

// list pages through the keys in key order; NextToken is the last key
// of the page, encoded.
func (k keysOps) list(ctx context.Context, r *request) (reply, error) {
	q := r.URL.Query()
	limit := defaultListKeys
	if v := q.Get("MaxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListKeys {
			return reply{}, cloudfront.Errorf(cloudfront.InvalidArgument, "MaxResults must be a number from 1 to %d.", maxListKeys)
		}
		limit = n
	}
	after := ""
	if t := q.Get("NextToken"); t != "" {
		b, err := base64.RawURLEncoding.DecodeString(t)
		if err != nil || len(b) == 0 {
			return reply{}, cloudfront.Errorf(cloudfront.InvalidArgument, "The NextToken is not one ListKeys gave.")
		}
		after = string(b)
	}
	s, err := k.ops.Keys(ctx, r.account, r.PathValue("arn"))
	if err != nil {
		return reply{}, err
	}
	items := s.Config.Data.Items
	i, _ := slices.BinarySearchFunc(items, after, func(kv cloudfront.KeyValue, k string) int { return strings.Compare(kv.Key, k) })
	if after != "" && i < len(items) && items[i].Key == after {
		i++
	}
	page := items[i:min(len(items), i+limit)]
	type item struct{ Key, Value string }
	out := struct {
		Items     []item
		NextToken string `json:",omitempty"`
	}{Items: make([]item, 0, len(page))}
	for _, kv := range page {
		out.Items = append(out.Items, item{kv.Key, kv.Value})
	}
	if i+limit < len(items) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(page[len(page)-1].Key))
	}
	return jsonReply("", out)
}

func (k keysOps) put(ctx context.Context, r *request) (reply, error) {
	var in struct{ Value *string }
	if err := decodeKeysBody(r.body, &in); err != nil {
		return reply{}, err
	}
	if in.Value == nil {
		return reply{}, cloudfront.Errorf(cloudfront.InvalidArgument, "PutKey needs a Value.")
	}
	return k.write(ctx, r, []cloudfront.KeyValue{{Key: r.PathValue("key"), Value: *in.Value}}, nil)
}

func (k keysOps) delete(ctx context.Context, r *request) (reply, error) {
	return k.write(ctx, r, nil, []string{r.PathValue("key")})
}

func (k keysOps) update(ctx context.Context, r *request) (reply, error) {
	puts, deletes, err := decodeUpdateKeys(r.body)
	if err != nil {
		return reply{}, err
	}
	return k.write(ctx, r, puts, deletes)
}

// write is PutKey, DeleteKey and UpdateKeys: If-Match is required, and
// the answer is the store's new size and ETag.
func (k keysOps) write(ctx context.Context, r *request, puts []cloudfront.KeyValue, deletes []string) (reply, error) {
	match := r.Header.Get("If-Match")
	if match == "" {
		return reply{}, cloudfront.Errorf(cloudfront.InvalidArgument, "The If-Match header (the store's ETag) is required.")
	}
	s, err := k.ops.UpdateKeys(ctx, r.account, r.PathValue("arn"), match, puts, deletes)
	if err != nil {
		return reply{}, err
	}
	return jsonReply(s.Config.Data.ETag, sizeOf(&s))
}

// decodeUpdateKeys reads UpdateKeys' body: {"Puts":[{"Key","Value"}],
// "Deletes":[{"Key"}]}, both lists optional; every member of an item is
// required.
func decodeUpdateKeys(body []byte) ([]cloudfront.KeyValue, []string, error) {
	var in struct {
		Puts []struct {
			Key, Value *string
		}
		Deletes []struct{ Key *string }
	}
	if err := decodeKeysBody(body, &in); err != nil {
		return nil, nil, err
	}
	puts := make([]cloudfront.KeyValue, 0, len(in.Puts))
	for _, p := range in.Puts {
		if p.Key == nil || p.Value == nil {
			return nil, nil, cloudfront.Errorf(cloudfront.InvalidArgument, "Each of Puts needs a Key and a Value.")
		}
		puts = append(puts, cloudfront.KeyValue{Key: *p.Key, Value: *p.Value})
	}
	deletes := make([]string, 0, len(in.Deletes))
	for _, d := range in.Deletes {
		if d.Key == nil {
			return nil, nil, cloudfront.Errorf(cloudfront.InvalidArgument, "Each of Deletes needs a Key.")
		}
		deletes = append(deletes, *d.Key)
	}
	return puts, deletes, nil
}

// decodeKeysBody decodes one JSON object into v. Members v does not name
// are ignored, as AWS's JSON services do; a body that is not one object of
// the right types is InvalidArgument (ValidationException).
func decodeKeysBody(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "The request body is not valid JSON for this operation: %v", err)
	}
	if _, err := dec.Token(); err == nil {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "The request body has data after its JSON object.")
	}
	return nil
}

// epochSeconds is a timestamp as restJson1 writes one by default: seconds
// since the epoch, a number.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

func jsonReply(etag string, v any) (reply, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: b, etag: etag, contentType: "application/json"}, nil
}

// keysErrors maps the control plane's codes to the keys API's errors
// (its model's AccessDeniedException, ConflictException,
// ResourceNotFoundException, ServiceQuotaExceededException,
// ValidationException, InternalServerException) and the signature errors
// to the names AWS's JSON services give them.
var keysErrors = map[cloudfront.Code]struct {
	code   string
	status int
}{
	cloudfront.EntityNotFound:             {"ResourceNotFoundException", http.StatusNotFound},
	cloudfront.PreconditionFailed:         {"ConflictException", http.StatusConflict},
	cloudfront.InvalidArgument:            {"ValidationException", http.StatusBadRequest},
	cloudfront.InvalidURI:                 {"UnknownOperationException", http.StatusNotFound},
	cloudfront.EntitySizeLimitExceeded:    {"ServiceQuotaExceededException", http.StatusPaymentRequired},
	cloudfront.RequestEntityTooLarge:      {"ValidationException", http.StatusRequestEntityTooLarge},
	cloudfront.AccessDenied:               {"AccessDeniedException", http.StatusForbidden},
	cloudfront.SignatureDoesNotMatch:      {"InvalidSignatureException", http.StatusForbidden},
	cloudfront.InvalidClientTokenId:       {"UnrecognizedClientException", http.StatusForbidden},
	cloudfront.MissingAuthenticationToken: {"MissingAuthenticationTokenException", http.StatusForbidden},
	cloudfront.IncompleteSignature:        {"IncompleteSignatureException", http.StatusForbidden},
	cloudfront.ServiceUnavailable:         {"ServiceUnavailableException", http.StatusServiceUnavailable},
}

// writeJSONError writes a restJson1 error: X-Amzn-ErrorType names it and
// the body carries the message.
func writeJSONError(w http.ResponseWriter, r *request, e *cloudfront.Error) {
	m, ok := keysErrors[e.Code]
	if !ok {
		m.code, m.status = "ValidationException", e.Status()
		if m.status >= 500 {
			m.code = "InternalServerException"
		}
	}
	msg := e.Message
	if msg == "" {
		msg = e.Error()
	}
	body, err := json.Marshal(struct{ Message string }{msg})
	if err != nil {
		body = []byte(`{}`)
	}
	h := w.Header()
	setRequestID(h, r.id)
	h.Set("X-Amzn-ErrorType", m.code)
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", itoa(len(body)))
	w.WriteHeader(m.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
