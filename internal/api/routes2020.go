package api

import (
	"context"
	"net/http"
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
	return []route{
		{"POST", "/distribution", "", "CreateDistribution", s.createDistribution2020},
		{"POST", "/distribution", "WithTags", "CreateDistributionWithTags", s.createDistributionWithTags2020},
		{"GET", "/distribution/{id}", "", "GetDistribution", s.getDistribution2020},
		{"GET", "/distribution/{id}/config", "", "GetDistributionConfig", s.getDistributionConfig2020},
		{"PUT", "/distribution/{id}/config", "", "UpdateDistribution", s.updateDistribution2020},
		{"DELETE", "/distribution/{id}", "", "DeleteDistribution", s.deleteDistribution},
		{"GET", "/distribution", "", "ListDistributions", s.listDistributions2020},

		{"POST", "/streaming-distribution", "", "CreateStreamingDistribution", s.createStreaming2020},
		{"POST", "/streaming-distribution", "WithTags", "CreateStreamingDistributionWithTags", s.createStreamingWithTags2020},
		{"GET", "/streaming-distribution/{id}", "", "GetStreamingDistribution", s.getStreaming2020},
		{"GET", "/streaming-distribution/{id}/config", "", "GetStreamingDistributionConfig", s.getStreamingConfig2020},
		{"PUT", "/streaming-distribution/{id}/config", "", "UpdateStreamingDistribution", s.updateStreaming2020},
		{"DELETE", "/streaming-distribution/{id}", "", "DeleteStreamingDistribution", s.deleteStreaming},
		{"GET", "/streaming-distribution", "", "ListStreamingDistributions", s.listStreaming2020},

		{"POST", "/distribution/{id}/invalidation", "", "CreateInvalidation", s.createInvalidation2020},
		{"GET", "/distribution/{id}/invalidation/{inv}", "", "GetInvalidation", s.getInvalidation2020},
		{"GET", "/distribution/{id}/invalidation", "", "ListInvalidations", s.listInvalidations2020},

		{"POST", "/origin-access-identity/cloudfront", "", "CreateCloudFrontOriginAccessIdentity", s.createOAI2020},
		{"GET", "/origin-access-identity/cloudfront/{id}", "", "GetCloudFrontOriginAccessIdentity", s.getOAI2020},
		{"GET", "/origin-access-identity/cloudfront/{id}/config", "", "GetCloudFrontOriginAccessIdentityConfig", s.getOAIConfig2020},
		{"PUT", "/origin-access-identity/cloudfront/{id}/config", "", "UpdateCloudFrontOriginAccessIdentity", s.updateOAI2020},
		{"DELETE", "/origin-access-identity/cloudfront/{id}", "", "DeleteCloudFrontOriginAccessIdentity", s.deleteOAI},
		{"GET", "/origin-access-identity/cloudfront", "", "ListCloudFrontOriginAccessIdentities", s.listOAIs2020},

		{"GET", "/tagging", "", "ListTagsForResource", s.listTags},
		{"POST", "/tagging", "Operation=Tag", "TagResource", s.tagResource},
		{"POST", "/tagging", "Operation=Untag", "UntagResource", s.untagResource},
	}
}

// register2020 adds API 2020-05-31 to the mux: the route table, then a row
// for every other operation of the model answering UnsupportedOperation,
// then a catch-all under the prefix that answers InvalidURI in this
// version's namespace.
func (s *Server) register2020() {
	table := s.routes2020()
	for _, u := range unsupported2020 {
		table = append(table, route{u.method, u.path, u.query, u.name, unsupported(u.name)})
	}
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
		s.mux.Handle(k.method+" "+prefix2020+rows[0].path, s.byQuery(rows))
		if !shapes[k.shape] {
			shapes[k.shape] = true
			s.mux.Handle(prefix2020+rows[0].path, s.handle("MethodNotAllowed", methodNotAllowed))
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

// location2020 is the absolute URL of a new resource under /2020-05-31.
func location2020(r *request, path string) string {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host + prefix2020 + path
}

func (s *Server) createDistribution2020(ctx context.Context, r *request) (reply, error) {
	cfg, err := v20200531.DecodeDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	return s.createDistributionReply(ctx, r, cfg, nil)
}

func (s *Server) createDistributionWithTags2020(ctx context.Context, r *request) (reply, error) {
	cfg, tags, err := v20200531.DecodeDistributionConfigWithTags(r.body)
	if err != nil {
		return reply{}, err
	}
	return s.createDistributionReply(ctx, r, cfg, tags)
}

func (s *Server) createDistributionReply(ctx context.Context, r *request, cfg cloudfront.DistributionConfig, tags []cloudfront.Tag) (reply, error) {
	d, _, err := s.Service.Distributions().Create(ctx, r.account, cfg, tags)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20200531.EncodeDistribution(d), etag: d.ETag,
		location: location2020(r, "/distribution/"+d.ID)}, nil
}

func (s *Server) getDistribution2020(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.Distributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeDistribution(d), etag: d.ETag}, nil
}

func (s *Server) getDistributionConfig2020(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.Distributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeDistributionConfig(d.Config), etag: d.ETag}, nil
}

func (s *Server) updateDistribution2020(ctx context.Context, r *request) (reply, error) {
	if ifMatch(r) == "" {
		return reply{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cfg, err := v20200531.DecodeDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	d, err := s.Service.Distributions().Replace(ctx, r.account, r.PathValue("id"), ifMatch(r), cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeDistribution(d), etag: d.ETag}, nil
}

func (s *Server) listDistributions2020(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.Distributions().List(ctx, r.account, page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeDistributionList(lp, items)}, nil
}

func (s *Server) createInvalidation2020(ctx context.Context, r *request) (reply, error) {
	batch, err := v20200531.DecodeInvalidationBatch(r.body)
	if err != nil {
		return reply{}, err
	}
	distID := r.PathValue("id")
	inv, _, err := s.Service.CreateInvalidation(ctx, r.account, distID, batch)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20200531.EncodeInvalidation(inv),
		location: location2020(r, "/distribution/"+distID+"/invalidation/"+inv.ID)}, nil
}

func (s *Server) getInvalidation2020(ctx context.Context, r *request) (reply, error) {
	inv, err := s.Service.GetInvalidation(ctx, r.account, r.PathValue("id"), r.PathValue("inv"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeInvalidation(inv)}, nil
}

func (s *Server) listInvalidations2020(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.ListInvalidations(ctx, r.account, r.PathValue("id"), page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeInvalidationList(lp, items)}, nil
}

func (s *Server) createOAI2020(ctx context.Context, r *request) (reply, error) {
	cfg, err := v20200531.DecodeOriginAccessIdentityConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	o, _, err := s.Service.CreateOAI(ctx, r.account, cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20200531.EncodeOriginAccessIdentity(o), etag: o.ETag,
		location: location2020(r, "/origin-access-identity/cloudfront/"+o.ID)}, nil
}

func (s *Server) getOAI2020(ctx context.Context, r *request) (reply, error) {
	o, err := s.Service.GetOAI(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeOriginAccessIdentity(o), etag: o.ETag}, nil
}

func (s *Server) getOAIConfig2020(ctx context.Context, r *request) (reply, error) {
	o, err := s.Service.GetOAI(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeOriginAccessIdentityConfig(o.Config), etag: o.ETag}, nil
}

func (s *Server) updateOAI2020(ctx context.Context, r *request) (reply, error) {
	if ifMatch(r) == "" {
		return reply{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cfg, err := v20200531.DecodeOriginAccessIdentityConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	o, err := s.Service.UpdateOAI(ctx, r.account, r.PathValue("id"), ifMatch(r), cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeOriginAccessIdentity(o), etag: o.ETag}, nil
}

func (s *Server) listOAIs2020(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.ListOAIs(ctx, r.account, page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeOriginAccessIdentityList(lp, items)}, nil
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

func (s *Server) createStreaming2020(ctx context.Context, r *request) (reply, error) {
	cfg, err := v20200531.DecodeStreamingDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	return s.createStreamingReply(ctx, r, cfg, nil)
}

func (s *Server) createStreamingWithTags2020(ctx context.Context, r *request) (reply, error) {
	cfg, tags, err := v20200531.DecodeStreamingDistributionConfigWithTags(r.body)
	if err != nil {
		return reply{}, err
	}
	return s.createStreamingReply(ctx, r, cfg, tags)
}

func (s *Server) createStreamingReply(ctx context.Context, r *request, cfg cloudfront.StreamingDistributionConfig, tags []cloudfront.Tag) (reply, error) {
	d, _, err := s.Service.StreamingDistributions().Create(ctx, r.account, cfg, tags)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20200531.EncodeStreamingDistribution(d), etag: d.ETag,
		location: location2020(r, "/streaming-distribution/"+d.ID)}, nil
}

func (s *Server) getStreaming2020(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.StreamingDistributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeStreamingDistribution(d), etag: d.ETag}, nil
}

func (s *Server) getStreamingConfig2020(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.StreamingDistributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeStreamingDistributionConfig(d.Config), etag: d.ETag}, nil
}

func (s *Server) updateStreaming2020(ctx context.Context, r *request) (reply, error) {
	if ifMatch(r) == "" {
		return reply{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cfg, err := v20200531.DecodeStreamingDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	d, err := s.Service.StreamingDistributions().Replace(ctx, r.account, r.PathValue("id"), ifMatch(r), cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeStreamingDistribution(d), etag: d.ETag}, nil
}

func (s *Server) listStreaming2020(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.StreamingDistributions().List(ctx, r.account, page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeStreamingDistributionList(lp, items)}, nil
}
