// Package objects holds the two benchmark objects and the handler that
// serves them, shared by the origin and the ceiling so both send the same
// bytes and headers.
package objects

import (
	"bytes"
	"net/http"
	"strconv"
)

// Object is one benchmark object with its headers built once.
type Object struct {
	Body   []byte
	Header http.Header
}

// Objects maps a path to its object: /1k (1 KiB) and /1m (1 MiB).
func Objects() map[string]*Object {
	m := map[string]*Object{}
	for path, size := range map[string]int{"/1k": 1 << 10, "/1m": 1 << 20} {
		body := bytes.Repeat([]byte("0123456789abcdef"), size/16)
		m[path] = &Object{Body: body, Header: http.Header{
			"Content-Type":   {"application/octet-stream"},
			"Cache-Control":  {"max-age=86400"},
			"Content-Length": {strconv.Itoa(len(body))},
			"Etag":           {`"` + path[1:] + `-v1"`},
			"Last-Modified":  {"Mon, 02 Jan 2006 15:04:05 GMT"},
		}}
	}
	return m
}

// Handler answers GET and HEAD for the objects from memory.
func Handler() http.Handler { return handler(Objects()) }

// CloudFrontHandler is Handler with the headers an edge adds to a hit
// (the origin's Date, Via, X-Cache, X-Amz-Cf-Id, Age), fixed values, so a
// ceiling can measure what net/http spends on CloudFront's header set
// alone: ten header map entries instead of five.
func CloudFrontHandler() http.Handler {
	objs := Objects()
	for _, o := range objs {
		o.Header["Date"] = []string{"Mon, 02 Jan 2006 15:04:05 GMT"}
		o.Header["Via"] = []string{"1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)"}
		o.Header["X-Cache"] = []string{"Hit from cloudfront"}
		o.Header["X-Amz-Cf-Id"] = []string{"3Ai1v1hcBMTf4Sd5eTV9S0Ouso8QDDBiJyBjq3Ipt8mQ5D0rl8mzCg=="}
		o.Header["Age"] = []string{"1"}
	}
	return handler(objs)
}

func handler(objs map[string]*Object) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, ok := objs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		for k, v := range o.Header {
			h[k] = v
		}
		if r.Method == http.MethodHead {
			return
		}
		w.Write(o.Body)
	})
}
