package v20200531

import (
	"encoding/base64"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// The function requests have no document of their own to answer with, so
// the tests encode them themselves, in the model's member order (as
// botocore and the JS SDK send them): that gives their decoders the
// codecCase checks (golden round trips, member order, fuzzing). Each
// testdata/function-*-{full,minimal}.config.xml is such a model-order
// request; the .request.xml files are what the SDKs really sent,
// aws-sdk-go-v2 v1.73.0 (alphabetical, full) and botocore (model order,
// minimal).

// createFunctionRequest is what DecodeCreateFunctionRequest returns.
type createFunctionRequest struct {
	Name   string
	Config cloudfront.FunctionConfig
	Code   []byte
	Tags   []cloudfront.Tag
}

// updateFunctionRequest is what DecodeUpdateFunctionRequest returns.
type updateFunctionRequest struct {
	Config cloudfront.FunctionConfig
	Code   []byte
}

// testFunctionRequest is what DecodeTestFunctionRequest returns.
type testFunctionRequest struct {
	Stage string
	Event []byte
}

var createFunctionCase = codecCase[createFunctionRequest]{
	file: "function-create",
	root: "CreateFunctionRequest",
	decode: func(body []byte) (r createFunctionRequest, err error) {
		r.Name, r.Config, r.Code, r.Tags, err = DecodeCreateFunctionRequest(body)
		return r, err
	},
	encode: func(r createFunctionRequest) []byte {
		w := newDoc("CreateFunctionRequest")
		w.Text("Name", r.Name)
		writeFunctionRequest(w, r.Config, r.Code)
		if r.Tags != nil {
			w.Open("Tags")
			w.tags(r.Tags)
			w.Close("Tags")
		}
		return w.Bytes("CreateFunctionRequest")
	},
	full: func() createFunctionRequest {
		return createFunctionRequest{Name: "index-rewrite", Config: fullFunctionConfig(), Code: []byte(indexRewriteCode),
			Tags: []cloudfront.Tag{{Key: "team", Value: "web"}, {Key: "env", Value: "prod"}}}
	},
	minimal: func() createFunctionRequest {
		return createFunctionRequest{Name: "minimal", Config: minimalFunctionConfig(), Code: []byte(minimalFunctionCode)}
	},
}

var updateFunctionCase = codecCase[updateFunctionRequest]{
	file: "function-update",
	root: "UpdateFunctionRequest",
	decode: func(body []byte) (r updateFunctionRequest, err error) {
		r.Config, r.Code, err = DecodeUpdateFunctionRequest(body)
		return r, err
	},
	encode: func(r updateFunctionRequest) []byte {
		w := newDoc("UpdateFunctionRequest")
		writeFunctionRequest(w, r.Config, r.Code)
		return w.Bytes("UpdateFunctionRequest")
	},
	full: func() updateFunctionRequest {
		return updateFunctionRequest{Config: fullFunctionConfig(), Code: []byte(indexRewriteCode)}
	},
	minimal: func() updateFunctionRequest {
		return updateFunctionRequest{Config: minimalFunctionConfig(), Code: []byte(minimalFunctionCode)}
	},
}

var testFunctionCase = codecCase[testFunctionRequest]{
	file: "function-test",
	root: "TestFunctionRequest",
	decode: func(body []byte) (r testFunctionRequest, err error) {
		r.Stage, r.Event, err = DecodeTestFunctionRequest(body)
		return r, err
	},
	encode: func(r testFunctionRequest) []byte {
		w := newDoc("TestFunctionRequest")
		if r.Stage != "" {
			w.Text("Stage", r.Stage)
		}
		w.Text("EventObject", base64.StdEncoding.EncodeToString(r.Event))
		return w.Bytes("TestFunctionRequest")
	},
	full: func() testFunctionRequest {
		return testFunctionRequest{Stage: cloudfront.FunctionStageLive, Event: []byte(viewerRequestEvent)}
	},
	minimal: func() testFunctionRequest { return testFunctionRequest{Event: []byte("{}")} },
}

// writeFunctionRequest writes the members Create and Update share, in
// the model's order.
func writeFunctionRequest(w *writer, c cloudfront.FunctionConfig, code []byte) {
	w.Open("FunctionConfig")
	w.functionConfigBody(c)
	w.Close("FunctionConfig")
	w.Text("FunctionCode", base64.StdEncoding.EncodeToString(code))
}

// The golden requests' code, event object and key value store.
const (
	indexRewriteCode = `function handler(event) {
    var request = event.request;
    if (request.uri.endsWith('/')) {
        request.uri += 'index.html';
    } else if (!request.uri.includes('.')) {
        request.uri += '/index.html';
    }
    return request;
}
`
	minimalFunctionCode = "function handler(event) {\n    return event.request;\n}\n"
	viewerRequestEvent  = `{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"198.51.100.11"},"request":{"method":"GET","uri":"/blog/","querystring":{},"headers":{"host":{"value":"www.example.com"}},"cookies":{}}}`
	kvsARN              = "arn:aws:cloudfront::111122223333:key-value-store/8aa76c93-3198-462c-aaf6-example12345"
)

// fullFunctionConfig is the config of the full golden requests.
func fullFunctionConfig() cloudfront.FunctionConfig {
	return cloudfront.FunctionConfig{
		Comment:           "Rewrites /dir/ to /dir/index.html & keeps the query",
		Runtime:           cloudfront.FunctionRuntimeJS20,
		KeyValueStoreARNs: []string{kvsARN},
	}
}

func minimalFunctionConfig() cloudfront.FunctionConfig {
	return cloudfront.FunctionConfig{Runtime: cloudfront.FunctionRuntimeJS10}
}

// TestGoldenFunctionRequests: see codecCase.testGoldenConfigs.
func TestGoldenFunctionRequests(t *testing.T) {
	t.Run("create", createFunctionCase.testGoldenConfigs)
	t.Run("update", updateFunctionCase.testGoldenConfigs)
	t.Run("test", testFunctionCase.testGoldenConfigs)
}

// TestFunctionRequestsValidate: what the golden requests decode to is
// what validation expects, the full ones' key value store association
// too (validation leaves the associations to the control plane, which
// checks that each store is the account's).
func TestFunctionRequestsValidate(t *testing.T) {
	rules := cloudfront.DefaultRules()
	create := func(r createFunctionRequest) error {
		return rules.ValidateFunctionStages(&cloudfront.FunctionStages{Name: r.Name,
			Dev: cloudfront.FunctionCode{Config: r.Config, Code: r.Code}})
	}
	update := func(r updateFunctionRequest) error {
		return rules.ValidateFunctionCode(&cloudfront.FunctionCode{Config: r.Config, Code: r.Code})
	}
	for name, err := range map[string]error{
		"minimal create": create(createFunctionCase.minimal()),
		"minimal update": update(updateFunctionCase.minimal()),
		"full create":    create(createFunctionCase.full()),
		"full update":    update(updateFunctionCase.full()),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestFunctionMemberOrder: the alphabetical requests (aws-sdk-go-v2) and
// the model-order ones decode alike; each request has all its members.
func TestFunctionMemberOrder(t *testing.T) {
	for _, tt := range []struct {
		name  string
		order func(*testing.T) *xmlwire.Node
		want  []string
	}{
		{"create", createFunctionCase.testMemberOrder, []string{"FunctionCode", "FunctionConfig", "Name", "Tags"}},
		{"update", updateFunctionCase.testMemberOrder, []string{"FunctionCode", "FunctionConfig"}},
		{"test", testFunctionCase.testMemberOrder, []string{"EventObject", "Stage"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := tt.order(t)
			var names []string
			for _, k := range root.Kids {
				names = append(names, k.Name)
			}
			if !slices.Equal(names, tt.want) {
				t.Fatalf("members %v, want %v", names, tt.want)
			}
		})
	}
}

// TestFunctionRoundTrip: decode(encode(x)) == x, whatever the strings and
// the code hold (values are not validated by the codec). Empty lists and
// blobs are nil.
func TestFunctionRoundTrip(t *testing.T) {
	var binary []byte
	for i := range 256 {
		binary = append(binary, byte(i))
	}
	odd := createFunctionRequest{Name: " <a>\r\n\t&'\"é ",
		Config: cloudfront.FunctionConfig{Comment: "]]>", Runtime: " ", KeyValueStoreARNs: []string{"", " x ", " x "}},
		Code:   binary, Tags: []cloudfront.Tag{{}, {Key: "k", Value: "<&>\r"}}}
	createFunctionCase.testRoundTrip(t, map[string]createFunctionRequest{
		"full":       createFunctionCase.full(),
		"minimal":    createFunctionCase.minimal(),
		"odd values": odd,
		"all empty":  {},
	})
	updateFunctionCase.testRoundTrip(t, map[string]updateFunctionRequest{
		"full":       updateFunctionCase.full(),
		"minimal":    updateFunctionCase.minimal(),
		"odd values": {Config: odd.Config, Code: odd.Code},
		"all empty":  {},
	})
	testFunctionCase.testRoundTrip(t, map[string]testFunctionRequest{
		"full":       testFunctionCase.full(),
		"minimal":    testFunctionCase.minimal(),
		"odd values": {Stage: "<live>", Event: binary},
		"all empty":  {},
	})
}

// wrap returns s broken into lines of n characters by sep, as MIME
// writes base64 (n = 76).
func wrap(s string, n int, sep string) string {
	var lines []string
	for len(s) > n {
		lines = append(lines, s[:n])
		s = s[n:]
	}
	return strings.Join(append(lines, s), sep)
}

// TestDecodeCreateFunctionAccepted: what clients really send that must
// decode, and what it decodes to.
func TestDecodeCreateFunctionAccepted(t *testing.T) {
	min, _ := createFunctionCase.requests(t)
	type request = createFunctionRequest
	same := func(r request) bool { return reflect.DeepEqual(r, createFunctionCase.minimal()) }
	b64 := base64.StdEncoding.EncodeToString([]byte(minimalFunctionCode))
	config := "<FunctionConfig><Comment /><Runtime>cloudfront-js-1.0</Runtime></FunctionConfig>"
	kvs := func(list string) string {
		return edit(min, "</Runtime>", "</Runtime><KeyValueStoreAssociations>"+list+"</KeyValueStoreAssociations>")
	}
	arns := func(want ...string) func(r request) bool {
		return func(r request) bool { return slices.Equal(r.Config.KeyValueStoreARNs, want) }
	}
	tags := func(want ...cloudfront.Tag) func(r request) bool {
		return func(r request) bool { return slices.Equal(r.Tags, want) }
	}
	createFunctionCase.testAccepted(t, map[string]acceptedBody[request]{
		"no namespace": {edit(min, ` xmlns="`+Namespace+`"`, ""), same},
		"with prolog":  {xmlwire.Prolog + min, same},
		"indented":     {strings.ReplaceAll(min, "><", ">\n  <"), same},
		"code first":   {edit(edit(min, config, ""), "</CreateFunctionRequest>", config+"</CreateFunctionRequest>"), same},
		"Comment pair": {edit(min, "<Comment />", "<Comment></Comment>"), same},
		"Comment kept as sent": {edit(min, "<Comment />", "<Comment> a\tb </Comment>"),
			func(r request) bool { return r.Config.Comment == " a\tb " }},
		// Whitespace in base64Binary is insignificant: MIME line breaks,
		// an indented element, spaces between groups.
		"code wrapped CRLF": {edit(min, b64, wrap(b64, 16, "&#xD;\n")), same},
		"code wrapped LF":   {edit(min, b64, wrap(b64, 20, "\n")), same},
		"code padded":       {edit(min, b64, "\n\t  "+b64+" \n"), same},
		"code spaced":       {edit(min, b64, strings.Join(strings.SplitAfter(b64, "u"), " ")), same},
		"code in CDATA":     {edit(min, b64, "<![CDATA["+b64+"]]>"), same},
		// The empty code decodes; validation refuses it (the model's
		// minimum length is 1).
		"empty code": {edit(min, b64, ""), func(r request) bool { return r.Code == nil }},
		"code self-closing": {edit(min, "<FunctionCode>"+b64+"</FunctionCode>", "<FunctionCode/>"),
			func(r request) bool { return r.Code == nil }},
		"binary code": {edit(min, b64, "AP8A/w=="),
			func(r request) bool { return string(r.Code) == "\x00\xff\x00\xff" }},
		"name not validated": {edit(min, "<Name>minimal</Name>", "<Name>not a name!</Name>"),
			func(r request) bool { return r.Name == "not a name!" }},
		"empty name not refused": {edit(min, "<Name>minimal</Name>", "<Name/>"),
			func(r request) bool { return r.Name == "" }},
		"runtime not validated": {edit(min, "cloudfront-js-1.0", "cloudfront-js-9.9"),
			func(r request) bool { return r.Config.Runtime == "cloudfront-js-9.9" }},
		// aws-sdk-go-v2 sends an empty KeyValueStoreAssociations as
		// Quantity 0 alone.
		"no associations":        {kvs("<Quantity>0</Quantity>"), arns()},
		"no associations, Items": {kvs("<Quantity>0</Quantity><Items/>"), arns()},
		"associations not refused": {kvs("<Items><KeyValueStoreAssociation><KeyValueStoreARN>a</KeyValueStoreARN></KeyValueStoreAssociation><KeyValueStoreAssociation><KeyValueStoreARN>b</KeyValueStoreARN></KeyValueStoreAssociation></Items><Quantity>2</Quantity>"),
			arns("a", "b")},
		"padded Quantity": {kvs("<Quantity> 0 </Quantity>"), arns()},
		"empty Tags":      {edit(min, "</CreateFunctionRequest>", "<Tags/></CreateFunctionRequest>"), tags()},
		"empty Tags Items": {edit(min, "</CreateFunctionRequest>", "<Tags><Items></Items></Tags></CreateFunctionRequest>"),
			tags()},
		"tag without Value": {edit(min, "</CreateFunctionRequest>", "<Tags><Items><Tag><Key>k</Key></Tag></Items></Tags></CreateFunctionRequest>"),
			tags(cloudfront.Tag{Key: "k"})},
	})
}

// TestDecodeFunctionRequestsAccepted: the update and test bodies' own
// cases (their config and blobs are decoded as Create's).
func TestDecodeFunctionRequestsAccepted(t *testing.T) {
	umin, _ := updateFunctionCase.requests(t)
	updateFunctionCase.testAccepted(t, map[string]acceptedBody[updateFunctionRequest]{
		"no namespace": {edit(umin, ` xmlns="`+Namespace+`"`, ""),
			func(r updateFunctionRequest) bool { return reflect.DeepEqual(r, updateFunctionCase.minimal()) }},
		"empty code": {edit(umin, base64.StdEncoding.EncodeToString([]byte(minimalFunctionCode)), ""),
			func(r updateFunctionRequest) bool { return r.Code == nil }},
	})

	tmin, _ := testFunctionCase.requests(t)
	type request = testFunctionRequest
	stage := func(want string) func(r request) bool { return func(r request) bool { return r.Stage == want } }
	testFunctionCase.testAccepted(t, map[string]acceptedBody[request]{
		"no namespace": {edit(tmin, ` xmlns="`+Namespace+`"`, ""), stage("")},
		"no Stage":     {tmin, stage("")},
		"DEVELOPMENT":  {edit(tmin, "<EventObject>", "<Stage>DEVELOPMENT</Stage><EventObject>"), stage("DEVELOPMENT")},
		"empty Stage":  {edit(tmin, "<EventObject>", "<Stage/><EventObject>"), stage("")},
		"Stage not validated": {edit(tmin, "<EventObject>", "<Stage>live</Stage><EventObject>"),
			stage("live")},
		// The model's minimum length of an event object is 0: botocore
		// sends an empty one self-closing, aws-sdk-go-v2 as a pair.
		"empty event self-closing": {edit(tmin, "<EventObject>e30=</EventObject>", "<EventObject />"),
			func(r request) bool { return r.Event == nil }},
		"empty event pair": {edit(tmin, "e30=", ""), func(r request) bool { return r.Event == nil }},
		"event wrapped": {edit(tmin, "e30=", "e3\n0=\n"),
			func(r request) bool { return string(r.Event) == "{}" }},
	})
}

// TestDecodeCreateFunctionBad: documents that must not decode, with the
// code each gets: MissingBody and MalformedXML, the protocol's own, and
// InvalidArgument, the only code the model lists for a bad CreateFunction
// (UpdateFunction, TestFunction) request.
func TestDecodeCreateFunctionBad(t *testing.T) {
	min, _ := createFunctionCase.requests(t)
	const (
		mx = cloudfront.MalformedXML
		ia = cloudfront.InvalidArgument
	)
	b64 := base64.StdEncoding.EncodeToString([]byte(minimalFunctionCode))
	code := "<FunctionCode>" + b64 + "</FunctionCode>"
	config := "<FunctionConfig><Comment /><Runtime>cloudfront-js-1.0</Runtime></FunctionConfig>"
	kvs := func(list string) string {
		return edit(min, "</Runtime>", "</Runtime><KeyValueStoreAssociations>"+list+"</KeyValueStoreAssociations>")
	}
	one := "<Items><KeyValueStoreAssociation><KeyValueStoreARN>a</KeyValueStoreARN></KeyValueStoreAssociation></Items>"
	createFunctionCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"blank", " \n\t", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"truncated", min[:len(min)-5], mx},
		{"wrong root", strings.ReplaceAll(min, "CreateFunctionRequest", "CreateFunction"), mx},
		{"update root", string(read(t, "function-update-minimal.request.xml")), mx},
		{"FunctionSummary root", string(EncodeFunctionSummary(cloudfront.FunctionSummary{Name: "minimal"})), mx},
		{"public key root", string(read(t, "publickey-minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"other namespace", edit(min, "http://cloudfront.amazonaws.com/doc/2020-05-31/", "urn:x"), mx},
		{"two roots", min + min, mx},
		{"root holds text", edit(min, "<Name>", "text<Name>"), mx},
		{"missing Name", edit(min, "<Name>minimal</Name>", ""), mx},
		{"missing FunctionConfig", edit(min, config, ""), mx},
		{"missing Comment", edit(min, "<Comment />", ""), mx},
		{"missing Runtime", edit(min, "<Runtime>cloudfront-js-1.0</Runtime>", ""), mx},
		{"missing FunctionCode", edit(min, code, ""), mx},
		// The schema's base64Binary: the standard alphabet, padded, the
		// bits past the last byte zero.
		{"code not base64", edit(min, b64, "function handler(event) {}"), mx},
		{"code unpadded", edit(min, b64, "eA"), mx},
		{"code URL alphabet", edit(min, b64, "-_8="), mx},
		{"code trailing bits", edit(min, b64, "eB=="), mx},
		{"code padding only", edit(min, b64, "===="), mx},
		{"code padding inside", edit(min, b64, "eA==eA=="), mx},
		{"code with elements", edit(min, code, "<FunctionCode><b>"+b64+"</b></FunctionCode>"), mx},
		{"IfMatch member", edit(min, "<Name>", "<IfMatch>E1</IfMatch><Name>"), mx},
		{"Stage member", edit(min, "<Name>", "<Stage>LIVE</Stage><Name>"), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"unknown config member", edit(min, "<Comment />", "<Comment /><Name>n</Name>"), mx},
		{"repeated Name", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"repeated FunctionCode", edit(min, code, code+code), mx},
		{"repeated FunctionConfig", edit(min, config, config+config), mx},
		{"repeated Comment", edit(min, "<Comment />", "<Comment /><Comment />"), mx},
		{"FunctionConfig holds text", edit(min, "<Comment />", "text<Comment />"), mx},
		{"Comment with elements", edit(min, "<Comment />", "<Comment><p>x</p></Comment>"), mx},
		{"Runtime with elements", edit(min, "<Runtime>cloudfront-js-1.0</Runtime>", "<Runtime><v>1</v></Runtime>"), mx},
		{"associations without Quantity", kvs(one), mx},
		{"associations Quantity word", kvs("<Quantity>one</Quantity>" + one), mx},
		{"association item name", kvs("<Quantity>1</Quantity>" + strings.ReplaceAll(one, "KeyValueStoreAssociation>", "Association>")), mx},
		{"association without ARN", kvs("<Quantity>1</Quantity><Items><KeyValueStoreAssociation/></Items>"), mx},
		{"association unknown member", kvs("<Quantity>1</Quantity>" + edit(one, "<KeyValueStoreARN>", "<Id>1</Id><KeyValueStoreARN>")), mx},
		{"associations as a flat list", kvs("<KeyValueStoreAssociation><KeyValueStoreARN>a</KeyValueStoreARN></KeyValueStoreAssociation>"), mx},
		{"associations Quantity", kvs("<Quantity>2</Quantity>" + one), ia},
		{"associations Quantity without Items", kvs("<Quantity>1</Quantity>"), ia},
		{"malformed beats Quantity", edit(kvs("<Quantity>2</Quantity>"+one), code, "<FunctionCode>!</FunctionCode>"), mx},
		{"Tags with Quantity", edit(min, "</CreateFunctionRequest>", "<Tags><Quantity>0</Quantity></Tags></CreateFunctionRequest>"), mx},
		{"Tag without Key", edit(min, "</CreateFunctionRequest>", "<Tags><Items><Tag><Value>v</Value></Tag></Items></Tags></CreateFunctionRequest>"), mx},
		{"malformed beats missing", edit(edit(min, "<Name>minimal</Name>", ""), b64, "!"), mx},
	})
}

// TestDecodeFunctionRequestsBad: the update and test bodies' own cases.
func TestDecodeFunctionRequestsBad(t *testing.T) {
	const mx = cloudfront.MalformedXML
	umin, _ := updateFunctionCase.requests(t)
	b64 := base64.StdEncoding.EncodeToString([]byte(minimalFunctionCode))
	updateFunctionCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"wrong root", strings.ReplaceAll(umin, "UpdateFunctionRequest", "UpdateFunction"), mx},
		{"create root", string(read(t, "function-create-minimal.request.xml")), mx},
		{"2012 namespace", edit(umin, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"Name member", edit(umin, "<FunctionConfig>", "<Name>minimal</Name><FunctionConfig>"), mx},
		{"IfMatch member", edit(umin, "<FunctionConfig>", "<IfMatch>E1</IfMatch><FunctionConfig>"), mx},
		{"Tags member", edit(umin, "<FunctionConfig>", "<Tags/><FunctionConfig>"), mx},
		{"missing FunctionConfig", edit(umin, "<FunctionConfig><Comment /><Runtime>cloudfront-js-1.0</Runtime></FunctionConfig>", ""), mx},
		{"missing Comment", edit(umin, "<Comment />", ""), mx},
		{"missing Runtime", edit(umin, "<Runtime>cloudfront-js-1.0</Runtime>", ""), mx},
		{"missing FunctionCode", edit(umin, "<FunctionCode>"+b64+"</FunctionCode>", ""), mx},
		{"code not base64", edit(umin, b64, "x"), mx},
		{"associations Quantity", edit(umin, "</Runtime>", "</Runtime><KeyValueStoreAssociations><Quantity>1</Quantity></KeyValueStoreAssociations>"), cloudfront.InvalidArgument},
	})

	tmin, _ := testFunctionCase.requests(t)
	testFunctionCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"blank", "\n", cloudfront.MissingBody},
		{"not XML", "{}", mx},
		{"wrong root", strings.ReplaceAll(tmin, "TestFunctionRequest", "TestFunction"), mx},
		{"TestResult root", string(EncodeTestResult(cloudfront.TestResult{})), mx},
		{"2012 namespace", edit(tmin, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"missing EventObject", edit(tmin, "<EventObject>e30=</EventObject>", ""), mx},
		{"event not base64", edit(tmin, "e30=", `{"version":"1.0"}`), mx},
		{"event unpadded", edit(tmin, "e30=", "e30"), mx},
		{"event with elements", edit(tmin, "e30=", "<x/>"), mx},
		{"repeated EventObject", edit(tmin, "<EventObject>e30=</EventObject>", "<EventObject>e30=</EventObject><EventObject/>"), mx},
		{"repeated Stage", edit(tmin, "<EventObject>", "<Stage>LIVE</Stage><Stage>LIVE</Stage><EventObject>"), mx},
		{"Stage with elements", edit(tmin, "<EventObject>", "<Stage><LIVE/></Stage><EventObject>"), mx},
		{"Name member", edit(tmin, "<EventObject>", "<Name>minimal</Name><EventObject>"), mx},
		{"IfMatch member", edit(tmin, "<EventObject>", "<IfMatch>E1</IfMatch><EventObject>"), mx},
		{"malformed beats missing", edit(tmin, "<EventObject>e30=</EventObject>", "<Stage><x/></Stage>"), mx},
	})
}

// testFunctionSummaries: a function's DEVELOPMENT stage, never published,
// and another's LIVE stage, run by a distribution.
func testFunctionSummaries() (dev, live cloudfront.FunctionSummary) {
	dev = cloudfront.FunctionSummary{Name: "index-rewrite", Status: cloudfront.FunctionUnpublished,
		Config: cloudfront.FunctionConfig{Comment: "Rewrites /dir/ to /dir/index.html & keeps the query", Runtime: cloudfront.FunctionRuntimeJS20},
		ARN:    cloudfront.FunctionARN("111122223333", "index-rewrite"), Stage: cloudfront.FunctionStageDevelopment,
		CreatedTime:      time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC),
		LastModifiedTime: time.Date(2026, 12, 2, 8, 30, 0, 0, time.UTC)}
	live = cloudfront.FunctionSummary{Name: "minimal", Status: cloudfront.FunctionDeployed,
		Config: cloudfront.FunctionConfig{Runtime: cloudfront.FunctionRuntimeJS10},
		ARN:    cloudfront.FunctionARN("111122223333", "minimal"), Stage: cloudfront.FunctionStageLive,
		CreatedTime:      time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
		LastModifiedTime: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	return dev, live
}

// TestGoldenFunctionSummary: Name, Status, FunctionConfig and
// FunctionMetadata, in the model's order.
func TestGoldenFunctionSummary(t *testing.T) {
	dev, live := testFunctionSummaries()
	golden(t, "function.response.xml", EncodeFunctionSummary(dev))

	// Comment is always written; KeyValueStoreAssociations only when
	// there are some; CreatedTime only when set.
	live.CreatedTime = time.Time{}
	if got, want := string(EncodeFunctionSummary(live)), xmlwire.Prolog+`<FunctionSummary xmlns="`+Namespace+`"><Name>minimal</Name><Status>DEPLOYED</Status><FunctionConfig><Comment></Comment><Runtime>cloudfront-js-1.0</Runtime></FunctionConfig><FunctionMetadata><FunctionARN>arn:aws:cloudfront::111122223333:function/minimal</FunctionARN><Stage>LIVE</Stage><LastModifiedTime>2026-12-01T10:00:00.000Z</LastModifiedTime></FunctionMetadata></FunctionSummary>`; got != want {
		t.Errorf("minimal summary:\n got %s\nwant %s", got, want)
	}
	dev.Config.KeyValueStoreARNs = []string{kvsARN, "b"}
	if got, want := string(EncodeFunctionSummary(dev)), `<Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>2</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>`+kvsARN+`</KeyValueStoreARN></KeyValueStoreAssociation><KeyValueStoreAssociation><KeyValueStoreARN>b</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations></FunctionConfig><FunctionMetadata>`; !strings.Contains(got, want) {
		t.Errorf("associations:\n got %s\nwant it to hold %s", got, want)
	}
}

func TestGoldenFunctionList(t *testing.T) {
	dev, live := testFunctionSummaries()
	golden(t, "function-list.response.xml", EncodeFunctionList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.FunctionSummary{dev, live}))

	// The policy lists' head: NextMarker when truncated, no Marker, no
	// IsTruncated; an empty page has no Items. Each item is a whole
	// FunctionSummary.
	page := string(EncodeFunctionList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true},
		[]cloudfront.FunctionSummary{live}))
	summary := strings.TrimPrefix(string(EncodeFunctionSummary(live)), xmlwire.Prolog)
	summary = strings.Replace(summary, ` xmlns="`+Namespace+`"`, "", 1)
	if want := xmlwire.Prolog + `<FunctionList xmlns="` + Namespace + `"><NextMarker>b</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items>` + summary + `</Items></FunctionList>`; page != want {
		t.Errorf("truncated page:\n got %s\nwant %s", page, want)
	}
	empty := string(EncodeFunctionList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<FunctionList xmlns="` + Namespace + `"><MaxItems>100</MaxItems><Quantity>0</Quantity></FunctionList>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
}

// TestGoldenTestResult: the tested stage's summary, then what the run
// gave, every member written.
func TestGoldenTestResult(t *testing.T) {
	dev, _ := testFunctionSummaries()
	r := cloudfront.TestResult{Summary: dev, ComputeUtilization: "21",
		Logs:   []string{"rewriting /blog/", `uri is now "/blog/index.html" & done`},
		Output: `{"request":{"method":"GET","uri":"/blog/index.html","querystring":{},"headers":{"host":{"value":"www.example.com"}},"cookies":{}}}`}
	golden(t, "function-testresult.response.xml", EncodeTestResult(r))

	// A run that threw and logged nothing: the empty list and output are
	// written, as the error message is when there is none.
	failed := cloudfront.TestResult{Summary: dev, ComputeUtilization: "3",
		ErrorMessage: "TypeError: Cannot read property 'uri' of undefined"}
	out := string(EncodeTestResult(failed))
	if want := `</FunctionSummary><ComputeUtilization>3</ComputeUtilization><FunctionExecutionLogs></FunctionExecutionLogs><FunctionErrorMessage>TypeError: Cannot read property 'uri' of undefined</FunctionErrorMessage><FunctionOutput></FunctionOutput></TestResult>`; !strings.HasSuffix(out, want) {
		t.Errorf("failed run:\n got %s\nwant it to end %s", out, want)
	}
}

// TestTestResultUnsafeText: what a user's code logs, throws and returns
// may hold characters XML 1.0 cannot carry; each becomes U+FFFD, the
// document stays well-formed (encoding/xml, which the SDK's parser is,
// reads it), and every character XML can carry comes back as it was, a
// carriage return too.
func TestTestResultUnsafeText(t *testing.T) {
	dev, _ := testFunctionSummaries()
	r := cloudfront.TestResult{Summary: dev, ComputeUtilization: "5",
		Logs: []string{
			"nul \x00 byte",
			"\x1b[31mred\x1b[0m",
			"bell \a, form feed \f, DEL \x7f, C1 \u0085",
			"not UTF-8 \xff\xfe, a lone surrogate \xed\xa0\x80",
			"non-characters \ufffe \uffff",
			"tab\tLF\nCRLF\r\nCR\r",
			"</member>]]><![CDATA[&amp;",
			"",
		},
		ErrorMessage: "Error: \x01\x02",
		Output:       "{\"body\":\"\x00\"}"}
	want := []string{
		"nul \uFFFD byte",
		"\uFFFD[31mred\uFFFD[0m",
		"bell \uFFFD, form feed \uFFFD, DEL \x7f, C1 \u0085",
		"not UTF-8 \uFFFD\uFFFD, a lone surrogate \uFFFD\uFFFD\uFFFD",
		"non-characters \uFFFD \uFFFD",
		"tab\tLF\nCRLF\r\nCR\r",
		"</member>]]><![CDATA[&amp;",
		"",
	}
	out := EncodeTestResult(r)
	root, err := xmlwire.Parse(out, Namespace, "TestResult")
	if err != nil {
		t.Fatalf("%v\n%q", err, out)
	}
	texts := map[string][]string{}
	for _, k := range root.Kids {
		if k.Name == "FunctionExecutionLogs" {
			for _, m := range k.Kids {
				texts[m.Name] = append(texts[m.Name], string(m.Text))
			}
			continue
		}
		texts[k.Name] = append(texts[k.Name], string(k.Text))
	}
	if !slices.Equal(texts["member"], want) {
		t.Errorf("logs:\n got %q\nwant %q", texts["member"], want)
	}
	if got := texts["FunctionErrorMessage"]; !slices.Equal(got, []string{"Error: \uFFFD\uFFFD"}) {
		t.Errorf("error message %q", got)
	}
	if got := texts["FunctionOutput"]; !slices.Equal(got, []string{"{\"body\":\"\uFFFD\"}"}) {
		t.Errorf("output %q", got)
	}
}

// The fuzz targets: see codecCase.fuzz, seeded too with the blobs and
// lists clients get wrong.
func FuzzDecodeCreateFunctionRequest(f *testing.F) {
	f.Add([]byte(`<CreateFunctionRequest><Name>n</Name><FunctionConfig><Comment/><Runtime>r</Runtime><KeyValueStoreAssociations><Quantity>2</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>a</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations></FunctionConfig><FunctionCode>eA =\n=</FunctionCode><Tags><Items><Tag><Key>k</Key></Tag></Items></Tags></CreateFunctionRequest>`))
	createFunctionCase.fuzz(f)
}

func FuzzDecodeUpdateFunctionRequest(f *testing.F) {
	f.Add([]byte(`<UpdateFunctionRequest><FunctionConfig><Comment>c</Comment><Runtime>r</Runtime></FunctionConfig><FunctionCode><![CDATA[AP8A/w==]]></FunctionCode></UpdateFunctionRequest>`))
	updateFunctionCase.fuzz(f)
}

func FuzzDecodeTestFunctionRequest(f *testing.F) {
	f.Add([]byte(`<TestFunctionRequest><Stage>LIVE</Stage><EventObject>e3 0=</EventObject></TestFunctionRequest>`))
	testFunctionCase.fuzz(f)
}
