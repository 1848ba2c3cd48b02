package edgefunc

import (
	"time"

	"github.com/dlclark/regexp2"
	"github.com/dop251/goja"
)

// Goja checks for an interrupt between JavaScript instructions only: a
// native (Go) built-in runs to its end. Some built-ins do work that a
// function sets with a number rather than with instructions, e.g.
// Array.prototype.indexOf.call({length: 2**40}) loops 2^40 times and
// 'x'.repeat(2**31) allocates 2 GiB, each in one uninterruptible step. The
// guards installed here refuse such calls with a RangeError. The caps are
// far above anything a CloudFront function can use (its memory quota is
// 2 MB), so they change nothing for a function CloudFront would run.
const (
	maxNativeLength = 1 << 20 // elements a guarded built-in may walk
	maxStringLength = 1 << 22 // UTF-16 code units a guarded built-in may make
	maxNativeBytes  = 1 << 23 // bytes of a Buffer made from a string or a size
)

// regexpTimeout bounds one backtracking regular-expression match (goja
// runs the expressions Go's regexp cannot, those with lookaround or
// backreferences, on regexp2, whose matches are not interruptible). A
// match that times out fails (matches nothing). regexp2's default is
// package-wide; goja is its only user in openfront.
const regexpTimeout = 50 * time.Millisecond

func init() {
	regexp2.DefaultMatchTimeout = regexpTimeout
}

// installGuards wraps the built-ins whose work a length or count argument
// sets, before lockdown freezes them.
func (s *slot) installGuards() {
	rt := s.rt
	arrayCtor := rt.Get("Array").ToObject(rt)
	arrayProto := arrayCtor.Get("prototype").ToObject(rt)

	// Every Array.prototype method is generic: called on an array-like,
	// it walks length elements.
	for _, name := range arrayProto.GetOwnPropertyNames() {
		if name == "constructor" {
			continue
		}
		if _, ok := goja.AssertFunction(arrayProto.Get(name)); !ok {
			continue
		}
		s.wrap(arrayProto, name, func(call goja.FunctionCall) {
			s.checkLength(call.This, "Array.prototype."+name+" on")
			if name == "concat" {
				for _, a := range call.Arguments {
					if o, ok := a.(*goja.Object); ok && o.ClassName() == "Array" {
						s.checkLength(o, "Array.prototype.concat of")
					}
				}
			}
		})
	}
	s.wrap(arrayCtor, "from", func(call goja.FunctionCall) {
		s.checkLength(call.Argument(0), "Array.from of")
	})
	// Spreading an array-like into arguments allocates length slots.
	fnProto := rt.Get("Function").ToObject(rt).Get("prototype").ToObject(rt)
	s.wrap(fnProto, "apply", func(call goja.FunctionCall) {
		s.checkLength(call.Argument(1), "Function.prototype.apply with")
	})
	reflect := rt.Get("Reflect").ToObject(rt)
	s.wrap(reflect, "apply", func(call goja.FunctionCall) {
		s.checkLength(call.Argument(2), "Reflect.apply with")
	})
	s.wrap(reflect, "construct", func(call goja.FunctionCall) {
		s.checkLength(call.Argument(1), "Reflect.construct with")
	})
	for _, name := range []string{"Map", "Set", "WeakMap", "WeakSet"} {
		s.wrapConstructor(name, func(args []goja.Value) {
			if len(args) > 0 {
				s.checkArray(args[0], name+" of")
			}
		})
	}
	for _, name := range []string{"all", "allSettled", "any", "race"} {
		s.wrap(rt.Get("Promise").ToObject(rt), name, func(call goja.FunctionCall) {
			s.checkArray(call.Argument(0), "Promise."+name+" of")
		})
	}
	s.wrap(rt.Get("Object").ToObject(rt), "fromEntries", func(call goja.FunctionCall) {
		s.checkArray(call.Argument(0), "Object.fromEntries of")
	})

	// Strings whose length is an argument.
	strProto := rt.Get("String").ToObject(rt).Get("prototype").ToObject(rt)
	s.wrap(strProto, "repeat", func(call goja.FunctionCall) {
		n := call.Argument(0).ToFloat()
		if l := float64(len(codeUnits(call.This.String()))); n > 0 && l*n > maxStringLength {
			s.throwRange("String.prototype.repeat would make a string longer than %d", maxStringLength)
		}
	})
	for _, name := range []string{"padStart", "padEnd"} {
		s.wrap(strProto, name, func(call goja.FunctionCall) {
			if call.Argument(0).ToFloat() > maxStringLength {
				s.throwRange("String.prototype.%s would make a string longer than %d", name, maxStringLength)
			}
		})
	}

	// Array buffers and typed arrays whose size is an argument.
	s.wrapConstructor("ArrayBuffer", func(args []goja.Value) {
		if len(args) > 0 && args[0].ToFloat() > maxNativeBytes {
			s.throwRange("an ArrayBuffer may not be larger than %d bytes", maxNativeBytes)
		}
	})
	for _, name := range []string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
		"Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"} {
		s.wrapConstructor(name, func(args []goja.Value) {
			if len(args) == 0 {
				return
			}
			if _, ok := args[0].(*goja.Object); ok {
				s.checkLength(args[0], name+" of")
			} else if args[0].ToFloat() > maxNativeBytes {
				s.throwRange("a %s may not have more than %d elements", name, maxNativeBytes)
			}
		})
		if ctor, ok := rt.Get(name).(*goja.Object); ok {
			s.wrap(ctor, "from", func(call goja.FunctionCall) {
				s.checkLength(call.Argument(0), name+".from of")
			})
		}
	}
}

// checkLength throws a RangeError when v is an object whose length is
// above maxNativeLength.
func (s *slot) checkLength(v goja.Value, what string) {
	o, ok := v.(*goja.Object)
	if !ok {
		return
	}
	if n := o.Get("length"); n != nil && n.ToFloat() > maxNativeLength {
		s.throwRange("%s more than %d elements", what, maxNativeLength)
	}
}

// checkArray is checkLength for arrays only (an iterable's other kinds are
// walked by interruptible iteration or bounded already).
func (s *slot) checkArray(v goja.Value, what string) {
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "Array" {
		s.checkLength(o, what)
	}
}

// wrap replaces o[name] with a native function that runs check and then
// the original.
func (s *slot) wrap(o *goja.Object, name string, check func(goja.FunctionCall)) {
	orig, ok := goja.AssertFunction(o.Get(name))
	if !ok {
		return
	}
	length := int(o.Get(name).ToObject(s.rt).Get("length").ToInteger())
	fn := s.native(name, length, func(call goja.FunctionCall) goja.Value {
		check(call)
		v, err := orig(call.This, call.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	})
	must(o.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
}

// wrapConstructor replaces the global constructor name with one that runs
// check on the arguments and then constructs with the original (keeping
// new.target, so subclasses work). The prototype, the statics and the
// prototype's constructor are carried over.
func (s *slot) wrapConstructor(name string, check func([]goja.Value)) {
	rt := s.rt
	origV := rt.Get(name)
	orig, ok := goja.AssertConstructor(origV)
	if !ok {
		return
	}
	origObj := origV.ToObject(rt)
	var wrapped *goja.Object
	wrapped = rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
		check(call.Arguments)
		nt := call.NewTarget
		if nt == nil || nt == wrapped {
			nt = origObj
		}
		o, err := orig(nt, call.Arguments...)
		if err != nil {
			panic(err)
		}
		return o
	}).ToObject(rt)
	_ = wrapped.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = wrapped.DefineDataProperty("length", origObj.Get("length"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	proto := origObj.Get("prototype").ToObject(rt)
	_ = wrapped.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	_ = wrapped.SetPrototype(origObj.Prototype())
	for _, k := range origObj.GetOwnPropertyNames() {
		switch k {
		case "name", "length", "prototype":
			continue
		}
		_ = wrapped.DefineDataProperty(k, origObj.Get(k), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	// Symbol.species is left out: without it the built-ins that consult it
	// fall back to the default constructor, which is the same one.
	_ = proto.DefineDataProperty("constructor", wrapped, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	must(rt.GlobalObject().DefineDataProperty(name, wrapped, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
}
