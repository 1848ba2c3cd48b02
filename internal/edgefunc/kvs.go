package edgefunc

import (
	"fmt"
	"time"

	"github.com/dop251/goja"
)

// KeyValueStore is a key value store a function reads through cf.kvs().
// A function has at most one (CloudFront: "A function can have only one
// key value store"); the call names it in Limits.KeyValueStore.
//
// Its methods are called during the call, from the goroutine running it
// and within its time budget, which they cannot be interrupted in: they
// must be quick in-memory reads, and safe for concurrent use (calls of
// the same or other functions may read the same store at once).
type KeyValueStore interface {
	ID() string // the store's id (a UUID)
	Get(key string) (string, bool)
	Meta() KeyValueStoreMeta
}

// KeyValueStoreMeta is what kvsHandle.meta() tells about a store.
type KeyValueStoreMeta struct {
	Created, Modified time.Time
	Keys              int
}

// maxKeyBytes is CloudFront's quota on a key's length: no key of a store
// is longer, so a longer one is not looked up.
const maxKeyBytes = 512

// The messages of the cf module's errors. CloudFront documents that get
// "will return an error when the key that you requested doesn't exist in
// the associated key value store", and that cf.kvs() "fails if there is
// no key value store associated with the function", but not the errors'
// messages: these are openfront's.
const (
	msgKeyNotFound = "Key not found: %s"
	msgNoStore     = "No key value store is associated with the function"
	msgOtherStore  = "The key value store %s is not associated with the function"
	msgStaleHandle = "The key value store handle was made by an earlier call of the function"
)

// The formats kvsHandle.get() reads a value in.
const (
	formatString = "string"
	formatJSON   = "json"
	formatBytes  = "bytes"
)

// cloudfrontModule makes runtime 2.0's cloudfront module ("Helper methods
// for key value stores", "Helper methods for origin modification"):
// cf.kvs([id]) returns a handle whose get(key, options), exists(key) and
// meta() return Promises, reading the store of the call running
// (s.store); cf.updateRequestOrigin(params),
// cf.selectRequestOriginById(id[, overrides]) and
// cf.createRequestOriginGroup(params) check their arguments and record
// what they ask for the call running (s.origin, which becomes
// Result.Origin: see originHelpers). cf.edgeLocation is absent.
//
// A handle holds no store, only the number of the call that made it
// (s.call increments s.gen for every call): its methods read s.store, and
// only while that call runs. A handle cannot outlive its call anyway (the
// code's top level runs afresh every call, and no object a call may write
// to survives it), so this is a second wall: even a handle that did would
// not read another call's store.
func (s *slot) cloudfrontModule() (goja.Value, error) {
	rt := s.rt
	h := rt.NewObject()
	must(h.Set("open", s.native("open", 1, func(call goja.FunctionCall) goja.Value {
		if s.store == nil {
			s.throwError(msgNoStore)
		}
		if id := call.Argument(0); !goja.IsUndefined(id) {
			if !isString(id) {
				s.throwType("The key value store id must be a string")
			}
			if id.String() != s.store.ID() {
				s.throwError(msgOtherStore, quote(id.String()))
			}
		}
		return rt.ToValue(s.gen)
	})))
	must(h.Set("get", s.native("get", 3, func(call goja.FunctionCall) goja.Value {
		st := s.storeFor(call.Argument(0))
		format := s.kvsFormat(call.Argument(2))
		key, ok := s.kvsKey(call.Argument(1))
		var value string
		if ok {
			value, ok = st.Get(key)
		}
		if !ok {
			s.throwError(msgKeyNotFound, quote(key))
		}
		return s.kvsValue(key, value, format)
	})))
	must(h.Set("exists", s.native("exists", 2, func(call goja.FunctionCall) goja.Value {
		st := s.storeFor(call.Argument(0))
		key, ok := s.kvsKey(call.Argument(1))
		if ok {
			_, ok = st.Get(key)
		}
		return rt.ToValue(ok)
	})))
	must(h.Set("meta", s.native("meta", 1, func(call goja.FunctionCall) goja.Value {
		m := s.storeFor(call.Argument(0)).Meta()
		o := rt.NewObject()
		must(o.Set("creationDateTime", isoTime(m.Created)))
		must(o.Set("lastUpdatedDateTime", isoTime(m.Modified)))
		must(o.Set("keyCount", m.Keys))
		return o
	})))
	s.originHelpers(h)
	v, err := rt.RunProgram(cloudfrontPrg)
	if err != nil {
		return nil, fmt.Errorf("edgefunc: cloudfront module: %w", err)
	}
	mk, _ := goja.AssertFunction(v)
	m, err := mk(goja.Undefined(), h)
	if err != nil {
		return nil, fmt.Errorf("edgefunc: cloudfront module: %w", err)
	}
	return m, nil
}

// storeFor is the store a handle made with token t may read: the call's,
// if t is the number of the call running.
func (s *slot) storeFor(t goja.Value) KeyValueStore {
	if s.store == nil || t.ToInteger() != int64(s.gen) {
		s.throwError(msgStaleHandle)
	}
	return s.store
}

// kvsKey is the key argument of get and exists, and whether the store
// could have it: a key longer than CloudFront's quota, or empty, cannot
// be a store's.
func (s *slot) kvsKey(v goja.Value) (string, bool) {
	if !isString(v) {
		s.throwType("The key must be a string, not %s", typeName(v))
	}
	if n := strLen(v); n == 0 || n > maxKeyBytes {
		// A key of more than maxKeyBytes UTF-16 code units has more bytes
		// than that too; only its beginning is kept, for the message.
		return v.(goja.String).Substring(0, min(n, maxKeyBytes)).String(), false
	}
	key := v.String()
	return key, len(key) <= maxKeyBytes && !loneSurrogate(v.(goja.String))
}

// loneSurrogate reports whether str has a UTF-16 surrogate that is not
// half of a pair: such a string has no UTF-8 form (String() makes it
// U+FFFD), so it is no store's key.
func loneSurrogate(str goja.String) bool {
	n := str.Length()
	for i := 0; i < n; i++ {
		switch c := str.CharAt(i); {
		case c >= 0xd800 && c < 0xdc00:
			if i+1 < n {
				if d := str.CharAt(i + 1); d >= 0xdc00 && d < 0xe000 {
					i++
					continue
				}
			}
			return true
		case c >= 0xdc00 && c < 0xe000:
			return true
		}
	}
	return false
}

// kvsFormat reads get's options: {format: 'string' | 'json' | 'bytes'},
// 'string' by default.
func (s *slot) kvsFormat(options goja.Value) string {
	if !present(options) {
		return formatString
	}
	o, ok := options.(*goja.Object)
	if !ok {
		s.throwType("The options argument must be an object, not %s", typeName(options))
	}
	f := o.Get("format")
	if f == nil || goja.IsUndefined(f) {
		return formatString
	}
	if isString(f) {
		switch f.String() {
		case formatString, formatJSON, formatBytes:
			return f.String()
		}
	}
	s.throwType("The format option must be 'string', 'json' or 'bytes', not %s", clip(f.String()))
	return ""
}

// kvsValue is a stored value as get returns it in format: a string (its
// bytes read as UTF-8), what JSON.parse makes of it (with JSON.parse's
// guards) or a Buffer. A store's values are at most 1 KB (CloudFront's
// quota); what a store returns beyond the runtime's caps is refused.
func (s *slot) kvsValue(key, value, format string) goja.Value {
	rt := s.rt
	switch format {
	case formatBytes:
		if len(value) > maxNativeBytes {
			s.throwRange("the value of key %s is larger than %d bytes", quote(key), maxNativeBytes)
		}
		b, err := s.bufferFrom(s.bufferCtor, rt.ToValue(rt.NewArrayBuffer([]byte(value))))
		if err != nil {
			panic(err)
		}
		return b
	}
	if len(value) > maxStringLength {
		s.throwRange("the value of key %s is longer than %d", quote(key), maxStringLength)
	}
	str := rt.ToValue(toValidUTF8([]byte(value)))
	if format == formatJSON {
		v, err := s.jsonParse(s.undefined, str)
		if err != nil {
			panic(err) // the SyntaxError (or RangeError) as thrown, or an uncatchable error
		}
		return v
	}
	return str
}

// isoTime is t as Date.prototype.toISOString writes it.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// throwError throws a JavaScript Error from a native function.
func (s *slot) throwError(format string, args ...any) {
	ctor, _ := goja.AssertConstructor(s.rt.Get("Error"))
	o, err := ctor(nil, s.rt.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	panic(o)
}

// cloudfrontJS evaluates to a function that, given the Go helpers h
// (open, get, exists, meta, and the origin helpers), makes the cloudfront
// module.
// The handle's methods are async functions, so that whatever h throws
// (a missing key, a bad argument) rejects the Promise they return, as a
// read from CloudFront's store would.
const cloudfrontJS = `(function (h) {
	'use strict';
	function kvs(id) {
		var t = h.open(id);
		return Object.freeze({
			get: async function get(key, options) { return h.get(t, key, options); },
			exists: async function exists(key) { return h.exists(t, key); },
			meta: async function meta() { return h.meta(t); }
		});
	}
	return {
		kvs: kvs,
		updateRequestOrigin: h.updateRequestOrigin,
		selectRequestOriginById: h.selectRequestOriginById,
		createRequestOriginGroup: h.createRequestOriginGroup
	};
})`
