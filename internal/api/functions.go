package api

import (
	"context"
	"net/http"

	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/wire/v20200531"
)

// functionRoutes are CloudFront Functions' eight operations. They do not
// fit the lifecycle's shape (resources.go): a function is addressed by
// name, has two stages, and GetFunction answers with the code itself.
func functionRoutes(ops controlplane.Functions) []route {
	f := functionOps{ops}
	return []route{
		{"POST", "/function", "", "CreateFunction", f.create},
		{"GET", "/function/{name}/describe", "", "DescribeFunction", f.describe},
		{"GET", "/function/{name}", "", "GetFunction", f.get},
		{"PUT", "/function/{name}", "", "UpdateFunction", f.update},
		{"DELETE", "/function/{name}", "", "DeleteFunction", f.delete},
		{"POST", "/function/{name}/publish", "", "PublishFunction", f.publish},
		{"POST", "/function/{name}/test", "", "TestFunction", f.test},
		{"GET", "/function", "", "ListFunctions", f.list},
	}
}

type functionOps struct{ ops controlplane.Functions }

func (f functionOps) create(ctx context.Context, r *request) (reply, error) {
	name, cfg, code, tags, err := v20200531.DecodeCreateFunctionRequest(r.body)
	if err != nil {
		return reply{}, err
	}
	s, etag, err := f.ops.Create(ctx, r.account, name, cfg, code, tags)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: v20200531.EncodeFunctionSummary(s), etag: etag,
		location: location(r, prefix2020, "/function/"+s.ARN)}, nil
}

func (f functionOps) describe(ctx context.Context, r *request) (reply, error) {
	s, etag, err := f.ops.Describe(ctx, r.account, r.PathValue("name"), r.URL.Query().Get("Stage"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeFunctionSummary(s), etag: etag}, nil
}

// get answers with the stage's code as the body, as CloudFront does.
func (f functionOps) get(ctx context.Context, r *request) (reply, error) {
	code, etag, err := f.ops.Code(ctx, r.account, r.PathValue("name"), r.URL.Query().Get("Stage"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: code, etag: etag, contentType: "application/octet-stream"}, nil
}

func (f functionOps) update(ctx context.Context, r *request) (reply, error) {
	cfg, code, err := v20200531.DecodeUpdateFunctionRequest(r.body)
	if err != nil {
		return reply{}, err
	}
	s, etag, err := f.ops.Update(ctx, r.account, r.PathValue("name"), ifMatch(r), cfg, code)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeFunctionSummary(s), etag: etag, etagAlso: "ETtag"}, nil
}

func (f functionOps) delete(ctx context.Context, r *request) (reply, error) {
	if err := f.ops.Delete(ctx, r.account, r.PathValue("name"), ifMatch(r)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func (f functionOps) publish(ctx context.Context, r *request) (reply, error) {
	s, err := f.ops.Publish(ctx, r.account, r.PathValue("name"), ifMatch(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeFunctionSummary(s)}, nil
}

func (f functionOps) test(ctx context.Context, r *request) (reply, error) {
	stage, event, err := v20200531.DecodeTestFunctionRequest(r.body)
	if err != nil {
		return reply{}, err
	}
	res, err := f.ops.Test(ctx, r.account, r.PathValue("name"), ifMatch(r), stage, event)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeTestResult(res)}, nil
}

func (f functionOps) list(ctx context.Context, r *request) (reply, error) {
	lp, items, err := f.ops.List(ctx, r.account, r.URL.Query().Get("Stage"), page(r))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, body: v20200531.EncodeFunctionList(lp, items)}, nil
}
