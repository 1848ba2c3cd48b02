package edgefunc

import (
	"errors"
	"runtime"
	"testing"
	"time"
)

// hostileProbe is a handler body that tries to make one native (Go)
// built-in, which goja cannot interrupt, work far past the time budget
// or allocate far past a function's memory. The body runs as
//
//	<hostilePrelude> function handler(event) { <code>; return event.request; }
//
// A probe whose operation turns out cheap repeats it forever, so that
// every probe ends with an error: the operation refused, or the budget
// spent.
type hostileProbe struct {
	name, code string
	// validation: the error may be the result's validation (ErrValidation).
	validation bool
	// open: not bounded yet, for the reason given (the probe is measured
	// and logged, not asserted).
	open string
}

// hostilePrelude has the probes' helpers, which make large values within
// a few milliseconds (a guarded built-in would refuse most of them): str(k,
// c) is c (default "x") doubled k times, arr(n, v) an array of n v's.
const hostilePrelude = `function str(k, c) { var s = c === undefined ? 'x' : c; for (var i = 0; i < k; i++) s += s; return s; }
function arr(n, v) { return Array.apply(null, {length: n}).fill(v); }
`

// sparse is an array of length 2^32-1 with no elements.
const sparse = `var a = []; a.length = 2 ** 32 - 1; `

// nested is an array nested 3000 deep.
const nested = `var o = []; for (var i = 0; i < 3000; i++) o = [o]; `

// dag is an array of two references to an array of two references…, 40
// deep: 2^40 elements to walk.
const dag = `var o = [1]; for (var i = 0; i < 40; i++) o = [o, o]; `

const (
	openSpread = "object spread and rest copy the properties in goja's VM (copyDataProperties), which no built-in guard reaches"
	openConcat = "string + and template literals concatenate in goja's VM: the call overruns by the last concatenation, which copies up to what was built within the budget"
)

var hostileProbes = []hostileProbe{
	// The gaps known from the start.
	{name: "JSON.stringify of a huge sparse array", code: `var a = []; a[1e9] = 1; JSON.stringify(a)`},
	{name: "spread of a huge sparse array", code: `var a = []; a[1e9] = 1; [...a]`},
	{name: "spread of a huge sparse array into a call", code: `var a = []; a[1e9] = 1; Math.max(...a)`},
	{name: "Array.from of a huge sparse array", code: `var a = []; a[1e9] = 1; Array.from(a)`},
	{name: "Object.keys/values/entries of a huge sparse array", code: `var a = []; a[1e9] = 1; for (;;) { Object.keys(a); Object.values(a); Object.entries(a) }`},
	{name: "replaceAll with the string itself", code: `var s = str(14); s.replaceAll('x', s)`},
	{name: "split into characters", code: `str(19).split('')`},
	{name: "split on every character", code: `str(19).split('x')`},
	{name: "join of long strings", code: `arr(1 << 12, str(17)).join('')`},
	{name: "join with a long separator", code: `new Array(1 << 12).join(str(17))`},
	{name: "String.prototype.concat of long strings", code: `''.concat.apply('', arr(1 << 12, str(17)))`},
	{name: "Array.prototype.concat of large arrays", code: `var b = arr(1 << 12, 0); [].concat.apply([], arr(1 << 12, b))`},

	// Generic Array methods on huge sparse arrays and array-likes.
	{name: "join of a huge sparse array", code: sparse + `a.join('')`},
	{name: "toString of a huge sparse array", code: sparse + `String(a)`},
	{name: "toLocaleString of a huge sparse array", code: sparse + `a.toLocaleString()`},
	{name: "fill of a huge sparse array", code: sparse + `a.fill(0)`},
	{name: "indexOf in a huge sparse array", code: sparse + `a.indexOf(1)`},
	{name: "includes in a huge sparse array", code: sparse + `a.includes(1)`},
	{name: "lastIndexOf in a huge sparse array", code: sparse + `a.lastIndexOf(1)`},
	{name: "sort of a huge sparse array", code: sparse + `a.sort()`},
	{name: "toSorted of a huge sparse array", code: sparse + `a.toSorted()`},
	{name: "reverse of a huge sparse array", code: sparse + `a.reverse()`},
	{name: "shift of a huge sparse array", code: sparse + `a.shift()`},
	{name: "forEach over a huge array-like", code: `Array.prototype.forEach.call({length: 2 ** 40}, Math.abs)`},
	{name: "spread of a huge sparse array's keys()", code: sparse + `[...a.keys()]`},
	{name: "spread of a huge sparse array's iterator", code: sparse + `[...a[Symbol.iterator]()]`},
	{name: "Array.from of a huge sparse array's iterator", code: sparse + `Array.from(a[Symbol.iterator]())`},
	{name: "Set of a huge sparse array's iterator", code: sparse + `new Set(a[Symbol.iterator]())`},
	{name: "Map of a huge sparse array's iterator", code: sparse + `new Map(a[Symbol.iterator]())`},
	{name: "Promise.all of a huge sparse array's iterator", code: sparse + `Promise.all(a[Symbol.iterator]())`},
	{name: "Object.fromEntries of a huge sparse array's iterator", code: sparse + `Object.fromEntries(a[Symbol.iterator]())`},
	{name: "typed array of a huge sparse array's iterator", code: sparse + `new Uint8Array(a[Symbol.iterator]())`},
	{name: "destructuring rest of a huge sparse array", code: sparse + `var [...r] = a`},
	{name: "concat of a huge spreadable array-like", code: `var o = {length: 2 ** 40}; o[Symbol.isConcatSpreadable] = true; [].concat(o)`},
	{name: "flat of a nested huge sparse array", code: sparse + `[a].flat()`},
	{name: "flatMap returning a huge sparse array", code: sparse + `[1].flatMap(function () { return a })`},
	{name: "flat of a doubling DAG", code: dag + `o.flat(Infinity)`},
	{name: "flat of deep nesting", code: nested + `o.flat(Infinity)`},
	{name: "sort of 8192 numbers", code: `Array.from(new Float64Array(1 << 13).map(Math.random)).sort()`},
	{name: "sort with a native comparator", code: `Array.from(new Float64Array(1 << 13).map(Math.random)).sort(Math.max)`},
	{name: "Array.from with a native map, again and again", code: `for (;;) Array.from({length: 1 << 14}, Math.random)`},
	{name: "Object.assign of a huge sparse array", code: sparse + `for (;;) Object.assign({}, a)`},

	// Strings.
	{name: "repeat", code: `'x'.repeat(2 ** 30)`},
	{name: "padStart", code: `'x'.padStart(2 ** 30)`},
	{name: "padEnd", code: `'x'.padEnd(2 ** 30)`},
	{name: "doubling with +", code: `var s = 'x'; for (;;) s += s`, open: openConcat},
	{name: "doubling with a template literal", code: "var s = 'x'; for (;;) s = `${s}${s}`", open: openConcat},
	{name: "String.raw of a huge array-like", code: `String.raw({raw: {length: 2 ** 40}})`},
	{name: "String.raw of long pieces", code: `String.raw({raw: arr(1 << 12, str(17))})`},
	{name: "String.fromCharCode.apply of a huge array-like", code: `String.fromCharCode.apply(null, {length: 2 ** 30})`},
	{name: "String.fromCharCode.apply, again and again", code: `var u = new Uint16Array(1 << 14); for (;;) String.fromCharCode.apply(null, u)`},
	{name: "indexOf of a long needle in a UTF-16 string", code: `var h = str(19, '\u00e9'), n = str(18, '\u00e9') + 'x'; h.indexOf(n)`},
	{name: "lastIndexOf of a long needle in a UTF-16 string", code: `var h = str(19, '\u00e9'), n = 'x' + str(18, '\u00e9'); h.lastIndexOf(n)`},
	{name: "split on a long separator in a UTF-16 string", code: `var h = str(19, '\u00e9'), n = str(18, '\u00e9') + 'x'; for (;;) h.split(n)`},
	{name: "replaceAll of a long pattern in a UTF-16 string", code: `var h = str(19, '\u00e9'), n = str(18, '\u00e9') + 'x'; h.replaceAll(n, '')`},
	{name: "normalize NFKD", code: `str(18, '\ufdfa').normalize('NFKD')`},
	{name: "toUpperCase", code: `str(19, '\u00df').toUpperCase()`},
	{name: "encodeURIComponent of a long string", code: `encodeURIComponent(str(19, '\u00e9'))`},
	{name: "escape of a long string", code: `escape(str(19, '\u00e9'))`},
	{name: "parseInt of a long string, again and again", code: `var s = str(19, '1'); for (;;) parseInt(s)`},
	{name: "Number of a long string, again and again", code: `var s = str(19, '1'); for (;;) Number(s)`},
	{name: "for-in over a long string", code: `for (var k in str(19)) {}`},
	{name: "Date.parse of a long string, again and again", code: `var s = str(19, '1'); for (;;) Date.parse(s)`},
	{name: "Object.keys of a long string", code: `Object.keys(str(19))`},
	{name: "Object.assign of a long string", code: `Object.assign({}, str(19))`},
	{name: "Reflect.ownKeys of a long String object", code: `Reflect.ownKeys(new String(str(19)))`},
	{name: "Object.freeze of a long String object", code: `Object.freeze(new String(str(19)))`},
	{name: "Object.defineProperties with a long String object", code: `Object.defineProperties({}, new String(str(19)))`},
	{name: "Array.prototype.join on a long string", code: `Array.prototype.join.call(str(19), str(10))`},
	{name: "Array.from of a long string", code: `Array.from(str(19))`},
	{name: "Set of a long string", code: `new Set(str(19))`},
	{name: "object spread of a long string", code: `({...str(19)})`, open: openSpread},
	{name: "object rest of a long string", code: `var {...r} = str(19)`, open: openSpread},

	// Regular expressions.
	{name: "backtracking regexp (regexp2)", code: `/(?<=a)(a+)+$/.test('a'.repeat(40) + 'b')`},
	{name: "backtracking regexp (regexp2), again and again", code: `for (;;) /(a+)+\1b/.test('a'.repeat(30))`},
	{name: "backtracking regexp (regexp2) on a long string", code: `/(?<=x)x*y/.test(str(19))`},
	{name: "wide regexp on a long string (RE2)", code: `/[a-z]{1000}x/.test(str(18, 'a'))`},
	{name: "global replace with a long replacement", code: `var s = str(14); s.replace(/x/g, s)`},
	{name: "global replace with $& expansion", code: `str(18).replace(/x/g, str(12) + '$&')`},
	{name: "global replace with $' expansion", code: `str(16).replace(/x/g, "$'")`},
	{name: "global replace with a function returning long strings", code: `var s = str(18); str(14).replace(/x/g, function () { return s })`},
	{name: "global match of every character", code: `str(19).match(/x/g)`},
	{name: "split on an empty regexp", code: `str(19).split(/(?:)/)`},
	{name: "spread of matchAll", code: `[...str(19).matchAll(/x/g)]`},
	{name: "huge RegExp source", code: `new RegExp('(?=x)' + 'x{1000}'.repeat(1000)).test('x')`},
	{name: "RegExp of a long string", code: `new RegExp(str(19))`},

	// JSON.
	{name: "JSON.stringify of a doubling DAG", code: dag + `JSON.stringify(o)`},
	{name: "JSON.stringify of shared long strings", code: `JSON.stringify(arr(1 << 12, str(17)))`},
	{name: "JSON.stringify of deep nesting", code: nested + `JSON.stringify(o)`},
	{name: "JSON.stringify of deep nesting, indented", code: `var o = []; for (var i = 0; i < 900; i++) o = [o, o.length ? 1 : 0]; for (;;) JSON.stringify(o, null, 10)`},
	{name: "JSON.stringify with a replacer array", code: `var a = []; a[1e9] = 1; JSON.stringify(a, ['x'])`},
	{name: "JSON.stringify with a replacer function", code: `var a = []; a[1e9] = 1; JSON.stringify(a, function (k, v) { return v })`},
	{name: "JSON.parse of deep nesting", code: `JSON.parse(str(19, '['))`},
	{name: "String of a doubling DAG", code: dag + `String(o)`},
	{name: "String of deep nesting", code: nested + `String(o)`},
	{name: "console.log of a huge sparse array", code: `var a = []; a[1e9] = 1; console.log(a)`},
	{name: "console.log of many long strings", code: `var a = arr(1 << 12, str(17)); for (;;) console.log.apply(console, a)`},
	{name: "throwing a huge sparse array", code: `var a = []; a[1e9] = 1; throw a`},
	{name: "throwing a long message", code: `throw new Error(str(19))`},

	// Objects and functions.
	{name: "Function.prototype.apply with a huge array-like", code: `Math.max.apply(null, {length: 2 ** 30})`},
	{name: "Reflect.apply with a huge array-like", code: `Reflect.apply(Math.max, null, {length: 2 ** 30})`},
	{name: "structuredClone", code: `structuredClone({})`},
	{name: "Object.keys of a typed array", code: `Object.keys(new Uint8Array(1 << 16))`},
	{name: "Object.getOwnPropertyDescriptors of a typed array", code: `Object.getOwnPropertyDescriptors(new Uint8Array(1 << 16))`},
	{name: "Object.assign of a typed array", code: `Object.assign({}, new Uint8Array(1 << 16))`},
	{name: "object spread of a typed array", code: `for (;;) ({...new Uint8Array(1 << 16)})`, open: openSpread},
	{name: "a chain of bound functions", code: `var f = function () {}; for (var i = 0; i < 1e5; i++) f = f.bind(null); f()`},
	{name: "a chain of proxies", code: `var p = {}; for (var i = 0; i < 1e5; i++) p = new Proxy(p, {}); p.x`},

	// Typed arrays and buffers.
	{name: "huge ArrayBuffer", code: `new ArrayBuffer(2 ** 31)`},
	{name: "huge typed array", code: `new Float64Array(2 ** 31)`},
	{name: "large typed array", code: `new Uint8Array(1 << 23)`},
	{name: "typed array of a huge array-like", code: `new Float64Array({length: 2 ** 31})`},
	{name: "typed array from a huge array-like", code: `Uint8Array.from({length: 2 ** 31})`},
	{name: "typed arrays of the largest size, again and again", code: `for (;;) new Float64Array(1 << 13)`},
	{name: "typed array join with a long separator", code: `new Uint8Array(1 << 12).join(str(17))`},
	{name: "typed array toString, again and again", code: `var t = new Uint8Array(1 << 16); for (;;) String(t)`},
	{name: "typed array sort, again and again", code: `var t = new Float64Array(1 << 13).map(Math.random); for (;;) t.slice().sort()`},
	{name: "typed array set from a huge array-like", code: `new Uint8Array(8).set({length: 2 ** 40})`},
	{name: "Buffer.alloc", code: `Buffer.alloc(2 ** 31)`},
	{name: "new Buffer", code: `new Buffer(2 ** 31)`},
	{name: "Buffer.from of a long string", code: `Buffer.from(str(19, '\u00e9'))`},
	{name: "Buffer toString hex, again and again", code: `var b = Buffer.alloc(1 << 16, 1); for (;;) b.toString('hex')`},
	{name: "crypto of a long string, again and again", code: `var s = str(19), h = require('crypto').createHash('sha256'); for (;;) h.update(s)`},

	// BigInt (no BigInt literals: Compile refuses them).
	{name: "BigInt power", code: `BigInt(3) ** BigInt(3e7)`},
	{name: "BigInt shift", code: `BigInt(1) << BigInt(1e9)`},
	{name: "BigInt of a long decimal string", code: `BigInt(str(18, '9'))`},
	{name: "BigInt squaring", code: `var x = BigInt(3); for (;;) x *= x`},

	// What the function returns.
	{name: "headers that are a typed array", code: `event.request.headers = new Uint8Array(1 << 16); return event.request`, validation: true},
	{name: "headers that are a long String object", code: `event.request.headers = new String(str(17)); return event.request`, validation: true},
	{name: "a long query string", code: `event.request.querystring = str(13, 'a&'); return event.request`, validation: true},
}

// hostileBound is how long a hostile call may take with the default 5 ms
// budget. The race detector slows the built-ins several times over.
func hostileBound() time.Duration {
	if raceEnabled {
		return 200 * time.Millisecond
	}
	return 50 * time.Millisecond
}

// hostileHeap is how much the Go heap may grow during a hostile call.
const hostileHeap = 64 << 20

// TestHostileFunctionsEndOnTime runs each probe with the default time
// budget (5 ms): the call must end in an execution error within a small
// bound of the budget and without growing the heap much.
func TestHostileFunctionsEndOnTime(t *testing.T) {
	for _, tt := range hostileProbes {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, Runtime20, hostilePrelude+`function handler(event) { `+tt.code+`; return event.request; }`)
			// The bound is wall-clock time: on a loaded machine a call can be
			// descheduled past it. A probe that really runs long does so at
			// every try, so the best of three counts.
			took, grew, err := measureHostile(t, p)
			for try := 1; try < 3 && took > hostileBound() && tt.open == ""; try++ {
				took, grew, err = measureHostile(t, p)
			}
			if tt.open != "" {
				t.Skipf("open (%s): %v, heap +%d KB: %.120v", tt.open, took.Round(10*time.Microsecond), grew>>10, err)
			}
			switch {
			case errors.Is(err, ErrExecution):
			case tt.validation && errors.Is(err, ErrValidation):
			default:
				t.Errorf("Run: %v, want an execution error", err)
			}
			if bound := hostileBound(); took > bound {
				t.Errorf("the call took %v (bound %v): %v", took, bound, err)
			}
			if grew > hostileHeap {
				t.Errorf("the heap grew by %d MB during the call", grew>>20)
			}
			t.Logf("%v, heap +%d KB: %.120v", took.Round(10*time.Microsecond), grew>>10, err)
		})
	}
}

// measureHostile runs p once, on a ready runtime and a quiet heap, and
// returns how long the call took, how much the heap grew (bytes allocated
// and not yet collected at the end of the call) and Run's error.
func measureHostile(t testing.TB, p *Program) (time.Duration, uint64, error) {
	// Making a runtime takes some milliseconds: not part of the call.
	s, err := newSlot(p)
	if err != nil {
		t.Fatal(err)
	}
	p.put(s)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err = p.Run(request("/"), Limits{})
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	var grew uint64
	if after.HeapAlloc > before.HeapAlloc {
		grew = after.HeapAlloc - before.HeapAlloc
	}
	return took, grew, err
}
