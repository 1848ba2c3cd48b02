package edgefunc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// testLimits is generous: the tests check behaviour, not speed, and run
// under -race too.
var testLimits = Limits{Time: 2 * time.Second}

func compile(t testing.TB, runtime, code string) *Program {
	t.Helper()
	p, err := Compile(runtime, []byte(code))
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

func request(uri string) *Event {
	return &Event{
		Version: "1.0",
		Context: Context{EventType: ViewerRequest, DistributionID: "EDFDVBD6EXAMPLE", RequestID: "r1"},
		Viewer:  Viewer{IP: "198.51.100.11"},
		Request: Request{
			Method:      "GET",
			URI:         uri,
			Querystring: map[string]Value{},
			Headers:     map[string]Value{"host": {Value: "www.example.com"}, "accept": {Value: "text/html"}},
			Cookies:     map[string]Value{},
		},
	}
}

func response(status int) *Event {
	ev := request("/index.html")
	ev.Context.EventType = ViewerResponse
	ev.Response = &Response{
		StatusCode: status, StatusDescription: "OK",
		Headers: map[string]Value{"content-type": {Value: "text/html"}, "content-length": {Value: "12"}, "via": {Value: "1.1 edge"}},
		Cookies: map[string]Cookie{},
	}
	return ev
}

func with(ev *Event, f func(*Event)) *Event { f(ev); return ev }

// TestDocsExamples runs functions like the ones CloudFront's documentation
// and samples show, in both runtimes.
func TestDocsExamples(t *testing.T) {
	tests := []struct {
		name string
		code string
		ev   *Event
		want func(t *testing.T, r *Result)
		only string // a runtime, when the code needs one
	}{{
		name: "add a header",
		code: `function handler(event) {
			var request = event.request;
			request.headers['x-custom-header'] = {value: 'example value'};
			return request;
		}`,
		ev: request("/"),
		want: func(t *testing.T, r *Result) {
			if got := r.Request.Headers["x-custom-header"]; got.Value != "example value" {
				t.Errorf("x-custom-header = %+v", got)
			}
			if r.Request.Headers["host"].Value != "www.example.com" {
				t.Errorf("host lost: %+v", r.Request.Headers)
			}
		},
	}, {
		name: "redirect to https with the query string",
		code: `function handler(event) {
			var request = event.request;
			if (request.headers['cloudfront-forwarded-proto'] &&
				request.headers['cloudfront-forwarded-proto'].value === 'https') {
				return request;
			}
			var qs = [];
			for (var name in request.querystring) {
				qs.push(name + '=' + request.querystring[name].value);
			}
			return {
				statusCode: 301,
				statusDescription: 'Moved Permanently',
				headers: {location: {value: 'https://' + request.headers.host.value + request.uri + (qs.length ? '?' + qs.join('&') : '')}}
			};
		}`,
		ev: with(request("/a/b"), func(ev *Event) {
			ev.Request.Querystring["x"] = Value{Value: "1"}
			ev.Request.Headers["cloudfront-forwarded-proto"] = Value{Value: "http"}
		}),
		want: func(t *testing.T, r *Result) {
			if r.Request != nil || r.Response == nil {
				t.Fatalf("want a response, got %+v", r)
			}
			if r.Response.StatusCode != 301 || r.Response.Headers["location"].Value != "https://www.example.com/a/b?x=1" {
				t.Errorf("got %+v", r.Response)
			}
			if len(r.Response.Cookies) != 0 || r.Response.Body != nil {
				t.Errorf("generated response has cookies or body: %+v", r.Response)
			}
		},
	}, {
		name: "redirect to a country page",
		code: `function handler(event) {
			var request = event.request;
			var headers = request.headers;
			var country = headers['cloudfront-viewer-country'] ? headers['cloudfront-viewer-country'].value : '';
			var pages = {DE: '/de/index.html', IE: '/ie/index.html'};
			if (pages[country]) {
				return {statusCode: 302, statusDescription: 'Found',
					headers: {'location': {value: 'https://' + headers.host.value + pages[country]}, 'cloudfront-functions': {value: 'generated-by-CloudFront-Functions'}}};
			}
			return request;
		}`,
		ev: with(request("/"), func(ev *Event) { ev.Request.Headers["cloudfront-viewer-country"] = Value{Value: "DE"} }),
		want: func(t *testing.T, r *Result) {
			if r.Response == nil || r.Response.StatusCode != 302 || r.Response.Headers["location"].Value != "https://www.example.com/de/index.html" {
				t.Errorf("got %+v", r.Response)
			}
		},
	}, {
		name: "SPA rewrite appends index.html",
		code: `function handler(event) {
			var request = event.request;
			var uri = request.uri;
			if (uri.endsWith('/')) {
				request.uri += 'index.html';
			} else if (!uri.includes('.')) {
				request.uri += '/index.html';
			}
			return request;
		}`,
		ev: request("/app/settings"),
		want: func(t *testing.T, r *Result) {
			if r.Request.URI != "/app/settings/index.html" {
				t.Errorf("uri = %q", r.Request.URI)
			}
		},
	}, {
		name: "SPA rewrite of a directory",
		code: `function handler(event) {
			var request = event.request;
			if (request.uri.endsWith('/')) request.uri += 'index.html';
			return request;
		}`,
		ev: request("/docs/"),
		want: func(t *testing.T, r *Result) {
			if r.Request.URI != "/docs/index.html" {
				t.Errorf("uri = %q", r.Request.URI)
			}
		},
	}, {
		name: "cookie manipulation",
		code: `function handler(event) {
			var cookies = event.request.cookies;
			if (!cookies.ab_group) {
				cookies.ab_group = {value: Math.random() < 2 ? 'b' : 'a'};
			}
			delete cookies.tracking;
			if (cookies.session && cookies.session.multiValue) {
				cookies.session.multiValue = [cookies.session.multiValue[1]];
			}
			return event.request;
		}`,
		ev: with(request("/"), func(ev *Event) {
			ev.Request.Cookies = map[string]Value{
				"tracking": {Value: "123"},
				"session":  {Value: "old", MultiValue: []Value{{Value: "old"}, {Value: "new"}}},
			}
		}),
		want: func(t *testing.T, r *Result) {
			want := map[string]Value{"ab_group": {Value: "b"}, "session": {Value: "new"}}
			if !reflect.DeepEqual(r.Request.Cookies, want) {
				t.Errorf("cookies = %+v, want %+v", r.Request.Cookies, want)
			}
		},
	}, {
		name: "query string normalisation to a string",
		code: `function handler(event) {
			var qs = [];
			for (var key in event.request.querystring) {
				var p = event.request.querystring[key];
				if (p.multiValue) {
					p.multiValue.forEach(function (mv) { qs.push(key.toLowerCase() + '=' + mv.value); });
				} else {
					qs.push(key.toLowerCase() + '=' + p.value);
				}
			}
			event.request.querystring = qs.sort().join('&');
			return event.request;
		}`,
		ev: with(request("/"), func(ev *Event) {
			ev.Request.Querystring = map[string]Value{
				"B": {Value: "2"},
				"a": {Value: "9", MultiValue: []Value{{Value: "9"}, {Value: "1"}}},
			}
		}),
		want: func(t *testing.T, r *Result) {
			want := map[string]Value{"a": {Value: "1", MultiValue: []Value{{Value: "1"}, {Value: "9"}}}, "b": {Value: "2"}}
			if !reflect.DeepEqual(r.Request.Querystring, want) {
				t.Errorf("querystring = %+v, want %+v", r.Request.Querystring, want)
			}
			if got := r.Request.EncodeQuery(); got != "a=1&a=9&b=2" {
				t.Errorf("EncodeQuery = %q", got)
			}
		},
	}, {
		name: "query string normalisation as an object",
		code: `function handler(event) {
			var q = event.request.querystring, out = {};
			Object.keys(q).sort().forEach(function (k) {
				if (k.indexOf('utm_') !== 0) out[k.toLowerCase()] = q[k];
			});
			event.request.querystring = out;
			return event.request;
		}`,
		ev: with(request("/"), func(ev *Event) {
			ev.Request.Querystring = map[string]Value{"utm_source": {Value: "x"}, "Page": {Value: "2"}}
		}),
		want: func(t *testing.T, r *Result) {
			if want := map[string]Value{"page": {Value: "2"}}; !reflect.DeepEqual(r.Request.Querystring, want) {
				t.Errorf("querystring = %+v", r.Request.Querystring)
			}
		},
	}, {
		name: "viewer-response security headers",
		code: `function handler(event) {
			var response = event.response;
			var headers = response.headers;
			headers['strict-transport-security'] = {value: 'max-age=63072000; includeSubdomains; preload'};
			headers['content-security-policy'] = {value: "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'"};
			headers['x-content-type-options'] = {value: 'nosniff'};
			headers['x-frame-options'] = {value: 'DENY'};
			headers['x-xss-protection'] = {value: '1; mode=block'};
			headers['referrer-policy'] = {value: 'same-origin'};
			return response;
		}`,
		ev: response(200),
		want: func(t *testing.T, r *Result) {
			h := r.Response.Headers
			if h["x-frame-options"].Value != "DENY" || h["strict-transport-security"].Value == "" || h["content-type"].Value != "text/html" {
				t.Errorf("headers = %+v", h)
			}
			if r.Response.StatusCode != 200 || r.Response.StatusDescription != "OK" || r.Response.Body != nil {
				t.Errorf("response = %+v", r.Response)
			}
		},
	}, {
		name: "viewer-response replaces the body and sets a cookie",
		code: `function handler(event) {
			var response = event.response;
			response.statusCode = 200;
			response.headers['content-type'] = {value: 'text/plain'};
			response.cookies['id'] = {value: 'id1234', attributes: 'Secure; Path=/'};
			response.body = {encoding: 'text', data: 'custom'};
			return response;
		}`,
		ev: response(200),
		want: func(t *testing.T, r *Result) {
			if r.Response.Body == nil || *r.Response.Body != (Body{Encoding: "text", Data: "custom"}) {
				t.Errorf("body = %+v", r.Response.Body)
			}
			if c := r.Response.Cookies["id"]; !reflect.DeepEqual(c, Cookie{Value: "id1234", Attributes: "Secure; Path=/"}) {
				t.Errorf("cookie = %+v", c)
			}
		},
	}, {
		name: "crypto hashes and HMACs",
		code: `var crypto = require('crypto');
		function handler(event) {
			var h = event.request.headers;
			h['x-md5'] = {value: crypto.createHash('md5').update('abc').digest('hex')};
			h['x-sha1'] = {value: crypto.createHash('sha1').update('a').update('bc').digest('base64')};
			h['x-sha256'] = {value: crypto.createHash('sha256').update('abc').digest('base64url')};
			h['x-hmac'] = {value: crypto.createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex')};
			return event.request;
		}`,
		ev: request("/"),
		want: func(t *testing.T, r *Result) {
			h := r.Request.Headers
			want := map[string]string{
				"x-md5":    "900150983cd24fb0d6963f7d28e17f72",
				"x-sha1":   "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=",
				"x-sha256": "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0",
				"x-hmac":   "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
			}
			for k, v := range want {
				if h[k].Value != v {
					t.Errorf("%s = %q, want %q", k, h[k].Value, v)
				}
			}
		},
	}, {
		name: "querystring module",
		code: `var querystring = require('querystring');
		function handler(event) {
			var q = querystring.parse('name=value&abc=xyz&abc=123&sp=a+b&pct=%E2%82%AC&bad=%E2%82');
			var h = event.request.headers;
			h['x-parse'] = {value: JSON.stringify(q)};
			h['x-stringify'] = {value: querystring.stringify({name: 'value', abc: ['xyz', '123'], anotherName: ''})};
			h['x-escape'] = {value: querystring.escape('a b&c/é')};
			h['x-unescape'] = {value: querystring.unescape('a%20b%26c')};
			h['x-alias'] = {value: String(querystring.decode === querystring.parse && querystring.encode === querystring.stringify)};
			return event.request;
		}`,
		ev: request("/"),
		want: func(t *testing.T, r *Result) {
			h := r.Request.Headers
			want := map[string]string{
				"x-parse":     `{"name":"value","abc":["xyz","123"],"sp":"a b","pct":"€","bad":"` + "\ufffd\ufffd" + `"}`,
				"x-stringify": "name=value&abc=xyz&abc=123&anotherName=",
				"x-escape":    "a%20b%26c%2F%C3%A9",
				"x-unescape":  "a b&c",
				"x-alias":     "true",
			}
			for k, v := range want {
				if h[k].Value != v {
					t.Errorf("%s = %q, want %q", k, h[k].Value, v)
				}
			}
		},
	}, {
		name: "2.0 async handler, const, let, Buffer",
		only: Runtime20,
		code: `const crypto = require('crypto');
		async function answer() { return 42; }
		async function handler(event) {
			let v = await answer();
			const b = Buffer.from('hello world');
			const digest = crypto.createHash('sha256').update(b).digest();
			event.request.headers['x-answer'] = {value: String(v)};
			event.request.headers['x-b64'] = {value: b.toString('base64')};
			event.request.headers['x-digest'] = {value: Buffer.isBuffer(digest) + ':' + digest.toString('hex').slice(0, 8)};
			event.request.headers['x-json'] = {value: JSON.parse(Buffer.from('eyJhIjoxfQ', 'base64url')).a + ''};
			return event.request;
		}`,
		ev: request("/"),
		want: func(t *testing.T, r *Result) {
			h := r.Request.Headers
			if h["x-answer"].Value != "42" || h["x-b64"].Value != "aGVsbG8gd29ybGQ=" || h["x-digest"].Value != "true:b94d27b9" || h["x-json"].Value != "1" {
				t.Errorf("headers = %+v", h)
			}
		},
	}, {
		name: "1.0 byte strings and byte-string digests",
		only: Runtime10,
		code: `var crypto = require('crypto');
		function handler(event) {
			var h = event.request.headers;
			var bytes = String.bytesFrom('68656c6c6f', 'hex');
			h['x-bytes'] = {value: bytes};
			h['x-utf8'] = {value: 'é'.toUTF8().length + ':' + 'é'.toUTF8().fromUTF8()};
			h['x-digest'] = {value: String(crypto.createHash('md5').update('abc').digest().length)};
			h['x-tobytes'] = {value: String('€'.toBytes())};
			return event.request;
		}`,
		ev: request("/"),
		want: func(t *testing.T, r *Result) {
			h := r.Request.Headers
			if h["x-bytes"].Value != "hello" || h["x-utf8"].Value != "2:é" || h["x-digest"].Value != "16" || h["x-tobytes"].Value != "null" {
				t.Errorf("headers = %+v", h)
			}
		},
	}, {
		name: "multiValue: value change keeps the other values",
		code: `function handler(event) {
			event.request.headers.accept.value = 'application/json';
			return event.request;
		}`,
		ev: with(request("/"), func(ev *Event) {
			ev.Request.Headers["accept"] = Value{Value: "text/html", MultiValue: []Value{{Value: "text/html"}, {Value: "text/plain"}}}
		}),
		want: func(t *testing.T, r *Result) {
			if got := r.Request.Headers["accept"].Values(); !reflect.DeepEqual(got, []string{"application/json", "text/plain"}) {
				t.Errorf("accept = %q", got)
			}
		},
	}, {
		name: "multiValue: changed array wins over value",
		code: `function handler(event) {
			var a = event.request.headers.accept;
			a.value = 'ignored';
			a.multiValue.push({value: 'image/png'});
			return event.request;
		}`,
		ev: with(request("/"), func(ev *Event) {
			ev.Request.Headers["accept"] = Value{Value: "text/html", MultiValue: []Value{{Value: "text/html"}, {Value: "text/plain"}}}
		}),
		want: func(t *testing.T, r *Result) {
			if got := r.Request.Headers["accept"].Values(); !reflect.DeepEqual(got, []string{"text/html", "text/plain", "image/png"}) {
				t.Errorf("accept = %q", got)
			}
		},
	}, {
		name: "multiValue: a replaced object has one value",
		code: `function handler(event) {
			event.request.headers.accept = {value: 'application/json'};
			return event.request;
		}`,
		ev: with(request("/"), func(ev *Event) {
			ev.Request.Headers["accept"] = Value{Value: "text/html", MultiValue: []Value{{Value: "text/html"}, {Value: "text/plain"}}}
		}),
		want: func(t *testing.T, r *Result) {
			if got := r.Request.Headers["accept"]; !reflect.DeepEqual(got, Value{Value: "application/json"}) {
				t.Errorf("accept = %+v", got)
			}
		},
	}, {
		name: "Date is the start of the call",
		code: `function handler(event) {
			var a = Date.now();
			for (var i = 0; i < 10000; i++) {}
			event.request.headers['x-same'] = {value: String(a === Date.now() && a === new Date().getTime())};
			return event.request;
		}`,
		ev: request("/"),
		want: func(t *testing.T, r *Result) {
			if r.Request.Headers["x-same"].Value != "true" {
				t.Error("Date moved during the call")
			}
		},
	}, {
		name: "override of inherited built-ins on own objects",
		code: `function handler(event) {
			var h = event.request.headers;
			h['constructor'] = {value: 'c'};
			event.request.querystring['hasOwnProperty'] = {value: 'h'};
			var o = {}; o.toString = function () { return 'mine'; };
			var e = new Error('x'); e.name = 'MyError';
			h['x-o'] = {value: String(o) + '/' + String(e)};
			return event.request;
		}`,
		ev: request("/"),
		want: func(t *testing.T, r *Result) {
			h := r.Request.Headers
			if h["constructor"].Value != "c" || r.Request.Querystring["hasOwnProperty"].Value != "h" || h["x-o"].Value != "mine/MyError: x" {
				t.Errorf("headers = %+v", h)
			}
		},
	}}
	for _, tt := range tests {
		for _, rt := range []string{Runtime10, Runtime20} {
			if tt.only != "" && tt.only != rt {
				continue
			}
			t.Run(tt.name+"/"+rt, func(t *testing.T) {
				p := compile(t, rt, tt.code)
				for i := 0; i < 2; i++ { // a fresh runtime, then a pooled one
					r, err := p.Run(tt.ev, testLimits)
					if err != nil {
						t.Fatalf("Run: %v", err)
					}
					if (r.Request == nil) == (r.Response == nil) {
						t.Fatalf("want exactly one of Request and Response: %+v", r)
					}
					tt.want(t, r)
				}
			})
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		runtime, code, want string
	}{
		{Runtime20, `function handler(event) { return event.request`, "SyntaxError"},
		{Runtime20, `function handler(event) { with (event) {} return event.request }`, "SyntaxError"}, // strict mode
		{Runtime20, `function notHandler(event) { return event.request }`, "named handler"},
		{Runtime20, `function outer() { function handler(e) { return e.request } }`, "named handler"},
		{Runtime20, `return 1; function handler(e) { return e.request }`, "SyntaxError"},
		{Runtime20, `}); (function () { function handler(e) { return e.request }`, "SyntaxError"},
		{Runtime10, `const x = 1; function handler(e) { return e.request }`, "const is not supported"},
		{Runtime10, `function handler(e) { for (let i = 0; i < 1; i++) {} return e.request }`, "let is not supported"},
		{Runtime10, `async function handler(e) { return e.request }`, "async is not supported"},
		{Runtime10, `function handler(e) { var f = async () => 1; return e.request }`, "async is not supported"},
		{"cloudfront-js-3.0", `function handler(e) { return e.request }`, "unsupported runtime"},
		{Runtime20, "\xff", "UTF-8"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.runtime, []byte(tt.code))
		var ce *CompileError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%s, %q) = %v, want a CompileError with %q", tt.runtime, tt.code, err, tt.want)
		}
	}
	for _, code := range []string{
		`var handler = function (e) { return e.request };`,
		`const handler = (e) => e.request;`,
		`'use strict'; function handler(e) { return e.request }`,
		"function handler(e) { return e.request } // no newline at the end",
	} {
		if _, err := Compile(Runtime20, []byte(code)); err != nil {
			t.Errorf("Compile(%q): %v", code, err)
		}
	}
}

func TestExecutionErrors(t *testing.T) {
	tests := []struct {
		name, code string
		lim        Limits
		want       string
		timeout    bool
	}{
		{"throw", `function handler(e) { throw new TypeError('nope') }`, testLimits, "TypeError: nope", false},
		{"throw a string", `function handler(e) { throw 'plain' }`, testLimits, "Uncaught plain", false},
		{"reference error", `function handler(e) { return e.request.headers.missing.value }`, testLimits, "TypeError", false},
		{"implicit global in strict mode", `function handler(e) { leaked = 1; return e.request }`, testLimits, "ReferenceError", false},
		{"top-level throw", `throw new Error('at load'); function handler(e) { return e.request }`, testLimits, "Error: at load", false},
		{"handler not a function", `var handler = 42;`, testLimits, "handler is not a function", false},
		{"infinite loop", `function handler(e) { while (true) {} }`, Limits{Time: 20 * time.Millisecond}, "time limit", true},
		{"infinite allocation", `function handler(e) { var a = []; while (true) { a.push(new Array(1000).join('x')) } }`, Limits{Time: 20 * time.Millisecond}, "time limit", true},
		{"timeout in a getter of the result", `function handler(e) { return { get uri() { while (true) {} }, method: 'GET' } }`, Limits{Time: 20 * time.Millisecond}, "time limit", true},
		{"timeout in describing a thrown object", `function handler(e) { throw { get x() { while (true) {} } } }`, Limits{Time: 20 * time.Millisecond}, "", true},
		{"deep recursion", `function f(n) { return f(n + 1) + 1 } function handler(e) { return f(0) }`, testLimits, "Maximum call stack size exceeded", false},
		{"recursion through natives", `function f() { return [1].map(f) } function handler(e) { return f() }`, testLimits, "Maximum call stack size exceeded", false},
		{"require of an unknown module", `function handler(e) { require('fs'); return e.request }`, testLimits, "Cannot find module 'fs'", false},
		{"console.error does not exist", `function handler(e) { console.error('x'); return e.request }`, testLimits, "TypeError", false},
		{"eval", `function handler(e) { return eval('e.request') }`, testLimits, "EvalError: Dynamic code evaluation is not supported", false},
		{"Function constructor", `function handler(e) { return new Function('return 1')() }`, testLimits, "EvalError", false},
		{"Function constructor via a prototype", `function handler(e) { return (function () {}).constructor('return 1')() }`, testLimits, "EvalError", false},
		{"timers do not exist", `function handler(e) { setTimeout(function () {}, 1); return e.request }`, testLimits, "ReferenceError", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, Runtime20, tt.code)
			start := time.Now()
			r, err := p.Run(request("/"), tt.lim)
			if err == nil {
				t.Fatalf("Run = %+v, want an error", r)
			}
			if !errors.Is(err, ErrExecution) || errors.Is(err, ErrValidation) {
				t.Errorf("error %v is not (only) an ErrExecution", err)
			}
			if errors.Is(err, ErrTimeout) != tt.timeout {
				t.Errorf("errors.Is(%v, ErrTimeout) = %v", err, !tt.timeout)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.timeout && time.Since(start) > tt.lim.Time+time.Second {
				t.Errorf("the call took %v with a limit of %v", time.Since(start), tt.lim.Time)
			}
			// The Program still works afterwards.
			ok := compile(t, Runtime20, `function handler(e) { return e.request }`)
			if _, err := ok.Run(request("/"), testLimits); err != nil {
				t.Errorf("a later call: %v", err)
			}
		})
	}
}

func TestAsync(t *testing.T) {
	tests := []struct {
		name, code, want string
	}{
		{"rejected", `async function handler(e) { throw new Error('async boom') }`, "Error: async boom"},
		{"never settles", `function handler(e) { return new Promise(function () {}) }`, "never settled"},
		{"awaits a chain", `async function sq(x) { return x * x } async function handler(e) { e.request.headers['x-v'] = {value: String(await sq(await sq(3)))}; return e.request }`, ""},
		{"promise combinator", `async function handler(e) { var v = await Promise.all([1, Promise.resolve(2)]); e.request.headers['x-v'] = {value: v.join()}; return e.request }`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, Runtime20, tt.code)
			r, err := p.Run(request("/"), testLimits)
			if tt.want == "" {
				if err != nil || r.Request == nil || r.Request.Headers["x-v"].Value == "" {
					t.Errorf("Run = %+v, %v", r, err)
				}
				return
			}
			if !errors.Is(err, ErrExecution) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run error = %v, want one with %q", err, tt.want)
			}
		})
	}
	p := compile(t, Runtime20, `async function spin() { while (true) { await null } } async function handler(e) { await spin(); return e.request }`)
	if _, err := p.Run(request("/"), Limits{Time: 20 * time.Millisecond}); !errors.Is(err, ErrTimeout) {
		t.Errorf("an endless chain of awaits: %v, want a timeout", err)
	}
	// In 1.0 a returned Promise is not unwrapped: it is not a request.
	p = compile(t, Runtime10, `function handler(e) { return Promise.resolve(e.request) }`)
	if _, err := p.Run(request("/"), testLimits); !errors.Is(err, ErrValidation) {
		t.Errorf("1.0 returning a Promise: %v, want a validation error", err)
	}
}

// TestValidation: what CloudFront would refuse from a handler is an
// ErrValidation, which the edge answers with 503 FunctionValidationError.
func TestValidation(t *testing.T) {
	tests := []struct {
		name string
		ev   *Event
		code string // the body of handler(event)
		want string
	}{
		{"undefined", request("/"), `return;`, "not undefined"},
		{"a string", request("/"), `return 'x';`, "not a string"},
		{"null", request("/"), `return null;`, "not null"},
		{"a function", request("/"), `return function () {};`, "not a function"},
		{"the event itself", request("/"), `return event;`, "has no method"},
		{"request without uri", request("/"), `delete event.request.uri; return event.request;`, "no uri"},
		{"request without method", request("/"), `delete event.request.method; return event.request;`, "no method"},
		{"changed method", request("/"), `event.request.method = 'POST'; return event.request;`, "read-only"},
		{"uri without a slash", request("/"), `event.request.uri = 'index.html'; return event.request;`, "forward slash"},
		{"uri with a space", request("/"), `event.request.uri = '/a b'; return event.request;`, "spaces"},
		{"uri too long", request("/"), `event.request.uri = '/' + 'a'.repeat(9000); return event.request;`, "8192"},
		{"number header value", request("/"), `event.request.headers['x-n'] = {value: 1}; return event.request;`, "must be a string"},
		{"header without value", request("/"), `event.request.headers['x-n'] = {}; return event.request;`, "must be a string"},
		{"header not an object", request("/"), `event.request.headers['x-n'] = 'v'; return event.request;`, "must be an object"},
		{"headers not an object", request("/"), `event.request.headers = 5; return event.request;`, "must be an object"},
		{"upper-case header name", request("/"), `event.request.headers['X-Custom'] = {value: 'v'}; return event.request;`, "lower-case"},
		{"invalid header name", request("/"), `event.request.headers['x y'] = {value: 'v'}; return event.request;`, "invalid header name"},
		{"header injection", request("/"), `event.request.headers['x-a'] = {value: 'v\r\nx-b: w'}; return event.request;`, "line break"},
		{"disallowed header", request("/"), `event.request.headers['x-forwarded-proto'] = {value: 'https'}; return event.request;`, "may not add"},
		{"disallowed header prefix", request("/"), `event.request.headers['x-amz-cf-pop'] = {value: 'x'}; return event.request;`, "may not add"},
		{"changed host", request("/"), `event.request.headers.host = {value: 'evil.example'}; return event.request;`, "host header is read-only"},
		{"removed host", request("/"), `delete event.request.headers.host; return event.request;`, "host header is read-only"},
		{"added via", request("/"), `event.request.headers.via = {value: '1.1 x'}; return event.request;`, "via header is read-only"},
		{"cookie as a header", request("/"), `event.request.headers.cookie = {value: 'a=1'}; return event.request;`, "request.cookies"},
		{"cookie value with ;", request("/"), `event.request.cookies.a = {value: '1; b=2'}; return event.request;`, "invalid value for cookie"},
		{"query value with #", request("/"), `event.request.querystring.a = {value: 'x#y'}; return event.request;`, "query string"},
		{"query string with a space", request("/"), `event.request.querystring = 'a=b c'; return event.request;`, "query string"},
		{"multiValue not an array", request("/"), `event.request.headers['x-a'] = {value: 'a', multiValue: 'b'}; return event.request;`, "must be an array"},
		{"multiValue item without value", request("/"), `event.request.headers['x-a'] = {value: 'a', multiValue: [{}]}; return event.request;`, "must be a string"},
		{"status code as a string", request("/"), `return {statusCode: '302'};`, "must be a number"},
		{"status code below 200", request("/"), `return {statusCode: 101};`, "between 200 and 599"},
		{"status code above 599", request("/"), `return {statusCode: 600};`, "between 200 and 599"},
		{"fractional status code", request("/"), `return {statusCode: 200.5};`, "integer"},
		{"status description not a string", request("/"), `return {statusCode: 200, statusDescription: 5};`, "must be a string"},
		{"body with an unknown encoding", request("/"), `return {statusCode: 200, body: {encoding: 'gzip', data: 'x'}};`, "text or base64"},
		{"body that is not base64", request("/"), `return {statusCode: 200, body: {encoding: 'base64', data: '***'}};`, "not valid base64"},
		{"body of the wrong type", request("/"), `return {statusCode: 200, body: 5};`, "response.body"},
		{"set-cookie as a header", request("/"), `return {statusCode: 200, headers: {'set-cookie': {value: 'a=1'}}};`, "response.cookies"},
		{"generated response with content-length", request("/"), `return {statusCode: 200, headers: {'content-length': {value: '3'}}, body: 'abc'};`, "read-only"},
		{"response cookie with CR", request("/"), `return {statusCode: 200, cookies: {a: {value: '1', attributes: 'Path=/\r\nX: y'}}};`, "line break"},
		{"viewer-response returning the request", response(200), `return event.request;`, "must return a response"},
		{"viewer-response changing via", response(200), `event.response.headers.via = {value: 'x'}; return event.response;`, "via header is read-only"},
		{"viewer-response adding warning", response(200), `event.response.headers.warning = {value: '199 x'}; return event.response;`, "warning header is read-only"},
		{"viewer-response status out of range", response(200), `event.response.statusCode = 99; return event.response;`, "between 200 and 599"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, Runtime20, "function handler(event) {"+tt.code+"}")
			r, err := p.Run(tt.ev, testLimits)
			if !errors.Is(err, ErrValidation) || errors.Is(err, ErrExecution) {
				t.Fatalf("Run = %+v, %v; want an ErrValidation", r, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// TestValidationAccepts: what the docs allow passes, including choices
// made where they are silent.
func TestValidationAccepts(t *testing.T) {
	tests := []struct {
		name string
		ev   *Event
		code string
	}{
		// "Status code and body": a viewer-response function may replace
		// the body (the docs' example response object has one), so a body
		// on viewer-response is valid, not an error.
		{"viewer-response body", response(200), `event.response.body = {data: 'PGI+', encoding: 'base64'}; return event.response;`},
		{"viewer-response body shortcut", response(200), `event.response.body = 'plain'; return event.response;`},
		// The docs' tip says to align content-length/content-encoding with
		// a new body: they are not read-only in viewer-response.
		{"viewer-response content-length", response(200), `event.response.headers['content-length'] = {value: '5'}; return event.response;`},
		{"viewer-response status change", response(200), `event.response.statusCode = 404; return event.response;`},
		{"generated response without headers", request("/"), `return {statusCode: 401, statusDescription: 'Unauthorized'};`},
		{"unchanged read-only headers", request("/"), `return event.request;`},
		{"querystring removed", request("/"), `delete event.request.querystring; return event.request;`},
		{"header removed", request("/"), `delete event.request.headers.accept; return event.request;`},
		{"uri unchanged even if odd", with(request("/a b"), func(*Event) {}), `return event.request;`},
		{"string statusCode object wrapper is not used", request("/"), `return {statusCode: 204};`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, Runtime20, "function handler(event) {"+tt.code+"}")
			if _, err := p.Run(tt.ev, testLimits); err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
}

// TestCleanState is the tenant-safety property: whatever one call does to
// its globals, the next call (possibly for another viewer) starts afresh.
func TestCleanState(t *testing.T) {
	code := `
	var calls = 0;
	let cache = {};
	const seen = [];
	function handler(event) {
		calls++;
		var h = event.request.headers, me = h['x-viewer'].value;
		var out = [];
		out.push('calls=' + calls);
		out.push('cache=' + JSON.stringify(cache));
		out.push('seen=' + seen.join(','));
		out.push('global=' + typeof globalThis.lastViewer);
		out.push('proto=' + ({}).polluted);
		out.push('array=' + typeof [].evil);
		out.push('json=' + (JSON.stringify === JSON.stringify && typeof JSON.parse));
		cache[me] = true;
		seen.push(me);
		try { globalThis.lastViewer = me } catch (e) { out.push('global-write:' + e.name) }
		try { Object.prototype.polluted = me } catch (e) { out.push('proto-write:' + e.name) }
		try { Array.prototype.evil = function () {} } catch (e) { out.push('array-write:' + e.name) }
		try { JSON.parse = function () { return me } } catch (e) { out.push('json-write:' + e.name) }
		try { Object.defineProperty(globalThis, 'hidden', {value: me}) } catch (e) { out.push('define:' + e.name) }
		try { event.request.headers['__proto__'].value = me } catch (e) {}
		try { var q = require('querystring'); q.parse = null } catch (e) { out.push('module-write:' + e.name) }
		try { Object.getPrototypeOf(function* () {}).prototype.next = null } catch (e) { out.push('generator-write:' + e.name) }
		h['x-state'] = {value: out.join(' ')};
		return event.request;
	}`
	want := "calls=1 cache={} seen= global=undefined proto=undefined array=undefined json=function" +
		" global-write:TypeError proto-write:TypeError array-write:TypeError json-write:TypeError" +
		" define:TypeError module-write:TypeError generator-write:TypeError"
	for _, rt := range []string{Runtime10, Runtime20} {
		code := code
		if rt == Runtime10 {
			code = strings.NewReplacer("let ", "var ", "const ", "var ").Replace(code)
		}
		p := compile(t, rt, code)
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					ev := request("/")
					ev.Request.Headers["x-viewer"] = Value{Value: "viewer" + string(rune('a'+g))}
					r, err := p.Run(ev, testLimits)
					if err != nil {
						t.Errorf("%s: Run: %v", rt, err)
						return
					}
					if got := r.Request.Headers["x-state"].Value; got != want {
						t.Errorf("%s call %d: state\n got %s\nwant %s", rt, i, got, want)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
}

// TestLockdownComplete walks every object reachable from a locked-down
// runtime's globals and modules and checks it is frozen, and that the
// Function constructors are gone.
func TestLockdownComplete(t *testing.T) {
	for _, rt := range []string{Runtime10, Runtime20} {
		async, asyncCtor := "", ""
		if rt == Runtime20 {
			async, asyncCtor = "Object.getPrototypeOf(async function () {}),", ", Object.getPrototypeOf(async function () {}).constructor"
		}
		p := compile(t, rt, strings.NewReplacer("ASYNCCTOR", asyncCtor, "ASYNC", async).Replace(`function handler(event) {
			var roots = [globalThis, require('crypto'), require('querystring'),
				Object.getPrototypeOf(function* () {}), ASYNC
				Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map().entries()),
				Object.getPrototypeOf(new Set().values()), Object.getPrototypeOf(''[Symbol.iterator]())];
			if (typeof Buffer === 'function') roots.push(require('buffer'), require('cloudfront'));
			var seen = new Set(), queue = roots.slice(), bad = [], n = 0;
			var dynamic = ['Function', 'GeneratorFunction', 'AsyncFunction'];
			while (queue.length) {
				var o = queue.pop();
				if (seen.has(o)) continue;
				seen.add(o); n++;
				if (!Object.isFrozen(o)) bad.push('not frozen: ' + (o.name || String(Object.keys(o).slice(0, 3))));
				if (typeof o === 'function') {
					try { o('return 1'); } catch (e) { }
				}
				var next = [Object.getPrototypeOf(o)];
				Reflect.ownKeys(o).forEach(function (k) {
					var d = Object.getOwnPropertyDescriptor(o, k);
					if ('value' in d) next.push(d.value); else { next.push(d.get); next.push(d.set); }
				});
				next.forEach(function (v) { if ((typeof v === 'object' && v !== null) || typeof v === 'function') queue.push(v); });
			}
			[Function, Object.getPrototypeOf(function* () {}).constructor ASYNCCTOR].forEach(function (F) {
				try { F('return 1'); bad.push('callable: ' + F.name); } catch (e) { if (e.name !== 'EvalError') bad.push(F.name + ' threw ' + e); }
			});
			event.request.headers['x-bad'] = {value: bad.slice(0, 5).join('; ')};
			event.request.headers['x-n'] = {value: String(n)};
			return event.request;
		}`))
		r, err := p.Run(request("/"), testLimits)
		if err != nil {
			t.Fatalf("%s: %v", rt, err)
		}
		if bad := r.Request.Headers["x-bad"].Value; bad != "" {
			t.Errorf("%s: %s", rt, bad)
		}
		t.Logf("%s: %s objects reachable, all frozen", rt, r.Request.Headers["x-n"].Value)
	}
}

// TestNativeGuards: built-ins that goja cannot interrupt are refused
// work sized by a huge length, so the call ends (with an error) instead
// of pinning the goroutine or exhausting memory.
func TestNativeGuards(t *testing.T) {
	for _, code := range []string{
		`Array.prototype.indexOf.call({length: 2 ** 40}, 1)`,
		`Array.prototype.join.call({length: 2 ** 40}, '')`,
		`var a = []; a.length = 2 ** 32 - 1; a.join('')`,
		`var a = []; a.length = 2 ** 32 - 1; String(a)`,
		`var a = []; a.length = 2 ** 32 - 1; a.includes(1)`,
		`Array.prototype.forEach.call({length: 2 ** 40}, Math.abs)`,
		`Array.from({length: 2 ** 30})`,
		`Math.max.apply(null, {length: 2 ** 30})`,
		`Reflect.apply(Math.max, null, {length: 2 ** 30})`,
		`'x'.repeat(2 ** 30)`,
		`'x'.padStart(2 ** 30)`,
		`new ArrayBuffer(2 ** 31)`,
		`new Uint8Array(2 ** 31)`,
		`new Float64Array({length: 2 ** 31})`,
		`Uint8Array.from({length: 2 ** 31})`,
		`Buffer.alloc(2 ** 31)`,
		`new Buffer(2 ** 31)`,
		`var a = []; a.length = 2 ** 32 - 1; new Set(a)`,
		`var a = []; a.length = 2 ** 32 - 1; Promise.all(a)`,
		`/(?<=a)(a+)+$/.test('a'.repeat(40) + 'b')`,
	} {
		t.Run(code, func(t *testing.T) {
			p := compile(t, Runtime20, `function handler(event) { `+code+`; return event.request; }`)
			start := time.Now()
			_, err := p.Run(request("/"), Limits{Time: 50 * time.Millisecond})
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v", took)
			}
			if strings.HasPrefix(code, "/(?<=") {
				return // a timed-out match fails; the call may succeed
			}
			if !errors.Is(err, ErrExecution) {
				t.Errorf("Run: %v, want an execution error", err)
			}
		})
	}
	// Guarded built-ins still work as built-ins.
	p := compile(t, Runtime20, `class Bytes extends Uint8Array {}
	function handler(event) {
		var out = [
			[1, 2, 3].map(function (x) { return x * 2 }).join('-'),
			Array.from('abc').indexOf('b'),
			Math.max.apply(null, [1, 5, 3]),
			'ab'.repeat(2) + 'x'.padStart(3, '.'),
			new Uint8Array([1, 2]).length + new Bytes(4).length,
			new Bytes(2) instanceof Uint8Array, Object.getPrototypeOf(new Uint8Array(1)).constructor === Uint8Array,
			new Map([[1, 2]]).get(1), new Set([1, 1]).size, Uint8Array.from([7])[0],
			new ArrayBuffer(8).byteLength, [].concat([1], [2]).length
		];
		event.request.headers['x-out'] = {value: out.join(',')};
		return event.request;
	}`)
	r, err := p.Run(request("/"), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Request.Headers["x-out"].Value, "2-4-6,1,5,abab..x,6,true,true,2,1,7,8,2"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestLogs(t *testing.T) {
	p := compile(t, Runtime20, `function handler(event) {
		console.log('plain', 1, true, null, undefined, {a: [1, 'x']}, new Error('oops'));
		for (var i = 0; i < 2000; i++) console.log('line ' + i + ' ' + 'x'.repeat(20));
		return event.request;
	}`)
	_, logs, _, err := p.RunJSON([]byte(`{"context":{"eventType":"viewer-request"},"request":{"method":"GET","uri":"/"}}`), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	if want := `plain 1 true null undefined {"a":[1,"x"]} Error: oops`; logs[0] != want {
		t.Errorf("logs[0] = %q, want %q", logs[0], want)
	}
	n := 0
	for _, l := range logs {
		n += len(l) + 1
	}
	if n > MaxLogBytes+1 || n < MaxLogBytes/2 {
		t.Errorf("logs total %d bytes, want about %d (CloudFront truncates at 10 KB)", n, MaxLogBytes)
	}
}

// TestRunJSON runs the docs' example test event and checks the output is
// CloudFront's FunctionOutput form.
func TestRunJSON(t *testing.T) {
	const docsEvent = `{
		"version": "1.0",
		"context": {"eventType": "viewer-request"},
		"viewer": {"ip": "198.51.100.11"},
		"request": {
			"method": "GET",
			"uri": "/example.png",
			"headers": {"host": {"value": "example.org"}}
		}
	}`
	p := compile(t, Runtime10, `function handler(event) {
		console.log('uri ' + event.request.uri + ' from ' + event.viewer.ip);
		return {
			statusCode: 302,
			statusDescription: 'Found',
			headers: {
				'cloudfront-functions': {value: 'generated-by-CloudFront-Functions'},
				'location': {value: 'https://aws.amazon.com/cloudfront/'}
			}
		};
	}`)
	out, logs, util, err := p.RunJSON([]byte(docsEvent), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"response":{"statusCode":302,"statusDescription":"Found","headers":{"cloudfront-functions":{"value":"generated-by-CloudFront-Functions"},"location":{"value":"https://aws.amazon.com/cloudfront/"}},"cookies":{}}}`
	if string(out) != want {
		t.Errorf("out = %s\nwant  %s", out, want)
	}
	if len(logs) != 1 || logs[0] != "uri /example.png from 198.51.100.11" {
		t.Errorf("logs = %q", logs)
	}
	if util < 0 || util > 100 {
		t.Errorf("utilization = %d", util)
	}

	// The request form, with the query string, headers and cookies the
	// test event omitted present and empty.
	p = compile(t, Runtime20, `function handler(event) { return event.request }`)
	out, _, _, err = p.RunJSON([]byte(docsEvent), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got["request"]["uri"] != "/example.png" || got["request"]["querystring"] == nil || got["request"]["cookies"] == nil {
		t.Errorf("out = %s", out)
	}

	// Failures still report logs and utilization.
	p = compile(t, Runtime20, `function handler(event) { console.log('before'); while (true) {} }`)
	_, logs, util, err = p.RunJSON([]byte(docsEvent), Limits{Time: 10 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) || util != 100 || len(logs) != 1 {
		t.Errorf("timeout: err %v, utilization %d, logs %q", err, util, logs)
	}

	// The docs' full example event (viewer-response), with multiValue.
	const fullEvent = `{"version":"1.0","context":{"distributionDomainName":"d111111abcdef8.cloudfront.net","distributionId":"EDFDVBD6EXAMPLE","eventType":"viewer-response","requestId":"EXAMPLE=="},
	"viewer":{"ip":"198.51.100.11"},
	"request":{"method":"GET","uri":"/media/index.mpd","querystring":{"ID":{"value":"42"},"querymv":{"value":"val1","multiValue":[{"value":"val1"},{"value":"val2,val3"}]}},
		"headers":{"host":{"value":"video.example.com"},"accept":{"value":"application/json","multiValue":[{"value":"application/json"},{"value":"application/xml"}]}},
		"cookies":{"Cookie1":{"value":"value1"}}},
	"response":{"statusCode":200,"statusDescription":"OK","headers":{"content-type":{"value":"application/json"}},
		"cookies":{"Cookie1":{"value":"val1","attributes":"Secure; Path=/","multiValue":[{"value":"val1","attributes":"Secure; Path=/"},{"value":"val2","attributes":"Path=/cat"}]}}}}`
	p = compile(t, Runtime20, `function handler(event) {
		var r = event.response;
		r.headers['x-accepts'] = {value: String(event.request.headers.accept.multiValue.length)};
		return r;
	}`)
	out, _, _, err = p.RunJSON([]byte(fullEvent), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	wantResp := `{"response":{"statusCode":200,"statusDescription":"OK","headers":{"content-type":{"value":"application/json"},"x-accepts":{"value":"2"}},"cookies":{"Cookie1":{"value":"val1","attributes":"Secure; Path=/","multiValue":[{"value":"val1","attributes":"Secure; Path=/"},{"value":"val2","attributes":"Path=/cat"}]}}}}`
	if string(out) != wantResp {
		t.Errorf("out = %s\nwant  %s", out, wantResp)
	}
}

func TestRunJSONEventErrors(t *testing.T) {
	p := compile(t, Runtime20, `function handler(event) { return event.request }`)
	for _, ev := range []string{
		``,
		`[]`,
		`{"context":{"eventType":"viewer-request"}}`,
		`{"context":{"eventType":"origin-request"},"request":{"method":"GET","uri":"/"}}`,
		`{"context":{"eventType":"viewer-response"},"request":{"method":"GET","uri":"/"}}`,
		`{"context":{"eventType":"viewer-request"},"request":{"method":"GET","uri":"/","headers":{"a":{"value":1}}}}`,
	} {
		_, _, _, err := p.RunJSON([]byte(ev), Limits{})
		var ee *EventError
		if !errors.As(err, &ee) {
			t.Errorf("RunJSON(%s) = %v, want an EventError", ev, err)
		}
	}
}

// TestConcurrent runs one Program from many goroutines (meaningful under
// -race).
func TestConcurrent(t *testing.T) {
	p := compile(t, Runtime20, `function handler(event) {
		event.request.headers['x-uri'] = {value: event.request.uri};
		return event.request;
	}`)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				uri := "/g" + string(rune('a'+g)) + "/" + string(rune('a'+i%26))
				r, err := p.Run(request(uri), testLimits)
				if err != nil || r.Request.Headers["x-uri"].Value != uri {
					t.Errorf("Run(%s) = %+v, %v", uri, r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestUtilization(t *testing.T) {
	for _, tt := range []struct {
		elapsed, d time.Duration
		want       int
	}{{0, time.Millisecond, 0}, {time.Microsecond, time.Millisecond, 1}, {500 * time.Microsecond, time.Millisecond, 50}, {time.Second, time.Millisecond, 100}} {
		if got := utilization(tt.elapsed, tt.d); got != tt.want {
			t.Errorf("utilization(%v, %v) = %d, want %d", tt.elapsed, tt.d, got, tt.want)
		}
	}
}

func TestDropIdle(t *testing.T) {
	p := compile(t, Runtime20, addHeader)
	if _, err := p.Run(request("/"), testLimits); err != nil {
		t.Fatal(err)
	}
	if len(p.idle) != 1 {
		t.Fatalf("%d idle runtimes after a call, want 1", len(p.idle))
	}
	p.DropIdle()
	if len(p.idle) != 0 {
		t.Fatalf("%d idle runtimes after DropIdle", len(p.idle))
	}
	if _, err := p.Run(request("/"), testLimits); err != nil {
		t.Fatal(err)
	}
}
