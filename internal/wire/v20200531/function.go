package v20200531

import (
	"encoding/base64"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// CloudFront Functions: the request bodies CreateFunctionRequest,
// UpdateFunctionRequest and TestFunctionRequest, and the documents
// FunctionSummary (CreateFunction, DescribeFunction, UpdateFunction,
// PublishFunction), FunctionList (ListFunctions) and TestResult
// (TestFunction).
//
// The request roots are the operations' input names. A function's name
// (CreateFunction's Name) is in the body only when it is created: Update
// and Test name it in the path and their ETag in If-Match, so neither is
// a member of their bodies. The service model requires Name,
// FunctionConfig (Comment and Runtime) and FunctionCode, and, to test,
// EventObject; Stage and Tags are optional. Every value is kept as sent:
// the name's pattern, the runtime and the code's size are validation's
// (cloudfront.Rules.ValidateFunctionStages), the stage the caller's.
//
// FunctionCode and EventObject are blobs, which XML carries as base64. A
// body whose blob is not base64 does not match the schema, as one whose
// number is not a number, and is MalformedXML (the SDKs always send valid
// base64, so only a hand-written client meets it).
//
// KeyValueStoreAssociations is decoded to its ARNs, for the control
// plane to check (each must name a store of the account). As the model
// lists only InvalidArgument for the function operations, a Quantity that
// does not count the Items is InvalidArgument, not the distributions'
// InconsistentQuantities. It is written only when there are
// associations: it is optional, functions without a store predate it,
// and every SDK reads its absence as no associations (whether CloudFront
// writes an empty one is unconfirmed).
//
// Comment is required and always written, an empty one as
// <Comment></Comment>. Status and Stage, optional in the model, are
// always written (a stored function has both); CreatedTime, optional
// too, when it is set.
//
// TestResult writes all its members: FunctionExecutionLogs as a list of
// <member> (the model's list names no item), empty when the function
// logged nothing, and FunctionErrorMessage and FunctionOutput empty when
// there is none. Logs, error message and output are what a user's code
// printed, threw or returned, so they may hold characters XML cannot
// carry: the writer replaces each (a control character but tab, LF and
// CR, a non-character, a byte that is not UTF-8) with U+FFFD, so the
// document is always well-formed, and writes a carriage return as &#xD;
// so that it comes back.

// DecodeCreateFunctionRequest decodes a CreateFunctionRequest body
// (CreateFunction): the function's name, its DEVELOPMENT stage's config
// and code, and its tags (nil when none).
func DecodeCreateFunctionRequest(body []byte) (name string, cfg cloudfront.FunctionConfig, code []byte, tags []cloudfront.Tag, err error) {
	root, err := parse(body, "CreateFunctionRequest")
	if err != nil {
		return "", cloudfront.FunctionConfig{}, nil, nil, err
	}
	var d decoder
	f := d.Open(root, "Name", "FunctionConfig", "FunctionCode", "Tags")
	name = d.Str(f.Req("Name"))
	cfg = d.functionConfig(f.Req("FunctionConfig"))
	code = d.blob(f.Req("FunctionCode"))
	tags = d.tags(f.Opt("Tags"))
	if err := d.Result(); err != nil {
		return "", cloudfront.FunctionConfig{}, nil, nil, err
	}
	return name, cfg, code, tags, nil
}

// DecodeUpdateFunctionRequest decodes an UpdateFunctionRequest body
// (UpdateFunction): the DEVELOPMENT stage's new config and code.
func DecodeUpdateFunctionRequest(body []byte) (cfg cloudfront.FunctionConfig, code []byte, err error) {
	root, err := parse(body, "UpdateFunctionRequest")
	if err != nil {
		return cloudfront.FunctionConfig{}, nil, err
	}
	var d decoder
	f := d.Open(root, "FunctionConfig", "FunctionCode")
	cfg = d.functionConfig(f.Req("FunctionConfig"))
	code = d.blob(f.Req("FunctionCode"))
	if err := d.Result(); err != nil {
		return cloudfront.FunctionConfig{}, nil, err
	}
	return cfg, code, nil
}

// DecodeTestFunctionRequest decodes a TestFunctionRequest body
// (TestFunction): the stage to run, as sent ("" when absent), and the
// event object (nil when empty, which the model allows).
func DecodeTestFunctionRequest(body []byte) (stage string, event []byte, err error) {
	root, err := parse(body, "TestFunctionRequest")
	if err != nil {
		return "", nil, err
	}
	var d decoder
	f := d.Open(root, "Stage", "EventObject")
	stage = d.Str(f.Opt("Stage"))
	event = d.blob(f.Req("EventObject"))
	if err := d.Result(); err != nil {
		return "", nil, err
	}
	return stage, event, nil
}

func (d *decoder) functionConfig(n *node) cloudfront.FunctionConfig {
	f := d.Open(n, "Comment", "Runtime", "KeyValueStoreAssociations")
	return cloudfront.FunctionConfig{
		Comment:           d.Str(f.Req("Comment")),
		Runtime:           d.Str(f.Req("Runtime")),
		KeyValueStoreARNs: d.keyValueStoreAssociations(f.Opt("KeyValueStoreAssociations")),
	}
}

// keyValueStoreAssociations decodes a KeyValueStoreAssociations list to
// its ARNs, nil when it is absent or empty.
func (d *decoder) keyValueStoreAssociations(n *node) []string {
	if n == nil {
		return nil
	}
	f := d.Open(n, "Quantity", "Items")
	q := d.Integer(f.Req("Quantity"), 64)
	items := d.ItemsOnly(f.Opt("Items"), "KeyValueStoreAssociation")
	var arns []string
	for _, it := range items {
		af := d.Open(it, "KeyValueStoreARN")
		arns = append(arns, d.Str(af.Req("KeyValueStoreARN")))
	}
	if !d.Failed() && q != int64(len(items)) {
		d.Refuse(cloudfront.Errorf(cloudfront.InvalidArgument,
			"%s/Quantity is %d but %s/Items holds %d KeyValueStoreAssociation elements.", n.Path, q, n.Path, len(items)))
	}
	return arns
}

// blob decodes a blob element: base64 with padding, in XML Schema's
// base64Binary lexical form, where whitespace is insignificant (a client
// may wrap or indent it) and the bits padding leaves over are zero. The
// empty blob is nil.
func (d *decoder) blob(n *node) []byte {
	t, ok := d.Leaf(n)
	if !ok {
		return nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(withoutSpace(t))
	if err != nil {
		d.Fail("element %s is not base64", n.Path)
		return nil
	}
	if len(b) == 0 {
		return nil
	}
	return b
}

// withoutSpace returns t without its XML whitespace.
func withoutSpace(t []byte) string {
	out := make([]byte, 0, len(t))
	for _, c := range t {
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// EncodeFunctionSummary encodes a <FunctionSummary> document: one stage
// of a function (CreateFunction, DescribeFunction, UpdateFunction,
// PublishFunction).
func EncodeFunctionSummary(s cloudfront.FunctionSummary) []byte {
	w := newDoc("FunctionSummary")
	w.functionSummaryBody(s)
	return w.Bytes("FunctionSummary")
}

// EncodeFunctionList encodes a <FunctionList> of FunctionSummary
// (ListFunctions), with the policy lists' head (no Marker, no
// IsTruncated).
func EncodeFunctionList(p cloudfront.ListPage, items []cloudfront.FunctionSummary) []byte {
	return shortList("FunctionList", p, items, func(w *writer, s cloudfront.FunctionSummary) {
		w.Open("FunctionSummary")
		w.functionSummaryBody(s)
		w.Close("FunctionSummary")
	})
}

// EncodeTestResult encodes a <TestResult> document (TestFunction).
func EncodeTestResult(r cloudfront.TestResult) []byte {
	w := newDoc("TestResult")
	w.Open("FunctionSummary")
	w.functionSummaryBody(r.Summary)
	w.Close("FunctionSummary")
	w.Text("ComputeUtilization", r.ComputeUtilization)
	w.Open("FunctionExecutionLogs")
	for _, line := range r.Logs {
		w.Text("member", line)
	}
	w.Close("FunctionExecutionLogs")
	w.Text("FunctionErrorMessage", r.ErrorMessage)
	w.Text("FunctionOutput", r.Output)
	return w.Bytes("TestResult")
}

func (w *writer) functionSummaryBody(s cloudfront.FunctionSummary) {
	w.Text("Name", s.Name)
	w.Text("Status", s.Status)
	w.Open("FunctionConfig")
	w.functionConfigBody(s.Config)
	w.Close("FunctionConfig")
	w.Open("FunctionMetadata")
	w.Text("FunctionARN", s.ARN)
	w.Text("Stage", s.Stage)
	if !s.CreatedTime.IsZero() {
		w.Time("CreatedTime", s.CreatedTime)
	}
	w.Time("LastModifiedTime", s.LastModifiedTime)
	w.Close("FunctionMetadata")
}

func (w *writer) functionConfigBody(c cloudfront.FunctionConfig) {
	w.Text("Comment", c.Comment)
	w.Text("Runtime", c.Runtime)
	if len(c.KeyValueStoreARNs) > 0 {
		w.Open("KeyValueStoreAssociations")
		xmlwire.QuantityItems(w.Writer, c.KeyValueStoreARNs, func(arn string) {
			w.Open("KeyValueStoreAssociation")
			w.Text("KeyValueStoreARN", arn)
			w.Close("KeyValueStoreAssociation")
		})
		w.Close("KeyValueStoreAssociations")
	}
}
