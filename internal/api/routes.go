package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/wire/v20120701"
)

const prefix = "/2012-07-01"

// routes registers every operation of API 2012-07-01 (spec §3), in the
// spec's order. Paths that match no operation, and wrong methods, get
// CloudFront XML errors rather than ServeMux's plain text.
func (s *Server) routes() {
	m := s.mux
	// Download distributions.
	m.Handle("POST "+prefix+"/distribution", s.handle("CreateDistribution", s.createDistribution))
	m.Handle("GET "+prefix+"/distribution/{id}", s.handle("GetDistribution", s.getDistribution))
	m.Handle("GET "+prefix+"/distribution/{id}/config", s.handle("GetDistributionConfig", s.getDistributionConfig))
	m.Handle("PUT "+prefix+"/distribution/{id}/config", s.handle("UpdateDistribution", s.updateDistribution))
	m.Handle("DELETE "+prefix+"/distribution/{id}", s.handle("DeleteDistribution", s.deleteDistribution))
	m.Handle("GET "+prefix+"/distribution", s.handle("ListDistributions", s.listDistributions))
	// Streaming (RTMP) distributions: kept and reported, but no edge
	// serves RTMP.
	m.Handle("POST "+prefix+"/streaming-distribution", s.handle("CreateStreamingDistribution", s.createStreaming))
	m.Handle("GET "+prefix+"/streaming-distribution/{id}", s.handle("GetStreamingDistribution", s.getStreaming))
	m.Handle("GET "+prefix+"/streaming-distribution/{id}/config", s.handle("GetStreamingDistributionConfig", s.getStreamingConfig))
	m.Handle("PUT "+prefix+"/streaming-distribution/{id}/config", s.handle("UpdateStreamingDistribution", s.updateStreaming))
	m.Handle("DELETE "+prefix+"/streaming-distribution/{id}", s.handle("DeleteStreamingDistribution", s.deleteStreaming))
	m.Handle("GET "+prefix+"/streaming-distribution", s.handle("ListStreamingDistributions", s.listStreaming))
	// Origin access identities.
	m.Handle("POST "+prefix+"/origin-access-identity/cloudfront", s.handle("CreateCloudFrontOriginAccessIdentity", s.createOAI))
	m.Handle("GET "+prefix+"/origin-access-identity/cloudfront/{id}", s.handle("GetCloudFrontOriginAccessIdentity", s.getOAI))
	m.Handle("GET "+prefix+"/origin-access-identity/cloudfront/{id}/config", s.handle("GetCloudFrontOriginAccessIdentityConfig", s.getOAIConfig))
	m.Handle("PUT "+prefix+"/origin-access-identity/cloudfront/{id}/config", s.handle("UpdateCloudFrontOriginAccessIdentity", s.updateOAI))
	m.Handle("DELETE "+prefix+"/origin-access-identity/cloudfront/{id}", s.handle("DeleteCloudFrontOriginAccessIdentity", s.deleteOAI))
	m.Handle("GET "+prefix+"/origin-access-identity/cloudfront", s.handle("ListCloudFrontOriginAccessIdentities", s.listOAIs))
	// Invalidations.
	m.Handle("POST "+prefix+"/distribution/{id}/invalidation", s.handle("CreateInvalidation", s.createInvalidation))
	m.Handle("GET "+prefix+"/distribution/{id}/invalidation/{inv}", s.handle("GetInvalidation", s.getInvalidation))
	m.Handle("GET "+prefix+"/distribution/{id}/invalidation", s.handle("ListInvalidations", s.listInvalidations))

	// Method-less fallbacks: a known path with another method.
	for _, p := range []string{
		"/distribution", "/distribution/{id}", "/distribution/{id}/config",
		"/streaming-distribution", "/streaming-distribution/{id}", "/streaming-distribution/{id}/config",
		"/origin-access-identity/cloudfront", "/origin-access-identity/cloudfront/{id}",
		"/origin-access-identity/cloudfront/{id}/config",
		"/distribution/{id}/invalidation", "/distribution/{id}/invalidation/{inv}",
	} {
		m.Handle(prefix+p, s.handle("MethodNotAllowed", methodNotAllowed))
	}
	s.register2020()
	m.Handle("/", s.handle("InvalidURI", invalidURI))
}

func methodNotAllowed(context.Context, *request) (reply, error) {
	return reply{}, cloudfront.NewError(cloudfront.MethodNotAllowed)
}

func invalidURI(context.Context, *request) (reply, error) {
	return reply{}, cloudfront.NewError(cloudfront.InvalidURI)
}

func itoa(n int) string { return strconv.Itoa(n) }

// location is the absolute URL of a new resource, on the host the client
// used (CloudFront's is https://cloudfront.amazonaws.com/...).
func location(r *request, path string) string {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host + prefix + path
}

func page(r *request) controlplane.Page {
	q := r.URL.Query()
	return controlplane.Page{Marker: q.Get("Marker"), MaxItems: q.Get("MaxItems")}
}

// ifMatch reads If-Match; ETags are sent unquoted, but quotes are forgiven.
// A value that cannot be an ETag (ours are letters and digits) reads as
// missing, so it gets InvalidIfMatchVersion rather than PreconditionFailed:
// the first is CloudFront's answer to "missing or not valid".
func ifMatch(r *request) string {
	v := r.Header.Get("If-Match")
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	if len(v) > 64 {
		return ""
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return ""
		}
	}
	return v
}

// Creates answer 201 also when a repeated CallerReference returns the
// existing resource: the response then carries the same information as the
// original one (spec §5.3), status included.
func (s *Server) createDistribution(ctx context.Context, r *request) (reply, error) {
	cfg, err := v20120701.DecodeDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	d, _, err := s.Service.Distributions().Create(ctx, r.account, cfg, nil)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20120701.EncodeDistribution(d), etag: d.ETag,
		location: location(r, "/distribution/"+d.ID)}, nil
}

func (s *Server) getDistribution(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.Distributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeDistribution(d), etag: d.ETag}, nil
}

func (s *Server) getDistributionConfig(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.Distributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeDistributionConfig(d.Config), etag: d.ETag}, nil
}

func (s *Server) updateDistribution(ctx context.Context, r *request) (reply, error) {
	if ifMatch(r) == "" {
		return reply{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cfg, err := v20120701.DecodeDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	d, err := s.Service.UpdateDistribution(ctx, r.account, r.PathValue("id"), ifMatch(r), cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeDistribution(d), etag: d.ETag}, nil
}

func (s *Server) deleteDistribution(ctx context.Context, r *request) (reply, error) {
	if err := s.Service.Distributions().Delete(ctx, r.account, r.PathValue("id"), ifMatch(r)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func (s *Server) listDistributions(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.Distributions().List(ctx, r.account, page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeDistributionList(lp, items)}, nil
}

func (s *Server) createStreaming(ctx context.Context, r *request) (reply, error) {
	cfg, err := v20120701.DecodeStreamingDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	d, _, err := s.Service.StreamingDistributions().Create(ctx, r.account, cfg, nil)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20120701.EncodeStreamingDistribution(d), etag: d.ETag,
		location: location(r, "/streaming-distribution/"+d.ID)}, nil
}

func (s *Server) getStreaming(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.StreamingDistributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeStreamingDistribution(d), etag: d.ETag}, nil
}

func (s *Server) getStreamingConfig(ctx context.Context, r *request) (reply, error) {
	d, err := s.Service.StreamingDistributions().Get(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeStreamingDistributionConfig(d.Config), etag: d.ETag}, nil
}

func (s *Server) updateStreaming(ctx context.Context, r *request) (reply, error) {
	if ifMatch(r) == "" {
		return reply{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cfg, err := v20120701.DecodeStreamingDistributionConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	d, err := s.Service.StreamingDistributions().Replace(ctx, r.account, r.PathValue("id"), ifMatch(r), cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeStreamingDistribution(d), etag: d.ETag}, nil
}

func (s *Server) deleteStreaming(ctx context.Context, r *request) (reply, error) {
	if err := s.Service.StreamingDistributions().Delete(ctx, r.account, r.PathValue("id"), ifMatch(r)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func (s *Server) listStreaming(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.StreamingDistributions().List(ctx, r.account, page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeStreamingDistributionList(lp, items)}, nil
}

func (s *Server) createOAI(ctx context.Context, r *request) (reply, error) {
	cfg, err := v20120701.DecodeOriginAccessIdentityConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	o, _, err := s.Service.CreateOAI(ctx, r.account, cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20120701.EncodeOriginAccessIdentity(o), etag: o.ETag,
		location: location(r, "/origin-access-identity/cloudfront/"+o.ID)}, nil
}

func (s *Server) getOAI(ctx context.Context, r *request) (reply, error) {
	o, err := s.Service.GetOAI(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeOriginAccessIdentity(o), etag: o.ETag}, nil
}

func (s *Server) getOAIConfig(ctx context.Context, r *request) (reply, error) {
	o, err := s.Service.GetOAI(ctx, r.account, r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeOriginAccessIdentityConfig(o.Config), etag: o.ETag}, nil
}

func (s *Server) updateOAI(ctx context.Context, r *request) (reply, error) {
	if ifMatch(r) == "" {
		return reply{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	cfg, err := v20120701.DecodeOriginAccessIdentityConfig(r.body)
	if err != nil {
		return reply{}, err
	}
	o, err := s.Service.UpdateOAI(ctx, r.account, r.PathValue("id"), ifMatch(r), cfg)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeOriginAccessIdentity(o), etag: o.ETag}, nil
}

func (s *Server) deleteOAI(ctx context.Context, r *request) (reply, error) {
	if err := s.Service.DeleteOAI(ctx, r.account, r.PathValue("id"), ifMatch(r)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func (s *Server) listOAIs(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.ListOAIs(ctx, r.account, page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeOriginAccessIdentityList(lp, items)}, nil
}

func (s *Server) createInvalidation(ctx context.Context, r *request) (reply, error) {
	batch, err := v20120701.DecodeInvalidationBatch(r.body)
	if err != nil {
		return reply{}, err
	}
	distID := r.PathValue("id")
	inv, _, err := s.Service.CreateInvalidation(ctx, r.account, distID, batch)
	if err != nil {
		return reply{}, err
	}
	// No ETag on invalidations (spec §3).
	return reply{status: http.StatusCreated, body: v20120701.EncodeInvalidation(inv),
		location: location(r, "/distribution/"+distID+"/invalidation/"+inv.ID)}, nil
}

func (s *Server) getInvalidation(ctx context.Context, r *request) (reply, error) {
	inv, err := s.Service.GetInvalidation(ctx, r.account, r.PathValue("id"), r.PathValue("inv"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeInvalidation(inv)}, nil
}

func (s *Server) listInvalidations(ctx context.Context, r *request) (reply, error) {
	lp, items, err := s.Service.ListInvalidations(ctx, r.account, r.PathValue("id"), page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20120701.EncodeInvalidationList(lp, items)}, nil
}
