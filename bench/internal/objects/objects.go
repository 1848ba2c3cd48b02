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
func Handler() http.Handler {
	objs := Objects()
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
