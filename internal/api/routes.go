package api

import (
	"context"
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
	s.mux.Handle("/", s.handle("InvalidURI", invalidURI))
}

// routes2012 is API 2012-07-01's table.
func (s *Server) routes2012() []route {
	dists := resource[cloudfront.Distribution, cloudfront.DistributionConfig]{
		prefix: prefix, path: "/distribution", fields: distributionFields,
		ops: lifecycleOf(s.Service.Distributions()),
		codec: codec[cloudfront.Distribution, cloudfront.DistributionConfig]{
			decode: v20120701.DecodeDistributionConfig, encode: v20120701.EncodeDistribution,
			encodeConfig: v20120701.EncodeDistributionConfig, encodeList: v20120701.EncodeDistributionList},
	}
	// An update keeps what 2012-07-01 cannot express.
	dists.ops.update = s.Service.UpdateDistribution
	streaming := resource[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]{
		prefix: prefix, path: "/streaming-distribution", fields: streamingFields,
		ops: lifecycleOf(s.Service.StreamingDistributions()),
		codec: codec[cloudfront.StreamingDistribution, cloudfront.StreamingDistributionConfig]{
			decode: v20120701.DecodeStreamingDistributionConfig, encode: v20120701.EncodeStreamingDistribution,
			encodeConfig: v20120701.EncodeStreamingDistributionConfig, encodeList: v20120701.EncodeStreamingDistributionList},
	}
	oais := resource[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig]{
		prefix: prefix, path: "/origin-access-identity/cloudfront", fields: oaiFields, ops: s.oaiLifecycle(),
		codec: codec[cloudfront.OriginAccessIdentity, cloudfront.OriginAccessIdentityConfig]{
			decode: v20120701.DecodeOriginAccessIdentityConfig, encode: v20120701.EncodeOriginAccessIdentity,
			encodeConfig: v20120701.EncodeOriginAccessIdentityConfig, encodeList: v20120701.EncodeOriginAccessIdentityList},
	}
	invs := invalidations{prefix: prefix, svc: s.Service, decode: v20120701.DecodeInvalidationBatch,
		encode: v20120701.EncodeInvalidation, encodeList: v20120701.EncodeInvalidationList}
	return []route{
		{"POST", "/distribution", "", "CreateDistribution", dists.create},
		{"GET", "/distribution/{id}", "", "GetDistribution", dists.get},
		{"GET", "/distribution/{id}/config", "", "GetDistributionConfig", dists.getConfig},
		{"PUT", "/distribution/{id}/config", "", "UpdateDistribution", dists.update},
		{"DELETE", "/distribution/{id}", "", "DeleteDistribution", dists.delete},
		{"GET", "/distribution", "", "ListDistributions", dists.list},
		// Streaming (RTMP) distributions: kept and reported, but no edge
		// serves RTMP.
		{"POST", "/streaming-distribution", "", "CreateStreamingDistribution", streaming.create},
		{"GET", "/streaming-distribution/{id}", "", "GetStreamingDistribution", streaming.get},
		{"GET", "/streaming-distribution/{id}/config", "", "GetStreamingDistributionConfig", streaming.getConfig},
		{"PUT", "/streaming-distribution/{id}/config", "", "UpdateStreamingDistribution", streaming.update},
		{"DELETE", "/streaming-distribution/{id}", "", "DeleteStreamingDistribution", streaming.delete},
		{"GET", "/streaming-distribution", "", "ListStreamingDistributions", streaming.list},

		{"POST", "/origin-access-identity/cloudfront", "", "CreateCloudFrontOriginAccessIdentity", oais.create},
		{"GET", "/origin-access-identity/cloudfront/{id}", "", "GetCloudFrontOriginAccessIdentity", oais.get},
		{"GET", "/origin-access-identity/cloudfront/{id}/config", "", "GetCloudFrontOriginAccessIdentityConfig", oais.getConfig},
		{"PUT", "/origin-access-identity/cloudfront/{id}/config", "", "UpdateCloudFrontOriginAccessIdentity", oais.update},
		{"DELETE", "/origin-access-identity/cloudfront/{id}", "", "DeleteCloudFrontOriginAccessIdentity", oais.delete},
		{"GET", "/origin-access-identity/cloudfront", "", "ListCloudFrontOriginAccessIdentities", oais.list},

		{"POST", "/distribution/{id}/invalidation", "", "CreateInvalidation", invs.create},
		{"GET", "/distribution/{id}/invalidation/{inv}", "", "GetInvalidation", invs.get},
		{"GET", "/distribution/{id}/invalidation", "", "ListInvalidations", invs.list},
	}
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
