package edgefunc

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// FuzzRunJSON feeds arbitrary event bytes to a fixed simple handler: the
// call never panics, and either fails with an EventError or a RunError, or
// returns CloudFront's FunctionOutput JSON.
func FuzzRunJSON(f *testing.F) {
	for _, seed := range []string{
		`{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"198.51.100.11"},"request":{"method":"GET","uri":"/example.png","headers":{"host":{"value":"example.org"}}}}`,
		`{"context":{"eventType":"viewer-request"},"request":{"method":"GET","uri":"/a","querystring":{"a":{"value":"1","multiValue":[{"value":"1"},{"value":"2"}]}},"cookies":{"c":{"value":"v"}}}}`,
		`{"context":{"eventType":"viewer-response"},"request":{"method":"GET","uri":"/"},"response":{"statusCode":200,"headers":{"via":{"value":"x"}},"cookies":{"a":{"value":"1","attributes":"Path=/"}}}}`,
		`{"context":{"eventType":"viewer-request"},"request":{"method":"GET","uri":"/","headers":{"__proto__":{"value":"x"},"x-amz-cf-id":{"value":"y"}}}}`,
		`{}`, `null`, `[]`, `{"request":5}`,
	} {
		f.Add([]byte(seed))
	}
	p, err := Compile(Runtime20, []byte(`function handler(event) {
		var r = event.request;
		if (event.context.eventType === 'viewer-response') {
			event.response.headers['x-seen'] = {value: String(Object.keys(r.headers).length)};
			return event.response;
		}
		r.headers['x-uri'] = {value: r.uri.toLowerCase()};
		for (var k in r.querystring) r.querystring[k].value = r.querystring[k].value.trim();
		if (r.uri.endsWith('/')) r.uri += 'index.html';
		return r;
	}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ev []byte) {
		out, _, util, err := p.RunJSON(ev, Limits{Time: time.Second})
		if util < 0 || util > 100 {
			t.Fatalf("utilization %d", util)
		}
		if err != nil {
			var ee *EventError
			var re *RunError
			if !errors.As(err, &ee) && !errors.As(err, &re) {
				t.Fatalf("error of an unexpected type %T: %v", err, err)
			}
			if re != nil && !errors.Is(err, ErrValidation) && !errors.Is(err, ErrExecution) {
				t.Fatalf("RunError of no kind: %v", err)
			}
			return
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out, &got); err != nil || len(got) != 1 {
			t.Fatalf("output %s is not {request} or {response}: %v", out, err)
		}
	})
}

// FuzzRewriteImports feeds arbitrary code to the rewriting of import
// declarations: it never panics, rewrites only the leading declarations,
// never changes the code after them nor moves a line, and Compile (of
// code short enough to parse quickly) never panics either.
func FuzzRewriteImports(f *testing.F) {
	for _, seed := range []string{
		"import cf from 'cloudfront';\nconst kvsHandle = cf.kvs();\nasync function handler(event) { return event.request }",
		"\ufeff// c\n/* c */ import crypto from \"crypto\"\r\nimport qs from 'querystring'\u2028import x from'm'",
		"import\n  cf\n  from\n  'cloudfront' /* c\n */ ;",
		"import cf from 'cloudfront' /* c */ ; import {a} from 'b'; import c from 'd'",
		"var s = \"import x from 'y'\"; import z from 'w';",
		"`import x from 'y'`", "/* import x from 'y' */", "import", "import x", "import x from", "import x from '",
		"import\ncf\nfrom\n'm';", "import x from 'a\\'b'", "import \\u0061 from 'b'",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, spans := rewriteImports(src)
		checkRewrite(t, src, out, spans)
		if len(src) <= 4096 {
			_, _ = Compile(Runtime20, []byte(src))
		}
	})
}

const addHeader = `function handler(event) {
	var request = event.request;
	request.headers['x-custom-header'] = {value: 'example value'};
	return request;
}`

const urlRewrite = `function handler(event) {
	var request = event.request;
	var uri = request.uri;
	if (uri.endsWith('/')) {
		request.uri += 'index.html';
	} else if (!uri.includes('.')) {
		request.uri += '/index.html';
	}
	return request;
}`

// kvsGet is the docs' key value store example: a handle made at the top
// level, one get in the handler.
const kvsGet = `import cf from 'cloudfront';
const kvsHandle = cf.kvs();
async function handler(event) {
	const request = event.request;
	try {
		request.uri = '/' + await kvsHandle.get(request.uri.split('/')[1]) + request.uri;
	} catch (err) {
		console.log(err);
	}
	return request;
}`

func benchRun(b *testing.B, code string, ev *Event) {
	benchRunWith(b, code, ev, Limits{Time: time.Second})
}

func benchRunWith(b *testing.B, code string, ev *Event, lim Limits) {
	p := compile(b, Runtime20, code)
	if _, err := p.Run(ev, lim); err != nil { // warm the pool (on a busy host a first call may take more than the default 5 ms)
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Run(ev, lim); err != nil {
			b.Fatal(err)
		}
	}
}

// browserRequest is a viewer request with the headers a browser sends.
func browserRequest(uri string) *Event {
	ev := request(uri)
	ev.Request.Headers["user-agent"] = Value{Value: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
	ev.Request.Headers["accept-language"] = Value{Value: "en-GB,en;q=0.5"}
	ev.Request.Headers["accept-encoding"] = Value{Value: "gzip, deflate, br"}
	ev.Request.Cookies["session"] = Value{Value: "abc123"}
	return ev
}

// BenchmarkRunAddHeader is a warm Program adding one header.
func BenchmarkRunAddHeader(b *testing.B) { benchRun(b, addHeader, browserRequest("/")) }

// BenchmarkRunURLRewrite is the single-page-app rewrite.
func BenchmarkRunURLRewrite(b *testing.B) { benchRun(b, urlRewrite, browserRequest("/app/settings")) }

// BenchmarkRunKVSGet is a warm Program reading one key of its key value
// store (kvsGet).
func BenchmarkRunKVSGet(b *testing.B) {
	st := newStore(storeID, map[string]string{"app": "v2", "other": "v1"})
	benchRunWith(b, kvsGet, browserRequest("/app/settings"), Limits{Time: time.Second, KeyValueStore: st})
}

// BenchmarkRunAddHeaderNoPool is BenchmarkRunAddHeader with a fresh
// locked-down runtime per call: what pooling saves.
func BenchmarkRunAddHeaderNoPool(b *testing.B) {
	p := compile(b, Runtime20, addHeader)
	p.max = 0
	ev := browserRequest("/")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := p.Run(ev, Limits{Time: time.Second}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunJSON is TestFunction's path for the add-header function.
func BenchmarkRunJSON(b *testing.B) {
	p := compile(b, Runtime20, addHeader)
	ev := []byte(`{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"198.51.100.11"},"request":{"method":"GET","uri":"/example.png","headers":{"host":{"value":"example.org"}}}}`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := p.RunJSON(ev, Limits{Time: time.Second}); err != nil {
			b.Fatal(err)
		}
	}
}
