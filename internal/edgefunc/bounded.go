package edgefunc

import (
	"math"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// This file has the guards of guards.go, built-in by built-in.

// callable is v's function, called directly, or nil if v is not callable.
func (s *slot) callable(v goja.Value) nativeFunc {
	if o, ok := v.(*goja.Object); ok {
		if _, ok := goja.AssertFunction(o); ok {
			return s.nativeOf(o)
		}
	}
	return nil
}

// toLength is ES ToLength, as a float (a length can be up to 2^53-1).
func toLength(v goja.Value) float64 {
	if v == nil {
		return 0
	}
	f := v.ToFloat()
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	return math.Min(math.Trunc(f), 1<<53-1)
}

// toUint32 is ES ToUint32 (of a number).
func toUint32(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	m := math.Mod(math.Trunc(f), 1<<32)
	if m < 0 {
		m += 1 << 32
	}
	return m
}

func isNullish(v goja.Value) bool {
	return v == nil || goja.IsUndefined(v) || goja.IsNull(v)
}

// toStr is ToString(v) as a goja string (goja's ToString may leave a
// number as it is).
func toStr(v goja.Value) goja.String {
	p := v.ToString()
	if str, ok := p.(goja.String); ok {
		return str
	}
	return goja.StringFromUTF16(asciiUnits(p.String()))
}

// asciiUnits is an ASCII string's code units (a primitive's string form:
// a number's, a boolean's…).
func asciiUnits(str string) []uint16 {
	u := make([]uint16, len(str))
	for i := 0; i < len(str); i++ {
		u[i] = uint16(str[i])
	}
	return u
}

// ---------------------------------------------------------------------------
// Arrays

func (s *slot) guardArrays() {
	rt := s.rt
	arrayCtor := rt.Get("Array").ToObject(rt)
	arrayProto := arrayCtor.Get("prototype").ToObject(rt)
	s.isArray = s.nativeOf(arrayCtor.Get("isArray").ToObject(rt))
	s.stringCompare = s.native("compare", 2, func(call goja.FunctionCall) goja.Value {
		s.alive()
		return rt.ToValue(toStr(call.Argument(0)).CompareTo(toStr(call.Argument(1))))
	})

	// Every Array.prototype method is generic: called on an array-like,
	// it walks length elements.
	for _, name := range arrayProto.GetOwnPropertyNames() {
		if name == "constructor" {
			continue
		}
		if _, ok := goja.AssertFunction(arrayProto.Get(name)); !ok {
			continue
		}
		what := "Array.prototype." + name + " on"
		var f func(goja.FunctionCall, nativeFunc) goja.Value
		switch name {
		case "join":
			f = func(call goja.FunctionCall, _ nativeFunc) goja.Value {
				return s.join(call.This, call.Argument(0))
			}
		case "toLocaleString":
			f = func(call goja.FunctionCall, _ nativeFunc) goja.Value {
				return s.joinLocale(call.This)
			}
		case "concat":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				s.checkConcat(call)
				return orig(call)
			}
		case "flat":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				s.checkFlat(call)
				return orig(call)
			}
		case "flatMap":
			f = s.flatMap
		case "sort", "toSorted":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				return orig(s.withComparator(call, s.stringCompare))
			}
		default:
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value { return orig(call) }
		}
		constant := name == "push" || name == "pop" || name == "at" // work independent of the length
		fn := s.around(arrayProto, name, func(call goja.FunctionCall, orig nativeFunc) goja.Value {
			if !constant {
				s.checkLength(call.This, what)
			}
			return f(call, orig)
		})
		if name == "values" {
			// Array.prototype[Symbol.iterator] is Array.prototype.values.
			must(arrayProto.DefineDataPropertySymbol(goja.SymIterator, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
		}
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
	s.wrap(reflect, "ownKeys", func(call goja.FunctionCall) {
		s.checkKeys(call.Argument(0), "Reflect.ownKeys of")
	})
}

// isArrayValue is Array.isArray(v).
func (s *slot) isArrayValue(v goja.Value) bool {
	if _, ok := v.(*goja.Object); !ok {
		return false
	}
	return s.isArray(goja.FunctionCall{This: s.undefined, Arguments: []goja.Value{v}}).ToBoolean()
}

// join is Array.prototype.join (and TypedArray.prototype.join) with the
// length of what it makes bounded: it throws a RangeError as soon as the
// string would be longer than maxStringLength, so that an array of many
// references to one long string, or a long separator, cannot make a huge
// one. Like goja's, it joins an array that is being joined already (a
// cycle) as "", and it refuses nesting deeper than maxNesting, which would
// otherwise recurse in Go without bound.
func (s *slot) join(this, sepV goja.Value) goja.Value {
	return s.joinUpTo(this, sepV, maxNativeLength)
}

// joinUpTo is join of at most limit elements (typed arrays are bounded by
// their size in bytes instead).
func (s *slot) joinUpTo(this, sepV goja.Value, limit float64) goja.Value {
	o := this.ToObject(s.rt)
	if s.enterJoin(o, "Array.prototype.join") {
		return stringEmpty
	}
	defer s.leaveJoin()

	n := toLength(o.Get("length"))
	var sep goja.String = comma
	if !goja.IsUndefined(sepV) {
		sep = toStr(sepV)
	}
	if n == 0 {
		return stringEmpty
	}
	if n > limit {
		s.throwRange("Array.prototype.join on more than %d elements", int(limit))
	}
	total := (n - 1) * float64(sep.Length())
	s.checkMade(total, "Array.prototype.join")
	var b goja.StringBuilder
	for i := 0; i < int(n); i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		if e := o.Get(strconv.Itoa(i)); !isNullish(e) {
			str := toStr(e)
			total += float64(str.Length())
			s.checkMade(total, "Array.prototype.join")
			b.WriteString(str)
		}
		if i&1023 == 1023 {
			s.alive()
		}
	}
	return b.String()
}

// enterJoin marks o as being joined, for the checks of join and
// toLocaleString: it reports a cycle (o is being joined already, and its
// inner occurrence reads as "") and refuses nesting deeper than
// maxNesting. leaveJoin ends what enterJoin began.
func (s *slot) enterJoin(o *goja.Object, what string) (cycle bool) {
	if slices.Contains(s.joining, o) {
		return true
	}
	if len(s.joining) >= maxNesting {
		s.throwRange("%s: arrays nested more than %d deep", what, maxNesting)
	}
	s.joining = append(s.joining, o)
	return false
}

func (s *slot) leaveJoin() { s.joining = s.joining[:len(s.joining)-1] }

var (
	stringEmpty goja.String = goja.StringFromUTF16(nil)
	comma       goja.String = goja.StringFromUTF16([]uint16{','})
)

// joinLocale is Array.prototype.toLocaleString, bounded as join is.
func (s *slot) joinLocale(this goja.Value) goja.Value {
	o := this.ToObject(s.rt)
	if s.enterJoin(o, "Array.prototype.toLocaleString") {
		return stringEmpty
	}
	defer s.leaveJoin()

	n := toLength(o.Get("length"))
	total := math.Max(n-1, 0)
	s.checkMade(total, "Array.prototype.toLocaleString")
	var b goja.StringBuilder
	for i := 0; i < int(n); i++ {
		if i > 0 {
			b.WriteString(comma)
		}
		e := o.Get(strconv.Itoa(i))
		if isNullish(e) {
			continue
		}
		f := s.callable(e.ToObject(s.rt).Get("toLocaleString"))
		if f == nil {
			s.throwType("Property 'toLocaleString' of object %s is not a function", clip(e.String()))
		}
		str := toStr(f(goja.FunctionCall{This: e}))
		total += float64(str.Length())
		s.checkMade(total, "Array.prototype.toLocaleString")
		b.WriteString(str)
		if i&1023 == 1023 {
			s.alive()
		}
	}
	return b.String()
}

// spreadable is IsConcatSpreadable(o).
func (s *slot) spreadable(o *goja.Object) bool {
	if v := o.GetSymbol(goja.SymIsConcatSpreadable); v != nil && !goja.IsUndefined(v) {
		return v.ToBoolean()
	}
	return s.isArrayValue(o)
}

// checkConcat refuses an Array.prototype.concat whose result would have
// more than maxNativeLength elements.
func (s *slot) checkConcat(call goja.FunctionCall) {
	total := 0.0
	add := func(v goja.Value) {
		if o, ok := v.(*goja.Object); ok && s.spreadable(o) {
			total += toLength(o.Get("length"))
		} else {
			total++
		}
		if total > maxNativeLength {
			s.throwRange("Array.prototype.concat would make an array of more than %d elements", maxNativeLength)
		}
	}
	add(call.This.ToObject(s.rt))
	for _, a := range call.Arguments {
		add(a)
	}
}

// checkFlat refuses an Array.prototype.flat that would visit more than
// maxNativeLength elements or go deeper than maxNesting: flattening
// recurses in Go, and an array made of two references to the array below
// it, forty times over, has 2^40 elements to flatten.
func (s *slot) checkFlat(call goja.FunctionCall) {
	depth := 1.0
	if d := call.Argument(0); !goja.IsUndefined(d) {
		depth = d.ToFloat()
		if math.IsNaN(depth) || depth < 0 {
			depth = 0
		}
	}
	visited := 0
	var walk func(o *goja.Object, depth float64, nest int)
	walk = func(o *goja.Object, depth float64, nest int) {
		n := toLength(o.Get("length"))
		if n > maxNativeLength-float64(visited) {
			s.throwRange("Array.prototype.flat on more than %d elements", maxNativeLength)
		}
		for i := 0; i < int(n); i++ {
			visited++
			if visited > maxNativeLength {
				s.throwRange("Array.prototype.flat on more than %d elements", maxNativeLength)
			}
			if depth < 1 {
				continue
			}
			if e, ok := o.Get(strconv.Itoa(i)).(*goja.Object); ok && s.isArrayValue(e) {
				if nest >= maxNesting {
					s.throwRange("Array.prototype.flat: arrays nested more than %d deep", maxNesting)
				}
				walk(e, depth-1, nest+1)
			}
			if visited&1023 == 0 {
				s.alive()
			}
		}
	}
	walk(call.This.ToObject(s.rt), depth, 0)
}

// flatMap is Array.prototype.flatMap with the callback's results counted:
// it throws a RangeError as soon as they add up to more than
// maxNativeLength elements.
func (s *slot) flatMap(call goja.FunctionCall, orig nativeFunc) goja.Value {
	cb := s.callable(call.Argument(0))
	if cb == nil {
		return orig(call) // the TypeError
	}
	this := call.Argument(1)
	total := 0.0
	counted := s.native("", 3, func(c goja.FunctionCall) goja.Value {
		s.alive()
		v := cb(goja.FunctionCall{This: this, Arguments: c.Arguments})
		if o, ok := v.(*goja.Object); ok && s.isArrayValue(o) {
			total += toLength(o.Get("length"))
		} else {
			total++
		}
		if total > maxNativeLength {
			s.throwRange("Array.prototype.flatMap would make an array of more than %d elements", maxNativeLength)
		}
		return v
	})
	return orig(goja.FunctionCall{This: call.This, Arguments: []goja.Value{counted}})
}

// withComparator is call with its comparator (argument 0) made to check
// the deadline at each comparison, or, absent, replaced by dflt (which
// does the default comparison and checks it): a sort of n elements makes
// about n log² n comparisons, in Go.
func (s *slot) withComparator(call goja.FunctionCall, dflt *goja.Object) goja.FunctionCall {
	args := append([]goja.Value(nil), call.Arguments...)
	if len(args) == 0 {
		args = append(args, s.undefined)
	}
	switch cmp := args[0]; {
	case goja.IsUndefined(cmp):
		if dflt != nil {
			args[0] = dflt
		}
	default:
		if f := s.callable(cmp); f != nil {
			args[0] = s.native("compare", 2, func(c goja.FunctionCall) goja.Value {
				s.alive()
				return f(c)
			})
		}
	}
	return goja.FunctionCall{This: call.This, Arguments: args}
}

// ---------------------------------------------------------------------------
// Strings

func (s *slot) guardStrings() {
	rt := s.rt
	strCtor := rt.Get("String").ToObject(rt)
	strProto := strCtor.Get("prototype").ToObject(rt)
	for _, name := range strProto.GetOwnPropertyNames() {
		switch name {
		case "constructor", "length", "toString", "valueOf", "at", "charAt", "charCodeAt", "codePointAt":
			continue // constant time
		}
		if _, ok := goja.AssertFunction(strProto.Get(name)); !ok {
			continue
		}
		what := "String.prototype." + name + " on"
		method, with := "String.prototype."+name, "String.prototype."+name+" with"
		var f func(goja.FunctionCall, nativeFunc) goja.Value
		switch name {
		case "concat":
			f = s.concat
		case "repeat":
			f = s.repeat
		case "padStart", "padEnd":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				s.checkMade(call.Argument(0).ToFloat(), method)
				return orig(call)
			}
		case "replace", "replaceAll":
			all := name == "replaceAll"
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				return s.replaceString(call, orig, all)
			}
		case "split":
			f = s.split
		case "indexOf", "lastIndexOf", "includes":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				s.checkSearch(call.This, call.Argument(0), method)
				return orig(call)
			}
		case "match", "matchAll", "search":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				if strLen(call.Argument(0)) > maxRegExpSource {
					s.throwRange("String.prototype.%s: a pattern may not be longer than %d", name, maxRegExpSource)
				}
				return orig(call)
			}
		case "normalize":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				if isASCII(call.This) {
					return orig(call) // ASCII is normalized in every form
				}
				// A character decomposes into at most 18 (compatibility) or 4
				// (canonical).
				factor := 4.0
				if form := call.Argument(0); !goja.IsUndefined(form) && strings.HasPrefix(form.String(), "NFK") {
					factor = 18
				}
				s.checkMade(float64(strLen(call.This))*factor, "String.prototype.normalize")
				return orig(call)
			}
		case "toUpperCase", "toLowerCase", "toLocaleUpperCase", "toLocaleLowerCase":
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value {
				if !isASCII(call.This) {
					// A character's case mapping has at most 3.
					s.checkMade(float64(strLen(call.This))*3, method)
				}
				return orig(call)
			}
		default:
			f = func(call goja.FunctionCall, orig nativeFunc) goja.Value { return orig(call) }
		}
		s.around(strProto, name, func(call goja.FunctionCall, orig nativeFunc) goja.Value {
			s.checkStringLike(call.This, what)
			for _, a := range call.Arguments {
				s.checkString(a, with)
			}
			return f(call, orig)
		})
	}
	s.around(strCtor, "raw", func(call goja.FunctionCall, _ nativeFunc) goja.Value {
		return s.raw(call)
	})
}

// checkStringLike is checkString for a string or a String object.
func (s *slot) checkStringLike(v goja.Value, what string) {
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "String" {
		v = o.ToString()
	}
	s.checkString(v, what)
}

// concat is String.prototype.concat, with the arguments converted (once,
// in order, as the original would) and their lengths added up first.
func (s *slot) concat(call goja.FunctionCall, orig nativeFunc) goja.Value {
	if isNullish(call.This) {
		return orig(call) // the TypeError
	}
	this := toStr(call.This)
	total := float64(this.Length())
	args := make([]goja.Value, len(call.Arguments))
	for i, a := range call.Arguments {
		str := toStr(a)
		total += float64(str.Length())
		s.checkMade(total, "String.prototype.concat")
		args[i] = str
	}
	return orig(goja.FunctionCall{This: this, Arguments: args})
}

// repeat is String.prototype.repeat with the result's length bounded, and
// made with Go's strings.Repeat (which copies by doubling) for an ASCII
// string, where goja appends the string count times.
func (s *slot) repeat(call goja.FunctionCall, orig nativeFunc) goja.Value {
	n := call.Argument(0).ToFloat()
	l := strLen(call.This)
	if n > 0 && l >= 0 {
		s.checkMade(float64(l)*n, "String.prototype.repeat")
		if isASCII(call.This) && n == math.Trunc(n) && l > 0 {
			return s.rt.ToValue(strings.Repeat(call.This.String(), int(n)))
		}
	}
	return orig(call)
}

// checkSearch refuses a substring search whose naive cost (goja searches a
// string with characters beyond ASCII by comparing at every position) is
// above maxSearchWork.
func (s *slot) checkSearch(this, needle goja.Value, what string) {
	n, m := strLen(this), strLen(needle)
	if n < 0 || m < 0 || isASCII(this) {
		return
	}
	if float64(n-m+1)*float64(m) > maxSearchWork {
		s.throwRange("%s: searching %d characters for %d is too costly", what, n, m)
	}
}

// split is String.prototype.split with the number of parts bounded (a
// limit caps what Go's strings.SplitN makes).
func (s *slot) split(call goja.FunctionCall, orig nativeFunc) goja.Value {
	sep := call.Argument(0)
	if o, ok := sep.(*goja.Object); ok && s.callable(o.GetSymbol(goja.SymSplit)) != nil {
		return orig(call) // RegExp.prototype[Symbol.split], guarded itself
	}
	if isNullish(call.This) {
		return orig(call) // the TypeError
	}
	this := toStr(call.This)
	limit := float64(math.MaxUint32)
	if l := call.Argument(1); !goja.IsUndefined(l) {
		limit = toUint32(l.ToFloat())
	}
	if goja.IsUndefined(sep) {
		return orig(goja.FunctionCall{This: this, Arguments: []goja.Value{sep, s.rt.ToValue(limit)}})
	}
	sepStr := toStr(sep)
	capped := math.Min(limit, maxNativeLength+1)
	v := orig(goja.FunctionCall{This: this, Arguments: []goja.Value{sepStr, s.rt.ToValue(capped)}})
	if capped < limit && s.lengthOf(v) > maxNativeLength {
		s.throwRange("String.prototype.split would make more than %d parts", maxNativeLength)
	}
	return v
}

// replaceString is String.prototype.replace and replaceAll with the
// result's length bounded. A pattern that is a RegExp goes to
// RegExp.prototype[Symbol.replace], guarded itself.
func (s *slot) replaceString(call goja.FunctionCall, orig nativeFunc, all bool) goja.Value {
	pat, rep := call.Argument(0), call.Argument(1)
	if o, ok := pat.(*goja.Object); ok && s.callable(o.GetSymbol(goja.SymReplace)) != nil {
		return orig(call)
	}
	if isNullish(call.This) {
		return orig(call) // the TypeError
	}
	what := "String.prototype.replace"
	if all {
		what += "All"
	}
	str, patStr := toStr(call.This), toStr(pat)
	s.checkSearch(str, patStr, what)
	n, m := str.Length(), patStr.Length()
	count := 0
	if all {
		count = countOccurrences(str, patStr)
		if count > maxNativeLength {
			s.throwRange("%s: more than %d matches", what, maxNativeLength)
		}
	} else {
		count = 1
	}
	args := []goja.Value{patStr, rep}
	if f := s.callable(rep); f != nil {
		args[1] = s.countedReplacer(f, n, what)
	} else {
		repStr := toStr(rep)
		if replacementBound(n, m, count, repStr) > maxStringLength {
			args[1] = s.substitution(repStr, n, what)
		} else {
			args[1] = repStr
		}
	}
	return orig(goja.FunctionCall{This: str, Arguments: args})
}

// countOccurrences counts pat in str as replaceAll finds them (without
// overlap; an empty pattern matches at every position and at the end).
// Strings beyond ASCII are counted as UTF-8, which is the same count (but
// for lone surrogates, which may count differently: the count is a bound,
// not a result).
func countOccurrences(str, pat goja.String) int {
	return strings.Count(str.String(), pat.String())
}

// replacementBound is an upper bound of the length of replacing count
// matches of a pattern of length m (0 when not known: a RegExp's matches
// have at most n characters all together) in a string of length n with
// the replacement template rep: each $& and $n adds at most the match
// (or n), each $` and $' at most n.
func replacementBound(n, m, count int, rep goja.String) float64 {
	refs, long := 0, 0
	l := rep.Length()
	for i := 0; i+1 < l; i++ {
		if rep.CharAt(i) != '$' {
			continue
		}
		switch c := rep.CharAt(i + 1); {
		case c == '&', c >= '0' && c <= '9':
			refs++
		case c == '`', c == '\'':
			long++
		}
	}
	perMatch := float64(l) + float64(long)*float64(n)
	if m > 0 {
		perMatch += float64(refs) * float64(m)
	} else {
		perMatch += float64(refs) * float64(n)
	}
	return float64(n) + float64(count)*perMatch
}

// countedReplacer wraps a replacement function: it adds up the lengths of
// what it returns and throws a RangeError once the result would be longer
// than maxStringLength (the unreplaced text adds at most n, the string's
// length).
func (s *slot) countedReplacer(f nativeFunc, n int, what string) *goja.Object {
	total := float64(n)
	return s.native("replacer", 0, func(call goja.FunctionCall) goja.Value {
		s.alive()
		v := toStr(f(goja.FunctionCall{This: s.undefined, Arguments: call.Arguments}))
		total += float64(v.Length())
		s.checkMade(total, what)
		return v
	})
}

// substitution is a replacement function that expands the replacement
// template rep as goja does (GetSubstitution: $$, $&, $`, $', $n, $nn),
// bounding the total as countedReplacer does. It stands for a template
// whose expansions could add up beyond maxStringLength.
func (s *slot) substitution(rep goja.String, n int, what string) *goja.Object {
	total := float64(n)
	return s.native("replacer", 0, func(call goja.FunctionCall) goja.Value {
		s.alive()
		args := call.Arguments
		if len(args) > 0 {
			if _, ok := args[len(args)-1].(*goja.Object); ok {
				args = args[:len(args)-1] // the named groups: goja's templates do not use them
			}
		}
		if len(args) < 3 {
			return stringEmpty
		}
		captures := args[:len(args)-2]
		position := int(args[len(args)-2].ToInteger())
		str := toStr(args[len(args)-1])
		var b goja.StringBuilder
		writeSubstitution(str, position, captures, rep, &b, func(add int) {
			total += float64(add)
			s.checkMade(total, what)
		})
		return b.String()
	})
}

// writeSubstitution is goja's expansion of a replacement template (see its
// builtin_regexp.go), with add told each piece's length before it is
// written.
func writeSubstitution(s goja.String, position int, captures []goja.Value, rep goja.String, b *goja.StringBuilder, add func(int)) {
	l, rl := s.Length(), rep.Length()
	capture := func(i int) goja.String {
		if c := captures[i]; !goja.IsUndefined(c) {
			return toStr(c)
		}
		return stringEmpty
	}
	matched := capture(0)
	tailPos := position + matched.Length()
	write := func(str goja.String) {
		add(str.Length())
		b.WriteString(str)
	}
	for i := 0; i < rl; i++ {
		c := rep.CharAt(i)
		if c != '$' || i == rl-1 {
			add(1)
			b.WriteRune(rune(c))
			continue
		}
		switch ch := rep.CharAt(i + 1); ch {
		case '$':
			add(1)
			b.WriteRune('$')
		case '`':
			write(s.Substring(0, max(0, min(position, l))))
		case '\'':
			if tailPos < l {
				write(s.Substring(tailPos, l))
			}
		case '&':
			write(matched)
		default:
			num, j := 0, i+1
			for j < rl {
				d := rep.CharAt(j)
				if d < '0' || d > '9' {
					break
				}
				next := num*10 + int(d-'0')
				if next >= len(captures) {
					break
				}
				num = next
				j++
			}
			if num > 0 {
				write(capture(num))
				i = j - 1
				continue
			}
			add(2)
			b.WriteRune('$')
			b.WriteRune(rune(ch))
		}
		i++
	}
}

// raw is String.raw with the number of pieces and the result's length
// bounded.
func (s *slot) raw(call goja.FunctionCall) goja.Value {
	cooked := call.Argument(0).ToObject(s.rt)
	rawV := cooked.Get("raw")
	if isNullish(rawV) {
		panic(s.rt.NewTypeError("Cannot convert undefined or null to object"))
	}
	raw := rawV.ToObject(s.rt)
	n := toLength(raw.Get("length"))
	if n > maxNativeLength {
		s.throwRange("String.raw of more than %d pieces", maxNativeLength)
	}
	subs := call.Arguments
	if len(subs) > 0 {
		subs = subs[1:]
	}
	var b goja.StringBuilder
	total := 0.0
	write := func(v goja.Value) {
		str := toStr(v)
		total += float64(str.Length())
		s.checkMade(total, "String.raw")
		b.WriteString(str)
	}
	for i := 0; i < int(n); i++ {
		e := raw.Get(strconv.Itoa(i))
		if e == nil {
			e = s.undefined
		}
		write(e)
		if i+1 == int(n) {
			break
		}
		if i < len(subs) {
			write(subs[i])
		}
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// Regular expressions

func (s *slot) guardRegExps() {
	rt := s.rt
	checkSource := func(args []goja.Value) {
		if len(args) > 0 && strLen(args[0]) > maxRegExpSource {
			s.throwRange("a regular expression may not be longer than %d", maxRegExpSource)
		}
	}
	s.wrapConstructor("RegExp", checkSource)
	proto := rt.Get("RegExp").ToObject(rt).Get("prototype").ToObject(rt)
	s.wrap(proto, "compile", func(call goja.FunctionCall) { checkSource(call.Arguments) })
	// exec is what every other method runs (goja's fast paths are off in a
	// locked-down runtime, whose RegExp.prototype is frozen), once per
	// match: its guard bounds each match's cost and ends a global match,
	// replace or split whose time is up.
	for _, name := range []string{"exec", "test"} {
		s.around(proto, name, func(call goja.FunctionCall, orig nativeFunc) goja.Value {
			return s.matchOn(call, orig, true)
		})
	}
	for _, sym := range []*goja.Symbol{goja.SymMatch, goja.SymMatchAll, goja.SymSearch, goja.SymSplit} {
		s.aroundSymbol(proto, sym, func(call goja.FunctionCall, orig nativeFunc) goja.Value {
			return s.matchOn(call, orig, false)
		})
	}
	s.aroundSymbol(proto, goja.SymReplace, s.replaceRegExp)
}

// matchOn runs a RegExp method on its string argument (converted once, as
// the method would), refusing an input so long that the expression's
// automaton could run for long (see maxRegExpWork), and ending the call
// after the match if its time ran out during it (a backtracking match may
// run to regexpTimeout). once: orig is exec or test, one match.
func (s *slot) matchOn(call goja.FunctionCall, orig nativeFunc, once bool) goja.Value {
	args := append([]goja.Value(nil), call.Arguments...)
	if len(args) == 0 {
		args = append(args, s.undefined)
	}
	str := toStr(args[0])
	args[0] = str
	s.checkRegExpWork(call.This, str.Length())
	start := time.Now()
	v := orig(goja.FunctionCall{This: call.This, Arguments: args})
	if once && s.inCall && !v.ToBoolean() && time.Since(start) >= regexpTimeout-regexpClockPeriod {
		// regexp2 may have given up on this one match and reported no
		// match (its clock lags by up to a period, so a match can time out
		// after regexpTimeout less that): no answer, so the call ends as
		// one that ran out of time rather than go on with a wrong one. A
		// match found, or a method that runs many (replace, split), is no
		// timeout however long it took. (Preparing a runtime runs only the
		// package's own expressions.)
		panic(budgetSpent{})
	}
	s.alive()
	return v
}

// checkRegExpWork refuses matching rx against n characters when n times the
// size of rx's automaton is above maxRegExpWork.
func (s *slot) checkRegExpWork(rx goja.Value, n int) {
	o, ok := rx.(*goja.Object)
	if !ok {
		return
	}
	src := o.Get("source")
	if src == nil {
		return
	}
	if size := s.regexpSize(src.String()); float64(n)*float64(size) > maxRegExpWork {
		s.throwRange("matching /%s/ against %d characters is too costly", clip(src.String()), n)
	}
}

// regexpSize estimates the number of instructions of the automaton that
// matches the source: Go's compiled program, for an expression Go's syntax
// reads (goja runs those on Go's RE2 engine); otherwise (a backtracking
// expression, which regexp2 runs within regexpTimeout) the source's length
// times its largest repetition count. The sizes are cached per runtime.
func (s *slot) regexpSize(src string) int {
	if n, ok := s.regexpSizes[src]; ok {
		return n
	}
	n := len(src) + 1
	if re, err := syntax.Parse(jsToGoRegexp(src), syntax.Perl); err == nil {
		if prog, err := syntax.Compile(re.Simplify()); err == nil {
			n = len(prog.Inst)
		}
	} else {
		n *= 1 + maxRepeat(src)
	}
	if len(s.regexpSizes) >= 1024 {
		clear(s.regexpSizes)
	}
	s.regexpSizes[src] = n
	return n
}

// jsToGoRegexp rewrites the escapes of a JavaScript pattern that Go's
// syntax writes differently (\uXXXX, \u{X…}), for regexpSize.
func jsToGoRegexp(src string) string {
	if !strings.Contains(src, `\u`) {
		return src
	}
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		if src[i] == '\\' && i+1 < len(src) {
			if src[i+1] == 'u' {
				switch {
				case i+2 < len(src) && src[i+2] == '{':
					if end := strings.IndexByte(src[i:], '}'); end > 0 {
						b.WriteString(`\x{` + src[i+3:i+end] + `}`)
						i += end
						continue
					}
				case i+6 <= len(src):
					b.WriteString(`\x{` + src[i+2:i+6] + `}`)
					i += 5
					continue
				}
			}
			b.WriteString(src[i : i+2])
			i++
			continue
		}
		b.WriteByte(src[i])
	}
	return b.String()
}

// maxRepeat is the largest count of a {n} or {n,m} repetition in src.
func maxRepeat(src string) int {
	best := 0
	for i := 0; i < len(src); i++ {
		if src[i] != '{' {
			continue
		}
		j := i + 1
		num := 0
		for j < len(src) && src[j] >= '0' && src[j] <= '9' && num < 1<<20 {
			num = num*10 + int(src[j]-'0')
			j++
		}
		if j < len(src) && src[j] == ',' {
			j++
			m := 0
			for j < len(src) && src[j] >= '0' && src[j] <= '9' && m < 1<<20 {
				m = m*10 + int(src[j]-'0')
				j++
			}
			num = max(num, m)
		}
		if j < len(src) && src[j] == '}' {
			best = max(best, num)
		}
	}
	return best
}

// replaceRegExp is RegExp.prototype[Symbol.replace] with the result's
// length bounded (see replaceString).
func (s *slot) replaceRegExp(call goja.FunctionCall, orig nativeFunc) goja.Value {
	rx, ok := call.This.(*goja.Object)
	if !ok {
		return orig(call) // the TypeError
	}
	str := toStr(call.Argument(0))
	n := str.Length()
	s.checkRegExpWork(rx, n)
	const what = "RegExp.prototype[Symbol.replace]"
	rep := call.Argument(1)
	args := []goja.Value{str, rep}
	if f := s.callable(rep); f != nil {
		args[1] = s.countedReplacer(f, n, what)
	} else {
		repStr := toStr(rep)
		count := 1
		if rx.Get("global").ToBoolean() {
			count = n + 1
		}
		if replacementBound(n, 0, count, repStr) > maxStringLength {
			args[1] = s.substitution(repStr, n, what)
		} else {
			args[1] = repStr
		}
	}
	v := orig(goja.FunctionCall{This: rx, Arguments: args})
	s.alive()
	return v
}

// ---------------------------------------------------------------------------
// Objects, collections, globals

func (s *slot) guardObjects() {
	rt := s.rt
	object := rt.Get("Object").ToObject(rt)
	for _, name := range []string{"keys", "values", "entries", "getOwnPropertyNames", "getOwnPropertyDescriptors",
		"freeze", "seal", "isFrozen", "isSealed"} {
		what := "Object." + name + " of"
		s.wrap(object, name, func(call goja.FunctionCall) {
			s.checkKeys(call.Argument(0), what)
		})
	}
	s.wrap(object, "assign", func(call goja.FunctionCall) {
		for i := 1; i < len(call.Arguments); i++ {
			s.checkKeys(call.Arguments[i], "Object.assign of")
		}
	})
	for _, name := range []string{"defineProperties", "create"} {
		what := "Object." + name + " with"
		s.wrap(object, name, func(call goja.FunctionCall) {
			s.checkKeys(call.Argument(1), what)
		})
	}
	s.wrap(object, "fromEntries", func(call goja.FunctionCall) {
		s.checkArray(call.Argument(0), "Object.fromEntries of")
	})
}

func (s *slot) guardCollections() {
	rt := s.rt
	for _, name := range []string{"Map", "Set", "WeakMap", "WeakSet"} {
		what := name + " of"
		s.wrapConstructor(name, func(args []goja.Value) {
			if len(args) > 0 {
				s.checkArray(args[0], what)
			}
		})
	}
	for _, name := range []string{"all", "allSettled", "any", "race"} {
		what := "Promise." + name + " of"
		s.wrap(rt.Get("Promise").ToObject(rt), name, func(call goja.FunctionCall) {
			s.checkArray(call.Argument(0), what)
		})
	}
}

func (s *slot) guardGlobals() {
	global := s.rt.GlobalObject()
	for _, name := range []string{"parseInt", "parseFloat", "isNaN", "isFinite", "decodeURI", "decodeURIComponent", "unescape"} {
		what := name + " of"
		s.wrap(global, name, func(call goja.FunctionCall) {
			s.checkString(call.Argument(0), what)
		})
	}
	// Percent-encoding makes up to 9 characters of one (3 of ASCII),
	// escape up to 6.
	for name, factor := range map[string]float64{"encodeURI": 9, "encodeURIComponent": 9, "escape": 6} {
		s.wrap(global, name, func(call goja.FunctionCall) {
			f := factor
			if isASCII(call.Argument(0)) {
				f = 3
			}
			s.checkMade(float64(strLen(call.Argument(0)))*f, name)
		})
	}
}

// ---------------------------------------------------------------------------
// Typed arrays and buffers

func (s *slot) guardTypedArrays() {
	rt := s.rt
	s.wrapConstructor("ArrayBuffer", func(args []goja.Value) {
		if len(args) > 0 && args[0].ToFloat() > maxNativeBytes {
			s.throwRange("an ArrayBuffer may not be larger than %d bytes", maxNativeBytes)
		}
	})
	names := []string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
		"Int32Array", "Uint32Array", "Float32Array", "Float64Array"}
	for _, name := range names {
		ctor, ok := rt.Get(name).(*goja.Object)
		if !ok {
			continue
		}
		size := ctor.Get("BYTES_PER_ELEMENT").ToFloat()
		of, newName, from := name+" of", "new "+name, name+".from"
		checkSize := func(n float64, what string) {
			if n*size > maxNativeBytes {
				s.throwRange("%s: a %s may not be larger than %d bytes", what, name, maxNativeBytes)
			}
		}
		s.wrapConstructor(name, func(args []goja.Value) {
			if len(args) == 0 {
				return
			}
			if o, ok := args[0].(*goja.Object); ok {
				if _, isBuffer := o.Export().(goja.ArrayBuffer); !isBuffer {
					checkSize(math.Max(s.lengthOf(o), 0), of)
				}
			} else {
				checkSize(args[0].ToFloat(), newName)
			}
		})
		s.wrap(ctor, "from", func(call goja.FunctionCall) {
			checkSize(math.Max(s.lengthOf(call.Argument(0)), 0), from)
		})
	}
	// %TypedArray%.prototype, which the typed arrays' prototypes inherit.
	u8 := rt.Get("Uint8Array").ToObject(rt).Get("prototype").ToObject(rt)
	proto := u8.Prototype()
	s.around(proto, "join", func(call goja.FunctionCall, orig nativeFunc) goja.Value {
		if o, ok := call.This.(*goja.Object); !ok || !isTypedArray(o) {
			return orig(call) // the TypeError
		}
		return s.joinUpTo(call.This, call.Argument(0), maxNativeBytes)
	})
	for _, name := range []string{"sort", "toSorted"} {
		s.around(proto, name, func(call goja.FunctionCall, orig nativeFunc) goja.Value {
			return orig(s.withComparator(call, nil))
		})
	}
}

// ---------------------------------------------------------------------------
// JSON

func (s *slot) guardJSON() {
	rt := s.rt
	json := rt.Get("JSON").ToObject(rt)
	stringify := s.around(json, "stringify", s.boundedStringify)
	s.stringify, _ = goja.AssertFunction(stringify)
	s.wrap(json, "parse", func(call goja.FunctionCall) {
		text := call.Argument(0)
		s.checkString(text, "JSON.parse of")
		if strLen(text) > 0 && jsonDepth(text.String()) > maxNesting {
			s.throwRange("JSON.parse: values nested more than %d deep", maxNesting)
		}
	})
}

// jsonDepth is the deepest nesting of arrays and objects in JSON text (or
// text that may not be JSON: it is a bound for the parser's recursion).
func jsonDepth(text string) int {
	depth, deepest := 0, 0
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
			deepest = max(deepest, depth)
		case ']', '}':
			depth--
		}
	}
	return deepest
}

// boundedStringify is JSON.stringify made to check, at each value it
// serializes, that the call still has time, that arrays are not longer
// than maxNativeLength, that nesting is not deeper than maxNesting and
// that the text made so far is not longer than maxStringLength. goja calls
// a replacer function for every value, so the checks are a replacer that
// wraps the function's own (if any). A replacer array (the property list)
// becomes a replacer that shows each object to goja through a proxy with
// just the listed properties, which is how goja would have read them.
func (s *slot) boundedStringify(call goja.FunctionCall, orig nativeFunc) goja.Value {
	value, replacer, space := call.Argument(0), call.Argument(1), call.Argument(2)
	user := s.callable(replacer)
	var list []goja.Value
	if user == nil && s.isArrayValue(replacer) {
		list = s.propertyList(replacer.(*goja.Object))
	}
	gap := 0.0
	switch sp := space.(type) {
	case goja.String:
		gap = math.Min(float64(sp.Length()), 10)
	case *goja.Object:
		switch sp.ClassName() {
		case "Number":
			gap = math.Min(math.Max(sp.ToFloat(), 0), 10)
		case "String":
			gap = math.Min(float64(strLen(sp.ToString())), 10)
		}
	default:
		if !isNullish(space) && !goja.IsString(space) {
			if f := space.ToFloat(); !math.IsNaN(f) {
				gap = math.Min(math.Max(math.Trunc(f), 0), 10)
			}
		}
	}

	depths := map[*goja.Object]int{}
	views := map[*goja.Object]*goja.Object{}
	total := 0.0
	values := 0
	check := s.native("", 2, func(c goja.FunctionCall) goja.Value {
		values++
		if values&255 == 0 {
			s.alive()
		}
		holder, _ := c.This.(*goja.Object)
		key, v := c.Argument(0), c.Argument(1)
		if user != nil {
			v = user(goja.FunctionCall{This: c.This, Arguments: []goja.Value{key, v}})
		}
		depth := depths[holder] + 1
		// A comma, a line break and the indentation, and in an object the
		// key, quoted, and a colon.
		total += 2 + gap*float64(depth)
		if holder != nil && holder.ClassName() != "Array" {
			total += float64(strLen(key)) + 3
		}
		switch x := v.(type) {
		case goja.String:
			total += float64(x.Length()) + 2
		case *goja.Object:
			if depth > maxNesting {
				s.throwRange("JSON.stringify: values nested more than %d deep", maxNesting)
			}
			if s.isArrayValue(x) && toLength(x.Get("length")) > maxNativeLength {
				s.throwRange("JSON.stringify of an array of more than %d elements", maxNativeLength)
			}
			s.checkKeys(x, "JSON.stringify of")
			total += 2
			depths[x] = depth
			if list != nil {
				if view := s.listView(x, list, views); view != nil {
					depths[view] = depth
					v = view
				}
			}
			if x.ClassName() == "String" {
				total += float64(strLen(x.ToString()))
			}
		default:
			if goja.IsNumber(v) {
				total += float64(len(v.String()))
			} else {
				total += 5
			}
		}
		if total > maxStringLength {
			s.throwRange("JSON.stringify would make a string longer than %d", maxStringLength)
		}
		return v
	})
	return orig(goja.FunctionCall{This: call.This, Arguments: []goja.Value{value, check, space}})
}

// propertyList is JSON.stringify's property list from a replacer array:
// its strings and numbers (and String and Number objects) as strings,
// without repeats.
func (s *slot) propertyList(a *goja.Object) []goja.Value {
	n := toLength(a.Get("length"))
	if n > maxNativeLength {
		s.throwRange("JSON.stringify with a replacer of more than %d elements", maxNativeLength)
	}
	seen := map[string]bool{}
	list := []goja.Value{}
	for i := 0; i < int(n); i++ {
		v := a.Get(strconv.Itoa(i))
		switch {
		case v == nil:
			continue
		case goja.IsString(v) || goja.IsNumber(v):
		case isObjectOfClass(v, "String") || isObjectOfClass(v, "Number"):
		default:
			continue
		}
		name := v.String()
		if seen[name] {
			continue
		}
		seen[name] = true
		list = append(list, s.rt.ToValue(name))
	}
	return list
}

func isObjectOfClass(v goja.Value, class string) bool {
	o, ok := v.(*goja.Object)
	return ok && o.ClassName() == class
}

// listView is what JSON.stringify serializes for the object o given a
// property list: a proxy whose own properties are the listed ones, read
// from o when goja reads them. Arrays, functions and the primitive
// wrappers, which the list does not apply to, have none (nil). The views
// are made once per object, so that a cycle is still seen as one.
func (s *slot) listView(o *goja.Object, list []goja.Value, views map[*goja.Object]*goja.Object) *goja.Object {
	switch o.ClassName() {
	case "Array", "Function", "String", "Number", "Boolean", "Symbol":
		return nil
	}
	if s.isArrayValue(o) {
		return nil
	}
	if _, ok := goja.AssertFunction(o); ok {
		return nil
	}
	if v, ok := views[o]; ok {
		return v
	}
	rt := s.rt
	keys := make([]any, len(list))
	for i, k := range list {
		keys[i] = k
	}
	p := rt.NewProxy(rt.NewObject(), &goja.ProxyTrapConfig{
		OwnKeys: func(*goja.Object) *goja.Object { return rt.NewArray(keys...) },
		GetOwnPropertyDescriptor: func(_ *goja.Object, prop string) goja.PropertyDescriptor {
			return goja.PropertyDescriptor{Value: s.undefined, Writable: goja.FLAG_TRUE, Enumerable: goja.FLAG_TRUE, Configurable: goja.FLAG_TRUE}
		},
		Get: func(_ *goja.Object, prop string, _ goja.Value) goja.Value {
			if v := o.Get(prop); v != nil {
				return v
			}
			return s.undefined
		},
	})
	view := rt.ToValue(p).ToObject(rt)
	views[o] = view
	return view
}
