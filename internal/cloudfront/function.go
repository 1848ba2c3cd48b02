package cloudfront

import (
	"reflect"
	"time"
)

// CloudFront Functions (API 2020-05-31): JavaScript a behaviour runs on
// viewer requests and viewer responses. A function is named uniquely in
// its account and has two stages: DEVELOPMENT, which UpdateFunction
// changes and TestFunction runs, and LIVE, which PublishFunction copies
// it to and which distributions run. A behaviour names a function by ARN
// (FunctionAssociation.FunctionARN); the control plane resolves it into
// FunctionAssociation.Function (the LIVE stage's code) for edges.

// Function runtimes, stages and statuses.
const (
	FunctionRuntimeJS10 = "cloudfront-js-1.0"
	FunctionRuntimeJS20 = "cloudfront-js-2.0"

	FunctionStageDevelopment = "DEVELOPMENT"
	FunctionStageLive        = "LIVE"

	FunctionUnpublished  = "UNPUBLISHED"  // never published
	FunctionUnassociated = "UNASSOCIATED" // published, no behaviour runs it
	FunctionDeployed     = "DEPLOYED"     // published and associated

	FunctionEventViewerRequest  = "viewer-request"
	FunctionEventViewerResponse = "viewer-response"
)

// Function is a function as the control plane keeps it. Its ID is its
// ARN, which is unique and what distributions name; ETag and
// LastModifiedTime are the DEVELOPMENT stage's.
type Function struct {
	ID               string         `json:",omitzero"` // FunctionARN(AccountID, Name)
	AccountID        string         `json:",omitzero"`
	LastModifiedTime time.Time      `json:",omitzero"`
	ETag             string         `json:",omitzero"`
	Revision         int64          `json:",omitzero"`
	Config           FunctionStages `json:",omitzero"`
}

// FunctionStages is what a function holds: its name, its DEVELOPMENT
// stage, and its LIVE stage once published.
type FunctionStages struct {
	Name string `json:",omitzero"`
	// Created is when the function was created (the record's, kept
	// with its stages because the store keeps one time per record).
	Created time.Time    `json:",omitzero" equal:"-"`
	Dev     FunctionCode `json:",omitzero"`
	// Live is the published stage; nil until the first PublishFunction.
	Live *FunctionCode `json:",omitempty" equal:"-"`
}

// FunctionCode is one stage of a function: its settings and code, and,
// for LIVE, the stage's own ETag and time of publication.
type FunctionCode struct {
	Config           FunctionConfig `json:",omitzero"`
	Code             []byte         `json:",omitzero"`
	ETag             string         `json:",omitzero"` // LIVE only
	LastModifiedTime time.Time      `json:",omitzero"` // LIVE only
}

// FunctionConfig is a function's FunctionConfig on the wire.
type FunctionConfig struct {
	Comment string `json:",omitzero"`
	Runtime string `json:",omitzero"`
	// KeyValueStoreARNs are the KeyValueStoreAssociations: stores of
	// the function's account it reads through cf.kvs() (the control
	// plane checks them).
	KeyValueStoreARNs []string `json:",omitzero"`
}

// FunctionSummary is one stage of a function as the API reports it
// (FunctionSummary: Name, Status, FunctionConfig, FunctionMetadata).
type FunctionSummary struct {
	Name             string
	Status           string
	Config           FunctionConfig
	ARN              string
	Stage            string
	CreatedTime      time.Time
	LastModifiedTime time.Time
}

// TestResult is TestFunction's answer.
type TestResult struct {
	Summary            FunctionSummary
	ComputeUtilization string // a percentage of the time limit, "0" to "100"
	Logs               []string
	ErrorMessage       string
	Output             string // the event object the function returned, as JSON
}

// FunctionARN is a function's ARN, which is also its id.
func FunctionARN(accountID, name string) string {
	return "arn:aws:cloudfront::" + accountID + ":function/" + name
}

// MaxFunctionCodeSize is the size limit of a function's code (the
// model's FunctionBlob, and the quota "Maximum function size": 10 KB for
// cloudfront-js-1.0 and 2.0 alike is the documented quota; the model
// admits 40,960 bytes, the limit with key value stores in mind).
const MaxFunctionCodeSize = 10 * 1024

// NormalizeFunctionStages: nothing is defaulted.
func NormalizeFunctionStages(*FunctionStages) {}

// EqualFunctionStages reports whether two functions say the same.
func EqualFunctionStages(a, b *FunctionStages) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

// ValidateFunctionStages checks a function's name (the model's pattern
// [a-zA-Z0-9-_]{1,64}), its DEVELOPMENT stage's runtime, comment and
// code size. The code's syntax is the runtime's check (control plane).
func (r Rules) ValidateFunctionStages(c *FunctionStages) error {
	if len(c.Name) == 0 || len(c.Name) > 64 || !isIdentifierName(c.Name) {
		return Errorf(InvalidArgument, "The function name %q must be 1 to 64 letters, digits, hyphens or underscores.", c.Name)
	}
	return r.ValidateFunctionCode(&c.Dev)
}

// ValidateFunctionCode checks one stage's settings and code.
func (r Rules) ValidateFunctionCode(c *FunctionCode) error {
	switch c.Config.Runtime {
	case FunctionRuntimeJS10, FunctionRuntimeJS20:
	default:
		return Errorf(InvalidArgument, "The Runtime %q is not valid: use cloudfront-js-1.0 or cloudfront-js-2.0.", c.Config.Runtime)
	}
	switch {
	case len(c.Config.Comment) > 128:
		return Errorf(InvalidArgument, "The Comment is longer than 128 characters.")
	case len(c.Code) == 0:
		return Errorf(InvalidArgument, "The FunctionCode is empty.")
	case len(c.Code) > MaxFunctionCodeSize:
		return Errorf(FunctionSizeLimitExceeded, "The function code is %d bytes; at most %d are allowed.", len(c.Code), MaxFunctionCodeSize)
	}
	return nil
}
