package edgefunc

import (
	"reflect"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/dop251/goja"
)

// Goja checks for an interrupt between JavaScript instructions only: a
// native (Go) built-in runs to its end. Some built-ins do work that a
// function sets with a number rather than with instructions, e.g.
// Array.prototype.indexOf.call({length: 2**40}) loops 2^40 times and
// 'x'.repeat(2**31) allocates 2 GiB, each in one uninterruptible step.
// Others multiply what they are given: joining 10^5 references to one long
// string, JSON.stringify of a DAG that doubles at each level, a replacement
// with $' for every match, a regular expression with a wide repetition
// over a long input.
//
// Two kinds of guard keep every built-in call short:
//
//   - size caps, checked before the work: the guards installed here
//     refuse, with a RangeError, calls whose input or output would exceed
//     them. The caps are about what a CloudFront function's memory (its
//     quota is 2 MB) could hold, so they change nothing for a function
//     CloudFront would run, and they keep one call's work to a few
//     milliseconds (goja spends up to about 1 µs on an array element);
//   - the deadline, for built-ins that call back per element (iterators
//     driven by a Go loop, a sort's comparisons, JSON.stringify's walk, a
//     global regular expression's matches): the guard wrapped around the
//     callback ends the call, uncatchably, as soon as the time limit has
//     passed, as Interrupt does between instructions.
//
// What no guard can reach (operators the engine runs itself: string +,
// object spread) is listed in doc.go.
const (
	maxNativeLength = 1 << 14 // elements a guarded built-in may walk or make
	maxStringLength = 1 << 19 // UTF-16 code units a guarded built-in may take or make
	maxNativeBytes  = 1 << 16 // bytes of an ArrayBuffer, typed array or Buffer
	maxNesting      = MaxCallDepth
	// maxRegExpSource bounds a pattern given as a string (new RegExp(s),
	// 'x'.match(s)): CloudFront's code itself is at most 10 KB.
	maxRegExpSource = 1 << 14
	// maxRegExpWork bounds the input length times the compiled size of a
	// regular expression: the automaton goja's RE2 engine runs costs that
	// many steps at worst (about 10 ns each).
	maxRegExpWork = 1 << 22
	// maxSearchWork bounds a substring search in a string with characters
	// beyond ASCII, which goja does naively (the haystack's length times
	// the needle's).
	maxSearchWork = 1 << 24
)

// regexpTimeout bounds one backtracking regular-expression match (goja
// runs the expressions Go's regexp cannot, those with lookaround or
// backreferences, on regexp2, whose matches are not interruptible). A
// match that times out reports no match, so the guard around it (matchOn)
// ends the call as out of time: a function never goes on with that wrong
// answer. regexp2 checks its deadlines against a
// clock that a goroutine of its own advances every regexpClockPeriod (100
// ms by default, which lets a match run for up to 200 ms). The clock runs
// only while some match's deadline is ahead, and when it starts again its
// time jumps from where it stopped, so that the first matches after a
// pause could time out after one period; keepRegexpClock keeps it running.
// regexp2's settings are package-wide; goja is its only user in openfront.
const (
	regexpTimeout     = 10 * time.Millisecond
	regexpClockPeriod = 5 * time.Millisecond
)

func init() {
	regexp2.DefaultMatchTimeout = regexpTimeout
	regexp2.SetTimeoutCheckPeriod(regexpClockPeriod)
}

// keepRegexpClock makes regexp2's clock run for good (a goroutine that
// wakes every regexpClockPeriod), with one match whose deadline is a
// century away. It runs once, when the process makes its first runtime.
func keepRegexpClock() {
	re := regexp2.MustCompile("a", regexp2.None)
	re.MatchTimeout = 100 * 365 * 24 * time.Hour
	_, _ = re.MatchString("a")
}

// budgetSpent is what a guard panics with when the call's time limit has
// passed. It is no JavaScript value, so no catch clause or finally block
// of the function sees it (goja lets such panics through, as it does its
// own InterruptedError); call turns it into the timeout error.
type budgetSpent struct{}

// alive ends the call if its time limit has passed.
func (s *slot) alive() {
	if s.expired.Load() {
		panic(budgetSpent{})
	}
}

// nativeFunc is the Go function of a built-in.
type nativeFunc = func(goja.FunctionCall) goja.Value

// installGuards wraps the built-ins whose work a length, a count or an
// argument's size sets, before lockdown freezes them.
func (s *slot) installGuards() {
	s.guardArrays()
	s.guardStrings()
	s.guardRegExps()
	s.guardObjects()
	s.guardJSON()
	s.guardTypedArrays()
	s.guardCollections()
	s.guardGlobals()
	s.guardIterators()
	s.removeBigInt()
}

// removeBigInt takes BigInt away: CloudFront's runtimes have no BigInt (its
// documented types are ES 5.1's), and goja computes BigInt operators (**,
// *, <<) in one uninterruptible step however large the numbers: 3n ** 10n
// ** 7n runs for seconds. Compile refuses BigInt literals, and without the
// BigInt function, the BigInt typed arrays and DataView's BigInt methods
// no BigInt value can be made.
func (s *slot) removeBigInt() {
	rt := s.rt
	global := rt.GlobalObject()
	for _, name := range []string{"BigInt", "BigInt64Array", "BigUint64Array"} {
		must(global.Delete(name))
	}
	dv := rt.Get("DataView").ToObject(rt).Get("prototype").ToObject(rt)
	for _, name := range []string{"getBigInt64", "getBigUint64", "setBigInt64", "setBigUint64"} {
		must(dv.Delete(name))
	}
}

// guardIterators makes the built-in iterators end a call whose time is up:
// spreading, Array.from, the collection constructors, Promise.all and the
// typed array constructors drive an iterator in a Go loop, calling its
// next for each element.
func (s *slot) guardIterators() {
	v, err := s.rt.RunProgram(iteratorsPrg)
	must(err)
	protos := v.ToObject(s.rt)
	n := int(protos.Get("length").ToInteger())
	for i := 0; i < n; i++ {
		if p, ok := protos.Get(itoa(int64(i))).(*goja.Object); ok {
			s.wrap(p, "next", nil)
		}
	}
}

// iteratorsJS lists the prototypes of the built-in iterators.
const iteratorsJS = `[
	Object.getPrototypeOf([][Symbol.iterator]()),
	Object.getPrototypeOf(''[Symbol.iterator]()),
	Object.getPrototypeOf(new Map()[Symbol.iterator]()),
	Object.getPrototypeOf(new Set()[Symbol.iterator]()),
	Object.getPrototypeOf(/a/[Symbol.matchAll]('a')),
]`

// wrap replaces o[name] with a native function that checks that the call
// still has time, runs check (if any) and then the original. It returns
// the wrapper.
func (s *slot) wrap(o *goja.Object, name string, check func(goja.FunctionCall)) *goja.Object {
	return s.around(o, name, func(call goja.FunctionCall, orig nativeFunc) goja.Value {
		if check != nil {
			check(call)
		}
		return orig(call)
	})
}

// around replaces o[name] with a native function that checks that the call
// still has time and then runs f, which is given the original. It returns
// the wrapper, or nil if o[name] is not a function.
func (s *slot) around(o *goja.Object, name string, f func(goja.FunctionCall, nativeFunc) goja.Value) *goja.Object {
	fn := s.aroundValue(o.Get(name), name, f)
	if fn != nil {
		must(o.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	}
	return fn
}

// aroundSymbol is around for a symbol-keyed method.
func (s *slot) aroundSymbol(o *goja.Object, sym *goja.Symbol, f func(goja.FunctionCall, nativeFunc) goja.Value) *goja.Object {
	v := o.GetSymbol(sym)
	name := sym.String()
	if fo, ok := v.(*goja.Object); ok {
		name = fo.Get("name").String()
	}
	fn := s.aroundValue(v, name, f)
	if fn != nil {
		must(o.DefineDataPropertySymbol(sym, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	}
	return fn
}

func (s *slot) aroundValue(v goja.Value, name string, f func(goja.FunctionCall, nativeFunc) goja.Value) *goja.Object {
	fo, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	orig := s.nativeOf(fo)
	if orig == nil {
		return nil
	}
	length := int(fo.Get("length").ToInteger())
	return s.native(name, length, func(call goja.FunctionCall) goja.Value {
		s.alive()
		return f(call, orig)
	})
}

// nativeOf is a built-in's Go function, called directly: as the engine
// would call it, at no cost beyond the call. A function that is not a
// native one (none of the built-ins) is called through the engine.
func (s *slot) nativeOf(fo *goja.Object) nativeFunc {
	if f, ok := fo.Export().(nativeFunc); ok {
		return f
	}
	c, ok := goja.AssertFunction(fo)
	if !ok {
		return nil
	}
	return func(call goja.FunctionCall) goja.Value {
		v, err := c(call.This, call.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	}
}

// wrapConstructor replaces the global constructor name with one that runs
// check on the arguments and then constructs with the original (keeping
// new.target, so subclasses work; goja tells a call without new from one
// with new.target the constructor itself by neither, so both construct).
// The prototype, the statics and the prototype's constructor are carried
// over.
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
		s.alive()
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

// lengthOf is the length of an array-like (any object's length property,
// a string's length), or -1 for other values.
func (s *slot) lengthOf(v goja.Value) float64 {
	switch v := v.(type) {
	case goja.String:
		return float64(v.Length())
	case *goja.Object:
		if n := v.Get("length"); n != nil {
			return n.ToFloat()
		}
	}
	return -1
}

// checkLength throws a RangeError when v is an array-like whose length is
// above maxNativeLength.
func (s *slot) checkLength(v goja.Value, what string) {
	if s.lengthOf(v) > maxNativeLength {
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

// indexedLength is how many integer-keyed own properties v has that a
// function did not have to make one by one: a string's characters, a
// String object's, a typed array's elements. It is 0 for other values.
func indexedLength(v goja.Value) int64 {
	switch v := v.(type) {
	case goja.String:
		return int64(v.Length())
	case *goja.Object:
		if v.ClassName() == "String" || isTypedArray(v) {
			return v.Get("length").ToInteger()
		}
	}
	return 0
}

// checkKeys throws a RangeError when listing v's own properties would list
// more than maxNativeLength made at once (see indexedLength).
func (s *slot) checkKeys(v goja.Value, what string) {
	if indexedLength(v) > maxNativeLength {
		s.throwRange("%s an object with more than %d elements", what, maxNativeLength)
	}
}

// isTypedArray tells typed arrays (and Buffers) from other objects: they
// are the objects of class Object that goja exports as a slice.
func isTypedArray(o *goja.Object) bool {
	if o.ClassName() != "Object" {
		return false
	}
	t := o.ExportType()
	return t != nil && t.Kind() == reflect.Slice
}

// strLen is the length of a string value, or -1 for other values.
func strLen(v goja.Value) int {
	if str, ok := v.(goja.String); ok {
		return str.Length()
	}
	return -1
}

// checkString throws a RangeError when v is a string longer than
// maxStringLength.
func (s *slot) checkString(v goja.Value, what string) {
	if strLen(v) > maxStringLength {
		s.throwRange("%s a string longer than %d", what, maxStringLength)
	}
}

// checkMade throws a RangeError when a built-in would make a string of n
// code units, n above maxStringLength.
func (s *slot) checkMade(n float64, what string) {
	if n > maxStringLength {
		s.throwRange("%s would make a string longer than %d", what, maxStringLength)
	}
}

// The dynamic types of goja's strings: ASCII strings are Go strings, and
// their searches are Go's.
var asciiStringType = reflect.TypeOf(goja.StringFromUTF16([]uint16{'a'}))

func isASCII(v goja.Value) bool { return reflect.TypeOf(v) == asciiStringType }
