package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/v20200531"
)

const prefix2020 = "/2020-05-31"

// route is one operation of a version's route table. Operations that
// share a method and path are told apart by a query parameter the
// model's URI names (POST /distribution?WithTags, POST
// /tagging?Operation=Tag): query is "WithTags" or "Operation=Tag", "" for
// none.
type route struct {
	method, path, query, name string
	op                        opFunc
}

// unsupportedOp is a row of the generated table unsupported2020.go.
type unsupportedOp struct{ method, path, query, name string }

// routes2020 is API 2020-05-31's table, in the model's families. A new
// resource kind adds its rows here (and leaves the generated table).
func (s *Server) routes2020() []route {
	dists := s.distributions(prefix2020, codec[cloudfront.Distribution, cloudfront.DistributionConfig]{
		decode: v20200531.DecodeDistributionConfig, decodeWithTags: v20200531.DecodeDistributionConfigWithTags,
		encode: v20200531.EncodeDistribution, encodeConfig: v20200531.EncodeDistributionConfig,
		encodeList: v20200531.EncodeDistributionList})
	streaming := s.streamingDistributions(prefix2020, codec[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]{
		decode: v20200531.DecodeStreamingDistributionConfig, decodeWithTags: v20200531.DecodeStreamingDistributionConfigWithTags,
		encode: v20200531.EncodeStreamingDistribution, encodeConfig: v20200531.EncodeStreamingDistributionConfig,
		encodeList: v20200531.EncodeStreamingDistributionList})
	invs := invalidations{prefix: prefix2020, svc: s.Service, decode: v20200531.DecodeInvalidationBatch,
		encode: v20200531.EncodeInvalidation, encodeList: v20200531.EncodeInvalidationList}
	oais := s.oais(prefix2020, codec[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig]{
		decode: v20200531.DecodeOriginAccessIdentityConfig, encode: v20200531.EncodeOriginAccessIdentity,
		encodeConfig: v20200531.EncodeOriginAccessIdentityConfig, encodeList: v20200531.EncodeOriginAccessIdentityList})
	cachePolicies := policies(prefix2020, "/cache-policy", "CachePolicy", "CachePolicies", s.Service.CachePolicies(),
		func(p *cloudfront.CachePolicy) (string, string, cloudfront.CachePolicyConfig) {
			return p.ID, p.ETag, p.Config
		},
		codec[cloudfront.CachePolicy, cloudfront.CachePolicyConfig]{
			decode: v20200531.DecodeCachePolicyConfig, encode: v20200531.EncodeCachePolicy,
			encodeConfig: v20200531.EncodeCachePolicyConfig, encodeList: v20200531.EncodeCachePolicyList})
	originRequestPolicies := policies(prefix2020, "/origin-request-policy", "OriginRequestPolicy", "OriginRequestPolicies",
		s.Service.OriginRequestPolicies(),
		func(p *cloudfront.OriginRequestPolicy) (string, string, cloudfront.OriginRequestPolicyConfig) {
			return p.ID, p.ETag, p.Config
		},
		codec[cloudfront.OriginRequestPolicy, cloudfront.OriginRequestPolicyConfig]{
			decode: v20200531.DecodeOriginRequestPolicyConfig, encode: v20200531.EncodeOriginRequestPolicy,
			encodeConfig: v20200531.EncodeOriginRequestPolicyConfig, encodeList: v20200531.EncodeOriginRequestPolicyList})
	responseHeadersPolicies := policies(prefix2020, "/response-headers-policy", "ResponseHeadersPolicy", "ResponseHeadersPolicies",
		s.Service.ResponseHeadersPolicies(),
		func(p *cloudfront.ResponseHeadersPolicy) (string, string, cloudfront.ResponseHeadersPolicyConfig) {
			return p.ID, p.ETag, p.Config
		},
		codec[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicyConfig]{
			decode: v20200531.DecodeResponseHeadersPolicyConfig, encode: v20200531.EncodeResponseHeadersPolicy,
			encodeConfig: v20200531.EncodeResponseHeadersPolicyConfig, encodeList: v20200531.EncodeResponseHeadersPolicyList})
	oacs := ownPolicies("/origin-access-control", "OriginAccessControl", "OriginAccessControls",
		s.Service.OriginAccessControls(),
		func(o *cloudfront.OriginAccessControl) (string, string, cloudfront.OriginAccessControlConfig) {
			return o.ID, o.ETag, o.Config
		},
		codec[cloudfront.OriginAccessControl, cloudfront.OriginAccessControlConfig]{
			decode: v20200531.DecodeOriginAccessControlConfig, encode: v20200531.EncodeOriginAccessControl,
			encodeConfig: v20200531.EncodeOriginAccessControlConfig, encodeList: v20200531.EncodeOriginAccessControlList})
	keyGroups := ownPolicies("/key-group", "KeyGroup", "KeyGroups", s.Service.KeyGroups(),
		func(g *cloudfront.KeyGroup) (string, string, cloudfront.KeyGroupConfig) {
			return g.ID, g.ETag, g.Config
		},
		codec[cloudfront.KeyGroup, cloudfront.KeyGroupConfig]{
			decode: v20200531.DecodeKeyGroupConfig, encode: v20200531.EncodeKeyGroup,
			encodeConfig: v20200531.EncodeKeyGroupConfig, encodeList: v20200531.EncodeKeyGroupList})
	keyGroups.updateOnItem = true
	pkOps := s.Service.PublicKeys()
	publicKeys := resource[cloudfront.PublicKey, cloudfront.PublicKeyConfig]{
		prefix: prefix2020, path: "/public-key", name: "PublicKey", plural: "PublicKeys",
		fields: func(k *cloudfront.PublicKey) (string, string, cloudfront.PublicKeyConfig) {
			return k.ID, k.ETag, k.Config
		},
		ops: lifecycle[cloudfront.PublicKey, cloudfront.PublicKeyConfig]{
			create: pkOps.Create, get: pkOps.Get, update: pkOps.Update, remove: pkOps.Delete, list: pkOps.List,
		},
		codec: codec[cloudfront.PublicKey, cloudfront.PublicKeyConfig]{
			decode: v20200531.DecodePublicKeyConfig, encode: v20200531.EncodePublicKey,
			encodeConfig: v20200531.EncodePublicKeyConfig, encodeList: v20200531.EncodePublicKeyList},
	}
	lookups := []route{
		{"GET", "/distributionsByCachePolicyId/{id}", "", "ListDistributionsByCachePolicyId",
			distributionsByPolicy(s.Service.CachePolicies())},
		{"GET", "/distributionsByOriginRequestPolicyId/{id}", "", "ListDistributionsByOriginRequestPolicyId",
			distributionsByPolicy(s.Service.OriginRequestPolicies())},
		{"GET", "/distributionsByResponseHeadersPolicyId/{id}", "", "ListDistributionsByResponseHeadersPolicyId",
			distributionsByPolicy(s.Service.ResponseHeadersPolicies())},
		{"GET", "/distributionsByKeyGroupId/{id}", "", "ListDistributionsByKeyGroup",
			distributionsByPolicy(s.Service.KeyGroups())},
	}
	tagging := []route{
		{"GET", "/tagging", "", "ListTagsForResource", s.listTags},
		{"POST", "/tagging", "Operation=Tag", "TagResource", s.tagResource},
		{"POST", "/tagging", "Operation=Untag", "UntagResource", s.untagResource},
	}
	return slices.Concat(dists.routes(), streaming.routes(), invs.routes(), oais.routes(), cachePolicies.routes(), originRequestPolicies.routes(), responseHeadersPolicies.routes(), oacs.routes(),
		publicKeys.routes(), keyGroups.routes(), functionRoutes(s.Service.Functions()), keyValueStoreRoutes(s.Service.KeyValueStores()), lookups, tagging)
}

// unsupportedRoutes2020 are the rows of every other operation of the
// model, answering UnsupportedOperation.
func unsupportedRoutes2020() []route {
	var rows []route
	for _, u := range unsupported2020 {
		rows = append(rows, route{u.method, u.path, u.query, u.name, unsupported(u.name)})
	}
	return rows
}

// register adds a version's route table to the mux, under its prefix.
// Rows that share a method and a path shape are told apart by their query
// parameter; each path also answers other methods with MethodNotAllowed.
func (s *Server) register(prefix string, table []route) {
	type key struct{ method, shape string }
	groups := map[key][]route{}
	var order []key
	for _, rt := range table {
		// The model names path wildcards after the resource ({Id},
		// {Identifier}); ServeMux needs one pattern per shape, named as
		// the group's first row (the implemented one) names it.
		k := key{rt.method, pathShape(rt.path)}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], rt)
	}
	shapes := map[string]bool{}
	for _, k := range order {
		rows := groups[k]
		s.mux.Handle(k.method+" "+prefix+rows[0].path, s.byQuery(rows))
		if !shapes[k.shape] {
			shapes[k.shape] = true
			s.mux.Handle(prefix+rows[0].path, s.handle("MethodNotAllowed", methodNotAllowed))
		}
	}
}

// pathShape replaces each wildcard's name with nothing: "/a/{Id}" and
// "/a/{Name}" have the same shape.
func pathShape(p string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			return b.String() + p
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return b.String() + p
		}
		b.WriteString(p[:i])
		if strings.HasSuffix(p[i:i+j], "...") {
			b.WriteString("{...}")
		} else {
			b.WriteString("{}")
		}
		p = p[i+j+1:]
	}
}

// byQuery dispatches among the rows that share a method and path: the row
// whose query parameter the request carries, else the row without one.
// botocore sends ?WithTags, the Go and JS SDKs ?WithTags=; both match.
func (s *Server) byQuery(rows []route) http.Handler {
	handlers := make([]http.Handler, len(rows))
	for i, rt := range rows {
		handlers[i] = s.handle(rt.name, rt.op)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		plain := -1
		for i, rt := range rows {
			if rt.query == "" {
				plain = i
				continue
			}
			name, value, hasValue := strings.Cut(rt.query, "=")
			if q.Has(name) && (!hasValue || q.Get(name) == value) {
				handlers[i].ServeHTTP(w, r)
				return
			}
		}
		if plain >= 0 {
			handlers[plain].ServeHTTP(w, r)
			return
		}
		s.handle("InvalidURI", invalidURI).ServeHTTP(w, r)
	})
}

// unsupported answers an operation of the model that openfront does not
// implement, after authentication like any other.
func unsupported(name string) opFunc {
	return func(context.Context, *request) (reply, error) {
		return reply{}, cloudfront.Errorf(cloudfront.UnsupportedOperation,
			"openfront does not support the operation %s of API version 2020-05-31.", name)
	}
}

func (s *Server) listTags(ctx context.Context, r *request) (reply, error) {
	tags, err := s.Service.ListTags(ctx, r.account, r.URL.Query().Get("Resource"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeTags(tags)}, nil
}

func (s *Server) tagResource(ctx context.Context, r *request) (reply, error) {
	tags, err := v20200531.DecodeTags(r.body)
	if err != nil {
		return reply{}, err
	}
	if err := s.Service.TagResource(ctx, r.account, r.URL.Query().Get("Resource"), tags); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func (s *Server) untagResource(ctx context.Context, r *request) (reply, error) {
	keys, err := v20200531.DecodeTagKeys(r.body)
	if err != nil {
		return reply{}, err
	}
	if err := s.Service.UntagResource(ctx, r.account, r.URL.Query().Get("Resource"), keys); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}
