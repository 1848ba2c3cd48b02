package edgefunc

import (
	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// maxURILength is CloudFront's bound on a request's URI with its query
// string: "must be less than 8,192 characters".
const maxURILength = 8192

// result reads and validates what the handler returned.
func (s *slot) result(ev *Event, v goja.Value) (*Result, error) {
	o, ok := v.(*goja.Object)
	if !ok || o.ClassName() == "Function" {
		what := "undefined"
		if v != nil {
			what = typeName(v)
		}
		return nil, validationErr("the handler must return a request or response object, not %s", what)
	}
	if ev.Context.EventType == ViewerResponse {
		if !present(o.Get("statusCode")) {
			return nil, validationErr("a viewer-response handler must return a response object (with statusCode)")
		}
		r, err := s.readResponse(o, ev.Response.Headers, ViewerResponse)
		return &Result{Response: r}, err
	}
	// A viewer-request handler returns the request, or a response (which
	// has a statusCode, and no request has) for the edge to answer with.
	if present(o.Get("statusCode")) {
		r, err := s.readResponse(o, nil, ViewerRequest)
		return &Result{Response: r}, err
	}
	r, err := s.readRequest(o, &ev.Request)
	return &Result{Request: r}, err
}

func present(v goja.Value) bool {
	return v != nil && !goja.IsUndefined(v) && !goja.IsNull(v)
}

func typeName(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	if o, ok := v.(*goja.Object); ok {
		if o.ClassName() == "Function" {
			return "a function"
		}
		return "an object"
	}
	switch v.ExportType().Kind().String() {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int64", "float64":
		return "a number"
	}
	return "a " + v.ExportType().String()
}

// str reads a string-valued field: absent gives ("", false, nil), a
// non-string is a validation error.
func str(o *goja.Object, field, what string) (string, bool, error) {
	return strf(o, field, func() string { return what })
}

// strf is str with the field's name for an error made only when needed.
func strf(o *goja.Object, field string, what func() string) (string, bool, error) {
	v := o.Get(field)
	if goja.IsString(v) {
		return v.String(), true, nil
	}
	if !present(v) {
		return "", false, nil
	}
	return "", false, validationErr("%s must be a string, not %s", what(), typeName(v))
}

func (s *slot) readRequest(o *goja.Object, in *Request) (*Request, error) {
	method, ok, err := str(o, "method", "request.method")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, validationErr("the request has no method")
	}
	if method != in.Method {
		return nil, validationErr("request.method is read-only (it was %q, the function returned %q)", in.Method, method)
	}
	uri, ok, err := str(o, "uri", "request.uri")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, validationErr("the request has no uri")
	}
	if !strings.HasPrefix(uri, "/") {
		return nil, validationErr("request.uri must begin with a forward slash (/), not %q", clip(uri))
	}
	if i := strings.IndexFunc(uri, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' || r == '?' }); i >= 0 && uri != in.URI {
		return nil, validationErr("request.uri may not contain spaces, control characters, '?' or '#': %q", clip(uri))
	}
	out := &Request{Method: method, URI: uri}

	qs := o.Get("querystring")
	switch {
	case !present(qs):
		out.Querystring = map[string]Value{}
	case isString(qs):
		// A function may set the query string as a string ("a=1&b=2"), as
		// CloudFront's own query-string normalization example does.
		if n := strLen(qs); n >= maxURILength {
			return nil, validationErr("the URI with its query string must be shorter than %d characters (the query string is %d)", maxURILength, n)
		}
		out.Querystring = parseQuery(qs.String())
		if err := checkValues(out.Querystring, in.Querystring, "request.querystring", checkQuery); err != nil {
			return nil, err
		}
	default:
		if out.Querystring, err = s.readValues(qs, in.Querystring, "request.querystring", checkQuery); err != nil {
			return nil, err
		}
	}
	if out.Headers, err = s.readValues(o.Get("headers"), in.Headers, "request.headers", checkRequestHeader); err != nil {
		return nil, err
	}
	if err := checkReadOnly(out.Headers, in.Headers, ViewerRequest); err != nil {
		return nil, err
	}
	if out.Cookies, err = s.readValues(o.Get("cookies"), in.Cookies, "request.cookies", checkRequestCookie); err != nil {
		return nil, err
	}
	if n := len(uri) + len(out.EncodeQuery()) + 1; n >= maxURILength {
		return nil, validationErr("the URI with its query string must be shorter than %d characters (it is %d)", maxURILength, n)
	}
	return out, nil
}

func isString(v goja.Value) bool { return goja.IsString(v) }

func isObject(v goja.Value) bool {
	_, ok := v.(*goja.Object)
	return ok
}

// parseQuery splits a query string into its parameters, keeping each
// value as it is written.
func parseQuery(q string) map[string]Value {
	q = strings.TrimPrefix(q, "?")
	out := map[string]Value{}
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		if v, ok := out[name]; ok {
			if len(v.MultiValue) == 0 {
				v.MultiValue = []Value{{Value: v.Value}}
			}
			v.MultiValue = append(v.MultiValue, Value{Value: value})
			out[name] = v
		} else {
			out[name] = Value{Value: value}
		}
	}
	return out
}

// readValues reads a querystring, headers or cookies object, applying
// CloudFront's multiValue rules against the event's values (in):
//  1. a multiValue array that the function changed (or added) replaces
//     the values, and value is ignored;
//  2. otherwise value replaces the first value, and the rest of an
//     unchanged multiValue stays;
//  3. an object without multiValue has just its value.
//
// check validates a name and its values where they differ from in.
func (s *slot) readValues(v goja.Value, in map[string]Value, what string, check func(name string, values []string) error) (map[string]Value, error) {
	out := map[string]Value{}
	if !present(v) {
		return out, nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, validationErr("%s must be an object, not %s", what, typeName(v))
	}
	if indexedLength(o) > 0 {
		// A String object or a typed array: its characters or elements
		// are no values, and there may be millions of them.
		return nil, validationErr("%s must be an object with a value for each name", what)
	}
	for _, name := range o.Keys() {
		e, ok := o.Get(name).(*goja.Object)
		if !ok {
			return nil, validationErr("%s[%q] must be an object with a value", what, clip(name))
		}
		prev, had := in[name]
		value, hasValue, err := strf(e, "value", func() string { return what + "[" + quote(name) + "].value" })
		if err != nil {
			return nil, err
		}
		var mv []string
		if mvv := e.Get("multiValue"); present(mvv) {
			mv, err = s.multi(mvv, what+"["+quote(name)+"].multiValue", func(item *goja.Object, w string) (string, error) {
				val, ok, err := str(item, "value", w+".value")
				if err == nil && !ok {
					err = validationErr("%s.value must be a string, not undefined", w)
				}
				return val, err
			})
			if err != nil {
				return nil, err
			}
		}
		var values []string
		switch {
		case len(mv) > 0 && !(had && slices.Equal(mv, prev.Values()) && len(prev.MultiValue) > 0):
			values = mv
		case len(mv) > 0:
			if !hasValue {
				value = mv[0]
			}
			values = append([]string{value}, mv[1:]...)
		default:
			if !hasValue {
				return nil, validationErr("%s[%q].value must be a string, not undefined", what, clip(name))
			}
			values = []string{value}
		}
		r := Value{Value: values[0]}
		if len(values) > 1 {
			r.MultiValue = make([]Value, len(values))
			for i, v := range values {
				r.MultiValue[i] = Value{Value: v}
			}
		}
		if !had || !slices.Equal(values, prev.Values()) {
			if err := check(name, values); err != nil {
				return nil, err
			}
		}
		out[name] = r
	}
	return out, nil
}

// multi reads a multiValue array with read for each item.
func (s *slot) multi(v goja.Value, what string, read func(*goja.Object, string) (string, error)) ([]string, error) {
	if !present(v) {
		return nil, nil
	}
	o, ok := v.(*goja.Object)
	if !ok || o.ClassName() != "Array" {
		return nil, validationErr("%s must be an array", what)
	}
	n := o.Get("length").ToInteger()
	if n > maxNativeLength {
		return nil, validationErr("%s has too many items", what)
	}
	out := make([]string, 0, n)
	for i := int64(0); i < n; i++ {
		item, ok := o.Get(itoa(i)).(*goja.Object)
		w := what + "[" + itoa(i) + "]"
		if !ok {
			return nil, validationErr("%s must be an object with a value", w)
		}
		val, err := read(item, w)
		if err != nil {
			return nil, err
		}
		out = append(out, val)
	}
	return out, nil
}

func checkValues(m, in map[string]Value, what string, check func(string, []string) error) error {
	for name, v := range m {
		if prev, had := in[name]; had && slices.Equal(v.Values(), prev.Values()) {
			continue
		}
		if err := check(name, v.Values()); err != nil {
			return err
		}
	}
	return nil
}

// checkQuery: a query string a function creates or updates "can't include
// spaces, control characters, or the fragment identifier (#)"; & and = in
// a name, and & in a value, would change how it splits.
func checkQuery(name string, values []string) error {
	if name == "" || strings.ContainsAny(name, "&=") || hasCtlSpaceHash(name) {
		return validationErr("invalid query string parameter name %q", clip(name))
	}
	for _, v := range values {
		if strings.Contains(v, "&") || hasCtlSpaceHash(v) {
			return validationErr("invalid value for query string parameter %q: %q", clip(name), clip(v))
		}
	}
	return nil
}

func hasCtlSpaceHash(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f || c == '#' {
			return true
		}
	}
	return false
}

// isToken reports whether s is an RFC 9110 token (a header or cookie name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// badFieldValue reports whether v cannot be a header field value: CR, LF
// and NUL would let it end the field (header injection).
func badFieldValue(v string) bool {
	return strings.ContainsAny(v, "\r\n\x00")
}

func checkHeader(name string, values []string) error {
	if !isToken(name) {
		return validationErr("invalid header name %q", clip(name))
	}
	if name != strings.ToLower(name) {
		return validationErr("header names must be lower-case: %q", clip(name))
	}
	if isDisallowed(name) {
		return validationErr("the function may not add the %s header", name)
	}
	for _, v := range values {
		if badFieldValue(v) {
			return validationErr("the value of header %q contains a line break or NUL", name)
		}
	}
	return nil
}

func checkRequestHeader(name string, values []string) error {
	if name == "cookie" {
		return validationErr("cookies go in request.cookies, not in a cookie header")
	}
	return checkHeader(name, values)
}

func checkResponseHeader(name string, values []string) error {
	if name == "set-cookie" {
		return validationErr("cookies go in response.cookies, not in a set-cookie header")
	}
	return checkHeader(name, values)
}

func checkRequestCookie(name string, values []string) error {
	if !isToken(name) {
		return validationErr("invalid cookie name %q", clip(name))
	}
	for _, v := range values {
		if badFieldValue(v) || strings.Contains(v, ";") {
			return validationErr("invalid value for cookie %q", clip(name))
		}
	}
	return nil
}

// checkReadOnly fails when the headers the event type makes read-only
// differ between out and in (added, changed or removed).
func checkReadOnly(out, in map[string]Value, eventType string) error {
	for _, h := range readOnly[eventType] {
		o, inOut := out[h]
		i, inIn := in[h]
		if inOut != inIn || (inOut && !slices.Equal(o.Values(), i.Values())) {
			return validationErr("the %s header is read-only in %s events", h, eventType)
		}
	}
	return nil
}

// readResponse reads a response object; in is the event's response
// headers (nil for a response generated in a viewer-request event).
func (s *slot) readResponse(o *goja.Object, in map[string]Value, eventType string) (*Response, error) {
	sc := o.Get("statusCode")
	var code int
	switch n := sc.Export().(type) {
	case int64:
		code = int(max(min(n, math.MaxInt32), math.MinInt32))
	case float64:
		if n != math.Trunc(n) || math.IsInf(n, 0) {
			return nil, validationErr("response.statusCode must be an integer")
		}
		code = int(max(min(n, math.MaxInt32), math.MinInt32))
	default:
		return nil, validationErr("response.statusCode must be a number, not %s", typeName(sc))
	}
	if isObject(sc) {
		return nil, validationErr("response.statusCode must be a number, not an object")
	}
	if code < 200 || code > 599 {
		return nil, validationErr("response.statusCode must be between 200 and 599, not %d", code)
	}
	desc, _, err := str(o, "statusDescription", "response.statusDescription")
	if err != nil {
		return nil, err
	}
	if badFieldValue(desc) {
		return nil, validationErr("response.statusDescription contains a line break or NUL")
	}
	out := &Response{StatusCode: code, StatusDescription: desc}
	if out.Headers, err = s.readValues(o.Get("headers"), in, "response.headers", checkResponseHeader); err != nil {
		return nil, err
	}
	// A generated response has no event headers to compare with: any
	// read-only header in it is one the function added.
	if err := checkReadOnly(out.Headers, in, eventType); err != nil {
		return nil, err
	}
	if out.Cookies, err = s.readCookies(o.Get("cookies")); err != nil {
		return nil, err
	}
	if out.Body, err = readBody(o.Get("body")); err != nil {
		return nil, err
	}
	return out, nil
}

// readCookies reads response cookies. Unlike headers, a cookie's settings
// are not merged with the event's: what the function returns is the
// response's Set-Cookie list. (CloudFront's multiValue rules apply in the
// same way; with value and attributes both per setting, a changed value
// without a changed multiValue replaces the first setting.)
func (s *slot) readCookies(v goja.Value) (map[string]Cookie, error) {
	out := map[string]Cookie{}
	if !present(v) {
		return out, nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, validationErr("response.cookies must be an object, not %s", typeName(v))
	}
	if indexedLength(o) > 0 {
		return nil, validationErr("response.cookies must be an object with a value for each name")
	}
	readOne := func(item *goja.Object, what string) (Cookie, error) {
		val, ok, err := str(item, "value", what+".value")
		if err != nil {
			return Cookie{}, err
		}
		if !ok {
			return Cookie{}, validationErr("%s.value must be a string, not undefined", what)
		}
		attrs, _, err := str(item, "attributes", what+".attributes")
		if err != nil {
			return Cookie{}, err
		}
		if badFieldValue(val) || strings.Contains(val, ";") || badFieldValue(attrs) {
			return Cookie{}, validationErr("%s has a line break, NUL or ';' in its value, or a line break or NUL in its attributes", what)
		}
		return Cookie{Value: val, Attributes: attrs}, nil
	}
	for _, name := range o.Keys() {
		what := "response.cookies[" + quote(name) + "]"
		if !isToken(name) {
			return nil, validationErr("invalid cookie name %q", clip(name))
		}
		e, ok := o.Get(name).(*goja.Object)
		if !ok {
			return nil, validationErr("%s must be an object with a value", what)
		}
		var items []Cookie
		mvv := e.Get("multiValue")
		if present(mvv) {
			mo, ok := mvv.(*goja.Object)
			if !ok || mo.ClassName() != "Array" {
				return nil, validationErr("%s.multiValue must be an array", what)
			}
			n := mo.Get("length").ToInteger()
			if n > maxNativeLength {
				return nil, validationErr("%s.multiValue has too many items", what)
			}
			for i := int64(0); i < n; i++ {
				w := what + ".multiValue[" + itoa(i) + "]"
				io, ok := mo.Get(itoa(i)).(*goja.Object)
				if !ok {
					return nil, validationErr("%s must be an object with a value", w)
				}
				c, err := readOne(io, w)
				if err != nil {
					return nil, err
				}
				items = append(items, c)
			}
		}
		if len(items) > 1 {
			out[name] = Cookie{Value: items[0].Value, Attributes: items[0].Attributes, MultiValue: items}
			continue
		}
		if len(items) == 1 {
			out[name] = items[0]
			continue
		}
		c, err := readOne(e, what)
		if err != nil {
			return nil, err
		}
		out[name] = c
	}
	return out, nil
}

// readBody reads response.body: a string (text), or {data, encoding}
// with encoding "text" (the default) or "base64".
func readBody(v goja.Value) (*Body, error) {
	if !present(v) {
		return nil, nil
	}
	if isString(v) {
		return &Body{Encoding: "text", Data: v.String()}, nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, validationErr("response.body must be a string or an object with data and encoding, not %s", typeName(v))
	}
	enc, ok, err := str(o, "encoding", "response.body.encoding")
	if err != nil {
		return nil, err
	}
	if !ok {
		enc = "text"
	}
	if enc != "text" && enc != "base64" {
		return nil, validationErr("response.body.encoding must be text or base64, not %q", clip(enc))
	}
	data, _, err := str(o, "data", "response.body.data")
	if err != nil {
		return nil, err
	}
	if enc == "base64" {
		if _, err := base64.StdEncoding.DecodeString(data); err != nil {
			return nil, validationErr("response.body.data is not valid base64")
		}
	}
	return &Body{Encoding: enc, Data: data}, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return truncateUTF8(s, 64) + "…"
	}
	return s
}

func quote(s string) string {
	return `"` + clip(s) + `"`
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
