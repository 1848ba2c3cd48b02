package api

import (
	"context"
	"net/http"

	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/wire/v20200531"
)

// keyValueStoreRoutes are the key value stores' five operations of API
// 2020-05-31, which address a store by name. Its keys have an API of
// their own (keys.go).
func keyValueStoreRoutes(ops controlplane.KeyValueStores) []route {
	k := keyValueStoreOps{ops}
	return []route{
		{"POST", "/key-value-store", "", "CreateKeyValueStore", k.create},
		{"GET", "/key-value-store/{name}", "", "DescribeKeyValueStore", k.describe},
		{"PUT", "/key-value-store/{name}", "", "UpdateKeyValueStore", k.update},
		{"DELETE", "/key-value-store/{name}", "", "DeleteKeyValueStore", k.delete},
		{"GET", "/key-value-store", "", "ListKeyValueStores", k.list},
	}
}

type keyValueStoreOps struct{ ops controlplane.KeyValueStores }

func (k keyValueStoreOps) create(ctx context.Context, r *request) (reply, error) {
	cfg, tags, err := v20200531.DecodeCreateKeyValueStoreRequest(r.body)
	if err != nil {
		return reply{}, err
	}
	s, err := k.ops.Create(ctx, r.account, cfg, tags)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20200531.EncodeKeyValueStore(s), etag: s.ETag,
		location: location(r, prefix2020, "/key-value-store/"+s.Config.Name)}, nil
}

func (k keyValueStoreOps) describe(ctx context.Context, r *request) (reply, error) {
	s, err := k.ops.Describe(ctx, r.account, r.PathValue("name"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeKeyValueStore(s), etag: s.ETag}, nil
}

func (k keyValueStoreOps) update(ctx context.Context, r *request) (reply, error) {
	comment, err := v20200531.DecodeUpdateKeyValueStoreRequest(r.body)
	if err != nil {
		return reply{}, err
	}
	s, err := k.ops.Update(ctx, r.account, r.PathValue("name"), ifMatch(r), comment)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeKeyValueStore(s), etag: s.ETag}, nil
}

func (k keyValueStoreOps) delete(ctx context.Context, r *request) (reply, error) {
	if err := k.ops.Delete(ctx, r.account, r.PathValue("name"), ifMatch(r)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func (k keyValueStoreOps) list(ctx context.Context, r *request) (reply, error) {
	lp, items, err := k.ops.List(ctx, r.account, r.URL.Query().Get("Status"), page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeKeyValueStoreList(lp, items)}, nil
}
