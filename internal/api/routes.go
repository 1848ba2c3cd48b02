package api

import (
	"context"
	"slices"
	"strconv"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/wire/v20120701"
)

const prefix = "/2012-07-01"

// routes registers every operation of API 2012-07-01 (spec §3), in the
// spec's order, then API 2020-05-31's. Paths that match no operation, and
// wrong methods, get CloudFront XML errors rather than ServeMux's plain
// text.
func (s *Server) routes() {
	s.register(prefix, s.routes2012())
	s.register(prefix2020, append(s.routes2020(), unsupportedRoutes2020()...))
	s.keysRoutes()
	s.mux.Handle("/", s.handle("InvalidURI", invalidURI))
}

// routes2012 is API 2012-07-01's table.
func (s *Server) routes2012() []route {
	dists := s.distributions(prefix, codec[cloudfront.Distribution, cloudfront.DistributionConfig]{
		decode: v20120701.DecodeDistributionConfig, encode: v20120701.EncodeDistribution,
		encodeConfig: v20120701.EncodeDistributionConfig, encodeList: v20120701.EncodeDistributionList})
	// An update keeps what 2012-07-01 cannot express.
	dists.ops.update = s.Service.UpdateDistribution
	// Streaming (RTMP) distributions: kept and reported, but no edge
	// serves RTMP.
	streaming := s.streamingDistributions(prefix, codec[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]{
		decode: v20120701.DecodeStreamingDistributionConfig, encode: v20120701.EncodeStreamingDistribution,
		encodeConfig: v20120701.EncodeStreamingDistributionConfig, encodeList: v20120701.EncodeStreamingDistributionList})
	oais := s.oais(prefix, codec[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig]{
		decode: v20120701.DecodeOriginAccessIdentityConfig, encode: v20120701.EncodeOriginAccessIdentity,
		encodeConfig: v20120701.EncodeOriginAccessIdentityConfig, encodeList: v20120701.EncodeOriginAccessIdentityList})
	invs := invalidations{prefix: prefix, svc: s.Service, decode: v20120701.DecodeInvalidationBatch,
		encode: v20120701.EncodeInvalidation, encodeList: v20120701.EncodeInvalidationList}
	return slices.Concat(dists.routes(), streaming.routes(), oais.routes(), invs.routes())
}

func methodNotAllowed(context.Context, *request) (reply, error) {
	return reply{}, cloudfront.NewError(cloudfront.MethodNotAllowed)
}

func invalidURI(context.Context, *request) (reply, error) {
	return reply{}, cloudfront.NewError(cloudfront.InvalidURI)
}

func itoa(n int) string { return strconv.Itoa(n) }

// location is the absolute URL of a new resource, under the version's
// prefix on the host the client used (CloudFront's is
// https://cloudfront.amazonaws.com/...).
func location(r *request, prefix, path string) string {
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
