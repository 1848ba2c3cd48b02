package api

import (
	"context"
	"net/http"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/wire/v20200531"
)

// The lifecycle operations (create, get, get config, update, delete,
// list) are written once here, for every resource kind and API version:
// a kind's resource supplies its control-plane operations and its
// version's codec, and each version's route table names the handlers.

// lifecycle is a kind's operations in the control plane.
type lifecycle[R, C any] struct {
	create func(ctx context.Context, accountID string, cfg C, tags []cloudfront.Tag) (R, bool, error)
	get    func(ctx context.Context, accountID, id string) (R, error)
	update func(ctx context.Context, accountID, id, ifMatch string, cfg C) (R, error)
	remove func(ctx context.Context, accountID, id, ifMatch string) error
	list   func(ctx context.Context, accountID string, p controlplane.Page) (cloudfront.ListPage, []R, error)
	// listTyped, when set, is list for kinds whose List takes a Type
	// (managed or custom policies) from the query.
	listTyped func(ctx context.Context, accountID, typ string, p controlplane.Page) (cloudfront.ListPage, []R, error)
}

// lifecycleOf is the lifecycle of a kind the control plane's generic
// lifecycle runs; update replaces the config whole.
func lifecycleOf[R, C any](ops controlplane.Resources[R, C]) lifecycle[R, C] {
	return lifecycle[R, C]{create: ops.Create, get: ops.Get, update: ops.Replace, remove: ops.Delete, list: ops.List}
}

// codec is a kind in one API version's XML.
type codec[R, C any] struct {
	decode         func([]byte) (C, error)
	decodeWithTags func([]byte) (C, []cloudfront.Tag, error) // nil for kinds without Create…WithTags
	encode         func(R) []byte
	encodeConfig   func(C) []byte
	encodeList     func(cloudfront.ListPage, []R) []byte
}

// resource is one kind as one API version serves it.
type resource[R, C any] struct {
	prefix string // the version's, for Location: "/2020-05-31"
	path   string // the kind's collection under it: "/distribution"
	// name and plural make the operations' names: Create<name>,
	// List<plural>.
	name, plural string
	// fields reads what every reply needs of a record.
	fields func(*R) (id, etag string, cfg C)
	ops    lifecycle[R, C]
	codec  codec[R, C]
	// updateOnItem: Update is PUT on the record's own path, as for
	// policies, not on its /config.
	updateOnItem bool
}

// routes are the kind's rows of a route table, in the model's order:
// Create (and Create…WithTags where the codec has it), Get, Get…Config,
// Update, Delete, List.
func (k resource[R, C]) routes() []route {
	p, n := k.path, k.name
	rows := []route{{"POST", p, "", "Create" + n, k.create}}
	if k.codec.decodeWithTags != nil {
		rows = append(rows, route{"POST", p, "WithTags", "Create" + n + "WithTags", k.createWithTags})
	}
	updatePath := p + "/{id}/config"
	if k.updateOnItem {
		updatePath = p + "/{id}"
	}
	return append(rows,
		route{"GET", p + "/{id}", "", "Get" + n, k.get},
		route{"GET", p + "/{id}/config", "", "Get" + n + "Config", k.getConfig},
		route{"PUT", updatePath, "", "Update" + n, k.update},
		route{"DELETE", p + "/{id}", "", "Delete" + n, k.delete},
		route{"GET", p, "", "List" + k.plural, k.list},
	)
}

// Creates answer 201 also when a repeated CallerReference returns the
// existing resource: the response then carries the same information as
// the original one (spec §5.3), status included.
func (k resource[R, C]) create(ctx context.Context, r *request) (reply, error) {
	cfg, err := k.codec.decode(r.body)
	if err != nil {
		return reply{}, err
	}
	return k.created(ctx, r, cfg, nil)
}

func (k resource[R, C]) createWithTags(ctx context.Context, r *request) (reply, error) {
	cfg, tags, err := k.codec.decodeWithTags(r.body)
	if err != nil {
		return reply{}, err
	}
	return k.created(ctx, r, cfg, tags)
}

func (k resource[R, C]) created(ctx context.Context, r *request, cfg C, tags []cloudfront.Tag) (reply, error) {
	rec, _, err := k.ops.create(ctx, r.account, cfg, tags)
	if err != nil {
		return reply{}, err
	}
	id, etag, _ := k.fields(&rec)
	return reply{status: http.StatusCreated, body: k.codec.encode(rec), etag: etag,
		location: location(r, k.prefix, k.path+"/"+id)}, nil
}

func (k resource[R, C]) get(ctx context.Context, r *request) (reply, error) {
	rec, err := k.ops.get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	_, etag, _ := k.fields(&rec)
	return reply{status: http.StatusOK, body: k.codec.encode(rec), etag: etag}, nil
}

func (k resource[R, C]) getConfig(ctx context.Context, r *request) (reply, error) {
	rec, err := k.ops.get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	_, etag, cfg := k.fields(&rec)
	return reply{status: http.StatusOK, body: k.codec.encodeConfig(cfg), etag: etag}, nil
}

// update checks If-Match's presence before the body, as CloudFront does.
func (k resource[R, C]) update(ctx context.Context, r *request) (reply, error) {
	if ifMatch(r) == "" {
		return reply{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cfg, err := k.codec.decode(r.body)
	if err != nil {
		return reply{}, err
	}
	rec, err := k.ops.update(ctx, r.account, r.PathValue("id"), ifMatch(r), cfg)
	if err != nil {
		return reply{}, err
	}
	_, etag, _ := k.fields(&rec)
	return reply{status: http.StatusOK, body: k.codec.encode(rec), etag: etag}, nil
}

func (k resource[R, C]) delete(ctx context.Context, r *request) (reply, error) {
	if err := k.ops.remove(ctx, r.account, r.PathValue("id"), ifMatch(r)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func (k resource[R, C]) list(ctx context.Context, r *request) (reply, error) {
	list := k.ops.list
	if k.ops.listTyped != nil {
		typ := r.URL.Query().Get("Type")
		list = func(ctx context.Context, accountID string, p controlplane.Page) (cloudfront.ListPage, []R, error) {
			return k.ops.listTyped(ctx, accountID, typ, p)
		}
	}
	lp, items, err := list(ctx, r.account, page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: k.codec.encodeList(lp, items)}, nil
}

// The kinds, the same in every version but for the codec.

func (s *Server) distributions(prefix string, c codec[cloudfront.Distribution, cloudfront.DistributionConfig]) resource[cloudfront.Distribution, cloudfront.DistributionConfig] {
	return resource[cloudfront.Distribution, cloudfront.DistributionConfig]{
		prefix: prefix, path: "/distribution", name: "Distribution", plural: "Distributions",
		fields: func(d *cloudfront.Distribution) (string, string, cloudfront.DistributionConfig) {
			return d.ID, d.ETag, d.Config
		},
		ops: lifecycleOf(s.Service.Distributions()), codec: c,
	}
}

func (s *Server) streamingDistributions(prefix string, c codec[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]) resource[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig] {
	return resource[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]{
		prefix: prefix, path: "/streaming-distribution", name: "StreamingDistribution", plural: "StreamingDistributions",
		fields: func(d *cloudfront.StreamingDistribution) (string, string, cloudfront.StreamingDistributionConfig) {
			return d.ID, d.ETag, d.Config
		},
		ops: lifecycleOf(s.Service.StreamingDistributions()), codec: c,
	}
}

// oais: origin access identities have their own operations in the
// control plane (no tags, no feed revision).
func (s *Server) oais(prefix string, c codec[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig]) resource[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig] {
	return resource[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig]{
		prefix: prefix, path: "/origin-access-identity/cloudfront",
		name: "CloudFrontOriginAccessIdentity", plural: "CloudFrontOriginAccessIdentities",
		fields: func(o *cloudfront.OriginAccessIdentity) (string, string, cloudfront.OriginAccessIdentityConfig) {
			return o.ID, o.ETag, o.Config
		},
		ops: lifecycle[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig]{
			create: func(ctx context.Context, accountID string, cfg cloudfront.OriginAccessIdentityConfig, _ []cloudfront.Tag) (cloudfront.OriginAccessIdentity, bool, error) {
				return s.Service.CreateOAI(ctx, accountID, cfg)
			},
			get: s.Service.GetOAI, update: s.Service.UpdateOAI, remove: s.Service.DeleteOAI, list: s.Service.ListOAIs,
		},
		codec: c,
	}
}

// policies: a policy kind, the account's own and CloudFront's managed
// ones; Update is PUT on the policy itself, and List takes a Type.
func policies[R, C any](prefix, path, name, plural string, ops controlplane.Policies[R, C],
	fields func(*R) (string, string, C), c codec[R, C]) resource[R, C] {
	return resource[R, C]{
		prefix: prefix, path: path, name: name, plural: plural, fields: fields,
		ops:   lifecycle[R, C]{create: ops.Create, get: ops.Get, update: ops.Update, remove: ops.Delete, listTyped: ops.List},
		codec: c, updateOnItem: true,
	}
}

// ownPolicies: a kind the control plane serves as a policy kind with no
// managed records and no Type to list by (origin access controls, key
// groups); Update is on /config unless updateOnItem is set.
func ownPolicies[R, C any](path, name, plural string, ops controlplane.Policies[R, C],
	fields func(*R) (string, string, C), c codec[R, C]) resource[R, C] {
	return resource[R, C]{
		prefix: prefix2020, path: path, name: name, plural: plural, fields: fields,
		ops: lifecycle[R, C]{create: ops.Create, get: ops.Get, update: ops.Update, remove: ops.Delete,
			list: func(ctx context.Context, accountID string, p controlplane.Page) (cloudfront.ListPage, []R, error) {
				return ops.List(ctx, accountID, "", p)
			}},
		codec: c,
	}
}

// distributionsByPolicy is a ListDistributionsBy…Id operation.
func distributionsByPolicy[R, C any](ops controlplane.Policies[R, C]) opFunc {
	return func(ctx context.Context, r *request) (reply, error) {
		lp, ids, err := ops.DistributionIDs(ctx, r.account, r.PathValue("id"), page(r))
		if err != nil {
			return reply{}, err
		}
		return reply{status: http.StatusOK, body: v20200531.EncodeDistributionIDList(lp, ids)}, nil
	}
}

// invalidations are a distribution's invalidation batches as one API
// version serves them: created and read, never updated or deleted, and
// without ETags (spec §3).
type invalidations struct {
	prefix     string
	svc        *controlplane.Service
	decode     func([]byte) (cloudfront.InvalidationBatch, error)
	encode     func(cloudfront.Invalidation) []byte
	encodeList func(cloudfront.ListPage, []cloudfront.Invalidation) []byte
}

// routes are the invalidations' rows of a route table.
func (k invalidations) routes() []route {
	return []route{
		{"POST", "/distribution/{id}/invalidation", "", "CreateInvalidation", k.create},
		{"GET", "/distribution/{id}/invalidation/{inv}", "", "GetInvalidation", k.get},
		{"GET", "/distribution/{id}/invalidation", "", "ListInvalidations", k.list},
	}
}

func (k invalidations) create(ctx context.Context, r *request) (reply, error) {
	batch, err := k.decode(r.body)
	if err != nil {
		return reply{}, err
	}
	distID := r.PathValue("id")
	inv, _, err := k.svc.CreateInvalidation(ctx, r.account, distID, batch)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: k.encode(inv),
		location: location(r, k.prefix, "/distribution/"+distID+"/invalidation/"+inv.ID)}, nil
}

func (k invalidations) get(ctx context.Context, r *request) (reply, error) {
	inv, err := k.svc.GetInvalidation(ctx, r.account, r.PathValue("id"), r.PathValue("inv"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: k.encode(inv)}, nil
}

func (k invalidations) list(ctx context.Context, r *request) (reply, error) {
	lp, items, err := k.svc.ListInvalidations(ctx, r.account, r.PathValue("id"), page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: k.encodeList(lp, items)}, nil
}
