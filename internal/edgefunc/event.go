package edgefunc

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dop251/goja"
)

// Event is the input of a function, mirroring CloudFront's event object.
type Event struct {
	Version  string    `json:"version"` // "1.0"
	Context  Context   `json:"context"`
	Viewer   Viewer    `json:"viewer"`
	Request  Request   `json:"request"`
	Response *Response `json:"response,omitempty"` // viewer-response only
}

// Context is the event's context object.
type Context struct {
	DistributionDomainName string `json:"distributionDomainName,omitempty"`
	DistributionID         string `json:"distributionId,omitempty"`
	EventType              string `json:"eventType"` // ViewerRequest or ViewerResponse
	RequestID              string `json:"requestId,omitempty"`
}

// Viewer is the event's viewer object.
type Viewer struct {
	IP string `json:"ip"`
}

// Value is one query string parameter, header or request cookie. A name
// that occurs more than once has all its values, in order, in MultiValue
// (Value is then the first); MultiValue is empty otherwise. Header names
// are lower-case.
type Value struct {
	Value      string  `json:"value"`
	MultiValue []Value `json:"multiValue,omitempty"`
}

// Values is every value of v, in order.
func (v Value) Values() []string {
	if len(v.MultiValue) == 0 {
		return []string{v.Value}
	}
	out := make([]string, len(v.MultiValue))
	for i, m := range v.MultiValue {
		out[i] = m.Value
	}
	return out
}

// Request is the event's request object: what the viewer sent, and what a
// viewer-request handler returns to have CloudFront go on with. Query
// string names and values are as they appear in the URL (not
// percent-decoded). Cookies are not among the headers.
type Request struct {
	Method      string           `json:"method"`
	URI         string           `json:"uri"`
	Querystring map[string]Value `json:"querystring"`
	Headers     map[string]Value `json:"headers"`
	Cookies     map[string]Value `json:"cookies"`
}

// EncodeQuery is the request's query string (without "?"), its parameters
// in name order, each value of a repeated name in its order.
func (r *Request) EncodeQuery() string {
	names := make([]string, 0, len(r.Querystring))
	for n := range r.Querystring {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		for _, v := range r.Querystring[n].Values() {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(n)
			b.WriteByte('=')
			b.WriteString(v)
		}
	}
	return b.String()
}

// Response is the event's response object (viewer-response), or the
// response a handler generates.
type Response struct {
	StatusCode        int               `json:"statusCode"`
	StatusDescription string            `json:"statusDescription,omitempty"`
	Headers           map[string]Value  `json:"headers"`
	Cookies           map[string]Cookie `json:"cookies"`
	// Body is set only when the handler gave one; nil keeps the body the
	// cache or origin returned (viewer-response) or sends none.
	Body *Body `json:"body,omitempty"`
}

// Cookie is one response cookie (a Set-Cookie header): its value and the
// attributes that follow it ("Secure; Path=/"). A cookie set more than once
// has each setting in MultiValue.
type Cookie struct {
	Value      string   `json:"value"`
	Attributes string   `json:"attributes,omitempty"`
	MultiValue []Cookie `json:"multiValue,omitempty"`
}

// Values is every setting of c, in order.
func (c Cookie) Values() []Cookie {
	if len(c.MultiValue) == 0 {
		return []Cookie{{Value: c.Value, Attributes: c.Attributes}}
	}
	return c.MultiValue
}

// Body is a response body a handler gives: Data is the text itself
// (Encoding "text") or its standard base64 (Encoding "base64").
type Body struct {
	Encoding string `json:"encoding"`
	Data     string `json:"data"`
}

// Result is what the handler returned: exactly one of Request (a
// viewer-request handler letting the request go on) and Response (a
// generated response, or the viewer-response handler's response) is set.
type Result struct {
	Request  *Request
	Response *Response
	// Origin is what the function asked of the request's origin through
	// the cf module's origin helpers (cf.updateRequestOrigin,
	// cf.selectRequestOriginById, cf.createRequestOriginGroup), for the
	// edge to send the request to: nil when it asked nothing. It is set
	// only with Request, in a viewer-request event (the helpers throw in
	// a viewer-response one). When the function used the helpers more than
	// once, the last use wins: CloudFront does not document otherwise.
	Origin *OriginChange
}

// disallowed is CloudFront's list of headers that are not exposed to edge
// functions and that a function may not add ("Restrictions on all edge
// functions", Disallowed headers). Names ending in "-" are prefixes
// (X-Amz-Cf-*, X-Edge-*).
var disallowed = map[string]bool{
	"connection": true, "expect": true, "keep-alive": true, "proxy-authenticate": true,
	"proxy-authorization": true, "proxy-connection": true, "trailer": true, "upgrade": true,
	"x-accel-buffering": true, "x-accel-charset": true, "x-accel-limit-rate": true,
	"x-accel-redirect": true, "x-amzn-auth": true, "x-amzn-cf-billing": true,
	"x-amzn-cf-id": true, "x-amzn-cf-xff": true, "x-amzn-errortype": true,
	"x-amzn-fle-profile": true, "x-amzn-header-count": true, "x-amzn-header-order": true,
	"x-amzn-lambda-integration-tag": true, "x-amzn-requestid": true, "x-cache": true,
	"x-forwarded-proto": true, "x-real-ip": true,
}

// isDisallowed reports whether the (lower-case) header name is one a
// function may neither see nor add.
func isDisallowed(name string) bool {
	return disallowed[name] || strings.HasPrefix(name, "x-amz-cf-") || strings.HasPrefix(name, "x-edge-")
}

// readOnly is, per event type, the headers a function may read but not
// add, change or remove ("Read-only headers in viewer request/response
// events").
var readOnly = map[string][]string{
	ViewerRequest:  {"content-length", "host", "transfer-encoding", "via"},
	ViewerResponse: {"warning", "via"},
}

// checkEvent checks the parts of ev the runtime relies on.
func checkEvent(ev *Event) error {
	if ev == nil {
		return &EventError{"no event"}
	}
	switch ev.Context.EventType {
	case ViewerRequest:
	case ViewerResponse:
		if ev.Response == nil {
			return &EventError{"a viewer-response event must have a response object"}
		}
	default:
		return &EventError{fmt.Sprintf("context.eventType must be %q or %q, not %q", ViewerRequest, ViewerResponse, ev.Context.EventType)}
	}
	return nil
}

// eventValue is ev as the JavaScript object the handler receives. Names
// come from the viewer, so every one is defined as an own property (an
// assignment of "__proto__" would set the prototype instead); maps are
// laid out in name order, so a call sees the same event for the same
// input.
func (s *slot) eventValue(ev *Event) (goja.Value, error) {
	rt := s.rt
	o := rt.NewObject()
	version := ev.Version
	if version == "" {
		version = "1.0"
	}
	must(o.Set("version", version))
	ctx := rt.NewObject()
	if ev.Context.DistributionDomainName != "" {
		must(ctx.Set("distributionDomainName", ev.Context.DistributionDomainName))
	}
	if ev.Context.DistributionID != "" {
		must(ctx.Set("distributionId", ev.Context.DistributionID))
	}
	must(ctx.Set("eventType", ev.Context.EventType))
	if ev.Context.RequestID != "" {
		must(ctx.Set("requestId", ev.Context.RequestID))
	}
	must(o.Set("context", ctx))
	viewer := rt.NewObject()
	must(viewer.Set("ip", ev.Viewer.IP))
	must(o.Set("viewer", viewer))

	req := rt.NewObject()
	must(req.Set("method", ev.Request.Method))
	must(req.Set("uri", ev.Request.URI))
	must(req.Set("querystring", s.valuesObject(ev.Request.Querystring, false)))
	must(req.Set("headers", s.valuesObject(ev.Request.Headers, true)))
	must(req.Set("cookies", s.valuesObject(ev.Request.Cookies, false)))
	must(o.Set("request", req))

	if r := ev.Response; r != nil && ev.Context.EventType == ViewerResponse {
		resp := rt.NewObject()
		must(resp.Set("statusCode", r.StatusCode))
		must(resp.Set("statusDescription", r.StatusDescription))
		must(resp.Set("headers", s.valuesObject(r.Headers, true)))
		must(resp.Set("cookies", s.cookiesObject(r.Cookies)))
		must(o.Set("response", resp))
	}
	return o, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (s *slot) valuesObject(m map[string]Value, headers bool) *goja.Object {
	rt := s.rt
	o := rt.NewObject()
	for _, name := range sortedKeys(m) {
		v := m[name]
		if headers && (isDisallowed(name) || name == "cookie" || name == "set-cookie") {
			continue // not exposed to functions
		}
		e := rt.NewObject()
		must(e.Set("value", v.Value))
		if len(v.MultiValue) > 0 {
			items := make([]any, len(v.MultiValue))
			for i, mv := range v.MultiValue {
				io := rt.NewObject()
				must(io.Set("value", mv.Value))
				items[i] = io
			}
			must(e.Set("multiValue", rt.NewArray(items...)))
		}
		must(o.DefineDataProperty(name, e, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE))
	}
	return o
}

func (s *slot) cookiesObject(m map[string]Cookie) *goja.Object {
	rt := s.rt
	cookie := func(c Cookie) *goja.Object {
		e := rt.NewObject()
		must(e.Set("value", c.Value))
		if c.Attributes != "" {
			must(e.Set("attributes", c.Attributes))
		}
		return e
	}
	o := rt.NewObject()
	for _, name := range sortedKeys(m) {
		c := m[name]
		e := cookie(c)
		if len(c.MultiValue) > 0 {
			items := make([]any, len(c.MultiValue))
			for i, mv := range c.MultiValue {
				items[i] = cookie(mv)
			}
			must(e.Set("multiValue", rt.NewArray(items...)))
		}
		must(o.DefineDataProperty(name, e, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE))
	}
	return o
}

// parseEvent reads TestFunction's JSON event object. Fields the docs allow
// a test event to omit (the context's distribution and request ids, the
// request's query string, headers and cookies) may be omitted; header
// names are lower-cased, as CloudFront asks test events to have them.
func parseEvent(data []byte) (*Event, error) {
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, &EventError{fmt.Sprintf("the event is not a valid event object: %v", err)}
	}
	var probe struct {
		Request json.RawMessage `json:"request"`
	}
	_ = json.Unmarshal(data, &probe)
	if len(probe.Request) == 0 || string(probe.Request) == "null" {
		return nil, &EventError{"the event has no request object"}
	}
	if err := checkEvent(&ev); err != nil {
		return nil, err
	}
	ev.Request.Headers = lowerNames(ev.Request.Headers)
	if ev.Response != nil {
		ev.Response.Headers = lowerNames(ev.Response.Headers)
	}
	return &ev, nil
}

func lowerNames(m map[string]Value) map[string]Value {
	for k := range m {
		if lk := strings.ToLower(k); lk != k {
			out := make(map[string]Value, len(m))
			for k, v := range m {
				out[strings.ToLower(k)] = v
			}
			return out
		}
	}
	return m
}
