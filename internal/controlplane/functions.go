package controlplane

import (
	"context"
	"errors"
	"strconv"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/edgefunc"
	"github.com/openfront/openfront/internal/store"
)

// functions is the CloudFront Functions kind (policies.go). A function is
// named uniquely in its account and its id is its ARN, which is what a
// behaviour's FunctionAssociation names. UpdateFunction changes the
// DEVELOPMENT stage only, which no distribution runs; PublishFunction
// copies it to LIVE and redeploys the distributions that run the
// function, which carry the LIVE stage's code (FunctionAssociation
// .Function) to edges.
var functions = newPolicy(&policy[cloudfront.Function, cloudfront.FunctionStages]{
	kind: &kind[cloudfront.Function, cloudfront.FunctionStages]{
		name:          "Function",
		noSuch:        cloudfront.NoSuchFunctionExists,
		alreadyExists: cloudfront.FunctionAlreadyExists,
		tooMany:       cloudfront.TooManyFunctions,
		members: func(f *cloudfront.Function) members[cloudfront.FunctionStages] {
			return members[cloudfront.FunctionStages]{ID: &f.ID, AccountID: &f.AccountID, ETag: &f.ETag,
				LastModified: &f.LastModifiedTime, Created: &f.Config.Created, Revision: &f.Revision, Config: &f.Config}
		},
		callerReference: func(c *cloudfront.FunctionStages) string { return c.Name },
		normalize:       cloudfront.NormalizeFunctionStages,
		validate:        (*cloudfront.Rules).ValidateFunctionStages,
		equal:           cloudfront.EqualFunctionStages,
		// The code must compile, as CloudFront refuses a function whose
		// code does not parse; the stores it reads must be the account's.
		check: func(_ *Service, tx store.Tx, accountID string, c, _ *cloudfront.FunctionStages) error {
			if _, err := edgefunc.Compile(c.Dev.Config.Runtime, c.Dev.Code); err != nil {
				return cloudfront.Errorf(cloudfront.InvalidArgument, "The function code does not compile: %v", err)
			}
			return checkFunctionStores(tx, accountID, c.Dev.Config.KeyValueStoreARNs)
		},
		limit: func(l cloudfront.Limits) int { return l.FunctionsPerAccount },
		count: func(tx store.Tx, accountID string) (int, error) { return tx.FunctionRecords().Count(accountID) },
		newID: func(accountID string, c *cloudfront.FunctionStages) string {
			return cloudfront.FunctionARN(accountID, c.Name)
		},
		arn:     func(_, id string) string { return id },
		records: store.Tx.FunctionRecords,
	},
	what:  "function",
	inUse: cloudfront.FunctionInUse,
	// InvalidFunctionAssociation is the code the model lists for a
	// distribution's function that does not exist or is not published.
	missing: cloudfront.InvalidFunctionAssociation,
	refs: func(cfg *cloudfront.DistributionConfig, f func(string, func(*cloudfront.FunctionStages))) {
		for _, b := range cfg.Behaviors() {
			for i := range b.FunctionAssociations {
				fa := &b.FunctionAssociations[i]
				f(fa.FunctionARN, func(c *cloudfront.FunctionStages) {
					fa.Function = nil
					if c != nil {
						fa.Function = c.Live
					}
				})
			}
		}
	},
	// A behaviour runs the LIVE stage: a function never published cannot
	// be associated (unconfirmed which code CloudFront answers; the
	// association is what is invalid).
	prepare: func(_ store.Tx, _ string, c *cloudfront.FunctionStages) error {
		if c.Live == nil {
			return cloudfront.Errorf(cloudfront.InvalidFunctionAssociation, "The function %s is not published; publish it before associating it.", c.Name)
		}
		return nil
	},
})

// Functions are the CloudFront Functions' operations, by name in the
// caller's account.
type Functions struct{ s *Service }

// Functions returns the functions' operations.
func (s *Service) Functions() Functions { return Functions{s} }

// Create creates a function's DEVELOPMENT stage.
func (fs Functions) Create(ctx context.Context, accountID, name string, cfg cloudfront.FunctionConfig, code []byte, tags []cloudfront.Tag) (cloudfront.FunctionSummary, string, error) {
	f, _, err := createResource(ctx, fs.s, functions.kind, accountID,
		cloudfront.FunctionStages{Name: name, Dev: cloudfront.FunctionCode{Config: cfg, Code: code}}, tags)
	if err != nil {
		return cloudfront.FunctionSummary{}, "", err
	}
	return summary(&f, cloudfront.FunctionStageDevelopment, cloudfront.FunctionUnpublished), f.ETag, nil
}

// Describe returns a stage's summary and ETag ("" is DEVELOPMENT).
func (fs Functions) Describe(ctx context.Context, accountID, name, stage string) (cloudfront.FunctionSummary, string, error) {
	var out cloudfront.FunctionSummary
	var etag string
	err := fs.view(ctx, "DescribeFunction", accountID, name, func(tx store.Tx, f *cloudfront.Function) error {
		st, err := stageOf(f, stage)
		if err != nil {
			return err
		}
		status, err := fs.status(tx, f)
		out, etag = summary(f, stage, status), stageETag(f, st)
		return err
	})
	return out, etag, err
}

// Code returns a stage's code and ETag (GetFunction).
func (fs Functions) Code(ctx context.Context, accountID, name, stage string) ([]byte, string, error) {
	var code []byte
	var etag string
	err := fs.view(ctx, "GetFunction", accountID, name, func(_ store.Tx, f *cloudfront.Function) error {
		st, err := stageOf(f, stage)
		code, etag = st.Code, stageETag(f, st)
		return err
	})
	return code, etag, err
}

// Update replaces the DEVELOPMENT stage; LIVE is kept.
func (fs Functions) Update(ctx context.Context, accountID, name, ifMatch string, cfg cloudfront.FunctionConfig, code []byte) (cloudfront.FunctionSummary, string, error) {
	f, err := updateResource(ctx, fs.s, functions.kind, accountID, cloudfront.FunctionARN(accountID, name), ifMatch,
		cloudfront.FunctionStages{Name: name, Dev: cloudfront.FunctionCode{Config: cfg, Code: code}},
		func(old, c *cloudfront.FunctionStages) error {
			c.Created, c.Live = old.Created, old.Live
			return nil
		})
	if err != nil {
		return cloudfront.FunctionSummary{}, "", err
	}
	return fs.summaryOf(ctx, &f, cloudfront.FunctionStageDevelopment)
}

// Publish copies DEVELOPMENT to LIVE (If-Match is DEVELOPMENT's ETag)
// and redeploys the distributions that run the function, in one
// transaction at one revision.
func (fs Functions) Publish(ctx context.Context, accountID, name, ifMatch string) (cloudfront.FunctionSummary, error) {
	if ifMatch == "" {
		return cloudfront.FunctionSummary{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	var f cloudfront.Function
	err := fs.s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if f, err = functions.own(tx, accountID, cloudfront.FunctionARN(accountID, name)); err != nil {
			return err
		}
		if ifMatch != f.ETag {
			return cloudfront.NewError(cloudfront.PreconditionFailed)
		}
		live := f.Config.Dev
		live.ETag, live.LastModifiedTime = cloudfront.NewETag(), fs.s.now()
		f.Config.Live = &live
		if f.Revision, err = tx.NextRevision(); err != nil {
			return err
		}
		if err := tx.FunctionRecords().Update(f); err != nil {
			return err
		}
		return functions.redeploy(tx, &f)
	})
	if err != nil {
		return cloudfront.FunctionSummary{}, fs.s.internal("PublishFunction", err)
	}
	fs.s.changed()
	s, _, err := fs.summaryOf(ctx, &f, cloudfront.FunctionStageLive)
	return s, err
}

// Delete deletes a function no behaviour runs (If-Match is DEVELOPMENT's
// ETag).
func (fs Functions) Delete(ctx context.Context, accountID, name, ifMatch string) error {
	return deleteResource(ctx, fs.s, functions.kind, accountID, cloudfront.FunctionARN(accountID, name), ifMatch)
}

// List lists one page of the account's functions in name order: each
// one's summary for stage, or, without a stage, its DEVELOPMENT summary
// and, once published, its LIVE one (MaxItems counts functions).
func (fs Functions) List(ctx context.Context, accountID, stage string, p Page) (cloudfront.ListPage, []cloudfront.FunctionSummary, error) {
	switch stage {
	case "", cloudfront.FunctionStageDevelopment, cloudfront.FunctionStageLive:
	default:
		return cloudfront.ListPage{}, nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The Stage must be DEVELOPMENT or LIVE, not %q.", stage)
	}
	if p.Marker != "" {
		p.Marker = cloudfront.FunctionARN(accountID, p.Marker)
	}
	var out []cloudfront.FunctionSummary
	lp, fns, err := list(ctx, fs.s, "ListFunctions", p, func(f cloudfront.Function) string { return f.Config.Name },
		func(tx store.Tx, limit int) ([]cloudfront.Function, error) {
			fns, err := tx.FunctionRecords().List(accountID, p.Marker, limit)
			if err != nil {
				return nil, err
			}
			out = out[:0]
			for i := range fns {
				f := &fns[i]
				status, err := fs.status(tx, f)
				if err != nil {
					return nil, err
				}
				if stage != cloudfront.FunctionStageLive {
					out = append(out, summary(f, cloudfront.FunctionStageDevelopment, status))
				}
				if stage != cloudfront.FunctionStageDevelopment && f.Config.Live != nil {
					out = append(out, summary(f, cloudfront.FunctionStageLive, status))
				}
			}
			return fns, nil
		})
	if err != nil {
		return lp, nil, err
	}
	if lp.Marker != "" {
		lp.Marker = p.Marker[len(cloudfront.FunctionARN(accountID, "")):]
	}
	// The fetch read one function more than the page holds.
	return lp, trimToFunctions(out, fns), nil
}

// trimToFunctions keeps the summaries of the functions on the page.
func trimToFunctions(out []cloudfront.FunctionSummary, page []cloudfront.Function) []cloudfront.FunctionSummary {
	if len(page) == 0 {
		return nil
	}
	last := page[len(page)-1].Config.Name
	n := len(out)
	for n > 0 && out[n-1].Name > last {
		n--
	}
	return out[:n]
}

// Test runs a stage of the function on a test event (TestFunction;
// If-Match is that stage's ETag). The function's own failure is in the
// result, as CloudFront reports it; an event that is not an event is
// InvalidArgument.
func (fs Functions) Test(ctx context.Context, accountID, name, ifMatch, stage string, event []byte) (cloudfront.TestResult, error) {
	if ifMatch == "" {
		return cloudfront.TestResult{}, cloudfront.NewError(cloudfront.InvalidIfMatchVersion)
	}
	if len(event) > maxTestEvent {
		return cloudfront.TestResult{}, cloudfront.Errorf(cloudfront.InvalidArgument, "The EventObject is %d bytes; at most %d are allowed.", len(event), maxTestEvent)
	}
	var res cloudfront.TestResult
	var code cloudfront.FunctionCode
	var kvs edgefunc.KeyValueStore
	err := fs.view(ctx, "TestFunction", accountID, name, func(tx store.Tx, f *cloudfront.Function) error {
		st, err := stageOf(f, stage)
		if err != nil {
			return err
		}
		if ifMatch != stageETag(f, st) {
			return cloudfront.NewError(cloudfront.PreconditionFailed)
		}
		status, err := fs.status(tx, f)
		if stage == "" {
			stage = cloudfront.FunctionStageDevelopment
		}
		res.Summary, code = summary(f, stage, status), *st
		if err != nil || len(st.Config.KeyValueStoreARNs) == 0 {
			return err
		}
		// The test reads the store as it is now, as the edge would.
		k, err := ownStore(tx, accountID, st.Config.KeyValueStoreARNs[0])
		if err == nil {
			kvs = testStore{k}
		} else if !errors.As(err, new(*cloudfront.Error)) {
			return err
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	prog, err := edgefunc.Compile(code.Config.Runtime, code.Code)
	if err != nil {
		res.ErrorMessage = err.Error()
		return res, nil
	}
	// A test gets testHeadroom times the edge's budget, so that a busy
	// control plane does not fail a function the edge would run; the
	// utilization is still reported against the edge's budget.
	out, logs, used, err := prog.RunJSON(event, edgefunc.Limits{Time: testHeadroom * edgefunc.DefaultTimeLimit, KeyValueStore: kvs})
	res.Logs, res.ComputeUtilization = logs, strconv.Itoa(min(100, used*testHeadroom))
	var bad *edgefunc.EventError
	switch {
	case errors.As(err, &bad):
		return cloudfront.TestResult{}, cloudfront.Errorf(cloudfront.InvalidArgument, "The EventObject is not a CloudFront Functions event: %v", err)
	case err != nil:
		res.ErrorMessage = err.Error()
	default:
		res.Output = string(out)
	}
	return res, nil
}

// maxTestEvent is the model's limit on a test event (FunctionEventObject).
const maxTestEvent = 40960

// testHeadroom is how many times the edge's time budget TestFunction
// allows.
const testHeadroom = 10

// view runs fn on the account's function name, in a read transaction.
func (fs Functions) view(ctx context.Context, op, accountID, name string, fn func(store.Tx, *cloudfront.Function) error) error {
	err := fs.s.Store.View(ctx, func(tx store.Tx) error {
		f, err := functions.own(tx, accountID, cloudfront.FunctionARN(accountID, name))
		if err != nil {
			return err
		}
		return fn(tx, &f)
	})
	if err != nil {
		return fs.s.internal(op, err)
	}
	return nil
}

// summaryOf is f's summary for stage, with its status, and the stage's
// ETag.
func (fs Functions) summaryOf(ctx context.Context, f *cloudfront.Function, stage string) (cloudfront.FunctionSummary, string, error) {
	var out cloudfront.FunctionSummary
	var etag string
	err := fs.s.Store.View(ctx, func(tx store.Tx) error {
		status, err := fs.status(tx, f)
		st, _ := stageOf(f, stage)
		out, etag = summary(f, stage, status), stageETag(f, st)
		return err
	})
	return out, etag, err
}

// status is UNPUBLISHED before the first publish, then DEPLOYED while a
// distribution of the account runs the function and UNASSOCIATED
// otherwise.
func (fs Functions) status(tx store.Tx, f *cloudfront.Function) (string, error) {
	if f.Config.Live == nil {
		return cloudfront.FunctionUnpublished, nil
	}
	ds, err := functions.using(tx, f.AccountID, f.ID)
	if err != nil || len(ds) == 0 {
		return cloudfront.FunctionUnassociated, err
	}
	return cloudfront.FunctionDeployed, nil
}

// stageOf is the function's stage ("" is DEVELOPMENT); LIVE before the
// first publish does not exist.
func stageOf(f *cloudfront.Function, stage string) (*cloudfront.FunctionCode, error) {
	switch stage {
	case "", cloudfront.FunctionStageDevelopment:
		return &f.Config.Dev, nil
	case cloudfront.FunctionStageLive:
		if f.Config.Live == nil {
			return nil, cloudfront.Errorf(cloudfront.NoSuchFunctionExists, "The function %s has no LIVE stage: it was never published.", f.Config.Name)
		}
		return f.Config.Live, nil
	}
	return nil, cloudfront.Errorf(cloudfront.InvalidArgument, "The Stage must be DEVELOPMENT or LIVE, not %q.", stage)
}

// stageETag is the stage's version: DEVELOPMENT's is the record's.
func stageETag(f *cloudfront.Function, st *cloudfront.FunctionCode) string {
	if st == nil || st == &f.Config.Dev {
		return f.ETag
	}
	return st.ETag
}

// summary is the FunctionSummary of one stage of f.
func summary(f *cloudfront.Function, stage, status string) cloudfront.FunctionSummary {
	if stage == "" {
		stage = cloudfront.FunctionStageDevelopment
	}
	s := cloudfront.FunctionSummary{Name: f.Config.Name, Status: status, ARN: f.ID, Stage: stage,
		CreatedTime: f.Config.Created, Config: f.Config.Dev.Config, LastModifiedTime: f.LastModifiedTime}
	if stage == cloudfront.FunctionStageLive && f.Config.Live != nil {
		s.Config, s.LastModifiedTime = f.Config.Live.Config, f.Config.Live.LastModifiedTime
	}
	return s
}

// testStore is a store's record as TestFunction's function reads it.
type testStore struct{ k cloudfront.KeyValueStore }

func (t testStore) ID() string                    { return t.k.ID }
func (t testStore) Get(key string) (string, bool) { return t.k.Config.Data.Get(key) }
func (t testStore) Meta() edgefunc.KeyValueStoreMeta {
	return edgefunc.KeyValueStoreMeta{Created: t.k.Config.Created, Modified: t.k.Config.Data.Modified, Keys: len(t.k.Config.Data.Items)}
}
