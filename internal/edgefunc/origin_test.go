package edgefunc

import (
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func sp(s string) *string                { return &s }
func ip(n int) *int                      { return &n }
func secs(n int) *time.Duration          { d := time.Duration(n) * time.Second; return &d }
func member(id string) OriginGroupMember { return OriginGroupMember{ID: id} }

// originCode is a 2.0 viewer-request function that runs stmts and sets
// the header x-out to "ok", or to the name and message of what they threw.
func originCode(stmts string) string {
	return `import cf from 'cloudfront';
function handler(event) {
	var out = 'ok';
	try { ` + stmts + `; } catch (e) { out = 'threw ' + e.name + ': ' + e.message; }
	event.request.headers['x-out'] = {value: out};
	return event.request;
}`
}

// runOrigin runs code on a viewer-request event and returns the result.
func runOrigin(t *testing.T, code string) *Result {
	t.Helper()
	r, err := compile(t, Runtime20, code).Run(request("/"), testLimits)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

// TestOriginDocsExamples runs the examples of CloudFront's "Helper methods
// for origin modification" (and two forms its users' code takes) and
// checks what the edge is told.
//
// One example of the page calls cf.overrideRequestOrigin("myALB-prod",
// {"hostHeader": …}) under the heading of selectRequestOriginById, whose
// request it describes as cf.selectRequestOriginById(origin_id,
// {origin_overrides}): a slip of the page, run here as
// selectRequestOriginById; the module has no overrideRequestOrigin.
func TestOriginDocsExamples(t *testing.T) {
	tests := []struct {
		name, stmts string
		want        *OriginChange
	}{
		{"update to Amazon S3 request origin", `cf.updateRequestOrigin({
		    "domainName" : "amzn-s3-demo-bucket-in-us-east-1.s3.us-east-1.amazonaws.com",
		    "originAccessControlConfig": {
		        "enabled": true,
		        "signingBehavior": "always",
		        "signingProtocol": "sigv4",
		        "originType": "s3"
		    },
		    // Empty object resets any header configured on the assigned origin
		    "customHeaders": {}
		})`, &OriginChange{Update: &OriginUpdate{
			DomainName: sp("amzn-s3-demo-bucket-in-us-east-1.s3.us-east-1.amazonaws.com"),
			OriginAccessControlConfig: &OriginAccessControlConfig{
				Enabled: true, SigningBehavior: "always", SigningProtocol: "sigv4", OriginType: "s3"},
			CustomHeaders: map[string]string{},
		}}},
		{"update to Application Load Balancer request origin", `cf.updateRequestOrigin({
		    "domainName" : "example-1234567890.us-east-1.elb.amazonaws.com",
		    "timeouts": {
		        "readTimeout": 30,
		        "connectionTimeout": 5
		    },
		    "customHeaders": {
		        "x-stage": "production",
		        "x-region": "us-east-1"
		    }
		})`, &OriginChange{Update: &OriginUpdate{
			DomainName:        sp("example-1234567890.us-east-1.elb.amazonaws.com"),
			ReadTimeout:       secs(30),
			ConnectionTimeout: secs(5),
			CustomHeaders:     map[string]string{"x-stage": "production", "x-region": "us-east-1"},
		}}},
		{"update to origin with Origin Shield enabled", `cf.updateRequestOrigin({
		  "domainName" : "www.example.com"
		})`, &OriginChange{Update: &OriginUpdate{DomainName: sp("www.example.com")}}},
		{"update the host header, SNI, and allowed certificate names", `cf.updateRequestOrigin({
		    "domainName": "www.example.com",
		    "hostHeader": "test.example.com",
		    "sni": "test.example.net",
		    "allowedCertificateNames": ["*.example.com", "*.example.net"],
		})`, &OriginChange{Update: &OriginUpdate{
			DomainName: sp("www.example.com"), HostHeader: sp("test.example.com"), SNI: sp("test.example.net"),
			AllowedCertificateNames: []string{"*.example.com", "*.example.net"},
		}}},
		{"select Amazon S3 request origin", `cf.selectRequestOriginById("amzn-s3-demo-bucket-in-us-east-1")`,
			&OriginChange{SelectID: "amzn-s3-demo-bucket-in-us-east-1"}},
		{"select Application Load Balancer request origin", `cf.selectRequestOriginById("myALB-prod")`,
			&OriginChange{SelectID: "myALB-prod"}},
		{"select Application Load Balancer request origin and override the host header", `cf.selectRequestOriginById("myALB-prod",{
		        "hostHeader" : "test.example.com"
		})`, &OriginChange{SelectID: "myALB-prod", SelectOverrides: &OriginOverrides{HostHeader: sp("test.example.com")}}},
		{"create request origin group", `cf.createRequestOriginGroup({
		        "originIds": [
		            {
		                "originId": "origin-1",
		                "originOverrides": {
		                    "hostHeader": "hostHeader.example.com",
		                    "sni": "sni.example.com",
		                    "allowedCertificateNames": ["cert1.example.com", "cert2.example.com", "cert3.example.com"]
		                }
		            },
		            {
		                "originId": "origin-2",
		                "originOverrides": {
		                    "hostHeader": "hostHeader2.example.com",
		                    "sni": "sni2.example.com",
		                    "allowedCertificateNames": ["cert4.example.com", "cert5.example.com"]
		                }
		            }
		        ],
		        "failoverCriteria": {
		            "statusCodes": [500]
		        }
		    })`, &OriginChange{Group: &OriginGroupChange{
			Primary: OriginGroupMember{ID: "origin-1", Overrides: &OriginOverrides{
				HostHeader: sp("hostHeader.example.com"), SNI: sp("sni.example.com"),
				AllowedCertificateNames: []string{"cert1.example.com", "cert2.example.com", "cert3.example.com"}}},
			Secondary: OriginGroupMember{ID: "origin-2", Overrides: &OriginOverrides{
				HostHeader: sp("hostHeader2.example.com"), SNI: sp("sni2.example.com"),
				AllowedCertificateNames: []string{"cert4.example.com", "cert5.example.com"}}},
			SelectionCriteria:   "default",
			FailoverStatusCodes: []int{500},
		}}},
		// As functions in the wild write it: origin ids without overrides,
		// every status code an origin group may fail over on.
		{"origin group of ids", `cf.createRequestOriginGroup({
		    "originIds": [{ "originId": "EdgeOptimize_Origin" }, { "originId": "default-origin" }],
		    "failoverCriteria": { "statusCodes": [400, 403, 404, 416, 500, 502, 503, 504] }
		})`, &OriginChange{Group: &OriginGroupChange{
			Primary: member("EdgeOptimize_Origin"), Secondary: member("default-origin"), SelectionCriteria: "default",
			FailoverStatusCodes: []int{400, 403, 404, 416, 500, 502, 503, 504}}}},
		{"a Lambda function URL with OAC", `cf.updateRequestOrigin({
		    domainName: 'abcdefg.lambda-url.us-east-1.on.aws',
		    customOriginConfig: { port: 443, protocol: 'https', sslProtocols: ['TLSv1.2'] },
		    originAccessControlConfig: { enabled: true, signingBehavior: 'always', signingProtocol: 'sigv4', originType: 'lambda' }
		})`, &OriginChange{Update: &OriginUpdate{
			DomainName:         sp("abcdefg.lambda-url.us-east-1.on.aws"),
			CustomOriginConfig: &CustomOriginConfig{Port: 443, Protocol: "https", SSLProtocols: []string{"TLSv1.2"}},
			OriginAccessControlConfig: &OriginAccessControlConfig{
				Enabled: true, SigningBehavior: "always", SigningProtocol: "sigv4", OriginType: "lambda"},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runOrigin(t, originCode(tt.stmts))
			if got := r.Request.Headers["x-out"].Value; got != "ok" {
				t.Fatalf("the call threw: %s", got)
			}
			if !reflect.DeepEqual(r.Origin, tt.want) {
				t.Errorf("Origin\n got %s\nwant %s", dump(r.Origin), dump(tt.want))
			}
		})
	}
}

// TestOriginDocsGroupFunction runs the page's origin group example as the
// whole function it is.
func TestOriginDocsGroupFunction(t *testing.T) {
	r := runOrigin(t, `import cf from 'cloudfront';

function handler(event) {
    cf.createRequestOriginGroup({
        "originIds": [
            {
                "originId": "origin-1",
                "originOverrides": {
                    "hostHeader": "hostHeader.example.com",
                    "sni": "sni.example.com",
                    "allowedCertificateNames": ["cert1.example.com", "cert2.example.com", "cert3.example.com"]
                }
            },
            {
                "originId": "origin-2",
                "originOverrides": {
                    "hostHeader": "hostHeader2.example.com",
                    "sni": "sni2.example.com",
                    "allowedCertificateNames": ["cert4.example.com", "cert5.example.com"]
                }
            }
        ],
        "failoverCriteria": {
            "statusCodes": [500]
        }
    });

    event.request.headers['x-hookx'] = { value: 'origin-overrides' };
    return event.request;
}`)
	if r.Request.Headers["x-hookx"].Value != "origin-overrides" || r.Origin == nil || r.Origin.Group == nil ||
		r.Origin.Group.Primary.ID != "origin-1" || r.Origin.Group.Secondary.ID != "origin-2" ||
		*r.Origin.Group.Secondary.Overrides.SNI != "sni2.example.com" {
		t.Errorf("result %+v, origin %s", r.Request, dump(r.Origin))
	}
}

// dump shows an OriginChange with what its pointers point to.
func dump(v any) string {
	return strings.NewReplacer("(*string)", "", "(*int)", "", "(*time.Duration)", "").Replace(fmt.Sprintf("%+v", deref(reflect.ValueOf(v))))
}

func deref(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return deref(v.Elem())
	case reflect.Struct:
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); !f.IsZero() {
				fmt.Fprintf(&b, "%s:%v ", v.Type().Field(i).Name, deref(f))
			}
		}
		return strings.TrimSpace(b.String()) + "}"
	}
	return v.Interface()
}

// TestOriginAll: every parameter of updateRequestOrigin the page lists,
// at once, and the bounds the page gives, at their limits.
func TestOriginAll(t *testing.T) {
	r := runOrigin(t, originCode(`cf.updateRequestOrigin({
		domainName: '`+strings.Repeat("a", 63)+`.`+strings.Repeat("b", 63)+`.`+strings.Repeat("c", 63)+`.`+strings.Repeat("d", 61)+`',
		hostHeader: 'Host.Example.com',
		originPath: '/a/b%20c/d~e',
		customHeaders: {'x-a': 'v1', 'x-b': '', 'x-c': 'tab\tinside', 'x-d': 'ü', 'x-e': '5', 'x-f': '6', 'x-g': '7', 'x-h': '8', 'x-i': '9', 'x-j': '10'},
		connectionAttempts: 3,
		originShield: {enabled: true, region: 'us-east-2'},
		originAccessControlConfig: {enabled: false},
		timeouts: {readTimeout: 120, responseCompletionTimeout: 120, keepAliveTimeout: 1, connectionTimeout: 10},
		customOriginConfig: {port: '8443', protocol: 'http', sslProtocols: ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'], ipAddressType: 'dualstack'},
		sni: 'sni.example.net',
		allowedCertificateNames: ['`+strings.Repeat("x", 60)+`.com', 'a.b', 'c.d', 'e.f', 'g.h', 'i.j', 'k.l', 'm.n', 'o.p', 'q.r', 's.t', 'u.v', 'w.x', 'y.z', 'a.c', 'a.d', 'a.e', 'a.f', 'a.g', 'a.h'],
		mTLSConfig: 'off' // not a parameter of the page: ignored
	})`))
	if got := r.Request.Headers["x-out"].Value; got != "ok" {
		t.Fatalf("the call threw: %s", got)
	}
	u := r.Origin.Update
	if u == nil || r.Origin.SelectID != "" || r.Origin.Group != nil {
		t.Fatalf("Origin = %s", dump(r.Origin))
	}
	want := &OriginUpdate{
		DomainName:                sp(strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61)),
		HostHeader:                sp("Host.Example.com"),
		OriginPath:                sp("/a/b%20c/d~e"),
		CustomHeaders:             map[string]string{"x-a": "v1", "x-b": "", "x-c": "tab\tinside", "x-d": "ü", "x-e": "5", "x-f": "6", "x-g": "7", "x-h": "8", "x-i": "9", "x-j": "10"},
		ConnectionAttempts:        ip(3),
		OriginShield:              &OriginShield{Enabled: true, Region: "us-east-2"},
		OriginAccessControlConfig: &OriginAccessControlConfig{},
		ReadTimeout:               secs(120), ResponseCompletionTimeout: secs(120), KeepAliveTimeout: secs(1), ConnectionTimeout: secs(10),
		CustomOriginConfig:      &CustomOriginConfig{Port: 8443, Protocol: "http", SSLProtocols: []string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"}, IPAddressType: "dualstack"},
		SNI:                     sp("sni.example.net"),
		AllowedCertificateNames: []string{strings.Repeat("x", 60) + ".com", "a.b", "c.d", "e.f", "g.h", "i.j", "k.l", "m.n", "o.p", "q.r", "s.t", "u.v", "w.x", "y.z", "a.c", "a.d", "a.e", "a.f", "a.g", "a.h"},
	}
	if !reflect.DeepEqual(u, want) {
		t.Errorf("Update\n got %s\nwant %s", dump(u), dump(want))
	}
}

// TestOriginErrors: a parameter of the wrong type throws a TypeError, one
// out of its range (a number, a length, a count, a value not among the
// documented ones) a RangeError, one CloudFront refuses for another
// reason an Error, at the call, which the function may catch (uncaught,
// the function fails: see TestOriginUncaught).
//
// Where the page is silent, openfront decides as CloudFront most likely
// behaves:
//   - undefined is a parameter not given; null is of the wrong type;
//     properties the page does not list (mTLSConfig, typos) are ignored,
//     as a JavaScript API ignores what it does not read;
//   - numbers (attempts, seconds, ports, status codes) are whole numbers
//     (the distribution's settings are integers); responseCompletionTimeout
//     has no maximum in CloudFront, openfront refuses more than a day;
//   - customOriginConfig.port is 80, 443 or 1024–65535 (the ports
//     CloudFront allows an origin), given as a number or a string of
//     digits (the page gives no type);
//   - sslProtocols and allowedCertificateNames list at least one item,
//     sslProtocols and statusCodes each item once;
//   - hostHeader and sni are DNS names like domainName (the page: no
//     colon, no IP address, up to 253 characters); originPath "" means no
//     path; an S3 REST endpoint's domainName is held to the page's rule for
//     S3 origins (lowercase, up to 128 characters);
//   - customHeaders: at most 10 (CloudFront's quota of custom headers per
//     origin), names RFC 9110 tokens of at most 256 characters, values at
//     most 1783 bytes without control characters but tab, 10240 bytes in
//     all (CloudFront's quotas on custom headers), and none of the headers
//     CloudFront can't add to origin requests nor of those edge functions
//     may not add;
//   - createRequestOriginGroup: an origin id is a string, or (as the page's
//     example writes it) an object with originId and originOverrides; a
//     top-level originOverrides (as the page's list has it) applies to an
//     origin without its own; the two ids differ; failoverCriteria is
//     {statusCodes: [...]} (the example's form, though the page calls it
//     "An array of status codes"), of the codes an origin group may fail
//     over on (400, 403, 404, 416, 500, 502, 503, 504);
//   - selectRequestOriginById and createRequestOriginGroup take any
//     non-empty id: whether the distribution has such an origin is the
//     edge's to check (CloudFront: "a validation error").
func TestOriginErrors(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct{ name, stmts, want string }{
		// updateRequestOrigin's argument.
		{"no argument", `cf.updateRequestOrigin()`, "TypeError: cf.updateRequestOrigin: the origin properties must be an object, not undefined"},
		{"a string", `cf.updateRequestOrigin('www.example.com')`, "TypeError: cf.updateRequestOrigin: the origin properties must be an object, not a string"},
		{"an array", `cf.updateRequestOrigin([])`, "TypeError: cf.updateRequestOrigin: the origin properties must be an object, not an object"},
		{"null", `cf.updateRequestOrigin(null)`, "TypeError: cf.updateRequestOrigin: the origin properties must be an object, not null"},

		// domainName, hostHeader, sni.
		{"domainName a number", `cf.updateRequestOrigin({domainName: 1})`, "TypeError: cf.updateRequestOrigin: domainName must be a string, not a number"},
		{"domainName null", `cf.updateRequestOrigin({domainName: null})`, "TypeError: cf.updateRequestOrigin: domainName must be a string, not null"},
		{"domainName with a port", `cf.updateRequestOrigin({domainName: 'example.com:8080'})`, `Error: cf.updateRequestOrigin: domainName can't include a colon (:), as in "example.com:8080"`},
		{"domainName a URL", `cf.updateRequestOrigin({domainName: 'https://example.com'})`, `Error: cf.updateRequestOrigin: domainName can't include a colon (:), as in "https://example.com"`},
		{"domainName with a path", `cf.updateRequestOrigin({domainName: 'example.com/x'})`, `Error: cf.updateRequestOrigin: domainName must be a domain name, such as www.example.com, not "example.com/x"`},
		{"domainName an IPv4 address", `cf.updateRequestOrigin({domainName: '192.0.2.1'})`, `Error: cf.updateRequestOrigin: domainName can't be an IP address, as "192.0.2.1" is`},
		{"domainName an IPv6 address", `cf.updateRequestOrigin({domainName: '2001:db8::1'})`, `Error: cf.updateRequestOrigin: domainName can't include a colon (:), as in "2001:db8::1"`},
		{"domainName empty", `cf.updateRequestOrigin({domainName: ''})`, `Error: cf.updateRequestOrigin: domainName must be a domain name, such as www.example.com, not ""`},
		{"domainName with a CRLF", `cf.updateRequestOrigin({domainName: 'a.com\r\nx-evil: 1'})`, "Error: cf.updateRequestOrigin: domainName must not contain control characters"},
		{"domainName with a NUL", `cf.updateRequestOrigin({domainName: 'a.com\0'})`, "Error: cf.updateRequestOrigin: domainName must not contain control characters"},
		{"domainName with a space", `cf.updateRequestOrigin({domainName: 'a b.com'})`, `Error: cf.updateRequestOrigin: domainName must be a domain name, such as www.example.com, not "a b.com"`},
		{"domainName of 254 characters", `cf.updateRequestOrigin({domainName: '` + long(60) + `.` + long(60) + `.` + long(60) + `.` + long(71) + `'})`, "RangeError: cf.updateRequestOrigin: domainName must be at most 253 characters long"},
		{"domainName with a 64-character label", `cf.updateRequestOrigin({domainName: '` + long(64) + `.com'})`, `Error: cf.updateRequestOrigin: domainName must be a domain name, such as www.example.com, not "` + long(64) + `…"`},
		{"domainName of non-ASCII letters", `cf.updateRequestOrigin({domainName: 'bücher.example'})`, `Error: cf.updateRequestOrigin: domainName must be a domain name, such as www.example.com, not "bücher.example"`},
		{"domainName a long string", `cf.updateRequestOrigin({domainName: 'a'.repeat(1e5)})`, "RangeError: cf.updateRequestOrigin: domainName must be at most 253 characters long"},
		{"S3 domainName in uppercase", `cf.updateRequestOrigin({domainName: 'Bucket.s3.us-east-1.amazonaws.com'})`, `Error: cf.updateRequestOrigin: the domainName of an S3 bucket must be all lowercase and at most 128 characters long, not "Bucket.s3.us-east-1.amazonaws.com"`},
		{"S3 domainName of 129 characters", `cf.updateRequestOrigin({domainName: '` + long(63) + `.` + long(38) + `.s3.us-east-1.amazonaws.com'})`, "Error: cf.updateRequestOrigin: the domainName of an S3 bucket must be all lowercase and at most 128 characters long"},
		{"hostHeader an IP address", `cf.updateRequestOrigin({hostHeader: '10.0.0.1'})`, `Error: cf.updateRequestOrigin: hostHeader can't be an IP address, as "10.0.0.1" is`},
		{"hostHeader with a colon", `cf.updateRequestOrigin({hostHeader: 'a.com:80'})`, `Error: cf.updateRequestOrigin: hostHeader can't include a colon (:), as in "a.com:80"`},
		{"hostHeader with a line feed", `cf.updateRequestOrigin({hostHeader: 'a.com\nb'})`, "Error: cf.updateRequestOrigin: hostHeader must not contain control characters"},
		{"sni a boolean", `cf.updateRequestOrigin({sni: true})`, "TypeError: cf.updateRequestOrigin: sni must be a string, not a boolean"},
		{"sni with a colon", `cf.updateRequestOrigin({sni: 'a:b'})`, `Error: cf.updateRequestOrigin: sni can't include a colon (:), as in "a:b"`},

		// originPath.
		{"originPath without a leading slash", `cf.updateRequestOrigin({originPath: 'prod'})`, `Error: cf.updateRequestOrigin: originPath must start with a forward slash (/), not end with one, and be URL encoded, not "prod"`},
		{"originPath ending with a slash", `cf.updateRequestOrigin({originPath: '/example-path/'})`, `Error: cf.updateRequestOrigin: originPath must start with a forward slash (/), not end with one, and be URL encoded, not "/example-path/"`},
		{"originPath of a slash", `cf.updateRequestOrigin({originPath: '/'})`, `Error: cf.updateRequestOrigin: originPath must start with a forward slash (/), not end with one`},
		{"originPath not URL encoded", `cf.updateRequestOrigin({originPath: '/a b'})`, `Error: cf.updateRequestOrigin: originPath must start with a forward slash (/), not end with one, and be URL encoded, not "/a b"`},
		{"originPath with a query", `cf.updateRequestOrigin({originPath: '/a?b'})`, `be URL encoded, not "/a?b"`},
		{"originPath with a bad escape", `cf.updateRequestOrigin({originPath: '/a%2'})`, `be URL encoded, not "/a%2"`},
		{"originPath with a CRLF", `cf.updateRequestOrigin({originPath: '/a\r\nb'})`, "Error: cf.updateRequestOrigin: originPath must not contain control characters"},
		{"originPath of 256 characters", `cf.updateRequestOrigin({originPath: '/' + 'a'.repeat(255)})`, "RangeError: cf.updateRequestOrigin: originPath must be at most 255 characters long"},
		{"originPath an array", `cf.updateRequestOrigin({originPath: ['/a']})`, "TypeError: cf.updateRequestOrigin: originPath must be a string, not an object"},

		// customHeaders.
		{"customHeaders a string", `cf.updateRequestOrigin({customHeaders: 'x-a: 1'})`, "TypeError: cf.updateRequestOrigin: customHeaders must be an object, not a string"},
		{"customHeaders an array", `cf.updateRequestOrigin({customHeaders: [{'x-a': '1'}]})`, "TypeError: cf.updateRequestOrigin: customHeaders must be an object, not an object"},
		{"customHeaders a String object", `cf.updateRequestOrigin({customHeaders: new String('abc')})`, "TypeError: cf.updateRequestOrigin: customHeaders must be an object"},
		{"11 custom headers", `var h = {}; for (var i = 0; i < 11; i++) h['x-h' + i] = 'v'; cf.updateRequestOrigin({customHeaders: h})`, "RangeError: cf.updateRequestOrigin: customHeaders may have at most 10 headers, not 11"},
		{"a custom header in the event's format", `cf.updateRequestOrigin({customHeaders: {'x-a': {value: '1'}}})`, `TypeError: cf.updateRequestOrigin: customHeaders["x-a"] must be a string, not an object`},
		{"a custom header's value a number", `cf.updateRequestOrigin({customHeaders: {'x-a': 1}})`, `TypeError: cf.updateRequestOrigin: customHeaders["x-a"] must be a string, not a number`},
		{"an upper-case custom header name", `cf.updateRequestOrigin({customHeaders: {'X-Stage': 'p'}})`, `Error: cf.updateRequestOrigin: header names must be lowercase in customHeaders, not "X-Stage"`},
		{"a custom header name with a space", `cf.updateRequestOrigin({customHeaders: {'x a': 'p'}})`, `Error: cf.updateRequestOrigin: "x a" is not a valid header name`},
		{"a custom header name with a colon", `cf.updateRequestOrigin({customHeaders: {'x-a: 1\r\nx-b': 'p'}})`, `is not a valid header name`},
		{"an empty custom header name", `cf.updateRequestOrigin({customHeaders: {'': 'p'}})`, `Error: cf.updateRequestOrigin: "" is not a valid header name`},
		{"a custom header name of 257 characters", `var h = {}; h['x'.repeat(257)] = 'v'; cf.updateRequestOrigin({customHeaders: h})`, "RangeError: cf.updateRequestOrigin: the custom header name"},
		{"a custom header value with a CRLF", `cf.updateRequestOrigin({customHeaders: {'x-a': '1\r\nx-evil: 2'}})`, `Error: cf.updateRequestOrigin: customHeaders["x-a"] must not contain control characters`},
		{"a custom header value with a line feed", `cf.updateRequestOrigin({customHeaders: {'x-a': '1\nx'}})`, `must not contain control characters`},
		{"a custom header value with a NUL", `cf.updateRequestOrigin({customHeaders: {'x-a': '1\0'}})`, `must not contain control characters`},
		{"a custom header value with DEL", `cf.updateRequestOrigin({customHeaders: {'x-a': '1\x7f'}})`, `must not contain control characters`},
		{"a custom header value of 1784 characters", `cf.updateRequestOrigin({customHeaders: {'x-a': 'v'.repeat(1784)}})`, `RangeError: cf.updateRequestOrigin: customHeaders["x-a"] must be at most 1783 characters long`},
		{"custom headers of more than 10240 characters", `var h = {}; for (var i = 0; i < 6; i++) h['x-h' + i] = 'v'.repeat(1783); cf.updateRequestOrigin({customHeaders: h})`, "RangeError: cf.updateRequestOrigin: the custom headers' names and values together must be at most 10240 characters long"},
		{"the host custom header", `cf.updateRequestOrigin({customHeaders: {host: 'evil.example'}})`, "Error: cf.updateRequestOrigin: CloudFront can't add the host header to origin requests"},
		{"the cookie custom header", `cf.updateRequestOrigin({customHeaders: {cookie: 'a=b'}})`, "Error: cf.updateRequestOrigin: CloudFront can't add the cookie header to origin requests"},
		{"the transfer-encoding custom header", `cf.updateRequestOrigin({customHeaders: {'transfer-encoding': 'chunked'}})`, "CloudFront can't add the transfer-encoding header"},
		{"an x-amz- custom header", `cf.updateRequestOrigin({customHeaders: {'x-amz-security-token': 't'}})`, "CloudFront can't add the x-amz-security-token header"},
		{"an x-edge- custom header", `cf.updateRequestOrigin({customHeaders: {'x-edge-location': 't'}})`, "CloudFront can't add the x-edge-location header"},
		{"the x-forwarded-proto custom header", `cf.updateRequestOrigin({customHeaders: {'x-forwarded-proto': 'https'}})`, "CloudFront can't add the x-forwarded-proto header"},

		// connectionAttempts.
		{"connectionAttempts 0", `cf.updateRequestOrigin({connectionAttempts: 0})`, "RangeError: cf.updateRequestOrigin: connectionAttempts must be between 1 and 3, not 0"},
		{"connectionAttempts 4", `cf.updateRequestOrigin({connectionAttempts: 4})`, "RangeError: cf.updateRequestOrigin: connectionAttempts must be between 1 and 3, not 4"},
		{"connectionAttempts 1.5", `cf.updateRequestOrigin({connectionAttempts: 1.5})`, "RangeError: cf.updateRequestOrigin: connectionAttempts must be a whole number, not 1.5"},
		{"connectionAttempts NaN", `cf.updateRequestOrigin({connectionAttempts: NaN})`, "RangeError: cf.updateRequestOrigin: connectionAttempts must be a whole number, not NaN"},
		{"connectionAttempts Infinity", `cf.updateRequestOrigin({connectionAttempts: Infinity})`, "RangeError: cf.updateRequestOrigin: connectionAttempts must be a whole number, not Infinity"},
		{"connectionAttempts a string", `cf.updateRequestOrigin({connectionAttempts: '2'})`, "TypeError: cf.updateRequestOrigin: connectionAttempts must be a number, not a string"},
		{"connectionAttempts a Number object", `cf.updateRequestOrigin({connectionAttempts: new Number(2)})`, "TypeError: cf.updateRequestOrigin: connectionAttempts must be a number"},

		// originShield.
		{"originShield a boolean", `cf.updateRequestOrigin({originShield: true})`, "TypeError: cf.updateRequestOrigin: originShield must be an object, not a boolean"},
		{"originShield without enabled", `cf.updateRequestOrigin({originShield: {region: 'us-east-2'}})`, "TypeError: cf.updateRequestOrigin: originShield.enabled is required"},
		{"originShield enabled a string", `cf.updateRequestOrigin({originShield: {enabled: 'true', region: 'us-east-2'}})`, "TypeError: cf.updateRequestOrigin: originShield.enabled must be true or false, not a string"},
		{"originShield enabled without region", `cf.updateRequestOrigin({originShield: {enabled: true}})`, "TypeError: cf.updateRequestOrigin: originShield.region is required when Origin Shield is enabled"},
		{"originShield region a name", `cf.updateRequestOrigin({originShield: {enabled: true, region: 'US East (Ohio)'}})`, `Error: cf.updateRequestOrigin: originShield.region must be an AWS Region code, such as us-east-2, not "US East (Ohio)"`},
		{"originShield region too long", `cf.updateRequestOrigin({originShield: {enabled: true, region: 'us-' + 'a'.repeat(40) + '-1'}})`, "RangeError: cf.updateRequestOrigin: originShield.region must be at most 32 characters long"},

		// originAccessControlConfig.
		{"OAC without enabled", `cf.updateRequestOrigin({originAccessControlConfig: {signingBehavior: 'always'}})`, "TypeError: cf.updateRequestOrigin: originAccessControlConfig.enabled is required"},
		{"OAC enabled without signingBehavior", `cf.updateRequestOrigin({originAccessControlConfig: {enabled: true, signingProtocol: 'sigv4', originType: 's3'}})`, "TypeError: cf.updateRequestOrigin: originAccessControlConfig.signingBehavior is required when OAC is enabled"},
		{"OAC enabled without originType", `cf.updateRequestOrigin({originAccessControlConfig: {enabled: true, signingBehavior: 'always', signingProtocol: 'sigv4'}})`, "TypeError: cf.updateRequestOrigin: originAccessControlConfig.originType is required when OAC is enabled"},
		{"OAC signingBehavior unknown", `cf.updateRequestOrigin({originAccessControlConfig: {enabled: true, signingBehavior: 'sometimes', signingProtocol: 'sigv4', originType: 's3'}})`, `RangeError: cf.updateRequestOrigin: originAccessControlConfig.signingBehavior must be 'always', 'never' or 'no-override', not "sometimes"`},
		{"OAC signingProtocol sigv2", `cf.updateRequestOrigin({originAccessControlConfig: {enabled: true, signingBehavior: 'always', signingProtocol: 'sigv2', originType: 's3'}})`, `RangeError: cf.updateRequestOrigin: originAccessControlConfig.signingProtocol must be 'sigv4', not "sigv2"`},
		{"OAC originType S3", `cf.updateRequestOrigin({originAccessControlConfig: {enabled: true, signingBehavior: 'always', signingProtocol: 'sigv4', originType: 'S3'}})`, `RangeError: cf.updateRequestOrigin: originAccessControlConfig.originType must be 's3', 'mediapackagev2', 'mediastore' or 'lambda', not "S3"`},
		{"OAC disabled with a bad originType", `cf.updateRequestOrigin({originAccessControlConfig: {enabled: false, originType: 'ec2'}})`, "RangeError: cf.updateRequestOrigin: originAccessControlConfig.originType must be"},

		// timeouts.
		{"timeouts a number", `cf.updateRequestOrigin({timeouts: 30})`, "TypeError: cf.updateRequestOrigin: timeouts must be an object, not a number"},
		{"readTimeout 0", `cf.updateRequestOrigin({timeouts: {readTimeout: 0}})`, "RangeError: cf.updateRequestOrigin: timeouts.readTimeout must be between 1 and 120, not 0"},
		{"readTimeout 121", `cf.updateRequestOrigin({timeouts: {readTimeout: 121}})`, "RangeError: cf.updateRequestOrigin: timeouts.readTimeout must be between 1 and 120, not 121"},
		{"readTimeout in milliseconds", `cf.updateRequestOrigin({timeouts: {readTimeout: 30000}})`, "RangeError: cf.updateRequestOrigin: timeouts.readTimeout must be between 1 and 120, not 30000"},
		{"readTimeout a string", `cf.updateRequestOrigin({timeouts: {readTimeout: '30'}})`, "TypeError: cf.updateRequestOrigin: timeouts.readTimeout must be a number, not a string"},
		{"keepAliveTimeout 121", `cf.updateRequestOrigin({timeouts: {keepAliveTimeout: 121}})`, "RangeError: cf.updateRequestOrigin: timeouts.keepAliveTimeout must be between 1 and 120, not 121"},
		{"connectionTimeout 11", `cf.updateRequestOrigin({timeouts: {connectionTimeout: 11}})`, "RangeError: cf.updateRequestOrigin: timeouts.connectionTimeout must be between 1 and 10, not 11"},
		{"connectionTimeout -1", `cf.updateRequestOrigin({timeouts: {connectionTimeout: -1}})`, "RangeError: cf.updateRequestOrigin: timeouts.connectionTimeout must be between 1 and 10, not -1"},
		{"responseCompletionTimeout below readTimeout", `cf.updateRequestOrigin({timeouts: {readTimeout: 30, responseCompletionTimeout: 29}})`, "RangeError: cf.updateRequestOrigin: timeouts.responseCompletionTimeout must be equal to or greater than timeouts.readTimeout"},
		{"responseCompletionTimeout of a year", `cf.updateRequestOrigin({timeouts: {responseCompletionTimeout: 31536000}})`, "RangeError: cf.updateRequestOrigin: timeouts.responseCompletionTimeout must be between 1 and 86400, not 31536000"},

		// customOriginConfig.
		{"customOriginConfig without port", `cf.updateRequestOrigin({customOriginConfig: {protocol: 'https', sslProtocols: ['TLSv1.2']}})`, "TypeError: cf.updateRequestOrigin: customOriginConfig.port is required"},
		{"customOriginConfig without protocol", `cf.updateRequestOrigin({customOriginConfig: {port: 443, sslProtocols: ['TLSv1.2']}})`, "TypeError: cf.updateRequestOrigin: customOriginConfig.protocol is required"},
		{"customOriginConfig without sslProtocols", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https'}})`, "TypeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols is required"},
		{"port 0", `cf.updateRequestOrigin({customOriginConfig: {port: 0, protocol: 'https', sslProtocols: ['TLSv1.2']}})`, "RangeError: cf.updateRequestOrigin: customOriginConfig.port must be between 1 and 65535, not 0"},
		{"port 65536", `cf.updateRequestOrigin({customOriginConfig: {port: 65536, protocol: 'https', sslProtocols: ['TLSv1.2']}})`, "RangeError: cf.updateRequestOrigin: customOriginConfig.port must be between 1 and 65535, not 65536"},
		{"port 22", `cf.updateRequestOrigin({customOriginConfig: {port: 22, protocol: 'http', sslProtocols: ['TLSv1.2']}})`, "RangeError: cf.updateRequestOrigin: customOriginConfig.port must be 80, 443 or between 1024 and 65535, not 22"},
		{"port not digits", `cf.updateRequestOrigin({customOriginConfig: {port: '443a', protocol: 'https', sslProtocols: ['TLSv1.2']}})`, `TypeError: cf.updateRequestOrigin: customOriginConfig.port must be a number, not "443a"`},
		{"port a signed string", `cf.updateRequestOrigin({customOriginConfig: {port: '+443', protocol: 'https', sslProtocols: ['TLSv1.2']}})`, `TypeError: cf.updateRequestOrigin: customOriginConfig.port must be a number, not "+443"`},
		{"protocol a long string", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'h'.repeat(1e5), sslProtocols: ['TLSv1.2']}})`, `RangeError: cf.updateRequestOrigin: customOriginConfig.protocol must be 'http' or 'https', not "` + strings.Repeat("h", 64) + `…"`},
		{"protocol match-viewer", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'match-viewer', sslProtocols: ['TLSv1.2']}})`, `RangeError: cf.updateRequestOrigin: customOriginConfig.protocol must be 'http' or 'https', not "match-viewer"`},
		{"sslProtocols a string", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: 'TLSv1.2'}})`, "TypeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols must be an array, not a string"},
		{"sslProtocols empty", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: []}})`, "RangeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols must list at least one protocol"},
		{"sslProtocols TLSv1.3", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: ['TLSv1.3']}})`, `RangeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols[0] must be 'SSLv3', 'TLSv1', 'TLSv1.1' or 'TLSv1.2', not "TLSv1.3"`},
		{"sslProtocols twice", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: ['TLSv1.2', 'TLSv1.2']}})`, "RangeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols lists TLSv1.2 twice"},
		{"sslProtocols of 5", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.2']}})`, "RangeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols must have at most 4 items, not 5"},
		{"sslProtocols of a million", `var a = []; a.length = 1e6; cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: a}})`, "RangeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols must have at most 4 items, not 1000000"},
		{"ipAddressType ipv5", `cf.updateRequestOrigin({domainName: 'a.com', customOriginConfig: {port: 443, protocol: 'https', sslProtocols: ['TLSv1.2'], ipAddressType: 'ipv5'}})`, `RangeError: cf.updateRequestOrigin: customOriginConfig.ipAddressType must be 'ipv4', 'ipv6' or 'dualstack', not "ipv5"`},
		{"ipAddressType without domainName", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: ['TLSv1.2'], ipAddressType: 'ipv6'}})`, "Error: cf.updateRequestOrigin: changing customOriginConfig.ipAddressType is only supported when the domainName property is also being changed"},

		// allowedCertificateNames.
		{"allowedCertificateNames a string", `cf.updateRequestOrigin({allowedCertificateNames: '*.example.com'})`, "TypeError: cf.updateRequestOrigin: allowedCertificateNames must be an array, not a string"},
		{"allowedCertificateNames empty", `cf.updateRequestOrigin({allowedCertificateNames: []})`, "RangeError: cf.updateRequestOrigin: allowedCertificateNames must list at least one name"},
		{"21 allowedCertificateNames", `cf.updateRequestOrigin({allowedCertificateNames: Array(21).fill('a.com')})`, "RangeError: cf.updateRequestOrigin: allowedCertificateNames must have at most 20 items, not 21"},
		{"an allowed certificate name of 65 characters", `cf.updateRequestOrigin({allowedCertificateNames: ['a'.repeat(61) + '.com']})`, "RangeError: cf.updateRequestOrigin: allowedCertificateNames[0] must be at most 64 characters long"},
		{"an allowed certificate name a number", `cf.updateRequestOrigin({allowedCertificateNames: ['a.com', 1]})`, "TypeError: cf.updateRequestOrigin: allowedCertificateNames[1] must be a string, not a number"},
		{"an allowed certificate name with a wildcard inside", `cf.updateRequestOrigin({allowedCertificateNames: ['a.*.com']})`, `Error: cf.updateRequestOrigin: allowedCertificateNames[0] must be a domain name, such as example.com or *.example.com, not "a.*.com"`},
		{"an allowed certificate name an IP address", `cf.updateRequestOrigin({allowedCertificateNames: ['192.0.2.1']})`, `allowedCertificateNames[0] must be a domain name`},

		// selectRequestOriginById.
		{"select without an id", `cf.selectRequestOriginById()`, "TypeError: cf.selectRequestOriginById: the origin id must be a string, not undefined"},
		{"select an id a number", `cf.selectRequestOriginById(1)`, "TypeError: cf.selectRequestOriginById: the origin id must be a string, not a number"},
		{"select an empty id", `cf.selectRequestOriginById('')`, "RangeError: cf.selectRequestOriginById: the origin id must not be empty"},
		{"select an id with a line feed", `cf.selectRequestOriginById('a\nb')`, "Error: cf.selectRequestOriginById: the origin id must not contain control characters"},
		{"select a long id", `cf.selectRequestOriginById('a'.repeat(257))`, "RangeError: cf.selectRequestOriginById: the origin id must be at most 256 characters long"},
		{"select with overrides a string", `cf.selectRequestOriginById('a', 'b.com')`, "TypeError: cf.selectRequestOriginById: origin_overrides must be an object, not a string"},
		{"select with a bad hostHeader", `cf.selectRequestOriginById('a', {hostHeader: '127.0.0.1'})`, `Error: cf.selectRequestOriginById: hostHeader can't be an IP address, as "127.0.0.1" is`},
		{"select with bad allowedCertificateNames", `cf.selectRequestOriginById('a', {allowedCertificateNames: 'x'})`, "TypeError: cf.selectRequestOriginById: allowedCertificateNames must be an array, not a string"},

		// createRequestOriginGroup.
		{"group without argument", `cf.createRequestOriginGroup()`, "TypeError: cf.createRequestOriginGroup: the origin group properties must be an object, not undefined"},
		{"group without originIds", `cf.createRequestOriginGroup({failoverCriteria: {statusCodes: [500]}})`, "TypeError: cf.createRequestOriginGroup: originIds is required"},
		{"group of one origin", `cf.createRequestOriginGroup({originIds: ['a'], failoverCriteria: {statusCodes: [500]}})`, "RangeError: cf.createRequestOriginGroup: originIds must list two origins (the primary and the secondary), not 1"},
		{"group of three origins", `cf.createRequestOriginGroup({originIds: ['a', 'b', 'c'], failoverCriteria: {statusCodes: [500]}})`, "RangeError: cf.createRequestOriginGroup: originIds must have at most 2 items, not 3"},
		{"group of the same origin twice", `cf.createRequestOriginGroup({originIds: ['a', {originId: 'a'}], failoverCriteria: {statusCodes: [500]}})`, `Error: cf.createRequestOriginGroup: the two origins of an origin group must differ, not both "a"`},
		{"group of an origin number", `cf.createRequestOriginGroup({originIds: ['a', 2], failoverCriteria: {statusCodes: [500]}})`, "TypeError: cf.createRequestOriginGroup: originIds[1] (an origin id, or an object with originId) must be an object, not a number"},
		{"group of an origin without originId", `cf.createRequestOriginGroup({originIds: ['a', {id: 'b'}], failoverCriteria: {statusCodes: [500]}})`, "TypeError: cf.createRequestOriginGroup: originIds[1].originId is required"},
		{"group of an empty origin id", `cf.createRequestOriginGroup({originIds: ['', 'b'], failoverCriteria: {statusCodes: [500]}})`, "RangeError: cf.createRequestOriginGroup: originIds[0] must not be empty"},
		{"group with bad overrides", `cf.createRequestOriginGroup({originIds: [{originId: 'a', originOverrides: {sni: 'a:1'}}, 'b'], failoverCriteria: {statusCodes: [500]}})`, `Error: cf.createRequestOriginGroup: sni can't include a colon (:), as in "a:1"`},
		{"group without failoverCriteria", `cf.createRequestOriginGroup({originIds: ['a', 'b']})`, "TypeError: cf.createRequestOriginGroup: failoverCriteria is required"},
		{"group with failoverCriteria an array", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: [500]})`, "TypeError: cf.createRequestOriginGroup: failoverCriteria must be an object, not an object"},
		{"group without statusCodes", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {}})`, "TypeError: cf.createRequestOriginGroup: failoverCriteria.statusCodes is required"},
		{"group with no status codes", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: []}})`, "RangeError: cf.createRequestOriginGroup: failoverCriteria.statusCodes must list at least one status code"},
		{"group failing over on 501", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [501]}})`, "RangeError: cf.createRequestOriginGroup: failoverCriteria.statusCodes[0] must be 400, 403, 404, 416, 500, 502, 503 or 504, not 501"},
		{"group failing over on 200", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [200]}})`, "RangeError: cf.createRequestOriginGroup: failoverCriteria.statusCodes[0] must be 400, 403, 404, 416, 500, 502, 503 or 504, not 200"},
		{"group failing over on '500'", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: ['500']}})`, "TypeError: cf.createRequestOriginGroup: failoverCriteria.statusCodes[0] must be a number, not a string"},
		{"group failing over on 500 twice", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [500, 500]}})`, "RangeError: cf.createRequestOriginGroup: failoverCriteria.statusCodes lists 500 twice"},
		{"group with a bad selectionCriteria", `cf.createRequestOriginGroup({originIds: ['a', 'b'], selectionCriteria: 'media-quality-based', failoverCriteria: {statusCodes: [500]}})`, `RangeError: cf.createRequestOriginGroup: selectionCriteria must be 'default' or 'media-quality-score', not "media-quality-based"`},

		// Holes and vanishing properties are undefined.
		{"a hole among the status codes", `cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [, 500]}})`, "TypeError: cf.createRequestOriginGroup: failoverCriteria.statusCodes[0] must be a number, not undefined"},
		{"a hole among the SSL protocols", `cf.updateRequestOrigin({customOriginConfig: {port: 443, protocol: 'https', sslProtocols: [, 'TLSv1.2']}})`, "TypeError: cf.updateRequestOrigin: customOriginConfig.sslProtocols[0] must be a string, not undefined"},
		{"a hole among the origin ids", `cf.createRequestOriginGroup({originIds: ['a', ,], failoverCriteria: {statusCodes: [500]}})`, "TypeError: cf.createRequestOriginGroup: originIds[1] (an origin id, or an object with originId) must be an object, not undefined"},
		{"a hole for an origin id", `cf.createRequestOriginGroup({originIds: [, 'b'], failoverCriteria: {statusCodes: [500]}})`, "TypeError: cf.createRequestOriginGroup: originIds[0] (an origin id, or an object with originId) must be an object, not undefined"},
		{"a custom header a getter deletes", `var h = {get 'x-a'() { delete h['x-b']; return '1' }, 'x-b': '2'}; cf.updateRequestOrigin({customHeaders: h})`, `TypeError: cf.updateRequestOrigin: customHeaders["x-b"] must be a string, not undefined`},

		// Getters run, and what they throw goes through.
		{"a getter that throws", `cf.updateRequestOrigin({get domainName() { throw new SyntaxError('mine') }})`, "SyntaxError: mine"},
		{"a Proxy", `cf.updateRequestOrigin(new Proxy({}, {get() { return 42 }}))`, "TypeError: cf.updateRequestOrigin: domainName must be a string, not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runOrigin(t, originCode(tt.stmts))
			got := strings.TrimPrefix(r.Request.Headers["x-out"].Value, "threw ")
			if !strings.Contains(got, tt.want) || (strings.Contains(tt.want, ": cf.") && !strings.HasPrefix(got, strings.SplitN(tt.want, ":", 2)[0]+":")) {
				t.Errorf("%s\n got %s\nwant %s", tt.stmts, got, tt.want)
			}
			if r.Origin != nil {
				t.Errorf("a call that threw recorded %s", dump(r.Origin))
			}
		})
	}
}

// TestOriginAccepts: values at the edges of what the page allows, and
// its optional parameters left out.
func TestOriginAccepts(t *testing.T) {
	tests := []struct {
		name, stmts string
		want        *OriginChange
	}{
		{"an empty object", `cf.updateRequestOrigin({})`, &OriginChange{Update: &OriginUpdate{}}},
		{"undefined parameters", `cf.updateRequestOrigin({domainName: undefined, timeouts: undefined, customHeaders: undefined})`, &OriginChange{Update: &OriginUpdate{}}},
		{"an empty timeouts object", `cf.updateRequestOrigin({timeouts: {}})`, &OriginChange{Update: &OriginUpdate{}}},
		{"originPath empty", `cf.updateRequestOrigin({originPath: ''})`, &OriginChange{Update: &OriginUpdate{OriginPath: sp("")}}},
		{"originPath with escapes", `cf.updateRequestOrigin({originPath: '/pr-123/a%2Fb'})`, &OriginChange{Update: &OriginUpdate{OriginPath: sp("/pr-123/a%2Fb")}}},
		{"originShield disabled", `cf.updateRequestOrigin({originShield: {enabled: false}})`, &OriginChange{Update: &OriginUpdate{OriginShield: &OriginShield{}}}},
		{"originShield disabled with a region", `cf.updateRequestOrigin({originShield: {enabled: false, region: 'eu-west-1'}})`, &OriginChange{Update: &OriginUpdate{OriginShield: &OriginShield{}}}},
		{"a GovCloud region", `cf.updateRequestOrigin({originShield: {enabled: true, region: 'us-gov-west-1'}})`, &OriginChange{Update: &OriginUpdate{OriginShield: &OriginShield{Enabled: true, Region: "us-gov-west-1"}}}},
		{"OAC no-override", `cf.updateRequestOrigin({originAccessControlConfig: {enabled: true, signingBehavior: 'no-override', signingProtocol: 'sigv4', originType: 'mediapackagev2'}})`,
			&OriginChange{Update: &OriginUpdate{OriginAccessControlConfig: &OriginAccessControlConfig{Enabled: true, SigningBehavior: "no-override", SigningProtocol: "sigv4", OriginType: "mediapackagev2"}}}},
		{"timeouts of 1 second, as 1.0", `cf.updateRequestOrigin({timeouts: {readTimeout: 1.0, connectionTimeout: 1, keepAliveTimeout: 120, responseCompletionTimeout: 86400}})`,
			&OriginChange{Update: &OriginUpdate{ReadTimeout: secs(1), ConnectionTimeout: secs(1), KeepAliveTimeout: secs(120), ResponseCompletionTimeout: secs(86400)}}},
		{"connectionAttempts 1", `cf.updateRequestOrigin({connectionAttempts: 1})`, &OriginChange{Update: &OriginUpdate{ConnectionAttempts: ip(1)}}},
		{"port 80 over http", `cf.updateRequestOrigin({customOriginConfig: {port: 80, protocol: 'http', sslProtocols: ['TLSv1.2']}})`,
			&OriginChange{Update: &OriginUpdate{CustomOriginConfig: &CustomOriginConfig{Port: 80, Protocol: "http", SSLProtocols: []string{"TLSv1.2"}}}}},
		{"port 65535 and ipv6 with domainName", `cf.updateRequestOrigin({domainName: 'v6.example.com', customOriginConfig: {port: 65535, protocol: 'https', sslProtocols: ['TLSv1.1', 'TLSv1.2'], ipAddressType: 'ipv6'}})`,
			&OriginChange{Update: &OriginUpdate{DomainName: sp("v6.example.com"), CustomOriginConfig: &CustomOriginConfig{Port: 65535, Protocol: "https", SSLProtocols: []string{"TLSv1.1", "TLSv1.2"}, IPAddressType: "ipv6"}}}},
		{"an S3 website endpoint in mixed case", `cf.updateRequestOrigin({domainName: 'Bucket.s3-website-us-east-1.amazonaws.com'})`, &OriginChange{Update: &OriginUpdate{DomainName: sp("Bucket.s3-website-us-east-1.amazonaws.com")}}},
		{"a domainName of 253 characters", `cf.updateRequestOrigin({domainName: '` + strings.Repeat("a", 63) + `.` + strings.Repeat("b", 63) + `.` + strings.Repeat("c", 63) + `.` + strings.Repeat("d", 61) + `'})`,
			&OriginChange{Update: &OriginUpdate{DomainName: sp(strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61))}}},
		{"a name with an underscore", `cf.updateRequestOrigin({domainName: 'my_host.internal.example'})`, &OriginChange{Update: &OriginUpdate{DomainName: sp("my_host.internal.example")}}},
		{"select with empty overrides", `cf.selectRequestOriginById('origin-1', {})`, &OriginChange{SelectID: "origin-1"}},
		{"select with undefined overrides", `cf.selectRequestOriginById('origin-1', undefined)`, &OriginChange{SelectID: "origin-1"}},
		{"select an id of any characters", `cf.selectRequestOriginById('My Origin (prod) ü')`, &OriginChange{SelectID: "My Origin (prod) ü"}},
		{"select with sni and certificate names", `cf.selectRequestOriginById('o', {sni: 'sni.example.com', allowedCertificateNames: ['*.example.com']})`,
			&OriginChange{SelectID: "o", SelectOverrides: &OriginOverrides{SNI: sp("sni.example.com"), AllowedCertificateNames: []string{"*.example.com"}}}},
		{"a group of string ids, media-quality-score", `cf.createRequestOriginGroup({originIds: ['a', 'b'], selectionCriteria: 'media-quality-score', failoverCriteria: {statusCodes: [504, 404, 500]}})`,
			&OriginChange{Group: &OriginGroupChange{Primary: member("a"), Secondary: member("b"), SelectionCriteria: "media-quality-score", FailoverStatusCodes: []int{404, 500, 504}}}},
		{"a group with shared overrides", `cf.createRequestOriginGroup({originIds: ['a', {originId: 'b', originOverrides: {sni: 'b.example'}}], originOverrides: {hostHeader: 'shared.example'}, failoverCriteria: {statusCodes: [503]}})`,
			&OriginChange{Group: &OriginGroupChange{
				Primary:           OriginGroupMember{ID: "a", Overrides: &OriginOverrides{HostHeader: sp("shared.example")}},
				Secondary:         OriginGroupMember{ID: "b", Overrides: &OriginOverrides{SNI: sp("b.example")}},
				SelectionCriteria: "default", FailoverStatusCodes: []int{503}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runOrigin(t, originCode(tt.stmts))
			if got := r.Request.Headers["x-out"].Value; got != "ok" {
				t.Fatalf("the call threw: %s", got)
			}
			if !reflect.DeepEqual(r.Origin, tt.want) {
				t.Errorf("Origin\n got %s\nwant %s", dump(r.Origin), dump(tt.want))
			}
		})
	}
}

// TestOriginEvents: the helpers work in viewer-request functions only
// ("You can update the origin on viewer request CloudFront Functions
// only"): in a viewer-response function they throw that Error, which
// fails the function unless it catches it. Their record is part of the
// result only when the function lets the request go on: a generated
// response goes nowhere. They return undefined.
func TestOriginEvents(t *testing.T) {
	for _, stmt := range []string{
		`cf.updateRequestOrigin({domainName: 'www.example.com'})`,
		`cf.selectRequestOriginById('origin-1')`,
		`cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [500]}})`,
		`cf.updateRequestOrigin(42)`, // the event type is checked first
	} {
		p := compile(t, Runtime20, `import cf from 'cloudfront';
		function handler(event) { `+stmt+`; return event.response; }`)
		_, err := p.Run(response(200), testLimits)
		if !errors.Is(err, ErrExecution) || err.Error() != "Error: "+msgViewerRequestOnly {
			t.Errorf("%s in viewer-response: %v", stmt, err)
		}
		p = compile(t, Runtime20, `import cf from 'cloudfront';
		function handler(event) {
			try { `+stmt+`; } catch (e) { event.response.headers['x-out'] = {value: e.name + ': ' + e.message}; }
			return event.response;
		}`)
		r, err := p.Run(response(200), testLimits)
		if err != nil || r.Response.Headers["x-out"].Value != "Error: "+msgViewerRequestOnly || r.Origin != nil {
			t.Errorf("%s in viewer-response, caught: %v %+v", stmt, err, r)
		}
	}

	// A generated response: no origin.
	r := runOrigin(t, `import cf from 'cloudfront';
	function handler(event) {
		cf.selectRequestOriginById('origin-1');
		return {statusCode: 302, headers: {location: {value: 'https://example.com/'}}};
	}`)
	if r.Response == nil || r.Origin != nil {
		t.Errorf("a generated response: %+v", r)
	}

	// The return value, at the top level too, and from an async handler
	// after an await.
	r = runOrigin(t, `import cf from 'cloudfront';
	const top = cf.updateRequestOrigin({domainName: 'top.example.com'});
	async function handler(event) {
		var got = [typeof top, typeof cf.selectRequestOriginById('x'), typeof cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [500]}})];
		await null;
		cf.updateRequestOrigin({domainName: 'after.await.example.com'});
		event.request.headers['x-out'] = {value: got.join()};
		return event.request;
	}`)
	if got := r.Request.Headers["x-out"].Value; got != "undefined,undefined,undefined" {
		t.Errorf("return values: %s", got)
	}
	if r.Origin == nil || r.Origin.Update == nil || *r.Origin.Update.DomainName != "after.await.example.com" {
		t.Errorf("after an await: %s", dump(r.Origin))
	}
}

// TestOriginUncaught: a helper's error, uncaught, fails the function
// (the edge answers 503), in Run and in RunJSON alike.
func TestOriginUncaught(t *testing.T) {
	p := compile(t, Runtime20, `import cf from 'cloudfront';
	function handler(event) { cf.updateRequestOrigin({connectionAttempts: 9}); return event.request; }`)
	_, err := p.Run(request("/"), testLimits)
	if !errors.Is(err, ErrExecution) || err.Error() != "RangeError: cf.updateRequestOrigin: connectionAttempts must be between 1 and 3, not 9" {
		t.Errorf("Run: %v", err)
	}
	_, _, _, err = p.RunJSON([]byte(`{"context":{"eventType":"viewer-request"},"request":{"method":"GET","uri":"/"}}`), testLimits)
	if !errors.Is(err, ErrExecution) || !strings.Contains(err.Error(), "connectionAttempts must be between 1 and 3") {
		t.Errorf("RunJSON: %v", err)
	}
}

// TestOriginLastWins: the page does not say what several uses in one call
// do; the last one wins, whichever helper it is, and a use that threw
// (and was caught) changes nothing.
func TestOriginLastWins(t *testing.T) {
	tests := []struct {
		stmts string
		want  *OriginChange
	}{
		{`cf.updateRequestOrigin({domainName: 'a.example'}); cf.updateRequestOrigin({originPath: '/b'})`,
			&OriginChange{Update: &OriginUpdate{OriginPath: sp("/b")}}},
		{`cf.updateRequestOrigin({domainName: 'a.example'}); cf.selectRequestOriginById('o')`,
			&OriginChange{SelectID: "o"}},
		{`cf.selectRequestOriginById('o'); cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [500]}})`,
			&OriginChange{Group: &OriginGroupChange{Primary: member("a"), Secondary: member("b"), SelectionCriteria: "default", FailoverStatusCodes: []int{500}}}},
		{`cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [500]}}); cf.updateRequestOrigin({domainName: 'c.example'})`,
			&OriginChange{Update: &OriginUpdate{DomainName: sp("c.example")}}},
		{`cf.selectRequestOriginById('o'); try { cf.updateRequestOrigin({domainName: 'bad:name'}) } catch (e) {}`,
			&OriginChange{SelectID: "o"}},
		// A getter that uses a helper while the outer use reads its
		// arguments: the outer use ends last, and wins.
		{`cf.updateRequestOrigin({get domainName() { cf.selectRequestOriginById('inner'); return 'outer.example' }})`,
			&OriginChange{Update: &OriginUpdate{DomainName: sp("outer.example")}}},
	}
	for _, tt := range tests {
		r := runOrigin(t, originCode(tt.stmts))
		if got := r.Request.Headers["x-out"].Value; got != "ok" {
			t.Errorf("%s threw: %s", tt.stmts, got)
		}
		if !reflect.DeepEqual(r.Origin, tt.want) {
			t.Errorf("%s\n got %s\nwant %s", tt.stmts, dump(r.Origin), dump(tt.want))
		}
	}
}

// TestOriginIsolation: what a call asked is recorded on that call only: on
// a reused runtime, the next call that asks nothing has no Origin, and one
// that asks something has only what it asked; the same at once on several
// runtimes; and an idle runtime holds no record. What the edge is given is
// openfront's own: changing the function's objects after the call changes
// nothing (the function has none left, and the record holds none).
func TestOriginIsolation(t *testing.T) {
	p := compile(t, Runtime20, `import cf from 'cloudfront';
	var params = {domainName: 'x.example', customHeaders: {}};
	function handler(event) {
		var h = event.request.headers;
		switch (h['x-do'] && h['x-do'].value) {
		case 'update':
			params.customHeaders['x-origin-tenant'] = h['x-tenant'].value;
			cf.updateRequestOrigin(params);
			params.customHeaders['x-origin-tenant'] = 'changed after the call';
			params.domainName = 'changed.example';
			break;
		case 'select': cf.selectRequestOriginById('origin-' + h['x-tenant'].value); break;
		case 'fail': cf.selectRequestOriginById('origin-' + h['x-tenant'].value); throw new Error('after recording');
		}
		return event.request;
	}`)
	run := func(do, tenant string) (*Result, error) {
		ev := request("/")
		ev.Request.Headers["x-tenant"] = Value{Value: tenant}
		if do != "" {
			ev.Request.Headers["x-do"] = Value{Value: do}
		}
		return p.Run(ev, testLimits)
	}
	check := func(do, tenant string) error {
		r, err := run(do, tenant)
		if err != nil {
			return err
		}
		var want *OriginChange
		switch do {
		case "update":
			want = &OriginChange{Update: &OriginUpdate{DomainName: sp("x.example"), CustomHeaders: map[string]string{"x-origin-tenant": tenant}}}
		case "select":
			want = &OriginChange{SelectID: "origin-" + tenant}
		}
		if !reflect.DeepEqual(r.Origin, want) {
			return fmt.Errorf("%s for %s: Origin %s, want %s", do, tenant, dump(r.Origin), dump(want))
		}
		return nil
	}
	for _, step := range [][2]string{{"update", "a"}, {"", "b"}, {"select", "c"}, {"", "d"}, {"update", "e"}, {"select", "f"}, {"", "g"}} {
		if err := check(step[0], step[1]); err != nil {
			t.Fatal(err)
		}
		if len(p.idle) != 1 {
			t.Fatalf("%d idle runtimes, want the one reused", len(p.idle))
		}
	}
	// A call that fails after recording: an error, and the next call on
	// a new runtime or the old one asks nothing.
	if _, err := run("fail", "h"); !errors.Is(err, ErrExecution) {
		t.Fatalf("a failing call: %v", err)
	}
	if err := check("", "i"); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				do := []string{"update", "select", ""}[(g+i)%3]
				if err := check(do, fmt.Sprintf("t%d-%d", g, i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, s := range p.idle {
		if s.origin != nil || s.eventType != "" {
			t.Errorf("an idle runtime holds a record: %v %q", s.origin, s.eventType)
		}
	}
}

// TestOriginCustomHeaderInRequest: "a header with the same name can't also
// be present in the incoming request headers". The call cannot know what
// the request will be when the function returns it, so Run checks the
// request it returns (a validation error, which the edge answers with
// 503); the function may remove the viewer's header to add its own.
// RunJSON, like CloudFront's test API, does not test the origin
// modification.
func TestOriginCustomHeaderInRequest(t *testing.T) {
	p := compile(t, Runtime20, `import cf from 'cloudfront';
	function handler(event) {
		cf.updateRequestOrigin({customHeaders: {'x-stage': 'production', 'accept': 'text/plain'}});
		if (event.request.headers['x-remove']) delete event.request.headers.accept;
		return event.request;
	}`)
	_, err := p.Run(request("/"), testLimits)
	if !errors.Is(err, ErrValidation) || !strings.Contains(err.Error(), `the custom header "accept" of cf.updateRequestOrigin is also a header of the request`) {
		t.Errorf("Run: %v", err)
	}
	r, err := p.Run(with(request("/"), func(ev *Event) { ev.Request.Headers["x-remove"] = Value{Value: "1"} }), testLimits)
	if err != nil || r.Origin == nil || r.Origin.Update.CustomHeaders["accept"] != "text/plain" {
		t.Errorf("Run with the header removed: %v %+v", err, r)
	}
	out, _, _, err := p.RunJSON([]byte(`{"context":{"eventType":"viewer-request"},"request":{"method":"GET","uri":"/","headers":{"accept":{"value":"*/*"}}}}`), testLimits)
	if err != nil || string(out) != `{"request":{"method":"GET","uri":"/","querystring":{},"headers":{"accept":{"value":"*/*"}},"cookies":{}}}` {
		t.Errorf("RunJSON: %s %v", out, err)
	}
}

// TestOriginRunJSON: TestFunction's output is the request as usual, the
// helpers having run without error ("testing ensures that the function
// code executes without error").
func TestOriginRunJSON(t *testing.T) {
	p := compile(t, Runtime20, `import cf from 'cloudfront';
	function handler(event) {
		cf.updateRequestOrigin({domainName: 'www.example.com', customHeaders: {'x-stage': 'production'}});
		cf.selectRequestOriginById('myALB-prod', {hostHeader: 'test.example.com'});
		cf.createRequestOriginGroup({originIds: ['origin-1', 'origin-2'], failoverCriteria: {statusCodes: [500]}});
		event.request.uri = '/index.html';
		return event.request;
	}`)
	out, logs, _, err := p.RunJSON([]byte(`{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"198.51.100.11"},"request":{"method":"GET","uri":"/","headers":{"host":{"value":"example.org"}}}}`), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"request":{"method":"GET","uri":"/index.html","querystring":{},"headers":{"host":{"value":"example.org"}},"cookies":{}}}`; string(out) != want {
		t.Errorf("out = %s\nwant  %s", out, want)
	}
	if len(logs) != 0 {
		t.Errorf("logs = %q", logs)
	}
}

// TestOriginRandomParams throws random parameter objects at the helpers:
// each use either throws an Error, TypeError or RangeError (never crashes
// or fails the call some other way), or records what passes the page's
// bounds, with no control character in any string that goes into the
// origin request.
func TestOriginRandomParams(t *testing.T) {
	rnd := rand.New(rand.NewSource(randomSeed))
	strs := []string{"''", "'www.example.com'", "'a.com:80'", "'10.0.0.1'", "'/path'", "'/path/'", "'x\\r\\ny'", "'\\0'", "'x-a'", "'X-A'",
		"'host'", "'us-east-2'", "'always'", "'sigv4'", "'s3'", "'https'", "'TLSv1.2'", "'ipv6'", "'*.example.com'", "'a'.repeat(300)", "'default'"}
	keys := []string{"domainName", "hostHeader", "originPath", "customHeaders", "connectionAttempts", "originShield", "originAccessControlConfig",
		"timeouts", "customOriginConfig", "sni", "allowedCertificateNames", "enabled", "region", "signingBehavior", "signingProtocol", "originType",
		"readTimeout", "responseCompletionTimeout", "keepAliveTimeout", "connectionTimeout", "port", "protocol", "sslProtocols", "ipAddressType",
		"originIds", "originId", "originOverrides", "failoverCriteria", "statusCodes", "selectionCriteria", "x-a", "__proto__"}
	var value func(depth int) string
	value = func(depth int) string {
		switch n := rnd.Intn(10); {
		case n < 3:
			return strs[rnd.Intn(len(strs))]
		case n < 5:
			return fmt.Sprint([]any{0, 1, 3, 10, 80, 120, 443, 500, 504, -1, 1.5, "NaN", 65536}[rnd.Intn(13)])
		case n < 6:
			return []string{"true", "false", "null", "undefined"}[rnd.Intn(4)]
		case n < 8 && depth < 3:
			var b strings.Builder
			b.WriteString("[")
			for i := rnd.Intn(4); i > 0; i-- {
				b.WriteString(value(depth+1) + ",")
			}
			return b.String() + "]"
		case depth < 3:
			var b strings.Builder
			b.WriteString("{")
			used := map[string]bool{}
			for i := rnd.Intn(6); i > 0; i-- {
				if k := keys[rnd.Intn(len(keys))]; !used[k] {
					used[k] = true
					b.WriteString("'" + k + "': " + value(depth+1) + ",")
				}
			}
			return b.String() + "}"
		}
		return "{}"
	}
	var b strings.Builder
	b.WriteString(`import cf from 'cloudfront';
	var cases = [`)
	const n = 1000
	// Half the cases are random objects, half valid ones (the page's
	// parameters, all given) with one to three properties replaced by a
	// random value or deleted.
	templates := []struct{ fn, obj string }{
		{"updateRequestOrigin", `{domainName: 'www.example.com', hostHeader: 'h.example.com', originPath: '/p',
			customHeaders: {'x-a': 'v'}, connectionAttempts: 2, originShield: {enabled: true, region: 'us-east-2'},
			originAccessControlConfig: {enabled: true, signingBehavior: 'always', signingProtocol: 'sigv4', originType: 's3'},
			timeouts: {readTimeout: 30, responseCompletionTimeout: 60, keepAliveTimeout: 5, connectionTimeout: 5},
			customOriginConfig: {port: 443, protocol: 'https', sslProtocols: ['TLSv1.2'], ipAddressType: 'ipv4'},
			sni: 's.example.com', allowedCertificateNames: ['*.example.com']}`},
		{"createRequestOriginGroup", `{originIds: [{originId: 'a', originOverrides: {hostHeader: 'h.example', sni: 's.example',
			allowedCertificateNames: ['c.example']}}, 'b'], originOverrides: {sni: 'x.example'}, selectionCriteria: 'default',
			failoverCriteria: {statusCodes: [500, 502]}}`},
	}
	paths := [][]string{
		{"domainName", "hostHeader", "originPath", "customHeaders", "customHeaders['x-a']", "customHeaders['X-B']", "connectionAttempts",
			"originShield", "originShield.enabled", "originShield.region", "originAccessControlConfig", "originAccessControlConfig.enabled",
			"originAccessControlConfig.signingBehavior", "originAccessControlConfig.originType", "timeouts", "timeouts.readTimeout",
			"timeouts.responseCompletionTimeout", "timeouts.keepAliveTimeout", "timeouts.connectionTimeout", "customOriginConfig",
			"customOriginConfig.port", "customOriginConfig.protocol", "customOriginConfig.sslProtocols", "customOriginConfig.sslProtocols[1]",
			"customOriginConfig.ipAddressType", "sni", "allowedCertificateNames", "allowedCertificateNames[0]"},
		{"originIds", "originIds[0]", "originIds[1]", "originIds[0].originId", "originIds[0].originOverrides", "originIds[0].originOverrides.sni",
			"originIds[0].originOverrides.allowedCertificateNames", "originOverrides", "originOverrides.hostHeader", "selectionCriteria",
			"failoverCriteria", "failoverCriteria.statusCodes", "failoverCriteria.statusCodes[0]", "failoverCriteria.statusCodes[2]"},
	}
	var srcs []string
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			fn := []string{"updateRequestOrigin", "selectRequestOriginById", "createRequestOriginGroup"}[rnd.Intn(3)]
			args := value(0)
			if fn == "selectRequestOriginById" && rnd.Intn(2) == 0 {
				args = strs[rnd.Intn(len(strs))]
			}
			if rnd.Intn(2) == 0 {
				args += ", " + value(1)
			}
			srcs = append(srcs, fmt.Sprintf("function () { cf.%s(%s) },\n", fn, args))
			b.WriteString(srcs[i])
			continue
		}
		k := rnd.Intn(len(templates))
		var muts strings.Builder
		for j := rnd.Intn(3) + 1; j > 0; j-- {
			path := paths[k][rnd.Intn(len(paths[k]))]
			if rnd.Intn(4) == 0 {
				fmt.Fprintf(&muts, "try { delete o.%s } catch (e) {} ", path)
			} else {
				fmt.Fprintf(&muts, "try { o.%s = %s } catch (e) {} ", path, value(1))
			}
		}
		srcs = append(srcs, fmt.Sprintf("function () { var o = %s; %s cf.%s(o) },\n", templates[k].obj, muts.String(), templates[k].fn))
		b.WriteString(srcs[i])
	}
	b.WriteString(`];
	function handler(event) {
		var i = Number(event.request.headers['x-case'].value), out = 'ok';
		try { cases[i](); } catch (e) { out = e instanceof Error ? e.name : 'not an Error: ' + e; }
		event.request.headers['x-out'] = {value: out};
		return event.request;
	}`)
	p := compile(t, Runtime20, b.String())
	recorded := 0
	for i := 0; i < n; i++ {
		ev := request("/")
		ev.Request.Headers["x-case"] = Value{Value: fmt.Sprint(i)}
		r, err := p.Run(ev, testLimits)
		if err != nil {
			if errors.Is(err, ErrValidation) && strings.Contains(err.Error(), "is also a header of the request") {
				continue
			}
			t.Fatalf("case %d: %v\n%s", i, err, srcs[i])
		}
		switch out := r.Request.Headers["x-out"].Value; out {
		case "ok":
			if r.Origin == nil {
				t.Fatalf("case %d: no record", i)
			}
			recorded++
			checkOriginChange(t, r.Origin)
		case "Error", "TypeError", "RangeError":
			if r.Origin != nil {
				t.Fatalf("case %d threw and recorded %s", i, dump(r.Origin))
			}
		default:
			t.Fatalf("case %d: %s", i, out)
		}
	}
	t.Logf("%d of %d random uses recorded a change", recorded, n)
}

// randomSeed is TestOriginRandomParams' seed: a fixed one, so that a
// failure can be run again.
var randomSeed int64 = 1

// checkOriginChange checks the invariants of a recorded change.
func checkOriginChange(t *testing.T, c *OriginChange) {
	t.Helper()
	set := 0
	for _, ok := range []bool{c.SelectID != "", c.Group != nil, c.Update != nil} {
		if ok {
			set++
		}
	}
	if set != 1 || c.SelectOverrides != nil && c.SelectID == "" {
		t.Fatalf("not exactly one change: %s", dump(c))
	}
	clean := func(s string, max int) {
		if strings.ContainsAny(s, "\r\n\x00") || len(s) > max {
			t.Fatalf("a recorded string %q", s)
		}
	}
	host := func(p *string) {
		if p != nil {
			clean(*p, maxDomainName)
			if !isDNSName(*p) {
				t.Fatalf("a recorded host %q", *p)
			}
		}
	}
	overrides := func(o *OriginOverrides) {
		if o == nil {
			return
		}
		host(o.HostHeader)
		host(o.SNI)
		for _, n := range o.AllowedCertificateNames {
			clean(n, maxCertName)
		}
	}
	clean(c.SelectID, maxOriginID)
	overrides(c.SelectOverrides)
	if g := c.Group; g != nil {
		clean(g.Primary.ID, maxOriginID)
		clean(g.Secondary.ID, maxOriginID)
		overrides(g.Primary.Overrides)
		overrides(g.Secondary.Overrides)
		if len(g.FailoverStatusCodes) == 0 || g.Primary.ID == g.Secondary.ID {
			t.Fatalf("a recorded group %s", dump(g))
		}
	}
	if u := c.Update; u != nil {
		host(u.DomainName)
		host(u.HostHeader)
		host(u.SNI)
		if u.OriginPath != nil {
			clean(*u.OriginPath, maxOriginPath)
		}
		if len(u.CustomHeaders) > maxCustomHeaders {
			t.Fatalf("%d custom headers", len(u.CustomHeaders))
		}
		for k, v := range u.CustomHeaders {
			clean(k, maxHeaderName)
			clean(v, maxHeaderValue)
			if !isToken(k) || customHeaderDenied(k) {
				t.Fatalf("a recorded custom header %q", k)
			}
		}
		if u.ConnectionAttempts != nil && (*u.ConnectionAttempts < 1 || *u.ConnectionAttempts > 3) {
			t.Fatalf("connectionAttempts %d", *u.ConnectionAttempts)
		}
		for _, d := range []*time.Duration{u.ReadTimeout, u.KeepAliveTimeout, u.ConnectionTimeout, u.ResponseCompletionTimeout} {
			if d != nil && (*d < time.Second || *d > maxCompletionSecs*time.Second) {
				t.Fatalf("a timeout of %v", *d)
			}
		}
	}
}
