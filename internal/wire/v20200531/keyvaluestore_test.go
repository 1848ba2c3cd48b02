package v20200531

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// The key value store requests, like the functions' (function_test.go),
// have no document of their own to answer with, so the tests encode them
// themselves, in the model's member order (as botocore and the JS SDK
// send them): each testdata/keyvaluestore-*-{full,minimal}.config.xml is
// such a model-order request; the .request.xml files are what the SDKs
// really sent, aws-sdk-go-v2 v1.73.0 (alphabetical, full) and botocore
// 1.43 (model order, minimal).

// createKeyValueStoreRequest is what DecodeCreateKeyValueStoreRequest
// returns.
type createKeyValueStoreRequest struct {
	Config cloudfront.KeyValueStoreConfig
	Tags   []cloudfront.Tag
}

var createKeyValueStoreCase = codecCase[createKeyValueStoreRequest]{
	file: "keyvaluestore-create",
	root: "CreateKeyValueStoreRequest",
	decode: func(body []byte) (r createKeyValueStoreRequest, err error) {
		r.Config, r.Tags, err = DecodeCreateKeyValueStoreRequest(body)
		return r, err
	},
	encode: func(r createKeyValueStoreRequest) []byte {
		w := newDoc("CreateKeyValueStoreRequest")
		w.Text("Name", r.Config.Name)
		if r.Config.Comment != "" {
			w.Text("Comment", r.Config.Comment)
		}
		if s := r.Config.ImportSource; s != nil {
			w.Open("ImportSource")
			w.Text("SourceType", s.SourceType)
			w.Text("SourceARN", s.SourceARN)
			w.Close("ImportSource")
		}
		if r.Tags != nil {
			w.Open("Tags")
			w.tags(r.Tags)
			w.Close("Tags")
		}
		return w.Bytes("CreateKeyValueStoreRequest")
	},
	full: func() createKeyValueStoreRequest {
		return createKeyValueStoreRequest{Config: fullKeyValueStoreConfig(),
			Tags: []cloudfront.Tag{{Key: "team", Value: "web"}, {Key: "env", Value: "prod"}}}
	},
	minimal: func() createKeyValueStoreRequest {
		return createKeyValueStoreRequest{Config: cloudfront.KeyValueStoreConfig{Name: "minimal"}}
	},
	validate: func(r *createKeyValueStoreRequest) error {
		return cloudfront.DefaultRules().ValidateKeyValueStoreConfig(&r.Config)
	},
}

var updateKeyValueStoreCase = codecCase[string]{
	file:   "keyvaluestore-update",
	root:   "UpdateKeyValueStoreRequest",
	decode: DecodeUpdateKeyValueStoreRequest,
	encode: func(comment string) []byte {
		w := newDoc("UpdateKeyValueStoreRequest")
		w.Text("Comment", comment)
		return w.Bytes("UpdateKeyValueStoreRequest")
	},
	full:    func() string { return "Redirects & rewrites for www.example.com, <v2>" },
	minimal: func() string { return "" },
	validate: func(comment *string) error {
		return cloudfront.DefaultRules().ValidateKeyValueStoreConfig(&cloudfront.KeyValueStoreConfig{Name: "minimal", Comment: *comment})
	},
}

// The golden requests' import source.
const kvsImportARN = "arn:aws:s3:::example-kvs-imports/redirects/prod.json"

// fullKeyValueStoreConfig is the config of the full golden create
// request.
func fullKeyValueStoreConfig() cloudfront.KeyValueStoreConfig {
	return cloudfront.KeyValueStoreConfig{
		Name:         "redirects-prod",
		Comment:      "Redirects & rewrites for www.example.com",
		ImportSource: &cloudfront.KeyValueStoreImportSource{SourceType: "S3", SourceARN: kvsImportARN},
	}
}

// TestGoldenKeyValueStoreRequests: see codecCase.testGoldenConfigs (all
// four requests valid).
func TestGoldenKeyValueStoreRequests(t *testing.T) {
	t.Run("create", createKeyValueStoreCase.testGoldenConfigs)
	t.Run("update", updateKeyValueStoreCase.testGoldenConfigs)
}

// TestKeyValueStoreMemberOrder: the alphabetical requests (aws-sdk-go-v2)
// and the model-order ones decode alike; each request has all its
// members.
func TestKeyValueStoreMemberOrder(t *testing.T) {
	for _, tt := range []struct {
		name  string
		order func(*testing.T) *xmlwire.Node
		want  []string
	}{
		{"create", createKeyValueStoreCase.testMemberOrder, []string{"Comment", "ImportSource", "Name", "Tags"}},
		{"update", updateKeyValueStoreCase.testMemberOrder, []string{"Comment"}},
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

// TestKeyValueStoreRoundTrip: decode(encode(x)) == x, whatever the
// strings hold (values are not validated by the codec). An empty Comment
// is left out, as botocore leaves out an unset one, and decodes alike.
func TestKeyValueStoreRoundTrip(t *testing.T) {
	odd := createKeyValueStoreRequest{
		Config: cloudfront.KeyValueStoreConfig{Name: " <a>\r\n\t&'\"é ", Comment: "]]>",
			ImportSource: &cloudfront.KeyValueStoreImportSource{SourceType: " s3 ", SourceARN: "\r"}},
		Tags: []cloudfront.Tag{{}, {Key: "k", Value: "<&>\r"}}}
	createKeyValueStoreCase.testRoundTrip(t, map[string]createKeyValueStoreRequest{
		"full":                createKeyValueStoreCase.full(),
		"minimal":             createKeyValueStoreCase.minimal(),
		"odd values":          odd,
		"empty import source": {Config: cloudfront.KeyValueStoreConfig{Name: "n", ImportSource: &cloudfront.KeyValueStoreImportSource{}}},
		"all empty":           {},
	})
	updateKeyValueStoreCase.testRoundTrip(t, map[string]string{
		"full":       updateKeyValueStoreCase.full(),
		"minimal":    updateKeyValueStoreCase.minimal(),
		"odd values": " <a>\r\n\t&'\"é ]]>",
		"spaces":     "  ",
	})
}

// TestDecodeCreateKeyValueStoreAccepted: what clients really send that
// must decode, and what it decodes to.
func TestDecodeCreateKeyValueStoreAccepted(t *testing.T) {
	min, _ := createKeyValueStoreCase.requests(t)
	type request = createKeyValueStoreRequest
	same := func(r request) bool { return reflect.DeepEqual(r, createKeyValueStoreCase.minimal()) }
	source := func(typ, arn string) func(r request) bool {
		return func(r request) bool {
			s := r.Config.ImportSource
			return s != nil && s.SourceType == typ && s.SourceARN == arn
		}
	}
	withSource := func(inner string) string {
		return edit(min, "</Name>", "</Name><ImportSource>"+inner+"</ImportSource>")
	}
	tags := func(want ...cloudfront.Tag) func(r request) bool {
		return func(r request) bool { return slices.Equal(r.Tags, want) }
	}
	// botocore, with every member, in model order.
	botocore := `<CreateKeyValueStoreRequest xmlns="` + Namespace + `"><Name>redirects-prod</Name><Comment>Redirects &amp; rewrites for www.example.com</Comment><ImportSource><SourceType>S3</SourceType><SourceARN>` + kvsImportARN + `</SourceARN></ImportSource><Tags><Items><Tag><Key>team</Key><Value>web</Value></Tag></Items></Tags></CreateKeyValueStoreRequest>`
	createKeyValueStoreCase.testAccepted(t, map[string]acceptedBody[request]{
		"no namespace": {edit(min, ` xmlns="`+Namespace+`"`, ""), same},
		"with prolog":  {xmlwire.Prolog + min, same},
		"indented":     {strings.ReplaceAll(withSource("<SourceType>S3</SourceType><SourceARN>a</SourceARN>"), "><", ">\n  <"), source("S3", "a")},
		"botocore full": {botocore, func(r request) bool {
			return reflect.DeepEqual(r, request{Config: fullKeyValueStoreConfig(), Tags: []cloudfront.Tag{{Key: "team", Value: "web"}}})
		}},
		"no Comment":                 {min, func(r request) bool { return r.Config.Comment == "" }},
		"empty Comment self-closing": {edit(min, "<Name>", "<Comment/><Name>"), same},
		"empty Comment pair":         {edit(min, "<Name>", "<Comment></Comment><Name>"), same},
		"Comment kept as sent": {edit(min, "<Name>", "<Comment> a\tb </Comment><Name>"),
			func(r request) bool { return r.Config.Comment == " a\tb " }},
		"long Comment not refused": {edit(min, "<Name>", "<Comment>"+strings.Repeat("x", 200)+"</Comment><Name>"),
			func(r request) bool { return len(r.Config.Comment) == 200 }},
		"CDATA": {edit(min, "<Name>minimal</Name>", "<Name><![CDATA[a<b]]></Name>"),
			func(r request) bool { return r.Config.Name == "a<b" }},
		"name not validated": {edit(min, "<Name>minimal</Name>", "<Name>not a name!</Name>"),
			func(r request) bool { return r.Config.Name == "not a name!" }},
		"empty name not refused": {edit(min, "<Name>minimal</Name>", "<Name/>"),
			func(r request) bool { return r.Config.Name == "" }},
		"no ImportSource": {min, func(r request) bool { return r.Config.ImportSource == nil }},
		"import source in either order": {withSource("<SourceARN>a</SourceARN><SourceType>S3</SourceType>"),
			source("S3", "a")},
		"import source not validated": {withSource("<SourceType>s3</SourceType><SourceARN>arn:aws:s3:::bucket</SourceARN>"),
			source("s3", "arn:aws:s3:::bucket")},
		"empty import source values": {withSource("<SourceType/><SourceARN></SourceARN>"), source("", "")},
		"padded value kept": {withSource("<SourceType> S3 </SourceType><SourceARN>a</SourceARN>"),
			source(" S3 ", "a")},
		"empty Tags": {edit(min, "</CreateKeyValueStoreRequest>", "<Tags/></CreateKeyValueStoreRequest>"), tags()},
		"empty Tags Items": {edit(min, "</CreateKeyValueStoreRequest>", "<Tags><Items></Items></Tags></CreateKeyValueStoreRequest>"),
			tags()},
		"tag without Value": {edit(min, "</CreateKeyValueStoreRequest>", "<Tags><Items><Tag><Key>k</Key></Tag></Items></Tags></CreateKeyValueStoreRequest>"),
			tags(cloudfront.Tag{Key: "k"})},
	})
}

// TestDecodeUpdateKeyValueStoreAccepted: the update body's own cases.
func TestDecodeUpdateKeyValueStoreAccepted(t *testing.T) {
	min, _ := updateKeyValueStoreCase.requests(t)
	comment := func(want string) func(string) bool { return func(c string) bool { return c == want } }
	updateKeyValueStoreCase.testAccepted(t, map[string]acceptedBody[string]{
		"no namespace":         {edit(min, ` xmlns="`+Namespace+`"`, ""), comment("")},
		"with prolog":          {xmlwire.Prolog + min, comment("")},
		"indented":             {strings.ReplaceAll(min, "><", ">\n  <"), comment("")},
		"Comment pair":         {edit(min, "<Comment />", "<Comment></Comment>"), comment("")},
		"Comment kept as sent": {edit(min, "<Comment />", "<Comment> a\tb </Comment>"), comment(" a\tb ")},
		"CDATA":                {edit(min, "<Comment />", "<Comment><![CDATA[a<b]]></Comment>"), comment("a<b")},
		"long Comment not refused": {edit(min, "<Comment />", "<Comment>"+strings.Repeat("é", 200)+"</Comment>"),
			comment(strings.Repeat("é", 200))},
	})
}

// TestDecodeCreateKeyValueStoreBad: documents that must not decode, with
// the code each gets (MissingBody and MalformedXML, the protocol's own:
// the model lists InvalidArgument for a bad value, which validation
// gives).
func TestDecodeCreateKeyValueStoreBad(t *testing.T) {
	min, _ := createKeyValueStoreCase.requests(t)
	const mx = cloudfront.MalformedXML
	withSource := func(inner string) string {
		return edit(min, "</Name>", "</Name><ImportSource>"+inner+"</ImportSource>")
	}
	source := "<ImportSource><SourceType>S3</SourceType><SourceARN>a</SourceARN></ImportSource>"
	createKeyValueStoreCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"blank", " \n\t", cloudfront.MissingBody},
		{"malformed XML", edit(min, "</Name>", "</Nam>"), mx},
		{"not XML", "hello", mx},
		{"truncated", min[:len(min)-5], mx},
		{"wrong root", strings.ReplaceAll(min, "CreateKeyValueStoreRequest", "CreateKeyValueStore"), mx},
		{"update root", string(read(t, "keyvaluestore-update-minimal.request.xml")), mx},
		{"KeyValueStore root", string(EncodeKeyValueStore(cloudfront.KeyValueStore{Config: cloudfront.KeyValueStoreConfig{Name: "minimal"}})), mx},
		{"function root", string(read(t, "function-create-minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"other namespace", edit(min, "http://cloudfront.amazonaws.com/doc/2020-05-31/", "urn:x"), mx},
		{"two roots", min + min, mx},
		{"root holds text", edit(min, "<Name>", "text<Name>"), mx},
		{"missing Name", edit(min, "<Name>minimal</Name>", ""), mx},
		{"missing SourceType", withSource("<SourceARN>a</SourceARN>"), mx},
		{"missing SourceARN", withSource("<SourceType>S3</SourceType>"), mx},
		{"empty ImportSource", edit(min, "</Name>", "</Name><ImportSource/>"), mx},
		{"ImportSource holds text", withSource("S3"), mx},
		{"ImportSource unknown member", withSource("<SourceType>S3</SourceType><SourceARN>a</SourceARN><Region>us-east-1</Region>"), mx},
		{"repeated SourceARN", withSource("<SourceType>S3</SourceType><SourceARN>a</SourceARN><SourceARN>b</SourceARN>"), mx},
		{"SourceARN with elements", withSource("<SourceType>S3</SourceType><SourceARN><a/></SourceARN>"), mx},
		{"repeated ImportSource", edit(min, "</Name>", "</Name>"+source+source), mx},
		{"Id member", edit(min, "<Name>", "<Id>8aa76c93</Id><Name>"), mx},
		{"ARN member", edit(min, "<Name>", "<ARN>"+kvsARN+"</ARN><Name>"), mx},
		{"Status member", edit(min, "<Name>", "<Status>READY</Status><Name>"), mx},
		{"IfMatch member", edit(min, "<Name>", "<IfMatch>E1</IfMatch><Name>"), mx},
		{"SourceARN at the root", edit(min, "<Name>", "<SourceARN>a</SourceARN><Name>"), mx},
		{"unknown member", edit(min, "<Name>", "<Colour>red</Colour><Name>"), mx},
		{"repeated Name", edit(min, "<Name>minimal</Name>", "<Name>minimal</Name><Name>again</Name>"), mx},
		{"repeated Comment", edit(min, "<Name>", "<Comment>a</Comment><Comment>b</Comment><Name>"), mx},
		{"Name with elements", edit(min, "<Name>minimal</Name>", "<Name><b>minimal</b></Name>"), mx},
		{"Comment with elements", edit(min, "<Name>", "<Comment><p>x</p></Comment><Name>"), mx},
		{"Tags with Quantity", edit(min, "</CreateKeyValueStoreRequest>", "<Tags><Quantity>0</Quantity></Tags></CreateKeyValueStoreRequest>"), mx},
		{"Tag without Key", edit(min, "</CreateKeyValueStoreRequest>", "<Tags><Items><Tag><Value>v</Value></Tag></Items></Tags></CreateKeyValueStoreRequest>"), mx},
		{"malformed beats missing", edit(min, "<Name>minimal</Name>", "<Comment><x/></Comment>"), mx},
	})
}

// TestDecodeUpdateKeyValueStoreBad: the update body's own cases.
func TestDecodeUpdateKeyValueStoreBad(t *testing.T) {
	min, _ := updateKeyValueStoreCase.requests(t)
	const mx = cloudfront.MalformedXML
	updateKeyValueStoreCase.testBad(t, []badBody{
		{"empty", "", cloudfront.MissingBody},
		{"blank", "\n", cloudfront.MissingBody},
		{"not XML", "{}", mx},
		{"malformed XML", edit(min, "<Comment />", "<Comment>"), mx},
		{"truncated", min[:len(min)-5], mx},
		{"wrong root", strings.ReplaceAll(min, "UpdateKeyValueStoreRequest", "UpdateKeyValueStore"), mx},
		{"create root", string(read(t, "keyvaluestore-create-minimal.request.xml")), mx},
		{"KeyValueStore root", `<KeyValueStore xmlns="` + Namespace + `"><Comment/></KeyValueStore>`, mx},
		{"function update root", string(read(t, "function-update-minimal.request.xml")), mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"two roots", min + min, mx},
		{"root holds text", edit(min, "<Comment />", "text<Comment />"), mx},
		{"missing Comment", edit(min, "<Comment />", ""), mx},
		{"repeated Comment", edit(min, "<Comment />", "<Comment /><Comment>b</Comment>"), mx},
		{"Comment with elements", edit(min, "<Comment />", "<Comment><p>x</p></Comment>"), mx},
		{"Name member", edit(min, "<Comment />", "<Name>minimal</Name><Comment />"), mx},
		{"IfMatch member", edit(min, "<Comment />", "<IfMatch>E1</IfMatch><Comment />"), mx},
		{"ImportSource member", edit(min, "<Comment />", "<Comment /><ImportSource><SourceType>S3</SourceType><SourceARN>a</SourceARN></ImportSource>"), mx},
		{"Tags member", edit(min, "<Comment />", "<Comment /><Tags/>"), mx},
		{"unknown member", edit(min, "<Comment />", "<Comment /><Colour>red</Colour>"), mx},
		{"malformed beats missing", edit(min, "<Comment />", "<Colour><x/></Colour>"), mx},
	})
}

// testKeyValueStores: a store imported from S3, ready and holding keys,
// and one just created without a comment, still provisioning.
func testKeyValueStores() (full, minimal cloudfront.KeyValueStore) {
	created := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	fullConfig := fullKeyValueStoreConfig()
	fullConfig.Created, fullConfig.Status = created, cloudfront.KeyValueStoreReady
	fullConfig.Data = cloudfront.KeyValueItems{Items: []cloudfront.KeyValue{{Key: "/old", Value: "/new"}},
		ETag: "KVSDATAETAG", Modified: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)}
	full = cloudfront.KeyValueStore{ID: "8aa76c93-3198-462c-aaf6-example12345", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 1, 20, 0, 0, 123e6, time.UTC), ETag: "ETVPDKIKX0DER", Revision: 3,
		Config: fullConfig}
	minimal = cloudfront.KeyValueStore{ID: "54947df8-0e9e-4471-a2f9-9af509fb5889", AccountID: "111122223333",
		LastModifiedTime: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC), ETag: "E3EXAMPLEETAG", Revision: 1,
		Config: cloudfront.KeyValueStoreConfig{Name: "minimal", Created: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC),
			Status: cloudfront.KeyValueStoreProvisioning}}
	return full, minimal
}

// kvsLeaks: what a KeyValueStore document must never hold: the ETag (a
// header), the creation time, the import source, the tags and the keys.
var kvsLeaks = []string{"ETVPDKIKX0DER", "E3EXAMPLEETAG", "2026-11-30", "ImportSource", "example-kvs-imports",
	"Tags", "/old", "/new", "KVSDATAETAG", "2027-", "CreatedTime", "Revision"}

// TestGoldenKeyValueStore: Name, Id, Comment, ARN, Status and
// LastModifiedTime, in the model's order; the ARN is the one functions
// associate (function_test.go's kvsARN).
func TestGoldenKeyValueStore(t *testing.T) {
	full, minimal := testKeyValueStores()
	out := EncodeKeyValueStore(full)
	golden(t, "keyvaluestore.response.xml", out)
	for _, leak := range kvsLeaks {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q in %s", leak, out)
		}
	}
	if !bytes.Contains(out, []byte("<ARN>"+kvsARN+"</ARN>")) {
		t.Errorf("ARN is not %s: %s", kvsARN, out)
	}

	// Comment (required in the model) is always written, Status too.
	if got, want := string(EncodeKeyValueStore(minimal)), xmlwire.Prolog+`<KeyValueStore xmlns="`+Namespace+`"><Name>minimal</Name><Id>54947df8-0e9e-4471-a2f9-9af509fb5889</Id><Comment></Comment><ARN>arn:aws:cloudfront::111122223333:key-value-store/54947df8-0e9e-4471-a2f9-9af509fb5889</ARN><Status>PROVISIONING</Status><LastModifiedTime>2026-12-02T08:00:00.000Z</LastModifiedTime></KeyValueStore>`; got != want {
		t.Errorf("minimal store:\n got %s\nwant %s", got, want)
	}
}

func TestGoldenKeyValueStoreList(t *testing.T) {
	full, minimal := testKeyValueStores()
	out := EncodeKeyValueStoreList(cloudfront.ListPage{MaxItems: 100}, []cloudfront.KeyValueStore{full, minimal})
	golden(t, "keyvaluestore-list.response.xml", out)
	for _, leak := range kvsLeaks {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q in %s", leak, out)
		}
	}

	// The policy lists' head: NextMarker when truncated, no Marker, no
	// IsTruncated; an empty page has no Items. Each item is a whole
	// KeyValueStore.
	page := string(EncodeKeyValueStoreList(cloudfront.ListPage{Marker: "a", NextMarker: "b", MaxItems: 1, IsTruncated: true},
		[]cloudfront.KeyValueStore{minimal}))
	store := strings.TrimPrefix(string(EncodeKeyValueStore(minimal)), xmlwire.Prolog)
	store = strings.Replace(store, ` xmlns="`+Namespace+`"`, "", 1)
	if want := xmlwire.Prolog + `<KeyValueStoreList xmlns="` + Namespace + `"><NextMarker>b</NextMarker><MaxItems>1</MaxItems><Quantity>1</Quantity><Items>` + store + `</Items></KeyValueStoreList>`; page != want {
		t.Errorf("truncated page:\n got %s\nwant %s", page, want)
	}
	empty := string(EncodeKeyValueStoreList(cloudfront.ListPage{MaxItems: 100}, nil))
	if want := xmlwire.Prolog + `<KeyValueStoreList xmlns="` + Namespace + `"><MaxItems>100</MaxItems><Quantity>0</Quantity></KeyValueStoreList>`; empty != want {
		t.Errorf("empty page:\n got %s\nwant %s", empty, want)
	}
}

// TestKeyValueStoreDocumentParses: the documents are well-formed and
// carry what a client reads, whatever the strings hold.
func TestKeyValueStoreDocumentParses(t *testing.T) {
	s := cloudfront.KeyValueStore{ID: "i<d>", AccountID: "1&2", Config: cloudfront.KeyValueStoreConfig{
		Name: " <a>\r\n\t&'\"é ", Comment: "]]>\r", Status: cloudfront.KeyValueStoreFailed}}
	root, err := xmlwire.Parse(EncodeKeyValueStore(s), Namespace, "KeyValueStore")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var names []string
	for _, k := range root.Kids {
		names = append(names, k.Name)
		got[k.Name] = string(k.Text)
	}
	if want := []string{"Name", "Id", "Comment", "ARN", "Status", "LastModifiedTime"}; !slices.Equal(names, want) {
		t.Errorf("members %v, want %v", names, want)
	}
	want := map[string]string{"Name": s.Config.Name, "Id": s.ID, "Comment": s.Config.Comment,
		"ARN": cloudfront.KeyValueStoreARN(s.AccountID, s.ID), "Status": "FAILED", "LastModifiedTime": "0001-01-01T00:00:00.000Z"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%q\nwant\n%q", got, want)
	}
}

// The fuzz targets: see codecCase.fuzz, seeded too with the bodies
// clients get wrong.
func FuzzDecodeCreateKeyValueStoreRequest(f *testing.F) {
	f.Add([]byte(`<CreateKeyValueStoreRequest><Name>n</Name><Comment/><ImportSource><SourceARN>a</SourceARN></ImportSource><Tags><Items><Tag><Key>k</Key></Tag></Items></Tags></CreateKeyValueStoreRequest>`))
	f.Add([]byte(`<CreateKeyValueStoreRequest><Name><![CDATA[a]]></Name><ImportSource><SourceType/><SourceARN/></ImportSource></CreateKeyValueStoreRequest>`))
	createKeyValueStoreCase.fuzz(f)
}

func FuzzDecodeUpdateKeyValueStoreRequest(f *testing.F) {
	f.Add([]byte(`<UpdateKeyValueStoreRequest><Comment>&#xD;<![CDATA[x]]></Comment></UpdateKeyValueStoreRequest>`))
	updateKeyValueStoreCase.fuzz(f)
}
